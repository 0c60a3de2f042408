"""The search index's word for a glossary term: one Latin word that stands for the whole term.

Pagefind's extended build cuts Chinese text into words with its own dictionary, and the browser
cuts the query with ``Intl.Segmenter``: 放管服 becomes 放 / 管 / 服 in the index, 双随机、一公开
becomes 双 / 随机 / 、/ 一 / 公开, and the two cuts need not agree.  So every paragraph where the
glossary found a term (the glossary's own rules: 意识 is not found in 意识形态) also carries, in an
attribute Pagefind indexes, one word made from the term itself; the search script
(``templates/static/search.js``) makes the same word from the query and looks for it.

The word is ``zq`` + five letters per character + ``z``: the character's code point in
hexadecimal written with the letters a–p instead of 0–f, after NFKC, lower case and dropping
everything that is not a letter or a digit (so 双随机、一公开, 双随机一公开 and “双随机、一公开”
give one word).  Only letters: Pagefind never cuts it, and no stemmer applies to them.  The final
``z`` (never one of a–p) keeps one term's word from being the start of a longer term's word
(Pagefind also finds words that begin with the last word of a query).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

PREFIX = "zq"
_LETTERS = "abcdefghijklmnop"


def normalized(text: str) -> str:
    """The characters of ``text`` that name a term: NFKC, lower case, letters and digits only."""
    return "".join(c for c in unicodedata.normalize("NFKC", text).lower() if c.isalnum())


@lru_cache(maxsize=4096)
def search_word(text: str) -> str:
    """The index word of a term or alias (see the module docstring); "" when nothing is left.

    Remembered: a build asks for the same glossary terms' words on every page."""
    kept = normalized(text)
    if not kept:
        return ""
    return PREFIX + "".join("".join(_LETTERS[int(d, 16)] for d in f"{ord(c):05x}") for c in kept) + "z"


def search_words(forms: tuple[str, ...] | list[str]) -> str:
    """The index words of a term's forms (term and aliases), space-separated, each once."""
    words: list[str] = []
    for form in forms:
        word = search_word(form)
        if word and word not in words:
            words.append(word)
    return " ".join(words)
