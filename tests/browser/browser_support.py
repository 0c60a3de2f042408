"""Shared by the real-browser tests (see conftest.py): Playwright for Python driving Debian's Chromium
(never a downloaded browser).

A site is built from the bundled sample page into a temporary folder, with
``site_url: https://example.org/my-repo/``, and served by a local http.server under the
sub-path ``/my-repo/`` the way GitHub Pages serves a project site (a missing URL at any
depth gets ``404.html`` with status 404).  Screenshots go to tests/browser/artifacts/
(git-ignored).

The tools come from the README's test command (`sh scripts/install-test-deps.sh`). When one
is missing these tests skip with the reason, except in CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--disable-sync", "--no-first-run"]
PREFIX = "/my-repo/"
SITE_URL = "https://example.org/my-repo/"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
INSTALL_HINT = "run `sh scripts/install-test-deps.sh` (the README's test command does)"


def require(ok: bool, what: str) -> None:
    """Skip (fail in CI) when a tool the browser tests need is missing."""
    if not ok:
        message = f"{what} is missing: {INSTALL_HINT}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def site_config(folder: Path, site_url: str = SITE_URL) -> Path:
    """A config.yaml in ``folder`` that builds the bundled sample into ``folder/public``."""
    config = folder / "config.yaml"
    config.write_text(
        f"site_name: 政府工作报告读本\n"
        f"site_url: \"{site_url}\"\n"
        f"paths:\n"
        f"  scraped: {REPO / 'site_src' / 'scraped'}\n"
        f"  reports: {folder / 'reports'}\n"
        f"  templates: {REPO / 'templates'}\n"
        f"  output: {folder / 'public'}\n"
        f"  cache: {folder / 'cache'}\n"
        f"  glossary: {REPO / 'site_src' / 'glossary.yaml'}\n", encoding="utf-8")
    return config


def build(config_path: Path) -> Path:
    from builder.build.search_index import update_search_index
    from builder.commands.build import build_site
    from builder.core.config import load_config

    config = load_config(config_path)
    build_site(config, say=lambda *a, **k: None)
    update_search_index(config, strict=True)  # as `builder build` does: the search box has its index
    return config.output_dir



def tool(name: str) -> str:
    found = shutil.which(name)
    require(found is not None, f"`{name}`")
    return str(found)
