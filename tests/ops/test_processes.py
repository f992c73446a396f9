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
        "SMS_URL": "locmem://",
        "TRUSTED_PROXY_COUNT": "0",
        "PUBLIC_BASE_URL": "http://127.0.0.1",
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


def test_every_answered_lookup_is_in_the_log_before_the_answer_arrives(production_env):
    port = free_port()
    process = start(production_env, port)
    try:
        for number in ("x", "2026-000001-5", "", "2026-000001-4"):
            before = logged_lookups(production_env)
            assert get(port, f"/az/track/?number={number}")[0] in (400, 404)
            assert logged_lookups(production_env) == before + 1  # at once: nothing is held back
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_a_killed_server_has_lost_no_lookup_it_answered(production_env):
    before = logged_lookups(production_env)
    port = free_port()
    process = start(production_env, port)
    try:
        for _ in range(4):
            assert get(port, "/ru/track/?number=hello")[0] == 400
    finally:
        process.kill()  # SIGKILL: no exit hook, no flush
        process.wait(timeout=30)
    assert logged_lookups(production_env) == before + 4


def test_with_redis_down_lookups_are_answered_and_still_limited_per_process(production_env):
    env = {**production_env, "REDIS_URL": "redis://127.0.0.1:1/0", "LOOKUP_RATE_PER_MINUTE": "2"}
    if time.time() % 60 > 50:  # keep all requests inside one one-minute window
        time.sleep(61 - time.time() % 60)
    port = free_port()
    process = start(env, port)
    try:
        assert [get(port, "/en/track/?number=x")[0] for _ in range(3)] == [400, 400, 429]
    finally:
        process.terminate()
        process.wait(timeout=30)


POSTGRES = os.environ.get("DATABASE_URL", "")


@pytest.mark.skipif(not POSTGRES.startswith("postgres"), reason="needs PostgreSQL (CI has it) to refuse connections")
def test_with_the_database_away_lookups_get_a_503_at_once_and_nothing_is_lost_or_doubled(production_env):
    """The database refuses connections: each lookup gets the translated 503 page within two
    seconds and is not answered, so it has no row; once the database is back every answered
    lookup has exactly one row."""
    database = "dgk_outage_test"
    server = POSTGRES.rsplit("/", 1)[0]

    def sql(statement: str, on: str = "postgres") -> str:
        result = subprocess.run(["psql", f"{server}/{on}", "-tAc", statement], capture_output=True, text=True)
        return result.stdout.strip()

    sql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    sql(f"CREATE DATABASE {database}")
    env = {**production_env, "DATABASE_URL": f"{server}/{database}"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    process = start(env, port)
    try:
        assert get(port, "/en/track/?number=hello")[0] == 400
        sql(f"ALTER DATABASE {database} ALLOW_CONNECTIONS false")
        sql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'")
        for _ in range(3):
            started = time.monotonic()
            status, _headers, html = get(port, "/ru/track/?number=hello")
            assert status == 503 and time.monotonic() - started < 2
            assert '<html lang="ru">' in html
        sql(f"ALTER DATABASE {database} ALLOW_CONNECTIONS true")
        assert [get(port, "/en/track/?number=hello")[0] for _ in range(2)] == [400, 400]
        assert sql("SELECT count(*) FROM appeals_lookuplog", on=database) == "3"
    finally:
        process.terminate()
        process.wait(timeout=60)
        sql(f"ALTER DATABASE {database} ALLOW_CONNECTIONS true")
        sql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
