"""The Markdown edition under version control (issue 14): site_src/reports/ is committed, a
committed hand edit survives the Pages workflow's build in a fresh clone, and `builder build
--check` names committed report files that are stale."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from site_support import tree

from builder.cli import main
from builder.commands.build import stale_reports
from builder.core.config import load_config

ROOT = Path(__file__).resolve().parents[2]
REFRESH = "run `builder build` and commit site_src/reports/"


def clone(target: Path, source: Path = ROOT) -> Path:
    """What a fresh clone holds of a site: config.yaml, scraped pages, the glossary and the
    committed reports; no .cache/ and no public/."""
    target.mkdir()
    shutil.copy(source / "config.yaml", target / "config.yaml")
    for name in ("scraped", "reports"):
        shutil.copytree(source / "site_src" / name, target / "site_src" / name)
    shutil.copy(source / "site_src" / "glossary.yaml", target / "site_src" / "glossary.yaml")
    return target


def build(site: Path, *args: str) -> int:
    return main(["build", "--config", str(site / "config.yaml"), *args])


def test_the_edition_is_tracked():
    ignored = subprocess.run(["git", "check-ignore", "-q", "site_src/reports/2020-suzhou-zfgzbg.md"], cwd=ROOT)
    assert ignored.returncode == 1  # not ignored
    assert {p.name for p in (ROOT / "site_src" / "reports").glob("*.md")} == {
        "2020-suzhou-zfgzbg.md", "2020-suzhou-rdcwhgzbg.md", "2020-huaian-rdcwhgzbg.md"}


def test_a_committed_hand_edit_reaches_the_page_in_a_fresh_clone(tmp_path, capsys):
    editor = clone(tmp_path / "editor")
    assert build(editor) == 0
    path = editor / "site_src" / "reports" / "2020-huaian-rdcwhgzbg.md"
    text = path.read_text("utf-8")
    sentence = next(line for line in text.split("---", 2)[2].splitlines() if line.endswith("。") and len(line) > 20)
    edited = sentence[:-1] + "（编者已订正）。"
    path.write_text(text.replace(sentence, edited, 1), "utf-8")
    assert build(editor) == 0
    # the workflow: another fresh clone with only what is committed (no .cache/, no public/)
    runner = clone(tmp_path / "runner", editor)
    assert not (runner / ".cache").exists() and not (runner / "public").exists()
    capsys.readouterr()
    assert build(runner, "--strict") == 0
    assert "kept your edits in site_src/reports/2020-huaian-rdcwhgzbg.md" in capsys.readouterr().out
    assert (runner / "site_src/reports/2020-huaian-rdcwhgzbg.md").read_text("utf-8") == path.read_text("utf-8")
    assert "（编者已订正）" in (runner / "public/reports/2020-huaian-rdcwhgzbg.html").read_text("utf-8")
    assert build(runner, "--check") == 0  # a hand edit is not stale


def test_the_committed_edition_is_not_stale():
    """CI fails when the committed Markdown is not what the builder writes now: refresh it with
    `builder build` and commit site_src/reports/."""
    before = tree(ROOT / "site_src")
    assert stale_reports(load_config(ROOT / "config.yaml")) == []
    assert tree(ROOT / "site_src") == before


def test_check_names_each_stale_file_and_writes_nothing(tmp_path, capsys):
    site = clone(tmp_path / "site")
    reports = site / "site_src" / "reports"
    gov, huaian, suzhou = (reports / f"{slug}.md" for slug in
                           ("2020-suzhou-zfgzbg", "2020-huaian-rdcwhgzbg", "2020-suzhou-rdcwhgzbg"))
    # an older builder's output (same body, other front matter): stale
    gov.write_text(gov.read_text("utf-8").replace("\nsite_category: 社会实践报告\n", "\nsite_category: 旧\n"), "utf-8")
    huaian.unlink()  # missing
    suzhou.write_text(suzhou.read_text("utf-8").replace("各位代表：", "各位代表们：", 1), "utf-8")  # hand-edited: fine
    # a file an older builder wrote (no fields_sha256) for a report the page no longer yields
    old = re.sub(r"\nfields_sha256: \w+\n", "\n", gov.read_text("utf-8"))
    (reports / "gone.md").write_text(old.replace("slug: 2020-suzhou-zfgzbg", "slug: gone"), "utf-8")
    before = tree(site)
    capsys.readouterr()
    assert build(site, "--check") == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"error: site_src/reports/2020-suzhou-zfgzbg.md: stale (the build would write it differently from "
        f"site_src/scraped/000_8b8113f56c6b1839.txt); {REFRESH}",
        f"error: site_src/reports/2020-huaian-rdcwhgzbg.md: missing (the build would create it from "
        f"site_src/scraped/000_8b8113f56c6b1839.txt); {REFRESH}",
        f"error: site_src/reports/gone.md: stale (site_src/scraped/000_8b8113f56c6b1839.txt no longer "
        f"yields this report); {REFRESH}",
    ]
    assert tree(site) == before and not (site / "public").exists()
    assert build(site) == 0
    assert build(site, "--check") == 0
    assert capsys.readouterr().out.endswith("site_src/reports/ is up to date with site_src/scraped/\n")
