"""Bytes on disk -> SourceDocument: decode, turn HTML into block lines, split exports into records.

This is the only I/O of the front half of the pipeline.  ``read_documents`` reads the file;
everything else is pure and works on bytes (``parse_documents``), so it is tested without a disk.
Lines are kept raw: normalization and repair are the cleaner's job.

Reading never gives up on a whole file because of one bad record: every readable record of
a CSV, JSON or JSON Lines export becomes a document, and every unreadable one (no text, not
an object, junk instead of text) becomes a ``Problem``, a one-line message naming the file
and the line.  A file that cannot be read at all (missing, empty, binary, undecodable) is one
problem and no document.  ``read_source``/``parse_source`` are the strict forms: they raise
the first problem as an ``InputError``.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from builder.core.errors import InputError, Problem
from builder.core.model import SourceDocument

if TYPE_CHECKING:  # pragma: no cover - BeautifulSoup is imported for HTML pages only
    from bs4 import BeautifulSoup, Tag

HTML_EXTENSIONS = (".html", ".htm", ".xhtml", ".shtml")
CSV_EXTENSIONS = (".csv",)
JSONL_EXTENSIONS = (".jsonl", ".ndjson", ".jsonlines")
JSON_EXTENSIONS = (".json",)

#: Preferred names of the text column of an export (CSV column or JSON field), in order
#: (compared case-insensitively).  Without one, the column holding the most Chinese prose is the text.
TEXT_COLUMNS = ("full_text", "fulltext", "text", "content", "body", "article", "article_text", "main_text",
                "正文", "全文", "内容", "文本", "文章内容", "报告全文")

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
#: Every byte but the control characters that do not belong in text (all below 0x20 except
#: tab, LF, FF, CR and ESC): deleting these from a sample leaves its control characters.
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if b >= 0x20 or b in (0x09, 0x0A, 0x0C, 0x0D, 0x1B))
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class ReadResult:
    """What one file gave: its readable documents, and a problem for each part that was not readable."""

    documents: tuple[SourceDocument, ...] = ()
    problems: tuple[Problem, ...] = ()

    def strict(self) -> list[SourceDocument]:
        """The documents, or the first problem raised as an InputError."""
        if self.problems:
            first = self.problems[0]
            raise InputError(first.message, path=first.path, line=first.line)
        return list(self.documents)


def read_documents(path: Path | str, display_path: str | None = None) -> ReadResult:
    """Read a scraped page or an export from disk; see ``parse_documents``.  Never raises for bad input."""
    shown = display_path or str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        return ReadResult(problems=(Problem(shown, f"cannot read: {error.strerror or error}"),))
    return parse_documents(data, shown)


def parse_documents(data: bytes, path: str) -> ReadResult:
    """Decode and split one file: one document for a text or HTML page, one per readable record of
    a CSV, JSON or JSON Lines export; a problem for each part that cannot be read."""
    try:
        text = decode_bytes(data, path)
    except InputError as error:
        return ReadResult(problems=(Problem(path, error.message, error.line),))
    digest = hashlib.sha256(data).hexdigest()
    kind = detect_format(path, text)
    if kind == "csv":
        return parse_csv(text, path, digest)
    if kind == "jsonl":
        return parse_jsonl(text, path, digest)
    if kind == "json":
        return parse_json(text, path, digest)
    if kind == "html":
        page = html_to_lines(text)
        if not any(line.strip() for line in page.body):
            return ReadResult(problems=(Problem(path, "empty page (no text in the HTML body)"),))
        return ReadResult(documents=(SourceDocument(path=path, index=0, format="html", lines=tuple(page.lines),
                                                    sha256=digest, metadata=page.metadata,
                                                    outside=page.outside),))
    return ReadResult(documents=(SourceDocument(path=path, index=0, format="text", lines=tuple(split_lines(text)),
                                                sha256=digest),))


def read_source(path: Path | str, display_path: str | None = None) -> list[SourceDocument]:
    """Strict ``read_documents``: the documents, or an InputError for the first problem."""
    return read_documents(path, display_path).strict()


def parse_source(data: bytes, path: str) -> list[SourceDocument]:
    """Strict ``parse_documents``: the documents, or an InputError for the first problem."""
    return parse_documents(data, path).strict()


# ---------------------------------------------------------------- decoding


def decode_bytes(data: bytes, path: str) -> str:
    """UTF-16 when a byte order mark says so; UTF-8 (BOM or not); else GB18030 or Big5, whichever
    reads as Chinese prose (:func:`_frequent_share`; the charset an HTML or XML page declares wins
    a tie); refuse empty, binary and undecodable files."""
    if not data.strip(b" \t\r\n\x0b\x0c"):
        raise InputError("empty page (nothing to ingest)", path=path)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's “Unicode text”, Notepad's “Unicode”
        text = _decoded_utf16(data, path)
    elif looks_binary(data):
        raise InputError("binary file, not a text, HTML or CSV page", path=path)
    else:
        text = _decoded_8bit(data, path)
    if not text.strip():
        raise InputError("empty page (nothing to ingest)", path=path)
    return text


def _decoded_utf16(data: bytes, path: str) -> str:
    """UTF-16 text, when what follows the byte order mark reads as text: ASCII, or Chinese prose
    (bytes that only start like UTF-16 decode into characters no page is made of)."""
    try:
        text = data.decode("utf-16")
    except UnicodeDecodeError as error:
        raise InputError(f"cannot decode: UTF-16 by its byte order mark, but not at offset {error.start}",
                         path=path) from None
    wide = sum(c > "\x7f" for c in text[:_SAMPLE])
    if wide > len(text[:_SAMPLE]) / 2 and _frequent_share(text) < _CHINESE_SHARE:
        raise InputError("cannot decode: a UTF-16 byte order mark, but neither ASCII nor Chinese text after it",
                         path=path)
    return text


def _decoded_8bit(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        return _decoded_as_chinese(data, utf8_error, path)


#: A page's own word for its charset: ``<meta charset=…>``, ``<meta … content="text/html; charset=…">``,
#: ``<?xml … encoding=…?>``, in its first bytes.
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_-]+)"""
                               rb"""|<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9_-]+)""", re.IGNORECASE)
