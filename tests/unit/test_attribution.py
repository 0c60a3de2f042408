"""Attribution as weighed evidence: hand-written documents that are not reports or open oddly
(tests/fixtures/attribution_docs.yaml), and the decision rule itself."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from builder.core.model import MEDIUM, STRONG, WEAK, SourceDocument
from builder.ingest.attribution import Candidate, Document, attribute, decide, title_genre
from builder.ingest.clean import clean_document
from builder.ingest.read import split_lines
from builder.ingest.split import split_document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "attribution_docs.yaml"
CASES: list[dict] = yaml.safe_load(FIXTURES.read_text(encoding="utf-8"))
FIELDS = ("kind", "genre", "issuer", "place", "year")


def attribute_case(case: dict):
    """Read the case as the pipeline would (cleaner included) and return its documents' attributions."""
    lines = tuple(split_lines(case["text"]))
    metadata = {k: str(v) for k, v in (case.get("metadata") or {}).items()}
    source = SourceDocument(path="case.csv" if case["form"] == "row" else "case.txt", index=1 if case["form"] == "row"
                            else 0, format="csv" if case["form"] == "row" else "text", lines=lines, sha256="0" * 64,
                            metadata=metadata)
    cleaned = clean_document(source)
    drafts = split_document(cleaned)
    kept = sorted(line.number for d in drafts for line in (*d.title_lines, *d.preamble, *d.body))
    assert kept == [line.number for line in cleaned.lines], "a line was lost or doubled"
    return [d.attribution for d in drafts]


def got_fields(attribution) -> dict:
    return {name: getattr(attribution, name) or ("" if name != "year" else None) for name in FIELDS}


def test_fixture_accuracy_table(capsys) -> None:
    """Print, for every hand-written document, which fields are right; all must be."""
    wrong = []
    right_fields = 0
    rows = []
    for case in CASES:
        attributions = attribute_case(case)
        got = got_fields(attributions[0]) if len(attributions) == 1 else {name: "?" for name in FIELDS}
        expected = {name: case["expect"][name] if case["expect"][name] is not None else None for name in FIELDS}
        marks = {name: got[name] == expected[name] for name in FIELDS}
        right_fields += sum(marks.values())
        rows.append(f"{'ok ' if all(marks.values()) else 'BAD'} {case['name']}: "
                    + ", ".join(f"{name}={got[name]!s}{'' if marks[name] else f' (want {expected[name]})'}"
                                for name in FIELDS))
        if not all(marks.values()) or len(attributions) != 1:
            wrong.append(case["name"])
    with capsys.disabled():
        print("\nattribution fixtures (kind, genre, issuer, place, year):")
        print("\n".join("  " + row for row in rows))
        print(f"  documents right: {len(CASES) - len(wrong)}/{len(CASES)}; "
              f"fields right: {right_fields}/{len(CASES) * len(FIELDS)}")
    assert wrong == []


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_fixture_document(case: dict) -> None:
    [attribution] = attribute_case(case)
    expected = {name: case["expect"][name] for name in FIELDS}
    assert got_fields(attribution) == expected
    assert {d.field for d in attribution.decisions} >= {"genre", "kind", "title"}
    if attribution.genre != "report":
        assert not attribution.title.endswith("国务院政府工作报告")
    if attribution.genre == "unknown":
        assert attribution.review


def test_traditional_text_stays_as_published() -> None:
    case = next(c for c in CASES if c["name"].startswith("traditional characters, provincial"))
    source = SourceDocument(path="t.txt", index=0, format="text", lines=tuple(split_lines(case["text"])),
                            sha256="0" * 64)
    [draft] = split_document(clean_document(source))
    assert draft.body[1].text.startswith("現在，我代表省人民政府")
    assert draft.attribution.scraped_title == "二〇〇八年廣東省政府工作報告"
    assert draft.attribution.title == "2008年广东省政府工作报告"


# --------------------------------------------------------------------------- the decision rule


