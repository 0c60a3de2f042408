"""The build cache's skip logic: a site-wide output is rebuilt only when its inputs changed, a
report's parts live in files of their own, and after any edit the output equals a clean build."""

import os
import shutil
import time
from pathlib import Path

import pytest
from site_support import build, snapshot, tree  # type: ignore[import-not-found]

from builder import sitesrc
from builder.build import cache as buildcache
from builder.build.cache import BuildCache, FileDigests
from builder.core.config import load_config
from builder.core.hashing import sha256
from builder.render import templates as render_templates
from builder.render.templates import INDEX_TEMPLATE, INDICATOR_ROWS_PARTIAL, INDICATORS_REPORT_TEMPLATE, REPORT_TEMPLATE

HUAIAN = "2020-huaian-rdcwhgzbg"
SUZHOU = "2020-suzhou-zfgzbg"  # the government work report: growth figures
SITE_WIDE = {"index.html", "data/reports.json", "indicators/index.html", "data/indicators.json",
             "data/indicators.csv", "glossary/index.html", "data/glossary.json", "404.html"}


@pytest.fixture
def templates(monkeypatch) -> list[str]:
    """The templates rendered during the test (report pages and site-wide outputs alike)."""
    names: list[str] = []
    original = render_templates._render

    def spy(templates, name, context, *, encoded):
        names.append(name)
        return original(templates, name, context, encoded=encoded)

    monkeypatch.setattr(render_templates, "_render", spy)
    return names


def changed(before: dict, after: dict) -> set[str]:
    return {name for name in set(before) | set(after) if before.get(name) != after.get(name)}


def clean_build(site: Path, tmp_path: Path) -> dict[str, bytes]:
    """The output of a clean build of a copy of ``site``'s inputs (no cache, no output)."""
    copy = tmp_path / f"clean-{len(list(tmp_path.glob('clean-*')))}"
    shutil.copytree(site, copy, ignore=shutil.ignore_patterns("public", ".cache"))
    build(copy, clean=True)
    return tree(copy / "public")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def report_path(site: Path, slug: str = HUAIAN) -> Path:
    return site / "site_src/reports" / f"{slug}.md"


def figure_line(site: Path, slug: str = SUZHOU) -> str:
    """A paragraph of the report that states a growth figure."""
    text = report_path(site, slug).read_text(encoding="utf-8")
    return next(line for line in text.splitlines() if "增长" in line and "%" in line and not line.startswith("{"))


# ----------------------------------------------------------------------------- what is rebuilt


def test_wording_edit_renders_and_writes_only_that_report_page(full_site, templates):
    build(full_site)
    before = snapshot(full_site / "public")
    edit(report_path(full_site), "让我们更加紧密地团结", "让我们同志们更加紧密地团结")
    templates.clear()
    summary = build(full_site)
    assert changed(before, snapshot(full_site / "public")) == {f"reports/{HUAIAN}.html"}
    assert summary.pages_written == 1
    # its two pages are rendered again; no site-wide page is
    assert set(templates) <= {REPORT_TEMPLATE, INDICATORS_REPORT_TEMPLATE, INDICATOR_ROWS_PARTIAL}


def test_figure_edit_rewrites_the_data_files_as_a_clean_build_would(full_site, tmp_path):
    build(full_site)
    before = snapshot(full_site / "public")
    line = figure_line(full_site)
    edit(report_path(full_site, SUZHOU), line, line.replace("%", "1%", 1))
    build(full_site)
    after = snapshot(full_site / "public")
    names = changed(before, after)
    assert {f"reports/{SUZHOU}.html", f"indicators/{SUZHOU}.html", "data/indicators.json",
            "data/indicators.csv"} <= names
    assert not {n for n in names if n.startswith("reports/")} - {f"reports/{SUZHOU}.html"}
    assert tree(full_site / "public") == clean_build(full_site, tmp_path)


def test_site_wide_outputs_are_not_even_made_when_no_report_gives_them_anything_new(full_site, tmp_path,
                                                                                   monkeypatch):
    """A wording edit gives no site-wide output a new input: none is made or keyed, all are kept;
    a figure edit does (its indicators), and the outputs then match a clean build."""
    from builder.build import scheduler

    asked: list[str] = []
    original = scheduler.site.site_outputs

    def spy(renderer, parts):
        for made in original(renderer, parts):
            asked.append(made.name)
            yield made

    monkeypatch.setattr(scheduler.site, "site_outputs", spy)
    build(full_site)
    before = snapshot(full_site / "public")
    asked.clear()
    edit(report_path(full_site), "让我们更加紧密地团结", "让我们同志们更加紧密地团结")
    build(full_site)
    assert asked == []
    assert changed(before, snapshot(full_site / "public")) == {f"reports/{HUAIAN}.html"}
    line = figure_line(full_site)
    edit(report_path(full_site, SUZHOU), line, line.replace("%", "1%", 1))
    build(full_site)
    assert set(asked) >= SITE_WIDE
    assert tree(full_site / "public") == clean_build(full_site, tmp_path)
    asked.clear()
    build(full_site)  # nothing changed: the no-op check
    (full_site / "public/index.html").unlink()  # an output deleted by hand: the outputs are asked for
    edit(report_path(full_site), "让我们同志们更加紧密地团结", "让我们更加紧密地团结")
    build(full_site)
    assert "index.html" in asked
    assert tree(full_site / "public") == clean_build(full_site, tmp_path)


