"""Administrators may pick a staff user when linking an executor to a login: re-sync roles."""

from django.db import migrations

from appeals.roles import sync_roles_migration


class Migration(migrations.Migration):
    dependencies = [("appeals", "0012_staff_note")]

    operations = [migrations.RunPython(sync_roles_migration, migrations.RunPython.noop)]
