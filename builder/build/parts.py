"""A rendered report's parts, kept in the build cache: one file per report, read back on demand.

``reports/<slug>-<key>.parts`` holds, one section each, what the site-wide outputs take from a
report (see ``render.site.SiteParts``): its page variables (the glossary's definitions kept as
term ids), its entry of reports.json, its glossary occurrences, its targets-vs-results rows, and
its share of ``data/indicators.json`` and ``.csv`` (raw bytes).  Written once, by the process that
rendered the report; a section is read only when an output that needs it is built again.  Named
after the render key, so an index entry never points at another render's parts.
"""

from __future__ import annotations

import gc
import os
import pickle
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from builder.core.errors import SourceError
from builder.core.hashing import digest_values

if TYPE_CHECKING:  # pragma: no cover
    from builder.glossary.terms import Glossary
    from builder.render.report import RenderedReport, ReportSummary

PICKLE = pickle.HIGHEST_PROTOCOL
PAGE, ENTRY_JSON, OCCURRENCES, PAIRS, ROWS_JSON, ROWS_CSV = (
    "page", "entry_json", "occurrences", "pairs", "rows_json", "rows_csv")


@dataclass(frozen=True)
class StoredReport:
    """What the cache's index keeps of one rendered report (its parts are in :attr:`file`).

    Its summary is kept pickled (:attr:`summary_data`), read only when asked for: an edit of one
    report reads no other report's summary, and the index of N reports loads without building
    N summaries (pickled as a plain tuple, it loads in an eighth of the time)."""

    key: str
    """The render key (see ``BuildCache.render_key``)."""
    pages: tuple[tuple[str, str], ...]
    """(name, SHA-256) of its report page and its indicators page."""
    summary_data: bytes
    """Its report page and counts (a pickled ``ReportSummary``: :attr:`summary`)."""
    digests: tuple[tuple[str, str], ...]
    """(part, SHA-256) of each part the site-wide outputs read (:func:`part_digests`)."""
    file: str
    """Its parts file, in ``reports/`` of the cache folder."""
    sections: tuple[tuple[str, int, int], ...]
    """(section, offset, length) of each section in :attr:`file`."""
    url: str
    """Its report page's URL."""
    slug: str
    site_digest: str = ""
    """A digest of the summary and :attr:`digests`: all the site-wide outputs take from this
    report (``BuildCache.keep_site_outputs``)."""

    @property
    def summary(self) -> ReportSummary:
        """Its report page and counts, read from :attr:`summary_data` (a new object each time)."""
        with _gc_paused():
            summary: ReportSummary = pickle.loads(self.summary_data)
        return summary

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return _stored_report, (self.key, self.pages, self.summary_data, self.digests, self.file, self.sections,
                                self.url, self.slug, self.site_digest)


def _stored_report(*fields: Any) -> StoredReport:
    return StoredReport(*fields)


def part_digests(item: RenderedReport) -> tuple[tuple[str, str], ...]:
    """(part, SHA-256) of what the site-wide outputs take from a rendered report (the parts named
    by ``render.site``: ENTRY, JSON, LINK, OCCURRENCES, PAIRS, ROWS), for their input keys.
    Values are hashed by their ``repr``, which is deterministic for them."""
    page = item.summary.page
    return (("entry", digest_values(item.page)), ("json", digest_values(item.entry_json)),
            ("link", digest_values(page.slug, page.title, page.url)),
            ("occurrences", digest_values(tuple(item.occurrences))),
            ("pairs", digest_values(item.summary.counts, item.pair_rows)),
            ("rows", digest_values(item.rows_json, item.rows_csv)))


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No garbage collection while reading many long-lived objects (each collection would walk
    them all, for nothing: they hold no reference cycles)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _TermIds(tuple[str, ...]):
    """A page's ``glossary_terms`` kept as term ids (the glossary gives back the rest)."""


def _packed_page(page: dict[str, Any], glossary: Glossary | None) -> dict[str, Any]:
    """``page`` with its ``glossary_terms`` as term ids when the glossary rebuilds them exactly:
    every term's definition is most of a page's variables, so they are read much faster."""
    from builder.glossary.pages import term_entry

    terms = page.get("glossary_terms")
    if glossary is None or not terms or not all(isinstance(t, dict) for t in terms):
        return page
    ids = _TermIds(t.get("id") for t in terms)
    if not all(i in glossary.by_id for i in ids) or [term_entry(glossary.by_id[i]) for i in ids] != terms:
        return page
    return {**page, "glossary_terms": ids}


