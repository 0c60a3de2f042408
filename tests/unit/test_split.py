"""split_document and make_slug: fixture pages, the bundled page, the real corpus."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml
from fixture_file import Case, fixture_params, read_fixtures
from shared_corpus import CORPUS

from builder.core.errors import InputError
from builder.core.model import (
    GOVERNMENT_WORK_REPORT,
    NPC_STANDING_COMMITTEE_REPORT,
    OTHER_REPORT,
    Attribution,
    CleanedDocument,
    ReportDraft,
    SourceDocument,
    SourceLine,
)
from builder.ingest.split import make_slug, split_document

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "split.md"
BUNDLED = ROOT / "site_src" / "scraped" / "000_8b8113f56c6b1839.txt"

# --------------------------------------------------------------------------- helpers

_CJK = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef“”‘’《》]")
_HALF_TO_FULL = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"}


def normalize(text: str) -> str:
    """A stand-in for the cleaner: trim, drop R's <U+00A0> escapes, full-width punctuation next to CJK."""
    text = text.replace("<U+00A0>", " ").replace("\u00a0", " ").strip(" \t\r\u3000")
    out = []
    for i, ch in enumerate(text):
        if ch in _HALF_TO_FULL:
            before = text[i - 1] if i else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            if (_CJK.match(before) or _CJK.match(after)) and not (ch == ":" and after == "/"):
                out.append(_HALF_TO_FULL[ch])
                continue
        out.append(ch)
    return re.sub(r"[ \t]{2,}", " ", "".join(out))


def make_doc(text: str, path: str = "page.txt", *, clean: bool = False) -> CleanedDocument:
    """A CleanedDocument from page text: one SourceLine per non-blank line, numbered as in the page."""
    raw = text.splitlines()
    lines = []
    for number, line in enumerate(raw, start=1):
        kept = normalize(line) if clean else line
        if kept.strip():
            lines.append(SourceLine(number, kept))
    source = SourceDocument(path=path, index=0, format="text", lines=tuple(raw), sha256="0" * 64)
    return CleanedDocument(source=source, lines=tuple(lines), removed=())


def all_lines(drafts: list[ReportDraft]) -> list[SourceLine]:
    out: list[SourceLine] = []
    for draft in drafts:
        out.extend(draft.title_lines)
        out.extend(draft.preamble)
        out.extend(draft.body)
    return sorted(out, key=lambda line: line.number)


def assert_lossless(doc: CleanedDocument, drafts: list[ReportDraft]) -> None:
    """Every input line lands in exactly one draft."""
    assert all_lines(drafts) == list(doc.lines)


# --------------------------------------------------------------------------- fixtures


def _expected_reports(expected: str) -> list[dict[str, str]]:
    reports: list[dict[str, str]] = [{}]
    for line in expected.splitlines():
        if line.strip() == "---":
            reports.append({})
        elif line.strip():
            key, _, value = line.partition(":")
            reports[-1][key.strip()] = value.strip()
    return reports


def _check(draft: ReportDraft, want: dict[str, str], where: str) -> None:
    a = draft.attribution
    for key, value in want.items():
        if key == "title_lines":
            got = " | ".join(line.text for line in draft.title_lines)
        elif key == "preamble":
            got = " | ".join(line.text for line in draft.preamble)
        elif key == "first_body":
            got = draft.body[0].text
        elif key == "last_body":
            got = draft.body[-1].text
        elif key == "note":
            got = a.title_note
        elif key == "note~":
            for fragment in value.split(" | "):
                assert fragment in a.title_note, f"{where}: title_note {a.title_note!r} lacks {fragment!r}"
            continue
        elif key == "review~":
            for fragment in value.split(" | "):
                assert fragment in a.review, f"{where}: review {a.review!r} lacks {fragment!r}"
            continue
        elif key == "year":
            got = str(a.year) if a.year else ""
        else:
            got = getattr(a, key) or ""
        assert got == value, f"{where}: {key}: expected {value!r}, got {got!r}"


@pytest.mark.parametrize("case", fixture_params(FIXTURES))
def test_split_fixture(case: Case) -> None:
    doc = make_doc(case.input)
    wanted = _expected_reports(case.expected)
    if len(wanted) == 1 and "error" in wanted[0]:
        with pytest.raises(InputError) as info:
            split_document(doc)
        assert str(info.value) == wanted[0]["error"]
        return
    drafts = split_document(doc)
    assert len(drafts) == len(wanted), [d.attribution.title for d in drafts]
    assert_lossless(doc, drafts)
    for n, (draft, want) in enumerate(zip(drafts, wanted, strict=True), start=1):
        _check(draft, want, f"{case.title}, report {n}")


