"""Chinese-numeral amounts and years (builder.text.numerals), as older reports write figures."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from builder.text.numerals import cn_amount, year_number

DIGITS = "零一二三四五六七八九"


def _section(n: int, first: bool) -> str:
    """0 < n < 10000 in Chinese numerals: 零 for skipped places (二千零五十), 十五 at the very start."""
    text, skipped = "", False
    for value, word in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if not digit:
            skipped = skipped or bool(text)
            continue
        text += "零" if skipped else ""
        skipped = False
        text += "十" if (value == 10 and digit == 1 and not text and first) else DIGITS[digit] + word
    return text


def chinese(n: int) -> str:
    """0 < n < 10**12 as a report writes it: 三亿六千万, 一千五百五十一, 十五, 十万零五."""
    text, gap = "", False
    for factor, word in ((10**8, "亿"), (10**4, "万"), (1, "")):
        section = n // factor % 10**4
        if section:
            text += ("零" if text and (gap or section < 1000) else "") + _section(section, first=not text) + word
        gap = bool(text) and not section
    return text


@pytest.mark.parametrize("written, digits", [
    ("八千七百一十", "8710"), ("三亿六千万", "360000000"), ("两万", "20000"), ("三点七", "3.7"),
    ("十五", "15"), ("一千零五", "1005"), ("六千零五十", "6050"), ("一万亿", "1000000000000"),
    ("六万万", "600000000"), ("二十五", "25"), ("百分", None), ("三个", None),
])
def test_amounts_written_in_chinese_numerals(written: str, digits: str | None) -> None:
    assert cn_amount(written) == digits


@given(st.integers(min_value=1, max_value=10**12 - 1))
def test_every_amount_reads_back(n: int) -> None:
    assert cn_amount(chinese(n)) == str(n), chinese(n)


@pytest.mark.parametrize("written, year", [("1980", 1980), ("一九八○", 1980), ("一九八〇", 1980), ("二〇二六", 2026)])
def test_years_in_digits_or_numerals(written: str, year: int) -> None:
    assert year_number(written) == year
