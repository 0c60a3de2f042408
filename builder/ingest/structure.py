"""Pure: a report's body lines -> a tree of sections and paragraphs with stable ids.

Every character of every body line ends up in exactly one heading title or one
paragraph text, in order; numbering is never removed.  A line becomes

* a **heading** (``一、2019年工作回顾``; an unnumbered part heading such as
  ``2020年工作的主要任务``),
* a **heading plus a paragraph** when a numbered line carries a short title
  sentence and its body (``1.经济发展增实力。预计实现…``), or
* a **paragraph** (everything else, including numbered list items that are not
  sections: glossary entries ``1.“两重”：是指…``, 民生实事 items ending in
  ``（牵头单位：…）``, a ``1.``…``10.`` run restarting under a ``6.`` heading).

Levels follow the ladder part < ``一、`` < ``（一）`` < ``1.`` < ``（1）``,
compressed to the kinds that occur as headings in this report.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from builder.core.model import Paragraph, RemovedLine, Report, ReportDraft, Section, SourceLine

# Heading kinds, in ladder order.
PART, CN, CN_PAREN, NUM, NUM_PAREN = range(5)
MAX_LEVEL = 4

_CN_DIGITS = "零一二三四五六七八九十"
_CN = "一二三四五六七八九十"
_DIG = "0-9０-９"

_MARKERS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (CN, re.compile(rf"^([{_CN}]{{1,3}})、")),
    (CN_PAREN, re.compile(rf"^[（(]([{_CN}]{{1,3}})[）)]")),
    (NUM, re.compile(rf"^([{_DIG}]{{1,2}})(?:[.．](?![{_DIG}])|、)")),
    (NUM_PAREN, re.compile(rf"^[（(]([{_DIG}]{{1,2}})[）)]")),
)

#: Longest title sentence (marker included) split off a numbered line.
MAX_TITLE_SENTENCE = 40
#: ... when the line continues a numbered sequence (``（七）`` right after ``（六）``).
MAX_TITLE_SENTENCE_IN_SEQUENCE = 60
#: Longest numbered line without a sentence end that still counts as a bare title.
MAX_BARE_TITLE = 60
#: Longest unnumbered part heading.
MAX_PART_HEADING = 30
#: Longest topic sentence used as a bold lead-in.
MAX_TOPIC_LEAD = 16
#: Longest ``一是…。`` lead-in.
MAX_ORDINAL_LEAD = 50

_SENTENCE_END = re.compile(r"[。！？!?]")
_ORDINAL_LEAD = re.compile(rf"^[{_CN}]{{1,3}}是")
_ORDINAL_LEAD_END = re.compile(r"[。；]")
_GLOSSARY_ITEM = re.compile(r"^[“「《\"]?[^。！？，；：:\"]{1,20}?[”」》\"]?[：:]")
_LIST_ITEM = re.compile(r"[（(](?:牵头|责任|承办)单位[：:]")
_PART_FORBIDDEN = re.compile(r"[。！？；：!?;:，,]")
#: A part heading follows a finished sentence or another heading ...
_ENDS_SENTENCE = re.compile(r"[。！？；：!?;:…”’）)》]$")
#: ... and is followed by a new sentence, not the rest of its own (``主要目标`` / ``是：…``).
_CONTINUES = re.compile(r"^(?:[，。、；：！？”’）》,.;:!?)]|是[：:]|的)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_TOPIC_FORBIDDEN = re.compile(r"[，,：:；;！？!?]")
_TOPIC_END = re.compile(r"。")


def _number(text: str) -> int:
    """Value of a marker's numeral: ``三`` -> 3, ``十二`` -> 12, ``１２`` -> 12."""
    if text and text[0] in "0123456789０１２３４５６７８９":
        return int(text.translate(str.maketrans("０１２３４５６７８９", "0123456789")))
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN_DIGITS.index(tens) if tens else 1) * 10 + (_CN_DIGITS.index(units) if units else 0)
    return _CN_DIGITS.index(text) if len(text) == 1 and text in _CN_DIGITS else 0


