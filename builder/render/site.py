"""Render report Markdown files (site_src/reports/*.md) into a static site.

``render_site`` renders every page (Markdown -> HTML with the anchors plugin, then Jinja2
with autoescape on), validates each page (``check_text_kept``) and writes it at once into a
temporary folder next to the output folder; only when every page succeeded is that folder
swapped in by two renames (or, incremental, its changed files moved over).  A failed build
leaves the previous output untouched.

Layout of the output (every internal URL is relative, so the site works at a domain root,
under a sub-path and from ``file://``)::

    index.html                  every report, by year, place, title
    reports/<slug>.html         one page per report
    assets/style.css            the stylesheet (everything in templates/static/)
    data/reports.json           machine-readable index
    indicators/index.html       targets vs results, reports with their counts (all rows on small sites)
    indicators/<slug>.html      one report's indicators

Output is deterministic: two renders of the same input give identical bytes.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import re
import shutil
import tempfile
import uuid
import weakref
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from builder.build.cache import sha256
from builder.core.config import BUNDLED_TEMPLATES, PDF_DIR
from builder.core.errors import OutputError, SourceError, TextLossError
from builder.mdit.anchors import anchors_plugin, plain_text
from builder.mdit.attrs import configure
from builder.mdit.indicators import indicators_plugin
from builder.indicators import extract as _ind
from builder.core import jsonout as _jsonout  # json.dumps(indent=...) without the slow path
from builder.core.model import KIND_LABELS, OTHER_REPORT, ReportFile
from builder.glossary import pages as _gls
from builder.glossary.terms import Glossary
from builder.mdit.glossary_links import DEFAULT_POLICY, glossary_links_plugin

#: Ids the page templates use themselves; a report body never gets them.
PAGE_IDS = ("page-main", "page-toc", "page-toc-heading", "page-provenance", "page-provenance-heading",
            "page-title", "page-title-note", "page-body",
            "page-glossary", "page-glossary-heading")  # the last two: glossary

SLUG_RE = re.compile(r"[a-z0-9-]+")
SUMMARY_LENGTH = 80

INDEX_TEMPLATE = "index.html"
REPORT_TEMPLATE = "report.html"
INDICATORS_TEMPLATE = "indicators.html"
INDICATORS_REPORT_TEMPLATE = "indicators_report.html"  # one report's indicators: indicators/<slug>.html
INDICATOR_TABLE_PARTIAL = "_indicator_table.html"
INDICATOR_ROWS_PARTIAL = "_indicator_rows.html"
#: Default of ``indicators.full_table_max``: up to this many indicators site-wide, the indicators
#: page also lists every one of them; above, only each report's own indicators page does.
FULL_TABLE_MAX = 3000
NOT_FOUND_TEMPLATE = "404.html"
STATIC_DIR = "static"


@dataclass(frozen=True)
class ReportPage:
    """One rendered report page."""

    slug: str
    url: str
    """Relative to the site root, e.g. "reports/2020-suzhou-gwr.html"."""
    title: str
    source: str
    """The Markdown file it was rendered from."""
    paragraph_count: int


@dataclass(frozen=True)
class RenderResult:
    out_dir: Path
    files: tuple[str, ...]
    """Every file written, relative to ``out_dir`` with "/" separators, sorted."""
    reports: tuple[ReportPage, ...]
    """Report pages in index order."""

    @property
    def pages_written(self) -> int:
        """HTML pages written (the index, the indicators page and one per report)."""
        return sum(1 for name in self.files if name.endswith(".html"))


# --------------------------------------------------------------------------- Markdown


@lru_cache(maxsize=1)
def _markdown_parser() -> MarkdownIt:
    """The Markdown parser for pages: exactly ``sitesrc.markdown_parser()`` (CommonMark, no raw
    HTML, ``{#id}`` block attributes limited to id/class, bold lead-ins) plus the anchors plugin.

    The one seam to ``builder.sitesrc``; a separate instance, so the shared parser is not changed.
    """
    return (configure(MarkdownIt("commonmark", {"html": False})).use(anchors_plugin, reserved_ids=PAGE_IDS)
            .use(indicators_plugin))


@dataclass(frozen=True)
class _Body:
    html: str
    toc: list[dict[str, object]]
    paragraph_count: int
    summary: str
    indicators: tuple = ()
    """The figures the indicators plugin wrapped in ``<data>`` (builder.indicators.extract.Indicator)."""
    glossary_occurrences: tuple = ()
    """Every glossary term occurrence: {"term", "anchor", "linked"}."""
    glossary_terms: tuple = ()
    """Ids of the glossary terms the body uses, in order of first use."""


@lru_cache(maxsize=4)
def _glossary_parser(glossary: Glossary, policy: str) -> MarkdownIt:
    """``_markdown_parser()`` plus the glossary linker (term links point to ../glossary/)."""
    return _markdown_parser.__wrapped__().use(
        glossary_links_plugin, glossary=glossary, policy=policy, href="../" + _gls.GLOSSARY_PAGE)


def render_markdown(body: str, *, report_year: int | None = None, report: str = "",
                    glossary: Glossary | None = None, glossary_link: str = DEFAULT_POLICY) -> _Body:
    """A report body -> its HTML, TOC, paragraph count, one-line summary and indicators."""
    md = _glossary_parser(glossary, glossary_link) if glossary is not None else _markdown_parser()
    env: dict[str, object] = {"report_year": report_year, "report": report}
    tokens = md.parse(body, env)
    html = md.renderer.render(tokens, md.options, env)
    paragraphs = (  # read only as far as summarize needs
        plain_text(tokens[i + 1])
        for i, token in enumerate(tokens)
        if token.type == "paragraph_open" and i + 1 < len(tokens) and tokens[i + 1].type == "inline"
    )
    return _Body(
        html=html,
        toc=list(env.get("toc", [])),  # type: ignore[arg-type]
        paragraph_count=int(env.get("paragraph_count", 0)),  # type: ignore[arg-type]
        summary=summarize(paragraphs),
        indicators=tuple(env.get("indicators", ())),  # type: ignore[arg-type]
        glossary_occurrences=tuple(env.get("glossary_occurrences", ())),  # type: ignore[arg-type]
        glossary_terms=tuple(env.get("glossary_terms", ())),  # type: ignore[arg-type]
    )


#: Paragraphs that open a report without saying anything about it.
_BOILERPLATE = ("请予审议", "请予以审议", "提出意见", "向大会报告", "作工作报告")


def summarize(paragraphs: Iterable[str], length: int = SUMMARY_LENGTH) -> str:
    """The first sentence of the first substantial paragraph (not the salutation, not the
    "I report on behalf of ..." formula), at most ``length`` characters; read in one pass, only
    as far as that paragraph."""
    chosen = ""
    first = None  # without a substantial paragraph: the first that is not empty
    for raw in paragraphs:
        if first is None and raw.strip():
            first = raw.replace("¶", "").strip()
        text = re.sub(r"\s+", " ", raw.replace("¶", "").replace("**", "")).strip()
        if (len(text) < 12 or text.endswith(("：", ":")) or text.startswith(("—", "-"))
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
        level = int(item["level"])  # type: ignore[arg-type]
        node = {"id": item["id"], "title": item["title"], "level": level, "children": []}
        while stack[-1][0] >= level:
            stack.pop()
        stack[-1][1].append(node)
        stack.append((level, node["children"]))  # type: ignore[arg-type]
    return root


# --------------------------------------------------------------------------- text-loss check

_ATTRS_LINE = re.compile(r"^\s*\{[^{}]*\}\s*$")
_SKIP_LINE = re.compile(r"^\s{0,3}(=+|-+|(\*\s*){3,}|(-\s*){3,}|(_\s*){3,}|`{3,}.*|~{3,}.*)\s*$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(?=\s|$)")
_HEADING_CLOSE = re.compile(r"\s+#+\s*$")
_CONTAINER = re.compile(r"^\s*(?:>\s?|[-+*]\s+|\d{1,9}[.)]\s+)+")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto|ftp):[^\s<>]*)>", re.IGNORECASE)
#: A backslash escape or a character reference, read left to right in one pass
#: (``\&amp;`` is a literal "&amp;", ``&#92;*`` a backslash and a star).
_ESCAPE_OR_ENTITY = re.compile(r"\\([!-/:-@\[-`{-~])|(&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});)")
#: A sentence: up to and with 。！？； (or the end of the line).
_SENTENCE = re.compile(r"[^。！？；]*[。！？；]|[^。！？；]+")
#: Characters ignored on both sides: whitespace and emphasis/code markers (which CommonMark
#: may or may not turn into tags, e.g. ``**…。**`` before a CJK character stays literal).
_IGNORED = re.compile(r"[\s*_`]+")


def _squeeze(text: str) -> str:
    """``_IGNORED.sub("", text)``, several times faster (``str.split`` splits at exactly the
    characters ``\\s`` matches)."""
    return "".join(text.split()).replace("*", "").replace("_", "").replace("`", "")


_WORD = re.compile(r"\w")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def body_sentences(body: str) -> list[tuple[int, str]]:
    """The sentences of a Markdown body, Markdown syntax stripped: (0-based body line, text).

    Sentences end at 。！？； and at line ends; whitespace and emphasis markers are dropped.
    """
    out: list[tuple[int, str]] = []
    for index, line in enumerate(_LINE_BREAK.split(body)):
        # the line-start patterns below only apply when the line starts with one of their characters
        first = line.lstrip()[:1]
        if not first or first == "{" and _ATTRS_LINE.match(line):
            continue
        if first in "=-*_`~" and _SKIP_LINE.match(line):
            continue
        if first == "#" and _HEADING.match(line):
            line = _HEADING_CLOSE.sub("", _HEADING.sub("", line))
            first = line.lstrip()[:1]
        if first in ">-+*" or first.isdecimal():  # (what \d matches)
            line = _CONTAINER.sub("", line)
        if "](" in line:
            line = _LINK.sub(r"\1", line)
        if "<" in line:
            line = _AUTOLINK.sub(r"\1", line)
        if "\\" in line or "&" in line:
            line = _ESCAPE_OR_ENTITY.sub(_unescape_markdown, line)
        if line.endswith("\\"):
            line = line[:-1]  # a hard line break
        # dropping the ignored characters first changes no sentence (they never end one)
        out.extend((index, sentence) for sentence in _SENTENCE.findall(_squeeze(line)) if _WORD.search(sentence))
    return out


def _unescape_markdown(match: re.Match[str]) -> str:
    import html as _html

    return match.group(1) or _html.unescape(match.group(2))


def _all_in(sentences: Sequence[tuple[int, str]], text: str) -> bool:
    """Whether every sentence stands somewhere in ``text`` (looked for after the previous one
    first: they are in order, so the whole check reads ``text`` about once)."""
    pos = 0
    for _, sentence in sentences:
        at = text.find(sentence, pos)
        if at >= 0:
            pos = at + len(sentence)
        elif sentence not in text:
            return False
    return True


def check_text_kept(report: ReportFile, html: str, body_html: str | None = None) -> None:
    """Raise TextLossError unless every sentence of the report's body is in the page's body.

    The page's body is ``<article>``'s ``.report-body`` element (the whole ``<article>`` when
    there is none), compared with whitespace and emphasis markers removed.

    Fast paths, with regular expressions instead of an HTML parser: when ``body_html`` (the
    rendered Markdown) is given and the page holds it inside that element, only its own text is
    read (:func:`_embedded_body_text`: what the template adds around it cannot matter); else
    the element is found and its tags stripped (:func:`fast_body_text`).  Only when neither
    finds every sentence is the page parsed with BeautifulSoup
    (:func:`_check_text_kept_parsed`), which decides and names the lost sentence.  So a
    failure is always confirmed by the parser.
    """
    sentences = body_sentences(report.body)
    if body_html is not None:
        text = _embedded_body_text(html, body_html)
        if text is not None and _all_in(sentences, _squeeze(text)):
            return
    text = fast_body_text(html)
    if text is not None and _all_in(sentences, _squeeze(text)):
        return
    _check_text_kept_parsed(report, html)


#: What may stand between a tag's name and its ">": any character but ">" and quotes, and
#: quoted values (which may hold ">"); written as an unrolled loop, which the regex engine
#: runs several times faster than ``(?:[^>"']|"[^"]*"|'[^']*')*`` (the same strings).
_TAG_REST = r"""[^>"']*(?:(?:"[^"]*"|'[^']*')[^>"']*)*"""
#: A start, end, comment or declaration tag (quoted attribute values may hold ">").
_ANY_TAG = re.compile(r"<[a-zA-Z/!?]" + _TAG_REST + ">")
_HIDDEN = re.compile(r"<!--.*?-->|<(script|style|template)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_NAMED_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)(" + _TAG_REST + ")>")
_CLASS_ATTR = re.compile(r"""(?:^|\s)class\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.I)
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


