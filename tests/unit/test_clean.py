"""builder.ingest.clean: normalization cases, chrome-removal fixtures, and the real corpus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fixture_file import Case, fixture_params
from shared_corpus import CORPUS

from builder.core.model import REPAIR_RULES, SourceDocument
from builder.ingest.clean import (
    STRONG_RULES,
    Rule,
    clean_document,
    normalize_text,
    rule_named,
    strong_rule,
    with_rule,
)
from builder.ingest.read import parse_source, read_source
from builder.ingest.repair import numbered, remove_zero_width
from builder.ingest.textcheck import missing_sentences

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
ROOT = Path(__file__).resolve().parents[2]
BUNDLED_PAGE = ROOT / "site_src" / "scraped" / "000_8b8113f56c6b1839.txt"


def document(lines: list[str], metadata: dict[str, str] | None = None) -> SourceDocument:
    return SourceDocument(path="page.txt", index=0, format="text", lines=tuple(lines), sha256="0" * 64,
                          metadata=metadata or {})


def sections(expected: str) -> dict[str, list[str]]:
    """Split an expected block into kept lines, ---removed--- and ---provenance--- parts."""
    parts: dict[str, list[str]] = {"kept": [], "removed": [], "provenance": []}
    current = "kept"
    for line in expected.split("\n"):
        marker = re.fullmatch(r"---(removed|provenance)---", line)
        if marker:
            current = marker.group(1)
        elif line or current == "kept":
            parts[current].append(line)
    return parts


@pytest.mark.parametrize("case", fixture_params(FIXTURES / "normalize.md"))
def test_normalize_fixture(case: Case):
    got = [normalize_text(line) for line in case.input.split("\n")]
    assert got == case.expected.split("\n")


@pytest.mark.parametrize("case", fixture_params(FIXTURES / "clean.md"))
def test_clean_fixture(case: Case):
    expected = sections(case.expected)
    cleaned = clean_document(document(case.input.split("\n")))
    assert [line.text for line in cleaned.lines] == expected["kept"]
    if expected["removed"] or "---removed---" in case.expected:
        assert [f"{r.rule}\t{r.text}" for r in cleaned.removed] == expected["removed"]
    else:
        assert cleaned.removed == ()
    for item in expected["provenance"]:
        key, value = item.split("\t", 1)
        assert cleaned.provenance.get(key) == value, key


def test_removed_lines_keep_their_source_numbers():
    lines = ["2020年某市政府工作报告", "", "来源:社会实践报告 时间:2020-06-04 12:01:14 阅读:", "",
             "2020年某市政府工作报告", "各位代表：", "现在，我代表市人民政府向大会报告工作。"]
    cleaned = clean_document(document(lines))
    assert [(r.number, r.rule) for r in cleaned.removed] == [(1, "page-title"), (3, "page-header")]
    assert [line.number for line in cleaned.lines] == [5, 6, 7]


def test_extra_patterns_remove_lines_with_a_config_rule():
    lines = ["各位代表：", "现在，我代表市人民政府向大会报告工作。", "更多精彩请关注公众号XYZ"]
    cleaned = clean_document(document(lines), extra_patterns=["公众号", r"^不存在$"])
    assert [(r.number, r.rule, r.text) for r in cleaned.removed] == [(3, "config:公众号", "更多精彩请关注公众号XYZ")]


def test_metadata_fills_provenance():
    lines = ["各位代表：", "现在，我代表市人民政府向大会报告工作。"]
    metadata = {"title": "2026年某省政府工作报告", "source_url": "https://example.gov.cn/a.html",
                "publish_date": "2026-02-02", "province": "某省"}
    cleaned = clean_document(document(lines, metadata))
    assert cleaned.provenance == {"page_title": "2026年某省政府工作报告", "source_url": "https://example.gov.cn/a.html",
                                  "publish_date": "2026-02-02"}


def test_never_removes_body_lines_that_resemble_chrome():
    lines = ["各位代表：", "持续筑牢生态安全屏障，全面打印出台政策清单。", "来源于人民的力量是无穷的，我们要依靠人民。",
             "时间就是生命，效率就是金钱。", "第一，稳增长。", "首页设计要简洁。"]
    cleaned = clean_document(document(lines))
    assert cleaned.removed == ()


@pytest.mark.parametrize("line, script", [
    ("function show(id) {", True), ("var pageSize = 20;", True), ("$(function(){", True),
    ("jQuery(document).ready()", True), ("// <![CDATA[", True), ('x = document.getElementById("a")', True),
    ("if (window.top != window.self)", True), ("</script>", True), ("el.innerHTML = html", True),
    ("a function of var x", False), ("see document.body", False), ("var", False),
])
def test_script_lines_start_or_hold_code(line: str, script: bool):
    assert bool(rule_named("script").test(line, True)) is script


def test_strong_rules_are_a_table_of_named_rules():
    names = [rule.name for rule in STRONG_RULES]
    assert len(set(names)) == len(names)
    assert names[:3] == ["html-comment", "markup", "script"]
    # several shapes of one kind of chrome share its name in the log
    assert {rule.name: rule.log_name for rule in STRONG_RULES if rule.log_name != rule.name} == {
        "header-fields": "page-header", "source-link": "footer", "site-line": "site-banner"}
    assert strong_rule("来源：某网 时间：2020-06-04").name == "header-fields"
    assert strong_rule("各位代表：") is None
    with pytest.raises(KeyError, match="no cleaning rule named 'nope'"):
        rule_named("nope")


def test_a_rule_added_by_name_cleans_and_logs_under_its_name():
    ad = Rule("advert", lambda text, short: short and text.startswith("广告"))
    rules = with_rule(ad, before="site-blurb")
    assert [r.name for r in rules][-3:] == ["related-list", "advert", "site-blurb"]
    assert with_rule(ad, after="markup")[2] is ad and with_rule(ad)[-1] is ad
    with pytest.raises(ValueError, match="exists already"):
        with_rule(rule_named("pager"), before="markup")
    lines = ["各位代表：", "广告：招商加盟热线", "现在，我代表市人民政府，向大会报告工作。"]
    assert clean_document(document(lines)).removed == ()
    cleaned = clean_document(document(lines), rules=rules)
    assert [(r.rule, r.text) for r in cleaned.removed] == [("advert", "广告：招商加盟热线")]


def test_bundled_page_keeps_the_three_reports_and_drops_the_chrome():
    [doc] = read_source(BUNDLED_PAGE)
    cleaned = clean_document(doc)
    kept = [line.text for line in cleaned.lines]
    assert kept.count("2020年苏州市人大常委会工作报告") == 3
    assert kept.count("我受市人大常委会委托，向大会报告工作，请予审议。") == 2
    assert kept[0] == "2020年苏州市人大常委会工作报告" and cleaned.lines[0].number == 9
    assert kept[-1].startswith("让我们更加紧密地团结在以习近平同志为核心的党中央周围")
    assert {r.rule for r in cleaned.removed} == {"page-title", "page-header", "site-banner", "site-blurb", "footer",
                                                "related-list"}
    assert cleaned.provenance == {
        "page_title": "2020年苏州市人大常委会工作报告", "site_category": "社会实践报告",
        "scraped_at": "2020-06-04 12:01:14", "site": "www.bbjkw.net",
        "source_url": "https://www.bbjkw.net/fanwen476504/"}
    text = "\n".join(kept)
    for token in ("bbjkw", "本站", "推荐访问", "扩展阅读", "热门阅读", "本文来源", "阅读："):
        assert token not in text


# ---------------------------------------------------------------- the shared corpus

CHROME_TOKENS = [
    r"^(下载|打印|全屏|收藏|加大|还原|减小|大|中|小|分享|分享到.*|打印本页|关闭窗口|相关报道|相关链接.*|相关附件.*|相关文档.*)[:：]?$",
    r"^【?字[号体][:：]", r"^(来源|时间|发表时间|阅读量|责任编辑|编辑)[:：]", r"^(当前位置|您的位置)[:：]",
    r"扫一扫在手机打开当前页", r"^[0-9a-f]{32}", r"function\s*\w*\(", r"^<!--|^-->$", r"上一页.*下一页",
    r"中央政府门户网站", r"^首页\s*>", r"^[【】|×>）]$", r"E-mail推荐", r"^（来源：", r"记者.{0,10}摄$",
]


def corpus_files() -> list[Path]:
    return sorted(p for p in CORPUS.glob("*") if p.suffix in (".txt", ".csv")) if CORPUS.is_dir() else []


needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared corpus is not here ({CORPUS})")


def body_lines(path: Path) -> list[str]:
    return [line.text for doc in read_source(path) for line in clean_document(doc).lines]


def raw_texts(path: Path) -> list[str]:
    """The page's lines as the cleaner reads them: zero-width characters gone (2015 has
    ``各位代表：<U+200D>``), normalized."""
    return [normalize_text(line.text) for doc in read_source(path)
            for line in remove_zero_width(numbered(doc.lines)).lines if line.text.strip()]


@needs_corpus
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_corpus_chrome_is_removed(path: Path):
    leftovers = [t for t in body_lines(path) if any(re.search(p, t) for p in CHROME_TOKENS)]
    assert leftovers == []


@needs_corpus
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_corpus_keeps_first_and_last_body_sentences(path: Path):
    kept = body_lines(path)
    raw = raw_texts(path)
    first = next(t for t in raw if t.startswith("各位代表") or t.startswith("现在，我代表"))
    assert first in kept
    closing = [t for t in raw if t.startswith("各位代表") and len(t) > 20 and ("让我们" in t or "团结" in t)]
    if closing:
        assert closing[-1] in kept
    assert len(kept) >= 30


@needs_corpus
@pytest.mark.parametrize("year", ["1954", "1980", "2006"])
def test_corpus_repeated_body_appears_once(year: str):
    [path] = CORPUS.glob(f"{year}-*.txt")
    kept = body_lines(path)
    long_lines = [t for t in kept if len(t) >= 40]
    assert len(long_lines) == len(set(long_lines))
    assert sum(t == "各位代表：" for t in kept) == 1
    assert not any(t.endswith("国务院政府工作报告") for t in kept)


@needs_corpus
def test_corpus_keeps_every_body_line_of_clean_files():
    """Pages without chrome (Hailar, Guangdong, Hainan) lose nothing but blank lines: their
    cleaning log holds repairs only (Guangdong's ``PM`` / ``2.5`` / ``年平均浓度…`` is one line again)."""
    for pattern in ("201*-neimenggu-*.txt", "2026-guangdong-*.csv", "2026-hainan-*.csv"):
        for path in CORPUS.glob(pattern):
            docs = read_source(path)
            for doc in docs:
                assert [r for r in clean_document(doc).removed if r.rule not in REPAIR_RULES] == [], path.name
    [guangdong] = CORPUS.glob("2026-guangdong-*.csv")
    assert any("PM2.5年平均浓度保持在20微克/立方米左右" in line for line in body_lines(guangdong))


@needs_corpus
@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name)
def test_corpus_every_sentence_is_kept_or_logged_as_removed(path: Path):
    """Nothing goes silently: each sentence of the page is in a kept line or in a removed line
    of the log.  A repaired line is not removed: its text is in the kept lines."""
    for doc in read_source(path):
        cleaned = clean_document(doc)
        removed = [r.text for r in cleaned.removed if r.rule not in REPAIR_RULES]
        source = [normalize_text(line.text) for line in remove_zero_width(numbered(doc.lines)).lines]
        assert missing_sentences(source, [*(line.text for line in cleaned.lines), *removed]) == []


