"""gunicorn's master warms the app before it forks (web/warmup.py): without the
database (pytest-django refuses any query here), leaving the public templates compiled."""

from __future__ import annotations

from django.template import engines

from web.warmup import TEMPLATES, warm_up


def test_warm_up_compiles_the_public_pages_without_touching_the_database():
    environment = engines["jinja2"].env  # the citizen's pages
    loader = engines["django"].engine.template_loaders[0]  # the rest
    environment.cache.clear()
    loader.reset()
    warm_up()
    compiled = {name for _loader, name in environment.cache} | {key.split("-")[0] for key in loader.get_template_cache}
    assert {"base.html", "appeals/home.html", "pages/contacts.html", *TEMPLATES} <= compiled


def test_a_failing_warm_up_does_not_stop_the_server_from_starting(monkeypatch, caplog):
    from web import warmup

    def broken() -> None:
        raise ValueError("Missing staticfiles manifest entry for 'css/site.css'")

    monkeypatch.setattr(warmup, "_warm_up", broken)
    warm_up()  # does not raise
    assert "warm-up failed" in caplog.text
