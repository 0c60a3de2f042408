"""``builder glossary suggest``: shorthand in the site's reports that the glossary lacks.

The I/O around :func:`builder.glossary.terms.suggest_terms`: read every report Markdown
(the source of truth), list its headings and paragraphs in document order with their
anchors, and hand them to the pure function.
"""

from __future__ import annotations

from typing import Iterator

from builder.core.config import Config
from builder.glossary.terms import Suggestion, suggest_terms
from builder.core.model import Report, Section
from builder.build.pipeline import _read_report_file, report_files, site_glossary
from builder.sitesrc import parse_report_markdown


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


def suggest(config: Config) -> tuple[list[Suggestion], set[str]]:
    """The suggestions for a site, and the ids its glossary already uses."""
    glossary = site_glossary(config)
    blocks: list[tuple[str, str, str]] = []
    for path in report_files(config):
        report = parse_report_markdown(_read_report_file(path, config))
        blocks.extend(report_blocks(report))
    taken = set(glossary.by_id) if glossary else set()
    return suggest_terms(glossary, blocks), taken
