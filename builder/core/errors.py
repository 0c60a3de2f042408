"""User-facing errors: one line, naming the file (and line), never a traceback."""

from __future__ import annotations


class BuilderError(Exception):
    """A mistake in the user's input or environment, reported as one line.

    ``str(error)`` is the whole message, e.g.
    ``site_src/scraped/a.txt: empty page (nothing to ingest)`` or
    ``config.yaml:7: paths.output: expected a string, got a list``.
    """

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None, hint: str = ""):
        self.path = path
        self.line = line
        self.message = message
        self.hint = hint
        super().__init__(self.format())

    def format(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        text = f"{where}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text.replace("\n", " ")


class InputError(BuilderError):
    """A scraped page that cannot be read or holds no report."""


class ConfigError(BuilderError):
    """A broken config.yaml."""


class SourceError(BuilderError):
    """A broken file in site_src/ (report Markdown, front matter)."""


class OutputError(BuilderError):
    """The output folder cannot be written."""


class TextLossError(BuilderError):
    """A sentence of a source report did not reach its page."""