def _element_end(html: str, name: str, start: int) -> int | None:
    """Where the element opened just before ``start`` closes (the index of its end tag)."""
    depth = 1
    for match in _NAMED_TAG.finditer(html, start):
        if match.group(2).lower() != name:
            continue
        if match.group(1):
            depth -= 1
            if depth == 0:
                return match.start()
        elif not match.group(3).rstrip().endswith("/"):
            depth += 1
    return None


def fast_body_text(html: str) -> str | None:
    """The text of ``article .report-body`` (else the first ``<article>``), tags stripped and
    character references decoded, without parsing the page; None when the scope cannot be told
    this way (no article, no report-body in the first one, an unclosed element)."""
    import html as _html

    article = next((m for m in _NAMED_TAG.finditer(html) if not m.group(1) and m.group(2).lower() == "article"),
                   None)
    if article is None:
        return None
    article_end = _element_end(html, "article", article.end())
    if article_end is None:
        return None
    start, end = article.end(), article_end
    for match in _NAMED_TAG.finditer(html, article.end(), article_end):
        if match.group(1):
            continue
        if _is_report_body(match.group(3)):
            name = match.group(2).lower()
            if name in _VOID or match.group(3).rstrip().endswith("/"):
                return None
            end = _element_end(html, name, match.end())
            if end is None or end > article_end:
                return None
            start = match.end()
            break
    else:
        if "report-body" in html[article_end:]:
            return None  # a .report-body in a later article: leave it to the parser
    return _html.unescape(_ANY_TAG.sub("", _HIDDEN.sub("", html[start:end])))


def _is_report_body(attrs: str) -> bool:
    """Whether a start tag's attributes give it the class ``report-body``."""
    classes = _CLASS_ATTR.search(attrs) if "report-body" in attrs else None
    return bool(classes) and "report-body" in next(g for g in classes.groups() if g is not None).split()


