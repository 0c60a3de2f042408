"""Report <-> Markdown with YAML front matter: the editable source of truth in site_src/reports/.

The file format::

    ---
    title: 2020年苏州市政府工作报告
    ...                      (FRONT_MATTER, in that order)
    body_sha256: <sha256 of everything after the closing --- line>
    fields_sha256: <sha256 of the fields a reader may correct: title, kind, place, year, ...>
    cleaning_log: [{line, rule, text}, ...]
    ---

    {#p1}
    各位代表：

    {#s1}
    ## 一、2019年工作回顾

    {#s1-1}
    ### 1.经济发展增实力。

    {#s1-1-p1}
    **创新驱动发展战略深入实施。**全社会研究…

Every heading and paragraph is preceded by its ``{#id}`` (mdit-py-plugins block
attributes); section level N is written with N+1 ``#``; a paragraph's lead-in is
``**…**`` at its start.  All other CommonMark syntax in the text is escaped, so
scraped text renders verbatim and can never become HTML or a link.

``body_sha256`` and ``fields_sha256`` let :func:`write_report` tell a file nobody touched (safe
to regenerate) from one edited by hand, in its text or in its front matter (kept unless forced).

:data:`FRONT_MATTER` is the one schema of the front matter: the order :func:`dump_report`
writes the keys in, and the types :func:`parse_front_matter` and :func:`validate_reports` check.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from builder.core.errors import OutputError, SourceError, yaml_error_line
from builder.core.model import (
    GENRE_LABELS,
    GENRE_REPORT,
    KIND_LABELS,
    Decision,
    Paragraph,
    RemovedLine,
    Report,
    ReportFile,
    ReportHeader,
    Section,
)
from builder.mdit.attrs import configure

FORGOT_DASHES = "Did you forget the `---` lines?"

# --- the front-matter schema ----------------------------------------------------------

TEXT = "text"
"""A string; a number or a date is read as its text, null as ""."""
OPTIONAL_TEXT = "optional text"
"""A string or null (kept as None)."""
YEAR = "year"
"""A whole number or null (a string of digits is read as its number)."""
LINES = "lines"
"""A list of strings (one string is a list of one; null an empty list)."""
LOG = "log"
"""The cleaning log: a list of {line: <number>, rule: <text>, text: <text>}."""
EVIDENCE = "evidence"
"""What carried each attribution decision: field -> {value, source, strength, text[, against]}."""


@dataclass(frozen=True)
class FrontMatterKey:
    """One key of a report file's front matter."""

    name: str
    kind: str
    """TEXT, OPTIONAL_TEXT, YEAR, LINES, LOG or EVIDENCE."""
    required: bool = False
    """A non-empty string every report file must have."""
    allowed: tuple[str, ...] = ()
    """TEXT only: the values it may take ("" too: not given); empty: any text."""


FRONT_MATTER: tuple[FrontMatterKey, ...] = (
    FrontMatterKey("title", TEXT, required=True), FrontMatterKey("kind", TEXT, allowed=tuple(KIND_LABELS)),
    FrontMatterKey("genre", TEXT, allowed=tuple(GENRE_LABELS)),
    FrontMatterKey("issuer", TEXT),
    FrontMatterKey("place", TEXT), FrontMatterKey("place_short", TEXT), FrontMatterKey("year", YEAR),
    FrontMatterKey("slug", TEXT, required=True), FrontMatterKey("delivered", OPTIONAL_TEXT),
    FrontMatterKey("session", OPTIONAL_TEXT), FrontMatterKey("speaker", OPTIONAL_TEXT),
    FrontMatterKey("preamble", LINES), FrontMatterKey("scraped_title", TEXT), FrontMatterKey("title_note", TEXT),
    FrontMatterKey("review", TEXT), FrontMatterKey("evidence", EVIDENCE),
    FrontMatterKey("source_file", TEXT), FrontMatterKey("source_sha256", TEXT), FrontMatterKey("source_url", TEXT),
    FrontMatterKey("scraped_at", TEXT), FrontMatterKey("site_category", TEXT),
    FrontMatterKey("builder_version", TEXT), FrontMatterKey("body_sha256", TEXT),
    FrontMatterKey("fields_sha256", TEXT), FrontMatterKey("cleaning_log", LOG),
)
#: The keys in the order they are written.
FRONT_MATTER_KEYS: tuple[str, ...] = tuple(key.name for key in FRONT_MATTER)
REQUIRED_KEYS: tuple[str, ...] = tuple(key.name for key in FRONT_MATTER if key.required)
#: A slug: it becomes the report page's URL.
SLUG_RE = re.compile(r"[a-z0-9-]+")


