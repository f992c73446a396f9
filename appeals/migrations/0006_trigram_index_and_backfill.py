"""Fill the search keys of existing letters; on PostgreSQL, add the pg_trgm GIN index that
makes ``applicant_search_key LIKE '%word%'`` fast (SQLite gets the same results, slower)."""

from django.db import migrations

TRGM_INDEX = "letter_search_key_trgm"


def backfill(apps, schema_editor):
    from appeals.searchkey import name_key, phone_key

    Letter = apps.get_model("appeals", "Letter")
    batch = []
    for letter in Letter.objects.only("pk", "applicant_name", "applicant_phone").iterator(chunk_size=2000):
        letter.applicant_search_key = name_key(letter.applicant_name)
        letter.applicant_phone_key = phone_key(letter.applicant_phone)
        batch.append(letter)
        if len(batch) == 2000:
            Letter.objects.bulk_update(batch, ["applicant_search_key", "applicant_phone_key"])
            batch = []
    Letter.objects.bulk_update(batch, ["applicant_search_key", "applicant_phone_key"])


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {TRGM_INDEX} ON appeals_letter USING gin (applicant_search_key gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {TRGM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("appeals", "0005_search_keys")]

    operations = [
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(create_trigram_index, drop_trigram_index),
    ]
