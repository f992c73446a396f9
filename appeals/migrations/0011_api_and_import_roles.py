"""Administrators manage API clients and import from the registry (issue 5): re-sync roles."""

from django.db import migrations

from appeals.roles import sync_roles_migration


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0010_import_permission"),
        ("api", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_roles_migration, migrations.RunPython.noop)]