#: The codec read for a declared charset (GB2312 and GBK pages are read as their superset GB18030,
#: Big5 as Big5-HKSCS, which adds Hong Kong's characters).
_CODECS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb18030": "gb18030", "cp936": "gb18030",
           "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "big5hkscs": "big5hkscs", "cp950": "big5hkscs",
           "x-x-big5": "big5hkscs"}
#: The codecs tried when a page is not UTF-8 and declares nothing usable; the first wins a tie.
_CHINESE_CODECS = ("gb18030", "big5hkscs")
#: About 480 of the most frequent characters of Chinese prose, in simplified and traditional
#: forms: text read with the right codec is made of them in good part, a wrong codec's text
#: (瞷иカチ現┎穦厨叫 for Big5 bytes read as GB18030) hardly.
_FREQUENT_HANZI = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种"
    "面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本"
    "去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反明看原又利比或但"
    "质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品"
    "式活设及管特件长求老头基资边流路级少图山统接知较将组见计别手期根论运农指几九区强放决西被干做必战先回"
    "则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶思术极交受联认六共权收证改清美再"
    "采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报完类八离华名确才科张信马节话米整空元况"
    "今集温传土许步群广石记需段研界林律且究观越织装影算低持音众书布复容儿须际商非验连断深难近千周委素技备"
    "半办青省列习响约支般史感劳便团往历市克何除消构府称太准精值号率族维划选标写存候亲快效院查江型王按格养"
    "易置派层片始却专状育厂京识适属包火住调满县局照参红细引听该铁价严"
    "並來個們備傳價兒內兩別則劃動務勞區卻參員問單嚴國圖團報場壓學實寫將專對導層屬帶幹幾廠廣張強後從應戰採"
    "據數斷於時書會東條業極構標樣機權歷氣決沒況準溫滿濟無熱爭爲狀現產當發確種稱積節約紅級細組結給統經維線"
    "縣總織羣義習聯聲聽與華萬處號衆術裏裝覆見規親觀計記設許話該認說調論證識議變資質車軍較轉辦農這連進運過"
    "達適選還邊鐵長門開間關隊階際離難電響須領頭題類風養馬驗體點黨")
_SAMPLE = 20000
#: The least share of frequent characters in Chinese prose (about half of a report's characters
#: are among them; text decoded with a wrong codec has a few in a hundred).
_CHINESE_SHARE = 0.15