def test_template_used_only_by_the_index_renders_only_the_index(full_site, templates):
    build(full_site)
    before = snapshot(full_site / "public")
    edit(full_site / "templates/index.html", "</h1>", "</h1><!-- index-only -->")
    templates.clear()
    build(full_site)
    assert changed(before, snapshot(full_site / "public")) == {"index.html"}
    assert templates == [INDEX_TEMPLATE]


def test_glossary_edit_rebuilds_the_glossary_outputs_as_a_clean_build_would(full_site, tmp_path):
    build(full_site)
    before = snapshot(full_site / "public")
    edit(full_site / "site_src/glossary.yaml", "definition: ", "definition: 【新】")
    build(full_site)
    after = snapshot(full_site / "public")
    assert {"glossary/index.html", "data/glossary.json"} <= changed(before, after)
    assert tree(full_site / "public") == clean_build(full_site, tmp_path)


def test_deleted_report_disappears_as_in_a_clean_build(full_site, tmp_path):
    build(full_site)
    for page in (full_site / "site_src/scraped").iterdir():  # the reports are now the only source
        page.unlink()
    report_path(full_site).unlink()
    build(full_site)
    out = tree(full_site / "public")
    assert f"reports/{HUAIAN}.html" not in out and f"indicators/{HUAIAN}.html" not in out
    assert HUAIAN not in out["index.html"].decode() and HUAIAN not in out["data/indicators.json"].decode()
    assert out == clean_build(full_site, tmp_path)
    # its parts file is gone with it
    assert not list((full_site / ".cache" / buildcache.PARTS_DIR).glob(f"{HUAIAN}-*"))


def test_any_sequence_of_edits_gives_a_clean_builds_output(full_site, tmp_path):
    """Edits of every kind, one after the other, each build compared with a clean build; the
    cache stays in memory between builds as ``builder serve`` keeps it."""
    cache = BuildCache(load_config(full_site / "config.yaml"))
    build(full_site, cache=cache)
    report, figures = report_path(full_site), report_path(full_site, SUZHOU)
    line = figure_line(full_site)
    steps = [
        lambda: edit(report, "让我们更加紧密地团结", "让我们同志们更加紧密地团结"),  # wording
        lambda: edit(report, "2019年，市人大常委会高举", "2019年，市人大常委会始终高举"),  # its summary
        lambda: edit(figures, line, line.replace("%", "5%", 1)),  # a figure
        lambda: edit(report, "title: 2020年淮安市人大常委会工作报告", "title: 淮安报告新标题"),  # a title
        lambda: edit(full_site / "site_src/glossary.yaml", "gloss: ", "gloss: New "),  # the glossary
        lambda: edit(full_site / "templates/base.html", "</body>", "<!-- base -->\n</body>"),  # every page
        lambda: edit(full_site / "templates/static/style.css", "}", "}\n/* css */", ),  # an asset
        lambda: edit(full_site / "config.yaml", "sidebar_count: 12", "sidebar_count: 3"),  # the config
        lambda: edit(figures, line.replace("%", "5%", 1), line),  # the figure back
    ]
    for step in steps:
        step()
        build(full_site, cache=cache)
        assert tree(full_site / "public") == clean_build(full_site, tmp_path)
    build(full_site, cache=cache)  # and the next build is a no-op
    assert build(full_site, cache=cache).pages_written == 0


def test_site_wide_output_deleted_by_hand_is_written_again(full_site):
    build(full_site)
    data = full_site / "public/data/indicators.json"
    expected = data.read_bytes()
    data.unlink()
    build(full_site)
    assert data.read_bytes() == expected


# ----------------------------------------------------------------------------- the cache's files


def test_parts_are_one_file_per_report_and_stale_ones_are_deleted(full_site):
    build(full_site)
    parts = full_site / ".cache" / buildcache.PARTS_DIR
    first = sorted(p.name for p in parts.iterdir())
    assert len(first) == 3 and all(name.endswith(".parts") for name in first)
    edit(report_path(full_site), "让我们更加紧密地团结", "让我们同志们更加紧密地团结")
    build(full_site)
    second = sorted(p.name for p in parts.iterdir())
    assert len(second) == 3 and len(set(first) & set(second)) == 2  # the edited report's file was replaced


