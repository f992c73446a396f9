"""The real thing: gunicorn with the production config (what `make serve` and the container
run), and two app processes sharing one Redis for the rate limit."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
REDIS_URL = "redis://127.0.0.1:6379/15"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_is_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture(scope="module")
def production_env(tmp_path_factory):
    database = tmp_path_factory.mktemp("serve") / "db.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dgk_tracker.settings.production",
        "DJANGO_SECRET_KEY": "test-serve-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{database}",
        "EMAIL_URL": "dummymail://",
        "TRUSTED_PROXY_COUNT": "0",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "WEB_CONCURRENCY": "1",
    }
    env.pop("REQUIRE_DB_VENDOR", None)
    for command in (["migrate", "--noinput", "-v", "0"], ["collectstatic", "--noinput", "-v", "0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=300)
    return env


def start(env: dict, port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [str(GUNICORN), "-c", "gunicorn.conf.py", "dgk_tracker.wsgi:application"],
        cwd=ROOT,
        env={**env, "PORT": str(port), "GUNICORN_BIND": f"127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError("gunicorn did not start")


def get(port: int, path: str) -> tuple[int, dict, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_gunicorn_serves_the_portal_with_the_production_config(production_env):
    port = free_port()
    process = start(production_env, port)
    try:
        status, headers, html = get(port, "/az/")
        assert status == 200
        assert "Content-Security-Policy" in headers
        assert '<html lang="az">' in html
        css = html.split('rel="stylesheet" href="')[1].split('"')[0]
        assert css.startswith("/static/css/site.") and css.endswith(".css")  # hashed name
        status, headers, _ = get(port, css)
        assert status == 200 and "max-age=315360000" in headers.get("Cache-Control", "")
        assert get(port, "/readyz")[0] == 200
        assert get(port, "/en/track/?number=2026-000001-5")[0] == 404
        # hostile requests get gunicorn's or Django's 4xx, never a 500
        oversized = urllib.request.Request(f"http://127.0.0.1:{port}/az/", headers={"X-Big": "x" * 10_000})
        try:
            urllib.request.urlopen(oversized, timeout=5)
            raise AssertionError("an oversized header was accepted")
        except urllib.error.HTTPError as error:
            assert error.code in (400, 431)  # gunicorn: Request Header Fields Too Large
        wrong_host = urllib.request.Request(f"http://127.0.0.1:{port}/az/", headers={"Host": "evil.example"})
        try:
            urllib.request.urlopen(wrong_host, timeout=5)
            raise AssertionError("a foreign Host was served")
        except urllib.error.HTTPError as error:
            assert error.code == 400
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.skipif(not redis_is_up(), reason="needs the Redis server at 127.0.0.1:6379")
def test_two_app_processes_share_the_rate_limit_through_redis(production_env):
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()
    if time.time() % 60 > 50:  # keep all requests inside one one-minute window
        time.sleep(61 - time.time() % 60)
    env = {**production_env, "REDIS_URL": REDIS_URL, "LOOKUP_RATE_PER_MINUTE": "4"}
    first, second = free_port(), free_port()
    processes = [start(env, first), start(env, second)]
    try:
        statuses = [get(first, "/en/track/?number=x")[0] for _ in range(3)]
        statuses += [get(second, "/en/track/?number=x")[0] for _ in range(2)]
        # Four lookups are allowed in all; the second process knows the first one's three.
        assert statuses == [400, 400, 400, 400, 429]
        status, headers, html = get(first, "/ru/track/?number=x")
        assert status == 429 and int(headers["Retry-After"]) >= 1
        assert "Слишком много проверок" in html
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        redis.Redis.from_url(REDIS_URL).flushdb()


def logged_lookups(env: dict) -> int:
    import sqlite3

    with sqlite3.connect(env["DATABASE_URL"].removeprefix("sqlite:///")) as db:
        return db.execute("SELECT COUNT(*) FROM appeals_lookuplog").fetchone()[0]


def test_every_lookup_is_in_the_log_within_the_interval(production_env):
    env = {**production_env, "LOOKUP_LOG_FLUSH_SECONDS": "0.2"}
    before = logged_lookups(env)
    port = free_port()
    process = start(env, port)
    try:
        statuses = [get(port, f"/az/track/?number={number}")[0] for number in ("x", "2026-000001-5", "")]
        assert statuses == [400, 404, 400]
        deadline = time.monotonic() + 10
        while logged_lookups(env) < before + 3 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert logged_lookups(env) == before + 3
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_stopping_worker_writes_the_lookups_it_holds(production_env):
    env = {**production_env, "LOOKUP_LOG_FLUSH_SECONDS": "3600"}  # only the stop can write them
    before = logged_lookups(env)
    port = free_port()
    process = start(env, port)
    try:
        for _ in range(4):
            assert get(port, "/ru/track/?number=hello")[0] == 400
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert logged_lookups(env) == before + 4


POSTGRES = os.environ.get("DATABASE_URL", "")


@pytest.mark.skipif(not POSTGRES.startswith("postgres"), reason="needs PostgreSQL (CI has it) to refuse connections")
def test_lookups_answered_while_the_database_is_away_reach_it_after_a_worker_restart(production_env, tmp_path):
    """The database refuses connections; malformed lookups are still answered; the worker is
    stopped, cannot write them and spools them; a new worker puts them in the table."""
    database = "dgk_spool_test"
    server = POSTGRES.rsplit("/", 1)[0]

    def sql(statement: str, on: str = "postgres") -> str:
        result = subprocess.run(["psql", f"{server}/{on}", "-tAc", statement], capture_output=True, text=True)
        return result.stdout.strip()

    sql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    sql(f"CREATE DATABASE {database}")
    spool = tmp_path / "spool"
    env = {
        **production_env,
        "DATABASE_URL": f"{server}/{database}",
        "LOOKUP_LOG_FLUSH_SECONDS": "0.2",
        "LOOKUP_LOG_SPOOL_DIR": str(spool),
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    process = start(env, port)
    try:
        sql(f"ALTER DATABASE {database} ALLOW_CONNECTIONS false")
        sql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'")
        assert [get(port, "/en/track/?number=hello")[0] for _ in range(3)] == [400, 400, 400]
    finally:
        process.terminate()
        process.wait(timeout=60)
    try:
        (spooled,) = spool.glob("lookups-*.json")
        assert spooled.read_text().count('"malformed"') == 3
        sql(f"ALTER DATABASE {database} ALLOW_CONNECTIONS true")
        process = start(env, port)
        try:
            assert get(port, "/en/track/?number=again")[0] == 400  # starts the new worker's writer
            deadline = time.monotonic() + 10
            while sql("SELECT count(*) FROM appeals_lookuplog", on=database) != "4" and time.monotonic() < deadline:
                time.sleep(0.2)
        finally:
            process.terminate()
            process.wait(timeout=60)
        assert sql("SELECT count(*) FROM appeals_lookuplog", on=database) == "4"
        assert list(spool.iterdir()) == []
    finally:
        sql(f"ALTER DATABASE {database} ALLOW_CONNECTIONS true")
        sql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
