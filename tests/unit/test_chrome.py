"""builder.ingest.chrome: chrome recognized by what it is, in many sites' wordings; body text that
mentions 版权, 来源, 推荐, 分享 or 阅读 stays."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_corpus import CORPUS

from builder.ingest.chrome import LINE_RULES, ChromeHit, chrome_rule, find_chrome, related_list_length


@pytest.mark.parametrize("line, rule", [
    # site notices
    ("【温馨提示】本站所有范文仅供参考，请勿直接抄袭。", "site-notice"),
    ("[温馨提示]：本文档为网友上传，仅供学习交流", "site-notice"),
    ("〖免责声明〗本网转载内容不代表本网观点", "site-notice"),
    ("免责声明：本站部分内容来源于网络，如有侵权请联系删除。", "site-notice"),
    ("以上就是小编为大家整理的2020年政府工作报告全文，希望对你有帮助", "site-notice"),
    ("本文由范文网小编收集整理，转载请注明出处。", "site-notice"),
    ("转载请注明出处：www.example.com", "site-notice"),
    ("未经本站书面许可，不得转载", "site-notice"),
    ("点击下载本文的Word文档", "site-notice"),
    ("下载地址：http://example.com/a.doc", "site-notice"),
    # copyright, ICP, footers
    ("Copyright © 2012-2016 好范文网 版权所有　鲁ICP备12345678号", "copyright"),
    ("copyright (c) 2005 example.com all rights reserved", "copyright"),
    ("© 2024 某某市人民政府", "copyright"),
    ("京ICP备05070218号", "copyright"),
    ("苏ICP备2021012345号-1　苏公网安备 32010202001234号", "copyright"),
    ("网站标识码：3201000001", "copyright"),
    ("版权所有：某某市人民政府办公室", "copyright"),
    ("主办：某某市人民政府办公室　承办：某某市大数据管理局", "copyright"),
    ("地址：某某市人民路1号　邮编：210000　电话：025-12345678", "copyright"),
    ("关于我们 | 联系我们 | 网站地图 | 免责声明", "copyright"),
    # source / time / read-count headers
    ("来源：某某网 时间：2016-03-02 阅读：1023次", "page-header"),
    ("来源:某某范文网  时间:2020-06-04 12:01:14  阅读:", "page-header"),
    ("发布时间：2021-01-25 作者：佚名 点击数：568", "page-header"),
    ("2020-01-05 10:20 来源：新华社", "page-header"),
    ("时间：2021年1月25日 浏览次数：1234", "page-header"),
    ("文章来源：某某日报", "page-header"),
    ("作者：张三", "page-header"),
    ("发布日期：2026-02-02", "page-header"),
    ("阅读(1234)", "page-header"),
    ("1.2万次阅读", "page-header"),
    ("（来源：某某日报）", "page-header"),
    ("2026-01-31 07:00:44", "page-header"),
    # related lists
    ("相关推荐：", "related-list"),
    ("相关文章>>", "related-list"),
    ("【猜你喜欢】", "related-list"),
    ("您可能感兴趣的文章：", "related-list"),
    ("延伸阅读", "related-list"),
    ("相关链接 · 《政府工作报告》修改15处 · 关于政府工作报告的决议 · 代表热议", "related-list"),
    ("推荐阅读：《2020年政府工作报告》全文", "related-list"),
    # previous / next, pagers
    ("上一篇：2019年某县政府工作报告", "prev-next"),
    ("下一篇：没有了", "prev-next"),
    ("上一条 ：关于印发某某方案的通知", "prev-next"),
    ("上一页 1 2 3 4 5 下一页 >>|", "pager"),
    ("|<< 上一页 6 下一页", "pager"),
    ("<U+00A0><U+00A0>上一页<U+00A0><U+00A0>1<U+00A0><U+00A0> 2<U+00A0><U+00A0> 3 下一页", "pager"),
    ("首页 上一页 1 2 3 ... 10 下一页 尾页", "pager"),
    ("共5页 第1页", "pager"),
    ("第1页 第2页 第3页", "pager"),
    ("« 上页 1 2 下页 » 跳转到 页 GO", "pager"),
    # share bars
    ("分享到：", "share-bar"),
    ("分享到：微信 微博 QQ空间", "share-bar"),
    ("【分享】", "share-bar"),
    ("分享到微信", "share-bar"),
    ("微信 | 微博 | QQ空间 | 复制链接", "share-bar"),
    ("扫一扫在手机打开当前页", "share-bar"),
    ("【E-mail推荐", "share-bar"),
])
def test_chrome_in_many_wordings(line: str, rule: str):
    assert chrome_rule(line) == rule


@pytest.mark.parametrize("line", [
    # 版权, ICP-like words in a report
    "加强知识产权保护，严厉打击侵犯版权和商标权行为。",
    "依法保护著作权人、版权所有人的合法权益。",
    "版权产业增加值增长8%，成为新的经济增长点。",
    # 来源, 时间, 阅读, 作者 in a report
    "资金来源：中央预算内投资和地方政府专项债券。",
    "拓宽农民增收来源，农村居民人均可支配收入增长7%。",
    "开展全民阅读活动，阅读人数达到100万人次。",
    "时间紧、任务重，我们必须只争朝夕。",
    "2020年1月5日",
    "——2020年1月5日在某市第十五届人民代表大会第五次会议上",
    # 推荐, 相关 in a report
    "推荐一批优秀企业家担任人大代表。",
    "相关推荐工作按程序进行。",
    "相关链接机制进一步完善，数据共享水平明显提高。",
    "积极推荐地方特色产品进入全国市场",
    # 分享, 扫码, 下一步 in a report
    "分享改革发展成果，让人民群众有更多获得感。",
    "分享到全省各地的经验做法，要总结推广。",
    "扫码乘车、扫码支付全面普及。",
    "下一步，我们将继续深化改革。",
    "比上一年增长6%，第1页所列指标全部完成。",
    "全书共300页，收录文件200件。",
    "下一个五年，我们要奋力开创新局面。",
    # notices and site words in a report
    "本网络安全保障体系基本建立，本网格化管理全面推开。",
    "各位代表：",
    "一、2019年工作回顾",
    "（一）加快发展现代产业体系",
    "主办第十届全国运动会，承办各类国际会议20场。",
    "地址变更登记实现“一网通办”。",
])
def test_body_text_is_not_chrome(line: str):
    assert chrome_rule(line) is None


def test_every_rule_has_a_name_and_a_description():
    names = [rule.name for rule in LINE_RULES]
    assert len(names) == len(set(names))
    assert all(rule.description for rule in LINE_RULES)


# ---------------------------------------------------------------- the list under a related heading

REPORT_END = ["让我们团结一心，为建设美好家园而努力奋斗！"]


def test_related_list_runs_to_the_footer():
    lines = [*REPORT_END, "相关推荐：", "2009年某市国民经济和社会发展统计公报", "2008年某市政府工作报告",
             "某市人民政府关于做好2009年保增长工作的意见", "Copyright © 2012-2016 好范文网 版权所有"]
    assert related_list_length(lines, 1) == 3
    assert find_chrome(lines) == (ChromeHit(1, "related-list"), ChromeHit(2, "related-list"),
                                  ChromeHit(3, "related-list"), ChromeHit(4, "related-list"),
                                  ChromeHit(5, "copyright"))


def test_related_list_with_bullets_dates_and_blank_lines_to_the_end():
    lines = ["猜你喜欢", "· 2020年县政府工作报告", "", "• 2019年县政府工作报告 2019-01-20",
             "1. 政府工作报告起草情况的说明", "2021年乡镇工作总结（2021-12-30）"]
    assert related_list_length(lines, 0) == 5
    assert [hit.index for hit in find_chrome(lines)] == [0, 1, 3, 4, 5]


def test_related_list_stops_at_the_body_and_leaves_it_its_heading():
    """A list above the report: its titles go, the report's title and salutation stay."""
    lines = ["相关文章：", "《2019年政府工作报告》全文", "2018年政府工作报告", "2020年某县政府工作报告", "各位代表：",
             "现在，我代表县人民政府，向大会报告工作，请予审议。"]
    assert related_list_length(lines, 0) == 2
    assert [hit.index for hit in find_chrome(lines)] == [0, 1, 2]