def _keys(kind: str) -> tuple[str, ...]:
    return tuple(key.name for key in FRONT_MATTER if key.kind == kind)


# --- Markdown ---------------------------------------------------------------------


@functools.cache
def markdown_parser() -> MarkdownIt:
    """The one configured parser for report bodies (CommonMark, no raw HTML, block ids, leads)."""
    return configure(MarkdownIt("commonmark", {"html": False}))


_ALWAYS_ESCAPE = frozenset("\\`*_[]<>#!|~{}&")
_ALWAYS_ESCAPE_RE = re.compile("[" + re.escape("".join(sorted(_ALWAYS_ESCAPE))) + "]")
_LIST_START = re.compile(r"^(\d{1,9})([.)])(?=[ \t]|$)")


def _char_ref(ch: str) -> str:
    return f"&#{ord(ch)};"


def escape_text(text: str, *, line_start: bool = True, at_start: bool = True, at_end: bool = True) -> str:
    """``text`` as CommonMark inline source that renders exactly as ``text``.

    ``line_start``: the text starts a line, so list/heading/quote openers are escaped.
    ``at_start`` / ``at_end``: the text touches the block's edge, where CommonMark strips
    whitespace, so edge whitespace is written as character references.
    """
    head = tail = ""
    start, end = 0, len(text)
    if at_start:
        while start < end and text[start].isspace():
            start += 1
        head = "".join(_char_ref(c) for c in text[:start])
    if at_end:
        while end > start and text[end - 1].isspace():
            end -= 1
        tail = "".join(_char_ref(c) for c in text[end:])
    escaped = _ALWAYS_ESCAPE_RE.sub(r"\\\g<0>", text[start:end])
    if line_start and not head:
        if escaped[:1] in ("+", "-", "="):
            escaped = "\\" + escaped
        else:
            escaped = _LIST_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", escaped, count=1)
    return head + escaped + tail


def _paragraph_md(p: Paragraph) -> str:
    lead = p.lead if p.lead and p.text.startswith(p.lead) else ""
    if not lead:
        return escape_text(p.text)
    rest = p.text[len(lead):]
    return (
        "**" + escape_text(lead, line_start=False, at_end=not rest) + "**"
        + escape_text(rest, line_start=False, at_start=False)
    )


def _blocks(report: Report) -> Iterable[str]:
    def paragraphs(ps: Sequence[Paragraph]) -> Iterable[str]:
        for p in ps:
            if p.text:  # an empty paragraph has no Markdown form
                yield f"{{#{p.id}}}\n{_paragraph_md(p)}"

    def sections(ss: Sequence[Section]) -> Iterable[str]:
        for s in ss:
            hashes = "#" * (min(max(s.level, 1), 4) + 1)
            title = escape_text(s.title, line_start=False)
            yield f"{{#{s.id}}}\n{hashes} {title}".rstrip(" ")
            yield from paragraphs(s.paragraphs)
            yield from sections(s.children)

    yield from paragraphs(report.intro)
    yield from sections(report.sections)


def body_sha256(body: str) -> str:
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


#: The front-matter fields a reader may correct by hand; ``fields_sha256`` records them as written.
EDITABLE_FIELDS = ("title", "kind", "genre", "issuer", "place", "place_short", "year", "slug", "delivered",
                   "session", "speaker", "preamble", "title_note")


def fields_sha256(meta: Mapping[str, Any]) -> str:
    """SHA-256 of the editable fields' values (as the front matter holds them after its checks)."""
    values = [meta.get(key) for key in EDITABLE_FIELDS]
    return hashlib.sha256(json.dumps(values, ensure_ascii=False, default=str).encode("utf-8")).hexdigest()


def dump_body(report: Report) -> str:
    """The Markdown body (what follows the closing ``---`` line)."""
    return "\n" + "\n\n".join(_blocks(report)) + "\n"


_YAML_LINE_BREAKS = re.compile("[\x85\u2028\u2029]")


class _Dumper(yaml.SafeDumper):
    """SafeDumper that double-quotes strings holding NEL/LS/PS, which plain styles would fold."""


