"""The report tables as files a spreadsheet opens: CSV (UTF-8 with a BOM, so Excel shows
Azerbaijani letters) and XLSX (openpyxl). Text that a spreadsheet would take for a formula
(a name typed as ``=HYPERLINK(…)``) stays text in both. Pure: no Django, no database."""

from __future__ import annotations

import csv
import datetime as dt
import io
import numbers
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

# What makes Excel or LibreOffice read a CSV cell as a formula (OWASP, "CSV injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: object) -> object:
    if value is None or isinstance(value, numbers.Number | dt.date):
        return value
    text = str(value)  # translated labels arrive as lazy strings
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_text(header: Sequence[object], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([str(title) for title in header])
    writer.writerows([_csv_cell(value) for value in row] for row in rows)
    return out.getvalue()


def xlsx_bytes(sheet: str, header: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    book = Workbook(write_only=True)
    worksheet = book.create_sheet(title=sheet[:31])
    bold = Font(bold=True)

    def cell(value: object, **style) -> object:
        if value is None or isinstance(value, numbers.Number):
            return value
        if isinstance(value, dt.date):
            if isinstance(value, dt.datetime) and value.tzinfo is not None:
                value = value.astimezone().replace(tzinfo=None)  # Excel has no time zones
            written = WriteOnlyCell(worksheet, value=value)
            written.number_format = "DD.MM.YYYY HH:MM" if isinstance(value, dt.datetime) else "DD.MM.YYYY"
            return written
        # Text, even when it starts with "="; without the control characters XLSX cannot hold
        # (a vertical tab pasted from Word would otherwise make the export fail).
        written = WriteOnlyCell(worksheet, value=ILLEGAL_CHARACTERS_RE.sub("", str(value)))
        written.data_type = "s"
        for name, setting in style.items():
            setattr(written, name, setting)
        return written

    worksheet.append([cell(title, font=bold) for title in header])
    for row in rows:
        worksheet.append([cell(value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