def test_missing_parts_file_renders_that_report_again(full_site, tmp_path):
    build(full_site)
    for path in (full_site / ".cache" / buildcache.PARTS_DIR).glob(f"{HUAIAN}-*"):
        path.unlink()
    edit(full_site / "templates/index.html", "</h1>", "</h1><!-- again -->")  # the index needs every part
    build(full_site)
    assert tree(full_site / "public") == clean_build(full_site, tmp_path)


def test_failed_build_leaves_the_cache_usable(full_site, tmp_path):
    build(full_site)
    report = full_site / "templates/report.html"
    good = report.read_text(encoding="utf-8")
    edit(report_path(full_site), "让我们更加紧密地团结", "让我们同志们更加紧密地团结")
    report.write_text(good + "{% if %}\n", encoding="utf-8")
    with pytest.raises(Exception, match="template error"):
        build(full_site)
    report.write_text(good, encoding="utf-8")
    build(full_site)
    assert tree(full_site / "public") == clean_build(full_site, tmp_path)


def test_unchanged_report_files_are_not_parsed_again(full_site, tmp_path, monkeypatch):
    build(full_site)
    before = snapshot(full_site / "public")
    edit(full_site / "templates/index.html", "</h1>", "</h1><!-- x -->")
    parsed: list[str] = []
    parse = sitesrc.parse_report_bytes
    monkeypatch.setattr(sitesrc, "parse_report_bytes", lambda data, path: parsed.append(path) or parse(data, path))
    summary = build(full_site)
    assert parsed == []  # the front matter came from the cache
    assert summary.reports == 3 and changed(before, snapshot(full_site / "public")) == {"index.html"}
    monkeypatch.undo()
    assert tree(full_site / "public") == clean_build(full_site, tmp_path)  # and the pages are right


def test_file_digests_trust_only_files_unchanged_since_well_before_hashing(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"one")
    digests = FileDigests(tmp_path)
    assert digests.digest(path) == sha256(b"one")
    path.write_bytes(b"two")  # same size, perhaps the same mtime tick: still read again
    assert digests.digest(path) == sha256(b"two")
    old = time.time_ns() - 10 * buildcache.RACY_NS
    os.utime(path, ns=(old, old))  # (the ctime is now, so this one is not trusted either)
    assert digests.digest(path) == sha256(b"two")


def test_file_digests_saved_and_trusted_when_the_file_is_as_it_was(tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_bytes(b"one")
    monkeypatch.setattr(buildcache, "RACY_NS", -10**18)  # every file counts as old enough
    digests = FileDigests(tmp_path)
    digests.digest(path)
    digests.save()
    again = FileDigests(tmp_path)
    real_open = open
    monkeypatch.setattr("builtins.open", lambda *a, **k: (_ for _ in ()).throw(AssertionError("read")))
    assert again.digest(path) == sha256(b"one")  # from the stat, not read
    monkeypatch.setattr("builtins.open", real_open)
    path.write_bytes(b"ONE")  # a write changes the ctime
    assert again.digest(path) == sha256(b"ONE")


def test_place_or_year_edit_moves_the_report_between_place_pages_as_a_clean_build_would(full_site, tmp_path):
    build(full_site)
    before = snapshot(full_site / "public")
    assert {"places/huaian-320800.html", "places/suzhou-320500.html", "places/jiangsu-320000.html"} <= set(before)
    edit(report_path(full_site), "place: 江苏省淮安市", "place: 江苏省无锡市")
    build(full_site)
    after = snapshot(full_site / "public")
    names = changed(before, after)
    assert {"index.html", "places/huaian-320800.html", "places/wuxi-320200.html", "places/jiangsu-320000.html",
            f"reports/{HUAIAN}.html"} <= names
    assert "places/huaian-320800.html" not in after  # no report there any more
    assert "places/suzhou-320500.html" not in names and "places/quanguo.html" not in names  # what did not change
    wuxi = after["places/wuxi-320200.html"][0].decode()
    assert f"../reports/{HUAIAN}.html" in wuxi
    assert 'href="../places/wuxi-320200.html"' in after[f"reports/{HUAIAN}.html"][0].decode()
    assert tree(full_site / "public") == clean_build(full_site, tmp_path)
    edit(report_path(full_site), "year: 2020", "year: 2019")
    build(full_site)
    again = snapshot(full_site / "public")
    assert {"index.html", "places/wuxi-320200.html"} <= changed(after, again)
    assert "places/suzhou-320500.html" not in changed(after, again)
    assert ">2019<" in again["index.html"][0].decode() and "2019年" in again["places/wuxi-320200.html"][0].decode()
    assert tree(full_site / "public") == clean_build(full_site, tmp_path)
