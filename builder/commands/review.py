"""``builder review``: why each report was attributed as it was, read back from its report file.

Every report file in ``site_src/reports/`` records each attribution decision in its front matter
(``evidence:``: field -> value, the source of the winning candidate, its strength, the words it
rests on, and the candidates that said otherwise), and ``review:`` when the evidence conflicts
and none of it is strong.  This command prints them, one block per report::

    2021-fujian-rdjy  福建省第十三届人民代表大会第四次会议关于政府工作报告的决议
      other, genre resolution · site_src/reports/2021-fujian-rdjy.md
      review: …the reason…
      kind     other      <- heading (strong) “…关于政府工作报告的决议”
      year     2021       <- metadata:year (medium) “2021”
                             against: clue:first-year (weak): 2020

Reports that need review come first.  By default only they are shown; ``--all`` shows every
report.  A report file that cannot be read is one warning line (on stderr); the others are shown.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from builder.core.config import Config, load_config
from builder.core.errors import Problem, SourceError
from builder.core.model import Decision
from builder.sitesrc import parse_evidence, read_report, report_files

#: Longest quoted evidence text before it is cut with "…".
TEXT_CHARS = 60

Printer = Callable[[str], None]


@dataclass(frozen=True)
class ReviewEntry:
    """One report's attribution as its file records it."""

    slug: str
    title: str
    kind: str
    genre: str
    path: str
    review: str
    decisions: tuple[Decision, ...]


def run(config_path: Path | None, *, show_all: bool = False, say: Printer = print) -> None:
    """``builder review``: print the reports needing review (``show_all``: every report)."""
    config = load_config(config_path)
    entries, problems = read_entries(config)
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    for line in review_lines(entries, show_all=show_all):
        say(line)


def read_entries(config: Config) -> tuple[list[ReviewEntry], list[Problem]]:
    """Every report file's attribution, those needing review first (then by slug), and a warning
    for each file that cannot be read."""
    files = report_files(config.reports_dir)
    if not files:
        raise SourceError("no report files: run `builder build` first", path=config.relative(config.reports_dir))
    entries: list[ReviewEntry] = []
    problems: list[Problem] = []
    for path in files:
        display = config.relative(path)
        try:
            meta = read_report(path, display).meta
        except SourceError as error:
            problems.append(Problem.of(error))
            continue
        entries.append(entry_of(meta, display))
    entries.sort(key=lambda entry: (not entry.review, entry.slug))
    return entries, problems


def entry_of(meta: Mapping[str, object], path: str) -> ReviewEntry:
    """A report file's front matter (as ``sitesrc.parse_front_matter`` checked it) -> its entry."""
    def text(key: str) -> str:
        value = meta.get(key)
        return "" if value is None else str(value)

    return ReviewEntry(slug=text("slug"), title=text("title"), kind=text("kind"), genre=text("genre"),
                       path=path, review=text("review"), decisions=parse_evidence(meta.get("evidence")))


def review_lines(entries: Sequence[ReviewEntry], *, show_all: bool = False) -> list[str]:
    """The printed table: a heading line, then one block per report shown."""
    needing = [entry for entry in entries if entry.review]
    shown = list(entries) if show_all else needing
    total = f"{len(entries)} report{'s' if len(entries) != 1 else ''}"
    if not needing:
        heading = f"no report needs review ({total})"
    else:
        heading = f"{len(needing)} of {total} need{'s' if len(needing) == 1 else ''} review"
    if not show_all:
        heading += "; `builder review --all` shows every report's evidence"
    lines = [heading]
    for entry in shown:
        lines += ["", *entry_lines(entry)]
    return lines


def entry_lines(entry: ReviewEntry) -> list[str]:
    """One report's block: slug and title; kind, genre and file; the review reason; each decision."""
    genre = f", genre {entry.genre}" if entry.genre else ""
    lines = [f"{entry.slug}  {entry.title}", f"  {entry.kind or '?'}{genre} · {entry.path}"]
    if entry.review:
        lines.append(f"  review: {entry.review}")
    if not entry.decisions:
        lines.append("  (no evidence recorded: the file was written by an older builder or by hand)")
        return lines
    field_width = max(len(d.field) for d in entry.decisions)
    value_width = min(max(_width(d.value) for d in entry.decisions), 24)
    for decision in entry.decisions:
        value = decision.value or "—"
        pad = " " * max(0, value_width - _width(value))
        quoted = f" “{_cut(decision.text)}”" if decision.text else ""
        strength = f" ({decision.strength})" if decision.strength else ""
        source = f"{decision.source or '?'}{strength}{quoted}"
        lines.append(f"  {decision.field.ljust(field_width)}  {value}{pad}  <- {source}")
        indent = " " * (2 + field_width + 2 + value_width + 2)
        lines += [f"{indent}against: {other}" for other in decision.against]
    return lines


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TEXT_CHARS else text[:TEXT_CHARS - 1] + "…"


def _width(text: str) -> int:
    """Columns on a terminal: CJK and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
