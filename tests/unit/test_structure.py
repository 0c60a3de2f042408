"""builder.ingest.structure: body lines -> sections and paragraphs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fixture_file import fixture_params
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.core.model import (
    NPC_STANDING_COMMITTEE_REPORT,
    Attribution,
    RemovedLine,
    Report,
    ReportDraft,
    SourceLine,
)
from builder.ingest.structure import find_lead, structure_lines, structure_report

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent
BUNDLED = ROOT / "site_src" / "scraped" / "000_8b8113f56c6b1839.txt"


def _lines(texts) -> tuple[SourceLine, ...]:
    return tuple(SourceLine(n, t) for n, t in enumerate(texts, 1))


def _para(p) -> str:
    return f"{p.id} **{p.lead}**{p.text[len(p.lead):]}" if p.lead else f"{p.id} {p.text}"


def outline(intro, sections) -> list[str]:
    out = [_para(p) for p in intro]

    def walk(ss):
        for s in ss:
            out.append(f"{s.id} {'#' * (s.level + 1)} {s.title}")
            out.extend(_para(p) for p in s.paragraphs)
            walk(s.children)

    walk(sections)
    return out


def _report(texts) -> Report:
    intro, sections = structure_lines(_lines(texts))
    return Report(slug="x", title="t", kind="k", issuer="", place="", year=None, intro=intro, sections=sections)


def _all_text(report: Report) -> str:
    parts = [p.text for p in report.intro]

    def walk(ss):
        for s in ss:
            parts.append(s.title)
            parts.extend(p.text for p in s.paragraphs)
            walk(s.children)

    walk(report.sections)
    return "".join(parts)


def _check_invariants(texts, report: Report) -> None:
    assert _all_text(report) == "".join(texts)
    ids = [p.id for p in report.all_paragraphs()] + [s.id for s in report.all_sections()]
    assert len(ids) == len(set(ids))
    for p in report.all_paragraphs():
        assert p.text.startswith(p.lead)
        assert p.text
    for s in report.all_sections():
        assert 1 <= s.level <= 4
        for child in s.children:
            assert child.level > s.level


@pytest.mark.parametrize("case", fixture_params(TESTS / "fixtures" / "structure.md"))
def test_fixture(case):
    texts = case.input.split("\n")
    intro, sections = structure_lines(_lines(texts))
    assert "\n".join(outline(intro, sections)) == case.expected
    _check_invariants(texts, _report(texts))


# --- the bundled page ----------------------------------------------------------------


def _normalize(text: str) -> str:
    """Half-width ,:;()!? to full-width next to Chinese (what clean does; a local stand-in)."""
    text = text.strip()
    table = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"}

    def repl(m: re.Match) -> str:
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
            return m.group()
        return table[m.group()]

    return re.sub(r"[,:;()!?]", repl, text)


def _bundled_body(first: int, last: int) -> list[str]:
    lines = BUNDLED.read_text(encoding="utf-8").splitlines()
    return [_normalize(t) for t in lines[first - 1 : last] if t.strip()]


def _heads(sections, depth=0) -> list[str]:
    out = []
    for s in sections:
        out.append("  " * depth + s.title)
        out.extend(_heads(s.children, depth + 1))
    return out


def test_bundled_report_1_government_style():
    lines = BUNDLED.read_text(encoding="utf-8").splitlines()
    assert lines[8].strip() == lines[86].strip() == lines[172].strip() == "2020年苏州市人大常委会工作报告"
    texts = _bundled_body(11, 85)
    report = _report(texts)
    _check_invariants(texts, report)
    assert [p.text for p in report.intro][0] == "各位代表："
    heads = _heads(report.sections)
    assert heads == [
        "一、2019年工作回顾",
        "  1.经济发展增实力。",
        "  2.改革开放增动力。",
        "  3.城乡建设增活力。",
        "  4.生态环境增魅力。",
        "  5.公共服务增能力。",
        "  6.民生保障增合力。",
        "二、2020年主要任务",
        "  1.深入推进稳增快转，构建产业发展新体系。",
        "  2.深入推进科技创新，培育经济增长新动能。",
        "  3.深入推进改革开放，增创体制机制新优势。",
        "  4.深入推进城市建设，致力功能品质新提升。",
        "  5.深入推进乡村振兴，开创农业农村新局面。",
        "  6.深入推进环境优化，建设美丽宜居新家园。",
        "  7.深入推进社会治理，实现公共服务新发展。",
        "  8.深入推进民生改善，顺应美好生活新期盼。",
        "三、切实加强政府自身建设",
        "  1.强化为民理政。",
        "  2.强化高效为政。",
        "  3.强化依法行政。",
        "  4.强化廉洁从政。",
    ]
    s1_1 = report.sections[0].children[0]
    assert s1_1.id == "s1-1" and s1_1.level == 2
    assert s1_1.paragraphs[0].text.startswith("预计实现地区生产总值1.93万亿元")
    assert s1_1.paragraphs[1].lead == "创新驱动发展战略深入实施。"
    assert s1_1.paragraphs[1].id == "s1-1-p2"
    # the closing "各位代表！…" is not a lead-in
    assert report.sections[2].children[3].paragraphs[-1].lead == ""


def test_bundled_report_2_parts():
    texts = _bundled_body(89, 171)
    report = _report(texts)
    _check_invariants(texts, report)
    assert [s.title for s in report.sections] == ["2019年的主要工作", "2020年工作的主要任务"]
    assert all(s.level == 1 for s in report.sections)
    part1, part2 = report.sections
    assert [c.title[:2] for c in part1.children] == ["一、", "二、", "三、", "四、", "五、"]
    assert all(c.level == 2 for c in part1.children)
    assert [c.title for c in part2.children] == [
        "一、在强化政治建设上勇担当。",
        "二、在提升立法质量上善作为。",
        "三、在增强监督质效上下功夫。",
        "四、在保障代表履职上求实效。",
    ]
    third = part1.children[2]
    assert [p.lead for p in third.paragraphs[1:4]] == [
        "一是聚焦高质量发展。", "二是聚焦民生改善。", "三是聚焦生态文明建设。"]
    assert part2.children[0].paragraphs[0].text.startswith("深入学习贯彻")


def test_bundled_report_3_only_top_level():
    texts = _bundled_body(175, 243)
    report = _report(texts)
    _check_invariants(texts, report)
    assert [s.title[:2] for s in report.sections] == ["一、", "二、", "三、", "四、", "五、"]
    assert all(s.level == 1 and not s.children for s in report.sections)
    assert [p.id for p in report.intro] == ["p1", "p2"]
    assert report.sections[0].paragraphs[1].lead == "持续强化理论武装。"


# --- structure_report ------------------------------------------------------------------


def test_structure_report_copies_fields():
    attribution = Attribution(
        kind=NPC_STANDING_COMMITTEE_REPORT,
        issuer="苏州市人大常委会",
        place="江苏省苏州市",
        place_short="苏州市",
        year=2020,
        title="2020年苏州市人大常委会工作报告",
        scraped_title="2020年苏州市人大常委会工作报告",
        delivered="2020-01-10",
        session="苏州市第十六届人民代表大会第四次会议",
        speaker="主任 某某",
    )
    draft = ReportDraft(
        attribution=attribution,
        title_lines=(SourceLine(9, "2020年苏州市人大常委会工作报告"),),
        preamble=(SourceLine(10, "——2020年1月10日在市十六届人大四次会议上"),),
        body=(SourceLine(11, "各位代表："), SourceLine(12, "一、工作回顾"), SourceLine(13, "成绩来之不易。")),
    )
    log = (RemovedLine(3, "来源：社会实践报告", "site-banner"),)
    provenance = {"source_url": "https://example.org/a", "scraped_at": "2020-06-04", "site_category": "社会实践报告"}
    report = structure_report(draft, "2020-suzhou", provenance, log)
    assert report.slug == "2020-suzhou"
    assert report.title == attribution.title and report.kind == attribution.kind
    assert report.year == 2020 and report.place_short == "苏州市" and report.speaker == "主任 某某"
    assert report.preamble == ("——2020年1月10日在市十六届人大四次会议上",)
    assert report.source_url == "https://example.org/a" and report.site_category == "社会实践报告"
    assert report.cleaning_log == log
    assert [p.id for p in report.intro] == ["p1"]
    assert report.sections[0].id == "s1" and report.sections[0].paragraphs[0].id == "s1-p1"


def test_ids_do_not_move_when_a_sentence_changes():
    a = _report(["各位代表：", "一、回顾", "经济增长。全年增长6%。", "二、任务", "办好实事。"])
    b = _report(["各位代表：", "一、回顾", "经济较快增长，好于预期。全年增长6.1%。", "二、任务", "办好民生实事。"])
    assert [p.id for p in a.all_paragraphs()] == [p.id for p in b.all_paragraphs()]
    assert [s.id for s in a.all_sections()] == [s.id for s in b.all_sections()]


def test_lead_examples():
    assert find_lead("一是聚焦民生改善。听取审议报告。") == "一是聚焦民生改善。"
    assert find_lead("乡村振兴有力推进。农村土地改革深入实施。") == "乡村振兴有力推进。"
    assert find_lead("乡村振兴有力推进。") == ""
    assert find_lead("1.新增城镇就业30万人。（牵头单位：人社厅）") == ""


# --- property: no character is lost or duplicated --------------------------------------

_PIECES = st.sampled_from(
    [
        "一、", "二、", "（一）", "(二)", "1.", "2．", "3、", "（1）", "一是", "二是", "——", "第一，",
        "2019年工作回顾", "经济发展增实力", "。", "；", "，", "：", "“两重”", "（牵头单位：人社厅）",
        "预计增长6%", "1.93万亿元", "乡村振兴有力推进", "各位代表", "！", " ", "x",
    ]
)
_LINE = st.lists(_PIECES, min_size=1, max_size=8).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINE, min_size=0, max_size=25))
def test_every_character_lands_once(texts):
    _check_invariants(texts, _report(texts))
