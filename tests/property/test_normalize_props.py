"""Properties of normalize_text: idempotent, keeps every CJK character, digit, decimal and URL."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from builder.ingest.clean import is_ideograph, normalize_text

CJK = "政府工作报告各位代表现在我代表市人民政府向大会报告工作请予审议一二三〇"
PUNCT = ",:;!?().%，。：；！？（）、．％“”《》【】—…"
SPACES = " \t\u00a0\u3000\u2002\u200b"
FULLWIDTH = "０１２３４５６７８９ＡＢＣＰＭａｂｃ"
ALPHABET = st.sampled_from(list(CJK + PUNCT + SPACES + FULLWIDTH + "0123456789abcPMG+-/@w"))
TEXT = st.text(alphabet=ALPHABET, max_size=60) | st.text(max_size=40)
CHINESE = st.text(alphabet=st.sampled_from(list(CJK + "，。、")), min_size=1, max_size=12)

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def digits(text: str) -> str:
    return "".join(c for c in text.translate(_FULLWIDTH_DIGITS) if c in "0123456789")


@settings(max_examples=400)
@given(TEXT)
@example("a,,中")
@example("((a)中")
@example("政 府 工 作 报 告 ——2006")
@example("１，２３４，５６７万吨，３３，２１２万")
@example("达到7 4 7 7 2 亿元，增长8 ．8 ％")
def test_idempotent(text: str):
    once = normalize_text(text)
    assert normalize_text(once) == once


@settings(max_examples=400)
@given(TEXT)
def test_keeps_every_ideograph_in_order(text: str):
    assert [c for c in normalize_text(text) if is_ideograph(c)] == [c for c in text if is_ideograph(c)]


@settings(max_examples=400)
@given(TEXT.filter(lambda t: "<U+" not in t))
def test_keeps_the_digit_sequence(text: str):
    assert digits(normalize_text(text)) == digits(text)


@given(CHINESE, st.integers(0, 10**6), st.integers(0, 10**4), CHINESE)
def test_decimals_in_chinese_text_survive(before: str, whole: int, fraction: int, after: str):
    number = f"{whole}.{fraction}"
    assert number in normalize_text(f"{before}{number}{after}")


URL = st.builds(
    lambda scheme, host, path: f"{scheme}://{host}/{path}",
    st.sampled_from(["http", "https"]),
    st.from_regex(r"(www\.)?[a-z][a-z0-9-]{0,10}\.(gov\.cn|com|net|org)", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9_/.,;:!?()=&%-]{0,20}[A-Za-z0-9/]", fullmatch=True),
)


@given(CHINESE, URL, CHINESE, st.sampled_from(["", " "]))
def test_urls_survive(before: str, url: str, after: str, gap: str):
    assert url in normalize_text(f"{before}{gap}{url}{gap}{after}")


@given(CHINESE, st.from_regex(r"(www\.)?[a-z]{1,8}\.(gov\.cn|com|net)", fullmatch=True), CHINESE)
def test_domains_and_emails_survive(before: str, domain: str, after: str):
    assert domain in normalize_text(f"{before}{domain}{after}")
    email = f"office@{domain.removeprefix('www.')}"
    assert email in normalize_text(f"{before}{email}，{after}")


def test_never_drops_anything_but_whitespace():
    text = "　　各位代表:  现在, 我代表( 作坊 )工作 PM2.5 ,  12:01:14"
    out = normalize_text(text)
    assert re.sub(r"\s", "", out) .translate(str.maketrans("，：（）", ",:()")) == re.sub(r"\s", "", text).translate(
        str.maketrans("，：（）", ",:()"))


# -- each rewrite of a normalization step runs only on lines that hold a character it needs:
#    the same result as running every rewrite on every line.

_THOUSANDS_AS_WRITTEN = re.compile(r"(?<=[0-9])，(?=[0-9]{3}(?![0-9]))")


def _every_rewrite(line: str) -> str:
    from builder.ingest import clean

    line = clean._ESCAPED_CODEPOINT.sub(clean._unescape_space, line)
    line = line.translate(clean._FULLWIDTH_ALNUM)
    line = clean._FULLWIDTH_DECIMAL.sub(".", line)
    line = _THOUSANDS_AS_WRITTEN.sub(",", line)
    line = clean._SPACES.sub(" ", line).strip(" ")
    line = clean._RATIO_COLON.sub(":", line)
    line = clean._widen_punctuation(line)
    line = clean._SPACE_BEFORE_PUNCT.sub("", line)
    line = clean._SPACE_AFTER_PUNCT.sub("", line)
    line = clean._LETTER_SPACED.sub(lambda m: m.group(0).replace(" ", ""), line)
    if clean._DIGIT_SPACED.search(line):  # (a line that shows the spaced digits has all of them joined)
        line = clean._SPACE_AFTER_DIGIT.sub("", line)
    return clean._SPACE_BEFORE_PERCENT.sub("", line)


@settings(max_examples=1000)
@given(TEXT)
@example("１，２３４，５６７万吨，３３，２１２万")
@example(" 甲 乙 丙 ")
@example("<U+00A0>增长 : 5")
@example("0 %")
@example("达到7 4 7 7 2 亿元")
def test_skipping_rewrites_that_cannot_apply_changes_nothing(text: str):
    from builder.ingest.clean import _normalize_step

    for line in re.split(r"\r\n|\r|\n", text):
        assert _normalize_step(line) == _every_rewrite(line)


def test_every_space_but_the_ascii_one_is_unprintable():
    """What lets a step skip folding spaces on a printable line without two spaces in a row."""
    from builder.ingest.clean import _SPACES

    folded = [chr(c) for c in range(0x110000) if _SPACES.fullmatch(chr(c))]
    assert [c for c in folded if c.isprintable()] == [" "]