#: libyaml's loader and emitter when PyYAML was built with them (10-20x faster); the pure
#: Python ones otherwise.  A file libyaml refuses is read again by the pure loader, so the
#: error message (and its line) is always PyYAML's own.
_FastLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FastDumper: Any = type("_FastDumper", (getattr(yaml, "CSafeDumper", yaml.SafeDumper),), {})


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = '"' if _YAML_LINE_BREAKS.search(value) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)
_FastDumper.add_representer(str, _represent_str)


def dump_report(report: Report, builder_version: str) -> str:
    """The whole file: front matter then body."""
    body = dump_body(report)
    values: dict[str, Any] = {
        "title": report.title,
        "kind": report.kind,
        "genre": report.genre,
        "issuer": report.issuer,
        "place": report.place,
        "place_short": report.place_short,
        "year": report.year,
        "slug": report.slug,
        "delivered": report.delivered,
        "session": report.session,
        "speaker": report.speaker,
        "preamble": list(report.preamble),
        "scraped_title": report.scraped_title,
        "title_note": report.title_note,
        "review": report.review,
        "evidence": dump_evidence(report.evidence),
        "source_file": report.source_file,
        "source_sha256": report.source_sha256,
        "source_url": report.source_url,
        "scraped_at": report.scraped_at,
        "site_category": report.site_category,
        "builder_version": builder_version,
        "body_sha256": body_sha256(body),
        "fields_sha256": "",
        "cleaning_log": [{"line": r.number, "rule": r.rule, "text": r.text} for r in report.cleaning_log],
    }
    values["fields_sha256"] = fields_sha256(values)
    meta = {key: values[key] for key in FRONT_MATTER_KEYS}
    front = yaml.dump(meta, Dumper=_FastDumper, allow_unicode=True, sort_keys=False, width=1_000_000_000)
    return "---\n" + front + "---\n" + body


_EVIDENCE_KEYS = ("value", "source", "strength", "text")


def dump_evidence(decisions: Sequence[Decision]) -> dict[str, dict[str, Any]]:
    """Front matter ``evidence:``: field -> {value, source, strength, text[, against]}."""
    out: dict[str, dict[str, Any]] = {}
    for d in decisions:
        entry: dict[str, Any] = {"value": d.value, "source": d.source, "strength": d.strength, "text": d.text}
        if d.against:
            entry["against"] = list(d.against)
        out[d.field] = entry
    return out


def parse_evidence(value: object) -> tuple[Decision, ...]:
    """The decisions of a front-matter ``evidence:`` mapping (already checked by ``_check_meta``)."""
    if not isinstance(value, dict):
        return ()
    return tuple(
        Decision(field=str(field), value=_scalar(entry.get("value")), source=_scalar(entry.get("source")),
                 strength=_scalar(entry.get("strength")), text=_scalar(entry.get("text")),
                 against=tuple(str(x) for x in entry.get("against") or ()))
        for field, entry in value.items() if isinstance(entry, dict)
    )


def _scalar(value: object) -> str:
    return "" if value is None else str(value)


# --- front matter -----------------------------------------------------------------


def _key_lines(yaml_lines: Sequence[str]) -> dict[str, int]:
    """Top-level key -> file line (the front matter starts on file line 2)."""
    out: dict[str, int] = {}
    for i, line in enumerate(yaml_lines):
        m = re.match(r"^([A-Za-z_][\w-]*)\s*:", line)
        if m and m.group(1) not in out:
            out[m.group(1)] = i + 2
    return out


def _type_name(value: object) -> str:
    return {list: "a list", dict: "a mapping", bool: "true/false", type(None): "nothing"}.get(
        type(value), type(value).__name__
    )


def _check_meta(meta: dict[str, Any], path: str, key_lines: Mapping[str, int]) -> dict[str, Any]:
    def fail(key: str, message: str) -> SourceError:
        return SourceError(f"front matter: {key}: {message}", path=path, line=key_lines.get(key, 1))

    out = dict(meta)
    for key in REQUIRED_KEYS:
        value = meta.get(key)
        if key not in meta:
            raise SourceError(f"front matter: missing required key '{key}'", path=path, line=1)
        if not isinstance(value, str) or not value.strip():
            got = _type_name(value) if not isinstance(value, str) else "an empty string"
            raise fail(key, f"expected a non-empty string, got {got}")
    for kind in (TEXT, OPTIONAL_TEXT, YEAR, LINES, LOG, EVIDENCE):  # (the order problems are reported in)
        for key in _keys(kind):
            if key in meta:
                out[key] = _CHECKS[kind](meta[key], functools.partial(fail, key))
    for schema in FRONT_MATTER:
        if schema.allowed and out.get(schema.name) and out[schema.name] not in schema.allowed:
            raise fail(schema.name, f"unknown value {out[schema.name]!r}; expected one of "
                                    f"{', '.join(schema.allowed)}")
    return out


