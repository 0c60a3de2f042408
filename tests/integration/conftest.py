import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "site_src" / "scraped" / "000_8b8113f56c6b1839.txt"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A fresh site folder holding the bundled page and the repository's config."""
    (tmp_path / "site_src" / "scraped").mkdir(parents=True)
    shutil.copy(SEED, tmp_path / "site_src" / "scraped" / SEED.name)
    shutil.copy(ROOT / "config.yaml", tmp_path / "config.yaml")
    return tmp_path
