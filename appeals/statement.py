"""The status statement as a PDF: the result page's facts on one or two A4 pages, in the page's
language, to keep or hand in. fpdf2 lays out a small HTML template (``appeals/statement.html``)
with a Unicode font (Debian's DejaVu Sans: ə, ğ, ı, ş and Cyrillic), so no browser or network
is needed."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from fpdf import FPDF

FONT = "DejaVu"


class FontMissing(RuntimeError):
    """The Unicode font is not installed (Debian's fonts-dejavu-core; `make` installs it)."""


@cache
def _fonts() -> tuple[Path, Path]:
    regular, bold = Path(settings.PDF_FONT), Path(settings.PDF_FONT_BOLD)
    if not (regular.is_file() and bold.is_file()):
        raise FontMissing(f"{regular} or {bold} not found: install fonts-dejavu-core")
    return regular, bold


def statement_pdf(context: dict) -> bytes:
    """The PDF of the result page's ``context`` (letter, as_of, page_url, contacts)."""
    regular, bold = _fonts()
    pdf = FPDF(format="A4")
    pdf.set_title(context["title"])
    pdf.set_creator(str(context["issuer"]))
    pdf.set_lang(context["language"])
    pdf.add_font(FONT, "", str(regular))
    pdf.add_font(FONT, "B", str(bold))
    pdf.set_font(FONT, size=10)
    pdf.set_margins(18, 16, 18)
    pdf.add_page()
    pdf.write_html(render_to_string("appeals/statement.html", context), font_family=FONT)
    return bytes(pdf.output())
