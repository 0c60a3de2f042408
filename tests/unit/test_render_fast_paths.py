"""The renderer's fast paths give exactly what the plain ways give: the indicator rows without
Jinja (builder.indicators.tables), the text-loss check on the rendered Markdown and the sentences
of a body (builder.render.textloss), the summary (builder.render.markdown).  Through public names only."""

from __future__ import annotations

import html as _html
import random
import re
import shutil
from pathlib import Path

import pytest

from builder.core.errors import TextLossError
from builder.core.model import ReportFile
from builder.indicators.extract import KIND_NAMES
from builder.indicators.tables import rows_html
from builder.render import textloss
from builder.render.markdown import summarize
from builder.render.report import PagePlace, PageRenderer, PageSettings
from builder.render.templates import INDICATOR_ROWS_PARTIAL, Templates

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

ROWS = [
    {"report": "2020-suzhou", "label": "地区生产总值", "value": "1.93万亿元", "value_normalized": 1930000000000,
     "unit_normalized": "元", "change": 6, "change_unit": "%", "qualifier": "预计", "kind": "actual",
     "year": 2019, "anchor": "s1-p1", "span": "1.93万亿元", "url": "reports/2020-suzhou.html#s1-p1"},
    {"report": "2020-suzhou", "label": 'a<b>&"c\'', "value": None, "value_normalized": None,
     "unit_normalized": None, "change": -0.5, "change_unit": "pp", "qualifier": None, "kind": "target",
     "year": None, "anchor": "x&y", "span": "下降0.5个百分点", "url": "reports/2020-suzhou.html#x&y"},
    {"report": "other", "label": "人次", "value": "12.5万人次", "value_normalized": 125000.0,
     "unit_normalized": "人次", "change": None, "change_unit": None, "qualifier": "", "kind": "other",
     "year": 2020, "anchor": "p2", "span": "12.5万人次", "url": "reports/other.html#p2"},
    {"report": "unknown", "label": "x", "value": "", "value_normalized": 0, "unit_normalized": "元",
     "change": 1e-7, "change_unit": "%", "qualifier": "以上", "kind": "new-kind", "year": 1999,
     "anchor": "p3", "span": "0元", "url": "reports/unknown.html#p3"},
]


@pytest.mark.parametrize("show_report", [False, True])
@pytest.mark.parametrize("root", ["../", "", "/a'b&c/"])
def test_indicator_rows_html_is_the_bundled_template(show_report, root):
    templates = Templates(TEMPLATES)
    context = dict(rows=ROWS, root=root, kind_labels=KIND_NAMES, show_report=show_report,
                   titles={"2020-suzhou": "2020年<苏州>政府工作报告", "other": "x&y"})
    expected = templates.render(INDICATOR_ROWS_PARTIAL, **context)
    assert rows_html(**context) == expected
    assert templates.is_bundled(INDICATOR_ROWS_PARTIAL)
    assert templates.indicator_rows(**context) == expected
    assert rows_html(**{**context, "rows": []}) == ""


def test_a_sites_own_rows_template_is_rendered(tmp_path):
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    own = tmp_path / "templates" / INDICATOR_ROWS_PARTIAL
    own.write_text("{% for row in rows %}<tr><td>{{ row.label }}</td></tr>\n{% endfor %}", encoding="utf-8")
    templates = Templates(tmp_path / "templates")
    assert not templates.is_bundled(INDICATOR_ROWS_PARTIAL)
    out = templates.indicator_rows(ROWS[:1], root="../", kind_labels=KIND_NAMES, show_report=False, titles={})
    assert out == "<tr><td>地区生产总值</td></tr>\n"
    # a site without the partial gets the bundled one (through the environment's second loader)
    own.unlink()
    assert Templates(tmp_path / "templates").is_bundled(INDICATOR_ROWS_PARTIAL)


# ----------------------------------------------------------------- the text-loss check on the body HTML

BODY_HTML = ('<p id="p1">第一句。<a href="#p1">¶</a></p>\n<h2 id="s1">标题</h2>\n'
             '<p>第二句！<data value="1">1元</data>。</p>\n')


def _page(before: str = "", inside: str = BODY_HTML, after: str = "") -> str:
    return (f"<!DOCTYPE html><html><body><main>{before}<article><nav><ol><li>目录</li></ol></nav>"
            f"<div class=\"report-layout\"><div class='x report-body'>\n{inside}\n</div></div></article>"
            f"{after}</main></body></html>")


def _report(body: str = "{#p1}\n第一句。\n\n## 标题\n\n第二句！1元。\n") -> ReportFile:
    return ReportFile(path="site_src/reports/r.md", meta={"title": "t", "slug": "r"}, body=body, body_line=5)


def test_embedded_body_text_reads_the_body_where_the_page_holds_it():
    text = textloss.embedded_body_text(_page(), BODY_HTML)
    assert text is not None and textloss.comparable(text) == "第一句。¶标题第二句！1元。"
    textloss.check_text_kept(_report(), _page(), BODY_HTML)


