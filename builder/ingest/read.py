"""Bytes on disk -> SourceDocument: decode, turn HTML into block lines, split CSV exports into rows.

This is the only I/O of the front half of the pipeline.  ``read_source`` reads the file;
everything else is pure and works on bytes (``parse_source``), so it is tested without a disk.
Lines are kept raw: normalization is the cleaner's job.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

from builder.core.errors import InputError
from builder.core.model import SourceDocument

if TYPE_CHECKING:  # pragma: no cover - BeautifulSoup is imported for HTML pages only
    from bs4 import BeautifulSoup, Tag

HTML_EXTENSIONS = (".html", ".htm", ".xhtml", ".shtml")
CSV_EXTENSIONS = (".csv",)

#: Preferred names of the text column of a CSV export, in order (compared case-insensitively).
TEXT_COLUMNS = ("full_text", "text", "content", "body", "正文", "全文", "内容")

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
#: Every byte but the control characters that do not belong in text (all below 0x20 except
#: tab, LF, FF, CR and ESC): deleting these from a sample leaves its control characters.
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if b >= 0x20 or b in (0x09, 0x0A, 0x0C, 0x0D, 0x1B))
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def read_source(path: Path, display_path: str | None = None) -> list[SourceDocument]:
    """Read a scraped page (text, HTML or CSV export) from disk; see ``parse_source``."""
    shown = display_path or str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", path=shown) from None
    return parse_source(data, shown)


def parse_source(data: bytes, path: str) -> list[SourceDocument]:
    """Decode and split one file: one document for a text or HTML page, one per data row of a CSV."""
    text = decode_bytes(data, path)
    digest = hashlib.sha256(data).hexdigest()
    kind = detect_format(path, text)
    if kind == "csv":
        return parse_csv(text, path, digest)
    if kind == "html":
        lines, metadata = html_to_lines(text)
        if not any(line.strip() for line in lines):
            raise InputError("empty page (no text in the HTML body)", path=path)
        return [SourceDocument(path=path, index=0, format="html", lines=tuple(lines),
                               sha256=digest, metadata=metadata)]
    return [SourceDocument(path=path, index=0, format="text", lines=tuple(split_lines(text)), sha256=digest)]


# ---------------------------------------------------------------- decoding


def decode_bytes(data: bytes, path: str) -> str:
    """UTF-8 (BOM or not), else GB18030; refuse empty, binary and undecodable files."""
    if not data.strip(b" \t\r\n\x0b\x0c"):
        raise InputError("empty page (nothing to ingest)", path=path)
    if looks_binary(data):
        raise InputError("binary file, not a text, HTML or CSV page", path=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as gb_error:
            offset = max(utf8_error.start, gb_error.start)
            raise InputError(f"cannot decode: neither UTF-8 nor GB18030 (first bad byte at offset {offset})",
                             path=path) from None
    if not text.strip():
        raise InputError("empty page (nothing to ingest)", path=path)
    return text


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


def detect_format(path: str, text: str) -> str:
    """"html", "csv" or "text", by extension, then by sniffing the first characters."""
    lower = path.lower()
    if lower.endswith(HTML_EXTENSIONS):
        return "html"
    if lower.endswith(CSV_EXTENSIONS):
        return "csv"
    head = text.lstrip()[:64].lower()
    if head.startswith("<!doctype html") or head.startswith("<html"):
        return "html"
    return "text"


# ---------------------------------------------------------------- HTML

#: Elements that never hold body text.
_JUNK_TAGS = ("script", "style", "noscript", "template", "iframe", "form", "nav", "header", "footer", "aside",
              "button", "select", "input", "textarea", "svg", "object", "embed", "head")

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


def html_to_lines(text: str) -> tuple[list[str], dict[str, str]]:
    """The main content of an HTML page as one line per block element, and the page's metadata."""
    from bs4 import BeautifulSoup  # imported when needed: text pages never load it

    soup = BeautifulSoup(text, "lxml")
    metadata = html_metadata(soup)
    body = soup.body or soup
    for tag in body.find_all(_JUNK_TAGS):
        tag.decompose()
    _drop_marked_chrome(body)
    main = _main_content(body)
    lines = list(_block_lines(main))
    heading = _heading_before(main)
    if heading and heading not in lines[:3]:
        lines.insert(0, heading)
    return [line for line in lines if line.strip()], metadata


