"""Numbers as Chinese documents write them: 27, ２７, 二十七, 二〇二六, 一九八四年.

Every rewrite here keeps the text's length, so a position found in the rewritten text is
the same position in the original.
"""

from __future__ import annotations

import re

_CN_DIGITS = {"〇": 0, "○": 0, "Ｏ": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_FULLWIDTH_DIGIT_RE = re.compile("[０-９]")
#: A year written digit by digit in Chinese numerals: 一九八四年, 二〇二六年.
#: Its 年: the regex looks for 年 first (a literal it skips to), then at the four numerals before
#: it, many times faster than trying four numerals at every character.
_CN_YEAR_END_RE = re.compile("年(?<=[〇○Ｏ零一二三四五六七八九]{4}年)")
_CN_YEAR_TRANS = str.maketrans("〇○Ｏ零一二三四五六七八九", "0000123456789")

#: A Chinese or Arabic number as a regex fragment (1-99): 十, 十三, 二十一, 3, 13.
NUMBER = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"


def cn_number(text: str) -> int:
    """An Arabic or Chinese-numeral number: 27, 二十七, 十, 二〇二六 (digit by digit)."""
    text = text.translate(_FULLWIDTH_DIGITS)
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
    return int("".join(str(_CN_DIGITS[ch]) for ch in text))


def ascii_digits(text: str) -> str:
    """Full-width digits made ASCII (``translate`` looks up every character: only when there is one)."""
    return text.translate(_FULLWIDTH_DIGITS) if _FULLWIDTH_DIGIT_RE.search(text) else text


def arabic_years(text: str) -> str:
    """Full-width digits and years in Chinese numerals made ASCII: 一九八四年 -> 1984年 (same length)."""
    text = ascii_digits(text)
    if "年" not in text:
        return text
    parts: list[str] = []
    done = 0
    for match in _CN_YEAR_END_RE.finditer(text):  # each 年 with four numerals before it
        year = match.start() - 4
        parts += (text[done:year], text[year:match.start()].translate(_CN_YEAR_TRANS))
        done = match.start()
    return "".join((*parts, text[done:])) if parts else text
