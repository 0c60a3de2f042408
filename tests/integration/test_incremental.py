"""The build cache (issue 5): a no-op build does nothing; each input kind invalidates what it should."""

import shutil

import pytest
from site_support import build, snapshot, tree  # type: ignore[import-not-found]

from builder import sitesrc
from builder.commands import build as build_command
from builder.commands import ingest
from builder.core import parallel
from builder.core.errors import BuilderError
from builder.render import report as report_module
from builder.render.report import PageRenderer


def changed(before: dict, after: dict) -> set[str]:
    return {name for name in set(before) | set(after) if before.get(name) != after.get(name)}


def report_pages(names) -> set[str]:
    return {n for n in names if n.startswith("reports/")}


def test_second_build_parses_nothing_and_writes_nothing(full_site, monkeypatch):
    build(full_site)
    out, cache = snapshot(full_site / "public"), snapshot(full_site / ".cache")
    sources = snapshot(full_site / "site_src")

    def forbidden(*args, **kwargs):
        raise AssertionError("a no-op build must not parse, segment or render")

    for target, name in [(sitesrc, "parse_front_matter"), (sitesrc, "parse_report_bytes"),
                         (ingest, "reports_from_page"), (ingest, "_cut_reports"), (report_module, "render_markdown"),
                         (PageRenderer, "render"), (build_command, "load_glossary")]:
        monkeypatch.setattr(target, name, forbidden)
    from builder.text import segment
    monkeypatch.setattr(segment, "cut", forbidden)
    monkeypatch.setattr(segment, "cut_block", forbidden)
    summary = build(full_site)
    assert summary.pages_written == 0
    assert snapshot(full_site / "public") == out
    assert snapshot(full_site / ".cache") == cache
    assert snapshot(full_site / "site_src") == sources


def test_edited_report_rerenders_that_page_and_the_pages_listing_it(full_site, rendered):
    build(full_site)
    before = snapshot(full_site / "public")
    path = full_site / "site_src/reports/2020-huaian-rdcwhgzbg.md"
    text = path.read_text(encoding="utf-8")
    assert "让我们更加紧密地团结" in text
    path.write_text(text.replace("让我们更加紧密地团结", "让我们同志们更加紧密地团结", 1), encoding="utf-8")
    rendered.clear()
    build(full_site)
    assert rendered == ["2020-huaian-rdcwhgzbg"]
    after = snapshot(full_site / "public")
    assert report_pages(changed(before, after)) == {"reports/2020-huaian-rdcwhgzbg.html"}
    assert "让我们同志们更加紧密地团结" in after["reports/2020-huaian-rdcwhgzbg.html"][0].decode()


def test_edited_report_title_updates_index_and_neighbours(full_site, rendered):
    build(full_site)
    before = snapshot(full_site / "public")
    path = full_site / "site_src/reports/2020-huaian-rdcwhgzbg.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("title: 2020年淮安市人大常委会工作报告", "title: 淮安报告新标题", 1),
                    encoding="utf-8")
    build(full_site)
    after = snapshot(full_site / "public")
    names = changed(before, after)
    assert {"index.html", "data/reports.json", "reports/2020-huaian-rdcwhgzbg.html"} <= names
    assert "淮安报告新标题" in after["index.html"][0].decode()
    for name in report_pages(names) - {"reports/2020-huaian-rdcwhgzbg.html"}:
        assert "淮安报告新标题" in after[name][0].decode()  # only pages showing the title changed


def test_changed_scraped_page_is_ingested_again(full_site):
    build(full_site)
    before = snapshot(full_site / "public")
    page = next((full_site / "site_src/scraped").iterdir())
    raw = page.read_bytes()
    marker = "淮安人大".encode()
    assert marker in raw
    page.write_bytes(raw.replace("各位代表".encode(), "各位委员代表".encode(), 1))
    summary = build(full_site)
    assert summary.ingest.pages == 1
    after = snapshot(full_site / "public")
    assert any("各位委员代表" in after[n][0].decode() for n in report_pages(changed(before, after)))


def test_glossary_change_invalidates_report_pages_and_glossary_page(full_site, rendered):
    build(full_site)
    before = snapshot(full_site / "public")
    glossary = full_site / "site_src/glossary.yaml"
    text = glossary.read_text(encoding="utf-8")
    glossary.write_text(text.replace("definition: ", "definition: 【新】", 1), encoding="utf-8")
    rendered.clear()
    build(full_site)
    after = snapshot(full_site / "public")
    assert "glossary/index.html" in changed(before, after)
    assert "【新】" in after["glossary/index.html"][0].decode()
    assert len(rendered) == 3


