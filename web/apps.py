from django.apps import AppConfig


class WebConfig(AppConfig):
    """Cross-cutting web code that no domain app owns: client addresses, rate limits,
    middleware, health probes, shared admin helpers and the gunicorn warm-up."""

    name = "web"
    verbose_name = "Web"

    def ready(self) -> None:
        from . import capitals

        capitals.install()
