"""Issue 12, the search index: `builder build` runs Pagefind over the built site, only when an
indexed page changed; a failure is one warning (an error under --strict) and keeps the last index."""

from __future__ import annotations

import gzip
import json
import os
import sys
from pathlib import Path

import pytest
from test_serve import fetch, server, status, wait_for  # noqa: F401 - server: the fixture of `builder serve`

from builder.build.search_index import update_search_index
from builder.cli import main
from builder.core.config import load_config


def build(site: Path, *args: str) -> int:
    return main(["build", "--config", str(site / "config.yaml"), *args])


def index_files(site: Path) -> dict[str, tuple[bytes, int]]:
    folder = site / "public" / "pagefind"
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def fragments(site: Path) -> dict[str, dict]:
    """Pagefind's record of each indexed page (url -> url, content, meta, filters, anchors)."""
    out = {}
    for path in (site / "public" / "pagefind" / "fragment").iterdir():
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        record = json.loads(data[len(b"pagefind_dcd"):])
        out[record["url"]] = record
    return out


@pytest.fixture
def break_pagefind(tmp_path: Path, monkeypatch):
    """break_pagefind(): from now on the processes the build starts find, first on their path, a
    `pagefind` package that fails as Pagefind does when it cannot write its bundle (a message
    on stderr, exit status 1)."""
    folder = tmp_path / "fake"
    (folder / "pagefind").mkdir(parents=True)
    (folder / "pagefind" / "__init__.py").write_text("", encoding="utf-8")
    (folder / "pagefind" / "__main__.py").write_text(
        "import sys\nif '--version' in sys.argv:\n    print('pagefind 1.5.2')\n    sys.exit(0)\n"
        "print('Running Pagefind v1.5.2')\n"
        "print('Error: Failed to write the bundle: disk full', file=sys.stderr)\nsys.exit(1)\n", encoding="utf-8")
    return lambda: monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(folder), *sys.path]))


def test_build_indexes_the_reports_and_the_glossary(full_site: Path, capsys):
    assert build(full_site) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    records = fragments(full_site)
    assert sorted(records) == ["/glossary/index.html", "/reports/2020-huaian-rdcwhgzbg.html",
                               "/reports/2020-suzhou-rdcwhgzbg.html", "/reports/2020-suzhou-zfgzbg.html"]
    report = records["/reports/2020-suzhou-zfgzbg.html"]
    assert report["meta"] == {"title": "2020年苏州市政府工作报告", "place": "江苏省苏州市", "year": "2020"}
    assert report["filters"] == {"年份": ["2020"], "地区": ["江苏省", "江苏省 › 苏州市"], "层级": ["地级"],
                                 "类别": ["政府工作报告"], "发布机关": ["苏州市人民政府"], "页面": ["报告"]}
    # only the report's title and text: not the contents, indicators sidebar or provenance box
    assert "来源与整理说明" not in report["content"] and "主要指标" not in report["content"]
    anchors = {anchor["id"] for anchor in report["anchors"]}
    assert {"s1-1-p1", "s2-3-p1"} <= anchors
    assert not [p for p in (full_site / "public").iterdir() if p.name.startswith(".pagefind-")]


def test_an_unchanged_site_is_not_indexed_again_and_a_changed_page_is(full_site: Path):
    assert build(full_site) == 0
    before = index_files(full_site)
    config = load_config(full_site / "config.yaml")
    assert update_search_index(config).ran is False
    assert build(full_site) == 0  # nothing changed
    assert index_files(full_site) == before  # not even rewritten
    report = full_site / "site_src" / "reports" / "2020-huaian-rdcwhgzbg.md"
    report.write_text(report.read_text("utf-8").replace("{#p1}\n我受", "{#p1}\n同志们：我受", 1), "utf-8")
    assert build(full_site) == 0
    assert index_files(full_site) != before
    content = fragments(full_site)["/reports/2020-huaian-rdcwhgzbg.html"]["content"]
    assert "同志们" in content.replace("\u200b", "")


def test_a_deleted_index_is_made_again_even_when_no_page_changed(full_site: Path):
    import shutil

    assert build(full_site) == 0
    shutil.rmtree(full_site / "public" / "pagefind")
    assert build(full_site) == 0
    assert (full_site / "public" / "pagefind" / "pagefind.js").is_file()


def test_an_incremental_build_keeps_the_index(full_site: Path):
    """The build deletes the files a site no longer has; the index is not one of them."""
    from builder.commands.build import build_site

    assert build(full_site) == 0
    before = index_files(full_site)
    template = full_site / "templates" / "index.html"
    template.write_text(template.read_text("utf-8").replace("</h1>", "</h1><!-- x -->", 1), "utf-8")
    build_site(load_config(full_site / "config.yaml"), say=lambda line: None)
    assert index_files(full_site) == before


