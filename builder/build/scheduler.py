"""A build of the output folder: which pages to render, where, and what to write.

:func:`build_output` orders the render stage.  It plans the reports (``render.site``), renders the
report pages the build cache lacks (in worker processes when there are many: results come back
in order, so the output is byte-identical to a serial build), asks the cache which site-wide
outputs changed and makes only those, carries the PDFs of the last build over, and finally has
the output folder brought up to date (``build.output``).  Every file goes into a staging folder as
soon as it is made (report pages by the worker that rendered them), so the whole site is never in
memory, and a build that fails leaves the output folder untouched.

Without a cache (``cache=None``) everything is rendered, serially, and the staging folder is
swapped in whole.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from builder.build import output
from builder.build.cache import BuildCache, ReportSource, cuts_file, load_report
from builder.build.parts import StoredParts, StoredReport, store_parts
from builder.core import parallel, timings
from builder.render import site
from builder.render.report import PagePlace, PageRenderer, PageSettings, ReportPage, report_url
from builder.render.site import SiteParts
from builder.text import segment

Plan = list[tuple[ReportSource, PagePlace]]


@dataclass(frozen=True)
class BuildResult:
    out_dir: Path
    files: tuple[str, ...]
    """Every file this build made (staged), relative to ``out_dir`` with "/" separators, sorted;
    without the files a build cache kept as they were."""
    written: tuple[str, ...]
    """The files written into ``out_dir`` (all of ``files`` unless a build cache moved only the changed)."""
    parts: SiteParts

    @property
    def reports(self) -> tuple[ReportPage, ...]:
        """Report pages in index order."""
        return tuple(summary.page for summary in self.parts.summaries)

    @property
    def pages_written(self) -> int:
        """HTML pages written (index, indicators pages, report pages, glossary, 404)."""
        return sum(1 for name in self.written if name.endswith(".html"))


def build_output(sources: Sequence[ReportSource], settings: PageSettings, out_dir: Path, *,
                 cache: BuildCache | None = None, clean: bool = False, site_key: str = "",
                 checked: bool = False) -> BuildResult:
    """Render every report, the index, the data files and the assets into ``out_dir`` (see the
    module docstring); ``site_key``: what the cache records the build under; ``checked``: the
    caller validated the reports' front matter (else it is, before anything is written)."""
    out_dir = Path(out_dir)
    pdfs = output.existing_pdfs(out_dir)
    plan: Plan = site.plan_reports(sources, pdfs, checked=checked)
    staging = output.new_staging(out_dir)
    try:
        staged = output.StagedFiles(staging)
        parts: SiteParts
        policy: _OutputPolicy | None = None
        if cache is None:
            renderer = PageRenderer(settings)
            parts = _render_all(renderer, plan, staged)
        else:
            renderer = cache.renderer(settings)
            stored = _render_changed(renderer, plan, staged, cache)
            parts = StoredParts(stored, cache.parts_folder, settings.glossary)
            policy = _OutputPolicy(renderer, cache, stored)
        if cache is None or pdfs or not cache.keep_site_outputs(site_key):
            _stage_site_outputs(renderer, parts, staged, policy)
            _carry_pdfs(parts, pdfs, staged, policy)
        with timings.phase("write"):
            if cache is not None:
                written = cache.commit(staged, site_key, clean=clean)
            else:
                output.swap_in(staging, out_dir)
                written = sorted(staged.digests)
    except OSError as error:  # staging a file failed (disk full, permissions)
        raise output.output_error(out_dir, error) from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return BuildResult(out_dir=out_dir, files=tuple(sorted(staged.digests)), written=tuple(written), parts=parts)


def _render_all(renderer: PageRenderer, plan: Plan, staged: output.StagedFiles) -> SiteParts:
    """Render every report page into the staging folder; their parts stay in memory."""
    items = []
    for source, place in plan:
        with timings.phase("render"):
            item = renderer.render(load_report(source), place)
        with timings.phase("write"):
            pages = output.write_pages(staged.folder, item.outputs)
        for name, digest in pages:
            staged.add_written(name, digest)
        items.append(item)
    return site.ReportParts(items)


class PageWorker:
    """Renders one report page (in a worker process, or in this one): loads the report file,
    renders it, writes its pages into the staging folder and its parts into the cache's folder.
    Only the index entry comes back: the parent holds neither bodies, pages nor parts.
    ``cuts``: the cache's folder of each report's glossary runs and labels as cut (``segment.remembered_cuts``)."""

    def __init__(self, renderer: PageRenderer, stage: Path, parts: Path, cuts: Path | None = None):
        self.renderer, self.stage, self.parts, self.cuts = renderer, stage, parts, cuts

    def __call__(self, task: tuple[ReportSource, PagePlace, str]) -> StoredReport:
        source, place, key = task
        cuts = self.cuts / cuts_file(str(source.meta["slug"])) if self.cuts is not None else None
        with timings.phase("render"), segment.remembered_cuts(cuts):
            item = self.renderer.render(load_report(source), place)
        with timings.phase("write"):
            pages = output.write_pages(self.stage, item.outputs)
            return store_parts(item, key, pages, self.parts, self.renderer.settings.glossary)


