"""The text of an inline token's children outside links, joined, shared by the plugins that
search a paragraph's text as a whole (indicators, glossary links) and then split the one text
child that holds each match."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it.token import Token


@dataclass(frozen=True)
class TextRuns:
    """``text``: the joined text; ``children[where[k]]`` starts at ``offsets[k]`` in it."""

    text: str
    where: list[int]
    offsets: list[int]

    def child_holding(self, children: Sequence[Token], start: int, end: int) -> tuple[int, int] | None:
        """(child index, its offset) of the text child that holds ``text[start:end]`` whole: the
        last one starting at or before ``start``; None when the span crosses into markup."""
        k = bisect_right(self.offsets, start) - 1
        if k >= 0 and end <= self.offsets[k] + len(children[self.where[k]].content):
            return self.where[k], self.offsets[k]
        return None


def text_outside_links(children: Sequence[Token], separator: str = "") -> TextRuns:
    """Join the ``text`` children that are not inside a link.

    With a ``separator``, every other child (markup, a line break, an empty text) stands in the
    joined text as that separator, so nothing searched for matches across it; without one the
    texts are joined directly (figures are extracted from the paragraph's text as read)."""
    where: list[int] = []
    offsets: list[int] = []
    parts: list[str] = []
    length = depth = 0
    for n, child in enumerate(children):
        kind = child.type
        if kind == "link_open":
            depth += 1
        elif kind == "link_close":
            depth -= 1
        elif depth == 0:
            if kind == "text" and (child.content or not separator):
                where.append(n)
                offsets.append(length)
                parts.append(child.content)
                length += len(child.content)
            elif separator:
                parts.append(separator)
                length += len(separator)
    return TextRuns("".join(parts), where, offsets)
