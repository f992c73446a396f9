"""Supervisors may use the Call Centre search and read its access log (issue 4): re-sync roles."""

from django.db import migrations

from appeals.roles import sync_roles_migration


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0006_trigram_index_and_backfill"),
        ("callcentre", "0001_initial"),
    ]

    operations = [migrations.RunPython(sync_roles_migration, migrations.RunPython.noop)]
