"""The build cache: incremental and parallel builds.

Files in ``paths.cache`` (default ``.cache/``):

* ``build-manifest.json`` — read by every build, so it stays small: the *site key* of the last
  successful build (a hash of the builder's fingerprint, config.yaml, every template and static
  file, the glossary, every report Markdown file and the PDFs ``builder pdf`` left in the output
  folder); for every file of the output folder its digest, size and mtime; and for every
  site-wide output the *input key* it was built from (below).  When the site key is unchanged
  and every output file still has the size and mtime recorded, ``builder build`` stops there:
  no parsing, no segmentation, no file written.
* ``file-digests.json`` — the SHA-256 of every scraped page and report file with its size, mtime,
  ctime and inode: a file whose stat is unchanged is not read again (see :class:`FileDigests`).
* ``render-index.pickle`` — read by every build that renders, and small (2 MB at N=1000): per
  report page, the key it was rendered under (its file's path and bytes, its neighbours' titles,
  whether it has a PDF, and a hash of everything the page's templates, the config and the
  glossary contribute), the digests of its two pages, its counts of indicators and where its
  parts are, with a digest per part; the front matter of every report file by content hash (an
  unchanged file is not parsed again, and its body is read only if its page is rendered again);
  the parsed glossary; which templates each template source refers to; the glossary's pinyin
  sort keys.
* ``reports/<slug>-<key>.parts`` — per rendered report, what the site-wide outputs take from it,
  one section each: its page variables (index, indicators page; the glossary's definitions kept
  as term ids), its entry of reports.json, its glossary occurrences, its targets-vs-results rows,
  and its share of ``data/indicators.json`` and ``.csv`` (the JSON and CSV as raw bytes).
  Written once, by the process that rendered the report; a section is read only when an output
  that needs it is built again.  Named after the render key, so an index entry never points at
  another render's parts; files no entry names are deleted when the index is saved.

What a build renders:

* A report page (with its indicators page) whose key is unchanged and whose output files are
  intact is not rendered.
* Each site-wide output (index, reports.json, indicators page, data files, glossary page and
  data, sitemap, 404 page, assets, PDFs) has an *input key*: the builder, the config and the
  glossary, its templates (with what they include), the settings, and the digests of the parts it
  takes from every report (see ``render.part_digests``).  When the key is unchanged and the file
  intact, the output is neither rendered nor written.  So an edit of a paragraph's wording renders
  that report's pages only; an edit of a figure also rebuilds the indicators page and the data
  files, which are streamed from the parts files (their manifest digest is their input key, so
  90 MB are not hashed).

Writing: every page is written, as soon as it is rendered, into a staging folder beside the
output folder (report pages by the worker that rendered them; see ``render.render_site``), so a
build that fails leaves the output folder untouched.  Then, when the folder and its manifest
exist, each staged file whose digest differs is renamed over its target (``os.replace``) and files
the site no longer has are deleted; otherwise (first build, ``--clean``) the staging folder is
swapped in whole.

Parallel: when at least :data:`PARALLEL_MIN` report pages need rendering and more than one
CPU is available, they are rendered in a pool of forked processes; results come back in order, so
the output is byte-identical to a serial build.  A worker reads the report's body itself and
sends back only digests and where it wrote the report's parts, so the parent holds neither the
bodies nor the parts; the parent's objects are frozen out of the garbage collector before
forking, so the workers' collections do not copy the memory pages they share with it.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import pickle
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Iterator, Mapping, Sequence

from builder.core.config import BUNDLED_TEMPLATES, PDF_DIR
from builder.core.errors import BuilderError, OutputError, SourceError
from builder.core.model import ReportFile

if TYPE_CHECKING:  # pragma: no cover
    import jinja2

    from builder.glossary.terms import Glossary


class _LazyRender:
    """``builder.render.site``, imported on first use: a no-op build (the site key matches) never
    loads Jinja2 or markdown-it."""

    def __getattr__(self, name: str):
        from builder.render import site as module

        return getattr(module, name)


render = _LazyRender()

MANIFEST_FILE = "build-manifest.json"
INDEX_FILE = "render-index.pickle"
DIGESTS_FILE = "file-digests.json"
PARTS_DIR = "reports"
#: Files of older cache layouts, deleted when the cache is saved.
OLD_FILES = ("render-cache.pickle",)
CACHE_VERSION = 5  # 5: small index + one parts file per report; input keys of site-wide outputs
#: Below this many pages to render (or ingest), a process pool costs more than it saves.
PARALLEL_MIN = 40
_PICKLE = pickle.HIGHEST_PROTOCOL


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


def site_key(config, report_paths: Sequence[Path], fingerprint: str,
             digests: Mapping[Path, str] | None = None) -> str:
    """A hash of every input of the render stage (see the module docstring).  ``digests``: the
    SHA-256 of each report file, when the caller has them already."""
    digest = hashlib.sha256(f"v{CACHE_VERSION}:{fingerprint}\n".encode())
    digest.update(config.path.read_bytes() if config.path.is_file() else b"no-config")
    digest.update(str(config.root).encode())
    _files_digest(digest, config.templates_dir, "templates")
    if config.templates_dir.resolve() != BUNDLED_TEMPLATES.resolve():
        _files_digest(digest, BUNDLED_TEMPLATES, "bundled")
    glossary = config.glossary_path
    digest.update(glossary.read_bytes() if glossary is not None and glossary.is_file() else b"no-glossary")
    for path in report_paths:
        data = digests[path] if digests is not None else sha256(path.read_bytes())
        digest.update(f"\nreport:{path.name}:{data}\n".encode())
    pdf = config.output_dir / PDF_DIR
    if pdf.is_dir():
        for path in sorted(pdf.glob("*.pdf")):
            st = path.stat()
            digest.update(f"pdf:{path.name}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def template_digest(env: "jinja2.Environment", name: str,
                    references: dict[str, tuple[str, ...] | None] | None = None) -> str:
    """A hash of template ``name`` and every template it extends, includes or imports.

    ``references``: a memo, source SHA-256 -> the template names the source refers to (None: a
    name computed at render time), so that an unchanged template is not parsed again."""
    import jinja2

    seen: dict[str, str] = {}
    memo = references if references is not None else {}

    def visit(current: str) -> bool:
        if current in seen:
            return True
        try:
            source, _, _ = env.loader.get_source(env, current)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            seen[current] = "missing"
            return True
        seen[current] = source
        key = sha256(source.encode("utf-8"))
        try:
            refs = memo[key]
        except KeyError:
            refs = memo[key] = _references(env, source)
        if refs is None:
            return False  # a name computed at render time: depend on every template
        return all(visit(ref) for ref in refs)

    digest = hashlib.sha256()
    if not visit(name):
        try:
            every = sorted(env.list_templates())
        except TypeError:  # a loader that cannot list its templates: never the same key
            every = []
            digest.update(os.urandom(16))
        for other in every:
            visit(other)
    for key in sorted(seen):
        digest.update(f"{key}\n{seen[key]}\n".encode())
    return digest.hexdigest()


class _Memo(dict):
    """This build's memo of template references, taking the entries it uses from the last
    build's (so the memo holds only templates still in use)."""

    def __init__(self, previous: Mapping | None = None):
        super().__init__()
        self.previous = previous if isinstance(previous, Mapping) else {}

    def __missing__(self, key: str):
        if key not in self.previous:
            raise KeyError(key)
        value = self[key] = self.previous[key]
        return value


