"""gunicorn's master warms the app before it forks (dgk_tracker/warmup.py): without the
database (pytest-django refuses any query here), leaving the public templates compiled."""

from __future__ import annotations

from django.template import engines

from dgk_tracker.warmup import TEMPLATES, warm_up


def test_warm_up_compiles_the_public_pages_without_touching_the_database():
    loader = engines["django"].engine.template_loaders[0]
    loader.reset()
    warm_up()
    compiled = {key.split("-")[0] for key in loader.get_template_cache}
    assert {"base.html", "appeals/home.html", "pages/contacts.html", *TEMPLATES} <= compiled
