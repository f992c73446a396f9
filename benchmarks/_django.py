"""Shared start of every benchmark script: the project on the path, Django set up, and a
PostgreSQL database of the benchmark's own unless DATABASE_URL names one."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


def setup(default_database: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dgk_tracker.settings.dev")
    os.environ.setdefault("DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{default_database}")
    import django

    django.setup()
