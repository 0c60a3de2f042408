"""builder.ingest.repair: zero-width characters, glued paragraphs, broken lines (fixtures in repair.md)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixture_file import Case, fixture_params

from builder.core.model import SourceLine
from builder.ingest.repair import (
    RepairNote,
    broken_sentence_lines,
    join_broken_lines,
    joins,
    numbered,
    remove_zero_width,
    repair_raw,
    split_glued_paragraphs,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "repair.md"
REPAIRS = {"join": join_broken_lines, "glued": split_glued_paragraphs, "zero-width": remove_zero_width}


@pytest.mark.parametrize("case", fixture_params(FIXTURES))
def test_repair_fixture(case: Case):
    repair = REPAIRS[case.title.split(":", 1)[0]]
    expected, _, log = case.expected.partition("\n---log---\n")
    result = repair(numbered(case.input.split("\n")))
    assert [line.text for line in result.lines] == expected.split("\n")
    assert [f"{note.number}\t{note.rule}\t{note.text}" for note in result.log] == (log.split("\n") if log else [])


def test_zero_width_characters_are_removed_and_counted():
    lines = numbered(["政府\u200b工作\u200b报告", "各位\u200d代表\ufeff：\u2060", "现在\u200c，我代表"])
    result = remove_zero_width(lines)
    assert [line.text for line in result.lines] == ["政府工作报告", "各位代表：", "现在，我代表"]
    assert result.log == (RepairNote(1, "U+200B ×2", "zero-width"),
                          RepairNote(2, "U+200D ×1, U+FEFF ×1, U+2060 ×1", "zero-width"),
                          RepairNote(3, "U+200C ×1", "zero-width"))


def test_split_parts_keep_the_line_number_and_joins_keep_the_first():
    split = split_glued_paragraphs([SourceLine(7, "一是稳增长。　　二是促改革。")])
    assert split.lines == (SourceLine(7, "一是稳增长。"), SourceLine(7, "　　二是促改革。"))
    joined = join_broken_lines([SourceLine(3, "听取了所作的"), SourceLine(5, "报告。")])
    assert joined.lines == (SourceLine(3, "听取了所作的报告。"),)
    assert joined.log == (RepairNote(5, "报告。", "joined-line"),)


def test_repair_raw_runs_zero_width_then_glued():
    result = repair_raw(numbered(["一是稳增长。\u200b　　二是促改革。"]))
    assert [line.text for line in result.lines] == ["一是稳增长。", "　　二是促改革。"]
    assert [note.rule for note in result.log] == ["zero-width", "glued-paragraphs"]


def test_nothing_to_repair_returns_the_same_lines():
    lines = numbered(["2020年政府工作报告", "各位代表：", "现在，我代表市人民政府向大会报告工作。"])
    for repair in (remove_zero_width, split_glued_paragraphs, join_broken_lines, repair_raw):
        result = repair(lines)
        assert result.lines == lines and result.log == ()


def test_joins_and_broken_sentence_lines_tell_what_join_broken_lines_does():
    texts = ["2020年某市政府工作报告", "各位代表：", "会议听取和审议了省长所作的", "政府工作报告", "。会议认为，报告",
             "实事求是。", "一、总体要求"]
    assert broken_sentence_lines(texts) == {2, 3, 4}
    assert joins("…带技术", "揭榜", "；…") and not joins("…带技术", "揭榜", "由成果需求方")
    assert not joins("各位代表：", "现在，我代表市人民政府，向大会报告工作。")
    joined = join_broken_lines(numbered(texts))
    assert [line.text for line in joined.lines][2] == "会议听取和审议了省长所作的政府工作报告。会议认为，报告"


def test_the_hand_written_export_is_repaired():
    from builder.ingest.read import read_documents

    anji, fujian, resolution, _ = read_documents(FIXTURES.parent / "exports" / "reports.jsonl").documents
    glued = repair_raw(numbered(anji.lines))
    assert [(note.number, note.text, note.rule) for note in glued.log] == [(7, "3 paragraphs", "glued-paragraphs")]
    assert [note.rule for note in repair_raw(numbered(fujian.lines)).log] == ["zero-width"]
    joined = join_broken_lines(numbered(resolution.lines))
    assert [note.number for note in joined.log] == [4, 5]
    assert "林晓川省长所作的政府工作报告。会议充分肯定" in joined.lines[2].text
