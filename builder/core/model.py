"""The data model that flows through the pipeline.

ingest -> SourceDocument -> clean -> CleanedDocument -> split -> ReportDraft
-> structure -> Report (with Section / Paragraph) -> sitesrc (Markdown) -> render.

Every class is a frozen dataclass: stages never mutate what an earlier stage
produced, they build new values.  Nothing here knows about HTML or files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

#: Report kinds, as stored in front matter and reports.json.
GOVERNMENT_WORK_REPORT = "government_work_report"  # 政府工作报告
NPC_STANDING_COMMITTEE_REPORT = "npc_standing_committee_report"  # 人大常委会工作报告
OTHER_REPORT = "other"

KIND_LABELS: Mapping[str, str] = {
    GOVERNMENT_WORK_REPORT: "政府工作报告",
    NPC_STANDING_COMMITTEE_REPORT: "人大常委会工作报告",
    OTHER_REPORT: "其他报告",
}

#: Genres: what a document is.  A report (genre "report") has one of the kinds above; every
#: other genre has kind OTHER_REPORT.  Stored in front matter as ``genre``.
GENRE_REPORT = "report"  # 报告
GENRE_RESOLUTION = "resolution"  # 决议, 决定
GENRE_EXPLANATION = "explanation"  # 起草情况的说明, 解读
GENRE_NEWS = "news"  # 新闻报道
GENRE_SPEECH = "speech"  # 讲话, 致辞
GENRE_UNKNOWN = "unknown"  # nothing tells what it is

GENRE_LABELS: Mapping[str, str] = {
    GENRE_REPORT: "报告",
    GENRE_RESOLUTION: "决议",
    GENRE_EXPLANATION: "说明",
    GENRE_NEWS: "新闻报道",
    GENRE_SPEECH: "讲话",
    GENRE_UNKNOWN: "未识别文件",
}

#: Strengths of evidence, strongest first.
STRONG, MEDIUM, WEAK = "strong", "medium", "weak"
#: The order candidates are weighed in: a stronger source beats any number of weaker ones.
STRENGTH_LEVELS: Mapping[str, int] = {STRONG: 3, MEDIUM: 2, WEAK: 1}
_STRENGTH_WORDS: Mapping[str, str] = {STRONG: "强", MEDIUM: "中", WEAK: "弱"}

#: Chinese names of the attributed fields, for notes, reasons and the evidence table.
FIELD_LABELS: Mapping[str, str] = {
    "genre": "文体", "kind": "类型", "issuer": "发布机关", "place": "地方", "year": "年份",
    "delivered": "日期", "session": "会议", "speaker": "报告人", "title": "标题",
}

#: Chinese names of the sources of evidence, for notes, reasons and the evidence table.
SOURCE_LABELS: Mapping[str, str] = {
    "delivery-line": "报告日期行",
    "adopted-line": "通过日期行",
    "session-line": "会议行",
    "session-addressed": "报告所向会议",
    "session-acting": "作出决议的会议",
    "delegation": "报告人自述",
    "on-behalf": "受托表述",
    "date-line": "日期行",
    "speaker-line": "报告人行",
    "local-law": "地方法规",
    "dateline": "电头",
    "wording": "正文措辞",
    "heading": "页面标题",
    "derived": "据以上各项",
    "url": "网址",
    "opening-session": "开头所述会议",
    "clue:review-year": "回顾年份",
    "clue:plan-year": "部署年份",
    "clue:first-year": "首个年份",
    "clue:self-reference": "正文自称",
    "clue:body-places": "正文地名",
    "clue:form": "文体",
}


def source_name(source: str) -> str:
    """The Chinese name of a source of evidence (``metadata:<column>`` names its column)."""
    if source.startswith("metadata:"):
        return f"元数据{source.removeprefix('metadata:')}"
    return SOURCE_LABELS.get(source, source)


def strength_word(strength: str) -> str:
    return _STRENGTH_WORDS.get(strength, strength)


def strength_rank(strength: str) -> int:
    """3 for strong, 2 medium, 1 weak, 0 anything else."""
    return STRENGTH_LEVELS.get(strength, 0)


#: Cleaning-log rules that record a repair (the text kept, its form mended), not a removal.
REPAIR_RULES = frozenset({"zero-width", "glued-paragraphs", "joined-line"})


@dataclass(frozen=True)
class SourceDocument:
    """One document as read from disk: a whole text/HTML page, or one CSV row."""

    path: str
    """The page's path as the user named it (relative to the site folder when inside it)."""
    index: int
    """0 for a text or HTML page; the 1-based data row for a CSV export."""
    format: str
    """"text", "html" or "csv"."""
    lines: tuple[str, ...]
    """Decoded text lines, line endings removed, not yet normalized.  Line N is ``lines[N-1]``.
    For HTML: one line per visible block element of the page (``outside`` says which are not
    body text).  For CSV: the lines of the text cell."""
    sha256: str
    """SHA-256 (hex) of the whole file's bytes."""
    metadata: Mapping[str, str] = field(default_factory=dict)
    """Page-level facts that are not body text: CSV columns other than the text column
    (title, source_url, publish_date, ...), an HTML page's <title>, canonical URL, meta tags."""
    start_line: int = 1
    """The physical line in the file where ``lines[0]`` stands (CSV cells start below the header)."""
    outside: Mapping[int, str] = field(default_factory=dict)
    """Lines that are page chrome by the page's own markup (an HTML page's navigation, header,
    footer, the blocks outside its main content): line number -> why.  The cleaner drops them
    and logs them under that rule."""