def store_parts(item: RenderedReport, key: str, pages: tuple[tuple[str, str], ...], folder: Path,
                glossary: Glossary | None) -> StoredReport:
    """Write a rendered report's parts into ``folder`` (``pages``: its staged pages' digests);
    return its index entry."""
    slug = str(item.summary.page.slug)
    sections = ((PAGE, pickle.dumps(_packed_page(item.page, glossary), PICKLE)), (ENTRY_JSON, item.entry_json),
                (OCCURRENCES, pickle.dumps(tuple(item.occurrences), PICKLE)),
                (PAIRS, pickle.dumps(tuple(item.pair_rows), PICKLE)),
                (ROWS_JSON, item.rows_json), (ROWS_CSV, item.rows_csv))
    name = f"{slug}-{key[:24]}.parts"
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{name}.{os.getpid()}.tmp"
    table, offset = [], 0
    with open(tmp, "wb") as handle:
        for part, data in sections:
            handle.write(data)
            table.append((part, offset, len(data)))
            offset += len(data)
    os.replace(tmp, folder / name)
    digests = part_digests(item)
    page = item.summary.page
    return StoredReport(key=key, pages=pages, summary_data=pickle.dumps(item.summary, PICKLE), digests=digests,
                        file=name, sections=tuple(table), url=page.url, slug=str(page.slug),
                        site_digest=digest_values(item.summary, digests))


class StoredParts:
    """Every report's parts for the site-wide outputs (``render.site.SiteParts``), read from the
    parts files, one report at a time, only when an output needs them."""

    def __init__(self, stored: Sequence[StoredReport], folder: Path, glossary: Glossary | None):
        self._stored = list(stored)
        self._folder = folder
        self._glossary = glossary
        self._summaries: list[ReportSummary] | None = None

    @property
    def summaries(self) -> list[ReportSummary]:
        """Every report's summary, read from the index entries when first asked for."""
        if self._summaries is None:
            with _gc_paused():
                self._summaries = [stored.summary for stored in self._stored]
        return self._summaries

    def _section(self, stored: StoredReport, part: str) -> bytes:
        _, offset, length = next(s for s in stored.sections if s[0] == part)
        try:
            with open(self._folder / stored.file, "rb") as handle:
                handle.seek(offset)
                data = handle.read(length)
        except OSError as error:
            data, reason = b"", error.strerror or str(error)
        else:
            reason = "truncated"
        if len(data) != length:
            raise SourceError(f"build cache damaged: {reason}", path=str(self._folder / stored.file),
                              hint="run `builder build --clean`")
        return data

    def pages(self) -> Sequence[dict[str, object]]:
        """Every report's page variables, each read from its parts file when it is asked for (the
        indicators page of a large site asks only how many there are)."""
        return _Pages(self, self._stored)

    def page(self, stored: StoredReport, shared: dict[str, dict[str, str]]) -> dict[str, object]:
        """One report's page variables (``shared``: one dict per glossary term for every page)."""
        from builder.glossary.pages import term_entry

        with _gc_paused():
            page: dict[str, object] = pickle.loads(self._section(stored, PAGE))
        ids = page.get("glossary_terms")
        if isinstance(ids, _TermIds):
            assert self._glossary is not None  # (only a page with a glossary was packed)
            by_id = self._glossary.by_id
            page["glossary_terms"] = [shared.get(i) or shared.setdefault(i, term_entry(by_id[i])) for i in ids]
        return page

    def entries_json(self) -> Iterator[bytes]:
        return self._raw(ENTRY_JSON)

    def occurrences(self) -> Iterator[tuple[str, Sequence[tuple[str, str]]]]:
        with _gc_paused():
            for stored in self._stored:
                yield stored.slug, pickle.loads(self._section(stored, OCCURRENCES))

    def pair_rows(self) -> Iterator[tuple[object, ...]]:
        with _gc_paused():
            for stored in self._stored:
                yield from pickle.loads(self._section(stored, PAIRS))

    def rows_json(self) -> Iterator[bytes]:
        return self._raw(ROWS_JSON)

    def rows_csv(self) -> Iterator[bytes]:
        return self._raw(ROWS_CSV)

    def _raw(self, part: str) -> Iterator[bytes]:
        for stored in self._stored:
            data = self._section(stored, part)
            if data:
                yield data


class _Pages(Sequence[dict[str, object]]):
    """:meth:`StoredParts.pages`: a sequence of every report's page variables, each read from
    its parts file when it is asked for, none kept."""

    def __init__(self, parts: StoredParts, stored: Sequence[StoredReport]):
        self._parts, self._stored = parts, stored
        self._shared: dict[str, dict[str, str]] = {}

    def __len__(self) -> int:
        return len(self._stored)

    @overload
    def __getitem__(self, index: int) -> dict[str, object]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, object]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, object] | list[dict[str, object]]:
        if isinstance(index, slice):
            return [self._parts.page(stored, self._shared) for stored in self._stored[index]]
        return self._parts.page(self._stored[index], self._shared)

    def __iter__(self) -> Iterator[dict[str, object]]:
        return (self._parts.page(stored, self._shared) for stored in self._stored)
