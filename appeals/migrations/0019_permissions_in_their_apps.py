"""Each app declares its own permissions now (callcentre.search_letters, reports.view_reports)
and API clients belong to appeals: give the roles the new permissions and remove the old ones."""

from django.db import migrations

from appeals.roles import sync_roles_migration

MOVED = [("appeals", "letter", "view_reports"), ("appeals", "letter", "search_letters")]


def forward(apps, schema_editor):
    sync_roles_migration(apps, schema_editor)
    Permission = apps.get_model("auth", "Permission")
    for app_label, model, codename in MOVED:
        Permission.objects.filter(
            content_type__app_label=app_label, content_type__model=model, codename=codename
        ).delete()
    Permission.objects.filter(content_type__app_label="api", content_type__model="apiclient").delete()
    apps.get_model("contenttypes", "ContentType").objects.filter(app_label="api", model="apiclient").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0018_alter_letter_options"),
        ("api", "0002_delete_apiclient"),
        ("callcentre", "0002_alter_operatoraccess_options"),
        ("reports", "0002_alter_lookupdailysummary_options"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
