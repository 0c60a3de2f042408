"""The id lines of report bodies (``{#s1-p2}``) read as the attrs plugin reads them."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_block_plugin

from builder.mdit.attrs import ALLOWED_BLOCK_ATTRS, configure, lead_plugin

PIECES = ["{#s1-p2}", "{#a_b}", "{#x}  ", "   {#y}", "    {#code}", "{#a .b}", "{.c}", "{#}", "{#a}}",
          "{#a}x", "{#中}", "段落。", "**要点。**正文", "# 标题", "- 项", "> 引", "", "", "\t{#t}"]
DOCS = st.lists(st.sampled_from(PIECES), max_size=8).map("\n".join)


def _plugin_only() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False}).use(attrs_block_plugin, allowed=list(ALLOWED_BLOCK_ATTRS)) \
        .use(lead_plugin)


@settings(max_examples=400)
@given(DOCS)
@example("{#s1-p1}\n段落。\n\n{#s1-p2}\n- 项\n  {#s1-p3}\n  续")
@example("段落\n{#a}\n续")
def test_id_lines_give_the_plugins_tokens_and_html(doc: str) -> None:
    ours, reference = configure(MarkdownIt("commonmark", {"html": False})), _plugin_only()
    ours_tokens, reference_tokens = ours.parse(doc), reference.parse(doc)
    assert [(t.type, t.attrs, t.map, t.content) for t in ours_tokens] == \
           [(t.type, t.attrs, t.map, t.content) for t in reference_tokens]
    assert ours.render(doc) == reference.render(doc)
