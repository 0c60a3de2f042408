"""Cut a cleaned page into documents (mostly reports), each attributed from its own text.

A page may hold several reports glued together, under headings that can be wrong.  A
report starts at its *opening*: the salutation (各位代表：) and/or the delegation sentence
(我代表…人民政府，向大会报告工作 / 我受…委托… / 根据…的决定… / 国务院向…提出…议案),
together with the lines just above it that belong to it (title, subtitle/date/session line,
speaker line).  It runs to the next report's start.  A page without an opening but with a
report-like title is one document under that title; any other page is one document as it
stands (a resolution, a news item, a speech, or something nothing identifies).  Every page
yields at least one document and every line lands in exactly one.

All matching looks at the lines' simplified shadows (``builder.text.shadow``); the drafts
keep the lines as published.  What each document is, and who issued it where and when, is
``builder.ingest.attribution``'s business.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from builder.core.errors import InputError
from builder.core.model import (
    GENRE_EXPLANATION,
    GENRE_NEWS,
    GENRE_RESOLUTION,
    GENRE_SPEECH,
    GENRE_UNKNOWN,
    GOVERNMENT_WORK_REPORT,
    NPC_STANDING_COMMITTEE_REPORT,
    OTHER_REPORT,
    Attribution,
    CleanedDocument,
    ReportDraft,
    SourceLine,
)
from builder.ingest import lines as ln
from builder.ingest.attribution import Document, attribute
from builder.text import places
from builder.text.shadow import shadow_lines

EMPTY_MESSAGE = "no text left after cleaning"

# Line kinds, for finding the lines above an opening that belong to it.
_TITLE, _YEAR, _SUBTITLE, _SPEAKER, _SKIP, _STOP = "title", "year", "subtitle", "speaker", "skip", "stop"
_NOT_HEADING_RE = re.compile(r"[>›|｜/]|^(?:首页|当前位置|您的位置)")


# --------------------------------------------------------------------------- line kinds


def _line_kind(text: str, next_kind: str | None) -> str:
    compact = ln.compact(text)
    if ln.is_salutation(text):
        return _STOP
    if ln.YEAR_ONLY_RE.match(compact):
        return _YEAR if next_kind == _TITLE else _SKIP
    if ln.is_title(text) or ln.is_document_heading(text):
        return _TITLE
    if ln.is_subtitle(text):
        return _SUBTITLE
    if ln.speaker(text):
        return _SPEAKER
    if (len(compact) <= 40 and compact[-1:] not in ln.SENTENCE_END) or (
        len(compact) <= 8 and compact[-1:] in "：:") or (len(compact) <= 100 and compact.endswith("摄")):
        return _SKIP
    return _STOP


# --------------------------------------------------------------------------- cutting


def _head_start(lines: Sequence[SourceLine], anchor: int, lower: int) -> int:
    """The first line of the report whose body starts at ``anchor``: the topmost of the
    title/subtitle/speaker lines just above it.  Short unknown lines (captions, 来源：…) may
    stand between them; a long sentence stops the search."""
    head = anchor
    skipped = 0
    i = anchor - 1
    next_kind: str | None = None
    while i >= lower and anchor - i <= 20:
        kind = _line_kind(lines[i].text, next_kind)
        if kind in (_TITLE, _YEAR, _SUBTITLE, _SPEAKER):
            head = i
            skipped = 0
        elif kind == _SKIP:
            skipped += 1
            if skipped > 8:
                break
        else:
            break
        next_kind = kind
        i -= 1
    return head


def _anchors(lines: Sequence[SourceLine]) -> list[int]:
    """Indexes where report bodies start (salutation or delegation line)."""
    anchors: set[int] = set()
    for i in range(len(lines)):
        if _opens_report(lines, i):
            start = i
            # the salutation may stand a line or two above (各位代表： / a first paragraph / 国务院决定由我…)
            for j in (i - 1, i - 2):
                if j >= 0 and ln.is_salutation(lines[j].text) and not any(k in anchors for k in range(j, i)):
                    start = j
                    break
            anchors.add(start)
    anchors.update(_resolutions(lines))
    for i, line in enumerate(lines):
        if ln.is_salutation(line.text) and i not in anchors and (i + 1) not in anchors and (i - 1) not in anchors:
            if any(a in anchors for a in range(i + 1, i + 3)):
                continue
            # A bare salutation opens a report only under a title or subtitle.
            if _head_start(lines, i, 0) < i:
                anchors.add(i)
    return sorted(anchors)


def _resolutions(lines: Sequence[SourceLine]) -> list[int]:
    """Where resolutions glued to a page start: the line after a resolution's heading and its
    adoption line (关于政府工作报告的决议 / （…会议通过）), so that one stands as its own document."""
    return [i + 1 for i in range(1, len(lines) - 1)
            if ln.is_adoption_line(lines[i].text) and ln.is_document_heading(lines[i - 1].text)
            and re.search(r"(?:决议|决定)$", ln.title_part(ln.compact(lines[i - 1].text)))]


def _opens_report(lines: Sequence[SourceLine], i: int) -> bool:
    """A delegation sentence in line ``i`` that opens a report: the usual forms anywhere in the
    line; the forms that also describe other things (根据…的决定, …决定由我, …提出…议案) only
    at the top of the page, under a salutation or right under a title, subtitle or speaker line."""
    match = ln.delegation(lines[i].text, opening=True)
    if not match:
        return False
    if match.re is ln.delegation_forms()[0] or match.re is ln.delegation_forms()[1]:
        return True
    if i == 0 or any(ln.is_salutation(lines[j].text) for j in range(max(0, i - 2), i)):
        return True
    return _line_kind(lines[i - 1].text, None) in (_TITLE, _SUBTITLE, _SPEAKER)


def _signature(lines: Sequence[SourceLine], body_start: int, end: int) -> tuple[str, ...]:
    """The first three body lines after the salutation, to recognise a repeated copy."""
    i = body_start
    if i < end and ln.is_salutation(lines[i].text):
        i += 1
    texts = [ln.compact(line.text) for line in lines[i: min(end, i + 3)]]
    if texts:
        texts[0] = ln.SALUTATION_PREFIX_RE.sub("", texts[0])
    return tuple(texts)


@dataclass
class _Cut:
    head: int
    anchor: int
    end: int
    extra_body: list[SourceLine]
    whole: bool = False
    """A page without any report opening or title, taken as one document under its first line."""


def _cuts(lines: Sequence[SourceLine]) -> list[_Cut]:
    anchors = _anchors(lines)
    if not anchors:
        return []
    cuts: list[_Cut] = []
    lower = 0
    for anchor in anchors:
        head = _head_start(lines, anchor, lower)
        if cuts:
            cuts[-1].end = head
        cuts.append(_Cut(head, anchor, len(lines), []))
        lower = anchor + 1
    # A report whose opening lines repeat an earlier one's is a glued copy, not a new report.
    merged: list[_Cut] = []
    for cut in cuts:
        sig = _signature(lines, cut.anchor, cut.end)
        duplicate = any(
            sig and _signature(lines, other.anchor, other.end)[: len(sig)] == sig for other in merged
        )
        if duplicate and merged:
            merged[-1].extra_body.extend(lines[cut.head: cut.end])
        else:
            merged.append(cut)
    return merged


def _titled_page(lines: Sequence[SourceLine]) -> _Cut | None:
    """A page without an opening: one report under its first title or subtitle line."""
    kinds: list[str] = []  # each line's kind, read only as far as the head needs

    def kind(i: int) -> str:
        while len(kinds) <= i:
            n = len(kinds)
            next_kind = _TITLE if n + 1 < len(lines) and ln.is_title(lines[n + 1].text) else None
            kinds.append(_line_kind(lines[n].text, next_kind))
        return kinds[i]

    for i in range(len(lines)):
        if kind(i) in (_TITLE, _YEAR, _SUBTITLE):
            j = i
            while j < len(lines) and kind(j) in (_TITLE, _YEAR, _SUBTITLE, _SPEAKER):
                j += 1
            if _han_at_least(lines[j:], 100):
                return _Cut(i, j, len(lines), [])
            return None
    return None


_HAN_RE = re.compile(r"[\u4e00-\u9fff]")


def _han_at_least(lines: Sequence[SourceLine], count: int) -> bool:
    """Whether ``lines`` hold at least ``count`` Chinese characters (read only until they do)."""
    for line in lines:
        count -= len(_HAN_RE.findall(line.text))
        if count <= 0:
            return True
    return count <= 0


def _looks_like_heading(text: str) -> bool:
    """A document's own heading on its first line: 关于…的决议, 在…上的讲话, a news headline."""
    compact = ln.compact(text)
    if ln.is_subtitle(text) or ln.speaker(text) or ln.is_salutation(text):
        return False
    if ln.is_title(text) or ln.is_document_heading(text):
        return True
    cjk = len(re.findall(r"[\u4e00-\u9fff]", compact))
    return (
        4 <= len(compact) <= 40
        and compact[-1] not in ln.SENTENCE_END + "。！？"
        and cjk >= 0.75 * len(compact)
        and not ln.is_salutation(text)
        and not _NOT_HEADING_RE.search(compact)
    )