def test_page_without_a_report_is_one_unknown_document() -> None:
    doc = make_doc("关闭窗口\n打印本页\n", path="site_src/scraped/x.txt")
    [draft] = split_document(doc)
    assert_lossless(doc, [draft])
    assert (draft.attribution.kind, draft.attribution.genre) == (OTHER_REPORT, "unknown")
    assert draft.attribution.review


def test_error_names_the_page_when_nothing_is_left() -> None:
    with pytest.raises(InputError) as info:
        split_document(make_doc("\n\n", path="site_src/scraped/x.txt"))
    assert info.value.path == "site_src/scraped/x.txt"


def test_split_is_deterministic() -> None:
    case = next(c for c in read_fixtures(FIXTURES) if c.title.startswith("two glued"))
    doc = make_doc(case.input)
    assert split_document(doc) == split_document(doc)


# --------------------------------------------------------------------------- the bundled page

_CHROME = re.compile(r"^(来源：|【www\.|工作报告，范文|本文来源|推荐访问|扩展阅读|热门阅读)")


def _bundled(clean_chrome: bool) -> CleanedDocument:
    doc = make_doc(BUNDLED.read_text(encoding="utf-8"), path="site_src/scraped/000_8b8113f56c6b1839.txt", clean=True)
    if clean_chrome:
        kept = tuple(line for line in doc.lines if not _CHROME.match(line.text))
        doc = CleanedDocument(doc.source, kept, ())
    return doc


BUNDLED_EXPECTED = [
    (GOVERNMENT_WORK_REPORT, "苏州市人民政府", "江苏省苏州市", "苏州市", 2020, "2020年苏州市政府工作报告"),
    (NPC_STANDING_COMMITTEE_REPORT, "苏州市人大常委会", "江苏省苏州市", "苏州市", 2020,
     "2020年苏州市人大常委会工作报告"),
    (NPC_STANDING_COMMITTEE_REPORT, "淮安市人大常委会", "江苏省淮安市", "淮安市", 2020,
     "2020年淮安市人大常委会工作报告"),
]


@pytest.mark.parametrize("clean_chrome", [True, False], ids=["chrome-removed", "raw"])
def test_bundled_page_holds_three_reports(clean_chrome: bool) -> None:
    doc = _bundled(clean_chrome)
    drafts = split_document(doc)
    assert_lossless(doc, drafts)
    got = [
        (d.attribution.kind, d.attribution.issuer, d.attribution.place, d.attribution.place_short,
         d.attribution.year, d.attribution.title)
        for d in drafts
    ]
    assert got == BUNDLED_EXPECTED
    for draft in drafts:
        assert draft.attribution.scraped_title == "2020年苏州市人大常委会工作报告"
        assert [line.text for line in draft.title_lines] == ["2020年苏州市人大常委会工作报告"]
    # Without chrome, the page heading stands right above the first report's own heading:
    # it stays in the preamble (only the title nearest the opening is the title).
    assert [line.number for line in drafts[0].title_lines] == [9]
    assert drafts[0].preamble[0].number == 1


def test_bundled_page_notes_and_evidence() -> None:
    drafts = split_document(_bundled(clean_chrome=True))
    gov, npc, huaian = (d.attribution for d in drafts)
    assert gov.title_note == (
        '页面标题为“2020年苏州市人大常委会工作报告”，但报告人称“我代表苏州市人民政府，向大会报告工作”，应为政府工作报告。'
    )
    assert npc.title_note == ""
    assert huaian.title_note == (
        '页面标题为“2020年苏州市人大常委会工作报告”，但正文所引地方法规和地名均指淮安市'
        "（《淮安市古淮河保护条例》等），未提及苏州。"
    )
    assert any("我代表苏州市人民政府" in e for e in gov.evidence)
    assert any("《淮安市住宅物业管理条例》" in e for e in huaian.evidence)
    assert drafts[0].body[0].text == "各位代表："
    assert drafts[2].body[0].text.startswith("我受市人大常委会委托")
    slugs: set[str] = set()
    for draft in drafts:
        slugs.add(make_slug(draft.attribution, slugs))
    assert slugs == {"2020-suzhou-zfgzbg", "2020-suzhou-rdcwhgzbg", "2020-huaian-rdcwhgzbg"}


# --------------------------------------------------------------------------- make_slug


