"""The Call Centre's search keys, recomputed for the letters already registered:

- ``applicant_search_key`` becomes the sound skeleton of the name (appeals/searchkey.py), so that
  Azerbaijani (Məmmədov), passport (Mammadov, Mamedov) and Russian (Мамедов) spellings meet;
- ``applicant_phone_tail``, new, holds the phone's last seven digits (598-19-16 without the
  operator's code).

The letters are read in primary-key ranges and written back with bulk_update, range by range:
PostgreSQL and SQLite alike. The functions are searchkey's own (pure: no model, no database), so
the keys are the ones the application computes. The tail's index is built once the column is
filled, and PostgreSQL then analyses the table. Going back puts the keys of migration 0006 back
(the old folding, kept below as it was).
"""

import re
import unicodedata

from django.db import migrations, models
from django.db.models import Max, Min

CHUNK = 1000
FIELDS = ["applicant_search_key", "applicant_phone_tail"]


def _rewrite(apps, name_key, phone_tail) -> None:
    Letter = apps.get_model("appeals", "Letter")
    bounds = Letter.objects.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return
    for start in range(bounds["low"], bounds["high"] + 1, CHUNK):
        letters = Letter.objects.filter(pk__gte=start, pk__lt=start + CHUNK).only(
            "pk", "applicant_name", "applicant_phone", *FIELDS
        )
        changed = []
        for letter in letters:
            key, tail = name_key(letter.applicant_name), phone_tail(letter.applicant_phone)
            if (letter.applicant_search_key, letter.applicant_phone_tail) != (key, tail):
                letter.applicant_search_key, letter.applicant_phone_tail = key, tail
                changed.append(letter)
        if changed:
            Letter.objects.bulk_update(changed, FIELDS)


def forwards(apps, schema_editor):
    from appeals.searchkey import name_key, phone_tail

    _rewrite(apps, name_key, phone_tail)


# The name key of migrations 0005 to 0024: lower case, marks removed, ə→e, ı→i, words kept.
_OLD_FOLD = str.maketrans({"ə": "e", "Ə": "e", "ı": "i", "I": "i", "İ": "i", "ß": "ss", "ø": "o", "đ": "d", "ł": "l"})


def _old_name_key(name: str) -> str:
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name).translate(_OLD_FOLD))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower().translate(_OLD_FOLD)
    folded = " ".join(word for word in re.split(r"[^\w]+", text.replace("_", " ")) if word)[:298]
    return f" {folded} " if folded else ""


def backwards(apps, schema_editor):
    _rewrite(apps, _old_name_key, lambda phone: "")


def analyze(apps, schema_editor):
    """Every row has changed: give PostgreSQL's planner the new columns' statistics now, not at
    autovacuum's next pass (until then it guesses, and reads a tail search's letters by date)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ANALYZE {apps.get_model('appeals', 'Letter')._meta.db_table}")


class Migration(migrations.Migration):
    dependencies = [("appeals", "0024_how_letters_end")]

    operations = [
        migrations.AddField(
            model_name="historicalletter",
            name="applicant_phone_tail",
            field=models.CharField(blank=True, editable=False, max_length=7),
        ),
        migrations.AddField(
            model_name="letter",
            name="applicant_phone_tail",
            field=models.CharField(blank=True, editable=False, max_length=7),
        ),
        migrations.RunPython(forwards, backwards, elidable=False),
        migrations.AddIndex(
            model_name="letter",
            index=models.Index(fields=["applicant_phone_tail"], name="letter_phone_tail"),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop),
    ]
