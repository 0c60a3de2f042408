"""A report's Markdown body -> its HTML, table of contents, summary, indicators and glossary terms.

The parser is ``sitesrc.markdown_parser()``'s configuration (CommonMark, no raw HTML, ``{#id}``
block attributes limited to id/class, bold lead-ins) plus the anchors and indicators plugins, and,
for a site with a glossary, the glossary linker.  The plugins hand their findings back through
markdown-it's ``env`` (see :class:`RenderedBody`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt

from builder.core import timings
from builder.core.config import GLOSSARY_LINK
from builder.glossary.pages import GLOSSARY_PAGE
from builder.glossary.terms import Glossary
from builder.indicators.extract import Indicator
from builder.mdit.anchors import anchors_plugin, plain_text
from builder.mdit.attrs import configure
from builder.mdit.glossary_links import glossary_links_plugin
from builder.mdit.indicators import indicators_plugin

#: Ids the page templates use themselves; a report body never gets them.
PAGE_IDS = ("page-main", "page-toc", "page-toc-heading", "page-provenance", "page-provenance-heading",
            "page-title", "page-title-note", "page-body",
            "page-glossary", "page-glossary-heading")  # the last two: glossary
SUMMARY_LENGTH = 80


@dataclass(frozen=True)
class RenderedBody:
    """A report body rendered, and what the plugins found in it."""

    html: str
    toc: list[dict[str, object]]
    """Every heading: {"id", "title", "level"}, in order (see :func:`toc_tree`)."""
    paragraph_count: int
    summary: str
    """The body's one-line summary (:func:`summarize`)."""
    indicators: tuple[Indicator, ...] = ()
    """The figures the indicators plugin wrapped in ``<data>``."""
    glossary_occurrences: tuple[Mapping[str, object], ...] = ()
    """Every glossary term occurrence: {"term", "anchor", "linked"}."""
    glossary_terms: tuple[str, ...] = ()
    """Ids of the glossary terms the body uses, in order of first use."""
    places: Mapping[str, str] = field(default_factory=dict)
    """The anchors of the glossary occurrences -> where they are, for a reader (:func:`place_labels`)."""


def _new_parser() -> MarkdownIt:
    return (configure(MarkdownIt("commonmark", {"html": False})).use(anchors_plugin, reserved_ids=PAGE_IDS)
            .use(indicators_plugin))


@lru_cache(maxsize=1)
def page_parser() -> MarkdownIt:
    """The parser of report bodies on a site without a glossary (built once)."""
    return _new_parser()


@lru_cache(maxsize=4)
def glossary_parser(glossary: Glossary, policy: str) -> MarkdownIt:
    """:func:`page_parser` plus the glossary linker (term links point to ../glossary/)."""
    return _new_parser().use(glossary_links_plugin, glossary=glossary, policy=policy, href="../" + GLOSSARY_PAGE)


def render_markdown(body: str, *, report_year: int | None = None, report: str = "",
                    glossary: Glossary | None = None, glossary_link: str = GLOSSARY_LINK) -> RenderedBody:
    """A report body -> its HTML, TOC, paragraph count, one-line summary and indicators."""
    with timings.phase("analysis"):
        return _render_markdown(body, report_year, report, glossary, glossary_link)


def _render_markdown(body: str, report_year: int | None, report: str, glossary: Glossary | None,
                     glossary_link: str) -> RenderedBody:
    md = glossary_parser(glossary, glossary_link) if glossary is not None else page_parser()
    env: dict[str, Any] = {"report_year": report_year, "report": report}  # the plugins' findings come back in it
    tokens = md.parse(body, env)
    html = md.renderer.render(tokens, md.options, env)
    paragraphs = (  # read only as far as summarize needs
        plain_text(tokens[i + 1])
        for i, token in enumerate(tokens)
        if token.type == "paragraph_open" and i + 1 < len(tokens) and tokens[i + 1].type == "inline"
    )
    occurrences = tuple(env.get("glossary_occurrences", ()))
    return RenderedBody(
        html=html,
        toc=list(env.get("toc", [])),
        paragraph_count=int(env.get("paragraph_count", 0)),
        summary=summarize(paragraphs),
        indicators=tuple(env.get("indicators", ())),
        glossary_occurrences=occurrences,
        glossary_terms=tuple(env.get("glossary_terms", ())),
        places=place_labels(tokens, env.get("toc", ()), {str(o["anchor"]) for o in occurrences}),
    )