def _attribution(**changes: object) -> Attribution:
    base = dict(kind=GOVERNMENT_WORK_REPORT, issuer="苏州市人民政府", place="江苏省苏州市", place_short="苏州市",
                year=2020, title="2020年苏州市政府工作报告", scraped_title="")
    base.update(changes)
    return Attribution(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "changes, slug",
    [
        ({}, "2020-suzhou-zfgzbg"),
        ({"kind": NPC_STANDING_COMMITTEE_REPORT, "place_short": "淮安市", "place": "江苏省淮安市"},
         "2020-huaian-rdcwhgzbg"),
        ({"kind": OTHER_REPORT, "genre": "resolution", "place_short": "全国", "place": "全国", "year": 2019},
         "2019-quanguo-jueyi"),
        ({"kind": OTHER_REPORT, "genre": "unknown", "place_short": "", "place": "", "year": None}, "wenjian"),
        ({"year": 2012, "place_short": "海拉尔区", "place": "内蒙古自治区呼伦贝尔市海拉尔区"}, "2012-hailaer-zfgzbg"),
        ({"year": 1954, "place_short": "全国", "place": "全国", "issuer": "中央人民政府"}, "1954-quanguo-zfgzbg"),
        ({"year": 2026, "place_short": "内蒙古自治区", "place": "内蒙古自治区"}, "2026-neimenggu-zfgzbg"),
        ({"kind": OTHER_REPORT, "year": None}, "suzhou-report"),
        ({"place_short": "", "place": ""}, "2020-zfgzbg"),
    ],
)
def test_make_slug(changes: dict[str, object], slug: str) -> None:
    assert make_slug(_attribution(**changes), set()) == slug


def test_make_slug_is_unique_and_does_not_mutate_taken() -> None:
    taken = {"2020-suzhou-zfgzbg", "2020-suzhou-zfgzbg-2"}
    assert make_slug(_attribution(), taken) == "2020-suzhou-zfgzbg-3"
    assert taken == {"2020-suzhou-zfgzbg", "2020-suzhou-zfgzbg-2"}
    assert re.fullmatch(r"[a-z0-9-]+", make_slug(_attribution(place_short="朝阳区"), set()))


# --------------------------------------------------------------------------- the real corpus


def _manifest() -> list[dict]:
    if not (CORPUS / "manifest.yaml").is_file():
        return []
    return yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))["files"]


def _corpus_text(name: str) -> str:
    path = CORPUS / name
    if name.endswith(".csv"):
        csv.field_size_limit(1 << 30)
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return next(csv.DictReader(handle))["full_text"]
    return path.read_bytes().decode("gbk")


#: Facts the text itself gets wrong: the 1954 page's subtitle says 5月23日.
KNOWN_MISSES = {("1954-national-guowuyuan-zfgzbg.txt", "delivered")}

_ENTRIES = _manifest()


@pytest.mark.skipif(not _ENTRIES, reason=f"corpus not found at {CORPUS}")
@pytest.mark.parametrize("entry", _ENTRIES, ids=[e["file"] for e in _ENTRIES] or None)
def test_corpus_attribution(entry: dict) -> None:
    doc = make_doc(_corpus_text(entry["file"]), path=entry["file"], clean=True)
    drafts = split_document(doc)
    assert_lossless(doc, drafts)
    assert len(drafts) == 1, [d.attribution.title for d in drafts]
    a = drafts[0].attribution
    assert a.kind == entry["kind"]
    assert a.issuer == entry["issuer"]
    assert a.year == entry["year"]
    expected_place = str(entry["place"]).split(" ")[0]
    assert a.place and a.place in expected_place
    for key in ("delivered", "speaker", "session"):
        want = str(entry[key])
        want = want[:10] if key == "delivered" else want
        if (entry["file"], key) in KNOWN_MISSES:
            assert getattr(a, key) != want
        else:
            assert getattr(a, key) == want, key


def test_parts_of_one_source_line_keep_their_own_text() -> None:
    """Paragraphs glued on one line are split by the cleaner; the parts share the line's
    number, and each still reaches the draft as itself, in order."""
    from builder.ingest.clean import clean_document

    page = ["2020年苏州市政府工作报告",
            "　　各位代表：　　现在，我代表苏州市人民政府，向大会报告工作，请予审议。　　一、2019年工作回顾"
            "　　过去一年，全市经济运行总体平稳。　　二、2020年主要任务　　今年要稳字当头。"]
    source = SourceDocument(path="page.txt", index=0, format="text", lines=tuple(page), sha256="0" * 64)
    doc = clean_document(source)
    assert [line.number for line in doc.lines] == [1, 2, 2, 2, 2, 2, 2]
    drafts = split_document(doc)
    assert_lossless(doc, drafts)
    [draft] = drafts
    assert [line.text for line in draft.body] == [
        "各位代表：", "现在，我代表苏州市人民政府，向大会报告工作，请予审议。", "一、2019年工作回顾",
        "过去一年，全市经济运行总体平稳。", "二、2020年主要任务", "今年要稳字当头。"]
    assert draft.attribution.issuer == "苏州市人民政府"
