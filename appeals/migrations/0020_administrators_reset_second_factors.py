"""Administrators may reset a colleague's second factor (web/second_factor.py)."""

from django.db import migrations

from appeals.roles import sync_roles_migration


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0019_permissions_in_their_apps"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(sync_roles_migration, migrations.RunPython.noop)]
