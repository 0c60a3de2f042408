"""Browsing by place (builder.render.places): grouping reports under their places, the home page's
groups, a place's page and its key indicators over the years.  Pure functions, no site built."""

from __future__ import annotations

from builder.render.places import (
    PlaceReport,
    group,
    home_context,
    indicator_table,
    place_pages,
    report_figures,
    report_place_url,
)


def listing(slug: str, place: str, year: int | None = 2020, kind: str = "government_work_report",
            genre: str = "report", **extra) -> PlaceReport:
    return PlaceReport(slug=slug, url=f"reports/{slug}.html", title=f"{year}年{place}报告", year=year, kind=kind,
                       genre=genre, place=place, **extra)


def test_every_place_on_a_chain_is_a_node_and_each_report_sits_under_its_own_place():
    places = group([listing("hl-2013", "内蒙古自治区呼伦贝尔市海拉尔区", 2013),
                    listing("hl-2012", "内蒙古自治区呼伦贝尔市海拉尔区", 2012),
                    listing("gwy-2012", "全国", 2012),
                    listing("sz-2020", "江苏省苏州市"),
                    listing("x", ""), listing("y", "不是地名")])
    assert list(places.nodes) == ["quanguo", "neimenggu-150000", "hulunbeier-150700", "hailaer-150702",
                                  "jiangsu-320000", "suzhou-320500"]  # depth first, provinces by adcode
    hailar = places.nodes["hailaer-150702"]
    assert [r.slug for r in hailar.reports] == ["hl-2012", "hl-2013"]  # by year
    assert hailar.parent is not None and hailar.parent.name == "呼伦贝尔市"
    hulunbuir = places.nodes["hulunbeier-150700"]  # no report of its own, one place below it
    assert hulunbuir.reports == [] and [c.name for c in hulunbuir.children] == ["海拉尔区"] and hulunbuir.total == 2
    assert places.nodes["quanguo"].total == 4 and [r.slug for r in places.nodes["quanguo"].reports] == ["gwy-2012"]
    assert [r.slug for r in places.unplaced] == ["x", "y"]  # kept, never dropped


def test_home_groups_nest_places_and_list_their_years():
    home = home_context([listing("sz-2021", "江苏省苏州市", 2021), listing("sz-2020", "江苏省苏州市", 2020),
                         listing("sz-rd", "江苏省苏州市", 2020, kind="npc_standing_committee_report"),
                         listing("js", "江苏省", 2026), listing("none", "", None),
                         listing("res", "江苏省苏州市", 2020, kind="other", genre="resolution")])
    [jiangsu] = home["groups"]  # 全国 has no report of its own: no group (its page still lists the provinces)
    assert (jiangsu["name"], jiangsu["count"], jiangsu["years"]) == ("江苏省", 4, "2020–2026年")
    assert [y["year"] for y in jiangsu["reports"]] == [2026]
    [suzhou] = jiangsu["children"]
    assert [(y["year"], y["short"], y["url"]) for y in suzhou["reports"]] == [
        (2020, "", "reports/sz-2020.html"), (2020, "人大", "reports/sz-rd.html"), (2021, "", "reports/sz-2021.html")]
    assert [y["url"] for y in home["unplaced"]] == ["reports/none.html"]
    assert [r["url"] for r in home["related"]] == ["reports/res.html"]  # not among the years, listed apart
    assert home["kinds"] == [("government_work_report", "政府工作报告"),
                             ("npc_standing_committee_report", "人大常委会工作报告"), ("related", "相关文件")]
    assert home["years"] == [2026, 2021, 2020] and home["report_count"] == 5 and home["place_count"] == 2


