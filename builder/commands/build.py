"""``builder build``: ingest what changed, then render what changed into the output folder.

The order of a build: the pages to ingest and, when there are none, the no-op check (same site
key, output intact: nothing is parsed and nothing written); the glossary (a broken one fails
before anything is written); ingesting; the report files; rendering and writing
(``builder.build.scheduler``).  ``--clean`` ignores the cache: every page is ingested and
rendered again and the output folder swapped in whole.

Warnings: every input the build cannot use is one :class:`~builder.core.errors.Problem` and the
rest of the site is built: a scraped file, export row or document that cannot be ingested
(``commands.ingest``; kept with each page in the ingest state), and a report file that cannot be
read, whose front matter is broken or whose slug another file has (kept in the build manifest's
``notes`` with the reports that need review).  So a build that ingests and renders nothing
repeats the last build's warnings.  ``strict`` (``--strict``) makes them one error
(:class:`~builder.core.errors.StrictError`) raised before anything is written: the pages are
cut and the report files checked first, then the Markdown is written, then the output folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from builder.build.cache import BuildCache, BuildNotes, FileDigests, ReportSource, site_key
from builder.commands.ingest import (
    IngestSummary,
    changed_pages,
    fail_on_warnings,
    ingest_pages,
    page_files,
    page_warnings,
    warning_count,
)
from builder.core import timings as phase_timings
from builder.core.config import Config, load_config, with_site_url
from builder.core.errors import BuilderError, InputError, Problem, SourceError, counted
from builder.glossary.terms import Glossary, load_glossary
from builder.sitesrc import dump_report, is_hand_edited, read_report, report_files, validate_reports
from builder.text import segment

Printer = Callable[[str], None]
#: (path, display name, bytes or None when not read, SHA-256) of a report file.
Content = tuple[Path, str, "bytes | None", str]
#: How many reports needing review the summary names (``builder review`` lists them all).
REVIEW_SHOWN = 5
REVIEW_REASON_CHARS = 40


@dataclass
class BuildSummary:
    ingest: IngestSummary
    reports: int
    pages_written: int
    seconds: float
    warnings: list[Problem] = field(default_factory=list)
    """Every input the site could not use, this build's or (not ingested again) the last one's:
    the scraped files' by file and line, then the report files'."""
    review: list[tuple[str, str]] = field(default_factory=list)
    """(slug, reason) of each published report whose front matter has ``review:``."""


def run(config_path: Path | None, *, force: bool = False, clean: bool = False, jobs: int | None = None,
        strict: bool | None = None, site_url: str | None = None, timings: bool = False, search: bool = True) -> None:
    """``builder build``: build the site; print each warning, one line about the build, and the
    reports that need review.  ``strict`` (default: config ``strict``): warnings fail the build.
    ``site_url`` (``--site-url``): the address the site is published at, instead of config.yaml's.
    ``timings`` (``--timings``): print the seconds of each phase to stderr (``core.timings``).
    ``search`` (false: ``--no-search``): make the search index after the pages."""
    config = with_site_url(load_config(config_path), site_url)
    strict = config.strict if strict is None else strict
    if strict and search:  # before anything is written: a site that cannot be indexed leaves the output as it was
        from builder.build.search_index import SEARCH_DIR, check_pagefind

        check_pagefind(config.relative(config.output_dir / SEARCH_DIR))
    summary = build_site(config, force=force, clean=clean, jobs=jobs, strict=strict)
    if search:  # (imported only then: --no-search, while editing, spares its imports)
        from builder.build.search_index import update_search_index

        index = update_search_index(config, strict=strict)  # after the pages: Pagefind reads them
        phase_timings.add({"search": index.seconds})  # Pagefind is another program: its wall-clock
        if index.problem is not None:
            summary.warnings.append(index.problem)
    if timings:
        print(phase_timings.line(), file=sys.stderr)
    print_warnings(summary.warnings)
    print(f"built {counted(summary.reports, 'report')}, {counted(summary.pages_written, 'page')} written to "
          f"{config.relative(config.output_dir)}/ in {summary.seconds:.2f} s"
          f" ({counted(summary.ingest.pages, 'scraped page')} ingested){warning_count(summary.warnings)}")
    if summary.review:
        print(review_line(summary.review))


REFRESH = "run `builder build` and commit site_src/reports/"


class StaleReportsError(BuilderError):
    """``builder build --check``: committed report Markdown differs from what the build would write."""

    def __init__(self, stale: Sequence[str]):
        self.stale = tuple(stale)
        super().__init__(f"{len(self.stale)} stale report file(s); {REFRESH}")

    def lines(self) -> list[str]:
        """One line per stale report file."""
        return [f"error: {line}" for line in self.stale]


def run_check(config_path: Path | None) -> None:
    """``builder build --check``: raise :class:`StaleReportsError` when the report Markdown on disk
    is not what ingesting the scraped pages would write (hand-edited files are fine); write nothing."""
    config = load_config(config_path)
    stale = stale_reports(config)
    if stale:
        raise StaleReportsError(stale)
    print(f"{config.relative(config.reports_dir)}/ is up to date with {config.relative(config.scraped_dir)}/")


def stale_reports(config: Config) -> list[str]:
    """One line for each report file the build would create, rewrite or remove: files nobody
    edited by hand that are missing, differ from the fresh Markdown, or that their page no longer
    yields.  Nothing is written (not even the cache)."""
    from builder import __version__
    from builder.commands.ingest import cut_page

    # jieba's dictionary cache: the site's cache when there is one, else the temporary folder
    segment.use_cache_dir(config.cache_dir if config.cache_dir.is_dir() else Path(tempfile.gettempdir()))
    existing: dict[str, str] = {}  # slug -> the page its file names
    edited: dict[str, bool] = {}
    for path in report_files(config.reports_dir):
        try:
            file = read_report(path, config.relative(path))
        except SourceError:
            existing[path.stem], edited[path.stem] = "", True  # broken: edited by hand
            continue
        existing[path.stem] = str(file.meta.get("source_file") or "")
        edited[path.stem] = is_hand_edited(file)
    lines: list[str] = []
    pages = page_files(config)
    produced: set[str] = set()
    for page in pages:
        display = config.relative(page)
        taken = {slug for slug, source in existing.items() if source != display} | produced
        for report, markdown in cut_page(page, config, taken).reports:
            produced.add(report.slug)
            path = config.reports_dir / f"{report.slug}.md"
            shown = config.relative(path)
            fresh = (markdown if markdown is not None else dump_report(report, __version__)).encode("utf-8")
            if report.slug not in existing:
                lines.append(f"{shown}: missing (the build would create it from {display}); {REFRESH}")
            elif not edited[report.slug] and path.read_bytes() != fresh:
                lines.append(f"{shown}: stale (the build would write it differently from {display}); {REFRESH}")
    displays = {config.relative(page) for page in pages}
    for slug, source in sorted(existing.items()):
        if slug not in produced and source in displays and not edited[slug]:
            shown = config.relative(config.reports_dir / f"{slug}.md")
            lines.append(f"{shown}: stale ({source} no longer yields this report); {REFRESH}")
    return lines


def print_warnings(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)


def review_line(review: Sequence[tuple[str, str]]) -> str:
    """``review: 2 reports need a look: slug (reason); … (builder review shows why)``, short."""
    def reason(text: str) -> str:
        text = " ".join(text.split())
        return text if len(text) <= REVIEW_REASON_CHARS else text[:REVIEW_REASON_CHARS - 1] + "…"

    shown = "; ".join(f"{slug} ({reason(why)})" for slug, why in review[:REVIEW_SHOWN])
    more = f"; and {len(review) - REVIEW_SHOWN} more" if len(review) > REVIEW_SHOWN else ""
    count = f"{len(review)} report{'s' if len(review) != 1 else ''} need{'s' if len(review) == 1 else ''}"
    return f"review: {count} a look: {shown}{more} (`builder review` shows the evidence)"


def build_site(config: Config, *, force: bool = False, clean: bool = False, say: Printer = print,
               jobs: int | None = None, cache: BuildCache | None = None, strict: bool = False,
               broken_reports: str = "warn", stale_pdfs: str = "warn",
               changed_files: Collection[str] | None = None) -> BuildSummary:
    """Ingest what changed, then render what changed to the output folder (see the module
    docstring).  ``cache`` lets ``builder serve`` keep the cache in memory between builds.
    ``strict``: any warning raises ``StrictError`` before anything is written.
    ``broken_reports``: "warn" (a broken report file is a warning) or "fail" (its error is raised:
    ``builder serve`` shows it on the error page while the file is being edited).
    ``stale_pdfs``: a PDF older than its report file is removed (its page no longer links it) with
    a warning ("warn"), or without one ("remove": ``builder pdf``, which prints it again).
    ``changed_files`` (``builder serve``, with the ``cache`` of its last build): every input file
    that changed since that build, as its watcher saw them.  When they are all report files that
    exist, no other input is looked at: no scraped page is checked, and only these report files
    are read (see :func:`_edited_reports`); otherwise the build looks at every file."""
    started = time.perf_counter()
    phase_timings.reset()
    config.check_cache_dir()
    segment.use_cache_dir(config.cache_dir)  # jieba's dictionary cache, should a stage load it
    if cache is None or clean:
        cache = BuildCache(config, jobs=jobs, fresh=clean)
    elif jobs is not None:
        cache.jobs = jobs
    untouched = f"{config.relative(config.output_dir)}/ and {config.relative(config.reports_dir)}/"
    fail = fail_on_warnings(untouched) if strict else None
    edited = None if clean or force else _edited_reports(config, cache, changed_files)
    cache.trust_outputs = edited is not None  # the output is as the last build of this cache left it
    # --force: every page is ingested again, so that each hand-edited report is replaced (after a backup)
    pages = None if edited is not None else page_files(config)
    changed = [] if pages is None else changed_pages(config, clean=clean or force, inputs=cache.inputs, pages=pages)
    contents: list[Content] | None = None
    unreadable: list[Problem] = []
    if not changed and not clean:  # no page to ingest: the report files are what they are now
        contents, unreadable = _report_contents(config, cache.inputs, edited, cache.last_reports)
        cache.last_reports = {content[0]: content[1] for content in contents}
        key = _site_key(config, contents)
        if contents and cache.up_to_date(key):  # the last build's warnings and review, repeated
            notes = cache.notes
            warnings = [*_in_order(_page_warnings(config, cache, pages)), *notes.warnings]
            if fail is not None:
                fail(warnings)
            return BuildSummary(IngestSummary(), notes.reports, 0, time.perf_counter() - started,
                                warnings, list(notes.review))
    glossary = cache.glossary(config.glossary_path, lambda: site_glossary(config))
    summary = IngestSummary()
    if changed:
        check = None
        if fail is not None:
            def check(fresh: Sequence[Problem]) -> None:
                """--strict: the cut pages' warnings, the other pages' and the report files' as
                they are now, before any Markdown is written."""
                pending = set(changed)
                unchanged = [page for page in page_files(config) if page not in pending]
                now, problems = _report_contents(config, cache.inputs)
                _, broken = _usable_reports(cache, now, fail=False)
                fail(_in_order([*fresh, *page_warnings(config, unchanged)]) + problems + broken)
        summary = ingest_pages(changed, config, force=force, say=say, jobs=cache.jobs, check=check)
        contents = None
    if contents is None:  # after ingesting (each new file is read again when it is parsed: not all held at once)
        contents, unreadable = _report_contents(config, cache.inputs, keep=False)
        key = _site_key(config, contents)
    cache.last_reports = {content[0]: content[1] for content in contents}
    sources, broken = _usable_reports(cache, contents, fail=broken_reports == "fail")
    cache.forget_files(source.path for source in sources)
    del contents  # the files' bytes
    file_warnings = unreadable + broken
    from builder.build import output

    stale = output.stale_pdfs(config.output_dir, {str(s.meta["slug"]): config.root / s.path for s in sources}) \
        if output.existing_pdfs(config.output_dir) else {}
    pdf_warnings = [Problem(config.relative(pdf), "pdf out of date (its report changed after it was printed): "
                                                  "removed from the site; run `builder pdf`")
                    for pdf in stale.values()] if stale_pdfs == "warn" else []
    warnings = _in_order(_page_warnings(config, cache, pages)) + file_warnings + pdf_warnings
    if fail is not None:
        fail(warnings)
    if not sources:
        error = InputError("no reports to build: add a scraped page to this folder, then run `builder build`",
                           path=config.relative(config.scraped_dir))
        error.warnings = tuple(warnings)
        raise error
    review = [(str(source.meta["slug"]), str(source.meta.get("review") or "")) for source in sources
              if source.meta.get("review")]
    cache.next_notes = BuildNotes(len(sources), tuple(file_warnings), tuple(sorted(review)))
    output.remove_pdfs(stale.values())
    # imported when needed: a no-op build never loads Jinja2 or markdown-it
    from builder.build.scheduler import build_output
    from builder.render.report import PageSettings

    result = build_output(sources, PageSettings.from_config(config, glossary), config.output_dir, cache=cache,
                          clean=clean, site_key=key, checked=True)
    return BuildSummary(summary, len(sources), result.pages_written, time.perf_counter() - started,
                        warnings, sorted(review))


def _in_order(problems: Sequence[Problem]) -> list[Problem]:
    """Warnings by file, then line (the whole file's first)."""
    return sorted(problems, key=lambda problem: (problem.path, problem.line or 0))


def _site_key(config: Config, contents: list[Content]) -> str:
    """``cache.site_key`` over the report files :func:`_report_contents` read."""
    return site_key(config, [c[0] for c in contents], {c[0]: c[3] for c in contents})


def _edited_reports(config: Config, cache: BuildCache, changed: Collection[str] | None) -> set[Path] | None:
    """The report files of ``changed`` (what changed since this cache's last build) when it names
    nothing else, every one of them exists and the cache knows the last build's report files;
    None when the build must look at every input (a scraped page, a template, the glossary or
    config.yaml changed, a report file was deleted, the output folder is gone, or there was no last
    build)."""
    if changed is None or cache.last_reports is None or cache.last_page_warnings is None \
            or not config.output_dir.is_dir():
        return None
    folder = os.path.normpath(config.reports_dir)
    edited: set[Path] = set()
    for name in changed:
        path = os.path.normpath(name)
        head, base = os.path.split(path)
        if head != folder or not base.endswith(".md") or base.startswith(".") or not os.path.isfile(path):
            return None
        edited.add(config.reports_dir / base)  # as report_files names it
    return edited


def _page_warnings(config: Config, cache: BuildCache, pages: Sequence[Path] | None) -> list[Problem]:
    """The scraped pages' warnings (kept with the ingest state): of ``pages`` (this build's
    :func:`page_files`), or the last build's when this build did not look at the pages (None: only
    report files changed since)."""
    if pages is not None or cache.last_page_warnings is None:
        cache.last_page_warnings = page_warnings(config, pages if pages is not None else page_files(config))
    return list(cache.last_page_warnings)


def _report_contents(config: Config, inputs: FileDigests, edited: set[Path] | None = None,
                     last: Mapping[Path, str] | None = None, *,
                     keep: bool = True) -> tuple[list[Content], list[Problem]]:
    """Every report Markdown file: read only when its digest is not known already (see
    ``cache.FileDigests``); a warning for each file that cannot be read.  ``edited`` (with
    ``last``, the report files of the last build and their names): only these files changed
    since, so the others are the last build's and are taken as they were, without looking at them.
    ``keep``: keep the bytes of the files that had to be read (false after an ingest, which wrote
    them all: each is read again as it is parsed, instead of holding every file at once)."""
    out, problems = [], []
    fast = edited is not None and last is not None
    paths = report_files(config.reports_dir) if last is None or edited is None \
        else list(last) if edited <= last.keys() else sorted({*last, *edited})
    names = last if last is not None else {}
    for path in paths:
        display = names.get(path) or config.relative(path)
        try:
            data, digest = inputs.read(path, keep=keep, trust=fast and path not in edited)  # type: ignore[operator]
        except OSError as exc:
            problems.append(Problem(display, f"cannot read report: {exc.strerror or exc}"))
            continue
        out.append((path, display, data, digest))
    return out, problems


def _usable_reports(cache: BuildCache, contents: Sequence[Content], *,
                    fail: bool) -> tuple[list[ReportSource], list[Problem]]:
    """The report files the site can publish, and a warning for each of the others: a front matter
    that does not parse or lacks what the site needs (``sitesrc.validate_reports``), a slug an
    earlier file has.  ``fail``: raise the first problem instead."""
    sources: list[ReportSource] = []
    problems: list[Problem] = []
    slugs: dict[str, str] = {}
    for path, display, data, digest in contents:
        try:
            source = cache.report_file(path, display, data, digest)
            if (display, digest) not in cache.checked_reports:
                validate_reports([source])
                cache.checked_reports.add((display, digest))
            slug = str(source.meta["slug"])
            if slug in slugs:
                raise SourceError(f"duplicate slug {slug!r}, also used by {slugs[slug]}", path=display)
        except SourceError as error:
            if fail:
                raise
            problem = Problem.of(error)
            problems.append(Problem(problem.path or display, f"{problem.message}; not published", problem.line))
            continue
        slugs[slug] = display
        sources.append(source)
    return sources, problems


def site_glossary(config: Config) -> Glossary | None:
    """The site's validated glossary (``paths.glossary``); None when the file does not exist."""
    if config.glossary_path is None:
        return None
    return load_glossary(config.glossary_path, config.relative(config.glossary_path))
