"""Never lose text: find the sentences of a source that do not reach its output."""

from __future__ import annotations

import re
from typing import Iterable

_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])")
_SPACE = re.compile(r"\s+")


def split_sentences(text: str) -> list[str]:
    """Sentences of a text, cut after 。！？； (and their ASCII forms), whitespace removed."""
    compact = _SPACE.sub("", text)
    return [s for s in _SENTENCE_END.split(compact) if s]


def missing_sentences(source: Iterable[str], kept: Iterable[str]) -> list[str]:
    """The sentences of ``source`` texts that occur nowhere in the ``kept`` texts, in source order.

    Whitespace is ignored on both sides; a sentence counts as kept when it stands anywhere in the
    kept text (it may have moved into a heading or a lead-in).
    """
    haystack = "\n".join(_SPACE.sub("", text) for text in kept)
    return [s for text in source for s in split_sentences(text) if s not in haystack]