def _check_text(value: Any, fail: Callable[[str], SourceError], empty: str | None = "") -> str | None:
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if value is None:
        return empty
    if not isinstance(value, str):
        raise fail(f"expected a string, got {_type_name(value)}")
    return value


def _check_year(year: Any, fail: Callable[[str], SourceError]) -> int | None:
    if isinstance(year, str) and year.strip().isdigit():
        return int(year)
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise fail(f"expected a year such as 2020 or null, got {_type_name(year)}")
    return year


def _check_lines(value: Any, fail: Callable[[str], SourceError]) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise fail("expected a list of lines")
    return value


def _check_log(value: Any, fail: Callable[[str], SourceError]) -> list[dict[str, Any]]:
    log = value or []
    if not isinstance(log, list):
        raise fail(f"expected a list of {{line, rule, text}}, got {_type_name(log)}")
    for n, entry in enumerate(log, 1):
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("line"), int)
            or not isinstance(entry.get("rule"), str)
            or not isinstance(entry.get("text"), str)
        ):
            raise fail(f"entry {n}: expected {{line: <number>, rule: <text>, text: <text>}}")
    return log


def _check_evidence(value: Any, fail: Callable[[str], SourceError]) -> dict[str, Any]:
    evidence = value or {}
    if not isinstance(evidence, dict) or not all(
        isinstance(entry, dict)
        and all(not isinstance(entry.get(k), (list, dict)) for k in _EVIDENCE_KEYS)
        and isinstance(entry.get("against") or [], list)
        for entry in evidence.values()
    ):
        raise fail("expected a mapping of field -> {value, source, strength, text}")
    return evidence


_CHECKS: dict[str, Callable[[Any, Callable[[str], SourceError]], Any]] = {
    TEXT: _check_text,
    OPTIONAL_TEXT: lambda value, fail: _check_text(value, fail, empty=None),
    YEAR: _check_year,
    LINES: _check_lines,
    LOG: _check_log,
    EVIDENCE: _check_evidence,
}


def validate_reports(reports: Sequence[ReportHeader]) -> None:
    """What the site needs of every report's front matter, however it was made (read from a file,
    or built in memory): SourceError for a required key that is not a non-empty string, a slug that
    is not [a-z0-9-]+, a year that is not a whole number, or two reports with the same slug."""
    seen: dict[str, ReportHeader] = {}
    for report in reports:
        meta = report.meta
        for key in REQUIRED_KEYS:
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


def parse_front_matter(text: str, path: str) -> ReportFile:
    """Split a report file into front matter and body; raise SourceError naming path and line."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.split("\n")
    if lines[0].rstrip() != "---":
        raise SourceError("no front matter at the top of the file", path=path, line=1, hint=FORGOT_DASHES)
    close = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if close is None:
        raise SourceError("front matter has no closing `---` line", path=path, line=1, hint=FORGOT_DASHES)
    yaml_lines = lines[1:close]
    try:
        try:
            meta = yaml.load("\n".join(yaml_lines), Loader=_FastLoader)
        except yaml.YAMLError:
            meta = yaml.safe_load("\n".join(yaml_lines))  # the pure loader's message and line
    except yaml.YAMLError as exc:
        found = yaml_error_line(exc)
        line = found + 2 if found is not None else 1
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SourceError(f"front matter is not valid YAML: {problem}", path=path, line=line) from None
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise SourceError(
            f"front matter must be `key: value` lines, got {_type_name(meta)}", path=path, line=2, hint=FORGOT_DASHES
        )
    meta = _check_meta(meta, path, _key_lines(yaml_lines))
    return ReportFile(path=path, meta=meta, body="\n".join(lines[close + 1:]), body_line=close + 2)


def parse_report_bytes(data: bytes, path: str) -> ReportFile:
    """A report file's bytes -> :func:`parse_front_matter` (SourceError when not UTF-8)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"cannot read report: {exc}", path=path) from None
    return parse_front_matter(text, path)


