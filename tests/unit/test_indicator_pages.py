"""Site-wide pages that stay bounded as the site grows: per-report indicator pages, the
indicators index with its full-table threshold, the glossary's backlink threshold, and
pages streamed into a staging folder (issue 4 and 5)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from builder.build import output
from builder.build.scheduler import build_output
from builder.core.config import load_config
from builder.core.errors import BuilderError, ConfigError
from builder.glossary import pages as glossary_site
from builder.glossary.terms import Glossary, Term, glossary_json
from builder.indicators import extract as ind
from builder.indicators import tables
from builder.render import site
from builder.render.report import PagePlace, PageRenderer, PageSettings
from builder.render.templates import Templates
from builder.sitesrc import parse_front_matter

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def build_pages(reports, **settings):
    """The whole site in memory (``render.site.render_site``)."""
    return site.render_site(reports, PageSettings(**settings))


def render_site(reports, out: Path, **settings):
    """The site rendered into ``out`` without a build cache."""
    return build_output(reports, PageSettings(**settings), out)

BODY = """{#s1}
## 一、2019年工作回顾

{#s1-p1}
预计实现地区生产总值1.93万亿元，增长6%。新增城镇就业15万人。

{#s2}
## 二、2020年主要任务

{#s2-p1}
主要预期目标是：地区生产总值增长6%左右，城镇登记失业率控制在3%以内。
"""


def report(slug: str, year: int = 2020, title: str | None = None):
    meta = (f"---\ntitle: {title or slug + '报告'}\nkind: government_work_report\nissuer: 某市人民政府\n"
            f"place: 江苏省苏州市\nyear: {year}\nslug: {slug}\n---\n")
    return parse_front_matter(meta + BODY, f"site_src/reports/{slug}.md")


def soup(data: bytes) -> BeautifulSoup:
    return BeautifulSoup(data.decode("utf-8"), "html.parser")


def rows_of(files, slug):
    return [r for r in json.loads(files["data/indicators.json"]) if r["report"] == slug]


# ----------------------------------------------------------------- per-report indicator pages


def test_each_report_has_its_own_filterable_indicator_page():
    files, _ = build_pages([report("a"), report("b", 2021)], site_name="x", templates_dir=TEMPLATES)
    for slug in ("a", "b"):
        page = soup(files[f"indicators/{slug}.html"])
        rows = page.select("#indicator-table tbody tr")
        expected = rows_of(files, slug)
        assert len(rows) == len(expected) == 4
        assert [tr["data-kind"] for tr in rows] == [r["kind"] for r in expected]
        assert {tr["data-report"] for tr in rows} == {slug}
        form = page.select_one("#indicator-filter")
        assert form.select_one("select[name=kind]") is not None
        assert form.select_one("select[name=report]") is None  # the page is the report choice
        links = [a["href"] for a in page.select("#indicator-table a")]
        assert links == ["../" + r["url"] for r in expected]
        assert f"../reports/{slug}.html" in [a["href"] for a in page.select("a")]
        assert page.select_one("link[rel=stylesheet]")["href"] == "../assets/style.css"


def test_report_without_indicators_still_gets_a_page():
    meta = "---\ntitle: 空报告\nyear: 2020\nslug: empty\n---\n"
    files, _ = build_pages([parse_front_matter(meta + "{#p1}\n没有数字的一段话。\n", "e.md")],
                           site_name="x", templates_dir=TEMPLATES)
    page = soup(files["indicators/empty.html"])
    assert page.select("#indicator-table") == []
    assert page.select_one(".empty") is not None


def test_index_lists_reports_with_counts_per_kind_and_links():
    files, _ = build_pages([report("a"), report("b", 2021)], site_name="x", templates_dir=TEMPLATES)
    page = soup(files["indicators/index.html"])
    rows = page.select("#indicator-reports tbody tr")
    assert [tr.select_one("a")["href"] for tr in rows] == ["a.html", "b.html"]
    for tr, slug in zip(rows, ("a", "b"), strict=True):
        cells = [td.get_text() for td in tr.select("td")]
        kinds = [r["kind"] for r in rows_of(files, slug)]
        assert cells == [str(len(kinds))] + [str(kinds.count(k)) for k in ind.KIND_NAMES]


# ----------------------------------------------------------------- the full-table threshold


def test_small_site_index_carries_the_full_table():
    files, _ = build_pages([report("a"), report("b", 2021)], site_name="x", templates_dir=TEMPLATES,
                           full_table_max=8)
    page = soup(files["indicators/index.html"])
    rows = page.select("#indicator-table tbody tr")
    assert len(rows) == 8
    assert page.select_one("#indicator-filter select[name=report]") is not None
    assert [tr.select_one("td").get_text() for tr in rows][:1] == ["a报告"]
    assert page.select_one(".full-table-note") is None


def test_above_the_threshold_the_index_has_no_full_table_but_report_pages_do():
    files, _ = build_pages([report("a"), report("b", 2021)], site_name="x", templates_dir=TEMPLATES,
                           full_table_max=7)
    page = soup(files["indicators/index.html"])
    assert page.select("#indicator-table") == []
    note = page.select_one(".full-table-note").get_text()
    assert "8" in note and "7" in note
    assert len(page.select("#indicator-reports tbody tr")) == 2  # the list of reports stays
    assert len(soup(files["indicators/a.html"]).select("#indicator-table tbody tr")) == 4
    # the data files stay complete
    assert len(json.loads(files["data/indicators.json"])) == 8


def test_full_table_max_is_a_config_key(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text("indicators:\n  full_table_max: 10\nglossary:\n  backlinks_max: 5\n", encoding="utf-8")
    loaded = load_config(config)
    assert (loaded.indicators_full_table_max, loaded.glossary_backlinks_max) == (10, 5)
    config.write_text("site_name: x\n", encoding="utf-8")
    loaded = load_config(config)
    assert (loaded.indicators_full_table_max, loaded.glossary_backlinks_max) == (3000, 60)
    for bad in ("indicators:\n  full_table_max: -1\n", "glossary:\n  backlinks_max: many\n"):
        config.write_text(bad, encoding="utf-8")
        with pytest.raises(ConfigError):
            load_config(config)


def test_targets_vs_results_from_per_report_tuples_equals_the_full_computation():
    later = BODY.replace("2020", "2021").replace("2019", "2020")  # 2021's report: its results are 2020's

    def report_2021(slug, place):
        meta = (f"---\ntitle: {slug}报告\nkind: government_work_report\nissuer: 某市人民政府\n"
                f"place: {place}\nyear: 2021\nslug: {slug}\n---\n")
        return parse_front_matter(meta + later, f"site_src/reports/{slug}.md")

    reports = [report("a", 2020), report_2021("b", "江苏省苏州市"), report_2021("c", "江苏省无锡市")]
    files, _ = build_pages(reports, site_name="x", templates_dir=TEMPLATES)
    rows = json.loads(files["data/indicators.json"])
    meta = {"a": ("江苏省苏州市", 2020), "b": ("江苏省苏州市", 2021), "c": ("江苏省无锡市", 2021)}
    for r in rows:
        r.update(place=meta[r["report"]][0], report_year=meta[r["report"]][1])
    pairs = [tables.pair_rows([r for r in rows if r["report"] == s], *meta[s]) for s in meta]
    got = tables.pairs_table(lambda: (p for part in pairs for p in part))
    keep = lambda pair: {k: (pair[k] if k in ("label", "year") else  # noqa: E731
                             {f: pair[k][f] for f in ("kind", "label", "year", "span", "url")})
                         for k in ("label", "year", "target", "actual")}
    assert [keep(p) for p in got] == [keep(p) for p in tables.targets_vs_results(rows)]
    # a's growth target for 2020 meets b's growth for 2020 (not b's level, not c's: another place)
    [pair] = got
    assert (pair["indicator"], pair["year"], pair["measure"], pair["target_text"], pair["actual_text"]) == (
        "地区生产总值", 2020, "growth", "增长6%左右", "增长6%")
    assert (pair["met"], pair["margin"]) == (True, "持平")
    page = soup(files["indicators/index.html"])
    assert len(page.select("#targets-vs-results + div tbody tr")) == len(got)


# ----------------------------------------------------------------- glossary backlinks threshold


def glossary() -> Glossary:
    return Glossary((Term(id="t0", term="放管服", definition="定义", gloss="g"),))


def occurrences(reports: int, each: int) -> dict:
    return {"t0": [(f"r{r:02d}", f"s{r}-p{i}") for r in range(reports) for i in range(each)]}


def test_glossary_entry_at_or_under_the_threshold_lists_every_occurrence():
    found = occurrences(2, 3)
    context = glossary_site.glossary_context(glossary(), found, {}, {}, backlinks_max=6)
    entry = context["entries"][0]
    assert entry["full"] and entry["count"] == 6 and entry["more_reports"] == 0
    assert [len(g["anchors"]) for g in entry["reports"]] == [3, 3]


def test_glossary_entry_over_the_threshold_lists_reports_counts_and_first_anchors():
    found = occurrences(glossary_site.REPORTS_SHOWN + 5, 4)
    found["t0"] += [("r03", "extra-1"), ("r03", "extra-2")]  # r03 has most: listed first
    urls = {f"r{r:02d}": f"reports/r{r:02d}.html" for r in range(40)}
    context = glossary_site.glossary_context(glossary(), found, {"r03": "三号"}, urls, backlinks_max=10)
    entry = context["entries"][0]
    assert not entry["full"]
    shown = entry["reports"]
    assert len(shown) == glossary_site.REPORTS_SHOWN
    assert shown[0]["slug"] == "r03" and shown[0]["count"] == 6 and shown[0]["title"] == "三号"
    assert [g["slug"] for g in shown[1:4]] == ["r00", "r01", "r02"]  # equal counts: site order
    assert all(len(g["anchors"]) == glossary_site.FIRST_ANCHORS for g in shown)
    assert shown[0]["anchors"][0]["url"] == "../reports/r03.html#s3-p0"
    assert entry["more_reports"] == 5 and entry["more_count"] == 5 * 4
    assert entry["count"] == sum(g["count"] for g in shown) + entry["more_count"]


def test_glossary_page_over_the_threshold_is_bounded_and_json_stays_complete():
    templates = Templates(TEMPLATES, template_globals=(("has_glossary", True), ("nav_current", "")))
    found = occurrences(200, 5)
    render_ = lambda name, **c: templates.render(name, site_name="x", **c)  # noqa: E731
    small = glossary_site.glossary_files(glossary(), occurrences(20, 5), {}, {}, render_, backlinks_max=60)
    big = glossary_site.glossary_files(glossary(), found, {}, {}, render_, backlinks_max=60)
    page = soup(big[glossary_site.GLOSSARY_PAGE])
    links = page.select(".backlinks a")
    assert len(links) == glossary_site.REPORTS_SHOWN * glossary_site.FIRST_ANCHORS
    assert "另有 180 份报告共出现 900 次" in page.get_text()
    assert len(big[glossary_site.GLOSSARY_PAGE]) < 2 * len(small[glossary_site.GLOSSARY_PAGE])
    data = json.loads(big[glossary_site.GLOSSARY_DATA])
    assert len(data[0]["occurrences"]) == 1000


@pytest.mark.parametrize("found", [
    {}, {"t0": []}, {"t0": [("r1", "s1"), ("r\"2", "")]},
    {"t0": [{"report": "r1", "anchor": "s1-p2"}, {"report": "r2", "anchor": "x"}], "gone": [("r", "a")]},
])
def test_glossary_json_text_is_exactly_json_dumps(found):
    g = Glossary((Term(id="t0", term="放\"管", definition="“occurrences”: 0\n", gloss="g", aliases=("a",),
                       see_also=("t1",)),
                  Term(id="t1", term="六稳", definition="d", gloss="", category="c")))
    as_dicts = {t: [o if isinstance(o, dict) else {"report": o[0], "anchor": o[1]} for o in f]
                for t, f in found.items()}
    expected = json.dumps(glossary_json(g, as_dicts), ensure_ascii=False, indent=2)
    assert glossary_site.glossary_json_text(g, found) == expected


# ----------------------------------------------------------------- streamed output


def test_render_site_streams_into_staging_and_matches_the_in_memory_pages(tmp_path):
    reports = [report("a"), report("b", 2021)]
    files, _ = build_pages(reports, site_name="x", templates_dir=TEMPLATES)
    result = render_site(reports, tmp_path / "public", site_name="x", templates_dir=TEMPLATES)
    on_disk = {p.relative_to(tmp_path / "public").as_posix(): p.read_bytes()
               for p in (tmp_path / "public").rglob("*") if p.is_file()}
    assert on_disk == dict(files)
    assert set(result.files) == set(files)
    assert [p.name for p in tmp_path.iterdir()] == ["public"]  # no staging folder left behind


def test_failure_after_pages_were_staged_leaves_output_untouched_and_no_staging(tmp_path, monkeypatch):
    out = tmp_path / "public"
    render_site([report("a")], out, site_name="x", templates_dir=TEMPLATES)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def broken(*args, **kwargs):
        raise BuilderError("the sitemap failed")

    monkeypatch.setattr(site, "_publishing_outputs", broken)  # after every report page was staged
    with pytest.raises(BuilderError):
        render_site([report("a"), report("b", 2021)], out, site_name="x", templates_dir=TEMPLATES)
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["public"]


def test_rendered_pages_are_written_with_their_digests(tmp_path):
    item = PageRenderer(PageSettings(templates_dir=TEMPLATES, site_name="x", indicator_count=3)).render(
        report("a"), PagePlace(None, None, False))
    assert [name for name, _ in item.outputs] == ["reports/a.html", "indicators/a.html"]
    written = output.write_pages(tmp_path, item.outputs)
    assert [n for n, _ in written] == ["reports/a.html", "indicators/a.html"]
    import hashlib
    for (name, data), (_, digest) in zip(item.outputs, written, strict=True):
        assert (tmp_path / name).read_bytes() == data and hashlib.sha256(data).hexdigest() == digest
