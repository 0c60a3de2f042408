"""Issue 12: what a report page tells the search index (builder/render/search.py) and the index
word of a glossary term (builder/text/searchword.py)."""

from __future__ import annotations

import re

import pytest

from builder.glossary.terms import Glossary, Term
from builder.render.search import mark_terms, report_filters
from builder.text.searchword import search_word, search_words


def page(**fields) -> dict:
    base = {"year": 2020, "place": "江苏省苏州市", "is_report": True, "kind_label": "政府工作报告",
            "genre_label": "报告", "issuer": "苏州市人民政府"}
    return {**base, **fields}


def test_filters_of_a_city_report():
    assert report_filters(page()) == [("年份", "2020"), ("地区", "江苏省"), ("地区", "江苏省 › 苏州市"),
                                      ("层级", "地级"), ("类别", "政府工作报告"), ("发布机关", "苏州市人民政府")]


def test_a_county_report_is_found_under_its_province_and_its_city():
    regions = [value for name, value in report_filters(page(place="内蒙古自治区呼伦贝尔市海拉尔区")) if name == "地区"]
    assert regions == ["内蒙古自治区", "内蒙古自治区 › 呼伦贝尔市", "内蒙古自治区 › 呼伦贝尔市 › 海拉尔区"]
    assert ("层级", "县级") in report_filters(page(place="内蒙古自治区呼伦贝尔市海拉尔区"))


def test_a_national_report_and_a_province():
    national = report_filters(page(place="全国", issuer="国务院"))
    assert ("地区", "全国") in national and ("层级", "全国") in national
    assert ("层级", "省级") in report_filters(page(place="广东省"))


def test_missing_fields_give_no_filter_and_other_documents_their_genre():
    filters = report_filters(page(year=None, place="", issuer="", is_report=False, genre_label="决议"))
    assert filters == [("类别", "决议")]


def test_a_comma_in_a_value_cannot_start_another_filter():
    assert ("发布机关", "甲，乙") in report_filters(page(issuer="甲,乙"))


def test_the_index_word_ignores_punctuation_spaces_and_width():
    word = search_word("双随机、一公开")
    assert word == search_word("双随机一公开") == search_word("“双随机、一公开”") == search_word(" 双随机 一公开 ")
    assert search_word("Ｐ＋Ｒ") == search_word("p+r")
    assert re.fullmatch(r"zq[a-p]+z", word)
    assert search_word("、。") == ""


def test_index_words_differ_and_never_start_a_longer_one():
    short, long = search_word("十三五"), search_word("十三五规划")
    assert short != long and not long.startswith(short)
    assert search_word("放管服") != search_word("放管")
    assert search_words(["双随机、一公开", "双随机一公开", "放管服"]).split() == [search_word("双随机一公开"),
                                                                           search_word("放管服")]


GLOSSARY = Glossary((
    Term(id="fangguanfu", term="放管服", definition="简政放权、放管结合、优化服务。", gloss="g"),
    Term(id="shisanwu", term="十三五", aliases=("十三五规划",), definition="第十三个五年规划。", gloss="g"),
))


def test_mark_terms_gives_each_paragraph_the_words_of_its_terms_and_their_aliases():
    html = ('<h2 id="s1">一、回顾</h2>\n<p id="s1-p1">深化“放管服”改革。</p>\n'
            '<p id="s1-p2">十三五规划顺利完成。</p>\n<p id="s1-p3">其他。</p>\n')
    marked = mark_terms(html, [("fangguanfu", "s1-p1"), ("shisanwu", "s1-p2"), ("shisanwu", "s1-p2")], GLOSSARY)
    assert marked.replace(
        f' data-pagefind-index-attrs="data-search-terms" data-search-terms="{search_word("放管服")}"', "", 1).replace(
        f' data-pagefind-index-attrs="data-search-terms" data-search-terms="{search_word("十三五")} '
        f'{search_word("十三五规划")}"', "", 1) == html
    assert '<p id="s1-p1" data-pagefind-index-attrs' in marked
    assert '<p id="s1-p3">' in marked and '<h2 id="s1">' in marked


@pytest.mark.parametrize("glossary, occurrences", [(None, [("fangguanfu", "s1-p1")]), (GLOSSARY, []),
                                                   (GLOSSARY, [("unknown", "s1-p1")])])
def test_mark_terms_leaves_the_body_alone_without_terms(glossary, occurrences):
    html = '<p id="s1-p1">深化“放管服”改革。</p>'
    assert mark_terms(html, occurrences, glossary) == html
