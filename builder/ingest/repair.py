"""Pure text repairs: zero-width characters, paragraphs glued on one line, lines broken inside a sentence.

Each repair takes numbered lines (``SourceLine``: the number is the line's place in
``SourceDocument.lines``) and returns ``Repaired``: the new lines and a ``RepairNote`` for every
change, so that nothing changes silently.  None of them adds, drops or reorders a CJK character
or a digit, and each is idempotent (running it on its own output changes nothing).

Where they belong in cleaning:

* ``repair_raw`` (``remove_zero_width`` then ``split_glued_paragraphs``) runs on the raw lines,
  **before** normalization: normalization turns zero-width characters and the ``　　`` that glue
  paragraphs into ordinary spaces, after which neither can be told apart.
* ``join_broken_lines`` runs on the body lines the cleaner keeps, **after** chrome is removed:
  chrome is recognized line by line (``【字号：`` / ``加大`` / ... / ``】``), and joining first would
  glue chrome to chrome or to body text.

A split line's parts keep its number; a joined line keeps the number of its first part.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from builder.core.model import SourceLine


@dataclass(frozen=True)
class RepairNote:
    """One change a repair made, in the shape of the cleaning log (``RemovedLine``: number, text, rule)."""

    number: int
    """The source line changed: the line that was split or cleaned, or the line joined to the one before."""
    text: str
    """What changed, e.g. "U+200B ×2", "3 paragraphs", or the text of the line that was joined."""
    rule: str
    """"zero-width", "glued-paragraphs" or "joined-line"."""


@dataclass(frozen=True)
class Repaired:
    lines: tuple[SourceLine, ...]
    log: tuple[RepairNote, ...] = ()


def numbered(lines: Sequence[str], start: int = 1) -> tuple[SourceLine, ...]:
    """Raw lines as SourceLines numbered from ``start`` (``SourceDocument.lines`` -> repair input)."""
    return tuple(SourceLine(number, text) for number, text in enumerate(lines, start=start))


def repair_raw(lines: Sequence[SourceLine]) -> Repaired:
    """The repairs of raw lines, in order: zero-width characters, then glued paragraphs."""
    clean = remove_zero_width(lines)
    split = split_glued_paragraphs(clean.lines)
    return Repaired(split.lines, clean.log + split.log)


# ---------------------------------------------------------------- zero-width characters

#: Invisible characters with no width that scrapers leave in text: zero-width space, non-joiner and
#: joiner, word joiner and the invisible operators, a byte-order mark inside the text, the soft hyphen
#: and the Mongolian vowel separator.  (A joiner inside an emoji sequence goes too: reports hold none.)
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u00ad\u180e"
_ZERO_WIDTH = re.compile(f"[{ZERO_WIDTH}]|<U\\+(?:200[BCD]|2060|FEFF|00AD)>", re.IGNORECASE)


def remove_zero_width(lines: Sequence[SourceLine]) -> Repaired:
    """Drop zero-width characters (and R's ``<U+200B>``-style escapes of them); log which, per line."""
    out: list[SourceLine] = []
    log: list[RepairNote] = []
    for line in lines:
        found = _ZERO_WIDTH.findall(line.text)
        if not found:
            out.append(line)
            continue
        out.append(SourceLine(line.number, _ZERO_WIDTH.sub("", line.text)))
        counts = Counter(_code_point(mark) for mark in found)
        log.append(RepairNote(line.number, ", ".join(f"{code} ×{n}" for code, n in counts.items()), "zero-width"))
    return Repaired(tuple(out), tuple(log))


def _code_point(mark: str) -> str:
    return mark.strip("<>").upper() if mark.startswith("<") else f"U+{ord(mark):04X}"


# ---------------------------------------------------------------- shapes of lines

_CN_NUMBER = "一二三四五六七八九十百零〇两"
#: How a numbered heading or list item starts: 一、 （一） (一) 第一章 第三部分 1. 1、 （1） ①.
HEADING_START = re.compile(
    f"(?:[{_CN_NUMBER}]+、|[（(][{_CN_NUMBER}]+[)）]|第[{_CN_NUMBER}0-9]+(?:章|节|条|部分|篇|编)"
    r"|[0-9０-９]{1,2}(?:[.、．](?![0-9０-９])|[)）])|[（(][0-9０-９]{1,2}[)）]|[①-⑳])")
#: Openings that begin a paragraph of their own: salutations, dash-led items and subtitles, the speaker.
_OWN_PARAGRAPH_START = re.compile(r"(?:各位代表|各位委员|同志们|各位领导|女士们|代表们|—|-{2}|――)")
_SENTENCE_END = "。！？；：…”’」』）】!?;:)"
#: Marks that close or continue a sentence: a line starting with one is the tail of the line before.
CLOSING_START = "，。、；：？！）》」』”’】〕…,;:!?)"


def starts_own_paragraph(text: str) -> bool:
    """A numbered heading or list item, a salutation, a dash-led item or subtitle: never the tail of a sentence."""
    text = text.lstrip(" \t\u3000\u00a0")
    return bool(HEADING_START.match(text) or _OWN_PARAGRAPH_START.match(text))


# ---------------------------------------------------------------- paragraphs glued on one line

#: A run of indentation inside a line: at least two ideographic spaces or no-break spaces (``&nbsp;``,
#: R's ``<U+00A0>``), ordinary spaces between them allowed.
_INDENT_UNIT = r"(?:\u3000|\u00a0|&nbsp;|<U\+00A0>)"
_INDENT_RUN = re.compile(f"[ \\t]*(?:{_INDENT_UNIT}[ \\t]*){{2,}}", re.IGNORECASE)
#: The same runs without their leading spaces: starting with an indentation unit, a character the
#: regex engine skips to (``_INDENT_RUN`` may start anywhere, so it is tried at every character).
_INDENT_UNITS = re.compile(f"{_INDENT_UNIT}[ \\t]*(?:{_INDENT_UNIT}[ \\t]*)+", re.IGNORECASE)
_HEADING_MAX = 40


def split_glued_paragraphs(lines: Sequence[SourceLine]) -> Repaired:
    """Split a line whose paragraphs are glued by indentation (``…发展。　　二是…``) into one line each.

    An indentation run inside a line starts a new paragraph when the text before it ends a sentence
    (``。！？；：`` or a closing bracket or quote), when the text after it starts a paragraph of its own
    (a heading number, a salutation, a dash), or when the text before it is a short numbered heading.
    Leading indentation is just indentation; ``区长　　张三`` (a name set apart) stays one line.
    The indentation stays at the start of the new line.
    """
    out: list[SourceLine] = []
    log: list[RepairNote] = []
    for line in lines:
        parts = _glued_parts(line.text)
        out.extend(SourceLine(line.number, part) for part in parts)
        if len(parts) > 1:
            log.append(RepairNote(line.number, f"{len(parts)} paragraphs", "glued-paragraphs"))
    return Repaired(tuple(out), tuple(log))


def _glued_parts(text: str) -> list[str]:
    if "\u3000" not in text and "\u00a0" not in text and "&" not in text and "<" not in text:
        return [text]  # no indentation unit in the line (searching for runs would try every position)
    parts: list[str] = []
    start = 0
    for run_start, run_end in _indent_runs(text):
        before = text[start:run_start]
        after = text[run_end:]
        if not before.strip(" \t\u3000\u00a0") or not after.strip() or after.lstrip()[0] in CLOSING_START:
            continue  # leading or trailing indentation, or no paragraph can start here
        if _paragraph_ends(before) or starts_own_paragraph(after) or _is_short_heading(before):
            parts.append(before)
            start = run_start
    parts.append(text[start:])
    return parts


def _indent_runs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each match of ``_INDENT_RUN`` in ``text``, found by ``_INDENT_UNITS``: a run
    then starts where the spaces and tabs before its first unit start (not before the last run's end)."""
    done = 0
    for run in _INDENT_UNITS.finditer(text):
        start = run.start()
        while start > done and text[start - 1] in " \t":
            start -= 1
        yield start, run.end()
        done = run.end()


def _paragraph_ends(before: str) -> bool:
    return before.rstrip(" \t")[-1:] in _SENTENCE_END


def _is_short_heading(before: str) -> bool:
    text = _INDENT_RUN.sub("", before).strip(" \t\u3000\u00a0")
    return bool(HEADING_START.match(text)) and len(text) <= _HEADING_MAX and not re.search(r"[。！？；]", text)


# ---------------------------------------------------------------- lines broken inside a sentence

#: Marks after which a sentence cannot stop: a line ending with one goes on in the next.
_OPEN_END = "，、（《“「『【〔‘(,"
#: Words a Chinese sentence cannot end on (particles, prepositions, conjunctions): a body line
#: ending with one and no punctuation was cut, typically where a link was (``…所作的`` / ``报告`` / ``。``).
CONNECTIVE_END = "的和与及或把被将从向对在并为以于等同跟由让使给"
_FRAGMENT_MIN = 6
#: A verb and a colon (``是：`` ``为：``) cannot open a paragraph: ``…的主要目标`` / ``是：…`` is one sentence.
_VERB_COLON_START = re.compile(r"[是为有即][：:]")
_SPACES = " \t\u3000\u00a0"
#: A salutation alone on its line, whatever its mark (``各位代表，``): a paragraph of its own.
_SALUTATION_ONLY = re.compile(r"(?:(?:各位代表|各位委员|同志们|各位领导|女士们|先生们|代表们|朋友们)[，,、]?)+"
                              r"[，,：:！!]?")
#: Longest fragment taken as a piece of the sentence around it (a link's text, a bold term, a title in 《》).
_INLINE_MAX = 40
_SENTENCE_STOP = re.compile(r"[。！？；!?;]")


def join_broken_lines(lines: Sequence[SourceLine]) -> Repaired:
    """Rejoin a sentence that was broken over lines.

    A line is joined to the one before when it begins with closing punctuation (``。`` ``，`` ``》`` ...)
    or with a verb and a colon (``是：``), or when the line before plainly does not end there: it ends
    with ``，``, ``、`` or an opening bracket or quote, or it is a body fragment (not a heading,
    salutation or dash-led line, at least six characters) ending on a word no sentence ends on
    (``的``, ``和``, ``对``, ...) or on a Latin letter or digit (``…PM`` / ``2.5``).  A line that starts
    a paragraph of its own (a heading or list number, a salutation, a dash) is never joined to the one
    before except by closing punctuation, and headings, titles and salutations never take the next line
    on their own.  A short fragment (a link's or a bold term's text: no sentence in it, not a heading)
    between a line that ends no sentence and a line that begins with closing punctuation stands
    inside that sentence: it is joined to the line before (``…带技术`` / ``揭榜`` / ``；…``).
    Run it on the body lines kept after chrome removal.
    """
    out: list[SourceLine] = []
    log: list[RepairNote] = []
    for k, line in enumerate(lines):
        following = lines[k + 1].text if k + 1 < len(lines) else ""
        if out and joins(out[-1].text, line.text, following):
            previous = out[-1]
            out[-1] = SourceLine(previous.number, _glue(previous.text, line.text))
            log.append(RepairNote(line.number, line.text, "joined-line"))
        else:
            out.append(line)
    return Repaired(tuple(out), tuple(log))


def joins(before: str, line: str, following: str = "") -> bool:
    """Whether ``join_broken_lines`` joins ``line`` to the line ``before`` it (``following``: the
    line after it, which tells a fragment cut out of a sentence)."""
    return _continues(before, line) or _inline_fragment(before, line, following)


def broken_sentence_lines(texts: Sequence[str]) -> frozenset[int]:
    """The indexes of the lines that ``join_broken_lines`` would join to a neighbour: pieces of a
    sentence broken over lines (the line before them included)."""
    pieces: set[int] = set()
    for k in range(1, len(texts)):
        if joins(texts[k - 1], texts[k], texts[k + 1] if k + 1 < len(texts) else ""):
            pieces.update((k - 1, k))
    return frozenset(pieces)


def _continues(before: str, after: str) -> bool:
    """Whether ``after`` is the rest of the sentence ``before`` was cut from."""
    head = before.strip(_SPACES)
    tail = after.strip(_SPACES)
    if not head or not tail:
        return False
    if tail[0] in CLOSING_START:
        return True
    if starts_own_paragraph(tail) or _SALUTATION_ONLY.fullmatch(head):
        return False
    if head[-1] in _OPEN_END or _VERB_COLON_START.match(tail):
        return True
    cut = head[-1] in CONNECTIVE_END or (head[-1].isascii() and head[-1].isalnum())
    return cut and len(head) >= _FRAGMENT_MIN and not starts_own_paragraph(head)


def _inline_fragment(before: str, fragment: str, after: str) -> bool:
    """Whether ``fragment`` is a piece of one sentence cut out on a line of its own: the line
    before ends no sentence, the line after begins with closing punctuation (so it continues the
    fragment), and the fragment is short, holds no sentence end and starts no paragraph."""
    head = before.strip(_SPACES)
    text = fragment.strip(_SPACES)
    tail = after.strip(_SPACES)
    return (bool(head and text and tail) and head[-1] not in _SENTENCE_END and tail[0] in CLOSING_START
            and len(text) <= _INLINE_MAX and not _SENTENCE_STOP.search(text) and not starts_own_paragraph(text))


def _glue(before: str, after: str) -> str:
    head = before.rstrip(_SPACES)
    tail = after.lstrip(_SPACES)
    if head[-1:].isascii() and head[-1:].isalpha() and tail[:1].isascii() and tail[:1].isalpha():
        return f"{head} {tail}"  # two Latin words
    return head + tail
