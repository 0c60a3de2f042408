"""Fixtures of the real-browser tests; see browser_support.py for what they do."""

from __future__ import annotations

import http.server
import json
import os
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser_support import ARTIFACTS, CHROMIUM, LAUNCH_ARGS, PREFIX, build, require, site_config  # noqa: E402


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The built site's output folder."""
    return build(site_config(tmp_path_factory.mktemp("site")))


@pytest.fixture(scope="session")
def pages(site) -> list[str]:
    """Every HTML page of the site except 404.html, relative to the site root."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html")


@pytest.fixture(scope="session")
def reports(site) -> list[dict]:
    return json.loads((site / "data" / "reports.json").read_text(encoding="utf-8"))


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under PREFIX; a missing file gets 404.html (as GitHub Pages does)."""

    root: Path

    def translate_path(self, path: str) -> str:
        path = unquote(urlsplit(path).path)
        if not path.startswith(PREFIX) and path + "/" != PREFIX:
            return str(self.root / ".outside-the-sub-path" / "missing")
        return str(self.root / path[len(PREFIX):].lstrip("/"))

    def send_error(self, code, message=None, explain=None):
        page = self.root / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope="session")
def server(site):
    """The base URL of the site, e.g. http://127.0.0.1:PORT/my-repo/."""
    handler = type("Handler", (_Handler,), {"root": site})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}{PREFIX}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def browser():
    require(os.access(CHROMIUM, os.X_OK), f"Debian's Chromium ({CHROMIUM})")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require(False, "Playwright for Python (pip install -e \".[test]\")")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


class Watched:
    """A page with its console errors, uncaught exceptions and failed requests recorded."""

    def __init__(self, page):
        self.page = page
        self.problems: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"exception: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(f"request failed: {r.url} {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and self.problems.append(f"HTTP {r.status}: {r.url}"))


@pytest.fixture
def open_page(browser):
    """open_page(url, width=1280, height=900, color_scheme="light") -> Watched."""
    contexts = []

    def opener(url: str, *, width: int = 1280, height: int = 900, color_scheme: str = "light",
               permissions: tuple[str, ...] = ()) -> Watched:
        context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=color_scheme,
                                      device_scale_factor=1, locale="zh-CN")
        if permissions:
            context.grant_permissions(list(permissions))
        contexts.append(context)
        watched = Watched(context.new_page())
        watched.page.goto(url, wait_until="load")
        return watched

    yield opener
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