def _open_elements(html: str, at: int) -> list[str] | None:
    """The names of the elements open at ``at``, outermost first, when one of them is the
    element :func:`fast_body_text` reads (the first ``.report-body`` start tag inside the first
    ``<article>``) and ``at`` is in text, not inside a tag; else None.

    Tags are read as :func:`fast_body_text` reads them; an end tag closes the latest open
    element of its name and every element opened after it (nothing when none is open), as
    BeautifulSoup does; void and self-closing elements open nothing.
    """
    stack: list[str] = []
    article = scope = -1  # their places in ``stack``
    last = 0
    for match in _NAMED_TAG.finditer(html, 0, at):
        closing, name, attrs = match.groups()
        last = match.end()
        name = name.lower()
        if closing:
            if stack and stack[-1] == name:
                stack.pop()
            elif name in stack:
                del stack[len(stack) - 1 - stack[::-1].index(name):]
            else:
                continue
            if article >= len(stack) or scope >= len(stack):
                return None  # the article or the scope closed before ``at``
        elif scope < 0 and article >= 0 and "report-body" in attrs and _is_report_body(attrs):
            if name in _VOID or attrs.rstrip().endswith("/"):
                return None  # an empty .report-body: left to the other paths
            scope = len(stack)
            stack.append(name)
        elif name not in _VOID and not attrs.rstrip().endswith("/"):
            if name == "article" and article < 0:
                article = len(stack)
            stack.append(name)
    if scope < 0 or "<" in html[last:at]:
        return None
    return stack


def _embedded_body_text(html: str, body_html: str) -> str | None:
    """The text of ``body_html`` (tags stripped, character references decoded) when the page
    ``html`` holds it inside the element :func:`fast_body_text` reads; None when that cannot be
    told this way.

    Then the element's text holds this text whole, so a sentence found in it is in the page's
    body.  ``body_html`` must close none of the elements open around it (Markdown's HTML never
    does: it has no raw HTML).
    """
    import html as _html

    at = html.find(body_html) if body_html else -1
    if at < 0:
        return None
    around = _open_elements(html, at)
    if around is None or _end_tag_of(tuple(sorted(set(around)))).search(body_html):
        return None
    return _html.unescape(_ANY_TAG.sub("", _HIDDEN.sub("", body_html)))


@lru_cache(maxsize=16)
def _end_tag_of(names: tuple[str, ...]) -> re.Pattern[str]:
    """An end tag of one of ``names`` (as :data:`_NAMED_TAG` reads a name)."""
    return re.compile("</(?:" + "|".join(map(re.escape, names)) + ")(?![a-zA-Z0-9-])", re.I)