def _decoded_as_chinese(data: bytes, utf8_error: UnicodeDecodeError, path: str) -> str:
    """GB18030 or Big5, whichever reading is Chinese prose; the charset the page declares first,
    so that it wins a tie (a scraper may have saved the page in another charset than it says)."""
    declared = _DECLARED_CHARSET.search(data[:4096])
    codec = _CODECS.get((declared.group(1) or declared.group(2)).decode("ascii").lower()) if declared else None
    readings: list[str] = []
    offset = utf8_error.start
    for candidate in sorted(_CHINESE_CODECS, key=lambda name: name != codec):
        try:
            readings.append(data.decode(candidate))
        except UnicodeDecodeError as error:
            offset = max(offset, error.start)
    if not readings:
        raise InputError(f"cannot decode: neither UTF-8, GB18030 nor Big5 (first bad byte at offset {offset})",
                         path=path) from None
    return max(readings, key=_frequent_share)


def _frequent_share(text: str) -> float:
    """The share of frequent Chinese characters among the non-ASCII characters of ``text``'s start."""
    sample = [c for c in text[:_SAMPLE] if c > "\x7f"]
    return sum(c in _FREQUENT_HANZI for c in sample) / len(sample) if sample else 0.0


def looks_binary(data: bytes, sample_size: int = 8192) -> bool:
    """NUL bytes, or more than 10% control characters other than tab, CR, LF, FF and ESC."""
    sample = data[:sample_size]
    if b"\x00" in sample:
        return True
    controls = len(sample.translate(None, _NOT_CONTROL_BYTES)) + sample.count(0x7F)
    return controls > len(sample) * 0.10


def split_lines(text: str) -> list[str]:
    """Split on CRLF, LF or CR (not on the other characters str.splitlines knows); no trailing empty line."""
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


_JSON_OBJECT_START = re.compile(r'\{\s*(?:"|\}|$)')
_JSON_ARRAY_START = re.compile(r"\[\s*(?:\{|\]|$)")


def detect_format(path: str, text: str) -> str:
    """"html", "csv", "jsonl", "json" or "text", by extension, then by sniffing the first characters."""
    lower = path.lower()
    for extensions, kind in ((HTML_EXTENSIONS, "html"), (CSV_EXTENSIONS, "csv"), (JSONL_EXTENSIONS, "jsonl"),
                             (JSON_EXTENSIONS, "json")):
        if lower.endswith(extensions):
            return kind
    stripped = text.lstrip()
    head = stripped[:64].lower()
    if head.startswith("<!doctype html") or head.startswith("<html"):
        return "html"
    if _JSON_ARRAY_START.match(stripped):
        return "json"
    if _JSON_OBJECT_START.match(stripped):
        first = stripped.split("\n", 1)[0].strip()
        return "jsonl" if _is_json_object(first) else "json"
    return "text"


def _is_json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


# ---------------------------------------------------------------- HTML

#: Elements whose text no reader sees (code, embedded objects).
_INVISIBLE_TAGS = ("script", "style", "noscript", "template", "iframe", "svg", "object", "embed", "head")
#: Elements that never hold body text, but whose text a reader sees: page chrome, logged as such.
_CHROME_TAGS = ("form", "nav", "header", "footer", "aside", "button", "select", "input", "textarea")
#: Why a line of an HTML page is not body text (the cleaning log's rule).
OUTSIDE_MAIN = "html-outside-main"

#: id/class words that mark page chrome (navigation, breadcrumbs, share bars, related lists, ...).
_CHROME_MARK = re.compile(
    r"nav|menu|breadcrumb|crumb|share|related|recommend|comment|sidebar|side-bar|side_bar|footer|copyright"
    r"|pager|pagination|toolbar|tool-bar|location|position|weizhi|dqwz|hot-?list|advert|(?:^|[-_ ])ad(?:$|[-_ ])"
    r"|xgwz|xgyd|tjyd|print|fenxiang|bdshare",
    re.IGNORECASE)

#: id/class words that mark the main content.
_CONTENT_MARK = re.compile(r"content|article|main|text|detail|zoom|zhengwen|TRS_Editor|post-body|entry",
                           re.IGNORECASE)

_BLOCK_TAGS = frozenset({
    "address", "article", "blockquote", "caption", "center", "dd", "div", "dl", "dt", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre", "section", "table", "tbody",
    "td", "th", "thead", "tfoot", "tr", "ul", "body", "html",
})

_PUBLISH_META = ("article:published_time", "publishdate", "pubdate", "publish_date", "publishtime",
                 "firstpublishedtime", "dc.date", "dc.date.issued", "date", "og:release_date", "datepublished")


@dataclass(frozen=True)
class HtmlLines:
    """An HTML page as one line per block element, in page order, and what is not body text."""

    lines: list[str]
    outside: dict[int, str]
    """1-based line number -> why it is page chrome (``html-nav``, ``html-chrome:breadcrumb``,
    :data:`OUTSIDE_MAIN` …): the cleaner drops these lines and logs them."""
    metadata: dict[str, str]

    @property
    def body(self) -> list[str]:
        """The lines of the main content."""
        return [line for n, line in enumerate(self.lines, 1) if n not in self.outside]