def _references(env: "jinja2.Environment", source: str) -> tuple[str, ...] | None:
    """The templates ``source`` extends, includes or imports; None when a name is computed."""
    import jinja2
    from jinja2 import meta as jinja_meta

    try:
        refs = tuple(jinja_meta.find_referenced_templates(env.parse(source)))
    except jinja2.TemplateSyntaxError:
        return ()  # rendering will report it
    return None if any(ref is None for ref in refs) else refs  # type: ignore[return-value]


# --------------------------------------------------------------------------- input files

#: A file's size, times and inode stand for its bytes only when it had not changed for this long
#: when it was hashed: the file system's clock is coarse, so a second write in the same tick could
#: leave all four as they were.  (git's index does the same against "racy" entries.)
RACY_NS = 2_000_000_000


class FileDigests:
    """The SHA-256 of the site's input files (scraped pages, report files), read and hashed again
    only when a file's size, mtime, ctime or inode changed since it was last hashed (any write
    changes its ctime, which no tool can set back).  Kept in ``file-digests.json``."""

    def __init__(self, folder: Path, *, fresh: bool = False):
        self.path = folder / DIGESTS_FILE
        self._known: dict[str, list] = {} if fresh else self._load()
        self._seen: dict[str, list] = {}

    def _load(self) -> dict[str, list]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        files = data.get("files") if isinstance(data, dict) and data.get("version") == CACHE_VERSION else None
        return files if isinstance(files, dict) else {}

    def digest(self, path: Path) -> str:
        """The SHA-256 of ``path``'s bytes."""
        return self.read(path, keep=False)[1]

    def read(self, path: Path, *, keep: bool = True) -> tuple[bytes | None, str]:
        """(the bytes, or None when they were not read, and their SHA-256).  ``keep``: return the
        bytes when they had to be read."""
        key = str(path)
        now = time.time_ns()
        st = os.stat(key)
        stamp = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        known = self._known.get(key)
        if known is not None and known[:4] == stamp:
            self._seen[key] = known
            return None, known[4]
        with open(key, "rb") as handle:  # after the stat: a write in between changes the stat
            data = handle.read()
        digest = sha256(data)
        if max(st.st_mtime_ns, st.st_ctime_ns) < now - RACY_NS:
            self._seen[key] = [*stamp, digest]
        return (data if keep else None), digest

    def save(self) -> None:
        """Write what this process saw (the files it did not look at are dropped), if it differs."""
        seen, self._seen = self._seen, {}
        if seen != self._known:
            tmp = self.path.with_name(self.path.name + ".tmp")
            tmp.write_text(json.dumps({"version": CACHE_VERSION, "files": seen}), encoding="utf-8")
            os.replace(tmp, self.path)
        self._known = seen


