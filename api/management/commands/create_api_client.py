"""python manage.py create_api_client NAME [--rate-limit N]: prints the token, once."""

from django.core.management.base import BaseCommand, CommandError

from appeals.models import ApiClient


class Command(BaseCommand):
    help = "Create an API client and print its bearer token (shown only this once)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("name")
        parser.add_argument("--rate-limit", type=int, default=600, help="requests per minute (default 600)")

    def handle(self, *args, name: str, rate_limit: int, **options) -> None:
        name = name.strip()
        if not name or len(name) > 100:
            raise CommandError("The name must be 1 to 100 characters.")
        if rate_limit < 1:
            raise CommandError("--rate-limit must be at least 1.")
        if ApiClient.objects.filter(name=name).exists():
            raise CommandError(f"An API client named {name!r} exists already.")
        client = ApiClient(name=name, rate_limit_per_minute=rate_limit)
        token = client.issue_token()
        client.save()
        self.stdout.write(token)
        self.stderr.write(f"Created {name!r}. Keep the token above: only its hash is stored.")