@dataclass(frozen=True)
class SourceLine:
    """A line of body text after cleaning, still tied to where it stood in the source."""

    number: int
    """1-based index into ``SourceDocument.lines``.  In order but not unique: the parts of a
    line the cleaner split (paragraphs glued on one line) share its number, and a line
    joined to the one before (a sentence broken over lines) goes on under that one's."""
    text: str
    """The normalized text (full-width punctuation in Chinese context, stray spaces collapsed)."""


@dataclass(frozen=True)
class RemovedLine:
    """An entry of the cleaning log: a line the cleaner dropped, or a repair it made to one."""

    number: int
    """1-based index into ``SourceDocument.lines``."""
    text: str
    """The line as it stood (normalized); for a repair, what it changed (:data:`REPAIR_RULES`)."""
    rule: str
    """Name of the rule that removed it, e.g. "site-banner", "footer", "duplicate", "config:<pattern>";
    or of the repair: "zero-width", "glued-paragraphs", "joined-line" (these remove no text)."""


@dataclass(frozen=True)
class CleanedDocument:
    source: SourceDocument
    lines: tuple[SourceLine, ...]
    """Body lines kept, in order; blank lines dropped."""
    removed: tuple[RemovedLine, ...]
    """The cleaning log, in source order: everything the cleaner dropped (chrome, duplicated
    bodies) and every repair it made (zero-width characters, glued paragraphs, joined lines)."""
    provenance: Mapping[str, str] = field(default_factory=dict)
    """What the chrome said that matters: page_title, source_url, scraped_at, site_category, site."""


@dataclass(frozen=True)
class Decision:
    """How one attribution field was decided: the candidate that carried it, and the others."""

    field: str
    """"kind", "genre", "issuer", "place", "year", "delivered", "session", "speaker" or "title"."""
    value: str
    """The value decided, as text ("2019", "江苏省苏州市", "government_work_report")."""
    source: str
    """Where the winning candidate came from, e.g. "delivery-line", "delegation", "session-addressed",
    "metadata:year", "heading", "clue:review-year", "derived"."""
    strength: str
    """STRONG, MEDIUM or WEAK."""
    text: str = ""
    """The words it rests on, as found (the delegation sentence, the metadata value, ...)."""
    against: tuple[str, ...] = ()
    """Candidates that said otherwise, as "source (strength): value"."""


@dataclass(frozen=True)
class Attribution:
    """Who issued a report, where and when, derived from the report's own text."""

    kind: str
    """GOVERNMENT_WORK_REPORT, NPC_STANDING_COMMITTEE_REPORT or OTHER_REPORT."""
    issuer: str
    """The issuing body, e.g. "苏州市人民政府", "淮安市人大常委会", "国务院"."""
    place: str
    """The place, as fully as known, e.g. "江苏省苏州市", "内蒙古自治区呼伦贝尔市海拉尔区", "全国"."""
    place_short: str
    """The place's own name without its parents, e.g. "苏州市", "海拉尔区"."""
    year: int | None
    """The year the report was delivered."""
    title: str
    """The correct title, e.g. "2020年苏州市政府工作报告"."""
    scraped_title: str
    """What the page (or the heading above the report) called it; "" when it named nothing."""
    title_note: str = ""
    """Why the derived title differs from the scraped one (a sentence in Chinese); "" when they agree."""
    delivered: str | None = None
    """ISO date of delivery, e.g. "2018-03-07"."""
    session: str | None = None
    """The session it was delivered at, e.g. "海拉尔区第十五届人民代表大会第二次会议"."""
    speaker: str | None = None
    """Office and name, e.g. "区长 杨国宏"."""
    evidence: tuple[str, ...] = ()
    """Short human-readable reasons for the attribution (which sentence named the issuer, ...)."""
    genre: str = GENRE_REPORT
    """What the document is: GENRE_REPORT, GENRE_RESOLUTION, ... (kind is OTHER_REPORT unless a report)."""
    review: str = ""
    """Why a person should check this attribution (conflicting evidence, none strong); "" when sound."""
    decisions: tuple[Decision, ...] = ()
    """Each field's decision with the evidence that carried it, in field order."""


