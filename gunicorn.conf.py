"""gunicorn settings for the container and `make serve` (the same file for both)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Sync workers: the work is short database reads; 2 × cores + 1 is gunicorn's own advice.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then (memory hygiene); 0 turns it off (the benchmarks do).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# Headers larger than this get a 400 from gunicorn before Django sees them.
limit_request_field_size = 8190
limit_request_fields = 100
accesslog = "-"
errorlog = "-"
access_log_format = (
    '{"time": "%(t)s", "logger": "gunicorn.access", "request_id": "%({x-request-id}o)s", '
    '"method": "%(m)s", "path": "%(U)s", "status": %(s)s, "bytes": "%(B)s", "ms": %(M)s}'
)
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# Load the app once in the master, warm it (templates, catalogues, URL maps: web/warmup.py),
# then move everything loaded so far out of the garbage collector's sight (gc.freeze): workers
# share those pages, start fast, and full collections stay short.
preload_app = True


def when_ready(server):
    import gc

    from web.warmup import warm_up

    warm_up()
    gc.collect()
    gc.freeze()
