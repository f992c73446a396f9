"""Reading the translations out of gettext catalogues, for the admin's language tests."""

from __future__ import annotations

from pathlib import Path


def translations(path: Path) -> list[str]:
    """Every msgstr of the catalogue at ``path`` (its lines joined), the header left out."""
    found, in_msgstr = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(("msgid", "msgctxt", "#")) or not line:
            in_msgstr = False
        if line.startswith("msgstr"):
            in_msgstr = True
            found.append("")
        if in_msgstr:  # a translation goes on over several lines: join them
            found[-1] += line.partition('"')[2].rpartition('"')[0]
    return found[1:]  # the first is the catalogue's header