def html_metadata(soup: BeautifulSoup) -> dict[str, str]:
    """title, source_url, publish_date and site_name from <title>, canonical link and meta tags."""
    found: dict[str, str] = {}
    if soup.title and soup.title.get_text(strip=True):
        found["title"] = soup.title.get_text(" ", strip=True)
    canonical = soup.find("link", rel=lambda value: value and "canonical" in value)
    if canonical and canonical.get("href"):
        found["source_url"] = canonical["href"].strip()
    for meta in soup.find_all("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = (meta.get("content") or "").strip()
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


def _cjk_count(element: Tag) -> int:
    return len(_CJK.findall(element.get_text()))


def _marks(element: Tag) -> str:
    classes = element.get("class") or []
    if isinstance(classes, str):
        classes = [classes]
    return " ".join([element.get("id") or "", *classes])


def _drop_marked_chrome(body: Tag) -> None:
    """Remove elements whose id/class marks chrome, unless one holds most of the page's text."""
    total = max(_cjk_count(body), 1)
    for element in body.find_all(True):
        if element.decomposed:
            continue
        marks = _marks(element)
        if marks.strip() and _CHROME_MARK.search(marks) and not _CONTENT_MARK.search(marks):
            if _cjk_count(element) <= total * 0.5:
                element.decompose()


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


def _heading_before(main: Tag) -> str:
    """The text of the last <h1> before the main content, when the content itself has none."""
    if main.find("h1"):
        return ""
    heading = main.find_previous("h1")
    return heading.get_text(" ", strip=True) if heading else ""


def _block_lines(root: Tag) -> Iterator[str]:
    """Walk the tree: a block element or <br> ends a line; inline text joins the current one."""
    from bs4 import Comment, Doctype, NavigableString, ProcessingInstruction

    buffer: list[str] = []

    def flush() -> Iterator[str]:
        line = re.sub(r"[ \t\r\n\f]+", " ", "".join(buffer)).strip(" ")
        buffer.clear()
        if line:
            yield line

    def walk(node: Tag) -> Iterator[str]:
        for child in node.children:
            if isinstance(child, (Comment, Doctype, ProcessingInstruction)):
                continue
            if isinstance(child, NavigableString):
                buffer.append(str(child))
            elif child.name == "br":
                yield from flush()
            elif child.name == "pre":
                yield from flush()
                yield from (line for line in split_lines(child.get_text()) if line.strip())
            elif child.name in _BLOCK_TAGS:
                yield from flush()
                yield from walk(child)
                yield from flush()
            else:
                yield from walk(child)

    yield from walk(root)
    yield from flush()


# ---------------------------------------------------------------- CSV


def parse_csv(text: str, path: str, digest: str) -> list[SourceDocument]:
    """One document per data row that has text; the other columns become its metadata."""
    csv.field_size_limit(2**31 - 1)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        header = next(reader, None)
        while True:
            start = reader.line_num + 1
            row = next(reader, None)
            if row is None:
                break
            rows.append((start, row))
    except csv.Error as error:
        raise InputError(f"malformed CSV: {error}", path=path, line=reader.line_num or 1) from None
    names = _header_names(header, path)
    data_rows = [(start, row) for start, row in rows if any(cell.strip() for cell in row)]
    for start, row in data_rows:
        if len(row) != len(names):
            raise InputError(f"malformed CSV: row has {len(row)} fields, the header has {len(names)}",
                             path=path, line=start)
    column = text_column(names, [row for _, row in data_rows])
    documents = []
    for index, (start, row) in enumerate(data_rows, start=1):
        cell = row[column]
        if not cell.strip():
            continue
        metadata = {name: value for i, (name, value) in enumerate(zip(names, row)) if i != column and value.strip()}
        first_line = start + sum(len(_LINE_BREAK.findall(earlier)) for earlier in row[:column])
        documents.append(SourceDocument(path=path, index=index, format="csv", lines=tuple(split_lines(cell)),
                                        sha256=digest, metadata=metadata, start_line=first_line))
    if not documents:
        raise InputError(f"CSV has no text in column “{names[column]}”", path=path)
    return documents


def _header_names(header: list[str] | None, path: str) -> list[str]:
    if not header or not any(cell.strip() for cell in header):
        raise InputError("CSV has no header row", path=path, line=1)
    if any(len(cell) > 100 for cell in header):
        raise InputError("CSV has no header row (the first row holds text, not column names)", path=path, line=1)
    return [cell.strip().lstrip("\ufeff") or f"column{i + 1}" for i, cell in enumerate(header)]


def text_column(names: Sequence[str], rows: Sequence[Sequence[str]]) -> int:
    """The first preferred text column present, else the column with the longest values on average."""
    lowered = [name.lower() for name in names]
    for preferred in TEXT_COLUMNS:
        if preferred in lowered:
            return lowered.index(preferred)
    totals = [0] * len(names)
    for row in rows:
        for i, cell in enumerate(row[:len(names)]):
            totals[i] += len(cell)
    return max(range(len(names)), key=lambda i: totals[i])
