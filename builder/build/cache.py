"""The build cache: what an incremental build keeps of the last one, and how it decides what is unchanged.

Files in ``paths.cache`` (default ``.cache/``):

* ``build-manifest.json`` — read by every build, so it stays small: the *site key* of the last
  successful build (a hash of the builder's fingerprint, config.yaml, every template and static
  file, the glossary, every report Markdown file and the PDFs ``builder pdf`` left in the output
  folder; two hashes, of the report files and of everything else); for every file of the output
  folder its digest, size and mtime; for every site-wide output the *input key* it was built
  from (below); the *site basis* (the settings' hash and a digest of what every report gave the
  site-wide outputs, :meth:`BuildCache.keep_site_outputs`); and the build's *notes*
  (:class:`BuildNotes`: the report files it could not use, the reports needing review), which a
  no-op build repeats.  When the site key is unchanged
  and every output file still has the size and mtime recorded, ``builder build`` stops there:
  no parsing, no segmentation, no file written.
* ``file-digests.json`` — the SHA-256 of every scraped page and report file with its size, mtime,
  ctime and inode: a file whose stat is unchanged is not read again (see :class:`FileDigests`).
* ``render-index.pickle`` (and ``render-index.pickle.journal``: a build appends what it changed,
  ``build.journal``) — read by every build that renders (3.6 MB at N=1000, loaded in about 10 ms): per
  report page, the key it was rendered under (its file's path and bytes, its neighbours' titles,
  whether it has a PDF, and a hash of everything the page's templates, the config and the
  glossary contribute), the digests of its two pages, its counts of indicators and where its
  parts are, with a digest per part, and its summary, pickled (``build.parts.StoredReport``); the
  front matter of every report file by content hash, its plain values at hand and the rest
  pickled (:class:`StoredMeta`; an unchanged file is not parsed again, and its body is read only
  if its page is rendered again: :class:`StoredReportFile`); the parsed glossary; which templates
  each template source refers to; the glossary's pinyin sort keys.
* ``reports/<slug>-<key>.parts`` — per rendered report, its parts (``build.parts``); files no
  index entry names are deleted when the index is saved.
* ``jinja/`` — compiled templates (``render.templates.bytecode_cache``).

What a build renders (``build.scheduler`` asks, this answers):

* A report page (with its indicators page) whose render key is unchanged and whose output files
  are intact is not rendered (:meth:`BuildCache.stored_report`).
* Each site-wide output (index, reports.json, indicators page, data files, glossary page and
  data, sitemap, 404 page, assets, PDFs) has an *input key*: the builder, the config and the
  glossary, its templates (with what they include), the settings, and the digests of the parts it
  takes from every report.  When the key is unchanged and the file intact, the output is neither
  rendered nor written (:meth:`BuildCache.unchanged`).  So an edit of a paragraph's wording
  renders that report's pages only; an edit of a figure also rebuilds the indicators page and the
  data files, which are streamed from the parts files (their manifest digest is their input key,
  so 90 MB are not hashed).  When nothing but report files changed and every report gives the
  site-wide outputs what it gave them last time, in the same order, no input key is even
  computed: every site-wide output is kept (:meth:`BuildCache.keep_site_outputs`).

Writing (:meth:`BuildCache.commit`): when the output folder and its manifest exist, each staged
file whose digest differs is moved over its target and files the site no longer has are deleted;
otherwise (first build, ``--clean``) the staging folder is swapped in whole.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.build.journal import JournaledFile
from builder.core.config import BUNDLED_TEMPLATES, PDF_DIR, Config
from builder.core.errors import Problem, SourceError
from builder.core.hashing import builder_fingerprint, sha256
from builder.core.model import ReportFile, ReportHeader
from builder.core.parallel import default_jobs

if TYPE_CHECKING:  # pragma: no cover
    import jinja2

    from builder.build.output import StagedFiles
    from builder.build.parts import StoredReport
    from builder.glossary.pages import PinyinKeys
    from builder.glossary.terms import Glossary
    from builder.render.report import PagePlace, PageRenderer, PageSettings

MANIFEST_FILE = "build-manifest.json"
INDEX_FILE = "render-index.pickle"
DIGESTS_FILE = "file-digests.json"
PARTS_DIR = "reports"
CUTS_DIR = "cuts"
JINJA_DIR = "jinja"
#: Files of older cache layouts, deleted when the cache is saved.
OLD_FILES = ("render-cache.pickle",)
CACHE_VERSION = 8  # 7: StoredReport.site_digest, the manifest's site_basis; 8: its summary pickled, StoredMeta
_PICKLE = pickle.HIGHEST_PROTOCOL


# --------------------------------------------------------------------------- keys


def _files_digest(digest: hashlib._Hash, folder: Path, label: str) -> None:
    if not folder.is_dir():
        digest.update(f"{label}:none\n".encode())
        return
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(f"{label}:{path.relative_to(folder).as_posix()}\n".encode())
        digest.update(sha256(path.read_bytes()).encode())


def site_key(config: Config, report_paths: Sequence[Path], digests: Mapping[Path, str] | None = None) -> str:
    """A hash of every input of the render stage (see the module docstring).  ``digests``: the
    SHA-256 of each report file, when the caller has them already.  Two hashes, ``SETTINGS.REPORTS``:
    of every input but the report files (:func:`settings_part`), and of the report files."""
    reports = hashlib.sha256()
    for path in report_paths:
        data = digests[path] if digests is not None else sha256(path.read_bytes())
        reports.update(f"\nreport:{path.name}:{data}\n".encode())
    return f"{_settings_key(config)}.{reports.hexdigest()}"


def settings_part(key: str) -> str:
    """The hash of a :func:`site_key` over every input but the report files."""
    return key.partition(".")[0]


def _settings_key(config: Config) -> str:
    digest = hashlib.sha256(f"v{CACHE_VERSION}:{builder_fingerprint()}\n".encode())
    digest.update(config.path.read_bytes() if config.path.is_file() else b"no-config")
    digest.update(str(config.root).encode())
    digest.update(f"\nsite_url:{config.site_url}\n".encode())  # it may come from --site-url
    _files_digest(digest, config.templates_dir, "templates")
    if config.templates_dir.resolve() != BUNDLED_TEMPLATES.resolve():
        _files_digest(digest, BUNDLED_TEMPLATES, "bundled")
    glossary = config.glossary_path
    digest.update(glossary.read_bytes() if glossary is not None and glossary.is_file() else b"no-glossary")
    pdf = config.output_dir / PDF_DIR
    if pdf.is_dir():
        for path in sorted(pdf.glob("*.pdf")):
            st = path.stat()
            digest.update(f"pdf:{path.name}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def template_digest(env: jinja2.Environment, name: str,
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


class _Memo(dict[str, "tuple[str, ...] | None"]):
    """This build's memo of template references, taking the entries it uses from the last
    build's (so the memo holds only templates still in use)."""

    def __init__(self, previous: object = None):
        super().__init__()
        self.previous = previous if isinstance(previous, Mapping) else {}

    def __missing__(self, key: str) -> tuple[str, ...] | None:
        if key not in self.previous:
            raise KeyError(key)
        value = self[key] = self.previous[key]
        return value


