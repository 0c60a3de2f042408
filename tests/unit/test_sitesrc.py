"""builder.sitesrc: Report <-> Markdown, escaping, the hand-edit guard, front matter errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from builder.core.errors import SourceError
from builder.core.model import Paragraph, RemovedLine, Report, Section
from builder.sitesrc import (
    FRONT_MATTER,
    FRONT_MATTER_KEYS,
    OPTIONAL_TEXT,
    TEXT,
    WriteOutcome,
    dump_report,
    is_hand_edited,
    markdown_parser,
    parse_front_matter,
    parse_report_markdown,
    validate_reports,
    write_report,
)

VERSION = "0.1.0"


def sample_report(**changes) -> Report:
    base = dict(
        slug="2020-suzhou",
        title="2020年苏州市政府工作报告",
        kind="government_work_report",
        issuer="苏州市人民政府",
        place="江苏省苏州市",
        place_short="苏州市",
        year=2020,
        delivered="2020-01-10",
        session=None,
        speaker="市长 李亚平",
        preamble=("——2020年1月10日在苏州市第十六届人民代表大会第四次会议上",),
        scraped_title="2020年苏州市人大常委会工作报告",
        title_note="页面标题写作人大常委会工作报告，正文为政府工作报告。",
        source_file="site_src/scraped/000_8b8113f56c6b1839.txt",
        source_sha256="0" * 64,
        source_url="https://www.bbjkw.net/fanwen476504/",
        scraped_at="2020-06-04 12:01:14",
        site_category="社会实践报告",
        cleaning_log=(RemovedLine(3, "来源：社会实践报告 时间：2020-06-04", "site-banner"),),
        intro=(Paragraph("p1", "各位代表："), Paragraph("p2", "现在，我代表苏州市人民政府，向大会报告工作。")),
        sections=(
            Section(
                "s1",
                1,
                "一、2019年工作回顾",
                paragraphs=(Paragraph("s1-p1", "过去的一年，成绩来之不易。"),),
                children=(
                    Section(
                        "s1-1",
                        2,
                        "1.经济发展增实力。",
                        paragraphs=(
                            Paragraph("s1-1-p1", "预计实现地区生产总值1.93万亿元，增长6%。"),
                            Paragraph("s1-1-p2", "创新驱动发展战略深入实施。全社会研发投入占比3.25%。",
                                      "创新驱动发展战略深入实施。"),
                        ),
                    ),
                ),
            ),
            Section("s2", 1, "二、2020年主要任务",
                    paragraphs=(Paragraph("s2-p1", "一是稳增长；二是促改革。", "一是稳增长；"),)),
        ),
    )
    base.update(changes)
    return Report(**base)


def test_dump_format():
    text = dump_report(sample_report(), VERSION)
    front, body = text.split("\n---\n", 1)
    keys = [line.split(":")[0] for line in front.splitlines()[1:] if line and line[0].isalpha()]
    assert keys == list(FRONT_MATTER_KEYS)
    assert body == (
        "\n{#p1}\n各位代表：\n\n{#p2}\n现在，我代表苏州市人民政府，向大会报告工作。\n\n"
        "{#s1}\n## 一、2019年工作回顾\n\n{#s1-p1}\n过去的一年，成绩来之不易。\n\n"
        "{#s1-1}\n### 1.经济发展增实力。\n\n{#s1-1-p1}\n预计实现地区生产总值1.93万亿元，增长6%。\n\n"
        "{#s1-1-p2}\n**创新驱动发展战略深入实施。**全社会研发投入占比3.25%。\n\n"
        "{#s2}\n## 二、2020年主要任务\n\n{#s2-p1}\n**一是稳增长；**二是促改革。\n"
    )
    file = parse_front_matter(text, "r.md")
    assert not is_hand_edited(file)
    assert file.meta["year"] == 2020 and file.meta["builder_version"] == VERSION
    assert file.meta["cleaning_log"] == [
        {"line": 3, "rule": "site-banner", "text": "来源：社会实践报告 时间：2020-06-04"}]
    assert text.splitlines()[file.body_line - 1] == "" and text.splitlines()[file.body_line] == "{#p1}"


def test_round_trip():
    report = sample_report()
    assert parse_report_markdown(parse_front_matter(dump_report(report, VERSION), "r.md")) == report
    without_year = dump_report(sample_report(year=None), VERSION)
    assert parse_report_markdown(parse_front_matter(without_year, "r.md")).year is None


def test_rendered_html_has_ids_and_leads():
    html = markdown_parser().render(parse_front_matter(dump_report(sample_report(), VERSION), "r.md").body)
    assert '<h2 id="s1">一、2019年工作回顾</h2>' in html
    assert '<h3 id="s1-1">1.经济发展增实力。</h3>' in html
    assert '<p id="s1-1-p2"><strong>创新驱动发展战略深入实施。</strong>全社会研发投入占比3.25%。</p>' in html


def test_markdown_parser_is_cached():
    assert markdown_parser() is markdown_parser()


NASTY = [
    "<script>alert(1)</script>",
    "*强调* _下划线_ **粗体**",
    "[a](b) ![img](x.png) <http://evil.example>",
    "1. 第一项",
    "1) 第一项",
    "# 不是标题",
    "- 不是列表",
    "+ 不是列表",
    "> 不是引用",
    "    四个空格",
    "`代码` ~~删除~~ | 表格 |",
    "{#fake} {.class}",
    "&amp; &lt;b&gt; &#60;",
    "结尾反斜杠\\",
    "---",
    "=== ",
    "2020年，增长6%。",
    "[^1]: 脚注",
    "<!-- 注释 -->",
    "\u3000全角空格开头",
]


@pytest.mark.parametrize("text", NASTY)
def test_escaping_renders_text_verbatim(text):
    report = sample_report(
        intro=(Paragraph("p1", text), Paragraph("p2", text + "后文", text)),
        sections=(Section("s1", 1, text),),
    )
    dumped = dump_report(report, VERSION)
    file = parse_front_matter(dumped, "r.md")
    assert parse_report_markdown(file) == report
    tokens = markdown_parser().parse(file.body)
    kinds = {t.type for t in tokens} | {c.type for t in tokens for c in (t.children or [])}
    assert not kinds & {"html_block", "html_inline", "link_open", "image", "bullet_list_open",
                        "ordered_list_open", "blockquote_open", "code_block", "fence", "hr", "em_open", "code_inline"}
    html = markdown_parser().render(file.body)
    assert "<script" not in html and "<a " not in html and "<img" not in html


def test_untrusted_block_attributes_are_dropped():
    html = markdown_parser().render('{onclick="alert(1)" #x}\n文字\n')
    assert "onclick" not in html


# --- front matter errors ---------------------------------------------------------------


def test_missing_front_matter():
    with pytest.raises(SourceError) as info:
        parse_front_matter("## 一、标题\n", "site_src/reports/a.md")
    assert str(info.value) == ("site_src/reports/a.md:1: no front matter at the top of the file "
                               "(Did you forget the `---` lines?)")


def test_unclosed_front_matter():
    with pytest.raises(SourceError) as info:
        parse_front_matter("---\ntitle: a\nslug: b\n", "a.md")
    assert info.value.line == 1 and "closing" in str(info.value)


def test_yaml_error_names_the_file_line():
    text = "---\ntitle: a\nslug: b\nyear: [2020\nkind: x\n---\nbody\n"
    with pytest.raises(SourceError) as info:
        parse_front_matter(text, "a.md")
    assert info.value.path == "a.md"
    # yaml notices the unclosed [ on the following line (file line 5); the error names its own (line 4)
    assert str(info.value) == "a.md:4: front matter is not valid YAML: expected ',' or ']', but got ':'"


def test_yaml_error_line_points_at_the_bad_line():
    text = "---\ntitle: a\nslug: b\nspeaker: 市长: 李\n---\n"
    with pytest.raises(SourceError) as info:
        parse_front_matter(text, "a.md")
    assert info.value.line == 4


@pytest.mark.parametrize(
    "front, message",
    [
        ("slug: b", "a.md:1: front matter: missing required key 'title'"),
        ("title: a", "a.md:1: front matter: missing required key 'slug'"),
        ("title: a\nslug: ''", "a.md:3: front matter: slug: expected a non-empty string, got an empty string"),
        ("title: [a]\nslug: b", "a.md:2: front matter: title: expected a non-empty string, got a list"),
        ("title: a\nslug: b\nyear: soon", "a.md:4: front matter: year: expected a year such as 2020 or null, got str"),
        ("title: a\nslug: b\npreamble: {a: 1}", "a.md:4: front matter: preamble: expected a list of lines"),
        ("title: a\nslug: b\ncleaning_log: [1]",
         "a.md:4: front matter: cleaning_log: entry 1: expected {line: <number>, rule: <text>, text: <text>}"),
        ("- a\n- b", "a.md:2: front matter must be `key: value` lines, got a list (Did you forget the `---` lines?)"),
    ],
)
def test_front_matter_validation(front, message):
    with pytest.raises(SourceError) as info:
        parse_front_matter(f"---\n{front}\n---\nbody\n", "a.md")
    assert str(info.value) == message


def test_hand_written_front_matter_is_lenient():
    file = parse_front_matter("---\ntitle: a\nslug: b\ndelivered: 2018-03-07\nyear: '2018'\n---\n文字\n", "a.md")
    report = parse_report_markdown(file)
    assert report.delivered == "2018-03-07" and report.year == 2018
    assert [p.text for p in report.intro] == ["文字"] and report.intro[0].id == "p1"
    assert is_hand_edited(file)


def test_hand_edited_body_keeps_explicit_ids_and_fills_missing_ones():
    body = "{#s1}\n## 一、标题\n\n新加的段落。\n\n{#s1-p1}\n原来的段落。\n\n### 子标题\n\n{#s1-p1}\n重复的编号。\n"
    report = parse_report_markdown(parse_front_matter(f"---\ntitle: a\nslug: b\n---\n{body}", "a.md"))
    ids = [p.id for p in report.all_paragraphs()] + [s.id for s in report.all_sections()]
    assert len(ids) == len(set(ids))
    assert report.sections[0].paragraphs[1].id == "s1-p1"
    assert report.sections[0].paragraphs[0].id != "s1-p1"
    assert report.sections[0].children[0].id == "s1-1"


# --- the hand-edit guard -----------------------------------------------------------------


def test_guard_created_unchanged_updated(tmp_path: Path):
    path = tmp_path / "reports" / "2020-suzhou.md"
    outcome = write_report(path, sample_report(), VERSION)
    assert outcome == WriteOutcome("created", path, fresh_path=path)
    assert path.read_text(encoding="utf-8") == dump_report(sample_report(), VERSION)

    os.utime(path, (1_000_000, 1_000_000))
    outcome = write_report(path, sample_report(), VERSION)
    assert outcome.status == "unchanged" and outcome.fresh_path is None
    assert path.stat().st_mtime == 1_000_000

    changed = sample_report(title="2020年苏州市人民政府工作报告")
    outcome = write_report(path, changed, VERSION)
    assert outcome.status == "updated"
    assert path.read_text(encoding="utf-8") == dump_report(changed, VERSION)
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temp files left


def test_guard_keeps_hand_edits(tmp_path: Path):
    path = tmp_path / "r.md"
    write_report(path, sample_report(), VERSION)
    edited = path.read_text(encoding="utf-8").replace("成绩来之不易", "成绩确实来之不易")
    path.write_text(edited, encoding="utf-8")

    outcome = write_report(path, sample_report(), VERSION)
    assert outcome.status == "kept-edited" and outcome.backup is None
    assert path.read_text(encoding="utf-8") == edited

    outcome = write_report(path, sample_report(), VERSION, force=True)
    assert outcome.status == "forced"
    assert outcome.backup == tmp_path / "r.md.bak"
    assert outcome.backup.read_text(encoding="utf-8") == edited
    assert path.read_text(encoding="utf-8") == dump_report(sample_report(), VERSION)

    path.write_text(edited, encoding="utf-8")
    outcome = write_report(path, sample_report(), VERSION, force=True)
    assert outcome.backup == tmp_path / "r.md.bak.1"
    assert (tmp_path / "r.md.bak").read_text(encoding="utf-8") == edited


def test_guard_treats_unreadable_front_matter_as_edited(tmp_path: Path):
    path = tmp_path / "r.md"
    path.write_text("no front matter at all\n", encoding="utf-8")
    assert write_report(path, sample_report(), VERSION).status == "kept-edited"
    assert path.read_text(encoding="utf-8") == "no front matter at all\n"


def test_a_corrected_title_or_place_in_the_front_matter_is_kept(tmp_path: Path):
    path = tmp_path / "r.md"
    write_report(path, sample_report(), VERSION)
    text = path.read_text(encoding="utf-8")
    report = sample_report()
    for old, new in ((f"title: {report.title}", "title: 2020年苏州市人民政府工作报告（修订）"),
                     ("year: 2020", "year: 2021"), (f"place: {report.place}", "place: 江苏省")):
        edited = text.replace(old, new, 1)
        assert edited != text
        path.write_text(edited, encoding="utf-8")
        assert write_report(path, sample_report(), VERSION).status == "kept-edited", old
        assert path.read_text(encoding="utf-8") == edited


def test_front_matter_the_builder_owns_is_regenerated(tmp_path: Path):
    # builder_version, provenance and logs are the builder's: changing them is not a hand edit.
    path = tmp_path / "r.md"
    write_report(path, sample_report(), VERSION)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("builder_version: 0.1.0", "builder_version: 0.0.9"), encoding="utf-8")
    assert write_report(path, sample_report(), VERSION).status == "updated"


def test_write_report_takes_the_markdown_already_dumped(tmp_path: Path) -> None:
    """The pipeline passes the Markdown its text check dumped (issue 5): the same file results."""
    from builder.sitesrc import dump_report

    fresh = dump_report(sample_report(), VERSION)
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    assert write_report(a, sample_report(), VERSION, fresh=fresh).status == "created"
    write_report(b, sample_report(), VERSION)
    assert a.read_bytes() == b.read_bytes()
    assert write_report(a, sample_report(), VERSION, fresh=fresh).status == "unchanged"


@pytest.mark.parametrize("key", [k.name for k in FRONT_MATTER if k.kind in (TEXT, OPTIONAL_TEXT)])
def test_every_text_key_of_the_schema_is_checked_and_named(key):
    front = f"title: t\nslug: s\n{key}: [a, b]\n"
    with pytest.raises(SourceError) as info:
        parse_front_matter(f"---\n{front}---\nbody\n", "r.md")
    assert f"front matter: {key}: expected" in str(info.value)


def test_validate_reports_checks_what_the_site_needs_of_any_report():
    from builder.core.model import ReportFile

    def file(path: str, **meta) -> ReportFile:
        return ReportFile(path=path, meta={"title": "t", "slug": "s", **meta}, body="", body_line=1)

    validate_reports([file("a.md"), file("b.md", slug="t", year=2020)])
    for bad, message in [([file("a.md", slug="A b")], "a.md: front matter: slug: 'A b' is not made of"),
                         ([file("a.md", title=" ")], "a.md: front matter: title: expected a non-empty string"),
                         ([file("a.md", year="2020")], "a.md: front matter: year: expected a whole number"),
                         ([file("a.md"), file("b.md")], "b.md: duplicate slug 's', also used by a.md")]:
        with pytest.raises(SourceError) as info:
            validate_reports(bad)
        assert str(info.value).startswith(message)