def test_related_list_never_takes_sentences_or_headings():
    lines = ["延伸阅读", "一、2019年工作回顾", "过去一年，全市经济稳中有进。"]
    assert related_list_length(lines, 0) == 0
    lines = ["相关推荐：", "过去一年，全市经济稳中有进，地区生产总值增长6%。"]
    assert related_list_length(lines, 0) == 0


# ---------------------------------------------------------------- the corpus


@pytest.mark.skipif(not (CORPUS / "manifest.yaml").exists(), reason=f"the shared corpus is not here ({CORPUS})")
def test_corpus_report_bodies_hold_no_chrome():
    """On the lines the cleaner keeps, no rule finds chrome: the cleaner runs these rules, so the
    lines it used to leave in (a pager in 2007, a 相关链接 line in 2010) are gone."""
    from builder.ingest.clean import clean_document
    from builder.ingest.read import read_source

    hits = set()
    for path in sorted(CORPUS.glob("*.*")):
        if path.suffix in (".txt", ".csv"):
            for document in read_source(path):
                kept = [line.text for line in clean_document(document).lines]
                hits |= {(path.name, hit.rule, kept[hit.index][:6]) for hit in find_chrome(kept)}
    assert hits == set()
    raw = {(name, chrome_rule(line), line.strip()[:6]) for name in ("2007", "2010")
           for line in (CORPUS / f"{name}-national-guowuyuan-zfgzbg.txt").read_text(encoding="gbk").splitlines()
           if "上一页" in line or "相关链接" in line}
    assert {(f"{name}-national-guowuyuan-zfgzbg.txt", rule) for name, rule, _ in raw} == {
        ("2007-national-guowuyuan-zfgzbg.txt", "pager"), ("2010-national-guowuyuan-zfgzbg.txt", "related-list")}


def test_the_hand_written_export_chrome():
    from builder.ingest.read import read_documents

    exports = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
    *reports, farm = read_documents(exports / "reports.jsonl").documents
    assert [find_chrome(document.lines) for document in reports] == [(), (), ()]
    hits = find_chrome(farm.lines)
    assert [(farm.lines[hit.index][:6], hit.rule) for hit in hits] == [
        ("来源：好范文", "page-header"), ("【温馨提示】", "site-notice"), ("相关推荐：", "related-list"),
        ("2009年潍", "related-list"), ("2008年潍", "related-list"), ("潍坊市人民政", "related-list"),
        ("Copyri", "copyright")]
