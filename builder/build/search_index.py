"""The site's full-text search index: Pagefind (``pagefind[extended]``) run over the built pages.

``builder build`` calls :func:`update_search_index` once the output folder holds the new pages
(``builder serve`` calls it in the background after a rebuild).  Pagefind reads the report pages
and the glossary page (their ``data-pagefind-*`` attributes: ``render.search``) and writes its
bundle into a temporary folder inside the output (``.pagefind-…``: same file system); only when
it succeeded is that folder renamed to ``pagefind/``, the old index renamed aside first and
deleted after.  So a failed run never leaves half an index: the previous one stays.

It runs only when an indexed page changed: the names, sizes and modification times of the pages
it reads are recorded in the cache folder (``search-index.json``) after each successful run, and
a build whose pages have the same stamp, with the index in place, skips it.

A failure (Pagefind missing, exiting with an error, the output not writable) is one
:class:`~builder.core.errors.Problem`; under ``--strict`` it is a :class:`SearchIndexError`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from builder.build.output import SEARCH_DIR, SEARCH_TEMP_PREFIX, replace_folder
from builder.core.config import Config
from builder.core.errors import BuilderError, Problem

#: The pages Pagefind reads, relative to the output folder (the others have no data-pagefind-body).
PAGES_GLOB = "{reports,glossary}/*.html"
INDEXED_FOLDERS = ("reports", "glossary")
#: Every page is Chinese: one index, cut by the extended build's Chinese segmenter.
LANGUAGE = "zh-cn"
STAMP_FILE = "search-index.json"
#: Seconds before a Pagefind run is given up (a large site takes about a minute).
TIMEOUT = 1800
MESSAGE_CHARS = 160


class SearchIndexError(BuilderError):
    """``--strict``: the search index could not be made (the pages were written; the old index stays)."""


@dataclass(frozen=True)
class SearchIndex:
    """What :func:`update_search_index` did."""

    ran: bool
    """False when no indexed page changed and the index was in place."""
    seconds: float
    problem: Problem | None = None
    pages: int = 0
    """Pages Pagefind indexed (0 when it did not run)."""
    words: int = 0


def update_search_index(config: Config, *, strict: bool = False, force: bool = False,
                        background: bool = False) -> SearchIndex:
    """Make ``<output>/pagefind/`` unless it is up to date (see the module docstring); ``force``:
    make it anyway.  ``strict``: raise :class:`SearchIndexError` instead of returning a problem.
    ``background``: run Pagefind at a low CPU priority (``builder serve``: rebuilds come first)."""
    started = time.perf_counter()
    out_dir = config.output_dir
    if not out_dir.is_dir():  # no site (yet): nothing to index
        return SearchIndex(False, 0.0)
    stamp = pages_stamp(out_dir)
    stamp_path = config.cache_dir / STAMP_FILE
    if not force and index_exists(out_dir) and _read_stamp(stamp_path) == stamp:
        return SearchIndex(False, time.perf_counter() - started)
    try:
        pages, words = _make_index(out_dir, config.relative(out_dir / SEARCH_DIR), background)
    except SearchIndexError as error:
        if strict:
            kept = "--strict: the pages were written, the last index is kept"
            raise SearchIndexError(error.message, path=error.path, hint=error.hint or kept) from None
        return SearchIndex(True, time.perf_counter() - started, Problem.of(error))
    with contextlib.suppress(OSError):  # without a stamp the next build indexes again: no harm
        stamp_path.write_text(json.dumps({"pages": stamp}), encoding="utf-8")
    return SearchIndex(True, time.perf_counter() - started, None, pages, words)


def check_pagefind(shown: str) -> None:
    """Raise :class:`SearchIndexError` when Pagefind cannot run at all (not installed, or its binary
    broken): ``--strict`` asks this before anything is written, so that the likely failures of the
    index leave the output untouched."""
    command = [sys.executable, "-m", "pagefind", "--version"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace",
                              timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SearchIndexError(f"search index cannot be made: cannot run Pagefind: {error}", path=shown) from None
    if done.returncode != 0:
        raise SearchIndexError(f"search index cannot be made: {_complaint(done.stderr, done.stdout)}", path=shown,
                               hint="pip install 'pagefind[extended]'" if "No module named" in done.stderr else "")


def index_exists(out_dir: Path) -> bool:
    folder = out_dir / SEARCH_DIR
    return (folder / "pagefind.js").is_file() and (folder / "pagefind-entry.json").is_file()


def pages_stamp(out_dir: Path) -> str:
    """A digest of the name, size and modification time of every page Pagefind reads."""
    rows = []
    for name in INDEXED_FOLDERS:
        with contextlib.suppress(OSError):
            for entry in os.scandir(out_dir / name):
                if entry.name.endswith(".html") and entry.is_file():
                    st = entry.stat()
                    rows.append(f"{name}/{entry.name}\t{st.st_size}\t{st.st_mtime_ns}")
    return hashlib.sha256("\n".join(sorted(rows)).encode("utf-8")).hexdigest()


def _read_stamp(path: Path) -> str | None:
    try:
        value = json.loads(path.read_text(encoding="utf-8")).get("pages")
    except (OSError, ValueError, AttributeError):
        return None
    return value if isinstance(value, str) else None


def _make_index(out_dir: Path, shown: str, background: bool = False) -> tuple[int, int]:
    """Run Pagefind into a temporary folder inside ``out_dir`` and swap it in; (pages, words).
    ``shown``: the index folder as messages name it."""
    try:
        temporary = Path(tempfile.mkdtemp(prefix=SEARCH_TEMP_PREFIX, dir=out_dir))
    except OSError as error:
        raise SearchIndexError(f"search index not made: {error.strerror or error}", path=shown) from None
    try:
        output = _run_pagefind(out_dir, temporary, shown, background)
        _swap(temporary, out_dir / SEARCH_DIR, shown)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    return _count(output, "pages"), _count(output, "words")


def _run_pagefind(site: Path, bundle: Path, shown: str, background: bool = False) -> str:
    """Pagefind's output (stdout), or SearchIndexError with its last line of complaint."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(bundle),
               "--glob", PAGES_GLOB, "--force-language", LANGUAGE, "--keep-index-url"]
    if background:
        command = _at_low_priority(command)
    try:
        done = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace",
                              timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise SearchIndexError(f"search index not made: Pagefind took longer than {TIMEOUT} s", path=shown) from None
    except OSError as error:
        raise SearchIndexError(f"search index not made: cannot run Pagefind: {error.strerror or error}",
                               path=shown) from None
    if done.returncode != 0 or not (bundle / "pagefind.js").is_file():
        raise SearchIndexError(f"search index not made: {_complaint(done.stderr, done.stdout)}", path=shown,
                               hint="pip install 'pagefind[extended]'" if "No module named" in done.stderr else "")
    return done.stdout


