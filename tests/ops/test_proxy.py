"""The reverse proxy of the production shape (docker/nginx/nginx.conf), checked with Debian's
nginx: the configuration passes `nginx -t`, and a real nginx in front of a real gunicorn
terminates TLS, tells the app the client's address (one hop, whatever the client claims),
limits the body size with its own error page and headers, and hides gunicorn.

The configuration is used as written; only what a machine supplies is substituted: the
upstream's address, the ports, the certificate, the folders and (as root) the worker user.
CI installs nginx and sets REQUIRE_PROXY_TESTS=1, so there these tests cannot skip."""

from __future__ import annotations

import os
import shutil
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.ops.test_processes import ROOT, free_port, production_env, start  # noqa: F401  (fixture)

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
if NGINX is None and os.environ.get("REQUIRE_PROXY_TESTS"):
    raise RuntimeError("REQUIRE_PROXY_TESTS is set but nginx is not installed")
pytestmark = pytest.mark.skipif(NGINX is None, reason="needs Debian's nginx (CI installs it)")


def proxy_config(tmp_path: Path, *, app_port: int, http_port: int, https_port: int) -> Path:
    certs = tmp_path / "certs"
    certs.mkdir()
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1"),
            *("-keyout", str(certs / "tls.key"), "-out", str(certs / "tls.crt")),
        ],
        check=True,
        capture_output=True,
    )
    html = tmp_path / "html"
    shutil.copytree(ROOT / "docker" / "nginx" / "errors", html / "_errors")
    text = (ROOT / "docker" / "nginx" / "nginx.conf").read_text()
    for old, new in {
        "server app:8000;": f"server 127.0.0.1:{app_port};",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "/etc/nginx/certs/": f"{certs}/",
        "root /etc/nginx/html;": f"root {html};",
        "alias /srv/static/;": f"alias {ROOT / 'staticfiles'}/;",
        "pid /tmp/nginx.pid;": f"pid {tmp_path / 'nginx.pid'};",
    }.items():
        assert old in text, old
        text = text.replace(old, new)
    if os.geteuid() == 0:
        text = "user root;\n" + text
    config = tmp_path / "nginx.conf"
    config.write_text(text)
    (tmp_path / "logs").mkdir()
    return config


def test_the_proxy_configuration_passes_nginx_own_check(tmp_path):
    config = proxy_config(tmp_path, app_port=free_port(), http_port=free_port(), https_port=free_port())
    result = subprocess.run([NGINX, "-t", "-c", str(config), "-p", str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def fetch(url: str, *, data: bytes | None = None, headers: dict | None = None):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    request = urllib.request.Request(url, data=data, headers=headers or {})
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), NoRedirect())
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def proxied(production_env, tmp_path):  # noqa: F811
    """gunicorn (trusting one proxy) behind nginx; yields nginx's https and http ports."""
    env = {**production_env, "TRUSTED_PROXY_COUNT": "1", "LOOKUP_RATE_PER_MINUTE": "2"}
    app_port, http_port, https_port = free_port(), free_port(), free_port()
    app = start(env, app_port)
    config = proxy_config(tmp_path, app_port=app_port, http_port=http_port, https_port=https_port)
    nginx = subprocess.Popen(
        [NGINX, "-c", str(config), "-p", str(tmp_path), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if fetch(f"https://127.0.0.1:{https_port}/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        yield https_port, http_port
    finally:
        nginx.terminate()
        nginx.wait(timeout=10)
        app.terminate()
        app.wait(timeout=30)


def test_through_the_proxy(proxied):
    https_port, http_port = proxied
    base = f"https://127.0.0.1:{https_port}"

    status, headers, html = fetch(base + "/az/")
    assert status == 200 and '<html lang="az">' in html
    assert "gunicorn" not in (headers.get("Server") or "")
    assert "Content-Security-Policy" in headers  # the app's own headers pass through

    # http is sent to https
    status, headers, _ = fetch(f"http://127.0.0.1:{http_port}/az/")
    assert status == 301 and headers["Location"].startswith("https://")

    # the app counts the address nginx saw: a forged X-Forwarded-For does not dodge the limit
    codes = [fetch(base + "/en/track/?number=x", headers={"X-Forwarded-For": f"203.0.113.{n}"})[0] for n in range(3)]
    assert codes == [400, 400, 429]

    # a large body stops at the proxy, with its own page and the security headers
    status, headers, html = fetch(base + "/az/accounts/login/", data=b"x" * (2 * 2**20))
    assert status == 413
    assert "Sorğu çox böyükdür" in html
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "nginx/" not in (headers.get("Server") or "")  # no version

    # oversized headers stop at the proxy too, with its page and headers (gunicorn never sees them)
    status, headers, html = fetch(base + "/az/", headers={"X-Big": "x" * 20_000})
    assert status == 400 and headers["X-Frame-Options"] == "DENY"

    # static files come from the proxy
    status, headers, _ = fetch(base + "/static/css/site.css")
    assert status == 200 and "immutable" in headers["Cache-Control"]