def read_report(path: Path, display: str) -> ReportFile:
    """Read and split the report file ``path`` (named ``display`` in messages)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot read report: {exc}", path=display) from None
    return parse_front_matter(text, display)


def report_files(folder: Path) -> list[Path]:
    """The report files in ``folder`` (site_src/reports/): every visible ``*.md``, sorted."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.md") if not p.name.startswith("."))


def is_hand_edited(file: ReportFile) -> bool:
    """True when the body no longer matches the ``body_sha256`` it was written with, or the editable
    front-matter fields no longer match ``fields_sha256`` (a file written before that key existed is
    judged by its body alone)."""
    recorded = file.meta.get("body_sha256")
    if not isinstance(recorded, str) or recorded != body_sha256(file.body):
        return True
    fields = file.meta.get("fields_sha256")
    return bool(fields) and fields != fields_sha256(file.meta)


# --- Markdown -> Report -----------------------------------------------------------


def _flatten(tokens: Sequence[Token]) -> str:
    out = []
    for t in tokens:
        if t.type in ("text", "text_special", "code_inline"):
            out.append(t.content)
        elif t.children:
            out.append(_flatten(t.children))
    return "".join(out)


def _inline(token: Token | None) -> tuple[str, str]:
    """(text, lead) of an inline token; the lead is a leading strong span."""
    children = (token.children or []) if token is not None else []
    if children and children[0].type == "strong_open":
        depth = 0
        for j, child in enumerate(children):
            if child.type == "strong_open":
                depth += 1
            elif child.type == "strong_close":
                depth -= 1
                if depth == 0:
                    lead = _flatten(children[1:j])
                    return lead + _flatten(children[j + 1:]), lead
    return _flatten(children), ""


class _SecB:
    def __init__(self, explicit: str | None, level: int, title: str):
        self.explicit, self.level, self.title = explicit, level, title
        self.paragraphs: list[tuple[str | None, str, str]] = []
        self.children: list[_SecB] = []


def _body_blocks(body: str) -> tuple[list[tuple[str | None, str, str]], list[_SecB]]:
    tokens = markdown_parser().parse(body)
    intro: list[tuple[str | None, str, str]] = []
    roots: list[_SecB] = []
    stack: list[_SecB] = []
    for i, t in enumerate(tokens):
        ident = t.attrs.get("id") if t.attrs else None
        ident = str(ident) if ident else None
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if t.type == "heading_open":
            level = min(max(int(t.tag[1:]) - 1, 1), 4)
            node = _SecB(ident, level, _inline(nxt)[0])
            while stack and stack[-1].level >= level:
                stack.pop()
            (stack[-1].children if stack else roots).append(node)
            stack.append(node)
            continue
        if t.type == "paragraph_open":
            text, lead = _inline(nxt)
        elif t.type in ("code_block", "fence"):
            text, lead = t.content.rstrip("\n"), ""
        else:
            continue
        (stack[-1].paragraphs if stack else intro).append((ident, text, lead))
    return intro, roots


def _assign_ids(intro, roots) -> tuple[tuple[Paragraph, ...], tuple[Section, ...]]:
    explicit: set[str] = set()

    def collect(items, secs):
        for ident, _, _ in items:
            if ident:
                explicit.add(ident)
        for s in secs:
            if s.explicit:
                explicit.add(s.explicit)
            collect(s.paragraphs, s.children)

    collect(intro, roots)
    used: set[str] = set()

    def pick(ident: str | None, positional: str) -> str:
        if ident and ident not in used:
            used.add(ident)
            return ident
        candidate, n = positional, 1
        while candidate in used or (candidate in explicit and candidate != ident):
            n += 1
            candidate = f"{positional}-{n}"
        used.add(candidate)
        return candidate

    def paragraphs(items, prefix: str) -> tuple[Paragraph, ...]:
        return tuple(
            Paragraph(id=pick(ident, f"{prefix}p{n}"), text=text, lead=lead)
            for n, (ident, text, lead) in enumerate(items, 1)
        )

    def sections(secs, parent: str) -> tuple[Section, ...]:
        out = []
        for n, s in enumerate(secs, 1):
            sid = pick(s.explicit, f"{parent}-{n}" if parent else f"s{n}")
            out.append(Section(sid, s.level, s.title, paragraphs(s.paragraphs, f"{sid}-"), sections(s.children, sid)))
        return tuple(out)

    # Document order: intro first, then sections depth first (paragraphs before children).
    intro_out = paragraphs(intro, "")
    return intro_out, sections(roots, "")