#: Where a paragraph before the first heading is.
OPENING = "开头"


def place_labels(tokens: Sequence[Any], toc: Iterable[Mapping[str, object]], wanted: set[str]) -> dict[str, str]:
    """Each of the ``wanted`` block ids -> its place as a reader names it: a heading's title, or
    the title of the heading above a paragraph and the paragraph's number under it
    ("一、2019年工作回顾 · 第4段"; before any heading "开头 · 第2段")."""
    if not wanted:
        return {}
    titles = {str(item["id"]): str(item["title"]) for item in toc}
    labels: dict[str, str] = {}
    section, number = OPENING, 0
    for token in tokens:
        anchor = token.attrGet("id") if token.type in ("heading_open", "paragraph_open") else None
        if token.type == "heading_open":
            section = (titles.get(str(anchor)) or section).rstrip("。；;. ") or section
            number = 0
            if anchor in wanted:
                labels[str(anchor)] = section
        elif token.type == "paragraph_open" and not token.hidden:
            number += 1
            if anchor in wanted:
                labels[str(anchor)] = f"{section} · 第{number}段"
    return labels


#: Paragraphs that open a report without saying anything about it.
_BOILERPLATE = ("请予审议", "请予以审议", "提出意见", "向大会报告", "作工作报告")
# A salutation ("各位代表，各位委员："): forms of address, no sentence of its own, ending in a colon.
_SALUTATION = re.compile(r"(?:各位|同志|代表|委员|朋友|人员|女士|先生|来宾)[^。！？；]{0,40}[：:]$")


def _is_salutation(text: str) -> bool:
    return len(text) <= 40 and bool(_SALUTATION.search(text)) and not re.search("[。！？；]", text)


def summarize(paragraphs: Iterable[str], length: int = SUMMARY_LENGTH) -> str:
    """The first sentence of the first substantial paragraph (not the salutation, not the
    "I report on behalf of ..." formula; an opening paragraph that leads into a list with a colon
    counts), at most ``length`` characters; read in one pass, only
    as far as that paragraph."""
    chosen = ""
    first = None  # without a substantial paragraph: the first that is not empty
    for raw in paragraphs:
        if first is None and raw.strip():
            first = raw.replace("¶", "").strip()
        text = re.sub(r"\s+", " ", raw.replace("¶", "").replace("**", "")).strip()
        if (len(text) < 12 or _is_salutation(text) or text.startswith(("—", "-"))
                or any(b in text for b in _BOILERPLATE)):
            continue
        chosen = text
        break
    if not chosen:
        chosen = first or ""
    match = re.match(r".+?[。！？；]", chosen)
    sentence = match.group(0) if match else chosen
    if len(sentence) > length:
        sentence = sentence[: length - 1].rstrip() + "…"
    return sentence


def toc_tree(toc: Sequence[Mapping[str, object]]) -> list[dict[str, object]]:
    """A flat TOC (id, title, level) -> nested nodes with ``children``; a level jump nests
    under the nearest shallower heading."""
    root: list[dict[str, object]] = []
    stack: list[tuple[int, list[dict[str, object]]]] = [(0, root)]
    for item in toc:
        level = int(str(item["level"]))
        children: list[dict[str, object]] = []
        node = {"id": item["id"], "title": item["title"], "level": level, "children": children}
        while stack[-1][0] >= level:
            stack.pop()
        stack[-1][1].append(node)
        stack.append((level, children))
    return root
