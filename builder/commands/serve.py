"""``builder serve``: build, serve the output folder with live reload, rebuild on every change.

* Serves ``paths.output`` on 127.0.0.1:8000 (``--host``, ``--port``) with the livereload
  package's websocket (``/livereload``) and script injection; opens no browser.
* Watches itself (a thread of its own, so it rebuilds whether or not a browser is connected:
  livereload's own watcher only runs while one is): ``site_src/`` (scraped pages, report
  Markdown, glossary), the templates and static assets, and config.yaml.  On Linux the kernel
  tells it of each change as it happens (inotify, :class:`InotifyWatcher`); elsewhere it polls
  every :data:`POLL` seconds (:class:`Watcher`).
* Debounced: a change only marks the site dirty; the build runs once the files have been
  quiet for :data:`QUIET_EVENTS` seconds (:data:`QUIET` when polling), so a burst of saves is
  one rebuild.  Then browsers reload, and then the build cache is saved.
* Incremental: the build cache stays in memory between builds (builder.build.cache), and the
  build is handed the files the watcher saw change: when they are report files only, it reads
  only those, takes every other input and the output folder (which only it writes) as the last
  build left them, and renders the edited reports and the site-wide outputs that depend on them.
* A broken edit prints one line (``error: …``) and every HTML request gets an error page
  naming it; the server keeps running and the next good save recovers.  A report file is what
  one edits while serving, so a broken one is such an error (``builder build`` warns and
  publishes the rest); an input that cannot be used (an unreadable scraped file, a bad export
  row) is a warning: printed as ``warning: …`` when the warnings change, listed in the status.
* ``--base-path /my-repo/`` serves the site under that sub-path, as GitHub Pages serves a
  project site; ``/`` redirects there, anything else outside it is a 404.
* ``GET /__builder/status`` returns JSON ``{"generation", "error", "base_path"}`` (for tests
  and scripts): ``generation`` counts finished builds.  With ``"warnings"``: the last build's
  warnings, one line each; ``"search"``: ``{"generation", "problem"}`` of the search index,
  made again in the background after each build (``build.search_index.BackgroundIndexer``).
"""

from __future__ import annotations

import html
import os
import select
import struct
import sys
import threading
import time
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING

from builder.core.config import Config, load_config

if TYPE_CHECKING:  # pragma: no cover
    from builder.build.cache import BuildCache
from builder.core.errors import BuilderError, counted

POLL = 0.1
"""Seconds between two looks at the watched files (when they are polled)."""
QUIET = 0.15
"""Seconds without a change before a rebuild starts (collapses a burst of saves), for a polling watcher."""
QUIET_EVENTS = 0.04
"""The same for a watcher the system tells of each change as it happens (inotify): an editor's save
(write, or write a temporary file and rename it) is one burst of events a few milliseconds long."""