def c(value: str, strength: str, source: str = "s", weight: float = 1.0) -> Candidate:
    return Candidate("year", value, source, strength, "", weight)


def test_strong_beats_medium_beats_weak_without_review() -> None:
    decision, review = decide("year", [c("2019", WEAK, "clue", 5), c("2020", MEDIUM, "metadata:year"),
                                       c("2021", STRONG, "delivery-line")])
    assert decision is not None and (decision.value, decision.source, decision.strength) == ("2021", "delivery-line",
                                                                                             STRONG)
    assert review == ""
    assert decision.against == ("clue (weak): 2019", "metadata:year (medium): 2020")


def test_conflict_between_equals_that_are_not_strong_needs_review() -> None:
    decision, review = decide("year", [c("1986", MEDIUM, "metadata:year"), c("1987", MEDIUM, "heading")])
    assert decision is not None and decision.value == "1986"
    assert "元数据year" in review and "1987" in review


def test_agreeing_sources_add_up() -> None:
    decision, review = decide("year", [c("1986", MEDIUM, "metadata:year"), c("1987", MEDIUM, "heading"),
                                       c("1987", MEDIUM, "metadata:title")])
    assert decision is not None and decision.value == "1987" and review  # 1986 still has half the weight


def test_no_candidate_no_decision() -> None:
    assert decide("year", []) == (None, "")


@pytest.mark.parametrize("title, genre", [
    ("第十三届全国人民代表大会第二次会议关于政府工作报告的决议", "resolution"),
    ("关于《政府工作报告》起草情况的说明", "explanation"),
    ("在第十三届全国人民代表大会第一次会议上的讲话", "speech"),
    ("2009年政府工作报告（摘要）", "report"),
    ("政府工作报告全文", "report"),
    ("关于一九五八年国民经济计划草案的报告", "report"),
    ("李强作政府工作报告", "news"),
    ("十四届全国人大二次会议在京开幕", "news"),
    ("首页", None),
])
def test_title_genre(title: str, genre: str | None) -> None:
    assert title_genre(title) == genre


def test_year_under_review_is_never_the_year_of_delivery() -> None:
    body = ("各位代表：", "刚刚过去的1984年，是我国经济发展很好的一年。全国工农业总产值增长百分之十四。")
    a = attribute(Document(head=(), body=body, metadata={"title": "政府工作报告"}))
    assert a.year == 1985
    assert next(d for d in a.decisions if d.field == "year").source == "clue:review-year"


def test_a_session_the_report_merely_names_is_not_its_session() -> None:
    a = attribute(Document(head=(), body=(
        "各位代表：",
        "本届政府是在第八届全国人民代表大会第一次会议上产生的，任期即将结束。我代表国务院向大会报告过去五年的工作，请予审议。",
    ), metadata={"year": "1998"}))
    assert a.year == 1998 and a.session is None


# --------------------------------------------------------------------------- front matter


def test_evidence_and_review_round_trip_through_front_matter() -> None:
    from builder.ingest.structure import structure_report
    from builder.sitesrc import dump_report, parse_front_matter, parse_report_markdown

    case = next(c for c in CASES if c["name"].startswith("national resolution"))
    source = SourceDocument(path="r.txt", index=0, format="text", lines=tuple(split_lines(case["text"])),
                            sha256="0" * 64)
    [draft] = split_document(clean_document(source))
    report = structure_report(draft, "2015-quanguo-jueyi")
    markdown = dump_report(report, "test")
    assert "\ngenre: resolution\n" in markdown and "\nevidence:\n  genre:\n    value: resolution\n" in markdown
    again = parse_report_markdown(parse_front_matter(markdown, "r.md"))
    assert (again.genre, again.review, again.evidence) == (report.genre, report.review, report.evidence)
    assert {d.field: d.source for d in again.evidence}["genre"] == "adopted-line"


def test_broken_evidence_in_front_matter_names_the_key() -> None:
    from builder.core.errors import SourceError
    from builder.sitesrc import parse_front_matter

    with pytest.raises(SourceError, match="front matter: evidence: expected a mapping"):
        parse_front_matter("---\ntitle: t\nslug: s\nevidence: [1, 2]\n---\n", "x.md")