def _check_text_kept_parsed(report: ReportFile, html: str) -> None:
    """:func:`check_text_kept` with the page parsed by BeautifulSoup (the reference)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    scope = soup.select_one("article .report-body") or soup.find("article")
    text = _IGNORED.sub("", scope.get_text("")) if scope is not None else ""
    for index, sentence in body_sentences(report.body):
        if sentence not in text:
            raise TextLossError(
                f"sentence lost in rendering: “{sentence[:40]}…”",
                path=report.path,
                line=report.body_line + index,
            )


# --------------------------------------------------------------------------- front matter


def _text(value: object) -> str:
    """A front-matter value shown as text (YAML may hand back dates, numbers or null)."""
    if value is None:
        return ""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return str(value)


def _lines(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [_text(v) for v in value if _text(v).strip()]
    return [line for line in _text(value).splitlines() if line.strip()]


def validate_reports(reports: Sequence[ReportFile]) -> None:
    """SourceError for a missing/non-string title or slug, a slug that is not [a-z0-9-]+,
    a year that is not a whole number, or two reports with the same slug."""
    seen: dict[str, ReportFile] = {}
    for report in reports:
        meta = report.meta
        for key in ("title", "slug"):
            value = meta.get(key)
            if not isinstance(value, str) or not value.strip():
                got = "nothing" if value is None else f"{type(value).__name__} {value!r}"
                raise SourceError(f"front matter: {key}: expected a non-empty string, got {got}",
                                  path=report.path)
        slug = str(meta["slug"])
        if not SLUG_RE.fullmatch(slug):
            raise SourceError(f"front matter: slug: {slug!r} is not made of a-z, 0-9 and '-'",
                              path=report.path, hint="it becomes the page's URL")
        year = meta.get("year")
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            raise SourceError(f"front matter: year: expected a whole number or null, got {year!r}",
                              path=report.path)
        if slug in seen:
            raise SourceError(f"duplicate slug {slug!r}, also used by {seen[slug].path}",
                              path=report.path)
        seen[slug] = report


def _sort_key(report: ReportFile) -> tuple[object, ...]:
    year = report.meta.get("year")
    return (year is None, year if isinstance(year, int) else 0,
            _text(report.meta.get("place")), _text(report.meta.get("title")), _text(report.meta.get("slug")))


def _is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _format_date(value: str) -> str:
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    if not match:
        return value
    return f"{int(match[1])}年{int(match[2])}月{int(match[3])}日"


def _cleaning_log(value: object) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    if isinstance(value, (list, tuple)):
        for entry in value:
            if isinstance(entry, Mapping):
                rows.append({"line": _text(entry.get("line")), "rule": _text(entry.get("rule")),
                             "text": _text(entry.get("text"))})
            else:
                rows.append({"line": "", "rule": "", "text": _text(entry)})
    return rows


def page_context(report: ReportFile, body: _Body) -> dict[str, object]:
    """The ``report`` variable of report.html (every value a plain str/int/list)."""
    meta = report.meta
    slug = str(meta["slug"])
    kind = _text(meta.get("kind")) or OTHER_REPORT
    title = str(meta["title"])
    scraped_title = _text(meta.get("scraped_title"))
    title_note = _text(meta.get("title_note"))
    source_url = _text(meta.get("source_url"))
    delivered = _text(meta.get("delivered"))
    year = meta.get("year")
    return {
        "slug": slug,
        "url": f"reports/{slug}.html",
        "title": title,
        "kind": kind,
        "kind_label": KIND_LABELS.get(kind, KIND_LABELS[OTHER_REPORT]),
        "issuer": _text(meta.get("issuer")),
        "place": _text(meta.get("place")),
        "place_short": _text(meta.get("place_short")),
        "year": year if isinstance(year, int) else None,
        "delivered": delivered,
        "delivered_label": _format_date(delivered),
        "session": _text(meta.get("session")),
        "speaker": _text(meta.get("speaker")),
        "preamble": _lines(meta.get("preamble")),
        "scraped_title": scraped_title,
        "title_note": title_note,
        "title_changed": bool(title_note) or bool(scraped_title and scraped_title != title),
        "source_file": _text(meta.get("source_file")),
        "source_sha256": _text(meta.get("source_sha256")),
        "source_url": source_url,
        "source_url_is_link": _is_web_url(source_url),
        "scraped_at": _text(meta.get("scraped_at")),
        "site_category": _text(meta.get("site_category")),
        "builder_version": _text(meta.get("builder_version")),
        "cleaning_log": _cleaning_log(meta.get("cleaning_log")),
        "summary": body.summary,
        "paragraph_count": body.paragraph_count,
        "sections": body.toc,
    }


def _json_entry(page: Mapping[str, object]) -> dict[str, object]:
    keys = ("slug", "url", "title", "kind", "issuer", "place", "year", "scraped_title",
            "source_url", "scraped_at", "paragraph_count", "sections")
    entry = {key: page[key] for key in keys}
    entry["id"] = page["slug"]
    return entry


def _indicator_rows(env: jinja2.Environment, templates_dir: Path, *, rows: Sequence[Mapping[str, object]],
                    root: str, kind_labels: Mapping[str, str], show_report: bool,
                    titles: Mapping[str, str]) -> str:
    """``_indicator_rows.html`` rendered: by :func:`_indicator_rows_html` while the template is
    the bundled one (most sites), else by Jinja (a site's own template)."""
    try:
        bundled = _is_bundled(env, INDICATOR_ROWS_PARTIAL)
    except jinja2.TemplateError:
        bundled = False  # _render_template says what is wrong
    if bundled:
        return _indicator_rows_html(rows, root=root, kind_labels=kind_labels, show_report=show_report,
                                    titles=titles)
    return _render_template(env, INDICATOR_ROWS_PARTIAL, templates_dir, rows=rows, root=root,
                            kind_labels=kind_labels, show_report=show_report, titles=titles)


#: Templates (as loaded by an environment) -> whether their source is the bundled file's.
_BUNDLED_SOURCE: "weakref.WeakKeyDictionary[jinja2.Template, bool]" = weakref.WeakKeyDictionary()


def _is_bundled(env: jinja2.Environment, name: str) -> bool:
    """Whether ``env`` renders the template ``name`` from exactly the bundled file's source
    (checked once per loaded template: a changed file is a new template)."""
    template = env.get_template(name)
    known = _BUNDLED_SOURCE.get(template)
    if known is None:
        source = env.loader.get_source(env, name)[0]  # type: ignore[union-attr]
        known = _BUNDLED_SOURCE[template] = source == (BUNDLED_TEMPLATES / name).read_text(encoding="utf-8")
    return known


def _indicator_rows_html(rows: Sequence[Mapping[str, object]], *, root: str, kind_labels: Mapping[str, str],
                         show_report: bool, titles: Mapping[str, str]) -> str:
    """Exactly what the bundled ``templates/_indicator_rows.html`` renders (a test compares them),
    several times faster: one report's table has hundreds of rows of seven cells."""
    e = _escape_html
    href = e(root)
    out: list[str] = []
    for row in rows:
        report, kind, value, qualifier, change, year = (
            row["report"], row["kind"], row["value"], row["qualifier"], row["change"], row["year"])
        out.append(f'<tr data-report="{e(str(report))}" data-kind="{e(str(kind))}">\n')
        if show_report:
            out.append(f"<td>{e(str(titles.get(report, report)))}</td>\n")  # type: ignore[call-overload]
        shown_value = e(str(value)) if value is not None else ""
        if qualifier:
            shown_value += f" <small>{e(str(qualifier))}</small>"
        shown_change = ("%+g" % change + ("个百分点" if row["change_unit"] == "pp" else "%")
                        if change is not None else "")
        out.append(f'<th scope="row">{e(str(row["label"]))}</th>\n<td>{shown_value}</td>\n<td>{e(shown_change)}</td>\n'
                   f'<td>{e(str(kind_labels.get(kind, kind)))}</td>\n'  # type: ignore[call-overload]
                   f'<td>{"" if year is None else e(str(year))}</td>\n'
                   f'<td><a href="{href}{e(str(row["url"]))}">{e(str(row["span"]))}</a></td>\n</tr>\n')
    return "".join(out)


_HTML_SPECIAL = re.compile("[&<>\"']")


def _escape_html(text: str) -> str:
    """``str(markupsafe.escape(text))`` (what Jinja's autoescape writes), without making a
    ``Markup`` of every cell."""
    if _HTML_SPECIAL.search(text) is None:
        return text
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&#34;").replace("'", "&#39;"))


# --------------------------------------------------------------------------- site


_BYTECODE: list = [None]  # a jinja2.FileSystemBytecodeCache in the build cache, when set


def use_bytecode_cache(folder: Path | None) -> None:
    """Keep compiled templates in ``folder`` (keyed by each template's source, so never stale):
    a rebuild then compiles no template it compiled before."""
    if folder is None:
        _BYTECODE[0] = None
        return
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        _BYTECODE[0] = _QuietBytecodeCache(str(folder))
    except OSError:  # only slower
        _BYTECODE[0] = None


class _QuietBytecodeCache(jinja2.FileSystemBytecodeCache):
    """A bytecode cache whose failures (folder gone, disk full) only make rendering slower."""

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:
            pass

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _environment(templates_dir: Path) -> jinja2.Environment:
    return jinja2.Environment(
        bytecode_cache=_BYTECODE[0],
        # a site's own templates first; templates it lacks (e.g. indicators.html) from the bundled ones
        loader=jinja2.ChoiceLoader([jinja2.FileSystemLoader(str(templates_dir)), jinja2.FunctionLoader(
            lambda name: (BUNDLED_TEMPLATES / name).read_text(encoding="utf-8")
            if name in (INDICATORS_TEMPLATE, INDICATORS_REPORT_TEMPLATE, INDICATOR_TABLE_PARTIAL,
                        INDICATOR_ROWS_PARTIAL,
                        NOT_FOUND_TEMPLATE, *_gls.TEMPLATES) else None)]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _render_template(env: jinja2.Environment, name: str, templates_dir: Path, **context: object) -> str:
    return _render(env, name, templates_dir, False, context)  # type: ignore[return-value]


def _render_template_bytes(env: jinja2.Environment, name: str, templates_dir: Path, **context: object) -> bytes:
    """``_render_template(...).encode("utf-8")`` encoded as it is generated: a page of
    every indicator has millions of small pieces, and holding them all before joining them
    costs several times the page's size in memory."""
    return _render(env, name, templates_dir, True, context)  # type: ignore[return-value]


def _encoded(pieces) -> bytes:
    out: list[bytes] = []
    batch: list[str] = []
    for piece in pieces:
        batch.append(piece)
        if len(batch) >= 8192:
            out.append("".join(batch).encode("utf-8"))
            batch.clear()
    out.append("".join(batch).encode("utf-8"))
    return b"".join(out)


def _render(env: jinja2.Environment, name: str, templates_dir: Path, as_bytes: bool,
            context: Mapping[str, object]) -> str | bytes:
    try:
        template = env.get_template(name)
        return _encoded(template.generate(**context)) if as_bytes else template.render(**context)
    except jinja2.TemplateSyntaxError as error:
        raise SourceError(f"template error: {error.message}", path=error.filename or str(templates_dir / name),
                          line=error.lineno) from None
    except jinja2.TemplateNotFound as error:
        raise SourceError(f"template not found: {error.name}", path=str(templates_dir)) from None
    except jinja2.TemplateError as error:
        raise SourceError(f"template error: {error}", path=str(templates_dir / name)) from None


# --------------------------------------------------------------------------- one report page


@dataclass(frozen=True)
class PageSettings:
    """Everything a report page depends on besides its own Markdown and its neighbours."""

    templates_dir: Path
    site_name: str
    base: str
    indicator_count: int
    glossary: Glossary | None
    glossary_link: str
    env_globals: tuple
    """The template globals ``build_pages`` sets (name, value) pairs, so a worker's environment matches."""
    full_table_max: int = FULL_TABLE_MAX
    """A report keeps its rows for the site-wide full table only when it has at most this many."""


@dataclass(frozen=True)
class ReportJob:
    """One report page to render: the report and what else its page shows."""

    report: ReportFile
    prev_report: dict | None
    next_report: dict | None
    has_pdf: bool


@dataclass
class RenderedReport:
    """A rendered report page (and its indicators page) and what the site-wide pages need of it."""

    url: str
    page: dict | None
    """The ``report`` template variable (index, indicators page and reports.json use it too).
    None in the light half the build cache keeps (it reads the parts from its files)."""
    occurrences: Sequence[tuple[str, str]]
    """(term id, anchor) of every glossary term occurrence."""
    report_page: ReportPage
    outputs: tuple = ()
    """(name, bytes) of its pages, rendered and not yet written: the report page and
    ``indicators/<slug>.html``.  Empty once they were staged (written by the worker) or when the
    pages were taken from the cache."""
    staged: tuple = ()
    """(name, sha256) of the pages the worker already wrote into the staging folder."""
    entry_json: bytes = b""
    """Its entry as it appears in data/reports.json, between the brackets."""
    rows_json: bytes = b""
    """Its rows as they appear in data/indicators.json, between the brackets (made by the
    worker, streamed into the data file)."""
    rows_csv: bytes = b""
    """Its rows as lines of data/indicators.csv."""
    counts: tuple = ()
    """(kind, number of indicators) in the order of ``indicators.KIND_NAMES``."""
    pair_rows: tuple = ()
    """Its first target and first result row of each (label, year): all the targets-vs-results
    table needs of it."""
    digests: tuple = ()
    """(part, sha256) of what the site-wide outputs take of it (:func:`part_digests`), set by
    the build cache for its input keys."""

    @property
    def names(self) -> tuple[str, ...]:
        """The output files of this report: its page and its indicators page."""
        return (self.url, indicators_page_url(self.report_page.slug))


def indicators_page_url(slug: str) -> str:
    """A report's indicators page, relative to the site root."""
    return f"indicators/{slug}.html"


def _pair_rows(rows: Sequence[Mapping[str, object]]) -> tuple:
    """The first target and the first result of each (label, year), in order (see targets_vs_results),
    as tuples (kind, label, year, span, url): cheap to keep in the cache."""
    seen: set = set()
    out = []
    for row in rows:
        if row["kind"] in (_ind.TARGET, _ind.ACTUAL):
            key = (row["kind"], row["label"], row["year"])
            if key not in seen:
                seen.add(key)
                out.append(tuple(row[k] for k in _PAIR_FIELDS))
    return tuple(out)


_PAIR_FIELDS = ("kind", "label", "year", "span", "url")


def _targets_vs_results(pair_rows: Sequence[tuple]) -> list[dict[str, object]]:
    """``indicators.targets_vs_results`` over the (kind, label, year, span, url) tuples of
    :func:`_pair_rows`: only the first target and result of each (label, year) become dicts."""
    first: dict[tuple, tuple] = {}
    for pair in pair_rows:
        first.setdefault((pair[0], pair[1], pair[2]), pair)
    rows = [dict(zip(_PAIR_FIELDS, pair)) for pair in first.values()]
    return _ind.targets_vs_results(rows)


def stage_report(item: RenderedReport, stage: Path) -> RenderedReport:
    """Write a rendered report's pages into the staging folder; the copy returned holds only
    their hashes (workers write their own pages, the parent never holds them)."""
    staged = []
    for name, data in item.outputs:
        target = Path(stage) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        staged.append((name, sha256(data)))
    return replace(item, outputs=(), staged=tuple(staged))


def _own_globals(env: jinja2.Environment, templates_dir: Path) -> tuple:
    plain = _environment(templates_dir).globals
    return tuple(sorted((k, v) for k, v in env.globals.items() if k not in plain or plain[k] is not v))


@lru_cache(maxsize=4)
def _settings_env(settings: PageSettings) -> jinja2.Environment:
    env = _environment(settings.templates_dir)
    env.globals.update(dict(settings.env_globals))
    return env


def render_report(settings: PageSettings, job: ReportJob, env: jinja2.Environment | None = None) -> RenderedReport:
    """Render one report page (checked with ``check_text_kept``); pure but for reading templates."""
    env = env if env is not None else _settings_env(settings)
    report, templates_dir, glossary = job.report, settings.templates_dir, settings.glossary
    year = report.meta.get("year")
    body = render_markdown(report.body, report_year=year if isinstance(year, int) else None,
                           report=str(report.meta["slug"]),
                           glossary=glossary, glossary_link=settings.glossary_link)
    page = page_context(report, body)
    # --- glossary: the terms this report uses, and where each occurs
    page["glossary_terms"] = _gls.report_terms(glossary, body.glossary_terms) if glossary else []
    occurrences = [(str(o["term"]), str(o["anchor"])) for o in body.glossary_occurrences]
    # --- indicators: sidebar groups and open-data rows
    key = _ind.key_indicators(body.indicators, settings.indicator_count)
    page["indicator_groups"] = _ind.group_by_section(key)
    page["indicator_count"] = len(body.indicators)
    page["growth_chart"] = (_ind.growth_chart(body.indicators)
                            if page["kind"] == "government_work_report" else None)
    rows = [_ind.to_row(item, str(page["url"])) for item in body.indicators]
    counts = {kind: 0 for kind in _ind.KIND_NAMES}
    for row in rows:
        counts[str(row["kind"])] = counts.get(str(row["kind"]), 0) + 1
    base = settings.base
    html = _render_template(
        env, REPORT_TEMPLATE, templates_dir,
        site_name=settings.site_name, root="../", report=page,
        body_html=Markup(body.html), toc=toc_tree(body.toc),
        canonical_url=base + str(page["url"]) if base else "",
        # publishing: previous/next report, the PDF when `builder pdf` made one
        prev_report=job.prev_report, next_report=job.next_report,
        pdf_url=f"../{PDF_DIR}/{page['slug']}.pdf" if job.has_pdf else "",
    )
    check_text_kept(report, html, body.html)
    indicators_url = indicators_page_url(str(page["slug"]))
    own_rows = _indicator_rows(env, templates_dir, rows=rows, root="../", kind_labels=_ind.KIND_NAMES,
                               show_report=False, titles={})
    indicators_html = _render_template_bytes(
        env, INDICATORS_REPORT_TEMPLATE, templates_dir, site_name=settings.site_name, root="../",
        canonical_url=base + indicators_url if base else "", report=page, rows=rows,
        rows_html=Markup(own_rows), counts=counts, kind_labels=_ind.KIND_NAMES)

    return RenderedReport(
        url=str(page["url"]), page=page, occurrences=occurrences,
        outputs=((str(page["url"]), html.encode("utf-8")), (indicators_url, indicators_html)),
        entry_json=_json_part(_json_entry(page)),
        rows_json=_jsonout.dumps(rows, indent=2)[1:-2].encode("utf-8") if rows else b"",
        rows_csv=_ind.csv_lines(rows).encode("utf-8"),
        counts=tuple(counts.items()), pair_rows=_pair_rows(rows),

        report_page=ReportPage(slug=str(page["slug"]), url=str(page["url"]), title=str(page["title"]),
                               source=report.path, paragraph_count=body.paragraph_count))


def build_pages(
    reports: Sequence[ReportFile], *, site_name: str, templates_dir: Path, base_url: str = "",
    indicator_count: int = 12, full_table_max: int = FULL_TABLE_MAX,
    glossary: Glossary | None = None, glossary_link: str = DEFAULT_POLICY,
    backlinks_max: int = _gls.BACKLINKS_MAX,  # glossary: bound on the backlinks an entry lists in full
    pdfs: Mapping[str, bytes | Path] | None = None,  # publishing: slug -> PDF (bytes or file) to keep
    renderer=None,  # (PageSettings, [ReportJob], stage) -> ReportParts (builder.build.cache)
    sink: "StagedFiles | None" = None,  # write each page into a staging folder as it is rendered
    keep: "OutputPolicy | None" = None,  # the build cache: which site-wide outputs can stay as they are
) -> tuple[dict[str, bytes], list[ReportPage]]:
    """Render the whole site: {relative path: bytes} (or ``sink``, when given), and the report pages.

    Validates front matter first and runs ``check_text_kept`` on every report page.  With a
    ``sink`` every page goes to the staging folder as soon as it is rendered (report pages by
    the worker that rendered them), so the whole site is never in memory at once.  With
    ``keep``, a site-wide output whose inputs are those of the file the last build left is
    neither rendered nor written (the result then lacks it).
    """
    validate_reports(reports)
    env = _environment(templates_dir)
    base = base_url.rstrip("/") + "/" if base_url else ""
    env.globals.update(has_glossary=glossary is not None, nav_current="")  # publishing: header nav
    pdfs = pdfs or {}
    ordered = sorted(reports, key=_sort_key)  # publishing: previous/next links
    neighbours = [{"title": str(r.meta["title"]), "url": f"{r.meta['slug']}.html"} for r in ordered]
    files = sink if sink is not None else {}
    stage = sink.folder if sink is not None else None

    # --- incremental and parallel builds: each report page is one job; ``renderer``
    # (builder.build.cache) may take pages from the cache or render them in worker processes
    settings = PageSettings(templates_dir=Path(templates_dir), site_name=site_name, base=base,
                            indicator_count=indicator_count, glossary=glossary, glossary_link=glossary_link,
                            env_globals=_own_globals(env, templates_dir), full_table_max=full_table_max)
    jobs = [ReportJob(report, neighbours[position - 1] if position > 0 else None,
                      neighbours[position + 1] if position + 1 < len(neighbours) else None,
                      str(report.meta["slug"]) in pdfs)
            for position, report in enumerate(ordered)]
    parts = (renderer(settings, jobs, stage) if renderer is not None
             else _render_in_memory(settings, jobs, env, stage, digests=keep is not None))
    for item in parts.items:
        for name, data in item.outputs:
            files[name] = data
        for name, digest in item.staged:
            files.add_staged(name, digest)  # type: ignore[union-attr]
    pages = [item.report_page for item in parts.items]
    # --- end incremental

    site = _SiteOutputs(keep, env, parts.items, (site_name, base, str(templates_dir), settings.env_globals))
    entries = lru_cache(maxsize=1)(parts.pages)  # every report's page variables, read once if needed
    context = {"env": env, "templates_dir": templates_dir, "site_name": site_name, "base": base}
    _index_files(files, site, parts, entries, **context)
    _indicator_files(files, site, parts, entries, full_table_max=full_table_max, **context)
    entries.cache_clear()
    if glossary is not None:
        _glossary_files(files, site, parts, glossary, backlinks_max=backlinks_max, **context)
    static = templates_dir / STATIC_DIR
    if not (static / "style.css").is_file():
        raise SourceError("stylesheet missing (expected static/style.css)", path=str(templates_dir))
    for path in sorted(p for p in static.rglob("*") if p.is_file() and not p.name.startswith(".")):
        data = path.read_bytes()
        name = "assets/" + path.relative_to(static).as_posix()
        if site.wants(name, (), (), sha256(data)):
            files[name] = data
    files.update(publishing_files(env, templates_dir, site_name=site_name, base=base, pages=pages,
                                  has_glossary=glossary is not None,
                                  stylesheet=(static / "style.css").read_text(encoding="utf-8"), outputs=site))
    for page_ in pages:  # PDFs made by `builder pdf` survive the build (reports that still exist)
        if page_.slug in pdfs:
            _keep_pdf(files, site, f"{PDF_DIR}/{page_.slug}.pdf", pdfs[page_.slug])
    return files, pages  # type: ignore[return-value]


class OutputPolicy(Protocol):
    """What ``build_pages`` asks the build cache about a site-wide output (``buildcache.BuildCache``)."""

    def input_key(self, name: str, env: jinja2.Environment, templates: Sequence[str], inputs: object) -> str:
        """A hash of everything output ``name`` is made from: ``templates`` and ``inputs``."""

    def unchanged(self, name: str, key: str) -> bool:
        """True when the file the last build left was made from ``key`` and is intact."""


def part_digests(item: RenderedReport) -> tuple[tuple[str, str], ...]:
    """(part, sha256) of what the site-wide outputs take from a rendered report, for the build
    cache's input keys: ``entry`` (its page variables: index, indicators page), ``json`` (its
    entry of reports.json), ``link`` (slug, title and URL: glossary page and data, sitemap), ``occurrences`` (glossary),
    ``pairs`` (its counts and targets-vs-results rows: indicators page) and ``rows`` (its share of
    the data files).  Values are hashed by their ``repr``, which is deterministic for them."""
    def digest(*values: object) -> str:
        hashed = hashlib.sha256()
        for value in values:
            hashed.update(value if isinstance(value, bytes) else repr(value).encode("utf-8"))
            hashed.update(b"\0")
        return hashed.hexdigest()

    page = item.report_page
    return (("entry", digest(item.page)), ("json", digest(item.entry_json)),
            ("link", digest(page.slug, page.title, page.url)),
            ("occurrences", digest(tuple(item.occurrences))), ("pairs", digest(item.counts, item.pair_rows)),
            ("rows", digest(item.rows_json, item.rows_csv)))


class ReportParts:
    """The rendered reports as the site-wide outputs read them, in index order.  This one holds
    them in memory; the build cache's (``buildcache.StoredParts``) reads them from its files."""

    def __init__(self, items: Sequence[RenderedReport]):
        self.items = list(items)

    def pages(self) -> list[dict]:
        return [item.page for item in self.items]  # type: ignore[misc]

    def entries_json(self) -> Iterator[bytes]:
        return (item.entry_json for item in self.items)

    def occurrences(self) -> Iterator[tuple[str, Sequence[tuple[str, str]]]]:
        return ((item.report_page.slug, item.occurrences) for item in self.items)

    def pair_rows(self) -> Iterator[tuple]:
        return (pair for item in self.items for pair in item.pair_rows)

    def rows_json(self) -> Iterator[bytes]:
        return (item.rows_json for item in self.items if item.rows_json)

    def rows_csv(self) -> Iterator[bytes]:
        return (item.rows_csv for item in self.items if item.rows_csv)


def _render_in_memory(settings: PageSettings, jobs: Sequence[ReportJob], env: jinja2.Environment,
                      stage: Path | None, *, digests: bool) -> ReportParts:
    items = []
    for job in jobs:
        item = render_report(settings, job, env)
        if digests:
            item = replace(item, digests=part_digests(item))
        items.append(stage_report(item, stage) if stage is not None else item)
    return ReportParts(items)


class _SiteOutputs:
    """Which site-wide outputs to build: every one, unless the build cache (``keep``) finds an
    output's input key unchanged and its file intact."""

    def __init__(self, keep: OutputPolicy | None, env: jinja2.Environment, items: Sequence[RenderedReport],
                 common: tuple):
        self.keep, self.env, self.common = keep, env, common
        self._digests = [dict(item.digests) for item in items] if keep is not None else []
        self._keys: dict[str, str] = {}

    def wants(self, name: str, templates: Sequence[str] = (), parts: Sequence[str] = (), *inputs: object) -> bool:
        """Whether to build ``name``, made from ``templates``, the given ``parts`` of every report
        and ``inputs`` (and the site's name, URL, templates folder and template globals)."""
        if self.keep is None:
            return True
        per_report = [tuple(digests[part] for part in parts) for digests in self._digests] if parts else []
        key = self.keep.input_key(name, self.env, templates, (self.common, inputs, per_report))
        self._keys[name] = key
        return not self.keep.unchanged(name, key)

    def content_digest(self, name: str) -> str | None:
        """The digest to record for a file streamed from parts: its input key, which determines its
        bytes (so they need not be hashed); None without a build cache."""
        key = self._keys.get(name)
        return f"key:{key}" if key is not None else None


def _index_files(files, site: _SiteOutputs, parts: ReportParts, entries: Callable[[], list[dict]], *,
                 env: jinja2.Environment, templates_dir: Path, site_name: str, base: str) -> None:
    """``index.html`` and ``data/reports.json``."""
    if site.wants("index.html", (INDEX_TEMPLATE,), ("entry",)):
        files["index.html"] = _render_template(
            env, INDEX_TEMPLATE, templates_dir,
            site_name=site_name, root="", reports=entries(), canonical_url=base if base else "",
        ).encode("utf-8")
    if site.wants("data/reports.json", (), ("json",)):  # joined from each report's entry
        _write_parts(files, "data/reports.json", _json_array(parts.entries_json()))


def _json_part(entry: Mapping[str, object]) -> bytes:
    """An entry of reports.json as it stands between its brackets: the entries of
    ``json.dumps(entries, ensure_ascii=False, indent=2, sort_keys=True)`` joined by ","."""
    return _jsonout.dumps([entry], indent=2, sort_keys=True)[1:-2].encode("utf-8")


def _indicator_files(files, site: _SiteOutputs, parts: ReportParts, entries: Callable[[], list[dict]], *,
                     env: jinja2.Environment, templates_dir: Path, site_name: str, base: str,
                     full_table_max: int) -> None:
    """The open data (``data/indicators.json`` and ``.csv``, streamed from each report's part) and
    ``indicators/index.html``."""
    # = json.dumps(indicator_rows, ensure_ascii=False, indent=2) and to_csv(indicator_rows) (tested)
    for name, pieces in (("data/indicators.json", lambda: _json_array(parts.rows_json())),
                         ("data/indicators.csv", lambda: itertools.chain([_ind.csv_file(())], parts.rows_csv()))):
        if site.wants(name, (), ("rows",)):
            _write_parts(files, name, pieces(), site.content_digest(name))
    report_counts: list[dict[str, object]] = []  # the index's list of reports
    for item in parts.items:
        counts = dict(item.counts)
        report_counts.append({"slug": item.report_page.slug, "title": item.report_page.title, "counts": counts,
                              "total": sum(counts.values()), "page": f"{item.report_page.slug}.html"})
    total = sum(int(r["total"]) for r in report_counts)  # type: ignore[call-overload]
    full_table = total <= full_table_max
    if not site.wants("indicators/index.html", (INDICATORS_TEMPLATE, INDICATOR_ROWS_PARTIAL),
                      ("entry", "pairs", "rows") if full_table else ("entry", "pairs"), full_table, full_table_max):
        return
    titles = {item.report_page.slug: item.report_page.title for item in parts.items}
    # a small site's page also lists every indicator: the rows are read back from each report's
    # part of indicators.json (so neither the cache nor a worker keeps them for this)
    rows_html = _render_template(
        env, INDICATOR_ROWS_PARTIAL, templates_dir, rows=json.loads(b"[" + b",".join(parts.rows_json()) + b"]"),
        root="../", kind_labels=_ind.KIND_NAMES, show_report=True, titles=titles) if full_table else ""
    files["indicators/index.html"] = _render_template_bytes(
        env, INDICATORS_TEMPLATE, templates_dir, site_name=site_name, root="../",
        canonical_url=base + "indicators/index.html" if base else "",
        rows_html=Markup(rows_html),
        full_table=full_table, full_table_max=full_table_max, total=total,
        reports=entries(), titles=titles, kind_labels=_ind.KIND_NAMES, report_counts=report_counts,
        pairs=_targets_vs_results(parts.pair_rows()),  # type: ignore[arg-type]
    )


def _glossary_files(files, site: _SiteOutputs, parts: ReportParts, glossary: Glossary, *,
                    env: jinja2.Environment, templates_dir: Path, site_name: str, base: str,
                    backlinks_max: int) -> None:
    """``glossary/index.html`` and ``data/glossary.json``, from every report's term occurrences."""
    page = site.wants(_gls.GLOSSARY_PAGE, (_gls.GLOSSARY_TEMPLATE,), ("link", "occurrences"),
                      backlinks_max, glossary.terms)
    data = site.wants(_gls.GLOSSARY_DATA, (), ("link", "occurrences"), glossary.terms)
    if not (page or data):
        return
    term_places: dict[str, list[tuple[str, str]]] = {}  # term id -> [(report, anchor)]
    for slug, found in parts.occurrences():
        for term, anchor in found:
            term_places.setdefault(term, []).append((slug, anchor))
    if page:
        files[_gls.GLOSSARY_PAGE] = _gls.glossary_page(
            glossary, term_places,  # type: ignore[arg-type]
            titles={item.report_page.slug: item.report_page.title for item in parts.items},
            urls={item.report_page.slug: item.report_page.url for item in parts.items},
            render=lambda name, **context: _render_template(env, name, templates_dir, site_name=site_name,
                                                            **{**context, "canonical_url": (
                                                                base + "glossary/index.html" if base else "")}),
            backlinks_max=backlinks_max)
    if data:
        files[_gls.GLOSSARY_DATA] = _gls.glossary_data(glossary, term_places)


def _keep_pdf(files, site: _SiteOutputs, name: str, source: bytes | Path) -> None:
    """Carry a PDF of the last build into this one (linked, not read, when staged)."""
    if isinstance(source, bytes):
        if site.wants(name, (), (), sha256(source)):
            files[name] = source
        return
    st = os.stat(source)
    if not site.wants(name, (), (), st.st_size, st.st_mtime_ns):
        return
    if isinstance(files, StagedFiles):
        files.add_copy(name, Path(source), site.content_digest(name))
    else:
        files[name] = Path(source).read_bytes()


def _json_array(parts: Iterator[bytes]) -> Iterator[bytes]:
    """``b"[" + b",".join(parts) + b"\\n]\\n"``, or ``b"[]\\n"`` without parts, piece by piece
    (each part is a report's rows, pretty-printed, between the brackets)."""
    first = next(parts, None)
    if first is None:
        yield b"[]\n"
        return
    yield b"["
    yield first
    for part in parts:
        yield b","
        yield part
    yield b"\n]\n"


def _write_parts(files, name: str, parts: Iterable[bytes], digest: str | None = None) -> None:
    """``files[name] = b"".join(parts)``, streamed into the file when ``files`` is a staging folder
    (recorded with ``digest`` instead of its SHA-256 when given)."""
    if isinstance(files, StagedFiles):
        files.write_parts(name, parts, digest)
    else:
        files[name] = b"".join(parts)


class StagedFiles:
    """The output being built, in a staging folder: pages are written as they are rendered and
    only their SHA-256 is kept.  Supports what ``build_pages`` does with a dict."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.digests: dict[str, str] = {}

    def __setitem__(self, name: str, data: bytes) -> None:
        self.write_parts(name, (data,))

    def update(self, files: Mapping[str, bytes]) -> None:
        for name, data in files.items():
            self[name] = data

    def write_parts(self, name: str, parts: Iterable[bytes], digest: str | None = None) -> None:
        """Write ``name`` piece by piece; record its SHA-256, or ``digest`` when given (a digest
        that determines the bytes, so they are not hashed)."""
        target = self.folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        hashed = hashlib.sha256() if digest is None else None
        with open(target, "wb") as handle:
            for part in parts:
                if hashed is not None:
                    hashed.update(part)
                handle.write(part)
        self.digests[name] = digest if hashed is None else hashed.hexdigest()

    def add_staged(self, name: str, digest: str) -> None:
        """A file a worker wrote into the folder itself."""
        self.digests[name] = digest

    def add_copy(self, name: str, source: Path, digest: str | None = None) -> None:
        """Stage a copy of ``source`` (a hard link when possible: nothing is read), recorded with
        ``digest`` when given, else its SHA-256."""
        target = self.folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copyfile(source, target)
        self.digests[name] = digest if digest is not None else sha256(target.read_bytes())

    def __iter__(self):
        return iter(self.digests)

    def __len__(self) -> int:
        return len(self.digests)

    def __contains__(self, name: object) -> bool:
        return name in self.digests


# --------------------------------------------------------------------------- publishing


def site_root_path(base: str) -> str:
    """The path part of ``site_url`` ("https://user.github.io/repo" -> "/repo/"), "/" for none."""
    path = urlsplit(base).path if base else ""
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def publishing_files(env: jinja2.Environment, templates_dir: Path, *, site_name: str, base: str,
                     pages: Sequence[ReportPage], has_glossary: bool, stylesheet: str,
                     outputs: _SiteOutputs | None = None) -> dict[str, bytes]:
    """What GitHub Pages needs beside the pages: ``.nojekyll``, ``404.html`` and, with a
    ``site_url``, ``sitemap.xml`` (those ``outputs`` wants, when given).

    GitHub Pages serves ``404.html`` for a missing URL at any depth, so relative links cannot
    work there: this one page takes absolute paths from ``site_url`` (``/repo/assets/style.css``).
    Without a ``site_url`` the stylesheet is inlined and home is ``/``.
    """
    wants = outputs.wants if outputs is not None else (lambda *args: True)
    files = {".nojekyll": b""} if wants(".nojekyll") else {}
    root = site_root_path(base)
    if wants("404.html", (NOT_FOUND_TEMPLATE,), (), "" if base else stylesheet):
        files["404.html"] = _render_template(
            env, NOT_FOUND_TEMPLATE, templates_dir, site_name=site_name, root=root, canonical_url="",
            inline_css=Markup(stylesheet.replace("</", "<\\/")) if not base else "",
        ).encode("utf-8")
    if base and wants("sitemap.xml", (), ("link",), has_glossary):
        from xml.sax.saxutils import escape

        urls = ["", *(p.url for p in pages), "indicators/index.html",
                *(indicators_page_url(p.slug) for p in pages)]
        if has_glossary:
            urls.append(_gls.GLOSSARY_PAGE)
        lines = ['<?xml version="1.0" encoding="UTF-8"?>',
                 '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
                 *(f"<url><loc>{escape(base + url)}</loc></url>" for url in urls), "</urlset>", ""]
        files["sitemap.xml"] = "\n".join(lines).encode("utf-8")
    return files


def existing_pdfs(out_dir: Path) -> dict[str, Path]:
    """The PDFs ``builder pdf`` wrote into ``out_dir/pdf/`` (slug -> file), to carry into a new build."""
    folder = Path(out_dir) / PDF_DIR
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.glob("*.pdf")) if p.is_file() and SLUG_RE.fullmatch(p.stem)}


def render_site(
    reports: Sequence[ReportFile],
    out_dir: Path,
    *,
    site_name: str,
    templates_dir: Path,
    base_url: str = "",
    indicator_count: int = 12,
    full_table_max: int = FULL_TABLE_MAX,
    glossary: Glossary | None = None, glossary_link: str = DEFAULT_POLICY,
    backlinks_max: int = _gls.BACKLINKS_MAX,
    renderer=None, writer=None, keep=None,  # the build cache: page renderer, incremental writer, output policy
) -> RenderResult:
    """Render every report, the index, reports.json and the assets into ``out_dir``.

    Every page is written, as soon as it is rendered and checked, into a staging folder next to
    ``out_dir``; then the folder is swapped in whole (or, with ``writer``, the build cache moves
    over only the files that changed).  On any error the staging folder is deleted and the
    previous ``out_dir`` is left as it was.
    ``base_url`` (optional, e.g. "https://example.org/reports/") only feeds
    ``<link rel="canonical">``; internal links are always relative.
    """
    out_dir = Path(out_dir)
    pdfs = existing_pdfs(out_dir)
    staging = new_staging(out_dir)
    try:
        sink = StagedFiles(staging)
        _, pages = build_pages(reports, site_name=site_name, templates_dir=templates_dir, base_url=base_url,
                               indicator_count=indicator_count, full_table_max=full_table_max,
                               glossary=glossary, glossary_link=glossary_link,
                               backlinks_max=backlinks_max, pdfs=pdfs,
                               renderer=renderer, sink=sink, keep=keep)
        if writer is not None:  # move over only what changed (builder.build.cache)
            writer(sink)
        else:
            swap_in(staging, out_dir)
    except OSError as error:  # staging a page failed (disk full, permissions)
        raise _output_error(out_dir, error) from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return RenderResult(out_dir=out_dir, files=tuple(sorted(sink.digests)), reports=tuple(pages))


def _output_error(out_dir: Path, error: OSError) -> OutputError:
    reason = error.strerror or str(error)
    where = f" ({error.filename})" if error.filename and str(error.filename) != str(out_dir) else ""
    return OutputError(f"cannot write output: {reason}{where}", path=str(out_dir))


def _target_folder(out_dir: Path) -> tuple[Path, Path]:
    out_dir = Path(out_dir)
    shown = out_dir
    if out_dir.is_symlink():
        out_dir = out_dir.resolve()  # swap the folder it points to, keep the link
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError("cannot write output: it exists and is not a folder", path=str(shown))
    return out_dir, shown


def new_staging(out_dir: Path) -> Path:
    """A fresh, empty folder next to ``out_dir`` (same file system, so it can be renamed into place)."""
    out_dir, shown = _target_folder(out_dir)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.new-", dir=out_dir.parent))
    except OSError as error:
        raise _output_error(shown, error) from None


def swap_in(staging: Path, out_dir: Path) -> None:
    """Rename the complete ``staging`` folder into place as ``out_dir`` (the old one renamed
    aside, then deleted).  Raises OutputError (one line); then ``out_dir`` is unchanged."""
    out_dir, shown = _target_folder(out_dir)
    parent = out_dir.parent
    try:
        os.chmod(staging, 0o755)  # mkdtemp makes it 0700; a served site must be readable
        old: Path | None = None
        if out_dir.exists():
            old = parent / f".{out_dir.name}.old-{uuid.uuid4().hex[:12]}"
            os.rename(out_dir, old)
        try:
            os.rename(staging, out_dir)
        except OSError:
            if old is not None:
                os.rename(old, out_dir)
            raise
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise _output_error(shown, error) from None
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_atomically(files: Mapping[str, bytes], out_dir: Path) -> None:
    """Write ``files`` into a fresh folder next to ``out_dir``, then swap it in.

    The old folder is renamed aside, the new one renamed into place, the old one deleted.
    Raises OutputError (one line) when the folder cannot be written; then nothing changed.
    """
    staging = new_staging(out_dir)
    try:
        for name, data in sorted(files.items()):
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise _output_error(Path(out_dir), error) from None
    swap_in(staging, out_dir)
