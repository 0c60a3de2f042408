"""``builder build``: ingest what changed, then render what changed into the output folder.

The order of a build: the pages to ingest and, when there are none, the no-op check (same site
key, output intact: nothing is parsed and nothing written); the glossary (a broken one fails
before anything is written); ingesting; the report files; rendering and writing
(``builder.build.scheduler``).  ``--clean`` ignores the cache: every page is ingested and
rendered again and the output folder swapped in whole.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from builder.build.cache import BuildCache, FileDigests, site_key
from builder.commands.ingest import IngestSummary, changed_pages, ingest_pages
from builder.core.config import Config, load_config
from builder.core.errors import InputError, SourceError
from builder.glossary.terms import Glossary, load_glossary
from builder.sitesrc import report_files
from builder.text import segment

Printer = Callable[[str], None]
#: (path, display name, bytes or None when not read, SHA-256) of a report file.
Content = tuple[Path, str, "bytes | None", str]


@dataclass
class BuildSummary:
    ingest: IngestSummary
    reports: int
    pages_written: int
    seconds: float


def run(config_path: Path | None, *, force: bool = False, clean: bool = False, jobs: int | None = None) -> None:
    """``builder build``: build the site, print one line about it."""
    config = load_config(config_path)
    summary = build_site(config, force=force, clean=clean, jobs=jobs)
    print(f"built {summary.reports} reports, {summary.pages_written} pages written to "
          f"{config.relative(config.output_dir)}/ in {summary.seconds:.2f} s"
          f" ({summary.ingest.pages} scraped pages ingested)")


def build_site(config: Config, *, force: bool = False, clean: bool = False, say: Printer = print,
               jobs: int | None = None, cache: BuildCache | None = None) -> BuildSummary:
    """Ingest what changed, then render what changed to the output folder (see the module
    docstring).  ``cache`` lets ``builder serve`` keep the cache in memory between builds."""
    started = time.perf_counter()
    segment.use_cache_dir(config.cache_dir)  # jieba's dictionary cache, should a stage load it
    if cache is None or clean:
        cache = BuildCache(config, jobs=jobs, fresh=clean)
    elif jobs is not None:
        cache.jobs = jobs
    changed = changed_pages(config, clean=clean, inputs=cache.inputs)
    contents: list[Content] | None = None
    if not changed and not clean:  # no page to ingest: the report files are what they are now
        contents = _report_contents(config, cache.inputs)
        key = _site_key(config, contents)
        if contents and cache.up_to_date(key):
            return BuildSummary(IngestSummary(), len(contents), 0, time.perf_counter() - started)
    glossary = cache.glossary(config.glossary_path, lambda: site_glossary(config))
    summary = ingest_pages(changed, config, force=force, say=say, jobs=cache.jobs) if changed else IngestSummary()
    if contents is None:  # after ingesting
        contents = _report_contents(config, cache.inputs)
        key = _site_key(config, contents)
    sources = [cache.report_file(path, display, data, digest) for path, display, data, digest in contents]
    cache.forget_files(display for _, display, _, _ in contents)
    del contents  # the files' bytes
    if not sources:
        raise InputError("no reports to build: add a scraped page to this folder, then run `builder build`",
                         path=config.relative(config.scraped_dir))
    # imported when needed: a no-op build never loads Jinja2 or markdown-it
    from builder.build.scheduler import build_output
    from builder.render.report import PageSettings

    result = build_output(sources, PageSettings.from_config(config, glossary), config.output_dir, cache=cache,
                          clean=clean, site_key=key)
    return BuildSummary(summary, len(sources), result.pages_written, time.perf_counter() - started)


def _site_key(config: Config, contents: list[Content]) -> str:
    """``cache.site_key`` over the report files :func:`_report_contents` read."""
    return site_key(config, [c[0] for c in contents], {c[0]: c[3] for c in contents})


def _report_contents(config: Config, inputs: FileDigests) -> list[Content]:
    """Every report Markdown file: read only when its digest is not known already (see
    ``cache.FileDigests``)."""
    out = []
    for path in report_files(config.reports_dir):
        try:
            data, digest = inputs.read(path)
        except OSError as exc:
            raise SourceError(f"cannot read report: {exc}", path=config.relative(path)) from None
        out.append((path, config.relative(path), data, digest))
    return out


def site_glossary(config: Config) -> Glossary | None:
    """The site's validated glossary (``paths.glossary``); None when the file does not exist."""
    if config.glossary_path is None:
        return None
    return load_glossary(config.glossary_path, config.relative(config.glossary_path))
