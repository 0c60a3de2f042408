"""``builder glossary suggest``: shorthand in the site's reports that the glossary lacks.

Pure: the reports (as :func:`builder.sitesrc.parse_report_markdown` reads them) -> their
headings and paragraphs in document order with their anchors -> :func:`suggest_terms`.
Reading the files is :mod:`builder.commands.glossary`'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from builder.core.model import Report, Section
from builder.glossary.terms import Glossary, Suggestion, suggest_terms


def report_blocks(report: Report) -> Iterator[tuple[str, str, str]]:
    """(slug, anchor, text) of every heading and paragraph of ``report``, in document order."""
    for paragraph in report.intro:
        yield report.slug, paragraph.id, paragraph.text

    def walk(sections: tuple[Section, ...]) -> Iterator[tuple[str, str, str]]:
        for section in sections:
            yield report.slug, section.id, section.title
            for paragraph in section.paragraphs:
                yield report.slug, paragraph.id, paragraph.text
            yield from walk(section.children)

    yield from walk(report.sections)


def suggest(glossary: Glossary | None, reports: Iterable[Report]) -> tuple[list[Suggestion], set[str]]:
    """The suggestions for a site's reports, and the ids its glossary already uses."""
    blocks = [block for report in reports for block in report_blocks(report)]
    taken = set(glossary.by_id) if glossary else set()
    return suggest_terms(glossary, blocks), taken
