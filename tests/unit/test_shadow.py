"""The simplified shadow: traditional text matched as simplified, simplified text left alone."""

from builder.text.numerals import arabic_years
from builder.text.shadow import shadow, shadow_lines


def test_traditional_lines_are_shadowed() -> None:
    assert shadow("我們第一届全國人民代表大會") == "我们第一届全国人民代表大会"
    assert shadow("現在，我代表國務院，向大會報告政府工作。") == "现在，我代表国务院，向大会报告政府工作。"


def test_simplified_text_keeps_the_characters_opencc_would_change() -> None:
    # one changed character in a line is not traditional text: 乾县 and 拚搏 stay
    assert shadow_lines(["乾县人民政府", "顽强拚搏"]) == ("乾县人民政府", "顽强拚搏")


def test_one_plainly_traditional_character_is_enough() -> None:
    assert shadow("我代表國务院向大会报告工作") == "我代表国务院向大会报告工作"


def test_a_traditional_document_is_shadowed_throughout() -> None:
    lines = ["各位代表：", "現在，我代表國務院向大會報告工作。", "過去一年經濟發展", "乾縣", "顧"]
    shadowed = shadow_lines(lines)
    assert shadowed[1] == "现在，我代表国务院向大会报告工作。"
    assert shadowed[4] == "顾"  # a lone character is shadowed too once the document is traditional
    assert [len(a) for a in lines] == [len(b) for b in shadowed]


def test_years_in_chinese_numerals_keep_their_length() -> None:
    assert arabic_years("一九八四年和二〇二六年，１９９８年") == "1984年和2026年，1998年"