def marker(text: str) -> tuple[int, int, int] | None:
    """(kind, number, end of marker) of a numbered line, or None."""
    for kind, pattern in _MARKERS:
        m = pattern.match(text)
        if m:
            return kind, _number(m.group(1)), m.end()
    return None


def split_numbered(text: str, marker_end: int, in_sequence: bool = False) -> tuple[str, str] | None:
    """(title, rest) when a numbered line is a heading, None when it stays a paragraph.

    ``in_sequence``: the line's number follows an open heading of the same kind, which
    allows a longer title sentence.
    """
    body = text[marker_end:]
    if not body.strip() or _LIST_ITEM.search(text) or _GLOSSARY_ITEM.match(body):
        return None
    m = _SENTENCE_END.search(body)
    if m is None:
        if len(text) <= MAX_BARE_TITLE and "；" not in text:
            return text, ""
        return None
    end = marker_end + m.end()
    limit = MAX_TITLE_SENTENCE_IN_SEQUENCE if in_sequence else MAX_TITLE_SENTENCE
    if end > limit + marker_end:
        return None
    return text[:end], text[end:]


def is_part_heading(text: str) -> bool:
    """A short unnumbered line without sentence punctuation, e.g. ``2019年的主要工作``."""
    stripped = text.strip()
    return (
        0 < len(stripped) <= MAX_PART_HEADING
        and not _PART_FORBIDDEN.search(stripped)
        and not stripped.endswith(("、", "的", "和", "与", "及"))
        and not stripped.startswith(("——", "—", "-", "（", "("))
        and not _ORDINAL_LEAD.match(stripped)
        and len(_CJK.findall(stripped)) >= 2
    )


def find_lead(text: str) -> str:
    """The bold lead-in of a paragraph: ``一是…。`` or a short opening topic sentence."""
    if _ORDINAL_LEAD.match(text):
        m = _ORDINAL_LEAD_END.search(text)
        if m and m.end() < len(text) and m.end() <= MAX_ORDINAL_LEAD:
            return text[: m.end()]
        return ""
    if marker(text):
        return ""
    start = 2 if text.startswith("——") else 0
    m = _TOPIC_END.search(text, start)
    if m is None or m.end() >= len(text) or not text[m.end():].strip():
        return ""
    sentence = text[start : m.end()]
    if 4 <= len(sentence) <= MAX_TOPIC_LEAD and not _TOPIC_FORBIDDEN.search(sentence):
        return text[: m.end()]
    return ""


# --- classification ---------------------------------------------------------------


@dataclass
class _Item:
    """One output block in document order: a heading (kind set) or a paragraph."""

    text: str
    kind: int | None = None  # heading kind, None for a paragraph


def classify(texts: Sequence[str]) -> list[_Item]:
    """Turn body line texts into a flat list of headings and paragraphs."""
    items: list[_Item] = []
    open_stack: list[tuple[int, int]] = []  # (kind, number) of open headings, outermost first
    run: tuple[int, int] | None = None  # (kind, next expected number) of a nested list run

    def open_heading(kind: int, number: int) -> None:
        while open_stack and open_stack[-1][0] >= kind:
            open_stack.pop()
        open_stack.append((kind, number))

    for i, text in enumerate(texts):
        if text == "":
            continue
        found = marker(text)
        if found:
            kind, number, end = found
            if run and run[0] == kind and run[1] == number:
                run = (kind, number + 1)
                items.append(_Item(text))
                continue
            in_sequence = any(k == kind and n == number - 1 for k, n in open_stack)
            split = split_numbered(text, end, in_sequence)
            if split and number == 1 and open_stack and open_stack[-1][0] == kind and open_stack[-1][1] >= 1:
                # A list restarting at 1 under a heading of its own kind: items, not sections.
                run = (kind, 2)
                items.append(_Item(text))
                continue
            if split:
                run = None
                title, rest = split
                open_heading(kind, number)
                items.append(_Item(title, kind))
                if rest:
                    items.append(_Item(rest))
                continue
            items.append(_Item(text))
            continue
        if _is_part_here(texts, i, items):
            run = None
            open_heading(PART, 0)
            items.append(_Item(text, PART))
            continue
        items.append(_Item(text))
    return items