def test_a_place_page_shows_its_ancestors_reports_and_children():
    pages = place_pages([listing("cy", "北京市朝阳区", 2019, summary="过去一年……"), listing("bj", "北京市", 2020),
                         listing("res", "北京市朝阳区", 2019, kind="other", genre="resolution")])
    assert sorted(pages) == ["places/beijing-110000.html", "places/chaoyang-110105.html", "places/quanguo.html"]
    chaoyang = pages["places/chaoyang-110105.html"]
    assert [a["name"] for a in chaoyang["ancestors"]] == ["全国", "北京市"]
    assert chaoyang["ancestors"][1]["url"] == "../places/beijing-110000.html"
    assert (chaoyang["level_name"], chaoyang["path"], chaoyang["code"]) == ("县级", "北京市朝阳区", "110105")
    assert [(r["title"], r["summary"]) for r in chaoyang["reports"]] == [("2019年北京市朝阳区报告", "过去一年……")]
    assert [r["kind_label"] for r in chaoyang["related"]] == ["决议"]
    beijing = pages["places/beijing-110000.html"]
    # a municipality's districts are county-level: the children are named by their own level
    assert beijing["child_level"] == "县级" and [c["name"] for c in beijing["children"]] == ["朝阳区"]
    assert pages["places/quanguo.html"]["reports"] == [] and pages["places/quanguo.html"]["total"] == 3


def test_a_report_links_the_page_of_its_place():
    assert report_place_url("内蒙古自治区呼伦贝尔市海拉尔区") == "places/hailaer-150702.html"
    assert report_place_url("全国") == "places/quanguo.html"
    assert report_place_url("") == "" and report_place_url("不是地名") == ""


def row(indicator, value=None, change=None, kind="actual", year=2012, anchor="p1", label=None, unit="%"):
    return {"indicator": indicator, "label": label or indicator, "value": value, "change": change,
            "change_unit": unit if change is not None else None, "kind": kind, "year": year,
            "span": value or f"增长{change}%", "url": f"reports/r.html#{anchor}"}


def test_key_figures_are_the_results_of_the_year_under_review():
    figures = report_figures([
        row("地区生产总值", "235.2亿元", 18.5, anchor="s1-p2"),
        row("地区生产总值", "240亿元", 21, kind="target", year=2013),  # a target: not a result
        row("社会消费品零售总额", "120亿元", year=2013),  # a result of another year
        row("规模以上工业总产值", "745亿元", anchor="s1-p6"),  # 五年共完成…745亿元: a level with no growth
        row("规模以上工业总产值", "188亿元", 12.9, anchor="s1-1-p1"),  # the year's: level and growth
        row("规模以上工业增加值", "9.7%", label="规模以上工业增加值增速"),  # 增速完成9.7%: a growth
        row("城镇登记失业率", "3.84%"),
        row("居民消费价格", None, -0.5, unit="pp"),
    ], 2013)
    assert set(figures) == {("地区生产总值", "235.2亿元", "增长18.5%", "s1-p2"),
                            ("规模以上工业总产值", "188亿元", "增长12.9%", "s1-1-p1"),
                            ("规模以上工业增加值", "", "增速9.7%", "p1"),
                            ("城镇登记失业率", "3.84%", "", "p1"),
                            ("居民消费价格", "", "下降0.5个百分点", "p1")}
    assert figures[0].indicator == "地区生产总值"  # in the order canonical.py lists them
    assert report_figures([row("地区生产总值", "1亿元")], None) == ()


def test_the_indicator_table_keeps_indicators_stated_in_two_years_or_more():
    r2013 = listing("a", "全国", 2013, figures=report_figures(
        [row("地区生产总值", "235.2亿元", 18.5), row("进出口总额", "10亿美元")], 2013))
    r2014 = listing("b", "全国", 2014, figures=report_figures(
        [row("地区生产总值", "253.7亿元", 10.1, year=2013, anchor="s1-p3")], 2014))
    table = indicator_table([r2014, r2013])
    assert table is not None and table["columns"] == ["地区生产总值"]  # 进出口总额: one year only
    assert [(r["year"], r["source_year"]) for r in table["rows"]] == [(2012, 2013), (2013, 2014)]
    assert table["rows"][1]["cells"] == [{"value": "253.7亿元", "growth": "增长10.1%",
                                          "url": "../reports/b.html#s1-p3"}]
    assert indicator_table([r2013]) is None
