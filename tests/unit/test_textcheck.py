from builder.ingest.textcheck import missing_sentences, split_sentences


def test_split_sentences_cuts_after_chinese_stops_and_drops_spaces():
    assert split_sentences("增长6%。 一般公共预算收入2221.8亿元；好！对吗？") == [
        "增长6%。", "一般公共预算收入2221.8亿元；", "好！", "对吗？"]


def test_a_sentence_moved_into_a_heading_counts_as_kept():
    assert missing_sentences(["1.经济发展增实力。预计实现地区生产总值1.93万亿元。"],
                             ["1.经济发展增实力。", "预计实现地区生产总值1.93万亿元。"]) == []


def test_a_dropped_sentence_is_named():
    assert missing_sentences(["甲。乙。丙。"], ["甲。丙。"]) == ["乙。"]


def test_whitespace_is_ignored_on_both_sides():
    assert missing_sentences(["政 府 工 作 报 告"], ["政府工作报告"]) == []


def test_sentences_cut_like_a_split_after_every_stop():
    import re

    after_stop = re.compile(r"(?<=[。！？；!?;])")
    for text in ["", "。", "。。甲", "甲。乙", "甲；乙！丙?丁;戊!", "末尾无句号", "  空 格\u3000。 ", "a;b?c!"]:
        expected = [s for s in after_stop.split(re.sub(r"\s+", "", text)) if s]
        assert split_sentences(text) == expected


def test_a_sentence_kept_out_of_order_counts_as_kept():
    assert missing_sentences(["甲。乙。丙。"], ["丙。", "乙。甲。"]) == []
    assert missing_sentences(["甲。乙。甲。"], ["甲。乙。"]) == []