ERROR_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Build error</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;margin:2rem;max-width:60rem}}
pre{{background:#fee;border-left:4px solid #c00;padding:1rem;white-space:pre-wrap}}</style>
</head><body><h1>The site could not be built</h1>
<pre id="builder-error">{message}</pre>
<p>Fix the file and save it: this page reloads when the build succeeds.</p></body></html>
"""


def normalize_base_path(value: str) -> str:
    """"my-repo" / "/my-repo" / "/my-repo/" -> "/my-repo/"; "" or "/" -> "/"."""
    value = value.strip().strip("/")
    return f"/{value}/" if value else "/"


class Watcher:
    """Snapshots (path -> mtime, size) of the watched files; ``changed()`` compares with the last one."""

    def __init__(self, roots: list[Path], ignore: list[Path]):
        self.roots = roots
        self.ignore = [p.resolve() for p in ignore]
        self.snapshot = self.scan()

    def _ignored(self, path: Path) -> bool:
        return any(path == ig or ig in path.parents for ig in self.ignore)

    def scan(self) -> dict[str, tuple[int, int]]:
        seen: dict[str, tuple[int, int]] = {}
        for root in self.roots:
            if root.is_file():
                st = root.stat()
                seen[str(root)] = (st.st_mtime_ns, st.st_size)
                continue
            if not root.is_dir():
                continue
            for folder, dirs, names in os.walk(root):
                here = Path(folder)
                dirs[:] = [d for d in dirs if not d.startswith(".") and not self._ignored((here / d).resolve())]
                for name in names:
                    if name.startswith(".") or name.endswith((".tmp", "~", ".swp")):
                        continue
                    try:
                        st = os.stat(here / name)
                    except OSError:
                        continue
                    seen[str(here / name)] = (st.st_mtime_ns, st.st_size)
        return seen

    def changed(self) -> list[str]:
        now = self.scan()
        diff = sorted(k for k in set(now) | set(self.snapshot) if now.get(k) != self.snapshot.get(k))
        self.snapshot = now
        return diff

    def wait(self, timeout: float) -> None:
        """Wait before the next look (a poller cannot tell earlier)."""
        time.sleep(timeout)


def _ignored_name(name: str) -> bool:
    return name.startswith(".") or name.endswith((".tmp", "~", ".swp"))


#: inotify(7) event bits.
_IN_MODIFY, _IN_ATTRIB, _IN_CLOSE_WRITE = 0x2, 0x4, 0x8
_IN_MOVED_FROM, _IN_MOVED_TO, _IN_CREATE, _IN_DELETE = 0x40, 0x80, 0x100, 0x200
_IN_DELETE_SELF, _IN_MOVE_SELF, _IN_Q_OVERFLOW, _IN_ISDIR = 0x400, 0x800, 0x4000, 0x40000000
_IN_MASK = (_IN_MODIFY | _IN_ATTRIB | _IN_CLOSE_WRITE | _IN_MOVED_FROM | _IN_MOVED_TO | _IN_CREATE | _IN_DELETE
            | _IN_DELETE_SELF | _IN_MOVE_SELF)
_EVENT = struct.Struct("iIII")  # wd, mask, cookie, len (then the name, NUL-padded)
OVERFLOW = "<too many changes at once: every file is looked at>"
"""What :meth:`InotifyWatcher.changed` reports when the kernel dropped events (not a file name)."""


class InotifyWatcher:
    """The watched files' changes as Linux reports them (inotify), the moment they happen: no
    polling, so a save is seen at once and nothing is scanned in between.  ``changed()`` names the
    files created, written, moved or deleted since it was last called (as :class:`Watcher` names
    them); :data:`OVERFLOW` when the kernel dropped events.  Folders created later are watched too."""

    def __init__(self, roots: list[Path], ignore: list[Path]):
        import ctypes
        import ctypes.util

        self._libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        self.fd = self._libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self.ignore = [p.resolve() for p in ignore]
        self.folders: dict[int, str] = {}  # watch descriptor -> folder
        self.whole: set[int] = set()  # the folders watched for every file
        self.only: dict[int, set[str]] = {}  # the other folders -> the names of the files watched in them
        try:
            for root in roots:
                if root.is_dir():
                    self._watch_tree(str(root))
                elif root.parent.is_dir():  # a file (config.yaml, the glossary): its folder, for its name only
                    wd = self._watch(str(root.parent), whole=False)
                    self.only.setdefault(wd, set()).add(root.name)
        except OSError:  # (the caller polls instead)
            os.close(self.fd)
            raise

    def _watch(self, folder: str, *, whole: bool = True) -> int:
        """Watch ``folder``; OSError when the system refuses (e.g. the limit of watches is reached)."""
        import ctypes

        wd = int(self._libc.inotify_add_watch(self.fd, os.fsencode(folder), _IN_MASK))
        if wd < 0:
            errno = ctypes.get_errno()
            if errno == 2:  # ENOENT: gone meanwhile
                return wd
            raise OSError(errno, f"cannot watch {folder}")
        self.folders.setdefault(wd, folder)
        if whole:
            self.whole.add(wd)
        return wd

    def _watch_tree(self, root: str) -> list[str]:
        """Watch ``root`` and its visible folders; return the files in them."""
        files: list[str] = []
        for folder, dirs, names in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(".") and not self._ignored(Path(folder, d))]
            self._watch(folder)
            files += (os.path.join(folder, name) for name in names if not _ignored_name(name))
        return files

    def _ignored(self, path: Path) -> bool:
        resolved = path.resolve()
        return any(resolved == ig or ig in resolved.parents for ig in self.ignore)

    def wait(self, timeout: float) -> None:
        """Return when there is an event to read, or after ``timeout`` seconds."""
        select.select([self.fd], [], [], timeout)

    def changed(self) -> list[str]:
        out: set[str] = set()
        while True:
            try:
                data = os.read(self.fd, 1 << 16)
            except BlockingIOError:
                break
            if not data:
                break
            self._read_events(data, out)
        return sorted(out)

    def _read_events(self, data: bytes, out: set[str]) -> None:
        offset = 0
        while offset + _EVENT.size <= len(data):
            wd, mask, _, length = _EVENT.unpack_from(data, offset)
            name = os.fsdecode(data[offset + _EVENT.size:offset + _EVENT.size + length].rstrip(b"\0"))
            offset += _EVENT.size + length
            if mask & _IN_Q_OVERFLOW:
                out.add(OVERFLOW)
                continue
            folder = self.folders.get(wd)
            if folder is None or not name or _ignored_name(name):
                continue
            if wd not in self.whole and name not in self.only.get(wd, ()):
                continue
            path = os.path.join(folder, name)
            if mask & _IN_ISDIR:
                if mask & (_IN_CREATE | _IN_MOVED_TO) and not self._ignored(Path(path)):
                    try:
                        out.update(self._watch_tree(path))  # a new folder: its files are new too
                    except OSError:  # not watched: at least this build looks at every file
                        out.add(OVERFLOW)
                else:
                    out.add(path)  # a folder moved away or deleted: not a report file
                continue
            out.add(path)

    def close(self) -> None:
        os.close(self.fd)


def make_watcher(roots: list[Path], ignore: list[Path]) -> Watcher | InotifyWatcher:
    """An :class:`InotifyWatcher` where the system has inotify (Linux), else a polling :class:`Watcher`."""
    if sys.platform.startswith("linux"):
        try:
            return InotifyWatcher(roots, ignore)
        except (OSError, AttributeError):  # no inotify (or too many watches): poll
            pass
    return Watcher(roots, ignore)


class SiteServer:
    """The build loop and its state, shared by the HTTP handlers."""

    def __init__(self, config_path: Path | None, *, base_path: str = "/", say: Callable[[str], None] = print,
                 search: bool = True):
        self.config_path = config_path
        self.base_path = normalize_base_path(base_path)
        self.say = say
        self.config: Config | None = None
        self.cache: BuildCache | None = None
        self.error = ""
        self.warnings: list[str] = []
        self.generation = 0
        self.dirty_since: float | None = None
        self.stop = threading.Event()
        self.on_built: Callable[[], None] = lambda: None
        from builder.build.search_index import BackgroundIndexer

        self.search = BackgroundIndexer(say)  # the search index, after each build (in the background)
        self.make_search_index = search
        self._load_config()

    def _load_config(self) -> None:
        self.config = load_config(self.config_path)  # a broken config at start-up is a plain error

    @property
    def config_file(self) -> str:
        """config.yaml as the watcher names it."""
        assert self.config is not None
        return os.path.normpath(self.config_path.resolve() if self.config_path else self.config.root / "config.yaml")

    @property
    def out_dir(self) -> Path:
        assert self.config is not None
        return self.config.output_dir

    def watched(self) -> list[Path]:
        config = self.config
        assert config is not None
        roots = [config.scraped_dir, config.reports_dir, config.templates_dir, config.root / "site_src"]
        if config.glossary_path is not None:
            roots.append(config.glossary_path)
        roots.append(self.config_path.resolve() if self.config_path else config.root / "config.yaml")
        unique: list[Path] = []
        for root in roots:
            if root not in unique:
                unique.append(root)
        return unique

    def build(self, changed: Collection[str] | None = None) -> set[str]:
        """One build; on a user error remember it (error page) and print one line.  Returns the
        files the build itself wrote into the watched folders (the Markdown of ingested pages).
        ``changed``: the files the watcher saw change since the last build (None: unknown), handed
        to the build so that an edit of report files looks at nothing else; after a failed build
        the next one looks at every file."""
        from builder.build.cache import BuildCache
        from builder.commands.build import build_site

        started = time.perf_counter()
        written: set[str] = set()
        try:
            config: Config | None = self.config
            if changed is None or self.error or self.cache is None or config is None or any(
                    os.path.normpath(path) == self.config_file for path in changed):
                config = load_config(self.config_path)
                changed = None
            if config != self.config or self.cache is None:
                self.config = config
                self.cache = BuildCache(config)
                self.cache.defer_save = True
            summary = build_site(config, say=lambda line: None, cache=self.cache, broken_reports="fail",
                                 changed_files=changed)
        except BuilderError as error:
            self.error = str(error)
            for line in error.lines():
                self.say(line)
        else:
            was_broken = bool(self.error)
            self.error = ""
            warnings = [str(problem) for problem in summary.warnings]
            if warnings != self.warnings:
                for line in warnings:
                    self.say(f"warning: {line}")
            self.warnings = warnings
            count = f", {counted(len(warnings), 'warning')}" if warnings else ""
            built = "rebuilt" if self.generation else "built"  # the first build is no rebuild
            pages = counted(summary.pages_written, "page")
            self.say(f"{built} in {time.perf_counter() - started:.3f} s: {pages} written"
                     + count + (" (recovered)" if was_broken else ""))
            ingest = summary.ingest
            written = {str(path) for report in ingest.written if report.status in ("created", "updated", "forced")
                       for path in (report.path, report.backup) if path is not None}
            written |= {str(path) for path in ingest.removed}
        self.generation += 1
        self.on_built()
        if not self.error and self.config is not None and self.make_search_index:
            self.search.request(self.config)
        if self.cache is not None:
            try:
                self.cache.save_pending()  # after the browsers were told: it is not waited for
            except OSError as error:
                self.say(f"warning: cannot save the build cache: {error.strerror or error}")
        return written

    def loop(self, watcher: Watcher | InotifyWatcher) -> None:
        """Poll the files; after QUIET seconds without a further change, rebuild once, handing the
        build the files that changed.  A file saved while the site was being built makes it dirty
        again (the build may have read it before); what the build itself wrote does not."""
        pending: set[str] = set()
        quiet = QUIET_EVENTS if isinstance(watcher, InotifyWatcher) else QUIET
        while not self.stop.is_set():
            waited = POLL if self.dirty_since is None else quiet - (time.monotonic() - self.dirty_since)
            wait = getattr(watcher, "wait", None)
            if wait is not None:
                wait(max(0.0, min(POLL, waited)))
            else:
                self.stop.wait(max(0.0, min(POLL, waited)))
            if self.stop.is_set():
                break
            changes = watcher.changed()
            if changes:
                pending.update(changes)
                self.dirty_since = time.monotonic()
                continue
            if self.dirty_since is not None and time.monotonic() - self.dirty_since >= quiet:
                self.dirty_since = None
                changed, pending = sorted(pending), set()
                written = self.build(changed)
                pending = {path for path in watcher.changed() if path not in written}
                if pending:
                    self.dirty_since = time.monotonic()


def _handlers(site: SiteServer):
    from tornado import web

    class SiteHandler(web.StaticFileHandler):
        """The output folder under the base path, never cached; the error page while broken."""

        def set_extra_headers(self, path: str) -> None:
            self.set_header("Cache-Control", "no-store, no-cache, must-revalidate, max-age=0")
            self.set_header("Pragma", "no-cache")
            self.set_header("Expires", "0")

        def should_return_304(self) -> bool:
            return False

        def compute_etag(self) -> None:  # no ETag: every response is fresh
            return None

        async def get(self, path: str, include_body: bool = True) -> None:
            base = site.base_path
            request = "/" + path
            if site.error and (request.endswith((".html", "/")) or "." not in request.rsplit("/", 1)[-1]):
                self.set_status(500)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.set_header("Cache-Control", "no-store")
                self.finish(ERROR_PAGE.format(message=html.escape(site.error)))
                return
            if not request.startswith(base):
                if request == "/" or request + "/" == base:
                    self.redirect(base)
                    return
                raise web.HTTPError(404)
            await super().get(request[len(base):], include_body)

        def write_error(self, status_code: int, **kwargs) -> None:
            page = site.out_dir / "404.html"
            if status_code == 404 and page.is_file():
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.finish(page.read_bytes())
            else:
                super().write_error(status_code, **kwargs)

    class StatusHandler(web.RequestHandler):
        def get(self) -> None:
            self.set_header("Cache-Control", "no-store")
            self.write({"generation": site.generation, "error": site.error, "base_path": site.base_path,
                        "warnings": site.warnings,
                        "search": {"generation": site.search.generation, "problem": site.search.problem}})

    return SiteHandler, StatusHandler


def _free_port(host: str) -> int:
    """A port free on ``host`` now (the OS's choice)."""
    from tornado.netutil import bind_sockets

    sockets = bind_sockets(0, host)
    try:
        return int(sockets[0].getsockname()[1])
    finally:
        for sock in sockets:
            sock.close()


def serve(config_path: Path | None, *, host: str = "127.0.0.1", port: int = 8000, base_path: str = "/",
          say: Callable[[str], None] = print, search: bool = True) -> None:
    """Build, serve and rebuild until interrupted."""
    from livereload import Server
    from livereload.handlers import LiveReloadHandler
    from tornado.ioloop import IOLoop

    if not 0 <= port <= 65535:
        raise BuilderError(f"port {port}: expected a port number from 0 to 65535 (0: any free port)")
    site = SiteServer(config_path, base_path=base_path, say=say, search=search)
    site.build()
    SiteHandler, StatusHandler = _handlers(site)

    class _Server(Server):
        def get_web_handlers(self, script):
            return [(r"/__builder/status", StatusHandler),
                    (r"/(.*)", SiteHandler, {"path": str(site.out_dir), "default_filename": "index.html"})]

    server = _Server()
    try:
        if port == 0:  # any free port: take one now, so that the line below can say which
            port = _free_port(host)
        server.application(port, host, live_css=False)  # not server.serve(): its watcher stays idle
    except OSError as error:
        raise BuilderError(f"cannot listen on {host}:{port}: {error.strerror or error}",
                           hint="another server may be running; try --port") from None
    loop = IOLoop.current()

    def reload_browsers() -> None:
        LiveReloadHandler._last_reload_time = time.time()
        LiveReloadHandler.reload_waiters(path="*")

    site.on_built = lambda: loop.add_callback(reload_browsers)
    assert site.config is not None  # (loaded by SiteServer)
    watcher = make_watcher(site.watched(), ignore=[site.out_dir, site.config.cache_dir])
    thread = threading.Thread(target=site.loop, args=(watcher,), name="builder-watch", daemon=True)
    thread.start()
    shown = f"http://{host}:{port}{site.base_path}"
    say(f"serving {site.config.relative(site.out_dir)}/ at {shown} (Ctrl+C to stop)")
    sys.stdout.flush()
    try:
        loop.start()
    except KeyboardInterrupt:
        pass
    finally:
        site.stop.set()
        say("stopped")
