"""Properties of the text rewrites that keep positions: ``arabic_years`` and ``lines.compact``."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from builder.ingest.lines import compact
from builder.text.numerals import arabic_years

NUMERALS = "〇○Ｏ零一二三四五六七八九"
YEARS = st.text(alphabet=st.sampled_from(list(NUMERALS + "年十x5５ ")), max_size=30)
SPACES = st.text(alphabet=st.sampled_from(list("政府a1 \n\t\r\u3000\u00a0\u2002\u200b\u0085\u2028")), max_size=30)


@settings(max_examples=500)
@given(YEARS)
@example("一九八四年和二〇二六年，１９９８年")
@example("二〇二〇二一年")
def test_arabic_years_rewrites_exactly_four_numerals_before_each_nian(text: str) -> None:
    ascii_text = text.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    expected = re.sub(f"([{NUMERALS}]{{4}})(?=年)",
                      lambda m: m.group(1).translate(str.maketrans(NUMERALS, "0000123456789")), ascii_text)
    assert arabic_years(text) == expected
    assert len(arabic_years(text)) == len(text)


@settings(max_examples=500)
@given(SPACES)
@example("政府 工作\n报告\u3000")
@example("a\n\u200b b")
def test_compact_drops_every_whitespace_character_and_nothing_else(text: str) -> None:
    assert compact(text) == "".join(c for c in text if not c.isspace())