def _whole_page(lines: Sequence[SourceLine]) -> _Cut:
    """A page no report opening or report title explains: one document as it stands, under
    its first line when that is a heading, with the date/session/speaker lines below it."""
    if len(lines) < 2 or not _looks_like_heading(lines[0].text):
        return _Cut(0, 0, len(lines), [], whole=True)
    j = 1
    while j < min(len(lines) - 1, 4) and _is_head_line(lines[j].text):
        j += 1
    return _Cut(0, j, len(lines), [], whole=True)


def _is_head_line(text: str) -> bool:
    """A line under a heading that belongs to the head: a date or adoption line, a session
    subtitle, a speaker."""
    compact = ln.ascii_digits(ln.compact(text))
    if ln.is_subtitle(text) or ln.speaker(text):
        return True
    return len(compact) <= 60 and compact.startswith(("（", "(")) and bool(ln.DATE_RE.search(compact))


def split_document(doc: CleanedDocument) -> list[ReportDraft]:
    """Cut ``doc`` into documents, each with its attribution.

    Every line lands in exactly one draft: lines above the first report's title go to its
    preamble, the tail of the page to the last report's body.  A page without any report
    opening or report title is one document (see ``attribution``: a resolution, a news
    item, a speech, or genre "unknown" with ``review`` set).

    Raises InputError only when the cleaner left no line at all.
    """
    published = doc.lines
    if not published:
        raise InputError(EMPTY_MESSAGE, path=doc.source.path)
    lines = tuple(SourceLine(line.number, text)
                  for line, text in zip(published, shadow_lines([line.text for line in published]), strict=True))
    cuts = _cuts(lines) or [_titled_page(lines) or _whole_page(lines)]
    metadata: dict[str, str] = dict(doc.source.metadata) if len(cuts) == 1 else {}
    if len(cuts) == 1 and doc.provenance.get("page_title") and "page_title" not in metadata:
        metadata["page_title"] = doc.provenance["page_title"]  # a heading the cleaner took for the page's
    datelines = tuple(removed.text for removed in doc.removed if removed.rule == "dateline")
    # shadow line -> published line (not by number: the parts of a split source line share theirs)
    original = dict(zip(lines, published, strict=True))
    drafts = []
    for n, cut in enumerate(cuts):
        head_lines = lines[cut.head: cut.anchor]
        title_idx = _title_indexes(head_lines, loose=cut.whole)
        title_lines = tuple(line for k, line in enumerate(head_lines) if k in title_idx)
        preamble = tuple(line for k, line in enumerate(head_lines) if k not in title_idx)
        if n == 0:
            preamble = tuple(lines[: cut.head]) + preamble
        body = tuple(lines[cut.anchor: cut.end]) + tuple(cut.extra_body)
        body = tuple(sorted(body, key=lambda line: line.number))
        head = sorted((*title_lines, *preamble), key=lambda line: line.number)
        heading = scraped_title_of(head, original, loose=cut.whole)
        attribution = attribute(Document(
            head=tuple(line.text for line in head), body=tuple(line.text for line in body),
            heading=heading, metadata=metadata, dropped=datelines if n == 0 else (),
        ))

        def originals(part: Sequence[SourceLine]) -> tuple[SourceLine, ...]:
            return tuple(original[line] for line in part)

        drafts.append(ReportDraft(attribution, originals(title_lines), originals(preamble), originals(body)))
    return drafts