def _render_changed(renderer: PageRenderer, plan: Plan, staged: output.StagedFiles,
                    cache: BuildCache) -> list[StoredReport]:
    """Take each report page from the last build when its key and files are unchanged; render the
    others (into the staging folder; their parts into the cache).  Every report's index entry."""
    cache.start_build()
    salt = cache.render_salt(renderer.settings, renderer.templates.env)
    keys = [cache.render_key(salt, source, place) for source, place in plan]
    found = [cache.stored_report(report_url(str(source.meta["slug"])), key)
             for (source, _), key in zip(plan, keys, strict=True)]
    misses = [i for i, entry in enumerate(found) if entry is None]
    tasks = [(plan[i][0], plan[i][1], keys[i]) for i in misses]
    worker = PageWorker(renderer, staged.folder, cache.parts_folder, cache.cuts_folder)
    if parallel.worth_a_pool(cache.jobs, len(tasks)):
        renderer.warm()
        fresh = parallel.map_ordered(worker, tasks, cache.jobs)
        segment.release_glossary_dictionaries()  # the workers linked the terms: the site-wide outputs do not
    else:  # serial: errors are raised as they happen
        fresh = [worker(task) for task in tasks]
    for i, entry in zip(misses, fresh, strict=True):
        found[i] = entry
        for name, digest in entry.pages:
            staged.add_written(name, digest)
    stored = [entry for entry in found if entry is not None]
    cache.remember_reports(stored)
    return stored


def _stage_site_outputs(renderer: PageRenderer, parts: SiteParts, staged: output.StagedFiles,
                        policy: _OutputPolicy | None) -> None:
    """Make and stage each site-wide output, but those the cache finds unchanged."""
    for made in site.site_outputs(renderer, parts):
        digest = None
        if policy is not None:
            key = policy.key(made.name, made.templates, made.parts, made.inputs)
            if policy.unchanged(made.name, key):
                continue
            digest = f"key:{key}" if made.digest_is_key else None
        with timings.phase("render"):  # made piece by piece as it is written (writing it is the lesser part)
            staged.write(made.name, made.make(), digest)


def _carry_pdfs(parts: SiteParts, pdfs: dict[str, Path], staged: output.StagedFiles,
                policy: _OutputPolicy | None) -> None:
    """PDFs made by ``builder pdf`` survive the build (those of reports that still exist), linked
    into the staging folder, not read."""
    for summary in parts.summaries:
        source = pdfs.get(summary.page.slug)
        if source is None:
            continue
        name = output.pdf_name(summary.page.slug)
        digest = None
        if policy is not None:
            st = source.stat()
            key = policy.key(name, (), (), (st.st_size, st.st_mtime_ns))
            if policy.unchanged(name, key):
                continue
            digest = f"key:{key}"
        staged.add_copy(name, source, digest)


class _OutputPolicy:
    """A site-wide output's input key (the site's settings, its templates, the given parts of
    every report, its own inputs), and whether the cache has it unchanged."""

    def __init__(self, renderer: PageRenderer, cache: BuildCache, stored: Sequence[StoredReport]):
        settings = renderer.settings
        self.cache, self.env = cache, renderer.templates.env
        self.common = (settings.site_name, settings.base, str(settings.templates_dir), settings.template_globals)
        self.digests = [dict(entry.digests) for entry in stored]
        self._over_reports: dict[tuple[str, ...], str] = {}

    def key(self, name: str, templates: Sequence[str], parts: Sequence[str], inputs: tuple[object, ...]) -> str:
        per_report = self._over_reports_digest(tuple(parts)) if parts else ""
        return self.cache.input_key(name, self.env, templates, (self.common, inputs, per_report))

    def _over_reports_digest(self, parts: tuple[str, ...]) -> str:
        """One digest of the given parts of every report, in order (outputs taking the same parts share it)."""
        digest = self._over_reports.get(parts)
        if digest is None:
            hashed = hashlib.sha256(repr(parts).encode())
            for digests in self.digests:
                hashed.update("".join(digests[part] for part in parts).encode())
            digest = self._over_reports[parts] = hashed.hexdigest()
        return digest

    def unchanged(self, name: str, key: str) -> bool:
        return self.cache.unchanged(name, key)