def html_to_lines(text: str) -> HtmlLines:
    """Every visible line of an HTML page, with the main content found (<article>, <main>, a
    content-marked element, else the densest block) and the rest marked as page chrome, and the
    page's metadata."""
    from bs4 import BeautifulSoup  # imported when needed: text pages never load it

    soup = BeautifulSoup(text, "lxml")
    metadata = html_metadata(soup)
    body = soup.body or soup
    for tag in body.find_all(_INVISIBLE_TAGS):
        tag.decompose()
    chrome = _set_aside_chrome(soup, body)
    main = _main_content(body)
    heading = _heading_before(main)
    lines: list[str] = []
    outside: dict[int, str] = {}
    for line, rule in _labelled_lines(body, main, heading, chrome):
        lines.append(line)
        if rule is not None:
            outside[len(lines)] = rule
    return HtmlLines(lines, outside, metadata)


def html_metadata(soup: BeautifulSoup) -> dict[str, str]:
    """title, source_url, publish_date and site_name from <title>, canonical link and meta tags."""
    found: dict[str, str] = {}
    if soup.title and soup.title.get_text(strip=True):
        found["title"] = soup.title.get_text(" ", strip=True)
    canonical = soup.find("link", rel=lambda value: value and "canonical" in value)
    if canonical is not None and _attribute(canonical, "href"):
        found["source_url"] = _attribute(canonical, "href")
    for meta in soup.find_all("meta"):
        key = (_attribute(meta, "property") or _attribute(meta, "name") or _attribute(meta, "itemprop")).lower()
        content = _attribute(meta, "content")
        if not key or not content:
            continue
        if key in ("og:url", "url") and "source_url" not in found:
            found["source_url"] = content
        elif key in _PUBLISH_META and "publish_date" not in found:
            found["publish_date"] = content
        elif key in ("og:site_name", "sitename", "site_name") and "site_name" not in found:
            found["site_name"] = content
        elif key in ("og:title", "articletitle") and "title" not in found:
            found["title"] = content
    return found


def _attribute(element: Any, name: str) -> str:
    """An attribute's value as one stripped string ("" when absent; a list-valued one joined by spaces)."""
    value = element.get(name)
    if value is None:
        return ""
    return (value if isinstance(value, str) else " ".join(value)).strip()


def _cjk_count(element: Tag) -> int:
    return len(_CJK.findall(element.get_text()))


def _marks(element: Tag) -> str:
    return f"{_attribute(element, 'id')} {_attribute(element, 'class')}"


#: The tag standing in the page for an element set aside as chrome (its number in the list).
_SET_ASIDE = "builder-chrome"


def _set_aside_chrome(soup: BeautifulSoup, body: Tag) -> list[tuple[Tag, str]]:
    """Take out the chrome elements (:data:`_CHROME_TAGS`; an id/class that marks chrome, unless
    the element holds most of the page's text), each with its rule, leaving a placeholder where
    it stood: the main content is then found without them, and their lines logged in page order."""
    total = max(_cjk_count(body), 1)
    aside: list[tuple[Tag, str]] = []
    taken: set[int] = set()
    for element in body.find_all(True):
        if any(id(parent) in taken for parent in element.parents):
            continue  # inside an element set aside already
        rule = _chrome_rule(element, total)
        if rule is None:
            continue
        element.replace_with(soup.new_tag(_SET_ASIDE, attrs={"data-n": str(len(aside))}))
        taken.add(id(element))
        aside.append((element, rule))
    return aside


def _chrome_rule(element: Tag, total: int) -> str | None:
    """``html-nav`` (and the like) for a chrome element, ``html-chrome:<mark>`` for an element
    whose id/class marks chrome; None for any other."""
    if element.name in _CHROME_TAGS:
        return f"html-{element.name}"
    marks = _marks(element)
    if not marks.strip() or _CONTENT_MARK.search(marks):
        return None
    mark = _CHROME_MARK.search(marks)
    if mark is None or _cjk_count(element) > total * 0.5:
        return None
    return f"html-chrome:{mark.group().strip(' -_').lower()}"


