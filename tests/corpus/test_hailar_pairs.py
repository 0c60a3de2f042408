"""The targets-vs-results table on a site built from the Hailar district series 2012-2019 of
../shared/corpus: the pairs a reader checks against the texts, and no pair across places,
indicators or measures."""

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from shared_corpus import CORPUS

from builder.cli import main

ROOT = Path(__file__).resolve().parents[2]
FILES = [CORPUS / f"{year}-neimenggu-hulunbeier-hailaer-qu-zfgzbg.txt" for year in range(2012, 2020)]
pytestmark = pytest.mark.skipif(not all(f.exists() for f in FILES),
                                reason=f"the Hailar series is not here ({CORPUS})")
PLACE = "内蒙古自治区呼伦贝尔市海拉尔区"

#: (indicator, year, target, result, verdict) read by hand in the two reports: the target in
#: year Y's 主要预期目标, the result in Y+1's review of Y.
CHECKED = [
    # 2012: 地区生产总值达到240亿元，同比增长21% / 2013: 地区生产总值完成235.2亿元，同比增长18.5%
    ("地区生产总值", "2012", "240亿元", "235.2亿元", "未达到（-2.0%）"),
    ("地区生产总值", "2012", "增长21%", "增长18.5%", "未达到（-2.5个百分点）"),
    # 2012: 地方财政总收入达到20亿元，同比增长24.6% / 2013: 地方财政总收入完成20.67亿元，同比增长28.8%
    ("地方财政总收入", "2012", "20亿元", "20.67亿元", "达到（+3.4%）"),
    # 2012: 城镇人均可支配收入达到23896元，同比增长18% / 2013: 城镇居民人均可支配收入达到23267元，同比增长14.9%
    ("城镇居民人均可支配收入", "2012", "23896元", "23267元", "未达到（-2.6%）"),
    # 2013: 地区生产总值增长20%，达到282亿元 / 2014: 地区生产总值完成253.7亿元，同比增长10.1%
    ("地区生产总值", "2013", "增长20%", "增长10.1%", "未达到（-9.9个百分点）"),
    # 2013: 社会消费品零售总额增长22%，达到120亿元 / 2014: 社会消费品零售总额完成110.6亿元，同比增长13%
    ("社会消费品零售总额", "2013", "120亿元", "110.6亿元", "未达到（-7.8%）"),
    # 2014: 地方财政总收入增长16%，达到28.8亿元 / 2015: 地方财政总收入完成24.9亿元，同比增长0.4%
    ("地方财政总收入", "2014", "增长16%", "增长0.4%", "未达到（-15.6个百分点）"),
    # 2014: 城镇登记失业率控制在4%以内 / 2015: 城镇登记失业率为3.79%
    ("城镇登记失业率", "2014", "4%以内", "3.79%", "达到（-0.21个百分点）"),
    # 2015: 公共财政预算收入增长7%，达到14.6亿元 / 2016: 地方公共财政预算收入达到15.07亿元,同比增长10.3%
    ("一般公共预算收入", "2015", "14.6亿元", "15.07亿元", "达到（+3.2%）"),
    # 2015: 地区生产总值增长8%，达到296亿元 / 2016: 地区生产总值达到 287.9亿元,同比增长8.9%
    ("地区生产总值", "2015", "增长8%", "增长8.9%", "达到（+0.9个百分点）"),
    # 2015: 城镇…人均可支配收入增长10% / 2016: 城乡居民人均可支配收入分别增长8.7%和8.6%
    ("城镇居民人均可支配收入", "2015", "增长10%", "增长8.7%", "未达到（-1.3个百分点）"),
    # 2016: 地区生产总值增长7.5%，达到309亿元 / 2017: 地区生产总值完成303.6亿元,同比增长7.2%
    ("地区生产总值", "2016", "309亿元", "303.6亿元", "未达到（-1.7%）"),
    # 2017: 农村牧区常住居民人均可支配收入增长7.5%,达到25617元
    # 2018: 城镇和农村居民人均可支配收入分别达35512元、25689元
    ("农村居民人均可支配收入", "2017", "25617元", "25689元", "达到（+0.3%）"),
    # 2018: 地区生产总值增长6%左右 / 2019: 地区生产总值完成192.3亿元，按可比价计算，同比增长6.0%
    ("地区生产总值", "2018", "增长6%左右", "增长6%", "达到（持平）"),
]


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    site = tmp_path_factory.mktemp("hailar")
    (site / "site_src" / "scraped").mkdir(parents=True)
    for f in FILES:
        shutil.copy(f, site / "site_src" / "scraped" / f.name)
    config = f"site_name: 海拉尔\npaths:\n  templates: {ROOT / 'templates'}\n"
    (site / "config.yaml").write_text(config, encoding="utf-8")
    assert main(["build", "--config", str(site / "config.yaml")]) == 0
    page = BeautifulSoup((site / "public" / "indicators" / "index.html").read_text(encoding="utf-8"), "html.parser")
    return [([c.get_text() for c in tr.find_all(["td", "th"])], tr["data-measure"],
             [a["href"] for a in tr.find_all("a")]) for tr in page.select("#targets-vs-results + div tbody tr")]


def test_hand_checked_pairs(table):
    rows = {(cells[1], cells[2], cells[3]): cells for cells, _, _ in table}
    print(f"\n{len(table)} pairs on the Hailar site")
    for indicator, year, target, result, verdict in CHECKED:
        cells = rows[(indicator, year, target)]
        assert cells[4:] == [result, verdict], (indicator, year)


def test_no_pair_crosses_places_measures_or_years(table):
    assert len(table) >= len(CHECKED)
    for cells, how, (target_url, result_url) in table:
        assert cells[0] == PLACE
        year = int(cells[2])
        # the target from year Y's report, the result from Y+1's
        assert target_url.startswith(f"../reports/{year}-") and result_url.startswith(f"../reports/{year + 1}-")
        target, result = cells[3], cells[4]
        if how == "growth":
            assert target.startswith(("增长", "下降")) and result.startswith(("增长", "下降"))
        elif how == "rate":
            assert "%" in target and "%" in result and "增长" not in target + result
        else:
            assert how.startswith("level:") and target.endswith(how[6:]) and result.endswith(how[6:])
            assert "%" not in target + result
