import shutil
import sys
from pathlib import Path

import pytest

from builder.render.report import PageRenderer

sys.path.insert(0, str(Path(__file__).resolve().parent))  # site_support.py, shared by the tests here

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "site_src" / "scraped" / "000_8b8113f56c6b1839.txt"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A fresh site folder holding the bundled page and the repository's config."""
    (tmp_path / "site_src" / "scraped").mkdir(parents=True)
    shutil.copy(SEED, tmp_path / "site_src" / "scraped" / SEED.name)
    shutil.copy(ROOT / "config.yaml", tmp_path / "config.yaml")
    return tmp_path


@pytest.fixture
def full_site(site: Path) -> Path:
    """The bundled page plus a copy of the templates and the glossary (so tests can edit them)."""
    shutil.copytree(ROOT / "templates", site / "templates")
    shutil.copy(ROOT / "site_src" / "glossary.yaml", site / "site_src" / "glossary.yaml")
    return site


@pytest.fixture
def rendered(monkeypatch) -> list[str]:
    """The report pages rendered (not taken from the cache) during the test."""
    calls: list[str] = []
    original = PageRenderer.render

    def spy(self, report, place):
        calls.append(str(report.meta["slug"]))
        return original(self, report, place)

    monkeypatch.setattr(PageRenderer, "render", spy)
    return calls