@pytest.mark.parametrize("page", [
    _page(before=f"<nav>{BODY_HTML}</nav>"),  # first found outside the article
    _page(inside=f"<!-- {BODY_HTML} -->"),  # in a comment
    _page(inside=f"<span title='{BODY_HTML}'></span>"),  # in an attribute
    _page(inside="</div>" + BODY_HTML),  # after the element closed
    _page(inside="").replace("<article>", f"{BODY_HTML}<article>"),  # before the article
    _page(inside="").replace("</article>", f"</article>{BODY_HTML}"),  # after it
    _page().replace("class='x report-body'", "class='x'"),  # no .report-body
    "<article><div class='report-body'/>" + BODY_HTML + "</article>",  # an empty one
    _page(inside="").replace("<nav>", f"<nav><div class='report-body'></div>{BODY_HTML}"),  # not the first
])
def test_embedded_body_text_is_none_where_the_page_may_not_show_it(page):
    assert textloss.embedded_body_text(page, BODY_HTML) is None


@pytest.mark.parametrize("body_html", [BODY_HTML + "</div><p>外。</p>", BODY_HTML + "</ARTICLE>", "", "不在页面中"])
def test_embedded_body_text_is_none_for_a_body_closing_the_element_or_absent(body_html):
    page = _page(inside=body_html) if body_html != "不在页面中" else _page()
    assert textloss.embedded_body_text(page, body_html) is None


def test_check_text_kept_with_the_body_html_still_fails_the_page_that_lost_a_sentence():
    page = _page(before=f"<nav>{BODY_HTML}</nav>", inside="<p>第一句。</p><h2>标题</h2>")
    with pytest.raises(TextLossError, match="第二句"):
        textloss.check_text_kept(_report(), page, BODY_HTML)
    with pytest.raises(TextLossError, match="第一句"):
        textloss.check_text_kept(_report(), _page(inside=f"<!-- {BODY_HTML} -->"), BODY_HTML)


def test_a_rendered_report_page_is_checked_on_its_body_html(monkeypatch):
    seen = []
    embedded = textloss.embedded_body_text
    monkeypatch.setattr(textloss, "embedded_body_text",
                        lambda page, body: seen.append(embedded(page, body)) or seen[-1])
    monkeypatch.setattr(textloss, "fast_body_text", lambda page: pytest.fail("the page was read whole"))
    body = "{#p1}\n各位代表：\n\n{#s1}\n## 一、回顾\n\n{#s1-p1}\n**经济。**地区生产总值增长6%，“放管服”改革。\n"
    report = ReportFile(path="site_src/reports/r.md", body=body, body_line=3, meta={
        "title": "2020年苏州市政府工作报告", "slug": "r", "year": 2020, "kind": "government_work_report"})
    PageRenderer(PageSettings(templates_dir=TEMPLATES, site_name="s")).render(report, PagePlace(None, None, False))
    assert len(seen) == 1 and "地区生产总值增长6%" in seen[0]


# ----------------------------------------------------------------- sentences and summary


def _plain_body_sentences(body: str) -> list[tuple[int, str]]:
    """body_sentences as first written: every pattern on every line, split after 。！？；."""
    out = []
    for index, raw in enumerate(re.split(r"\r\n|\r|\n", body)):
        line = raw
        if re.match(r"^\s*\{[^{}]*\}\s*$", line) or re.match(
                r"^\s{0,3}(=+|-+|(\*\s*){3,}|(-\s*){3,}|(_\s*){3,}|`{3,}.*|~{3,}.*)\s*$", line):
            continue
        heading = r"^\s{0,3}#{1,6}(?=\s|$)"
        if re.match(heading, line):
            line = re.sub(r"\s+#+\s*$", "", re.sub(heading, "", line))
        line = re.sub(r"^\s*(?:>\s?|[-+*]\s+|\d{1,9}[.)]\s+)+", "", line)
        line = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", line)
        line = re.sub(r"<((?:https?|mailto|ftp):[^\s<>]*)>", r"\1", line, flags=re.IGNORECASE)
        line = re.sub(r"\\([!-/:-@\[-`{-~])|(&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});)",
                      lambda m: m.group(1) or _html.unescape(m.group(2)), line)
        if line.endswith("\\"):
            line = line[:-1]
        for piece in re.split(r"(?<=[。！？；])", line):
            sentence = re.sub(r"[\s*_`]+", "", piece)
            if sentence and re.search(r"\w", sentence):
                out.append((index, sentence))
    return out


def test_body_sentences_are_the_plain_ones():
    atoms = ["#", "## ", " ", "    ", "-", "- ", "* ", "**", "1. ", "１. ", "٣) ", ">", "> ", "{#x}", "{", "}",
             "===", "---", "***", "___", "```", "~~~", "[a](b)", "<http://x>", "\\*", "&amp;", "&#92;", "正文",
             "。", "！", "？", "；", "\n", "\r\n", "\r", "\t", "\u3000", "a", "_", "`", "\\", "#x"]
    rng = random.Random(3)
    for _ in range(20000):
        body = "".join(rng.choice(atoms) for _ in range(rng.randrange(12)))
        assert textloss.body_sentences(body) == _plain_body_sentences(body), body


def test_summarize_reads_only_as_far_as_the_chosen_paragraph():
    def paragraphs():
        yield "各位代表："
        yield "现在，我代表市人民政府，向大会报告工作，请予审议。"
        yield "过去的一年，全市经济稳中有进。其他。"
        raise AssertionError("read too far")

    assert summarize(paragraphs()) == "过去的一年，全市经济稳中有进。"
    assert summarize(iter(["  ", "各位代表：", "短。"])) == "各位代表："
    assert summarize([]) == ""