def _at_low_priority(command: list[str]) -> list[str]:
    """``command`` run through ``nice`` where there is one (a rebuild in serve comes first)."""
    nice = shutil.which("nice")
    return [nice, "-n", str(BACKGROUND_NICENESS), *command] if nice else command


def _complaint(*outputs: str) -> str:
    """The last line that says what went wrong, shortened to one line."""
    for text in outputs:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if lines:
            found = next((line for line in reversed(lines) if re.search(r"error|no module|cannot|failed", line, re.I)),
                         lines[-1])
            return found if len(found) <= MESSAGE_CHARS else found[:MESSAGE_CHARS - 1] + "…"
    return "Pagefind wrote no index"


def _swap(bundle: Path, target: Path, shown: str) -> None:
    """Rename ``bundle`` to ``target``, the old ``target`` renamed aside first and deleted after."""
    aside = target.with_name(f"{SEARCH_TEMP_PREFIX}old-{os.getpid()}-{time.monotonic_ns()}")
    try:
        replace_folder(bundle, target, aside)
    except OSError as error:
        raise SearchIndexError(f"search index not made: cannot move it into place: {error.strerror or error}",
                               path=shown) from None


def _count(output: str, noun: str) -> int:
    """``Indexed 130 pages`` in Pagefind's summary: 130 (0 when it is not there)."""
    match = re.search(rf"Indexed (\d+) {noun}", output)
    return int(match[1]) if match else 0


#: ``builder serve``: seconds without a rebuild before the index is made again.
SETTLE = 0.5
#: ``builder serve``: how much Pagefind's priority is lowered (``nice``).
BACKGROUND_NICENESS = 10


class BackgroundIndexer:
    """``builder serve``: the search index made again after each rebuild, in a thread of its own,
    so that a rebuild (and the browsers' reload) never waits for Pagefind.  Requests that come
    while it runs are one more run after it (never two at once, never one per save); so the
    index lags the pages by one Pagefind run (seconds) and then matches them.

    ``generation`` counts finished runs (skipped ones too), ``problem`` is the last run's
    failure, one line; each new failure is said once (``say("warning: …")``)."""

    def __init__(self, say: Callable[[str], None]):
        self.say = say
        self.generation = 0
        self.problem = ""
        self._config: Config | None = None
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def request(self, config: Config) -> None:
        """Index ``config``'s site soon (after the run in progress, if any)."""
        with self._lock:
            self._config = config
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="builder-search-index", daemon=True)
                self._thread.start()
        self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait()
            self._wake.clear()
            while self._wake.wait(SETTLE):  # a burst of rebuilds is one run, once it has settled
                self._wake.clear()
            with self._lock:
                config = self._config
            if config is None:
                continue
            try:
                result = update_search_index(config, background=True)
                problem = str(result.problem) if result.problem is not None else ""
            except Exception as error:  # noqa: BLE001 - the server keeps running; one line says why
                problem = f"search index not made: {error}"
            if problem and problem != self.problem:
                self.say(f"warning: {problem}")
            self.problem = problem
            self.generation += 1
