"""A simplified-character shadow of a text, for matching only.

Reports are published as they were written, partly in traditional characters at times
(我們第一届全國人民代表大會…).  Attribution and term matching look at a simplified
shadow of each line made by OpenCC (``t2s``), while the text itself stays as published.

OpenCC also "simplifies" a few characters that simplified text uses on purpose (乾县 ->
干县, 拚搏 -> 拼搏).  So a line is shadowed only when it plainly holds traditional
characters: one that converts back to itself (國 -> 国 -> 國, unlike 乾 -> 干 -> 幹), or two
different characters that OpenCC changes; or when the whole document holds many; other
lines are their own shadow.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

#: Different characters OpenCC must change in one line before that line is shadowed.
LINE_THRESHOLD = 2
#: ... or in the whole document, before every line is.
DOCUMENT_THRESHOLD = 6


@lru_cache(maxsize=1)
def _back_converter():  # opencc has no type hints
    import opencc

    return opencc.OpenCC("s2t")


@lru_cache(maxsize=4096)
def plainly_traditional(char: str) -> bool:
    """A character OpenCC simplifies and that its simplified form converts back to: 國, 們, 會
    (not 乾, 拚, 昇, which simplified text also uses)."""
    simple = simplified(char)
    return simple != char and str(_back_converter().convert(simple)) == char


@lru_cache(maxsize=1)
def _converter():  # opencc has no type hints
    import opencc  # imported when needed: most pages are simplified already

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """OpenCC's simplified form of ``text`` (every character OpenCC would change)."""
    if text.isascii():
        return text
    return str(_converter().convert(text))


def changed_characters(text: str, converted: str) -> set[str]:
    """The different characters of ``text`` that the conversion changed (same-length texts)."""
    if len(text) != len(converted):
        return {ch for ch in text if ch not in converted}
    return {a for a, b in zip(text, converted, strict=True) if a != b}


def shadow_lines(texts: Sequence[str]) -> tuple[str, ...]:
    """The shadow of each line of one document (see the module docstring)."""
    if all(text.isascii() for text in texts):
        return tuple(texts)
    joined = "\n".join(texts)
    converted = simplified(joined)
    if converted == joined:
        return tuple(texts)
    lines = converted.split("\n")
    if len(lines) != len(texts):  # a conversion never adds or drops a line break; be safe anyway
        lines = [simplified(text) for text in texts]
    if len(changed_characters(joined, converted)) >= DOCUMENT_THRESHOLD:
        return tuple(lines)
    return tuple(shadow if _is_traditional(changed_characters(text, shadow)) else text
                 for text, shadow in zip(texts, lines, strict=True))


def _is_traditional(changed: set[str]) -> bool:
    return len(changed) >= LINE_THRESHOLD or any(plainly_traditional(char) for char in changed)


def shadow(text: str) -> str:
    """The shadow of one short text (a title, a metadata value) on its own."""
    return shadow_lines([text])[0]
