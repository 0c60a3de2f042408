"""The text-loss check: every sentence of a report's Markdown must reach its page.

:func:`check_text_kept` compares the sentences of the body (:func:`body_sentences`: Markdown
syntax stripped) with the text of the page's ``article .report-body``, both with whitespace and
emphasis markers removed (:func:`comparable`).  Reading the page's text is done by regular
expressions when that is safe (:func:`embedded_body_text`, :func:`fast_body_text`), by
BeautifulSoup otherwise; a failure is always the parser's verdict.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from builder.core.errors import TextLossError
from builder.core.model import ReportFile

_ATTRS_LINE = re.compile(r"^\s*\{[^{}]*\}\s*$")
_SKIP_LINE = re.compile(r"^\s{0,3}(=+|-+|(\*\s*){3,}|(-\s*){3,}|(_\s*){3,}|`{3,}.*|~{3,}.*)\s*$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(?=\s|$)")
_HEADING_CLOSE = re.compile(r"\s+#+\s*$")
_CONTAINER = re.compile(r"^\s*(?:>\s?|[-+*]\s+|\d{1,9}[.)]\s+)+")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto|ftp):[^\s<>]*)>", re.IGNORECASE)
#: A backslash escape or a character reference, read left to right in one pass
#: (``\&amp;`` is a literal "&amp;", ``&#92;*`` a backslash and a star).
_ESCAPE_OR_ENTITY = re.compile(r"\\([!-/:-@\[-`{-~])"
                               r"|(&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});)")
#: A sentence: up to and with 。！？； (or the end of the line).
_SENTENCE = re.compile(r"[^。！？；]*[。！？；]|[^。！？；]+")
#: Characters ignored on both sides: whitespace and emphasis/code markers (which CommonMark
#: may or may not turn into tags, e.g. ``**…。**`` before a CJK character stays literal).
_IGNORED = re.compile(r"[\s*_`]+")


def comparable(text: str) -> str:
    """``text`` as the check compares it: whitespace and emphasis/code markers removed.

    = ``_IGNORED.sub("", text)``, several times faster (``str.split`` splits at exactly the
    characters ``\\s`` matches)."""
    return "".join(text.split()).replace("*", "").replace("_", "").replace("`", "")


_WORD = re.compile(r"\w")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def body_sentences(body: str) -> list[tuple[int, str]]:
    """The sentences of a Markdown body, Markdown syntax stripped: (0-based body line, text).

    Sentences end at 。！？； and at line ends; whitespace and emphasis markers are dropped.
    """
    out: list[tuple[int, str]] = []
    for index, raw in enumerate(_LINE_BREAK.split(body)):
        line = raw
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
        out.extend((index, sentence) for sentence in _SENTENCE.findall(comparable(line)) if _WORD.search(sentence))
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
    read (:func:`embedded_body_text`: what the template adds around it cannot matter); else
    the element is found and its tags stripped (:func:`fast_body_text`).  Only when neither
    finds every sentence is the page parsed with BeautifulSoup
    (:func:`_check_text_kept_parsed`), which decides and names the lost sentence.  So a
    failure is always confirmed by the parser.
    """
    sentences = body_sentences(report.body)
    if body_html is not None:
        text = embedded_body_text(html, body_html)
        if text is not None and _all_in(sentences, comparable(text)):
            return
    text = fast_body_text(html)
    if text is not None and _all_in(sentences, comparable(text)):
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
_VOID = frozenset(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                   "wbr"])


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
            close = _element_end(html, name, match.end())
            if close is None or close > article_end:
                return None
            start, end = match.end(), close
            break
    else:
        if "report-body" in html[article_end:]:
            return None  # a .report-body in a later article: leave it to the parser
    return _html.unescape(_ANY_TAG.sub("", _HIDDEN.sub("", html[start:end])))


def _is_report_body(attrs: str) -> bool:
    """Whether a start tag's attributes give it the class ``report-body``."""
    classes = _CLASS_ATTR.search(attrs) if "report-body" in attrs else None
    return classes is not None and "report-body" in next(g for g in classes.groups() if g is not None).split()


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


def embedded_body_text(html: str, body_html: str) -> str | None:
    """The text of ``body_html`` (tags stripped, character references decoded) when the page
    ``html`` holds it inside the element :func:`fast_body_text` reads; None when that cannot be
    told this way.

    Then the element's text holds this text whole, so a sentence found in it is in the page's
    body.  ``body_html`` must close none of the elements open around it (Markdown's HTML never
    does: it has no raw HTML).
    """
    import html as _html

    at = _find_long(html, body_html) if body_html else -1
    if at < 0:
        return None
    around = _open_elements(html, at)
    if around is None or _end_tag_of(tuple(sorted(set(around)))).search(body_html):
        return None
    return _html.unescape(_ANY_TAG.sub("", _HIDDEN.sub("", body_html)))


def _find_long(text: str, part: str) -> int:
    """``text.find(part)`` for a long ``part`` (a page's body in the page): the places where its
    first characters stand, each checked whole, which spares ``find`` preparing the whole
    ``part`` as its pattern (several times slower for a body of tens of thousands of characters)."""
    head = part[:64]
    at = text.find(head)
    while at >= 0 and not text.startswith(part, at):
        at = text.find(head, at + 1)
    return at


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