class CachedReportFile(ReportFile):
    """A report file whose front matter came from the index: its body is read from the file only
    when something asks for it (rendering a page the cache does not have), and only if the file
    still has the bytes it was known by."""

    @classmethod
    def lazy(cls, display: str, meta: Mapping[str, object], body_line: int, source: Path, offset: int,
             digest: str) -> "CachedReportFile":
        report = cls.__new__(cls)
        for name, value in (("path", display), ("meta", meta), ("body_line", body_line),
                            ("_source", (str(source), offset, digest))):
            object.__setattr__(report, name, value)
        return report

    def __getattr__(self, name: str):
        source = self.__dict__.get("_source")
        if name != "body" or source is None:
            raise AttributeError(name)
        path, offset, digest = source
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise SourceError(f"cannot read report: {error.strerror or error}", path=self.path) from None
        if sha256(data) != digest:
            raise SourceError("the report changed while the site was being built", path=self.path,
                              hint="build again")
        body = _text(data)[offset:]
        object.__setattr__(self, "body", body)
        return body


def _text(data: bytes) -> str:
    """A report file's text as ``parse_front_matter`` reads it (UTF-8, without a BOM)."""
    text = data.decode("utf-8")
    return text[1:] if text.startswith("\ufeff") else text


# --------------------------------------------------------------------------- a report's parts


PAGE, ENTRY_JSON, OCCURRENCES, PAIRS, ROWS_JSON, ROWS_CSV = (
    "page", "entry_json", "occurrences", "pairs", "rows_json", "rows_csv")


@contextmanager
def _gc_paused():
    """No garbage collection while reading many long-lived objects (each collection would walk
    them all, for nothing: they hold no reference cycles)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class StoredReport:
    """What the index keeps of one rendered report (its parts are in :attr:`file`)."""

    key: str
    """The render key (see :meth:`BuildCache.renderer`)."""
    pages: tuple[tuple[str, str], ...]
    """(name, SHA-256) of its report page and its indicators page."""
    item: "render.RenderedReport"
    """Its light half: URL, report page, counts and part digests; no parts, no pages."""
    file: str
    """Its parts file, in ``reports/`` of the cache folder."""
    sections: tuple[tuple[str, int, int], ...]
    """(part, offset, length) of each part in :attr:`file`."""


class _TermIds(tuple):
    """A page's ``glossary_terms`` kept as term ids (the glossary gives back the rest)."""


def _packed_page(page: dict, glossary: "Glossary | None") -> dict:
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