@dataclass(frozen=True)
class ReportDraft:
    """One report cut out of a cleaned document, before structure detection."""

    attribution: Attribution
    title_lines: tuple[SourceLine, ...]
    """The lines that form the title in the text (letter-spaced or split titles included); may be empty."""
    preamble: tuple[SourceLine, ...]
    """Lines between title and body: the date/session subtitle, the speaker line."""
    body: tuple[SourceLine, ...]
    """Everything from the salutation (各位代表) or first body line to the report's end."""


@dataclass(frozen=True)
class Paragraph:
    id: str
    """Stable anchor: "p3" before the first heading, "s2-3-p4" inside section s2-3."""
    text: str
    """The paragraph's full text, the document's own numbering kept."""
    lead: str = ""
    """A bold lead-in: a prefix of ``text`` such as "一是聚焦民生改善。" or a short topic sentence; "" if none."""


@dataclass(frozen=True)
class Section:
    id: str
    """Stable anchor from the position in the structure: "s2", "s2-3", "s2-3-1"."""
    level: int
    """1 for the top level present in this report, 2 below it, ... (at most 4)."""
    title: str
    """The heading text with its numbering, e.g. "一、2019年工作回顾", "（一）加快发展"."""
    paragraphs: tuple[Paragraph, ...] = ()
    """Paragraphs directly under this heading, before its first child section."""
    children: tuple[Section, ...] = ()


@dataclass(frozen=True)
class Report:
    """A structured report: what the Markdown file holds, and what a page renders."""

    slug: str
    title: str
    kind: str
    issuer: str
    place: str
    year: int | None
    intro: tuple[Paragraph, ...]
    """Paragraphs before the first heading (各位代表：, the opening sentence, ...)."""
    sections: tuple[Section, ...]
    scraped_title: str = ""
    title_note: str = ""
    place_short: str = ""
    delivered: str | None = None
    session: str | None = None
    speaker: str | None = None
    preamble: tuple[str, ...] = ()
    """The subtitle/speaker lines as they stand in the text, shown under the title."""
    source_file: str = ""
    source_sha256: str = ""
    source_url: str = ""
    scraped_at: str = ""
    site_category: str = ""
    cleaning_log: tuple[RemovedLine, ...] = ()
    genre: str = GENRE_REPORT
    review: str = ""
    evidence: tuple[Decision, ...] = ()
    """Attribution.decisions: each field's decision and its evidence (front matter ``evidence:``)."""

    def all_sections(self) -> list[Section]:
        """Every section, depth first, in document order."""
        out: list[Section] = []

        def walk(sections: tuple[Section, ...]) -> None:
            for section in sections:
                out.append(section)
                walk(section.children)

        walk(self.sections)
        return out

    def all_paragraphs(self) -> list[Paragraph]:
        """Every paragraph in document order."""
        out = list(self.intro)

        def walk(sections: tuple[Section, ...]) -> None:
            for section in sections:
                out.extend(section.paragraphs)
                walk(section.children)

        walk(self.sections)
        return out


@dataclass(frozen=True)
class ReportFile:
    """A report's Markdown file in site_src/reports/ as read from disk (possibly hand-edited)."""

    path: str
    """Where it was read from, for error messages."""
    meta: Mapping[str, object]
    """The YAML front matter (keys: ``sitesrc.FRONT_MATTER``; cleaning_log is a list of {line, rule, text})."""
    body: str
    """The Markdown body after the front matter."""
    body_line: int
    """The 1-based line of the file where the body starts (to turn body line numbers into file line numbers)."""


class ReportHeader(Protocol):
    """What is known of a report file before its body is read: where it is, and its front matter.
    A :class:`ReportFile` is one; so is the build cache's record of a file it parsed before."""

    @property
    def path(self) -> str: ...

    @property
    def meta(self) -> Mapping[str, object]: ...
