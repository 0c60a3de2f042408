"""markdown-it configuration for report bodies: block ids and bold lead-ins.

Two small pieces, used by :func:`builder.sitesrc.markdown_parser`:

* ``attrs_block_plugin`` from mdit-py-plugins, limited to ``id`` and ``class``,
  so ``{#s1-p2}`` on the line before a block becomes that block's ``id`` and a
  hand-written ``{onclick=...}`` is dropped.
* :func:`lead_plugin`: CommonMark's flanking rules do not let ``**创新。**全社会``
  close the strong span (``。`` is punctuation and ``全`` is not), so Chinese
  lead-ins would show their asterisks.  This rule recognises ``**…**`` at the
  very start of a paragraph or heading, whatever follows it, and marks the
  ``strong_open`` token with ``meta["lead"] = True``.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from mdit_py_plugins.attrs import attrs_block_plugin

if TYPE_CHECKING:  # pragma: no cover
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_inline import StateInline

ALLOWED_BLOCK_ATTRS = ("id", "class")


def _find_close(src: str, start: int, end: int) -> int | None:
    """Index of the first unescaped ``**`` in ``src[start:end]``."""
    i = start
    while i < end - 1:
        ch = src[i]
        if ch == "\\":
            i += 2
        elif ch == "*" and src[i + 1] == "*":
            return i
        else:
            i += 1
    return None


def _lead_rule(state: StateInline, silent: bool) -> bool:
    if state.pos != 0 or not state.src.startswith("**"):
        return False
    close = _find_close(state.src, 2, state.posMax)
    if close is None or close == 2:
        return False
    if not silent:
        token = state.push("strong_open", "strong", 1)
        token.markup = "**"
        token.meta = {"lead": True}
        old_max = state.posMax
        state.pos = 2
        state.posMax = close
        state.md.inline.tokenize(state)
        state.posMax = old_max
        token = state.push("strong_close", "strong", -1)
        token.markup = "**"
    state.pos = close + 2
    return True


def lead_plugin(md: MarkdownIt) -> None:
    """Bold lead-ins ``**…**`` at the start of a block, regardless of what follows."""
    md.inline.ruler.before("emphasis", "report_lead", _lead_rule)


#: A line of block attributes that is one id and nothing else (what ``builder ingest`` writes
#: above every block): the plugin's parser reads it as ``{"id": …}``, one character at a time.
_ID_LINE = re.compile(r"\{#([A-Za-z0-9_-]+)\}[ \t]*")


def _id_line_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """The plugin's ``attr`` block rule for an id line ``{#s1-p2}``, which makes the very token
    it makes, without its character-by-character parser (a tenth of a report's parsing); any
    other line is left to that rule."""
    if state.is_code_block(start_line):
        return False
    pos = state.bMarks[start_line] + state.tShift[start_line]
    line = _ID_LINE.fullmatch(state.src, pos, state.eMarks[start_line])
    if line is None:
        return False
    if not silent:
        token = state.push("attrs_block", "", 0)
        token.attrs = {"id": line.group(1)}
        token.map = [start_line, start_line + 1]
        state.line = start_line + 1
    return True


def configure(md: MarkdownIt) -> MarkdownIt:
    """Add block attributes and lead-ins to ``md``; returns ``md``."""
    md.use(attrs_block_plugin, allowed=list(ALLOWED_BLOCK_ATTRS))
    md.block.ruler.before("attr", "attr_id", _id_line_rule)
    md.use(lead_plugin)
    return md
