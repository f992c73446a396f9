"""The export files on their own: what a spreadsheet makes of them."""

from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import load_workbook

from reports.exports import csv_text, xlsx_bytes

HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+994 12 404 22 00", "@SUM(A1)", "-1+1"]


def test_text_a_spreadsheet_would_run_as_a_formula_stays_text_in_xlsx():
    book = load_workbook(io.BytesIO(xlsx_bytes("t", ["Name"], [[value] for value in HOSTILE])))
    cells = [row[0] for row in book.active.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == HOSTILE
    assert {cell.data_type for cell in cells} == {"s"}


def test_text_a_spreadsheet_would_run_as_a_formula_is_quoted_in_csv():
    text = csv_text(["Name"], [[value] for value in HOSTILE])
    assert text.startswith("\ufeff")
    values = [row[0] for row in csv.reader(io.StringIO(text.removeprefix("\ufeff")))][1:]
    assert values == ["'" + value for value in HOSTILE]


def test_numbers_dates_and_azerbaijani_text_keep_their_types():
    from decimal import Decimal

    rows = [["Gömrük Əməliyyatları", 12, Decimal("87.5"), dt.date(2026, 5, 4), None]]
    sheet = load_workbook(io.BytesIO(xlsx_bytes("departments", ["Ad", "Sayı", "Pay", "Tarix", "Boş"], rows))).active
    assert sheet.title == "departments"
    name, count, share, day, empty = next(sheet.iter_rows(min_row=2, values_only=True))
    assert (name, count, share, empty) == ("Gömrük Əməliyyatları", 12, 87.5, None)
    assert day.date() == dt.date(2026, 5, 4)
    assert "Gömrük Əməliyyatları,12,87.5,2026-05-04," in csv_text(["a"], rows)


def test_a_name_pasted_with_control_characters_still_exports():
    book = load_workbook(io.BytesIO(xlsx_bytes("t", ["Name"], [["Həsənov\x0bRəşad"], [dt.datetime.now(dt.UTC)]])))
    name, moment = (row[0] for row in book.active.iter_rows(min_row=2, values_only=True))
    assert name == "HəsənovRəşad"
    assert moment.tzinfo is None
