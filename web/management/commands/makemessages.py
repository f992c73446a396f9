"""Django's makemessages, which also reads the citizen's pages in Jinja2 (templates_public/): Django's own
reads Django templates only. Each Jinja2 template's ``_("…")`` and ``ngettext("…", "…", n)``
calls are found by Jinja2's parser and handed to xgettext as Python, line for line, so the
catalogues keep pointing at the template's lines."""

from __future__ import annotations

from pathlib import Path

import jinja2
from django.conf import settings
from django.core.management.commands import makemessages
from jinja2.ext import extract_from_ast

GETTEXT_FUNCTIONS = ("_", "gettext", "ngettext")


def _jinja_folders() -> list[Path]:
    return [
        Path(folder).resolve()
        for engine in settings.TEMPLATES
        if engine["BACKEND"].endswith(".Jinja2")
        for folder in engine.get("DIRS", [])
    ]


def as_python(source: str) -> str:
    """The template's translatable calls as Python, each on its own line of the template."""
    lines = [""] * (source.count("\n") + 1)
    for line, function, message in extract_from_ast(jinja2.Environment().parse(source), GETTEXT_FUNCTIONS):
        strings = message if isinstance(message, tuple) else (message,)
        arguments = [repr(text) for text in strings if text is not None]
        if function == "ngettext":
            arguments.append("1")
        lines[line - 1] += f"{function}({', '.join(arguments)}); "
    return "\n".join(lines)


class BuildFile(makemessages.BuildFile):
    def preprocess(self) -> None:
        path = Path(self.path).resolve()
        if not any(path.is_relative_to(folder) for folder in _jinja_folders()):
            return super().preprocess()
        Path(self.work_path).write_text(as_python(path.read_text(encoding="utf-8")), encoding="utf-8")


class Command(makemessages.Command):
    build_file_class = BuildFile
