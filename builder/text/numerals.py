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


_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_SECTIONS = (("亿", 10**8), ("万", 10**4))
#: An amount written in Chinese numerals: 八千七百一十, 三亿六千万, 两万, 三点七, 十五.
CN_AMOUNT = r"(?:[一二三四五六七八九两]|十)[〇○零一二三四五六七八九十两百千万亿]*(?:点[〇○零一二三四五六七八九]+)?"
_CN_AMOUNT_RE = re.compile(CN_AMOUNT)


def _below_ten_thousand(text: str) -> int:
    """二千零五十 -> 2050; 十五 -> 15; 三 -> 3."""
    total = digit = 0
    for ch in text:
        if ch in _CN_UNITS:
            total += (digit or 1) * _CN_UNITS[ch]
            digit = 0
        else:
            digit = 2 if ch == "两" else _CN_DIGITS[ch]
    return total + digit


def _cn_integer(text: str) -> int:
    for word, factor in _CN_SECTIONS:
        head, found, rest = text.rpartition(word)
        if found:
            return _cn_integer(head) * factor + _cn_integer(rest) if head else factor + _cn_integer(rest)
    return _below_ten_thousand(text) if text else 0


def cn_amount(text: str) -> str | None:
    """The decimal digits of an amount written in Chinese numerals (三亿六千万 -> 360000000,
    三点七 -> 3.7, 两万 -> 20000), or None when ``text`` is not one.  Digits after 点 are read one
    by one, as they are written."""
    if not _CN_AMOUNT_RE.fullmatch(text):
        return None
    whole, _, fraction = text.partition("点")
    digits = str(_cn_integer(whole))
    return digits + "." + "".join(str(_CN_DIGITS[ch]) for ch in fraction) if fraction else digits


#: A year in digits or written digit by digit in Chinese numerals (1980, 一九八○).
YEAR = r"(?:(?:19|20)\d\d|[一二][九〇○零][〇○零一二三四五六七八九]{2})"


def year_number(text: str) -> int:
    """1980 from 1980 or 一九八○."""
    return int(text.translate(_CN_YEAR_TRANS).replace("○", "0").replace("Ｏ", "0"))
