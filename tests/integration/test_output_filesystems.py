"""A build into an output folder on another file system (issue 14): ``public/`` is a tmpfs mount
point, as a Docker volume or a bind mount is.  Needs root to mount (CI runs as root); skipped
otherwise.  test_output_swap.py simulates the same failures without mounting."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from site_support import pages_tree

from builder.cli import main


@pytest.fixture
def mounted(site: Path):
    """``site/public`` as a tmpfs mount point."""
    out = site / "public"
    out.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root and mount(8)")
    result = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(out)],
                            capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
    try:
        yield out
    finally:
        subprocess.run(["umount", str(out)], check=False)


def build(site: Path, *args: str) -> int:
    return main(["build", "--config", str(site / "config.yaml"), *args])


def test_build_into_a_mount_point(site: Path, mounted: Path, tmp_path: Path, capsys):
    assert os.path.ismount(mounted)
    assert build(site, "--clean") == 0  # an empty mounted folder, swapped in whole
    report = site / "site_src/reports/2020-huaian-rdcwhgzbg.md"
    report.write_text(report.read_text("utf-8").replace("{#p1}\n我受", "{#p1}\n同志们：我受", 1), "utf-8")
    assert build(site) == 0  # incremental: the changed files moved over
    assert "同志们：我受" in (mounted / "reports/2020-huaian-rdcwhgzbg.html").read_text("utf-8")
    # the same site built in an ordinary folder
    reference = tmp_path / "reference"
    shutil.copytree(site, reference, ignore=shutil.ignore_patterns("public", ".cache"))
    assert build(reference) == 0
    assert pages_tree(mounted) == pages_tree(reference / "public")
    assert build(site, "--clean") == 0
    assert pages_tree(mounted) == pages_tree(reference / "public")
    assert (mounted / "pagefind" / "pagefind.js").is_file()  # the search index, made in the mount point too
    assert os.path.ismount(mounted)
    assert not [p for p in mounted.iterdir() if p.name.startswith((".builder-", ".pagefind-"))]
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".public")) == []
    assert "error" not in capsys.readouterr().err