def test_cleaning_an_html_page():
    html = ("<html><head><title>2020年某市政府工作报告</title></head><body><div class='nav'>首页 新闻</div>"
            "<div id='content'><p>各位代表：</p><p>现在，我代表市人民政府向大会报告工作，请予审议。</p>"
            "<p>分享到：</p></div></body></html>").encode()
    [doc] = parse_source(html, "page.html")
    cleaned = clean_document(doc)
    assert [line.text for line in cleaned.lines] == ["各位代表：", "现在，我代表市人民政府向大会报告工作，请予审议。"]
    assert cleaned.provenance["page_title"] == "2020年某市政府工作报告"
    # nothing is lost: what the page's markup makes chrome is in the cleaning log, in page order
    assert [(entry.number, entry.text, entry.rule) for entry in cleaned.removed] == [
        (1, "首页 新闻", "html-chrome:nav"), (4, "分享到：", "share-bar")]


def _visible_text(html: bytes) -> list[str]:
    """Every line of text a reader of the page sees (not scripts, styles or comments), normalized."""
    from bs4 import BeautifulSoup, Comment

    soup = BeautifulSoup(html, "lxml")
    for tag in soup.find_all(["script", "style", "head"]):
        tag.decompose()
    for comment in soup.find_all(string=lambda text: isinstance(text, Comment)):
        comment.extract()
    return [normalize_text(line) for line in soup.get_text("\n").split("\n") if line.strip()]


