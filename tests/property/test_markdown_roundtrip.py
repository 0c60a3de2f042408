"""Property: parse(dump(report)) == report, for texts full of Markdown syntax, HTML and Chinese."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from builder.core.model import Paragraph, RemovedLine, Report, Section
from builder.sitesrc import dump_report, is_hand_edited, markdown_parser, parse_front_matter, parse_report_markdown

_FRAGMENTS = [
    "<script>alert(1)</script>", "<b>", "</p>", "<!--", "-->", "[a](b)", "![x](y)", "<http://a.b>",
    "**", "__", "*", "_", "`", "```", "~~~", "\\", "&amp;", "&#60;", "&", "#", "## ", "> ", "- ", "+ ",
    "= ", "1. ", "2) ", "10.", "1.", "{#x}", "{.c}", "|", "!", "[", "]", "---", "***", "    ",
    "\t", " ", "\u3000", "各位代表：", "一、", "（一）", "一是", "。", "，", "；", "“", "”", "%", "1.93万亿元",
]
_TEXT = st.one_of(
    st.lists(st.sampled_from(_FRAGMENTS)
             | st.text(alphabet="abc 中文。，：；（）*_<>[]\\`#!&{}|~0123456789.)+-=", max_size=5),
             min_size=1, max_size=8).map("".join).filter(bool),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30),
)
_META = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)


@st.composite
def paragraphs(draw, prefix: str) -> tuple[Paragraph, ...]:
    texts = draw(st.lists(_TEXT, max_size=3))
    out = []
    for n, text in enumerate(texts, 1):
        cut = draw(st.integers(0, len(text)))
        lead = text[:cut] if draw(st.booleans()) else ""
        out.append(Paragraph(f"{prefix}p{n}", text, lead))
    return tuple(out)


@st.composite
def sections(draw, parent: str, level: int, depth: int) -> tuple[Section, ...]:
    if level > 4:
        return ()
    count = draw(st.integers(0, 3 if depth < 2 else 1))
    out = []
    child_level = draw(st.integers(level + 1, 5))
    for n in range(1, count + 1):
        sid = f"{parent}-{n}" if parent else f"s{n}"
        out.append(
            Section(
                sid,
                level,
                draw(_TEXT),
                paragraphs=draw(paragraphs(f"{sid}-")),
                children=draw(sections(sid, child_level, depth + 1)),
            )
        )
    return tuple(out)


@st.composite
def reports(draw) -> Report:
    return Report(
        slug=draw(st.from_regex(r"[a-z0-9-]{1,12}", fullmatch=True)),
        title=draw(_META.filter(lambda t: t.strip())),
        kind=draw(st.sampled_from(["government_work_report", "npc_standing_committee_report", "other"])),
        issuer=draw(_META),
        place=draw(_META),
        place_short=draw(_META),
        year=draw(st.none() | st.integers(1949, 2100)),
        delivered=draw(st.none() | st.dates().map(str) | _META),
        session=draw(st.none() | _META),
        speaker=draw(st.none() | _META),
        preamble=tuple(draw(st.lists(_META, max_size=2))),
        scraped_title=draw(_META),
        title_note=draw(_META),
        source_file=draw(_META),
        source_sha256=draw(st.sampled_from(["", "0" * 64, "123", "1e5"])),
        source_url=draw(_META),
        scraped_at=draw(_META | st.just("2020-06-04 12:01:14")),
        site_category=draw(_META),
        cleaning_log=tuple(
            draw(st.lists(st.builds(RemovedLine, st.integers(1, 10_000), _META, _META), max_size=3))
        ),
        intro=draw(paragraphs("")),
        sections=draw(sections("", draw(st.integers(1, 2)), 0)),
    )


@settings(max_examples=300, deadline=None)
@given(reports())
def test_dump_parse_round_trip(report):
    text = dump_report(report, "9.9.9")
    file = parse_front_matter(text, "r.md")
    assert not is_hand_edited(file)
    assert parse_report_markdown(file) == report
    assert dump_report(parse_report_markdown(file), "9.9.9") == text


@settings(max_examples=200, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=4))
def test_untrusted_text_never_becomes_markup(texts):
    report = Report(
        slug="x", title="t", kind="other", issuer="", place="", year=None,
        intro=tuple(Paragraph(f"p{n}", t) for n, t in enumerate(texts, 1)), sections=(),
    )
    body = parse_front_matter(dump_report(report, "1"), "r.md").body
    tokens = markdown_parser().parse(body)
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"] * len(texts)
    for t in tokens:
        if t.type == "inline":
            assert {c.type for c in t.children} <= {"text"}
