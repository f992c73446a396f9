"""Server-rendered SVG charts: no script, no inline style (the CSP forbids both), a title and
a description for screen readers, and the numbers also given as a table beside each chart.
Pure: data in, markup out."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, BAR_HEIGHT, GAP, LABEL_WIDTH = 640, 22, 8, 220
_ids = count(1)


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the value as shown (e.g. "87 %")
    tone: str = "primary"  # a CSS class: primary, good, warn, muted


def _short(label: str, limit: int = 30) -> str:
    """A label that fits the chart's left margin; the whole label is the element's <title>
    (and the table beside each chart gives it in full)."""
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bar_chart(*, title: str, description: str, bars: list[Bar], maximum: float | None = None) -> SafeString:
    """Horizontal bars, one per row, labelled at the left and valued at the right."""
    uid = next(_ids)
    top = max([bar.value for bar in bars] + [maximum or 0, 1])
    height = max(len(bars), 1) * (BAR_HEIGHT + GAP) + GAP
    plot = WIDTH - LABEL_WIDTH - 70
    rows = []
    for index, bar in enumerate(bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        length = max(bar.value / top * plot, 0 if bar.value == 0 else 1)
        rows.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" class="chart__label" text-anchor="end">'
            f"<title>{escape(bar.label)}</title>{escape(_short(bar.label))}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length:.1f}" height="{BAR_HEIGHT}" '
            f'class="chart__bar chart__bar--{bar.tone}"/>'
            f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{y + 15}" class="chart__value">{escape(bar.text)}</text>'
        )
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="chart-{uid}-title chart-{uid}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-{uid}-title">{escape(title)}</title><desc id="chart-{uid}-desc">{escape(description)}</desc>'
        + "".join(rows)
        + "</svg>"
    )


def column_chart(*, title: str, description: str, columns: list[tuple[str, float, float]]) -> SafeString:
    """Vertical columns over time: (label, total, errors); errors are drawn over the total."""
    uid = next(_ids)
    height, bottom, left = 220, 30, 40
    top = max([total for _label, total, _errors in columns] + [1])
    step = (WIDTH - left) / max(len(columns), 1)
    bar = max(step - 2, 1)
    parts = []
    for index, (label, total, errors) in enumerate(columns):
        x = left + index * step
        h_total = total / top * (height - bottom - 10)
        h_errors = errors / top * (height - bottom - 10)
        parts.append(
            f'<rect x="{x:.1f}" y="{height - bottom - h_total:.1f}" width="{bar:.1f}" height="{h_total:.1f}" '
            f'class="chart__bar chart__bar--primary"><title>{escape(label)}: {total:g}</title></rect>'
            f'<rect x="{x:.1f}" y="{height - bottom - h_errors:.1f}" width="{bar:.1f}" height="{h_errors:.1f}" '
            f'class="chart__bar chart__bar--warn"/>'
        )
    if columns:
        parts.append(f'<text x="{left}" y="{height - 8}" class="chart__label">{escape(columns[0][0])}</text>')
        parts.append(
            f'<text x="{WIDTH}" y="{height - 8}" class="chart__label" text-anchor="end">{escape(columns[-1][0])}</text>'
        )
    parts.append(f'<text x="{left - 6}" y="14" class="chart__label" text-anchor="end">{top:g}</text>')
    return mark_safe(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="chart-{uid}-title chart-{uid}-desc" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="chart-{uid}-title">{escape(title)}</title><desc id="chart-{uid}-desc">{escape(description)}</desc>'
        + "".join(parts)
        + "</svg>"
    )
