"""Properties of builder.ingest.repair: no CJK character or digit lost or added, idempotent."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from builder.ingest.repair import (
    join_broken_lines,
    numbered,
    remove_zero_width,
    repair_raw,
    split_glued_paragraphs,
)

CJK = "政府工作报告各位代表现在我代表市人民政府向大会主要目标揭榜一二三十"
CONNECTIVES = "的和与及对在为以"
PUNCT = "，。、；：？！）》」』”’】（《“,;:!?()-—…"
SPACES = " \t\u3000\u3000\u3000\u00a0"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
OTHER = "0123456789.%PMab"
PIECES = ["一、", "（一）", "(二)", "1.", "各位代表：", "——", "是：", "&nbsp;&nbsp;", "　　", "<U+00A0><U+00A0>"]
TOKEN = st.sampled_from(list(CJK + CONNECTIVES + PUNCT + SPACES + ZERO_WIDTH + OTHER) + PIECES)
LINE = st.lists(TOKEN, max_size=25).map("".join)
LINES = st.lists(LINE, max_size=8)

_KEPT = re.compile(r"[\u3400-\u9fff0-9]")


def kept(lines) -> str:
    """Every CJK character and digit, in order (the line structure aside)."""
    return "".join(_KEPT.findall("".join(line if isinstance(line, str) else line.text for line in lines)))


REPAIRS = [remove_zero_width, split_glued_paragraphs, join_broken_lines, repair_raw]


@settings(max_examples=300)
@given(LINES)
@example(["会议审议了所作的", "政府工作报告", "。"])
@example(["　　各位代表：　　现在，我代表县人民政府。　　一、回顾　　过去一年。"])
@example(["区长　\u200b　张三。　\u200b　一是"])
def test_keeps_every_cjk_character_and_digit(lines: list[str]):
    for repair in REPAIRS:
        assert kept(repair(numbered(lines)).lines) == kept(lines), repair.__name__


@settings(max_examples=300)
@given(LINES)
@example(["会议审议了所作的", "政府工作报告", "。"])
@example(["一、", "　", "，总体要求", "坚持稳中求进的"])
@example(["区长　\u200b　张三。　\u200b　一是"])
def test_idempotent(lines: list[str]):
    for repair in REPAIRS:
        once = repair(numbered(lines))
        twice = repair(once.lines)
        assert twice.lines == once.lines, repair.__name__
        assert twice.log == (), repair.__name__


@settings(max_examples=200)
@given(LINES)
def test_raw_repairs_then_join_keep_text(lines: list[str]):
    joined = join_broken_lines(repair_raw(numbered(lines)).lines)
    assert kept(joined.lines) == kept(lines)


@given(LINES)
def test_every_change_is_logged(lines: list[str]):
    source = numbered(lines)
    for repair in REPAIRS:
        result = repair(source)
        assert (result.lines != source) == bool(result.log), repair.__name__
