"""builder.mdit.anchors: ids, permalinks, TOC and paragraph count."""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_block_plugin

from builder.mdit.anchors import anchors_plugin


def render(text: str, **options) -> tuple[str, dict]:
    md = MarkdownIt("commonmark", {"html": False}).use(attrs_block_plugin).use(anchors_plugin, **options)
    env: dict = {}
    return md.render(text, env), env


def ids(html: str) -> list[str]:
    return re.findall(r'\sid="([^"]*)"', html)


REPORT = """\
{#p1}
各位代表：

{#s1}
## 一、2019年工作回顾

{#s1-1}
### 1.经济发展增实力。

{#s1-1-p1}
预计实现地区生产总值1.93万亿元，增长6%。

{#s1-p2}
**创新驱动发展战略深入实施。**全社会研究与试验发展经费支出增长。
"""


def test_explicit_ids_and_permalinks_on_headings_and_paragraphs():
    html, env = render(REPORT)
    assert '<p id="p1">各位代表：<a class="permalink" href="#p1" aria-label="本段链接">¶</a></p>' in html
    assert ('<h2 id="s1">一、2019年工作回顾<a class="permalink" href="#s1" aria-label="本节链接">¶</a></h2>'
            in html)
    assert '<h3 id="s1-1">' in html
    assert ids(html) == ["p1", "s1", "s1-1", "s1-1-p1", "s1-p2"]
    assert html.count('class="permalink"') == 5


def test_toc_levels_start_at_double_hash():
    _, env = render(REPORT + "\n#### 甲\n\n##### 乙\n\n## 二、2020年工作安排\n")
    assert env["toc"] == [
        {"id": "s1", "title": "一、2019年工作回顾", "level": 1},
        {"id": "s1-1", "title": "1.经济发展增实力。", "level": 2},
        {"id": "x-h3", "title": "甲", "level": 3},
        {"id": "x-h4", "title": "乙", "level": 4},
        {"id": "x-h5", "title": "二、2020年工作安排", "level": 1},
    ]


def test_toc_title_is_plain_text():
    _, env = render("## 一、*加快* `发展` <b>\n")
    assert env["toc"][0]["title"] == "一、加快 发展 <b>"


def test_paragraph_count():
    _, env = render(REPORT)
    assert env["paragraph_count"] == 3
    _, env = render("")
    assert env == {"toc": [], "paragraph_count": 0}


def test_generated_ids_for_blocks_without_one():
    html, env = render("## 甲\n\n第一段。\n\n{#p9}\n第二段。\n\n### 乙\n\n第三段。\n")
    assert ids(html) == ["x-h1", "x-p1", "p9", "x-h2", "x-p3"]
    assert 'href="#x-p3"' in html
    assert [item["id"] for item in env["toc"]] == ["x-h1", "x-h2"]


def test_generated_ids_are_stable_by_position():
    first, _ = render("甲。\n\n乙。\n\n丙。\n")
    second, _ = render("{#own}\n甲。\n\n乙。\n\n丙。\n")
    assert ids(first) == ["x-p1", "x-p2", "x-p3"]
    assert ids(second) == ["own", "x-p2", "x-p3"]


def test_no_duplicate_ids():
    text = "{#x-p2}\n甲。\n\n乙。\n\n{#s1}\n## 一\n\n{#s1}\n## 二\n\n{#x-p2-2}\n丙。\n"
    html, env = render(text)
    found = ids(html)
    assert len(found) == len(set(found)), found
    assert found[0] == "x-p2" and found[2] == "s1"
    assert found[-1] == "x-p2-2"  # an explicit id further down is reserved up front
    assert [item["id"] for item in env["toc"]] == [found[2], found[3]]


def test_reserved_ids_are_never_used():
    html, _ = render("{#page-main}\n甲。\n\n乙。\n", reserved_ids=["page-main", "x-p2"])
    assert ids(html) == ["page-main-2", "x-p2-2"]


def test_tight_list_paragraphs_get_no_id():
    html, env = render("- 甲\n- 乙\n\n段落。\n")
    assert ids(html) == ["x-p1"]
    assert env["paragraph_count"] == 1


def test_ids_are_escaped_in_attributes():
    html, _ = render('{id="a&b"}\n段落。\n')
    assert "<p id=\"a&amp;b\">" in html
    assert 'href="#a&amp;b"' in html


@pytest.mark.parametrize("text", ["<script>alert(1)</script>", '"引号" & 和'])
def test_text_stays_escaped(text):
    html, _ = render(f"## {text}\n\n{text}\n")
    assert "<script>" not in html
