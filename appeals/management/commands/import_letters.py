"""python manage.py import_letters FILE.csv [--dry-run] [--output RESULT.csv]"""

from __future__ import annotations

import csv
import sys

from django.core.management.base import BaseCommand, CommandError

from appeals.imports import ImportFileError, import_letters

SHOWN_NUMBERS = 50


class Command(BaseCommand):
    help = "Import letters from the Committee's registry (UTF-8 CSV). All rows or none."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="the CSV file")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")
        parser.add_argument("--output", help="write line, registration number and outcome of every row to this CSV")

    def handle(self, *args, file: str, dry_run: bool, output: str | None, **options) -> None:
        progress = self._progress if sys.stderr.isatty() else None
        try:
            result = import_letters(path=file, dry_run=dry_run, progress=progress)
        except FileNotFoundError:
            raise CommandError(f"{file}: no such file") from None
        except ImportFileError as error:
            raise CommandError(f"{file}: {error}") from None
        if progress:
            self.stderr.write("")
        if not result.ok:
            for line, reason in result.errors:
                self.stderr.write(f"line {line}: {reason}")
            if result.error_count > len(result.errors):
                self.stderr.write(f"… and {result.error_count - len(result.errors)} more")
            raise CommandError(f"{result.error_count} of {result.rows} rows have errors; nothing was imported.")
        prefix = "Dry run, nothing written: would have " if dry_run else ""
        self.stdout.write(
            f"{prefix}{result.rows} rows: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged."
        )
        assigned = result.assigned
        if assigned:
            self.stdout.write("Numbers assigned:" if not dry_run else "Numbers it would assign:")
        for line, number in assigned[:SHOWN_NUMBERS]:
            self.stdout.write(f"line {line}: {number}")
        if len(assigned) > SHOWN_NUMBERS:
            self.stdout.write(f"… {len(assigned) - SHOWN_NUMBERS} more; use --output for the full list.")
        if output:
            with open(output, "w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(["line", "registration_number", "outcome"])
                writer.writerows(result.outcomes)
            self.stdout.write(f"Outcome of every row written to {output}.")

    def _progress(self, stage: str, rows: int) -> None:
        self.stderr.write(f"\r{stage}: {rows:,} rows", ending="")
        self.stderr.flush()