def store_parts(item: "render.RenderedReport", key: str, folder: Path,
                glossary: "Glossary | None") -> StoredReport:
    """Write a rendered (and staged) report's parts into ``folder``; return its index entry."""
    slug = str(item.report_page.slug)
    sections = ((PAGE, pickle.dumps(_packed_page(item.page, glossary), _PICKLE)), (ENTRY_JSON, item.entry_json),
                (OCCURRENCES, pickle.dumps(tuple(item.occurrences), _PICKLE)),
                (PAIRS, pickle.dumps(tuple(item.pair_rows), _PICKLE)),
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
    pages = item.staged or tuple((n, sha256(data)) for n, data in item.outputs)
    light = replace(item, page=None, occurrences=(), outputs=(), staged=(), entry_json=b"", rows_json=b"",
                    rows_csv=b"", pair_rows=(), digests=render.part_digests(item))
    return StoredReport(key=key, pages=tuple(pages), item=light, file=name, sections=tuple(table))


class StoredParts:
    """Every report's parts for the site-wide outputs (the interface of ``render.ReportParts``),
    read from the parts files, one report at a time, only when an output needs them."""

    def __init__(self, items: Sequence["render.RenderedReport"], stored: Sequence[StoredReport],
                 folder: Path, glossary: "Glossary | None"):
        self.items = list(items)
        """Each report's light half, in index order (with its pages' digests when just rendered)."""
        self._stored = list(stored)
        self._folder = folder
        self._glossary = glossary

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

    def pages(self) -> list[dict]:
        from builder.glossary.pages import term_entry

        shared: dict[str, dict[str, str]] = {}  # one dict per term for every page (they are only read)
        out = []
        with _gc_paused():
            for stored in self._stored:
                out.append(self._page(stored, shared, term_entry))
        return out

    def _page(self, stored: StoredReport, shared: dict, term_entry) -> dict:
        page = pickle.loads(self._section(stored, PAGE))
        ids = page.get("glossary_terms")
        if isinstance(ids, _TermIds):
            page["glossary_terms"] = [shared.get(i) or shared.setdefault(i, term_entry(self._glossary.by_id[i]))
                                      for i in ids]  # type: ignore[union-attr]
        return page

    def entries_json(self) -> Iterator[bytes]:
        return self._raw(ENTRY_JSON)

    def occurrences(self) -> Iterator[tuple[str, Sequence[tuple[str, str]]]]:
        with _gc_paused():
            for stored in self._stored:
                yield str(stored.item.report_page.slug), pickle.loads(self._section(stored, OCCURRENCES))

    def pair_rows(self) -> Iterator[tuple]:
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


# --------------------------------------------------------------------------- parallel rendering

_worker: dict = {}  # what the initializer gives a render worker: settings, stage, parts folder


def _init_worker(settings: "render.PageSettings", stage: Path | None = None, parts: Path | None = None) -> None:
    _worker.update(settings=settings, stage=stage, parts=parts)


def _render_one(task: tuple["render.ReportJob", str]):
    try:
        return True, _render_and_store(_worker["settings"], task, _worker["stage"], _worker["parts"])
    except BuilderError as error:  # sent back as (class, message parts): exceptions with keyword
        return False, (type(error), error.message, error.path, error.line, error.hint)  # args don't pickle


def _render_and_store(settings: "render.PageSettings", task: tuple["render.ReportJob", str],
                      stage: Path | None, parts: Path | None):
    """Render one report; write its pages into ``stage`` and its parts into ``parts`` (so they
    never cross to the parent).  Returns (StoredReport, pages not staged) or the whole item."""
    job, key = task
    item = render.render_report(settings, job)
    if stage is not None:
        item = render.stage_report(item, stage)
    if parts is None:
        return item
    return store_parts(item, key, parts, settings.glossary), item.outputs


def _raise(parts) -> None:
    cls, message, path, line, hint = parts
    raise cls(message, path=path, line=line, hint=hint)


def _pool(jobs: int, initializer, initargs):
    """A pool of forked workers; the parent's objects are frozen out of the garbage collector
    first, so that the workers' collections do not copy the memory they share with it."""
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    gc.collect()
    gc.freeze()
    return multiprocessing.get_context(method).Pool(jobs, initializer=initializer, initargs=initargs)


def pool_map(function, initializer, initargs, items: Sequence, jobs: int) -> list:
    """``function`` over ``items`` in ``jobs`` forked processes, results in order."""
    chunk = max(1, min(16, len(items) // (jobs * 4)))
    try:
        with _pool(jobs, initializer, initargs) as pool:
            return pool.map(function, items, chunksize=chunk)
    finally:
        gc.unfreeze()


def pool_imap(function, initializer, initargs, items: Sequence, jobs: int):
    """``pool_map`` as a generator: results in order as they come, so the caller can use and
    drop each one instead of holding all of them (ingest)."""
    chunk = max(1, min(8, len(items) // (jobs * 4)))
    try:
        with _pool(jobs, initializer, initargs) as pool:
            yield from pool.imap(function, items, chunksize=chunk)
    finally:
        gc.unfreeze()


def warm_render(settings: "render.PageSettings") -> None:
    """Compile the report template and build the Markdown parser (and glossary segmenter) once,
    in the parent, so forked workers inherit them instead of each building its own.
    A failure here is left for the real render to report."""
    try:
        render._settings_env(settings).get_template(render.REPORT_TEMPLATE)
        render._settings_env(settings).get_template(render.INDICATORS_REPORT_TEMPLATE)
        render.render_markdown("预热。", glossary=settings.glossary, glossary_link=settings.glossary_link)
        if settings.glossary is not None:  # the glossary's pinyin sort keys, once for every worker
            from builder.glossary.pages import prime_pinyin

            prime_pinyin(term.term for term in settings.glossary.terms)
    except Exception:  # noqa: BLE001 - rendering reports it properly
        pass


def render_reports(settings: "render.PageSettings", tasks: Sequence[tuple["render.ReportJob", str]], workers: int,
                   stage: Path | None = None, parts: Path | None = None) -> list:
    """Render report pages, in a process pool when there are many; same bytes either way.
    ``tasks``: (job, render key).  With ``stage``, each page is written into that folder as soon as
    it is rendered; with ``parts``, each report's parts are written there (see :func:`store_parts`)."""
    if workers > 1 and len(tasks) >= PARALLEL_MIN:
        warm_render(settings)
        results = pool_map(_render_one, _init_worker, (settings, stage, parts), list(tasks), workers)
    else:  # serial: errors are raised as they happen
        results = [(True, _render_and_store(settings, task, stage, parts)) for task in tasks]
    out = []
    for ok, value in results:
        if not ok:
            _raise(value)
        out.append(value)
    return out


# --------------------------------------------------------------------------- the cache


def _delete_unwanted(root: Path, wanted: set[str]) -> list[str]:
    """Delete every file under ``root`` whose name (relative, with "/") is not in ``wanted``,
    then every folder left empty; return the names deleted."""
    deleted = []
    top = str(root)
    for folder, dirs, names in os.walk(top, topdown=False):
        prefix = "" if folder == top else folder[len(top) + 1:].replace(os.sep, "/") + "/"
        for name in names:
            if prefix + name not in wanted:
                os.unlink(os.path.join(folder, name))
                deleted.append(prefix + name)
        for name in dirs:
            path = os.path.join(folder, name)
            if os.path.islink(path):  # a link to a folder: a file of the output
                if prefix + name not in wanted:
                    os.unlink(path)
                    deleted.append(prefix + name)
            elif not os.listdir(path):
                os.rmdir(path)
    return deleted


def _empty_manifest() -> dict:
    return {"version": CACHE_VERSION, "site_key": "", "outputs": {}, "inputs": {}}


def _empty_index() -> dict:
    return {"version": CACHE_VERSION, "reports": {}, "files": {}}


@dataclass
class _Build:
    """What one build learns as it goes (reset by :meth:`BuildCache.renderer`)."""

    kept: dict[str, list] = field(default_factory=dict)
    """Output name -> its manifest entry, for the files left as they are."""
    input_keys: dict[str, str] = field(default_factory=dict)
    """Site-wide output name -> the input key it is being built from."""
    templates: dict[str, str] = field(default_factory=dict)
    """Template name -> :func:`template_digest`, computed once per build."""
    references: dict = field(default_factory=dict)
    """The memo of :func:`template_digest` (saved in the index)."""
    salt: str = ""
    """What every output depends on: the builder, the config, the glossary."""
    incremental: bool = False
    """Whether this build keeps files of the last one (see :meth:`BuildCache._incremental`)."""


class BuildCache:
    """The render cache and output manifest of one site (kept in memory by ``builder serve``)."""

    def __init__(self, config, *, jobs: int | None = None, fresh: bool = False):
        self.config = config
        self.folder: Path = config.cache_dir
        self.out_dir: Path = config.output_dir
        self.jobs = jobs if jobs is not None else default_jobs()
        self.manifest = self._load_manifest()
        self._index: dict | None = None
        if fresh:  # --clean: ignore what is on disk (it is replaced when the build succeeds)
            self.manifest = _empty_manifest()
            self._index = _empty_index()
        self.build = _Build()
        self.rendered_count = 0
        self._file_digests: dict[str, tuple[ReportFile, str]] = {}
        self._glossary: tuple[str, Glossary | None] | None = None
        self.inputs = FileDigests(self.folder, fresh=fresh)
        """The digests of the input files (kept in memory by ``builder serve`` too)."""

    @property
    def kept(self) -> dict[str, list]:
        """Output name -> manifest entry of every file this build leaves as it is."""
        return self.build.kept

    # ---- files

    def _load_manifest(self) -> dict:
        try:
            data = json.loads((self.folder / MANIFEST_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return _empty_manifest()
        if data.get("version") != CACHE_VERSION or not isinstance(data.get("outputs"), dict) \
                or not isinstance(data.get("inputs"), dict):
            return _empty_manifest()
        return data

    @property
    def index(self) -> dict:
        """The render index (see the module docstring), read on first use."""
        if self._index is None:
            try:
                with open(self.folder / INDEX_FILE, "rb") as handle:
                    data = pickle.load(handle)
                if data.get("version") != CACHE_VERSION:
                    raise ValueError
            except Exception:  # a missing, old or damaged index is only slower
                data = _empty_index()
            from builder.glossary.pages import remember_pinyin

            remember_pinyin(data.get("pinyin"))  # the glossary's sort keys, without loading pypinyin
            self._index = data
        return self._index

    @property
    def parts_folder(self) -> Path:
        return self.folder / PARTS_DIR

    def _save(self, key: str) -> None:
        from builder.glossary.pages import known_pinyin

        self.folder.mkdir(parents=True, exist_ok=True)
        self.manifest["site_key"] = key
        self.index["pinyin"] = known_pinyin()
        self.index["references"] = dict(self.index.get("references") or {})  # without the last build's
        tmp = self.folder / (INDEX_FILE + ".tmp")
        with open(tmp, "wb") as handle:
            pickle.dump(self.index, handle, protocol=_PICKLE)
        os.replace(tmp, self.folder / INDEX_FILE)
        tmp = self.folder / (MANIFEST_FILE + ".tmp")
        tmp.write_text(json.dumps(self.manifest, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.folder / MANIFEST_FILE)
        self.inputs.save()
        self._delete_unused_files()

    def _delete_unused_files(self) -> None:
        """Parts files no index entry names (earlier renders, failed builds) and old layouts."""
        used = {entry.file for entry in self.index["reports"].values()}
        try:
            with os.scandir(self.parts_folder) as entries:
                stale = [e.path for e in entries if e.name not in used]
        except OSError:
            stale = []
        for path in [*stale, *(self.folder / name for name in OLD_FILES)]:
            try:
                os.unlink(path)
            except OSError:
                pass

    def _intact(self, name: str) -> bool:
        entry = self.manifest["outputs"].get(name)
        if not entry:
            return False
        try:
            st = (self.out_dir / name).stat()
        except OSError:
            return False
        return st.st_size == entry[1] and st.st_mtime_ns == entry[2]

    def _incremental(self) -> bool:
        """Whether this build may keep files of the last one (else the staging folder is swapped
        in whole: first build, ``--clean``, an output folder that is a link)."""
        return bool(self.manifest["outputs"]) and self.out_dir.is_dir() and not self.out_dir.is_symlink()

    # ---- the no-op check

    def up_to_date(self, key: str) -> bool:
        """True when the last build had this site key and its output is as it left it."""
        outputs = self.manifest["outputs"]
        return bool(outputs) and self.manifest.get("site_key") == key and all(self._intact(n) for n in outputs)

    # ---- parsed report files

    def report_file(self, path: Path, display: str, data: bytes | None, digest: str,
                    parse: Callable[[bytes, str], ReportFile]) -> ReportFile:
        """The parsed report file of ``path`` with SHA-256 ``digest`` (``data``: its bytes, when
        read): its front matter from the index when these bytes were parsed before (the body is
        then read only if needed), else ``parse(data, display)``."""
        files = self.index["files"]
        key = f"{display}\0{digest}"
        hit = files.get(key)
        if hit is not None:
            meta, body_line, offset = hit
            report: ReportFile = CachedReportFile.lazy(display, meta, body_line, path, offset, digest)
        else:
            if data is None or sha256(data) != digest:
                data = path.read_bytes()
                if sha256(data) != digest:
                    raise SourceError("the report changed while the site was being built", path=display,
                                      hint="build again")
            report = parse(data, display)
            text = _text(data)
            if text.endswith(report.body):  # the body is the rest of the file (as parse_front_matter cuts it)
                files[key] = hit = (report.meta, report.body_line, len(text) - len(report.body))
                # this process need not hold the body: the worker that renders the page reads it
                report = CachedReportFile.lazy(display, report.meta, report.body_line, path, hit[2], digest)
        self._file_digests[display] = (report, digest)
        return report

    def glossary(self, path: Path | None, load: Callable[[], "Glossary | None"]) -> "Glossary | None":
        """The site's glossary: ``load()`` when its file changed since it was last loaded (or the
        builder did), else the glossary then loaded, from the index (parsing it takes a tenth of
        a second).  A glossary that fails to load is never kept."""
        if path is None or not path.is_file():
            return load()
        key = f"{path}\0{sha256(path.read_bytes())}\0{self._fingerprint()}"
        if self._glossary is not None and self._glossary[0] == key:
            return self._glossary[1]
        saved = self.index.get("glossary")
        if saved is not None and saved[0] == key:
            glossary = pickle.loads(saved[1])
        else:
            glossary = load()
            try:
                self.index["glossary"] = (key, pickle.dumps(glossary, _PICKLE))
            except (pickle.PicklingError, TypeError, AttributeError):  # only slower
                self.index.pop("glossary", None)
        self._glossary = (key, glossary)
        return glossary

    def forget_files(self, keep: Iterable[str]) -> None:
        """Forget every report file but those named ``keep`` (as last given to :meth:`report_file`)."""
        keep = set(keep)
        for display in [d for d in self._file_digests if d not in keep]:
            del self._file_digests[display]
        current = {f"{display}\0{digest}" for display, (_, digest) in self._file_digests.items()}
        files = self.index["files"]
        for key in [k for k in files if k not in current]:
            del files[key]

    # ---- rendering (the ``renderer`` hook of render.build_pages)

    def renderer(self, settings: "render.PageSettings", jobs: Sequence["render.ReportJob"],
                 stage: Path | None = None) -> StoredParts:
        """Take each report page from the last build when its key and files are unchanged, render
        the others (see :func:`render_reports`); return every report's parts for the site-wide
        outputs.  Starts a new build: what :meth:`input_key` and :meth:`unchanged` learn is reset."""
        self.build = _Build(incremental=self._incremental(), references=_Memo(self.index.get("references")))
        self.index["references"] = self.build.references
        env = render._settings_env(settings)
        salt = self._render_salt(settings, env)
        entries: dict[str, StoredReport] = self.index["reports"]
        incremental = self.build.incremental
        present = self._parts_present() if incremental else set()
        stored: list[StoredReport | None] = [None] * len(jobs)
        items: list = [None] * len(jobs)
        misses: list[int] = []
        keys = [self._report_key(salt, job) for job in jobs]
        for i, job in enumerate(jobs):
            entry = entries.get(f"reports/{job.report.meta['slug']}.html")
            if incremental and entry is not None and entry.key == keys[i] and entry.file in present \
                    and all(self._same(name, digest) for name, digest in entry.pages):
                stored[i], items[i] = entry, entry.item
                for name, _ in entry.pages:
                    self.kept[name] = self.manifest["outputs"][name]
            else:
                misses.append(i)
        fresh = render_reports(settings, [(jobs[i], keys[i]) for i in misses], self.jobs, stage, self.parts_folder)
        self.rendered_count = len(fresh)
        for i, (entry, outputs) in zip(misses, fresh):
            entries[entry.item.url] = stored[i] = entry
            items[i] = replace(entry.item, staged=entry.pages) if stage is not None else \
                replace(entry.item, outputs=outputs)
        live = {item.url for item in items}
        for url in [u for u in entries if u not in live]:
            del entries[url]
        return StoredParts(items, stored, self.parts_folder, settings.glossary)  # type: ignore[arg-type]

    def _same(self, name: str, digest: str) -> bool:
        return self._intact(name) and self.manifest["outputs"][name][0] == digest

    def _parts_present(self) -> set[str]:
        try:
            return set(os.listdir(self.parts_folder))
        except OSError:
            return set()

    def _salt(self) -> str:
        """What every output depends on besides its own inputs: the builder, config.yaml and the glossary."""
        if not self.build.salt:
            digest = hashlib.sha256(f"v{CACHE_VERSION}\0{self._fingerprint()}\0".encode())
            digest.update(self.config.path.read_bytes() if self.config.path.is_file() else b"")
            digest.update(b"\0" + self._glossary_bytes())
            self.build.salt = digest.hexdigest()
        return self.build.salt

    def _template(self, env: "jinja2.Environment", name: str) -> str:
        if name not in self.build.templates:
            self.build.templates[name] = template_digest(env, name, self.build.references)
        return self.build.templates[name]

    def _render_salt(self, settings: "render.PageSettings", env: "jinja2.Environment") -> str:
        base = hashlib.sha256()
        for part in (self._salt(), render.REPORT_TEMPLATE, self._template(env, render.REPORT_TEMPLATE),
                     self._template(env, render.INDICATORS_REPORT_TEMPLATE), settings.full_table_max,
                     settings.site_name, settings.base, settings.indicator_count, settings.glossary_link,
                     repr(settings.env_globals), str(settings.templates_dir)):
            base.update(str(part).encode())
            base.update(b"\0")
        return base.hexdigest()

    def _report_key(self, salt: str, job: "render.ReportJob") -> str:
        """The render key of a report page: the salt, the report file's path and bytes (or, for a
        file not read by :meth:`report_file`, its parsed parts), its neighbours and its PDF."""
        report = job.report
        known = self._file_digests.get(report.path)
        if known is not None and known[0] is report:
            source: list = [known[1]]
        else:
            source = [report.body_line, sha256(report.body.encode()), repr(sorted(report.meta.items(), key=lambda kv: kv[0]))]
        return sha256(json.dumps([salt, report.path, *source, job.prev_report, job.next_report, job.has_pdf],
                                 ensure_ascii=False, default=str).encode())

    def _glossary_bytes(self) -> bytes:
        path = self.config.glossary_path
        return path.read_bytes() if path is not None and path.is_file() else b""

    @staticmethod
    def _fingerprint() -> str:
        from builder.build.pipeline import builder_fingerprint

        return builder_fingerprint()

    # ---- site-wide outputs (the ``keep`` policy of render.build_pages)

    def input_key(self, name: str, env: "jinja2.Environment", templates: Sequence[str], inputs: object) -> str:
        """The input key of site-wide output ``name``: the salt, its templates (with what they
        include) and ``inputs`` (plain values, digests among them)."""
        digest = hashlib.sha256(f"{self._salt()}\0{name}\0".encode())
        for template in templates:
            digest.update(f"{template}:{self._template(env, template)}\0".encode())
        digest.update(repr(inputs).encode())
        return digest.hexdigest()

    def unchanged(self, name: str, key: str) -> bool:
        """True when output ``name`` was built from input key ``key`` and is intact: it is kept.
        Otherwise the key is remembered, to be saved with the output once it is written."""
        if self.build.incremental and self.manifest["inputs"].get(name) == key and self._intact(name):
            self.kept[name] = self.manifest["outputs"][name]
            return True
        self.build.input_keys[name] = key
        return False

    # ---- writing

    def write(self, staged: "render.StagedFiles", key: str, *, clean: bool = False) -> list[str]:
        """Bring the output folder to the staged files plus the kept ones; return the names written.

        ``staged`` is the complete new output (but the kept files) in a staging folder beside the
        output folder.  First build, ``--clean`` or no manifest: the staging folder is swapped in
        whole.  Otherwise each staged file whose digest differs from the output's is moved over its
        target (``os.replace``), files the site no longer has are deleted, and the staging folder
        (holding the unchanged files) is left for the caller to delete.
        """
        out = self.out_dir
        outputs = self.manifest["outputs"]
        digests = staged.digests
        if clean or not self.build.incremental:
            render.swap_in(staged.folder, out)
            written = sorted(digests)
            outputs = {}
        else:
            written = self._move_changed(staged, outputs)
        new_outputs = {}
        written_set = set(written)
        for name in sorted(set(digests) | set(self.kept)):
            if name in self.kept and name not in digests:
                new_outputs[name] = self.kept[name]
            elif name in written_set or name not in outputs:
                st = (out / name).stat()
                new_outputs[name] = [digests[name], st.st_size, st.st_mtime_ns]
            else:
                new_outputs[name] = outputs[name]
        old_inputs = self.manifest["inputs"]
        self.manifest["outputs"] = new_outputs
        self.manifest["inputs"] = {name: self.build.input_keys.get(name, old_inputs.get(name))
                                   for name in sorted(new_outputs)
                                   if name in self.build.input_keys or (name in self.kept and name in old_inputs)}
        self._save(key)
        return written

    def _move_changed(self, staged: "render.StagedFiles", outputs: dict) -> list[str]:
        """Move each staged file whose digest differs over its target; delete files no longer wanted."""
        out = self.out_dir
        written = []
        try:
            made: set[Path] = set()
            for name, digest in sorted(staged.digests.items()):
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
            wanted = set(staged.digests) | set(self.kept)
            for name in _delete_unwanted(out, wanted):
                outputs.pop(name, None)
        except OSError as error:
            raise OutputError(f"cannot write output: {error.strerror or error}", path=str(out)) from None
        return written
