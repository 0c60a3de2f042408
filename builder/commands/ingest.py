"""``builder ingest PAGE…`` (and the first stage of ``builder build``): scraped pages -> report Markdown.

Each page is read, cleaned, split into reports and structured (``builder.ingest``), every
report's text is checked to reach its Markdown, and one file per report is written to
``site_src/reports/`` with the hand-edit guard (``builder.sitesrc``).  ``ingest-state.json`` in
the cache folder remembers what each page yielded, so a build ingests only the pages that changed
(:func:`changed_pages`) and removes the reports a page no longer yields.

One bad input never sinks the others: a file that cannot be read (empty, binary, undecodable, an
export without a text column), an export row that cannot be read, and a document that fails to
cut (no text left, a sentence lost) each become one warning (``core.errors.Problem``) naming the
file and, for exports, the line of the row; every other document is ingested.  The state keeps
each page's warnings with its digest, so a build that ingests nothing repeats them
(:func:`page_warnings`).  With ``check`` (``--strict``) every page is cut before anything is
written, and ``check`` sees all the warnings first: it raises to stop the ingest.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from builder import __version__
from builder.core import parallel, timings
from builder.core.config import Config, load_config
from builder.core.errors import (
    BuilderError,
    InputError,
    OutputError,
    Problem,
    SourceError,
    StrictError,
    TextLossError,
    counted,
)
from builder.core.hashing import builder_fingerprint, sha256
from builder.core.model import CleanedDocument, RemovedLine, Report, ReportDraft, SourceDocument
from builder.sitesrc import (
    dump_report,
    is_hand_edited,
    read_report,
    report_files,
    write_report,
)
from builder.text import segment

if TYPE_CHECKING:  # pragma: no cover
    from builder.build.cache import FileDigests

STATE_FILE = "ingest-state.json"
Printer = Callable[[str], None]
#: Formats whose documents are records of an export, named in messages by their row or record number.
_RECORD_UNITS = {"csv": "row", "json": "record", "jsonl": "record"}


@dataclass
class WrittenReport:
    """One report file an ingest wrote (or kept): its path, its report's slug (not the report:
    an ingest of 10,000 pages would hold every report's text), what was done."""

    path: Path
    slug: str
    status: str
    backup: Path | None = None


@dataclass
class IngestSummary:
    pages: int = 0
    skipped: int = 0
    written: list[WrittenReport] = field(default_factory=list)
    kept_edited: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    """One per input of the ingested pages that could not be used, in page and line order."""