def _str(meta: Mapping[str, object], key: str) -> str:
    value = meta.get(key)
    return "" if value is None else str(value)


def _opt(meta: Mapping[str, object], key: str) -> str | None:
    value = meta.get(key)
    return None if value is None else str(value)


def parse_report_markdown(file: ReportFile) -> Report:
    """The Report a (possibly hand-edited) Markdown file describes."""
    meta = file.meta
    intro, sections = _assign_ids(*_body_blocks(file.body))
    year = meta.get("year")
    log: Any = meta.get("cleaning_log") or []  # (checked by parse_front_matter)
    preamble: Any = meta.get("preamble") or ()
    return Report(
        slug=_str(meta, "slug"),
        title=_str(meta, "title"),
        kind=_str(meta, "kind"),
        genre=_str(meta, "genre") or GENRE_REPORT,
        review=_str(meta, "review"),
        evidence=parse_evidence(meta.get("evidence")),
        issuer=_str(meta, "issuer"),
        place=_str(meta, "place"),
        year=year if isinstance(year, int) and not isinstance(year, bool) else None,
        intro=intro,
        sections=sections,
        scraped_title=_str(meta, "scraped_title"),
        title_note=_str(meta, "title_note"),
        place_short=_str(meta, "place_short"),
        delivered=_opt(meta, "delivered"),
        session=_opt(meta, "session"),
        speaker=_opt(meta, "speaker"),
        preamble=tuple(str(x) for x in preamble),
        source_file=_str(meta, "source_file"),
        source_sha256=_str(meta, "source_sha256"),
        source_url=_str(meta, "source_url"),
        scraped_at=_str(meta, "scraped_at"),
        site_category=_str(meta, "site_category"),
        cleaning_log=tuple(
            RemovedLine(number=int(e["line"]), text=str(e["text"]), rule=str(e["rule"])) for e in log
        ),
    )


# --- writing with the hand-edit guard ---------------------------------------------


@dataclass(frozen=True)
class WriteOutcome:
    status: str
    """"created", "updated", "unchanged", "kept-edited" or "forced"."""
    path: Path
    """The report file."""
    backup: Path | None = None
    """Where the hand-edited file was copied before it was overwritten ("forced")."""
    fresh_path: Path | None = None
    """Where the fresh version was written (the report file), None when nothing was written."""


def _atomic_write(path: Path, data: bytes, *, durable: bool) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path`` (a reader
    sees the old or the new file, never part of one).  ``durable``: flushed to the disk first
    (``fsync``), for what only the user has (a hand-edited file, its backup); a generated file is
    not (a crash loses nothing the next build cannot write again, and syncing a thousand files
    costs seconds)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                if durable:
                    fh.flush()
                    os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror or exc}", path=str(path)) from None


def _backup_path(path: Path) -> Path:
    candidate = path.with_name(path.name + ".bak")
    n = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.name}.bak.{n}")
        n += 1
    return candidate


def write_report(path: Path, report: Report, builder_version: str, force: bool = False,
                 fresh: str | None = None) -> WriteOutcome:
    """Write ``report`` to ``path`` unless that would destroy a hand edit (see module doc).

    ``fresh``: ``dump_report(report, builder_version)`` when the caller has it already."""
    if fresh is None:
        fresh = dump_report(report, builder_version)
    if not path.exists():
        _atomic_write(path, fresh.encode("utf-8"), durable=False)
        return WriteOutcome("created", path, fresh_path=path)
    try:
        old_bytes = path.read_bytes()
    except OSError as exc:
        raise OutputError(f"cannot read: {exc.strerror}", path=str(path)) from None
    if old_bytes == fresh.encode("utf-8"):
        return WriteOutcome("unchanged", path)
    try:
        edited = is_hand_edited(parse_front_matter(old_bytes.decode("utf-8"), str(path)))
    except (SourceError, UnicodeDecodeError):
        edited = True
    if not edited:
        _atomic_write(path, fresh.encode("utf-8"), durable=False)
        return WriteOutcome("updated", path, fresh_path=path)
    if not force:
        return WriteOutcome("kept-edited", path)
    backup = _backup_path(path)
    _atomic_write(backup, old_bytes, durable=True)  # the user's edit, before it is replaced
    _atomic_write(path, fresh.encode("utf-8"), durable=True)
    return WriteOutcome("forced", path, backup=backup, fresh_path=path)