def test_template_change_invalidates_only_pages_using_it(full_site, rendered):
    build(full_site)
    before = snapshot(full_site / "public")
    index = full_site / "templates/index.html"
    index.write_text(index.read_text(encoding="utf-8").replace("</h1>", "</h1><!-- index-marker -->", 1),
                     encoding="utf-8")
    rendered.clear()
    build(full_site)
    after = snapshot(full_site / "public")
    assert rendered == []  # report.html does not use index.html
    assert changed(before, after) == {"index.html"}
    assert "index-marker" in after["index.html"][0].decode()

    before = after
    report = full_site / "templates/report.html"
    source = report.read_text(encoding="utf-8")
    assert "{% block content %}" in source
    report.write_text(source.replace("{% block content %}", "{% block content %}<!-- report-marker -->", 1),
                      encoding="utf-8")
    build(full_site)
    after = snapshot(full_site / "public")
    assert len(rendered) == 3
    assert changed(before, after) == {f"reports/{s}.html" for s in rendered}


def test_static_asset_change_rewrites_only_the_asset(full_site, rendered):
    build(full_site)
    before = snapshot(full_site / "public")
    css = full_site / "templates/static/style.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* asset-marker */\n", encoding="utf-8")
    rendered.clear()
    build(full_site)
    after = snapshot(full_site / "public")
    assert rendered == []
    assert "assets/style.css" in changed(before, after)
    assert report_pages(changed(before, after)) == set()


def test_config_change_invalidates_every_page(full_site, rendered):
    build(full_site)
    config = full_site / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_name: 政府工作报告读本", "site_name: 新读本"),
                      encoding="utf-8")
    rendered.clear()
    build(full_site)
    assert len(rendered) == 3
    page = (full_site / "public/reports/2020-huaian-rdcwhgzbg.html").read_text(encoding="utf-8")
    assert "新读本" in page


def test_clean_ignores_the_cache_and_gives_the_same_bytes(full_site, rendered):
    build(full_site)
    before = {k: v[0] for k, v in snapshot(full_site / "public").items()}
    rendered.clear()
    summary = build(full_site, clean=True)
    assert len(rendered) == 3 and summary.ingest.pages == 1
    assert {k: v[0] for k, v in snapshot(full_site / "public").items()} == before


def test_failed_build_leaves_output_untouched_and_next_build_recovers(full_site):
    build(full_site)
    before = snapshot(full_site / "public")
    report = full_site / "templates/report.html"
    good = report.read_text(encoding="utf-8")
    report.write_text(good + "{% if %}\n", encoding="utf-8")
    with pytest.raises(BuilderError, match="template error"):
        build(full_site)
    assert snapshot(full_site / "public") == before
    report.write_text(good, encoding="utf-8")
    build(full_site)
    assert {k: v[0] for k, v in snapshot(full_site / "public").items()} == {k: v[0] for k, v in before.items()}


def test_output_file_deleted_by_hand_is_written_again(full_site):
    build(full_site)
    page = full_site / "public/reports/2020-huaian-rdcwhgzbg.html"
    data = page.read_bytes()
    page.unlink()
    build(full_site)
    assert page.read_bytes() == data


def test_parallel_build_is_byte_identical_to_serial(full_site, tmp_path, monkeypatch):
    other = tmp_path / "serial"
    shutil.copytree(full_site, other)
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 1)  # use the process pools even for three pages
    build(full_site, jobs=2)
    build(other, jobs=1)
    assert tree(full_site / "public") == tree(other / "public")
    assert tree(full_site / "site_src/reports") == tree(other / "site_src/reports")
    build(full_site, jobs=2, clean=True)  # deterministic: the same bytes again
    assert tree(full_site / "public") == tree(other / "public")


def test_edited_report_rewrites_only_its_own_indicator_page(full_site, rendered):
    """Issue 4/5: per-report indicator pages; an edit touches its own and the small index only."""
    build(full_site)
    before = snapshot(full_site / "public")
    slugs = sorted(p.stem for p in (full_site / "site_src/reports").glob("*.md"))
    assert {f"indicators/{s}.html" for s in slugs} <= set(before)
    path = full_site / "site_src/reports/2020-huaian-rdcwhgzbg.md"
    text = path.read_text(encoding="utf-8")
    marker = next(line for line in text.splitlines() if "%" in line and not line.startswith(("{", "#")))
    path.write_text(text.replace(marker, marker.replace("%", "%（新增说明12家企业）", 1), 1), encoding="utf-8")
    build(full_site)
    after = snapshot(full_site / "public")
    names = changed(before, after)
    assert {n for n in names if n.startswith("indicators/")} <= {"indicators/index.html",
                                                                  "indicators/2020-huaian-rdcwhgzbg.html"}
    assert "indicators/2020-huaian-rdcwhgzbg.html" in names
    assert not {n for n in names if n.startswith("reports/")} - {"reports/2020-huaian-rdcwhgzbg.html"}
    assert not list(full_site.glob(".public.new-*"))  # the staging folder is gone
