"""Create the staff roles as groups with exact permissions, in every environment."""

from django.db import migrations

from appeals.roles import sync_roles_migration


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0002_backoffice"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(sync_roles_migration, migrations.RunPython.noop)]