def _is_part_here(texts: Sequence[str], i: int, items: Sequence[_Item]) -> bool:
    """Line i is a part heading: part-like, after a finished sentence or a heading, before body."""
    if not is_part_heading(texts[i]):
        return False
    following = next((t for t in texts[i + 1 :] if t.strip()), None)
    if following is None or _CONTINUES.match(following.strip()):
        return False
    return not (items and items[-1].kind is None and not _ENDS_SENTENCE.search(items[-1].text.rstrip()))


# --- tree building ----------------------------------------------------------------


@dataclass
class _Node:
    level: int
    title: str
    paragraphs: list[str] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)


def _paragraphs(prefix: str, texts: Sequence[str]) -> tuple[Paragraph, ...]:
    return tuple(Paragraph(id=f"{prefix}p{n}", text=t, lead=find_lead(t)) for n, t in enumerate(texts, 1))


def _freeze(nodes: Sequence[_Node], parent_id: str) -> tuple[Section, ...]:
    out = []
    for n, node in enumerate(nodes, 1):
        sid = f"{parent_id}-{n}" if parent_id else f"s{n}"
        out.append(
            Section(
                id=sid,
                level=node.level,
                title=node.title,
                paragraphs=_paragraphs(f"{sid}-", node.paragraphs),
                children=_freeze(node.children, sid),
            )
        )
    return tuple(out)


def build_tree(items: Sequence[_Item]) -> tuple[tuple[Paragraph, ...], tuple[Section, ...]]:
    """(intro, sections) from classified items, levels compressed to the kinds present."""
    headings = [item.kind for item in items if item.kind is not None]
    kinds = sorted(set(headings))
    appendix = bool(headings) and headings[0] != PART and PART in kinds
    if appendix:
        # Parts that only come after numbered sections (名词解释, 附件, 注释) are appendices:
        # siblings of the top numbered level, with any numbered headings after them nested inside.
        kinds.remove(PART)
    level_of = {kind: min(i + 1, MAX_LEVEL) for i, kind in enumerate(kinds)}
    if appendix:
        level_of[PART] = 1
    intro: list[str] = []
    roots: list[_Node] = []
    stack: list[_Node] = []
    in_appendix = False
    for item in items:
        if item.kind is None:
            (stack[-1].paragraphs if stack else intro).append(item.text)
            continue
        level = level_of[item.kind]
        if item.kind == PART:
            in_appendix = appendix
        elif in_appendix:
            level = min(level + 1, MAX_LEVEL)
        node = _Node(level, item.text)
        while stack and stack[-1].level >= node.level:
            stack.pop()
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    return _paragraphs("", intro), _freeze(roots, "")


def structure_lines(lines: Sequence[SourceLine]) -> tuple[tuple[Paragraph, ...], tuple[Section, ...]]:
    """(intro, sections) for a report's body lines."""
    return build_tree(classify([line.text for line in lines]))


def structure_report(
    draft: ReportDraft,
    slug: str,
    provenance: Mapping[str, str] = {},  # noqa: B006 - read only
    cleaning_log: Sequence[RemovedLine] = (),
) -> Report:
    """The structured report for ``draft``."""
    a = draft.attribution
    intro, sections = structure_lines(draft.body)
    return Report(
        slug=slug,
        title=a.title,
        kind=a.kind,
        issuer=a.issuer,
        place=a.place,
        year=a.year,
        intro=intro,
        sections=sections,
        scraped_title=a.scraped_title,
        title_note=a.title_note,
        place_short=a.place_short,
        delivered=a.delivered,
        session=a.session,
        speaker=a.speaker,
        preamble=tuple(line.text for line in draft.preamble),
        source_file=provenance.get("source_file", ""),
        source_sha256=provenance.get("source_sha256", ""),
        source_url=provenance.get("source_url", ""),
        scraped_at=provenance.get("scraped_at", ""),
        site_category=provenance.get("site_category", ""),
        cleaning_log=tuple(cleaning_log),
        genre=a.genre,
        review=a.review,
        evidence=a.decisions,
    )
