"""The build cache: incremental and parallel builds.

Two files in ``paths.cache`` (default ``.cache/``):

* ``build-manifest.json`` — small: the *site key* of the last successful build (a hash of the
  builder's fingerprint, config.yaml, every template and static file, the glossary, every
  report Markdown file and the PDFs ``builder pdf`` left in the output folder) and, for every
  file of the output folder, its SHA-256, size and mtime.  When the site key is unchanged and
  every output file still has the size and mtime recorded, ``builder build`` stops there: no
  parsing, no segmentation, no file written.
* ``render-cache.pickle`` — per report page (each entry pickled on its own, so saving the cache
  copies the bytes of unchanged entries): the key it was rendered under (the report's
  bytes, its path, its neighbours' titles, whether it has a PDF, and the hash of everything
  the page's templates, the config and the glossary contribute) and what the site-wide pages
  need of it (index entry, indicator rows, glossary occurrences); plus every report file
  already parsed, by content hash.

A report page whose key is unchanged and whose output file is intact is not rendered at
all.  The site-wide pages (index, indicators, glossary, data files) are rendered again from
the cached entries whenever anything changed (milliseconds), and only the output files whose
bytes changed are written.

Writing: every page is written, as soon as it is rendered, into a staging folder beside the
output folder (report pages by the worker that rendered them; see ``render.render_site``), so a
build that fails leaves the output folder untouched.  Then, when the folder and its manifest
exist, each staged file whose bytes differ is renamed over its target (``os.replace``) and files
the site no longer has are deleted; otherwise (first build, ``--clean``) the staging folder is
swapped in whole.

Parallel: when at least :data:`PARALLEL_MIN` report pages need rendering and more than one
CPU is available, they are rendered in a pool of processes; results come back in order, so
the output is byte-identical to a serial build.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
from dataclasses import replace
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from .errors import BuilderError, OutputError


class _LazyRender:
    """``builder.render``, imported on first use: a no-op build (the site key matches) never
    loads Jinja2 or markdown-it."""

    def __getattr__(self, name: str):
        from . import render as module

        return getattr(module, name)


render = _LazyRender()
#: = render._BUNDLED_TEMPLATES and render.PDF_DIR (tested), without importing render
BUNDLED_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
PDF_DIR = "pdf"

MANIFEST_FILE = "build-manifest.json"
PAGES_FILE = "render-cache.pickle"
CACHE_VERSION = 4  # 2: RenderedReport carries its indicators.json/.csv parts; 3: its indicators page; 4: entries pickled one by one
#: Below this many pages to render (or ingest), a process pool costs more than it saves.
PARALLEL_MIN = 40


def default_jobs() -> int:
    """Worker processes for a large build: ``BUILDER_JOBS`` or the CPUs this process may use."""
    env = os.environ.get("BUILDER_JOBS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- keys


def _files_digest(digest, folder: Path, label: str) -> None:
    if not folder.is_dir():
        digest.update(f"{label}:none\n".encode())
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(f"{label}:{path.relative_to(folder).as_posix()}\n".encode())
        digest.update(sha256(path.read_bytes()).encode())


def site_key(config, report_paths: Sequence[Path], fingerprint: str) -> str:
    """A hash of every input of the render stage (see the module docstring)."""
    digest = hashlib.sha256(f"v{CACHE_VERSION}:{fingerprint}\n".encode())
    digest.update(config.path.read_bytes() if config.path.is_file() else b"no-config")
    digest.update(str(config.root).encode())
    _files_digest(digest, config.templates_dir, "templates")
    if config.templates_dir.resolve() != BUNDLED_TEMPLATES.resolve():
        _files_digest(digest, BUNDLED_TEMPLATES, "bundled")
    glossary = config.glossary_path
    digest.update(glossary.read_bytes() if glossary is not None and glossary.is_file() else b"no-glossary")
    for path in report_paths:
        digest.update(f"\nreport:{path.name}\n".encode())
        digest.update(path.read_bytes())
    pdf = config.output_dir / PDF_DIR
    if pdf is not None and pdf.is_dir():
        for path in sorted(pdf.glob("*.pdf")):
            st = path.stat()
            digest.update(f"pdf:{path.name}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def template_digest(env: "jinja2.Environment", name: str) -> str:
    """A hash of template ``name`` and every template it extends, includes or imports."""
    import jinja2
    from jinja2 import meta as jinja_meta

    seen: dict[str, str] = {}

    def visit(current: str) -> bool:
        if current in seen:
            return True
        try:
            source, _, _ = env.loader.get_source(env, current)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            seen[current] = "missing"
            return True
        seen[current] = source
        try:
            refs = list(jinja_meta.find_referenced_templates(env.parse(source)))
        except jinja2.TemplateSyntaxError:
            return True  # rendering will report it
        for ref in refs:
            if ref is None or not visit(ref):
                return False  # a name computed at render time: depend on every template
        return True

    digest = hashlib.sha256()
    if not visit(name):
        for other in sorted(env.list_templates()):
            visit(other)
    for key in sorted(seen):
        digest.update(f"{key}\n{seen[key]}\n".encode())
    return digest.hexdigest()


# --------------------------------------------------------------------------- parallel rendering

_worker_settings: render.PageSettings | None = None
_worker_stage: Path | None = None


def _init_worker(settings: render.PageSettings, stage: Path | None = None) -> None:
    global _worker_settings, _worker_stage
    _worker_settings, _worker_stage = settings, stage


def _render_one(job: render.ReportJob):
    try:
        item = render.render_report(_worker_settings, job)  # type: ignore[arg-type]
        # the worker writes its pages into the staging folder itself: they never cross to the parent
        return True, render.stage_report(item, _worker_stage) if _worker_stage is not None else item
    except BuilderError as error:  # sent back as (class, message parts): exceptions with keyword
        return False, (type(error), error.message, error.path, error.line, error.hint)  # args don't pickle


def _raise(parts) -> None:
    cls, message, path, line, hint = parts
    raise cls(message, path=path, line=line, hint=hint)


def pool_map(function, initializer, initargs, items: Sequence, jobs: int) -> list:
    """``function`` over ``items`` in ``jobs`` forked processes, results in order."""
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    chunk = max(1, len(items) // (jobs * 4))
    with context.Pool(jobs, initializer=initializer, initargs=initargs) as pool:
        return pool.map(function, items, chunksize=chunk)


def pool_imap(function, initializer, initargs, items: Sequence, jobs: int):
    """``pool_map`` as a generator: results in order as they come, so the caller can use and
    drop each one instead of holding all of them (ingest)."""
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    chunk = max(1, min(8, len(items) // (jobs * 4)))
    with context.Pool(jobs, initializer=initializer, initargs=initargs) as pool:
        yield from pool.imap(function, items, chunksize=chunk)


def warm_render(settings: render.PageSettings) -> None:
    """Compile the report template and build the Markdown parser (and glossary segmenter) once,
    in the parent, so forked workers inherit them instead of each building its own.
    A failure here is left for the real render to report."""
    try:
        render._settings_env(settings).get_template(render.REPORT_TEMPLATE)
        render.render_markdown("预热。", glossary=settings.glossary, glossary_link=settings.glossary_link)
        if settings.glossary is not None:  # the glossary's pinyin sort keys, once for every worker
            from .glossary_site import sort_key

            sorted(settings.glossary.terms, key=sort_key)
    except Exception:  # noqa: BLE001 - rendering reports it properly
        pass


def render_reports(settings: render.PageSettings, jobs: Sequence[render.ReportJob], workers: int,
                   stage: Path | None = None) -> list:
    """Render report pages, in a process pool when there are many; same bytes either way.
    With ``stage``, each page is written into that folder as soon as it is rendered."""
    if workers > 1 and len(jobs) >= PARALLEL_MIN:
        warm_render(settings)
        results = pool_map(_render_one, _init_worker, (settings, stage), list(jobs), workers)
    else:
        results = []
        for job in jobs:  # serial: errors are raised as they happen
            item = render.render_report(settings, job)
            results.append((True, render.stage_report(item, stage) if stage is not None else item))
    out = []
    for ok, value in results:
        if not ok:
            _raise(value)
        out.append(value)
    return out


# --------------------------------------------------------------------------- the cache


class BuildCache:
    """The render cache and output manifest of one site (kept in memory by ``builder serve``)."""

    def __init__(self, config, *, jobs: int | None = None, fresh: bool = False):
        self.config = config
        self.folder: Path = config.cache_dir
        self.out_dir: Path = config.output_dir
        self.jobs = jobs if jobs is not None else default_jobs()
        self.manifest = self._load_manifest()
        self._pages: dict | None = None
        if fresh:  # --clean: ignore what is on disk (it is replaced when the build succeeds)
            self.manifest = {"version": CACHE_VERSION, "site_key": "", "outputs": {}}
            self._pages = {"version": CACHE_VERSION, "reports": {}, "files": {}}
        self.kept: dict[str, list] = {}
        self.rendered_count = 0

    # ---- files

    def _load_manifest(self) -> dict:
        try:
            data = json.loads((self.folder / MANIFEST_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {"version": CACHE_VERSION, "site_key": "", "outputs": {}}
        if data.get("version") != CACHE_VERSION or not isinstance(data.get("outputs"), dict):
            return {"version": CACHE_VERSION, "site_key": "", "outputs": {}}
        return data

    @property
    def pages(self) -> dict:
        if self._pages is None:
            try:
                with open(self.folder / PAGES_FILE, "rb") as handle:
                    data = pickle.load(handle)
                if data.get("version") != CACHE_VERSION:
                    raise ValueError
            except Exception:  # a missing, old or damaged cache is only slower
                data = {"version": CACHE_VERSION, "reports": {}, "files": {}}
            from .glossary_site import remember_pinyin

            remember_pinyin(data.get("pinyin"))  # the glossary's sort keys, without loading pypinyin
            self._pages = data
        return self._pages

    def _save(self, key: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.manifest["site_key"] = key
        from .glossary_site import known_pinyin

        self.pages["pinyin"] = known_pinyin()
        tmp = self.folder / (PAGES_FILE + ".tmp")
        with open(tmp, "wb") as handle:
            pickle.dump(self.pages, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, self.folder / PAGES_FILE)
        tmp = self.folder / (MANIFEST_FILE + ".tmp")
        tmp.write_text(json.dumps(self.manifest, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.folder / MANIFEST_FILE)

    def _intact(self, name: str) -> bool:
        entry = self.manifest["outputs"].get(name)
        if not entry:
            return False
        try:
            st = (self.out_dir / name).stat()
        except OSError:
            return False
        return st.st_size == entry[1] and st.st_mtime_ns == entry[2]

    # ---- the no-op check

    def up_to_date(self, key: str) -> bool:
        """True when the last build had this site key and its output is as it left it."""
        outputs = self.manifest["outputs"]
        return bool(outputs) and self.manifest.get("site_key") == key and all(self._intact(n) for n in outputs)

    # ---- parsed report files

    def report_file(self, path: Path, data: bytes, display: str, parse):
        """The parsed report file for these bytes (``parse(text, display)`` on a miss)."""
        files = self.pages["files"]
        key = f"{display}\0{sha256(data)}"
        hit = files.get(key)
        if hit is None:
            hit = parse(data, display)
            files[key] = hit
        return hit

    def forget_files(self, keep: Iterable[str]) -> None:
        keep = set(keep)
        files = self.pages["files"]
        for key in [k for k in files if k.split("\0", 1)[0] not in keep]:
            del files[key]

    # ---- rendering (the ``renderer`` hook of render.build_pages)

    def renderer(self, settings: render.PageSettings, jobs: Sequence[render.ReportJob],
                 stage: Path | None = None) -> list:
        env = render._settings_env(settings)
        base = hashlib.sha256()
        for part in (render.REPORT_TEMPLATE, template_digest(env, render.REPORT_TEMPLATE),
                     template_digest(env, render.INDICATORS_REPORT_TEMPLATE), settings.full_table_max,
                     settings.site_name,
                     settings.base, settings.indicator_count, settings.glossary_link, repr(settings.env_globals),
                     str(settings.templates_dir), self.config.path.read_bytes() if self.config.path.is_file() else b"",
                     self._glossary_bytes(), self._fingerprint()):
            base.update(part if isinstance(part, bytes) else str(part).encode())
            base.update(b"\0")
        salt = base.hexdigest()
        entries = self.pages["reports"]
        out: list = [None] * len(jobs)
        keys: list[str] = [""] * len(jobs)
        misses: list[int] = []
        self.kept = {}
        for i, job in enumerate(jobs):
            report = job.report
            key = sha256(json.dumps([salt, report.path, report.body_line, sha256(report.body.encode()),
                                     repr(sorted(report.meta.items(), key=lambda kv: kv[0])),
                                     job.prev_report, job.next_report, job.has_pdf],
                                    ensure_ascii=False, default=str).encode())
            keys[i] = key
            url = f"reports/{report.meta['slug']}.html"
            entry = entries.get(url)
            if entry is not None and entry[0] == key and all(
                    self._intact(name) and self.manifest["outputs"][name][0] == digest
                    for name, digest in entry[1].items()):
                out[i] = pickle.loads(entry[2])
                for name in entry[1]:
                    self.kept[name] = self.manifest["outputs"][name]
            else:
                misses.append(i)
        fresh = render_reports(settings, [jobs[i] for i in misses], self.jobs, stage)
        self.rendered_count = len(fresh)
        for i, item in zip(misses, fresh):
            out[i] = item
            digests = dict(item.staged) if item.staged else {name: sha256(data) for name, data in item.outputs}
            # pickled on its own: saving the cache then copies bytes for unchanged reports
            entries[item.url] = (keys[i], digests,
                                 pickle.dumps(replace(item, outputs=(), staged=()), protocol=pickle.HIGHEST_PROTOCOL))
        live = {item.url for item in out}
        for url in [u for u in entries if u not in live]:
            del entries[url]
        return out

    def _glossary_bytes(self) -> bytes:
        path = self.config.glossary_path
        return path.read_bytes() if path is not None and path.is_file() else b""

    @staticmethod
    def _fingerprint() -> str:
        from .pipeline import builder_fingerprint

        return builder_fingerprint()

    # ---- writing

    def write(self, staged: "render.StagedFiles", key: str, *, clean: bool = False) -> list[str]:
        """Bring the output folder to the staged files plus the kept pages; return the names written.

        ``staged`` is the complete new output (but the kept pages) in a staging folder beside the
        output folder.  First build, ``--clean`` or no manifest: the staging folder is swapped in
        whole.  Otherwise each staged file whose bytes differ from the output's is moved over its
        target (``os.replace``), files the site no longer has are deleted, and the staging folder
        (holding the unchanged files) is left for the caller to delete.
        """
        out = self.out_dir
        outputs = self.manifest["outputs"]
        digests = staged.digests
        if clean or not outputs or not out.is_dir() or out.is_symlink():
            render.swap_in(staged.folder, out)
            written = sorted(digests)
            self.manifest["outputs"] = {}
            outputs = {}
        else:
            written = []
            try:
                made: set[Path] = set()
                for name, digest in sorted(digests.items()):
                    entry = outputs.get(name)
                    if entry and entry[0] == digest and self._intact(name):
                        continue
                    target = out / name
                    if target.parent not in made:
                        target.parent.mkdir(parents=True, exist_ok=True)
                        made.add(target.parent)
                    source = staged.folder / name
                    os.chmod(source, 0o644)
                    os.replace(source, target)
                    written.append(name)
                wanted = set(digests) | set(self.kept)
                for path in sorted(out.rglob("*"), reverse=True):
                    name = path.relative_to(out).as_posix()
                    if path.is_dir():
                        if not any(path.iterdir()):
                            path.rmdir()
                    elif name not in wanted:
                        path.unlink()
                        outputs.pop(name, None)
            except OSError as error:
                raise OutputError(f"cannot write output: {error.strerror or error}", path=str(out)) from None
        new_outputs = {}
        written_set = set(written)
        for name in sorted(set(digests) | set(self.kept)):
            if name in self.kept and name not in digests:
                new_outputs[name] = self.kept[name]
                continue
            if name in written_set or name not in outputs:
                st = (out / name).stat()
                new_outputs[name] = [digests[name], st.st_size, st.st_mtime_ns]
            else:
                new_outputs[name] = outputs[name]
        self.manifest["outputs"] = new_outputs
        self._save(key)
        return written