@dataclass
class PageCut:
    """What cutting one scraped file gave: its reports with their Markdown, and its warnings."""

    page: Path
    display: str
    reports: list[tuple[Report, str | None]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def run(config_path: Path | None, pages: Sequence[Path], *, force: bool = False, strict: bool | None = None) -> None:
    """``builder ingest``: ingest the given pages, print what was written and one line per warning
    (``strict``: a warning fails the command and nothing is written; default: config ``strict``)."""
    config = load_config(config_path)
    strict = config.strict if strict is None else strict
    started = time.perf_counter()
    for page in pages:
        if page.is_dir():
            raise BuilderError("is a folder, not a page", path=str(page),
                               hint="`builder ingest` takes page files; `builder build` ingests every page "
                                    "of paths.scraped")
        if not page.is_file():
            raise BuilderError("no such file", path=str(page))
    config.check_cache_dir()
    segment.use_cache_dir(config.cache_dir)
    check = fail_on_warnings(f"{config.relative(config.reports_dir)}/") if strict else None
    summary = ingest_pages(pages, config, force=force, check=check)
    for problem in summary.warnings:
        print(f"warning: {problem}", file=sys.stderr)
    changed = sum(1 for w in summary.written if w.status in ("created", "updated", "forced"))
    print(f"ingested {counted(summary.pages, 'page')}: {counted(len(summary.written), 'report')}, "
          f"{counted(changed, 'file')} written "
          f"in {time.perf_counter() - started:.2f} s{warning_count(summary.warnings)}")


def fail_on_warnings(untouched: str) -> Callable[[Sequence[Problem]], None]:
    """A ``check`` for :func:`ingest_pages` that raises ``StrictError`` when there is any warning."""
    def check(problems: Sequence[Problem]) -> None:
        if problems:
            raise StrictError(problems, untouched=untouched)

    return check


def warning_count(problems: Sequence[Problem]) -> str:
    """", 3 warnings" for a summary line ("" when there is none)."""
    return f", {counted(len(problems), 'warning')}" if problems else ""


def page_files(config: Config) -> list[Path]:
    """The scraped pages of a site: every visible file in scraped_dir and its visible subfolders,
    sorted by path."""
    if not config.scraped_dir.is_dir():
        raise InputError("folder of scraped pages not found", path=config.relative(config.scraped_dir))
    pages: list[Path] = []
    folders = [str(config.scraped_dir)]
    while folders:  # os.walk's files (no link to a folder followed), without a stat per file
        try:
            entries = list(os.scandir(folders.pop()))
        except OSError:  # (os.walk skips a folder it cannot list)
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                folders.append(entry.path)
            elif entry.is_file():  # a link to a file too; a link to a folder is neither
                pages.append(Path(entry.path))
    return sorted(pages, key=lambda page: page.parts)


# ---------------------------------------------------------------- ingest


def reports_from_page(path: Path, config: Config, taken: set[str]) -> list[Report]:
    """Read, clean, split and structure one scraped page (no writing); strict: the first problem
    of the page is raised (``InputError``, ``TextLossError``)."""
    return [report for report, _ in _cut_reports(path, config, taken)]


def _cut_reports(path: Path, config: Config, taken: set[str]) -> list[tuple[Report, str]]:
    """``reports_from_page`` with each report's Markdown, dumped once for the check and the write."""
    from builder.ingest.read import read_source  # imported when needed (see _cut_document)

    display = config.relative(path)
    reports: list[tuple[Report, str]] = []
    for document in read_source(path, display):
        reports += _cut_document(document, config, taken, display)
    return reports


def cut_page(path: Path, config: Config, taken: set[str]) -> PageCut:
    """Read, clean, split and structure one scraped file (no writing), never failing for bad input:
    the documents that cut well, and one warning per file, record or document that did not."""
    from builder.ingest.read import read_documents

    display = config.relative(path)
    cut = PageCut(path, display)
    try:
        read = read_documents(path, display)
    except Exception as error:  # a bug in the reader: the warning still names the file
        cut.warnings.append(Problem(display, _internal_error(error)))
        return cut
    cut.warnings += read.problems
    for document in read.documents:
        mine = set(taken)  # the slugs this document takes count only if it is cut
        try:
            cut.reports += _cut_document(document, config, mine, display)
        except BuilderError as error:
            cut.warnings.append(_document_problem(document, display, Problem.of(error).message, error.line))
            continue
        except Exception as error:  # a bug while cutting one document: the others are still cut
            cut.warnings.append(_document_problem(document, display, _internal_error(error), None))
            continue
        taken |= mine
    cut.warnings.sort(key=lambda problem: problem.line or 0)
    return cut


def _cut_document(document: SourceDocument, config: Config, taken: set[str], display: str) -> list[tuple[Report, str]]:
    """One read document -> its reports, each with its Markdown (the slugs they take are added to ``taken``)."""
    # the cutting stages are imported when needed: a build that ingests no page never loads them
    from builder.ingest.clean import clean_document
    from builder.ingest.split import make_slug, split_document
    from builder.ingest.structure import structure_report

    cleaned = clean_document(document, config.extra_patterns)
    drafts = split_document(cleaned)
    reports = []
    for draft, log in zip(drafts, _cleaning_logs(cleaned, drafts), strict=True):
        slug = make_slug(draft.attribution, taken)
        taken.add(slug)
        report = structure_report(draft, slug, _provenance(cleaned), log)
        reports.append((report, _check_report_keeps_text(draft, report, display)))
    return reports


def _document_problem(document: SourceDocument, display: str, message: str, line: int | None) -> Problem:
    """The warning for a document that failed to cut: for an export's record, named by its row or
    record number at the line of the file where it stands (``line``: a line of the document)."""
    unit = _RECORD_UNITS.get(document.format)
    if unit is None:
        return Problem(display, message, line)
    at = document.start_line + line - 1 if line and document.format == "csv" else document.start_line
    return Problem(display, f"{unit} {document.index}: {message}", at)


def _internal_error(error: Exception) -> str:
    return (f"internal error while ingesting ({type(error).__name__}: {error}); "
            "this is a bug in builder, please report it")


def _provenance(cleaned: CleanedDocument) -> dict[str, str]:
    provenance = dict(cleaned.provenance)
    provenance["source_file"] = recorded_source(cleaned.source.path)
    provenance["source_sha256"] = cleaned.source.sha256
    return provenance


def recorded_source(display: str) -> str:
    """A page's name as its reports record it (``source_file``, shown on the page as 来源文件):
    its path relative to the site folder, or only its file name for a page outside the site,
    never an absolute path (which would publish the local folders)."""
    if os.path.isabs(display) or display.split(os.sep, 1)[0] == "..":
        return os.path.basename(display)
    return display


def _cleaning_logs(cleaned: CleanedDocument, drafts: Sequence[ReportDraft]) -> list[tuple[RemovedLine, ...]]:
    """Give each removed line to the report whose lines surround it (head chrome to the first)."""
    starts = [min(line.number for line in _draft_lines(d)) for d in drafts]
    logs: list[list[RemovedLine]] = [[] for _ in drafts]
    for removed in cleaned.removed:
        index = 0
        for i, start in enumerate(starts):
            if start <= removed.number:
                index = i
        logs[index].append(removed)
    return [tuple(log) for log in logs]


def _draft_lines(draft: ReportDraft):
    return (*draft.title_lines, *draft.preamble, *draft.body)


def _check_report_keeps_text(draft: ReportDraft, report: Report, display: str) -> str:
    """Every sentence of the cut-out report must reach its model (title, preamble, headings and
    paragraphs), checked on the model itself: the Markdown is not parsed again here.  That the
    Markdown reads back as the model is ``sitesrc``'s round trip (tested), and that every sentence
    of the Markdown reaches the page is checked when it is rendered (``render.textloss``).

    Returns the report's Markdown (what ``write_report`` writes, so it is not dumped twice)."""
    from builder.ingest.textcheck import missing_sentences

    kept = [report.title, *report.preamble, *(s.title for s in report.all_sections()),
            *(p.text for p in report.all_paragraphs())]
    source = [line.text for line in (*draft.preamble, *draft.body)]
    lost = missing_sentences(source, kept)
    if lost:
        number = next((line.number for line in _draft_lines(draft) if lost[0] in line.text), None)
        raise TextLossError(f"sentence lost while structuring “{lost[0][:40]}”", path=display, line=number)
    return dump_report(report, __version__)


class _PageCutter:
    """``cut_page`` of one page with the site's config (what the ingest workers run).  Whatever
    goes wrong comes back as a warning naming the page, never as a worker's traceback."""

    def __init__(self, config: Config):
        self.config = config

    def __call__(self, task: tuple[Path, set[str]]) -> PageCut:
        page, taken = task
        try:
            with timings.phase("ingest"):
                return cut_page(page, self.config, taken)
        except Exception as error:
            return PageCut(page, self.config.relative(page), warnings=[
                Problem(self.config.relative(page), _internal_error(error))])


def _cut_pages(pages: Sequence[Path], config: Config, taken_for: Callable[[Path], set[str]],
               jobs: int) -> Generator[PageCut, None, None]:
    """Each page cut, in order: in a process pool with ``jobs`` > 1 and many pages (results in
    order as they come, so each page's reports can be written, then dropped).  Closing the
    iterator stops the pool."""
    if parallel.worth_a_pool(jobs, len(pages)):
        _warm_ingest()
        yield from parallel.imap_ordered(_PageCutter(config), [(page, taken_for(page)) for page in pages], jobs)
    else:
        for page in pages:
            yield _PageCutter(config)((page, taken_for(page)))


def ingest_pages(pages: Iterable[Path], config: Config, *, force: bool = False, say: Printer = print,
                 jobs: int = 1, check: Callable[[Sequence[Problem]], None] | None = None) -> IngestSummary:
    """Ingest the given pages: write one Markdown file per report, guarding hand edits; every
    input that cannot be used is a warning (``IngestSummary.warnings``), not an error.

    Each page is cut knowing only the slugs of reports already on disk from other pages, so
    pages are independent: with ``jobs`` > 1 and many pages they are cut in a process pool,
    then written in order, exactly as a serial run would.  ``check`` (``--strict``): every page
    is cut first, then ``check`` is given all their warnings before anything is written (it
    raises to stop: no file and no state is written).
    """
    summary = IngestSummary()
    existing = _existing_reports(config)
    by_source: dict[str, set[str]] = {}  # source_file -> its slugs in ``existing`` (so each page looks up its own)
    for slug, source in existing.items():
        by_source.setdefault(source, set()).add(slug)
    state = _load_state(config)
    pages = list(pages)

    def taken_for(page: Path) -> set[str]:
        display = recorded_source(config.relative(page))
        return {slug for slug, source in existing.items() if source != display}

    cuts = _cut_pages(pages, config, taken_for, jobs)
    try:
        results: Iterable[PageCut] = cuts
        if check is not None:
            results = list(cuts)
            check([problem for cut in results for problem in cut.warnings])
        for number, cut in enumerate(results, 1):
            _progress(number, len(pages), "ingest")
            summary.pages += 1
            summary.warnings += cut.warnings
            reports = _claim_slugs(cut.reports, recorded_source(cut.display), existing)
            for report, markdown in reports:
                summary.written.append(_write(report, config, force, summary, say, markdown))
            produced = {r.slug for r, _ in reports}
            summary.removed += _drop_stale(cut.display, produced, sorted(by_source.get(cut.display, ())), config, say)
            for slug in produced:
                by_source.get(existing.get(slug, cut.display), set()).discard(slug)
                by_source.setdefault(cut.display, set()).add(slug)
            existing.update(dict.fromkeys(produced, cut.display))
            state[cut.display] = {"sha256": _sha256(cut.page), "builder": builder_fingerprint(),
                                  "reports": sorted(produced),
                                  "warnings": [problem.to_json() for problem in cut.warnings]}
    finally:
        cuts.close()  # stops the pool when writing a page failed
    _save_state(config, state)
    return summary


def _claim_slugs(reports: list, display: str, claimed: dict[str, str]) -> list:
    """Give a report a free slug when another page already claimed its own in this run.

    Pages are cut independently (possibly in parallel), each knowing only the slugs on disk,
    so two new pages can propose the same slug; the later page's report then takes the next
    free ``-2``, ``-3``… (as make_slug would have), and its Markdown is dumped again.
    """
    mine = {report.slug for report, _ in reports}

    def free(slug: str) -> bool:
        return claimed.get(slug, display) == display and slug not in mine

    out = []
    for report, markdown in reports:
        if claimed.get(report.slug, display) == display:
            out.append((report, markdown))
            continue
        number = 2
        while not free(f"{report.slug}-{number}"):
            number += 1
        renamed = replace(report, slug=f"{report.slug}-{number}")
        mine.add(renamed.slug)
        out.append((renamed, None))
    return out


def _warm_ingest() -> None:
    """Load what cutting a page needs once, before forking workers: the stages' modules and
    the reader (not BeautifulSoup, which only HTML pages load), the gazetteer and its indexes,
    the segmenter's dictionary and the slugs' pinyin table."""
    from builder.ingest import clean, read, split, structure, textcheck  # noqa: F401 - loaded for the workers
    from builder.text import places
    from builder.text.segment import cut

    places._indexes(), places._name_starts(), places._names(), places._short_tags(), places._pinyin_table()
    cut("江苏省苏州市")


def _write(report: Report, config: Config, force: bool, summary: IngestSummary, say: Printer,
           markdown: str | None = None) -> WrittenReport:
    path = config.reports_dir / f"{report.slug}.md"
    with timings.phase("write"):
        config.reports_dir.mkdir(parents=True, exist_ok=True)
        outcome = write_report(path, report, __version__, force=force, fresh=markdown)
    written = WrittenReport(path, report.slug, outcome.status, outcome.backup)
    paragraphs = len(report.all_paragraphs())
    shown = config.relative(path)
    say(f"{shown}\t{report.title}\t{report.issuer}\t{report.year or '?'}\t{paragraphs} paragraphs\t[{outcome.status}]")
    if outcome.status == "kept-edited":
        summary.kept_edited.append(path)
        say(f"  kept your edits in {shown}; the page's fresh version was not written (use --force to "
            f"replace it, keeping a backup)")
    elif outcome.status == "forced" and outcome.backup:
        say(f"  your edited version is kept as {config.relative(outcome.backup)}")
    return written


def _drop_stale(display: str, produced: set[str], known: Sequence[str], config: Config,
                say: Printer) -> list[Path]:
    """Remove reports this page no longer yields (``known``: the slugs of the reports it yielded
    before, in order), unless someone edited them."""
    removed = []
    for slug in known:
        if slug in produced:
            continue
        path = config.reports_dir / f"{slug}.md"
        try:
            edited = is_hand_edited(read_report(path, config.relative(path)))
        except SourceError:  # a broken file was edited by hand
            edited = True
        if edited:
            say(f"  {config.relative(path)}: {display} no longer yields this report; kept because it was edited")
            continue
        path.unlink()
        removed.append(path)
        say(f"  {config.relative(path)}: removed ({display} no longer yields this report)")
    return removed


def _existing_reports(config: Config) -> dict[str, str]:
    """slug -> source_file of every report Markdown already in site_src/reports/."""
    out: dict[str, str] = {}
    for path in report_files(config.reports_dir):
        try:
            out[path.stem] = str(read_report(path, config.relative(path)).meta.get("source_file") or "")
        except SourceError:  # a broken file (the build warns about it): its page as the file names it
            out[path.stem] = _source_file_line(path)
    return out


_SOURCE_FILE_LINE = re.compile(r"^source_file:[ \t]*['\"]?(.*?)['\"]?[ \t]*$", re.MULTILINE)


def _source_file_line(path: Path) -> str:
    """The ``source_file:`` line of a report file whose front matter does not parse ("" when none)."""
    try:
        found = _SOURCE_FILE_LINE.search(path.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return ""
    return found.group(1) if found else ""


# ---------------------------------------------------------------- state (what was ingested from what)


def _state_path(config: Config) -> Path:
    return config.cache_dir / STATE_FILE


def _load_state(config: Config) -> dict:
    """The ingest state (a copy of its top level: the caller may set a page's entry); read and
    parsed again only when the file changed since this process last read it."""
    path = _state_path(config)
    try:
        st = path.stat()
        stamp = (str(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
        if _STATE_READ.stamp != stamp:
            _STATE_READ.stamp, _STATE_READ.state = None, json.loads(path.read_text(encoding="utf-8"))
            _STATE_READ.stamp = stamp
    except (OSError, ValueError):
        return {}
    return dict(_STATE_READ.state) if isinstance(_STATE_READ.state, dict) else {}


class _StateRead:
    """The last ingest state this process read, with the stat it was read at (a build reads it twice)."""

    stamp: tuple[object, ...] | None = None
    state: object = None


_STATE_READ = _StateRead()


def _save_state(config: Config, state: dict) -> None:
    path = _state_path(config)
    tmp = path.with_suffix(".tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
        os.replace(tmp, path)
    except OSError as error:
        raise OutputError(f"cannot save the ingest state: {error.strerror or error}",
                          path=config.relative(path)) from None


def _sha256(path: Path) -> str:
    """The SHA-256 of a page's bytes; "" when it cannot be read (it is then read again next time)."""
    try:
        return sha256(path.read_bytes())
    except OSError:
        return ""


def page_warnings(config: Config, pages: Iterable[Path]) -> list[Problem]:
    """The warnings of the given pages when they were last ingested (kept in the ingest state), in order."""
    state = _load_state(config)
    out: list[Problem] = []
    for page in pages:
        entry = state.get(config.relative(page))
        for value in (entry.get("warnings") or []) if isinstance(entry, dict) else []:
            problem = Problem.from_json(value)
            if problem is not None:
                out.append(problem)
    return out


def changed_pages(config: Config, *, clean: bool = False, inputs: FileDigests | None = None,
                  pages: Sequence[Path] | None = None) -> list[Path]:
    """Pages whose bytes (or the builder) changed since they were last ingested, or whose reports are gone.
    ``inputs``: the build cache's digests of input files (else every page is hashed).  ``pages``:
    :func:`page_files`, when the caller has them."""
    pages = list(pages) if pages is not None else page_files(config)
    if clean:
        return pages
    state = _load_state(config)
    digest = inputs.digest if inputs is not None else _sha256
    present = _existing_names(config.reports_dir)
    changed = []
    for page in pages:
        entry = state.get(config.relative(page)) or {}
        try:
            known = bool(entry) and entry.get("sha256") == digest(page)
        except OSError:  # unreadable: ingesting it says so
            known = False
        if not known or entry.get("builder") != builder_fingerprint():
            changed.append(page)
        elif any(f"{slug}.md" not in present for slug in entry.get("reports", [])):
            changed.append(page)  # one of its reports is gone
    return changed


def _existing_names(folder: Path) -> set[str]:
    """The names in ``folder`` that exist (as ``Path.exists`` says: a link to nothing does not),
    from one listing of the folder instead of a look per name."""
    try:
        with os.scandir(folder) as entries:
            return {entry.name for entry in entries if not entry.is_symlink() or os.path.exists(entry.path)}
    except OSError:
        return set()


def _progress(done: int, total: int, label: str) -> None:
    """A one-line progress bar on a terminal, for long work only."""
    if total < 10 or not sys.stderr.isatty():
        return
    width = 30
    filled = width * done // total
    sys.stderr.write(f"\r{label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()