def _main_content(body: Tag) -> Tag:
    """<article>/<main>/a content-marked element holding most of the text, else the densest block."""
    total = _cjk_count(body)
    if total == 0:
        return body
    candidates = [el for el in body.find_all(True)
                  if el.name in ("article", "main") or _CONTENT_MARK.search(_marks(el))]
    sized = [(count, el) for el in candidates if (count := _cjk_count(el)) >= total * 0.5]
    if sized:
        return min(sized, key=lambda pair: pair[0])[1]
    return _densest_block(body)


def _densest_block(body: Tag) -> Tag:
    """The element whose direct text-bearing children hold the most CJK characters."""
    from bs4 import Comment, Doctype, ProcessingInstruction

    scores: dict[int, tuple[int, Tag]] = {}
    for string in body.find_all(string=True):
        if isinstance(string, (Comment, Doctype, ProcessingInstruction)):
            continue
        block = string.parent
        while block is not None and block.name not in _BLOCK_TAGS:
            block = block.parent
        container = block.parent if block is not None and block.parent is not None else block
        if container is None:
            continue
        count = len(_CJK.findall(str(string)))
        key = id(container)
        scores[key] = (scores.get(key, (0, container))[0] + count, container)
    if not scores:
        return body
    return max(scores.values(), key=lambda pair: pair[0])[1]


def _heading_before(main: Tag) -> Tag | None:
    """The last <h1> before the main content, when the content itself has none and does not
    open with its text (the report's title, kept with the body)."""
    if main.find("h1"):
        return None
    heading = main.find_previous("h1")
    if heading is None:
        return None
    text = heading.get_text(" ", strip=True)
    return heading if text and text not in islice(_block_lines(main), 3) else None


def _labelled_lines(body: Tag, main: Tag, heading: Tag | None,
                    chrome: Sequence[tuple[Tag, str]]) -> Iterator[tuple[str, str | None]]:
    """The lines of ``body`` as :func:`_block_lines` makes them, each with None when it is body
    text (in ``main``, or the ``heading``) or the rule that makes it chrome: an element set
    aside (``chrome``, where its placeholder stands) or :data:`OUTSIDE_MAIN`."""
    from bs4 import Comment, Doctype, NavigableString, ProcessingInstruction, Tag

    buffer: list[str] = []

    def flush(rule: str | None) -> Iterator[tuple[str, str | None]]:
        line = re.sub(r"[ \t\r\n\f]+", " ", "".join(buffer)).strip(" ")
        buffer.clear()
        if line:
            yield line, rule

    def walk(node: Tag, rule: str | None) -> Iterator[tuple[str, str | None]]:
        for child in node.children:
            if isinstance(child, (Comment, Doctype, ProcessingInstruction)):
                continue
            if isinstance(child, NavigableString):
                buffer.append(str(child))
            elif not isinstance(child, Tag):
                continue
            elif child.name == _SET_ASIDE or child is main or child is heading:
                element, inner = (chrome[int(str(child["data-n"]))] if child.name == _SET_ASIDE
                                  else (child, None))
                yield from flush(rule)
                yield from walk(element, inner)
                yield from flush(inner)
            elif child.name == "br":
                yield from flush(rule)
            elif child.name == "pre":
                yield from flush(rule)
                yield from ((line, rule) for line in split_lines(child.get_text()) if line.strip())
            elif child.name in _BLOCK_TAGS:
                yield from flush(rule)
                yield from walk(child, rule)
                yield from flush(rule)
            else:
                yield from walk(child, rule)

    start = None if main is body else OUTSIDE_MAIN
    yield from walk(body, start)
    yield from flush(start)


def _block_lines(root: Tag) -> Iterator[str]:
    """Walk the tree: a block element or <br> ends a line; inline text joins the current one."""
    return (line for line, _ in _labelled_lines(root, root, None, ()))


# ---------------------------------------------------------------- exports: shared


#: Metadata names a scraper gives the facts the cleaner and attribution read, and the one name
#: they read them under (added when the record lacks it; the scraper's own name is kept too).
_METADATA_ALIASES: Mapping[str, tuple[str, ...]] = {
    "title": ("标题", "headline", "article_title", "page_title", "名称"),
    "source_url": ("url", "link", "href", "page_url", "article_url", "网址", "链接", "原文链接", "来源网址"),
    "publish_date": ("date", "pub_date", "pubdate", "publish_time", "published", "published_at", "publishdate",
                     "发布时间", "发布日期", "日期", "时间"),
    "year": ("年份", "年度"),
}
_URL_VALUE = re.compile(r"^(?:https?://|www\.)\S+$", re.IGNORECASE)
#: Sentence punctuation: a cell holding some is prose, not a title or a name.
_PROSE_PUNCT = re.compile(r"[。，；！？,;]")
_PROSE_MIN_CJK = 10
#: Tags that make a text cell an HTML fragment (scrapers often store the article's inner HTML).
_FRAGMENT_TAG = re.compile(r"</?(?:p|div|br|span|h[1-6]|li|ul|ol|table|tr|td|strong|b|font|section|article)\b[^<>]*>",
                           re.IGNORECASE)