def _references(env: jinja2.Environment, source: str) -> tuple[str, ...] | None:
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
        self._known: dict[str, list[Any]] = {} if fresh else self._load()
        self._seen: dict[str, list[Any]] = {}

    def _load(self) -> dict[str, list[Any]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        files = data.get("files") if isinstance(data, dict) and data.get("version") == CACHE_VERSION else None
        return files if isinstance(files, dict) else {}

    def digest(self, path: Path) -> str:
        """The SHA-256 of ``path``'s bytes."""
        return self.read(path, keep=False)[1]

    def read(self, path: Path, *, keep: bool = True, trust: bool = False) -> tuple[bytes | None, str]:
        """(the bytes, or None when they were not read, and their SHA-256).  ``keep``: return the
        bytes when they had to be read.  ``trust``: the caller knows the file did not change since
        it was last seen (``builder serve``'s watcher says so), so a known digest is taken without
        looking at the file."""
        key = str(path)
        if trust:
            known = self._known.get(key)
            if known is not None:
                self._seen[key] = known
                return None, known[4]
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
        else:  # not to be trusted yet: nor is what an earlier look (a no-op build not saved) saw
            self._seen.pop(key, None)
        return (data if keep else None), digest

    def save(self) -> None:
        """Write what this process saw (the files it did not look at are dropped), if it differs."""
        seen, self._seen = self._seen, {}
        if seen != self._known:
            tmp = self.path.with_name(self.path.name + ".tmp")
            tmp.write_text(json.dumps({"version": CACHE_VERSION, "files": seen}), encoding="utf-8")
            os.replace(tmp, self.path)
        self._known = seen




def cuts_file(slug: str) -> str:
    """The file of a report's glossary runs as cut, in :attr:`BuildCache.cuts_folder`."""
    return f"{slug}.cuts"


def _text(data: bytes) -> str:
    """A report file's text as ``parse_front_matter`` reads it (UTF-8, without a BOM)."""
    text = data.decode("utf-8")
    return text[1:] if text.startswith("\ufeff") else text


class StoredMeta(Mapping[str, object]):
    """A report file's front matter as the cache's index keeps it: its plain values (text, numbers,
    null) at hand, the whole front matter pickled and read only when a nested value (evidence,
    the cleaning log, the preamble) or the whole is asked for.  Loading the index then builds no
    evidence dicts for the reports a build does not render."""

    __slots__ = ("_head", "_data", "_whole")

    def __init__(self, head: dict[str, object], data: bytes):
        self._head, self._data = head, data
        self._whole: dict[str, object] | None = None

    @staticmethod
    def head_of(meta: Mapping[str, object]) -> dict[str, object]:
        """The plain values of ``meta``, and a mark for each other key (its value is in the whole)."""
        return {key: value if value is None or isinstance(value, str | int | float) else _NESTED
                for key, value in meta.items()}

    def whole(self) -> dict[str, object]:
        """The whole front matter, as parsed."""
        if self._whole is None:
            self._whole = pickle.loads(self._data)
        return self._whole

    def __getitem__(self, key: str) -> object:
        value = self._head[key]
        return self.whole()[key] if value is _NESTED else value

    def get(self, key: str, default: object = None) -> object:
        value = self._head.get(key, default)
        return self.whole()[key] if value is _NESTED else value

    def __contains__(self, key: object) -> bool:
        return key in self._head

    def __iter__(self) -> Iterator[str]:
        return iter(self._head)

    def __len__(self) -> int:
        return len(self._head)

    def __eq__(self, other: object) -> bool:
        return dict(self.items()) == (dict(other.items()) if isinstance(other, Mapping) else other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return repr(self.whole())

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return StoredMeta, (self._head, self._data)


class _Nested:
    """The head's mark of a value kept only in the whole front matter."""

    def __reduce__(self) -> str:
        return "_NESTED"


_NESTED = _Nested()


@dataclass(frozen=True)
class StoredReportFile:
    """A report file whose front matter the cache read before (from the same bytes): its path and
    front matter now, its body only when its page is rendered (:meth:`load`), and only if the file
    still has the bytes it was known by.  A ``model.ReportHeader``."""

    path: str
    """The file as the user names it (for messages)."""
    meta: Mapping[str, object]
    body_line: int
    file: str
    """Where it is on disk."""
    offset: int
    """Where its body starts in its text."""
    digest: str
    """The SHA-256 of the bytes its front matter was read from."""

    def load(self) -> ReportFile:
        """The whole report file, its body read from disk."""
        try:
            data = Path(self.file).read_bytes()
        except OSError as error:
            raise SourceError(f"cannot read report: {error.strerror or error}", path=self.path) from None
        if sha256(data) != self.digest:
            raise SourceError("the report changed while the site was being built", path=self.path,
                              hint="build again")
        meta = self.meta.whole() if isinstance(self.meta, StoredMeta) else self.meta
        return ReportFile(path=self.path, meta=meta, body=_text(data)[self.offset:], body_line=self.body_line)


ReportSource = ReportFile | StoredReportFile
"""A report file as a build has it: read whole, or known to the cache."""


def load_report(source: ReportSource) -> ReportFile:
    """The whole report file of ``source``."""
    return source if isinstance(source, ReportFile) else source.load()


@dataclass(frozen=True)
class BuildNotes:
    """What a build told the user about its report files, kept in the manifest (``notes``) so a
    no-op build can say it again: how many reports it published, the report files it could not
    use, the reports whose front matter asks for review."""

    reports: int = 0
    warnings: tuple[Problem, ...] = ()
    review: tuple[tuple[str, str], ...] = ()
    """(slug, reason)."""

    def to_json(self) -> dict[str, Any]:
        return {"reports": self.reports, "warnings": [problem.to_json() for problem in self.warnings],
                "review": [list(pair) for pair in self.review]}

    @classmethod
    def from_json(cls, value: object) -> BuildNotes:
        """The notes saved by :meth:`to_json`; empty ones for anything else (an old or damaged manifest)."""
        if not isinstance(value, dict):
            return cls()
        reports = value.get("reports")
        warnings = [Problem.from_json(item) for item in value.get("warnings") or []]
        review = [tuple(item) for item in value.get("review") or []
                  if isinstance(item, list) and len(item) == 2 and all(isinstance(x, str) for x in item)]
        return cls(reports if isinstance(reports, int) else 0,
                   tuple(problem for problem in warnings if problem is not None),
                   tuple((slug, reason) for slug, reason in review))


def _empty_manifest() -> dict[str, Any]:
    return {"version": CACHE_VERSION, "site_key": "", "outputs": {}, "inputs": {}}


def _empty_index() -> dict[str, Any]:
    return {"version": CACHE_VERSION, "reports": {}, "files": {}}


@dataclass
class _Build:
    """What one build learns as it goes (reset by :meth:`BuildCache.start_build`)."""

    kept: dict[str, list[Any]] = field(default_factory=dict)
    """Output name -> its manifest entry, for the files left as they are."""
    input_keys: dict[str, str] = field(default_factory=dict)
    """Site-wide output name -> the input key it is being built from."""
    templates: dict[str, str] = field(default_factory=dict)
    """Template name -> :func:`template_digest`, computed once per build."""
    references: dict[str, Any] = field(default_factory=dict)
    """The memo of :func:`template_digest` (saved in the index)."""
    salt: str = ""
    """What every output depends on: the builder, the config, the glossary."""
    incremental: bool = False
    """Whether this build keeps files of the last one (see :meth:`BuildCache._incremental`)."""
    parts_present: frozenset[str] = frozenset()
    """The parts files there are (those of an incremental build's cached pages)."""
    render_keys: dict[tuple[object, ...], str] = field(default_factory=dict)
    """The render keys this build computed (the memo of the next one)."""
    reports_digest: str = ""
    """A digest of what the site-wide outputs take from every report, in order (:meth:`BuildCache.remember_reports`)."""


class BuildCache:
    """The render cache and output manifest of one site (kept in memory by ``builder serve``)."""

    def __init__(self, config: Config, *, jobs: int | None = None, fresh: bool = False):
        self.config = config
        self.folder: Path = config.cache_dir
        self.out_dir: Path = config.output_dir
        self._out_text = str(self.out_dir)
        self.jobs = jobs if jobs is not None else default_jobs()
        self.manifest = self._load_manifest()
        self._index: dict[str, Any] | None = None
        self._index_file = JournaledFile(self.folder / INDEX_FILE, ("reports", "files"))
        if fresh:  # --clean: ignore what is on disk (it is replaced when the build succeeds)
            self.manifest = _empty_manifest()
            self._index = _empty_index()
        self.build = _Build()
        self._file_digests: dict[str, tuple[ReportHeader, str]] = {}
        self._glossary: tuple[str, Glossary | None] | None = None
        self._pinyin: PinyinKeys | None = None
        self._bytecode: tuple[jinja2.BytecodeCache | None] | None = None
        self.inputs = FileDigests(self.folder, fresh=fresh)
        """The digests of the input files (kept in memory by ``builder serve`` too)."""
        self.next_notes = BuildNotes()
        """The notes of the build under way, saved with its manifest (:meth:`commit`)."""
        self.trust_outputs = False
        """Whether this build takes the output folder to be as the last build of this cache left
        it, without looking (``builder serve``, which alone writes it, after an edit of report
        files only): files are then not checked by their size and mtime, nor the folder walked."""
        self.last_reports: dict[Path, str] | None = None
        """The report files of the last build of this cache, with their names as the user gives
        them (kept in memory, for ``builder serve``)."""
        self._render_keys: dict[tuple[object, ...], str] = {}
        self.checked_reports: set[tuple[str, str]] = set()
        """The report files (name, digest) whose front matter this process found fit to publish
        (``sitesrc.validate_reports``): ``builder serve`` checks again only the files that changed."""
        self._renderer: PageRenderer | None = None
        self.last_page_warnings: list[Problem] | None = None
        """The scraped pages' warnings at the last build of this cache (for ``builder serve``)."""
        self.defer_save = False
        """Whether :meth:`commit` leaves saving the cache to :meth:`save_pending` (``builder serve``
        saves it after the browsers were told to reload)."""
        self._pending_key: str | None = None

    @property
    def kept(self) -> dict[str, list[Any]]:
        """Output name -> manifest entry of every file this build leaves as it is."""
        return self.build.kept

    # ---- files

    def _load_manifest(self) -> dict[str, Any]:
        try:
            data = json.loads((self.folder / MANIFEST_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return _empty_manifest()
        if data.get("version") != CACHE_VERSION or not isinstance(data.get("outputs"), dict) \
                or not isinstance(data.get("inputs"), dict):
            return _empty_manifest()
        return data

    @property
    def index(self) -> dict[str, Any]:
        """The render index (see the module docstring), read on first use."""
        if self._index is None:
            data = self._index_file.load(lambda data: data.get("version") == CACHE_VERSION)
            self._index = data if data is not None else _empty_index()  # missing, old or damaged: only slower
        return self._index

    @property
    def parts_folder(self) -> Path:
        return self.folder / PARTS_DIR

    @property
    def cuts_folder(self) -> Path:
        """Each report's glossary runs as cut (``segment.remembered_cuts``), one file per report."""
        return self.folder / CUTS_DIR

    @property
    def pinyin(self) -> PinyinKeys:
        """The glossary's pinyin sort keys, from the index (so pypinyin need not be loaded again)."""
        if self._pinyin is None:
            from builder.glossary.pages import PinyinKeys

            self._pinyin = PinyinKeys.restore(self.index.get("pinyin"))
        return self._pinyin

    @property
    def bytecode(self) -> jinja2.BytecodeCache | None:
        """Compiled templates, kept in ``jinja/`` (None when that folder cannot be made)."""
        if self._bytecode is None:
            from builder.render.templates import bytecode_cache

            self._bytecode = (bytecode_cache(self.folder / JINJA_DIR),)
        return self._bytecode[0]

    def renderer(self, settings: PageSettings) -> PageRenderer:
        """A page renderer of ``settings`` with this cache's compiled templates and pinyin keys
        (a new one per build: its template environment sees the site's template folder as it is
        now; loading compiled templates costs under a millisecond)."""
        from builder.render.report import PageRenderer

        if self.trust_outputs and self._renderer is not None and self._renderer.settings == settings:
            return self._renderer  # only report files changed since: the same templates
        self._renderer = PageRenderer(settings, bytecode=self.bytecode, pinyin=self.pinyin)
        return self._renderer

    @property
    def notes(self) -> BuildNotes:
        """The notes of the last build that was written."""
        return BuildNotes.from_json(self.manifest.get("notes"))

    def _save(self, key: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.manifest["site_key"] = key
        self.manifest["site_basis"] = f"{settings_part(key)}:{self.build.reports_digest}" \
            if key and self.build.reports_digest else ""
        self.manifest["notes"] = self.next_notes.to_json()
        self.index["pinyin"] = self.pinyin.saved()
        self.index["references"] = dict(self.index.get("references") or {})  # without the last build's
        self._index_file.save(self.index)
        tmp = self.folder / (MANIFEST_FILE + ".tmp")
        tmp.write_text(json.dumps(self.manifest, sort_keys=True), encoding="utf-8")
        os.replace(tmp, self.folder / MANIFEST_FILE)
        self.inputs.save()
        self._delete_unused_files()

    def _delete_unused_files(self) -> None:
        """Parts files no index entry names (earlier renders, failed builds), the runs of reports
        the site no longer has, and old layouts."""
        used = {entry.file for entry in self.index["reports"].values()}
        stale: list[str | Path] = []
        with contextlib.suppress(OSError), os.scandir(self.parts_folder) as entries:
            stale = [e.path for e in entries if e.name not in used]
        cuts = {cuts_file(entry.slug) for entry in self.index["reports"].values()}
        with contextlib.suppress(OSError), os.scandir(self.cuts_folder) as entries:
            stale += [e.path for e in entries if e.name not in cuts]
        for path in [*stale, *(self.folder / name for name in OLD_FILES)]:
            with contextlib.suppress(OSError):
                os.unlink(path)

    def _intact(self, name: str) -> bool:
        entry = self.manifest["outputs"].get(name)
        if not entry:
            return False
        if self.trust_outputs:
            return True
        try:
            st = os.stat(f"{self._out_text}/{name}")  # (a str path: pathlib costs more than the stat)
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

    # ---- parsed report files and the glossary

    def report_file(self, path: Path, display: str, data: bytes | None, digest: str) -> ReportSource:
        """The report file ``path`` with SHA-256 ``digest`` (``data``: its bytes, when read): its
        front matter from the index when these bytes were parsed before (the body is then read
        only if its page is rendered), else parsed now (``sitesrc.parse_report_bytes``)."""
        files = self.index["files"]
        key = f"{display}\0{digest}"
        hit = files.get(key)
        report: ReportSource
        if hit is not None:
            head, data, body_line, offset = hit
            report = StoredReportFile(display, StoredMeta(head, data), body_line, str(path), offset, digest)
        else:
            from builder import sitesrc

            if data is None or sha256(data) != digest:
                data = path.read_bytes()
                if sha256(data) != digest:
                    raise SourceError("the report changed while the site was being built", path=display,
                                      hint="build again")
            report = sitesrc.parse_report_bytes(data, display)
            text = _text(data)
            if text.endswith(report.body):  # the body is the rest of the file (as parse_front_matter cuts it)
                offset = len(text) - len(report.body)
                head, whole = StoredMeta.head_of(report.meta), pickle.dumps(dict(report.meta), _PICKLE)
                files[key] = (head, whole, report.body_line, offset)
                # this process need not hold the body (the worker that renders the page reads it),
                # nor the nested values of the front matter
                report = StoredReportFile(display, StoredMeta(head, whole), report.body_line, str(path), offset,
                                          digest)
        self._file_digests[display] = (report, digest)
        return report

    def forget_files(self, keep: Iterable[str]) -> None:
        """Forget every report file but those named ``keep`` (as last given to :meth:`report_file`)."""
        keep = set(keep)
        for display in [d for d in self._file_digests if d not in keep]:
            del self._file_digests[display]
        current = {f"{display}\0{digest}" for display, (_, digest) in self._file_digests.items()}
        files = self.index["files"]
        for key in [k for k in files if k not in current]:
            del files[key]

    def glossary(self, path: Path | None, load: Callable[[], Glossary | None]) -> Glossary | None:
        """The site's glossary: ``load()`` when its file changed since it was last loaded (or the
        builder did), else the glossary then loaded, from the index (parsing it takes a tenth of
        a second).  A glossary that fails to load is never kept."""
        if path is None or not path.is_file():
            return load()
        key = f"{path}\0{sha256(path.read_bytes())}\0{builder_fingerprint()}"
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

    # ---- report pages

    def start_build(self) -> None:
        """Start a build: forget what the last one learnt of input keys and kept files."""
        incremental = self._incremental()
        if self.build.render_keys:  # the memo keeps the keys of the last build only
            self._render_keys = self.build.render_keys
        self.build = _Build(incremental=incremental, references=_Memo(self.index.get("references")),
                            parts_present=frozenset(self._parts_present()) if incremental else frozenset())
        self.index["references"] = self.build.references

    def _parts_present(self) -> list[str]:
        try:
            return os.listdir(self.parts_folder)
        except OSError:
            return []

    def render_salt(self, settings: PageSettings, env: jinja2.Environment) -> str:
        """What every report page depends on besides its own report file and place."""
        from builder.render.templates import INDICATORS_REPORT_TEMPLATE, REPORT_TEMPLATE

        base = hashlib.sha256()
        for part in (self._salt(), REPORT_TEMPLATE, self._template(env, REPORT_TEMPLATE),
                     self._template(env, INDICATORS_REPORT_TEMPLATE), settings.full_table_max,
                     settings.site_name, settings.base, settings.indicator_count, settings.glossary_link,
                     repr(settings.template_globals), str(settings.templates_dir)):
            base.update(str(part).encode())
            base.update(b"\0")
        return base.hexdigest()

    def render_key(self, salt: str, source: ReportHeader, place: PagePlace) -> str:
        """The render key of a report page: the salt, the report file's path and bytes (or, for a
        file not read by :meth:`report_file`, its parsed parts), its neighbours and its PDF."""
        known = self._file_digests.get(source.path)
        basis: list[object]
        if isinstance(source, StoredReportFile):
            basis = [source.digest]
        elif known is not None and known[0] is source:
            basis = [known[1]]
        else:
            report = load_report(source)  # type: ignore[arg-type]  # (any other source is a ReportFile)
            basis = [report.body_line, sha256(report.body.encode()),
                     repr(sorted(report.meta.items(), key=lambda kv: kv[0]))]
        prev, after = place.prev_report, place.next_report
        memo = (salt, source.path, *basis, prev and (prev["title"], prev["url"]),
                after and (after["title"], after["url"]), place.has_pdf)
        key = self._render_keys.get(memo)
        if key is None:
            key = sha256(json.dumps([salt, source.path, *basis, prev, after, place.has_pdf],
                                    ensure_ascii=False, default=str).encode())
            self._render_keys[memo] = key
        self.build.render_keys[memo] = key
        return key

    def stored_report(self, url: str, key: str) -> StoredReport | None:
        """The last build's report page ``url`` when it was rendered under ``key`` and its files
        (pages and parts) are intact: its pages are then kept as they are."""
        entry: StoredReport | None = self.index["reports"].get(url)
        if not self.build.incremental or entry is None or entry.key != key \
                or entry.file not in self.build.parts_present \
                or not all(self._same(name, digest) for name, digest in entry.pages):
            return None
        for name, _ in entry.pages:
            self.kept[name] = self.manifest["outputs"][name]
        return entry

    def _same(self, name: str, digest: str) -> bool:
        return self._intact(name) and self.manifest["outputs"][name][0] == digest

    def remember_reports(self, reports: Sequence[StoredReport]) -> None:
        """The report pages of this build (those rendered and those kept): the index forgets the others."""
        entries: dict[str, StoredReport] = self.index["reports"]
        for entry in reports:
            entries[entry.url] = entry
        live = {entry.url for entry in reports}
        for url in [u for u in entries if u not in live]:
            del entries[url]
        digest = hashlib.sha256()
        for entry in reports:
            digest.update(f"{entry.url}\0{entry.site_digest}\0".encode())
        self.build.reports_digest = digest.hexdigest() if all(entry.site_digest for entry in reports) else ""

    def keep_site_outputs(self, key: str) -> bool:
        """Whether every site-wide output of the last build is kept as it is, without being asked
        for (and the files are then marked kept): when this build's site key (``key``) has the
        last one's settings part (the builder, config, templates, static files, glossary), every
        report gives the site-wide outputs what it gave them then, in the same order (so each
        output's input key is the same), no PDF is involved, and the outputs are intact.  So an
        edit of a report's wording makes none of the site-wide outputs, nor their input keys."""
        basis = self.manifest.get("site_basis")
        inputs = self.manifest["inputs"]
        if not key or not self.build.incremental or not self.build.reports_digest \
                or basis != f"{settings_part(key)}:{self.build.reports_digest}" \
                or any(name.startswith(PDF_DIR + "/") for name in inputs) \
                or not all(self._intact(name) for name in inputs):
            return False
        for name in inputs:
            self.kept[name] = self.manifest["outputs"][name]
        return True

    # ---- site-wide outputs

    def _salt(self) -> str:
        """What every output depends on besides its own inputs: the builder, config.yaml and the glossary."""
        if not self.build.salt:
            digest = hashlib.sha256(f"v{CACHE_VERSION}\0{builder_fingerprint()}\0".encode())
            digest.update(self.config.path.read_bytes() if self.config.path.is_file() else b"")
            digest.update(b"\0" + self._glossary_bytes())
            self.build.salt = digest.hexdigest()
        return self.build.salt

    def _glossary_bytes(self) -> bytes:
        path = self.config.glossary_path
        return path.read_bytes() if path is not None and path.is_file() else b""

    def _template(self, env: jinja2.Environment, name: str) -> str:
        if name not in self.build.templates:
            self.build.templates[name] = template_digest(env, name, self.build.references)
        return self.build.templates[name]

    def input_key(self, name: str, env: jinja2.Environment, templates: Sequence[str], inputs: object) -> str:
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

    def commit(self, staged: StagedFiles, key: str, *, clean: bool = False) -> list[str]:
        """Bring the output folder to the staged files plus the kept ones, record it (site key
        ``key``) and save the cache; return the names written.

        ``staged`` is the complete new output (but the kept files) in a staging folder beside the
        output folder.  First build, ``--clean`` or no manifest: the staging folder is swapped in
        whole.  Otherwise each staged file whose digest differs from the output's is moved over its
        target, files the site no longer has are deleted, and the staging folder (holding the
        unchanged files) is left for the caller to delete.
        """
        from builder.build import output

        outputs = self.manifest["outputs"]
        if clean or not self.build.incremental:
            output.swap_in(staged.folder, self.out_dir)
            written = sorted(staged.digests)
            outputs = {}
        else:
            present = set(outputs) if self.trust_outputs else None  # else the folder is walked
            written, deleted = output.move_changed(staged, self.out_dir, self._unchanged_file,
                                                   set(staged.digests) | set(self.kept), present)
            for name in deleted:
                outputs.pop(name, None)
        self._record_outputs(staged.digests, set(written), outputs)
        if self.defer_save:
            self._pending_key = key
        else:
            self._save(key)
        return written

    def save_pending(self) -> None:
        """Save the cache of the last build, when :attr:`defer_save` left it unsaved."""
        key, self._pending_key = self._pending_key, None
        if key is not None:
            self._save(key)

    def _unchanged_file(self, name: str, digest: str) -> bool:
        entry = self.manifest["outputs"].get(name)
        return bool(entry) and entry[0] == digest and self._intact(name)

    def _record_outputs(self, digests: Mapping[str, str], written: set[str], outputs: Mapping[str, Any]) -> None:
        """The manifest of the new output: every file's digest, size and mtime, and the input keys."""
        new_outputs = {}
        for name in sorted(set(digests) | set(self.kept)):
            if name in self.kept and name not in digests:
                new_outputs[name] = self.kept[name]
            elif name in written or name not in outputs:
                st = (self.out_dir / name).stat()
                new_outputs[name] = [digests[name], st.st_size, st.st_mtime_ns]
            else:
                new_outputs[name] = outputs[name]
        old_inputs = self.manifest["inputs"]
        input_keys = self.build.input_keys
        self.manifest["outputs"] = new_outputs
        self.manifest["inputs"] = {name: input_keys.get(name, old_inputs.get(name)) for name in sorted(new_outputs)
                                   if name in input_keys or (name in self.kept and name in old_inputs)}