def test_a_failing_pagefind_is_one_warning_and_the_last_index_stays(full_site: Path, capsys, break_pagefind):
    assert build(full_site) == 0
    before = index_files(full_site)
    capsys.readouterr()
    break_pagefind()
    report = full_site / "site_src" / "reports" / "2020-huaian-rdcwhgzbg.md"
    report.write_text(report.read_text("utf-8").replace("{#p1}\n我受", "{#p1}\n同志们：我受", 1), "utf-8")
    assert build(full_site) == 0
    captured = capsys.readouterr()
    assert captured.err == ("warning: public/pagefind: search index not made: "
                            "Error: Failed to write the bundle: disk full\n")
    assert captured.out.splitlines()[-1].endswith(", 1 warning")
    assert index_files(full_site) == before  # the last good index, whole
    assert "同志们" in (full_site / "public/reports/2020-huaian-rdcwhgzbg.html").read_text("utf-8")
    assert not [p for p in (full_site / "public").iterdir() if p.name.startswith(".pagefind-")]
    # it is tried again by the next build (it never succeeded for these pages)
    assert build(full_site) == 0
    assert "search index not made" in capsys.readouterr().err


def test_a_failing_pagefind_fails_a_strict_build_in_one_line(full_site: Path, capsys, break_pagefind):
    break_pagefind()
    assert build(full_site, "--strict") == 1
    err = capsys.readouterr().err
    assert err == ("error: public/pagefind: search index not made: Error: Failed to write the bundle: disk full "
                   "(--strict: the pages were written, the last index is kept)\n")
    assert not (full_site / "public" / "pagefind").exists()


def test_no_pagefind_is_one_warning_saying_how_to_install_it(full_site: Path, capsys, tmp_path, monkeypatch):
    empty = tmp_path / "no-pagefind" / "pagefind"
    empty.mkdir(parents=True)
    (empty / "__init__.py").write_text("", encoding="utf-8")  # a package that cannot be run
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(empty.parent), *sys.path]))
    assert build(full_site) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("warning: public/pagefind: search index not made: ")
    assert "pip install 'pagefind[extended]'" in err


def test_a_strict_build_that_cannot_run_pagefind_writes_nothing(full_site: Path, capsys, tmp_path, monkeypatch):
    assert build(full_site) == 0
    before = {path: path.stat().st_mtime_ns for path in (full_site / "public").rglob("*")}
    report = full_site / "site_src" / "reports" / "2020-huaian-rdcwhgzbg.md"
    report.write_text(report.read_text("utf-8").replace("{#p1}\n我受", "{#p1}\n同志们：我受", 1), "utf-8")
    empty = tmp_path / "no-pagefind" / "pagefind"
    empty.mkdir(parents=True)
    (empty / "__init__.py").write_text("", encoding="utf-8")  # a package that cannot be run
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(empty.parent), *sys.path]))
    capsys.readouterr()
    assert build(full_site, "--strict") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: public/pagefind: search index cannot be made: ")
    assert {path: path.stat().st_mtime_ns for path in (full_site / "public").rglob("*")} == before


def test_serve_makes_the_index_again_after_a_change(server):  # noqa: F811 - the fixture imported above
    """`builder serve`: the index is made after the first build and again after each rebuild
    (in the background: the status says how many times, and whether the last one failed)."""
    site, base, _ = server
    wait_for(lambda: status(base)["search"]["generation"] >= 1, "the first index")
    assert status(base)["search"]["problem"] == ""
    code, _, script = fetch(base + "/my-repo/pagefind/pagefind.js")
    assert code == 200 and "pagefind" in script
    done = status(base)["search"]["generation"]
    report = site / "site_src" / "reports" / "2020-huaian-rdcwhgzbg.md"
    report.write_text(report.read_text("utf-8").replace("{#p1}\n我受", "{#p1}\n同志们：我受", 1), "utf-8")
    wait_for(lambda: "同志们：我受" in fetch(base + "/my-repo/reports/2020-huaian-rdcwhgzbg.html")[2], "the rebuild")
    page = "/reports/2020-huaian-rdcwhgzbg.html"
    wait_for(lambda: "同志们" in fragments(site)[page]["content"].replace("\u200b", ""), "the new index")
    # Pagefind writes the fragments before its run is counted as finished: wait for the count too
    wait_for(lambda: status(base)["search"]["generation"] > done, "the run counted")
    assert status(base)["search"]["problem"] == ""


def test_no_search_builds_the_pages_without_an_index(full_site: Path, capsys):
    assert build(full_site, "--no-search") == 0
    assert (full_site / "public" / "index.html").is_file()
    assert not (full_site / "public" / "pagefind").exists()
    assert build(full_site) == 0  # the next build with search makes it
    assert (full_site / "public" / "pagefind" / "pagefind.js").is_file()