_FRAGMENT_JUNK = ("script", "style", "noscript", "template", "iframe", "button", "select", "input", "textarea",
                  "svg", "object", "embed")


def is_prose(value: str) -> bool:
    """Chinese prose: at least ten CJK characters and some sentence punctuation."""
    return len(_CJK.findall(value)) >= _PROSE_MIN_CJK and bool(_PROSE_PUNCT.search(value))


def choose_text_field(names: Sequence[str], records: Sequence[Mapping[str, str]]) -> str | None:
    """The field (CSV column or JSON key) that holds the text: the first preferred name that holds
    some text, else the field holding the most Chinese prose, else a preferred name present
    (all of its values empty), else None (no field holds the text)."""
    by_lower: dict[str, str] = {}
    for name in names:
        by_lower.setdefault(name.lower(), name)
    preferred = [by_lower[name] for name in TEXT_COLUMNS if name in by_lower]
    for name in preferred:
        if any(record.get(name, "").strip() for record in records):
            return name
    prose = {name: sum(len(_CJK.findall(value)) for record in records
                       if is_prose(value := record.get(name, "")))
             for name in names}
    best = max(names, key=lambda name: prose[name], default=None)
    if best is not None and prose[best] > 0:
        return best
    return preferred[0] if preferred else None


def junk_reason(text: str) -> str | None:
    """Why a text value is not readable text ("no Chinese text", ...); None if it is."""
    if not text:
        return "no text"
    bad = sum(1 for char in text if (char < " " and char not in "\t\n\r\f\x1b") or char in "\x7f\ufffd")
    if "\x00" in text or bad > len(text) * 0.10:
        return "binary or garbled data instead of text"
    if not _CJK.search(text):
        return "no Chinese text"
    return None


def text_lines(value: str) -> list[str]:
    """The lines of a text value; an HTML fragment (a scraper's inner HTML) becomes one line per block."""
    if len(_FRAGMENT_TAG.findall(value[:20000])) >= 2:
        return fragment_lines(value)
    return split_lines(value)


def fragment_lines(fragment: str) -> list[str]:
    """One line per block element of an HTML fragment, scripts and styles dropped."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(fragment, "lxml")
    for tag in soup.find_all(_FRAGMENT_JUNK):
        tag.decompose()
    root = soup.body or soup
    return [line for line in _block_lines(root) if line.strip()]


def metadata_value(value: object) -> str | None:
    """A JSON value as a metadata string: strings stripped, numbers and booleans as JSON writes them,
    lists and objects as compact JSON; None (and empty strings) give no metadata."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def with_aliases(metadata: Mapping[str, str]) -> dict[str, str]:
    """The metadata, plus ``title``, ``source_url``, ``publish_date`` and ``year`` under those names when
    the export called them otherwise (``url``, ``date``, ``标题``, ``Title``, ...)."""
    found = dict(metadata)
    lowered = {key.lower(): value for key, value in metadata.items()}
    for canonical, aliases in _METADATA_ALIASES.items():
        if canonical in found:
            continue
        for name in (canonical, *aliases):
            value = lowered.get(name)
            if value and (canonical != "source_url" or _URL_VALUE.match(value)):
                found[canonical] = value
                break
    return found


def _unreadable(unit: str, field: str, value: str) -> str | None:
    """The problem message for a record whose text value is missing or junk; None when it is readable."""
    if not value.strip():
        return f"{unit}: no text in {field}"
    reason = junk_reason(value)
    if reason:
        return f"{unit}: {field} holds {reason}"
    return None


# ---------------------------------------------------------------- CSV


def parse_csv(text: str, path: str, digest: str) -> ReadResult:
    """One document per data row that has text; the other columns become its metadata."""
    csv.field_size_limit(2**31 - 1)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    problems: list[Problem] = []
    header: list[str] | None = None
    try:
        header = next(reader, None)
        while True:
            start = reader.line_num + 1
            row = next(reader, None)
            if row is None:
                break
            rows.append((start, row))
    except csv.Error as error:
        read = "the rows before it were read" if rows else "no row was read"
        problems.append(Problem(path, f"malformed CSV: {error}; {read}, the rest of the file was not",
                                    reader.line_num or 1))
    if not header or not any(cell.strip() for cell in header):
        return ReadResult(problems=(*problems, Problem(path, "CSV has no header row", 1)))
    if any(len(cell) > 100 for cell in header):
        return ReadResult(problems=(*problems, Problem(
            path, "CSV has no header row (the first row holds text, not column names)", 1)))
    names = [cell.strip().lstrip("\ufeff") or f"column{i + 1}" for i, cell in enumerate(header)]
    data_rows = [(start, row) for start, row in rows if any(cell.strip() for cell in row)]
    records: list[tuple[int, int, dict[str, str]]] = []
    for index, (start, row) in enumerate(data_rows, start=1):
        if len(row) != len(names):
            problems.append(Problem(path, f"malformed CSV: row has {len(row)} fields, the header has {len(names)}",
                                        start))
        else:
            records.append((index, start, dict(zip(names, row, strict=True))))
    column = choose_text_field(names, [record for _, _, record in records])
    if column is None:
        problems.append(Problem(path, f"CSV has no text column: its columns are {', '.join(names)}, "
                                          "and none holds the text"))
        return ReadResult(problems=tuple(sorted(problems, key=_problem_order)))
    position = names.index(column)
    documents = []
    for index, start, record in records:
        cell = record[column]
        message = _unreadable(f"row {index}", f"column “{column}”", cell)
        if message:
            problems.append(Problem(path, message, start))
            continue
        metadata = {name: value.strip() for name, value in record.items() if name != column and value.strip()}
        first_line = start + sum(len(_LINE_BREAK.findall(record[earlier])) for earlier in names[:position])
        documents.append(SourceDocument(path=path, index=index, format="csv", lines=tuple(text_lines(cell)),
                                        sha256=digest, metadata=with_aliases(metadata), start_line=first_line))
    return ReadResult(tuple(documents), tuple(sorted(problems, key=_problem_order)))


def _problem_order(problem: Problem) -> int:
    return problem.line or 0


def text_column(names: Sequence[str], rows: Sequence[Sequence[str]]) -> int | None:
    """The index of the text column of a CSV (see ``choose_text_field``); None when no column holds text."""
    chosen = choose_text_field(names, [dict(zip(names, row[:len(names)], strict=False)) for row in rows])
    return None if chosen is None else list(names).index(chosen)


# ---------------------------------------------------------------- JSON and JSON Lines


@dataclass(frozen=True)
class _Record:
    number: int
    """1-based position among the file's records."""
    line: int | None
    """The physical line where the record starts (None when unknown)."""
    value: Any


def parse_jsonl(text: str, path: str, digest: str) -> ReadResult:
    """JSON Lines: one JSON object per line, blank lines skipped; a line that is not valid JSON is a problem."""
    records: list[_Record] = []
    problems: list[Problem] = []
    number = 0
    for line_number, line in enumerate(split_lines(text), start=1):
        if not line.strip():
            continue
        number += 1
        try:
            value = json.loads(line)
        except ValueError as error:
            problems.append(Problem(path, f"not valid JSON: {_json_message(error)}", line_number))
            continue
        records.append(_Record(number, line_number, value))
    return _records_result(records, problems, path, digest, "jsonl", unit="record")


def parse_json(text: str, path: str, digest: str) -> ReadResult:
    """A JSON array of objects (or an object holding one, or a single object); JSON Lines saved as .json too."""
    decoder = json.JSONDecoder()
    newlines = [match.start() for match in re.finditer("\n", text)]

    def line_of(offset: int) -> int:
        return bisect_right(newlines, offset - 1) + 1

    start = _skip_space(text, 0)
    if text.startswith("[", start):
        records, problems = _array_records(text, start, decoder, path, line_of)
        if not records and not problems:
            problems.append(Problem(path, "no records (the JSON array is empty)", line_of(start)))
        return _records_result(records, problems, path, digest, "json", unit="record")
    try:
        value, end = decoder.raw_decode(text, start)
    except ValueError as error:
        return ReadResult(problems=(Problem(path, f"not valid JSON: {_json_message(error)}",
                                                getattr(error, "lineno", None)),))
    if _skip_space(text, end) < len(text):
        return parse_jsonl(text, path, digest)  # several objects: JSON Lines under a .json name
    inner = _record_list(value)
    if inner is not None:
        records = [_Record(n, None, item) for n, item in enumerate(inner, start=1)]
        if not records:
            return ReadResult(problems=(Problem(path, "no records (the JSON list is empty)", line_of(start)),))
        return _records_result(records, [], path, digest, "json", unit="record")
    return _records_result([_Record(1, line_of(start), value)], [], path, digest, "json", unit="record")


def _skip_space(text: str, offset: int) -> int:
    while offset < len(text) and text[offset] in " \t\r\n":
        offset += 1
    return offset


def _array_records(text: str, start: int, decoder: json.JSONDecoder, path: str,
                   line_of: Callable[[int], int]) -> tuple[list[_Record], list[Problem]]:
    """The elements of the JSON array at ``start`` with their lines; parsing stops at the first syntax error."""
    records: list[_Record] = []
    problems: list[Problem] = []
    offset = _skip_space(text, start + 1)
    while True:
        if offset >= len(text):
            problems.append(Problem(path, "not valid JSON: the array is not closed (“]” missing at the end)",
                                        line_of(len(text))))
            break
        if text[offset] == "]":
            break
        if records:
            if text[offset] != ",":
                problems.append(Problem(path, f"not valid JSON: “,” or “]” expected after record {len(records)}"
                                                  "; the rest of the file was not read", line_of(offset)))
                break
            offset = _skip_space(text, offset + 1)
            if text.startswith("]", offset):
                break  # a trailing comma, as some exporters write
        try:
            value, end = decoder.raw_decode(text, offset)
        except ValueError as error:
            problems.append(Problem(path, f"not valid JSON: {_json_message(error)}; the rest of the file was not "
                                              "read", getattr(error, "lineno", None) or line_of(offset)))
            break
        records.append(_Record(len(records) + 1, line_of(offset), value))
        offset = _skip_space(text, end)
    if len(text) > offset + 1 and _skip_space(text, offset + 1) < len(text) and not problems:
        problems.append(Problem(path, "not valid JSON: text after the closing “]” was not read",
                                    line_of(_skip_space(text, offset + 1))))
    return records, problems


def _record_list(value: object) -> list[Any] | None:
    """The list of records inside a wrapper object (``{"data": [{...}, ...]}``); None for a plain record."""
    if not isinstance(value, dict):
        return None
    lists = [item for item in value.values() if isinstance(item, list) and item and isinstance(item[0], dict)]
    return lists[0] if len(lists) == 1 else None


def _json_message(error: ValueError) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"{error.msg} (column {error.colno})"
    return str(error)


_JSON_TYPES = {str: "a string", list: "a list", int: "a number", float: "a number", bool: "true or false"}


def _records_result(records: Sequence[_Record], problems: list[Problem], path: str, digest: str,
                    fmt: str, unit: str) -> ReadResult:
    """Records -> documents: the text field detected as for CSV, the other fields as metadata."""
    objects: list[tuple[_Record, dict[str, str]]] = []
    for record in records:
        if not isinstance(record.value, dict):
            kind = "null" if record.value is None else _JSON_TYPES.get(type(record.value), "not an object")
            problems.append(Problem(path, f"{unit} {record.number} is {kind}, not a JSON object", record.line))
            continue
        strings = {str(key): value for key, value in record.value.items() if isinstance(value, str)}
        objects.append((record, strings))
    names = list(dict.fromkeys(str(key) for record, _ in objects for key in record.value))
    field = choose_text_field(names, [strings for _, strings in objects])
    if objects and field is None:
        problems.append(Problem(path, f"no text field: the records have the fields {', '.join(names)}, "
                                          "and none holds the text"))
        return ReadResult(problems=tuple(sorted(problems, key=_problem_order)))
    documents = []
    for record, strings in objects:
        assert field is not None
        raw = record.value.get(field)
        if field in record.value and raw is not None and not isinstance(raw, str):
            problems.append(Problem(path, f"{unit} {record.number}: field “{field}” is "
                                              f"{_JSON_TYPES.get(type(raw), 'an object')}, not text", record.line))
            continue
        message = _unreadable(f"{unit} {record.number}", f"field “{field}”", strings.get(field, ""))
        if message:
            problems.append(Problem(path, message, record.line))
            continue
        metadata = {str(key): text for key, value in record.value.items()
                    if key != field and (text := metadata_value(value)) is not None}
        documents.append(SourceDocument(path=path, index=record.number, format=fmt,
                                        lines=tuple(text_lines(strings[field])), sha256=digest,
                                        metadata=with_aliases(metadata), start_line=record.line or 1))
    return ReadResult(tuple(documents), tuple(sorted(problems, key=_problem_order)))