def test_what_the_chrome_outside_the_main_content_says_is_provenance():
    html = ("<html><head><title>2020年某市政府工作报告</title></head><body>"
            "<div class='info'>来源：某市人民政府办公室 发布时间：2020-01-15 09:30 浏览次数：123</div>"
            "<div id='content'><p>各位代表：</p><p>现在，我代表市人民政府向大会报告工作，请予审议。</p></div>"
            "</body></html>").encode()
    [doc] = parse_source(html, "page.html")
    cleaned = clean_document(doc)
    assert cleaned.provenance["scraped_at"] == "2020-01-15 09:30"
    assert cleaned.removed[0].rule == "html-outside-main"


def test_every_visible_sentence_of_an_html_page_is_kept_or_logged():
    """The main content is kept; the page's navigation, breadcrumbs, sidebars, share bars, related
    lists and footer are in the cleaning log, each under the rule of the markup that made it chrome."""
    data = (FIXTURES / "pages" / "article.html").read_bytes()
    [doc] = parse_source(data, "article.html")
    cleaned = clean_document(doc)
    kept = [line.text for line in cleaned.lines]
    removed = [entry.text for entry in cleaned.removed if entry.rule not in REPAIR_RULES]
    assert missing_sentences(_visible_text(data), [*kept, *removed]) == []
    assert "版权所有：某市人民政府 备案号" in removed and "首页 新闻中心" in removed
    assert not any("版权" in line or "首页" in line for line in kept)


def test_the_hand_written_export_is_repaired_and_cleaned_with_every_change_logged():
    from builder.ingest.read import read_documents

    anji, fujian, resolution, farm = read_documents(FIXTURES / "exports" / "reports.jsonl").documents
    glued = clean_document(anji)
    assert [(r.number, r.rule, r.text) for r in glued.removed] == [(7, "glued-paragraphs", "3 paragraphs")]
    assert [line.number for line in glued.lines].count(7) == 3
    assert [(r.rule, r.text) for r in clean_document(fujian).removed] == [("zero-width", "U+200B ×1")]
    joined = clean_document(resolution)
    assert [(r.number, r.rule) for r in joined.removed] == [(4, "joined-line"), (5, "joined-line")]
    assert "林晓川省长所作的政府工作报告。会议充分肯定" in joined.lines[2].text
    cleaned = clean_document(farm)
    assert [line.text for line in cleaned.lines][:2] == ["2009年潍坊市政府工作报告", "各位代表："]
    assert [line.text for line in cleaned.lines][-1].startswith("各位代表，困难和挑战前所未有")
    assert [r.rule for r in cleaned.removed] == ["page-header", "site-notice", *["related-list"] * 4, "copyright"]
