"""The glossary's share of the site: its page, its data file, a report's list of terms.

Pure functions from the glossary and the occurrences the ``glossary_links`` plugin
recorded to template contexts and JSON; :mod:`builder.render.site` renders them::

    glossary/index.html     every entry, sorted by pinyin, with a letter index and backlinks
    data/glossary.json      id, term, aliases, definition, gloss, category, see_also, occurrences
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

from builder.core import jsonout
from builder.core.config import BACKLINKS_MAX
from builder.glossary.terms import Glossary, Term, glossary_json
from builder.text.searchword import search_words

GLOSSARY_TEMPLATE = "glossary.html"
TERMS_PARTIAL = "_glossary_terms.html"
#: Templates a site's own template folder may lack: the bundled ones are used then.
TEMPLATES = (GLOSSARY_TEMPLATE, TERMS_PARTIAL)
GLOSSARY_PAGE = "glossary/index.html"
GLOSSARY_DATA = "data/glossary.json"
#: An entry with more occurrences than ``glossary.backlinks_max`` (default
#: :data:`~builder.core.config.BACKLINKS_MAX`) lists, instead of every occurrence, its reports (most
#: occurrences first, at most :data:`REPORTS_SHOWN`) with a count each and links to the first
#: :data:`FIRST_ANCHORS` occurrences; the complete list stays in data/glossary.json.  So the page
#: is bounded by the glossary's size, not the site's.
REPORTS_SHOWN = 20
FIRST_ANCHORS = 3
#: The heading letter of terms that do not start with a Chinese character or a Latin letter.
OTHER_LETTER = "#"


class PinyinKeys(dict[str, str]):
    """A memo of sort keys, text -> :func:`pinyin_key` of it.  The build cache keeps one across
    builds and saves it (:meth:`saved`, :meth:`restore`), so a rebuild need not load pypinyin's
    dictionaries (about 0.3 s) just to sort the glossary again; the renderer is handed it."""

    def key(self, text: str) -> str:
        """Toneless pinyin of ``text`` for sorting: 放管服 -> "fang guan fu"; other characters kept."""
        hit = self.get(text)
        if hit is None:
            from pypinyin import lazy_pinyin

            hit = self[text] = " ".join(p.lower() for p in lazy_pinyin(text))
        return hit

    def prime(self, texts: Iterable[str]) -> None:
        """Compute the keys of ``texts`` not known yet, in a forked child process while this one
        has not loaded pypinyin: its dictionaries (about 55 MB) then never weigh on this process,
        nor on the render workers it forks.  Without ``fork``, in this process."""
        missing = sorted({text for text in texts if text not in self})
        if not missing:
            return
        if "pypinyin" not in sys.modules:
            import multiprocessing

            try:
                with multiprocessing.get_context("fork").Pool(1) as pool:
                    self.update(pool.apply(_pinyin_keys, (missing,)))
                return
            except (ValueError, OSError):  # no fork on this platform, or no process to spare
                pass
        self.update(_pinyin_keys(missing))

    def saved(self) -> tuple[str, dict[str, str]]:
        """(pypinyin's version, the keys), for the build cache to save."""
        return pinyin_version(), dict(self)

    @classmethod
    def restore(cls, saved: object) -> PinyinKeys:
        """The memo :meth:`saved` returned, unless pypinyin changed since (then an empty one)."""
        keys = cls()
        if isinstance(saved, tuple) and len(saved) == 2 and saved[0] == pinyin_version() \
                and isinstance(saved[1], dict):
            keys.update(saved[1])
        return keys


#: The memo of the functions below when they are given none (a build hands them the cache's).
_PINYIN = PinyinKeys()


def pinyin_key(text: str, keys: PinyinKeys | None = None) -> str:
    """Toneless pinyin of ``text`` for sorting: 放管服 -> "fang guan fu"; other characters kept."""
    return (_PINYIN if keys is None else keys).key(text)


def prime_pinyin(texts: Iterable[str], keys: PinyinKeys | None = None) -> None:
    """:meth:`PinyinKeys.prime` of ``keys`` (else of this module's own memo)."""
    (_PINYIN if keys is None else keys).prime(texts)


def _pinyin_keys(texts: Sequence[str]) -> dict[str, str]:
    keys = PinyinKeys()
    return {text: keys.key(text) for text in texts}


@lru_cache(maxsize=1)
def pinyin_version() -> str:
    """pypinyin's ``__version__``, read from its source (importing it, or importlib.metadata,
    would cost more than the sort keys the build cache saves)."""
    import importlib.util

    try:
        spec = importlib.util.find_spec("pypinyin")
        with open(spec.origin, encoding="utf-8") as handle:  # type: ignore[union-attr, arg-type]
            found = re.search(r"^__version__\s*=\s*['\"]([^'\"]+)['\"]", handle.read(), re.M)
    except (ImportError, AttributeError, TypeError, OSError, ValueError):  # pragma: no cover
        return "?"
    return found.group(1) if found else "?"


def letter(term: Term, keys: PinyinKeys | None = None) -> str:
    """The index letter of a term: the first letter of its pinyin (A-Z), else "#"."""
    first = pinyin_key(term.term, keys)[:1].upper()
    return first if "A" <= first <= "Z" else OTHER_LETTER


def sort_key(term: Term, keys: PinyinKeys | None = None) -> tuple[int, str, str]:
    """Terms in pinyin order, those without a letter last."""
    return (letter(term, keys) == OTHER_LETTER, pinyin_key(term.term, keys), term.term)


def report_terms(glossary: Glossary, used: Sequence[str], keys: PinyinKeys | None = None) -> list[dict[str, str]]:
    """The terms a report uses (ids in order of first use), for its printed list of terms."""
    chosen = (glossary.by_id[i] for i in dict.fromkeys(used) if i in glossary.by_id)
    return [term_entry(t) for t in sorted(chosen, key=lambda term: sort_key(term, keys))]


def term_entry(term: Term) -> dict[str, str]:
    """One item of :func:`report_terms` (the build cache keeps only the ids and rebuilds these)."""
    return {"id": term.id, "term": term.term, "definition": term.definition, "gloss": term.gloss}


#: Where a term occurs: {"report", "anchor"}, or (report, anchor).
Occurrence = Mapping[str, str] | tuple[str, str]


def glossary_context(glossary: Glossary, occurrences: Mapping[str, Sequence[Occurrence]],
                     titles: Mapping[str, str], urls: Mapping[str, str],
                     backlinks_max: int = BACKLINKS_MAX, keys: PinyinKeys | None = None,
                     places: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, object]:
    """The variables of glossary.html.

    ``occurrences``: term id -> [{report, anchor}] (or (report, anchor) tuples) in document order; ``titles`` and
    ``urls``: report slug -> its title and its URL relative to the site root.  An entry with
    at most ``backlinks_max`` occurrences lists them all, grouped by report (``full``); a more
    frequent one lists its :data:`REPORTS_SHOWN` reports with the most occurrences (site order
    among equals), each with its ``count`` and first :data:`FIRST_ANCHORS` anchors, and
    ``more_reports`` / ``more_count`` for the rest.  ``places``: report slug -> {anchor: where it
    is, as a reader names it ("一、2019年工作回顾 · 第4段")}, the text of each backlink (else the anchor).
    """
    places = places or {}
    entries: list[dict[str, Any]] = []
    for term in sorted(glossary.terms, key=lambda term: sort_key(term, keys)):
        found = occurrences.get(term.id, ())
        full = len(found) <= backlinks_max
        reports: dict[str, dict[str, Any]] = {}
        for occurrence in found:
            slug, anchor = occurrence if isinstance(occurrence, tuple) else (occurrence["report"], occurrence["anchor"])
            slug, anchor = str(slug), str(anchor)
            group = reports.get(slug)
            if group is None:
                group = reports[slug] = {"slug": slug, "title": titles.get(slug, slug), "anchors": [], "count": 0}
            group["count"] += 1
            anchors: list[dict[str, str]] = group["anchors"]
            if full or len(anchors) < FIRST_ANCHORS:
                url = f"../{urls.get(slug, slug)}"
                anchors.append({"anchor": anchor, "label": places.get(slug, {}).get(anchor) or anchor or "正文",
                                "url": f"{url}#{anchor}" if anchor else url})
        shown = list(reports.values())
        if len(found) > backlinks_max:
            order = {slug: i for i, slug in enumerate(reports)}
            shown = sorted(shown, key=lambda g: (-int(g["count"]), order[str(g["slug"])]))[:REPORTS_SHOWN]
        entries.append({
            "id": term.id, "term": term.term, "aliases": list(term.aliases), "definition": term.definition,
            "gloss": term.gloss, "category": term.category, "letter": letter(term, keys),
            "search_words": search_words([term.term, *term.aliases]),
            "see_also": [{"id": i, "term": glossary.by_id[i].term} for i in term.see_also if i in glossary.by_id],
            "count": len(found), "full": len(found) <= backlinks_max,
            "reports": shown, "more_reports": len(reports) - len(shown),
            "more_count": len(found) - sum(int(g["count"]) for g in shown),
        })
    groups: list[dict[str, Any]] = []
    for entry in entries:
        if not groups or groups[-1]["letter"] != entry["letter"]:
            groups.append({"letter": entry["letter"], "id": letter_id(str(entry["letter"])), "entries": []})
        groups[-1]["entries"].append(entry)
    return {"entries": entries, "groups": groups, "term_count": len(entries),
            "occurrence_count": sum(int(e["count"]) for e in entries)}


def glossary_files(glossary: Glossary, occurrences: Mapping[str, Sequence[Occurrence]],
                   titles: Mapping[str, str], urls: Mapping[str, str],
                   render: Callable[..., str], backlinks_max: int = BACKLINKS_MAX,
                   keys: PinyinKeys | None = None,
                   places: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, bytes]:
    """``glossary/index.html`` (via ``render(template name, **context)``) and ``data/glossary.json``
    (every occurrence, whatever ``backlinks_max``)."""
    return {GLOSSARY_PAGE: glossary_page(glossary, occurrences, titles, urls, render, backlinks_max, keys, places),
            GLOSSARY_DATA: glossary_data(glossary, occurrences)}


def glossary_page(glossary: Glossary, occurrences: Mapping[str, Sequence[Occurrence]],
                  titles: Mapping[str, str], urls: Mapping[str, str],
                  render: Callable[..., str], backlinks_max: int = BACKLINKS_MAX,
                  keys: PinyinKeys | None = None, places: Mapping[str, Mapping[str, str]] | None = None) -> bytes:
    """The bytes of ``glossary/index.html`` (see :func:`glossary_files`)."""
    context = glossary_context(glossary, occurrences, titles, urls, backlinks_max, keys, places)
    return render(GLOSSARY_TEMPLATE, root="../", canonical_url="", **context).encode("utf-8")


def glossary_data(glossary: Glossary, occurrences: Mapping[str, Sequence[object]]) -> bytes:
    """The bytes of ``data/glossary.json``: every occurrence, whatever ``backlinks_max``."""
    return b"".join(glossary_data_pieces(glossary, occurrences))


def glossary_data_pieces(glossary: Glossary, occurrences: Mapping[str, Sequence[object]]) -> Iterator[bytes]:
    """:func:`glossary_data` piece by piece (a large site's file is tens of MB: never held whole)."""
    for piece in glossary_json_pieces(glossary, occurrences):
        yield piece.encode("utf-8")
    yield b"\n"


def glossary_json_text(glossary: Glossary, occurrences: Mapping[str, Sequence[object]]) -> str:
    """``json.dumps(glossary_json(glossary, occurrences), ensure_ascii=False, indent=2)``, faster
    (see :func:`glossary_json_pieces`)."""
    return "".join(glossary_json_pieces(glossary, occurrences))


def glossary_json_pieces(glossary: Glossary, occurrences: Mapping[str, Sequence[object]]) -> Iterator[str]:
    """:func:`glossary_json_text` in pieces, with the long ``occurrences`` lists (hundreds of
    thousands of items on a large site) written by a format string instead of token by token, each
    when its turn comes.  ``occurrences``' items: {report, anchor} or tuples."""
    pairs = {term: [o if type(o) is tuple else (o["report"], o["anchor"]) for o in found]  # type: ignore[index]
             for term, found in occurrences.items()}
    shallow = glossary_json(glossary, {})
    found_lists: list[list[tuple[str, str]]] = []
    for entry in shallow:
        found = pairs.get(str(entry["id"]), [])
        if not all(type(r) is str and type(a) is str for r, a in found):
            yield _generic_glossary_json(glossary, pairs)
            return
        found_lists.append(found)
        entry["occurrences"] = len(found_lists) - 1
    text = jsonout.dumps(shallow, indent=2)
    # each "occurrences": <index> (a number, so it cannot be confused with text) becomes its list
    pieces = re.split(r'(\n    "occurrences": )(\d+)(?=\n  \})', text)
    if len(pieces) != 3 * len(found_lists) + 1:  # "occurrences" not last: the generic writer
        yield _generic_glossary_json(glossary, pairs)
        return
    yield pieces[0]
    for i in range(1, len(pieces), 3):
        yield pieces[i]
        yield _occurrence_list(found_lists[int(pieces[i + 1])])
        yield pieces[i + 2]


def _occurrence_list(found: Sequence[tuple[str, str]]) -> str:
    from json.encoder import encode_basestring as quote

    return "[]" if not found else "[\n      " + ",\n      ".join(
        f'{{\n        "report": {quote(r)},\n        "anchor": {quote(a)}\n      }}' for r, a in found) + "\n    ]"


def _generic_glossary_json(glossary: Glossary, pairs: Mapping[str, Sequence[tuple[Any, Any]]]) -> str:
    return jsonout.dumps(glossary_json(glossary, {t: [{"report": r, "anchor": a} for r, a in f]
                                                  for t, f in pairs.items()}), indent=2)


def letter_id(value: str) -> str:
    """The id of a letter's heading on the glossary page."""
    return "letter-" + (value.lower() if re.fullmatch(r"[A-Z]", value) else "other")
