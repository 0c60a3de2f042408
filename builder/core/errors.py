"""User-facing errors and warnings: one line each, naming the file (and line), never a traceback.

An *error* stops the command (exit 1).  A *warning* (:class:`Problem`) is one input the build
could not use (an unreadable scraped file, a bad export row, a document that failed to cut, a
broken report Markdown file); the rest of the site is built.  ``--strict`` turns the warnings
into a :class:`StrictError`, raised before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


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

    #: Warnings of the failed command, printed before the error (set by the command that raises it).
    warnings: tuple[Problem, ...] = ()

    def lines(self) -> list[str]:
        """What the command line prints for this error, one line each: its warnings, then itself."""
        return [*(f"warning: {problem}" for problem in self.warnings), f"error: {self.format()}"]


def counted(count: int, noun: str) -> str:
    """"1 page", "3 pages": a count with its English noun, singular or plural."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def yaml_error_line(error: Exception) -> int | None:
    """The 0-based line of a PyYAML error where the mistake is, not where the parser noticed it.

    PyYAML's ``problem_mark`` is where it gave up.  For a token it was still reading (a key
    missing its ``:``, an unclosed quote or bracket) that is the next line, or the end of the
    file; its ``context_mark`` is where that token starts: the line to fix."""
    context = getattr(error, "context", None) or ""
    mark = getattr(error, "problem_mark", None)
    context_mark = getattr(error, "context_mark", None)
    if context_mark is not None and context.startswith(("while scanning a", "while parsing a flow")):
        mark = context_mark
    if mark is None:
        return None
    buffer, pointer = getattr(mark, "buffer", None), getattr(mark, "pointer", None)
    if isinstance(buffer, str) and isinstance(pointer, int):  # at a blank line or the end: the last line written
        before = buffer[:pointer]
        end = buffer.find("\n", pointer)
        if not buffer[before.rfind("\n") + 1:end if end >= 0 else len(buffer)].strip(" \t\r\0"):
            return before.rstrip(" \t\r\n\0").count("\n")
    return int(mark.line)


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


class StrictError(BuilderError):
    """``--strict``: the build had warnings, so it stopped before writing anything."""

    def __init__(self, problems: Sequence[Problem], *, untouched: str = "public/"):
        self.problems = tuple(problems)
        count = len(self.problems)
        super().__init__(f"--strict: {count} warning{'s' if count != 1 else ''} turned into "
                         f"error{'s' if count != 1 else ''}; nothing was written ({untouched} unchanged)")

    def lines(self) -> list[str]:
        """Every problem as ``error: …``, then the line saying nothing was written."""
        return [*(f"error: {problem}" for problem in self.problems), f"error: {self.format()}"]


@dataclass(frozen=True)
class Problem:
    """A warning: one input the build could not use, and why (one line)."""

    path: str
    """The file, as the user names it."""
    message: str
    """What is wrong, e.g. "row 4: no text in column “content”"."""
    line: int | None = None
    """The line of the file (where the bad record starts); None for the whole file."""

    def __str__(self) -> str:
        """``path:line: message``, the form of every user error."""
        return BuilderError(self.message, path=self.path, line=self.line).format()

    @classmethod
    def of(cls, error: BuilderError) -> Problem:
        """The error as a warning (its hint kept in the message)."""
        message = f"{error.message} ({error.hint})" if error.hint else error.message
        return cls(error.path or "", message, error.line)

    def to_json(self) -> list[object]:
        return [self.path, self.line, self.message]

    @classmethod
    def from_json(cls, value: object) -> Problem | None:
        """A problem saved by :meth:`to_json`; None for anything else (an old or damaged cache)."""
        if isinstance(value, list) and len(value) == 3 and isinstance(value[0], str) \
                and (value[1] is None or isinstance(value[1], int)) and isinstance(value[2], str):
            return cls(value[0], value[2], value[1])
        return None
