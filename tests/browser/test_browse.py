"""The home page's filters by year and kind (issue 12), in a real browser: they narrow the list of
places and years, say how many reports are left, work on a 375 px phone, and without JavaScript
every report stays listed."""

from __future__ import annotations

import re
import shutil

import pytest
from browser_support import REPO, build  # type: ignore[import-not-found]

pytestmark = pytest.mark.browser

#: (slug, year, place) of reports copied from the bundled site's with their front matter changed.
VARIANTS = [("2019-suzhou-zfgzbg", 2019, "江苏省苏州市"), ("2019-wuxi-zfgzbg", 2019, "江苏省无锡市"),
            ("2021-hailaer-zfgzbg", 2021, "内蒙古自治区呼伦贝尔市海拉尔区")]


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> str:
    """The home page (file:// URL) of a site of the bundled reports (2020: Suzhou's government work
    report, Suzhou's and Huai'an's standing committee reports) and three more government work reports."""
    folder = tmp_path_factory.mktemp("browse")
    reports = folder / "reports"
    shutil.copytree(REPO / "site_src" / "reports", reports)
    seed = (reports / "2020-suzhou-zfgzbg.md").read_text(encoding="utf-8")
    for slug, year, place in VARIANTS:
        text = re.sub(r"(?m)^slug: .*$", f"slug: {slug}", seed, count=1)
        text = re.sub(r"(?m)^year: .*$", f"year: {year}", text, count=1)
        text = re.sub(r"(?m)^place: .*$", f"place: {place}", text, count=1)
        (reports / f"{slug}.md").write_text(text, encoding="utf-8")
    (folder / "scraped").mkdir()
    config = folder / "config.yaml"
    config.write_text(f"site_name: 读本\npaths:\n  scraped: {folder / 'scraped'}\n  reports: {reports}\n"
                      f"  templates: {REPO / 'templates'}\n  output: {folder / 'public'}\n"
                      f"  cache: {folder / 'cache'}\n",
                      encoding="utf-8")
    return (build(config) / "index.html").as_uri()


def shown(page) -> list[str]:
    """The reports the home page shows: each visible year link as place + year."""
    return page.eval_on_selector_all(
        ".browse .year-links a", "links => links.filter(a => a.offsetParent !== null).map(a => "
        "a.closest('.place-row').querySelector('.place-name').textContent + ' ' + a.textContent)")


def test_year_and_kind_filters_narrow_the_list_and_say_how_many(open_page, home):
    watched = open_page(home)
    page = watched.page
    assert sorted(shown(page)) == sorted(["海拉尔区 2021", "淮安市 2020人大", "无锡市 2019", "苏州市 2019",
                                          "苏州市 2020", "苏州市 2020人大"])
    page.get_by_label("年份").select_option("2019")
    assert sorted(shown(page)) == sorted(["无锡市 2019", "苏州市 2019"])
    assert page.locator("#filter-status").text_content() == "找到 2 份，分布在 2 个地区。"
    # the groups and places left without a report of that year are hidden
    assert page.locator("details#neimenggu-150000").is_hidden() and page.locator("details#jiangsu-320000").is_visible()
    assert page.get_by_role("link", name="淮安市").is_hidden()
    assert "year=2019" in page.url  # a filtered list can be linked
    page.get_by_label("年份").select_option("")
    page.get_by_label("类型").select_option("npc_standing_committee_report")
    assert sorted(shown(page)) == sorted(["淮安市 2020人大", "苏州市 2020人大"])
    page.get_by_label("年份").select_option("2019")
    assert shown(page) == [] and page.locator("#filter-status").text_content() == "没有符合条件的报告。"
    assert page.locator("#filter-status").get_attribute("role") == "status"
    page.get_by_label("年份").select_option("")
    page.get_by_label("类型").select_option("")
    assert len(shown(page)) == 6 and page.locator("#filter-status").text_content() == "显示全部报告。"
    assert watched.problems == []


def test_a_filtered_link_opens_filtered_and_the_filters_fit_a_phone(open_page, home):
    watched = open_page(home + "?year=2021", width=375, height=740)
    page = watched.page
    assert shown(page) == ["海拉尔区 2021"]
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    for control in ("年份", "类型"):
        box = page.get_by_label(control).bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375 and box["height"] >= 32
    page.get_by_label("类型").select_option("government_work_report")
    assert shown(page) == ["海拉尔区 2021"]
    page.get_by_role("link", name="海拉尔区").click()
    assert page.locator("h1").text_content() == "海拉尔区"
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # the indicator table scrolls in its box
    assert watched.problems == []


def test_without_javascript_everything_is_listed(browser, home):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(home + "?year=2019")
        assert page.locator("#browse-filters").is_hidden()
        links = page.locator(".browse .year-links a")
        assert links.count() == 6 and all(links.nth(i).is_visible() for i in range(6))
    finally:
        context.close()