def _title_indexes(head: Sequence[SourceLine], *, loose: bool = False) -> set[int]:
    """The document's own title: the title line nearest the opening (with a "2019年" line
    above it).  Page headings further up, and title+subtitle lines, stay in the preamble so
    that their text is kept.  ``loose``: a page taken whole, whose first line may be any heading."""
    for k in reversed(range(len(head))):
        text = head[k].text
        if ln.is_title(text) or ln.is_document_heading(text) or (loose and k == 0 and _looks_like_heading(text)):
            if not ln.is_pure_title(text) and ln.is_title(text):
                return set()
            if k > 0 and ln.YEAR_ONLY_RE.match(ln.compact(head[k - 1].text)):
                return {k - 1, k}
            return {k}
    return set()


def scraped_title_of(lines: Sequence[SourceLine], published: Mapping[SourceLine, SourceLine] | None = None, *,
                     loose: bool = False) -> str:
    """What the page calls the document: the title line nearest the opening, letter-spacing
    removed, a "2019年" line above it joined on; as published when ``published`` (shadow
    line -> published line) is given.  ``lines`` are the title and preamble lines (their
    shadows) in page order."""

    def text_of(line: SourceLine) -> str:
        return published[line].text if published and line in published else line.text

    for k in reversed(range(len(lines))):
        text = lines[k].text
        if ln.is_title(text) or ln.is_document_heading(text) or (loose and k == 0 and _looks_like_heading(text)):
            title = ln.title_part(ln.compact(text_of(lines[k])))
            if k > 0 and ln.YEAR_ONLY_RE.match(ln.compact(lines[k - 1].text)):
                title = ln.compact(text_of(lines[k - 1])) + title
            return title
    return ""


# --------------------------------------------------------------------------- slugs

_KIND_CODES = {GOVERNMENT_WORK_REPORT: "zfgzbg", NPC_STANDING_COMMITTEE_REPORT: "rdcwhgzbg", OTHER_REPORT: "report"}
_GENRE_CODES = {GENRE_RESOLUTION: "jueyi", GENRE_EXPLANATION: "shuoming", GENRE_NEWS: "xinwen",
                GENRE_SPEECH: "jianghua", GENRE_UNKNOWN: "wenjian"}


def make_slug(attribution: Attribution, taken: set[str]) -> str:
    """``{year}-{place pinyin}-{kindcode}``, e.g. 2020-suzhou-zfgzbg; -2, -3 … when taken.

    Parts that are unknown are left out.  Does not add the result to ``taken``.
    """
    parts = []
    if attribution.year:
        parts.append(str(attribution.year))
    place = attribution.place_short or attribution.place
    if place:
        romanized = places.place_pinyin(place)
        if romanized:
            parts.append(romanized)
    parts.append(_GENRE_CODES.get(attribution.genre) or _KIND_CODES.get(attribution.kind, "report"))
    base = re.sub(r"[^a-z0-9-]", "", "-".join(parts).lower()) or "report"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug
