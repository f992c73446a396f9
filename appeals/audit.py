"""Audit versions of letters written in bulk: one version per letter, as it now stands in the
table, exactly as django-simple-history records a save, copied by the database in one statement
per 1,000 letters instead of built row by row in Python. The models are arguments, so data
migrations write the same versions as the app."""

from __future__ import annotations

import datetime as dt

from django.db import connection


def copy_versions(
    letter_model, history_model, letter_ids: list[int], *, created: bool, at: dt.datetime, actor_id=None
) -> None:
    columns = ", ".join(
        connection.ops.quote_name(field.column)
        for field in history_model._meta.concrete_fields
        if not field.name.startswith("history_")
    )
    with connection.cursor() as cursor:
        for start in range(0, len(letter_ids), 1000):
            chunk = letter_ids[start : start + 1000]
            cursor.execute(
                f"INSERT INTO {history_model._meta.db_table} "
                f"({columns}, history_date, history_change_reason, history_type, history_user_id) "
                f"SELECT {columns}, %s, NULL, %s, %s FROM {letter_model._meta.db_table} "
                f"WHERE id IN ({', '.join(['%s'] * len(chunk))})",
                [connection.ops.adapt_datetimefield_value(at), "+" if created else "~", actor_id, *chunk],
            )