def test_metadata_beats_a_clue_but_a_plain_contradiction_is_flagged() -> None:
    body = ("各位代表：", "现在，我代表国务院向大会作政府工作报告，请予审议。",
            "刚刚过去的1986年，全国各族人民继续前进。")
    a = attribute(Document(head=(), body=body, metadata={"year": "1986", "title": "1986年政府工作报告"}))
    assert a.year == 1986
    assert "刚刚过去的1986年" in a.review and "1987" in a.review


def test_a_strong_session_beats_metadata_and_the_note_says_why() -> None:
    body = ("各位代表：", "现在，我代表国务院，向第十届全国人民代表大会第一次会议报告过去五年的工作，请予审议。")
    a = attribute(Document(head=(), body=body, metadata={"year": "2002", "title": "2002年政府工作报告"}))
    assert (a.year, a.review) == (2003, "")
    assert a.title_note == ("页面标题为“2002年政府工作报告”，但据报告所向会议“第十届全国人民代表大会第一次会议”，"
                            "年份应为2003年。")


def test_a_wire_dateline_above_a_full_report_is_not_a_news_item() -> None:
    text = ("新华社北京3月5日电\n政府工作报告\n——2021年3月5日在第十三届全国人民代表大会第四次会议上\n"
            "国务院总理 李克强\n"
            "各位代表：\n现在，我代表国务院，向大会报告政府工作，请予审议，并请全国政协委员提出意见。\n"
            "一、2020年工作回顾\n过去一年是新中国历史上极不平凡的一年。\n")
    [a] = attribute_case({"text": text, "form": "page"})
    assert (a.kind, a.genre, a.year, a.review) == ("government_work_report", "report", 2021, "")
    genre = next(d for d in a.decisions if d.field == "genre")
    assert genre.source == "delegation" and any("dateline" in x for x in genre.against)


def test_a_news_item_with_a_dateline_is_news() -> None:
    text = ("新华社北京3月5日电 第十三届全国人民代表大会第四次会议5日上午在人民大会堂开幕。"
            "国务院总理李克强作政府工作报告。\n报告说，过去一年是新中国历史上极不平凡的一年。\n")
    [a] = attribute_case({"text": text, "form": "page"})
    assert (a.kind, a.genre) == ("other", "news")


def test_an_exports_city_column_supports_the_district_its_title_names() -> None:
    case = {"form": "row", "metadata": {"province": "广东省", "city": "深圳市", "year": "2021",
                                        "title": "深圳市南山区政府工作报告"},
            "text": "各位代表：\n现在，我代表区人民政府向大会报告工作，请予审议。\n2020年是极不平凡的一年。"}
    [a] = attribute_case(case)
    assert (a.place, a.issuer, a.year, a.review) == ("广东省深圳市南山区", "南山区人民政府", 2021, "")


def test_a_province_speaker_is_not_narrowed_to_the_city_a_wrong_title_names() -> None:
    case = {"form": "row", "metadata": {"province": "浙江省", "year": "2019", "title": "2019年杭州市政府工作报告"},
            "text": "各位代表：\n现在，我代表省人民政府，向大会报告工作，请予审议。\n过去一年，全省经济平稳运行。"}
    [a] = attribute_case(case)
    assert a.place == "浙江省"


def test_a_review_heading_votes_for_the_next_year_quoting_the_heading_from_its_year() -> None:
    body = ("各位代表：", "一、2019年工作回顾", "过去一年，全市经济平稳增长。", "回顾2019年，我们倍感振奋。")
    a = attribute(Document(head=(), body=body, metadata={"title": "政府工作报告"}))
    year = next(d for d in a.decisions if d.field == "year")
    assert (a.year, year.source) == (2020, "clue:review-year")
    assert year.text == "一、2019年工作回顾过去"  # two characters either side of the heading
