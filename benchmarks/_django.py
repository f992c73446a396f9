"""Shared start of every benchmark script: the project on the path, Django set up, and a
PostgreSQL database of the benchmark's own unless DATABASE_URL names one."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


def setup(default_database: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dgk_tracker.settings.dev")
    os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{default_database}")
    import django

    django.setup()


def production_env(database: str, **extra: str) -> dict:
    """The environment to run gunicorn with the production settings on this machine (plain
    http, no proxy, no real mail) and rate limits out of the way, for load measurements."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dgk_tracker.settings.production",
        "DJANGO_SECRET_KEY": "benchmark-only-" + "k" * 50,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database,
        "EMAIL_URL": "dummymail://",
        "SMS_URL": "locmem://",
        "TRUSTED_PROXY_COUNT": "0",
        "PUBLIC_BASE_URL": "http://127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "LOOKUP_RATE_PER_MINUTE": "100000000",
        "LOOKUP_RATE_PER_DAY": "100000000",
        "DJANGO_LOG_LEVEL": "WARNING",
        **extra,
    }


def client_in_role(username: str, role):
    """A Django test client signed in as a staff user of ``role`` (created if missing)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(username=username)
    user.is_staff = role.value != "Call-centre operator"
    user.save(update_fields=["is_staff"])
    user.groups.set([Group.objects.get(name=role.value)])
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    """gunicorn as in production (gunicorn.conf.py) with ``env``, on ``port``, once it answers
    /readyz (the database is reachable)."""
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    process = subprocess.Popen(
        [gunicorn, "-c", "gunicorn.conf.py", "dgk_tracker.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1)
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("gunicorn did not start")


def logged_lookups(database: str, where: str = "true") -> int:
    """Rows in the lookup log of ``database`` (a URL psql understands) that match ``where``."""
    query = ["psql", database, "-tAc", f"SELECT count(*) FROM appeals_lookuplog WHERE {where}"]
    return int(subprocess.run(query, check=True, capture_output=True, text=True).stdout)
