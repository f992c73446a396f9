"""Everyone who sees the holiday calendar sees its years; administrators add and confirm them."""

from django.db import migrations

from appeals.roles import sync_roles_migration


class Migration(migrations.Migration):
    dependencies = [("appeals", "0022_legal_terms_and_calendar_years")]

    operations = [migrations.RunPython(sync_roles_migration, migrations.RunPython.noop)]
