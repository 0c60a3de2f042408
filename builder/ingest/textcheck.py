"""Never lose text: find the sentences of a source that do not reach its output."""

from __future__ import annotations

import re
from collections.abc import Iterable

_STOPS = "。！？；!?;"
#: A sentence: text up to and including one stop, or the text after the last stop.
_SENTENCE = re.compile(f"[^{_STOPS}]*[{_STOPS}]|[^{_STOPS}]+")
_SPACE = re.compile(r"\s+")


def _without_spaces(text: str) -> str:
    if text.isprintable():  # its only whitespace can be ASCII spaces (the others are unprintable)
        return text.replace(" ", "")
    return _SPACE.sub("", text)


def split_sentences(text: str) -> list[str]:
    """Sentences of a text, cut after 。！？； (and their ASCII forms), whitespace removed."""
    return _SENTENCE.findall(_without_spaces(text))


def missing_sentences(source: Iterable[str], kept: Iterable[str]) -> list[str]:
    """The sentences of ``source`` texts that occur nowhere in the ``kept`` texts, in source order.

    Whitespace is ignored on both sides; a sentence counts as kept when it stands anywhere in the
    kept text (it may have moved into a heading or a lead-in).
    """
    haystack = "\n".join(_without_spaces(text) for text in kept)
    missing = []
    cursor = 0  # kept text mostly follows the source: look after the last sentence found first
    for text in source:
        for sentence in split_sentences(text):
            found = haystack.find(sentence, cursor)
            if found >= 0:
                cursor = found + len(sentence)
            elif sentence not in haystack:
                missing.append(sentence)
    return missing
