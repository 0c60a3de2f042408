"""Browsing by place on a site of the bundled page and every file of ../shared/corpus (issue 12):
every place has a page that the home page and its reports link, the Hailar district's page
gathers its 2012-2019 series with its key indicators, and 全国 holds the State Council's reports."""

import json
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from shared_corpus import CORPUS

from builder.cli import main

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "site_src" / "scraped" / "000_8b8113f56c6b1839.txt"
pytestmark = pytest.mark.skipif(not (CORPUS / "manifest.yaml").exists(),
                                reason=f"the shared corpus is not here ({CORPUS})")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus-site")
    scraped = folder / "site_src" / "scraped"
    scraped.mkdir(parents=True)
    for path in [SEED, *(p for p in CORPUS.iterdir() if p.suffix in (".txt", ".csv"))]:
        shutil.copy(path, scraped / path.name)
    (folder / "config.yaml").write_text(f"site_name: 读本\npaths:\n  templates: {ROOT / 'templates'}\n",
                                        encoding="utf-8")
    assert main(["build", "--config", str(folder / "config.yaml")]) == 0
    return folder / "public"


def test_every_report_links_the_page_of_its_place_and_the_home_page_every_place(site):
    reports = json.loads((site / "data" / "reports.json").read_text(encoding="utf-8"))
    pages = {p.name for p in (site / "places").iterdir()}
    home = soup(site / "index.html")
    listed = {a["href"] for a in home.select(".browse .place-name[href]")}
    assert listed == {f"places/{name}" for name in pages}
    linked = {a["href"] for a in home.select(".year-links a, .related-documents a")}
    for entry in reports:
        link = soup(site / entry["url"]).select_one(".report-meta a[href^='../places/']")
        assert link is not None and link.get_text() == entry["place"], entry["slug"]
        assert (site / "reports" / link["href"]).resolve().is_file()
        assert entry["url"] in linked, entry["slug"]  # every report is reachable from the home page
    size = (site / "index.html").stat().st_size
    print(f"\n{len(pages)} place pages for {len(reports)} reports; home page {size} bytes")
    # 全国, 15 provinces, and 呼伦贝尔市 (no report of its own), 海拉尔区, 苏州市, 淮安市
    assert len(pages) == 20 and "hulunbeier-150700.html" in pages


def test_the_hailar_page_has_the_2012_to_2019_series_and_its_key_indicators(site):
    page = soup(site / "places" / "hailaer-150702.html")
    titles = [a.get_text() for a in page.select(".report-item-title a")]
    assert titles == [f"{year}年海拉尔区政府工作报告" for year in range(2012, 2020)]
    breadcrumb = [a.get_text() for a in page.select(".place-breadcrumb a")]
    assert breadcrumb == ["全部地区", "全国", "内蒙古自治区", "呼伦贝尔市"]
    table = page.select_one(".place-table")
    columns = [th.get_text() for th in table.select("thead th")]
    assert columns[:2] == ["年份", "地区生产总值"] and "城镇居民人均可支配收入" in columns
    rows = {tr.th.contents[0].strip(): tr for tr in table.select("tbody tr")}
    assert list(rows) == [str(year) for year in range(2011, 2019)]  # the results each report states of its past year
    gdp_2012 = rows["2012"].select("td")[0]
    # 2013年报告: 地区生产总值完成235.2亿元，同比增长18.5%
    assert gdp_2012.get_text(" ", strip=True) == "235.2亿元 增长18.5%"
    href = gdp_2012.a["href"]
    assert href.startswith("../reports/2013-hailaer-zfgzbg.html#")
    target = soup(site / "places" / href.split("#")[0])
    paragraph = target.find(id=href.split("#")[1])
    assert paragraph is not None and "235.2亿元" in paragraph.get_text()


def test_the_national_page_holds_the_state_councils_reports_and_lists_the_provinces(site):
    reports = json.loads((site / "data" / "reports.json").read_text(encoding="utf-8"))
    national = sorted(e["url"] for e in reports if e["place"] == "全国")
    page = soup(site / "places" / "quanguo.html")
    assert sorted(a["href"].removeprefix("../") for a in page.select(".report-item-title a")) == national
    assert len(national) >= 36  # the State Council's reports, 1954-2018
    children = [a.get_text() for a in page.select(".place-children .place-name")]
    assert "内蒙古自治区" in children and "江苏省" in children and len(children) == 15
    assert page.select_one(".place-table") is not None  # 国内生产总值 recurs over the years
