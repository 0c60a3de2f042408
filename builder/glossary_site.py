"""The glossary's share of the site: its page, its data file, a report's list of terms.

Pure functions from the glossary and the occurrences the ``glossary_links`` plugin
recorded to template contexts and JSON; :mod:`builder.render` renders and writes them::

    glossary/index.html     every entry, sorted by pinyin, with a letter index and backlinks
    data/glossary.json      id, term, aliases, definition, gloss, category, see_also, occurrences
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Callable

from . import jsonout
from .glossary import Glossary, Term, glossary_json

GLOSSARY_TEMPLATE = "glossary.html"
TERMS_PARTIAL = "_glossary_terms.html"
#: Templates a site's own template folder may lack: the bundled ones are used then.
TEMPLATES = (GLOSSARY_TEMPLATE, TERMS_PARTIAL)
GLOSSARY_PAGE = "glossary/index.html"
GLOSSARY_DATA = "data/glossary.json"
#: The heading letter of terms that do not start with a Chinese character or a Latin letter.
OTHER_LETTER = "#"


@lru_cache(maxsize=4096)
def pinyin_key(text: str) -> str:
    """Toneless pinyin of ``text`` for sorting: 放管服 -> "fang guan fu"; other characters kept."""
    from pypinyin import lazy_pinyin

    return " ".join(p.lower() for p in lazy_pinyin(text))


def letter(term: Term) -> str:
    """The index letter of a term: the first letter of its pinyin (A-Z), else "#"."""
    first = pinyin_key(term.term)[:1].upper()
    return first if "A" <= first <= "Z" else OTHER_LETTER


def sort_key(term: Term) -> tuple[int, str, str]:
    return (letter(term) == OTHER_LETTER, pinyin_key(term.term), term.term)


def report_terms(glossary: Glossary, used: Sequence[str]) -> list[dict[str, str]]:
    """The terms a report uses (ids in order of first use), for its printed list of terms."""
    return [
        {"id": t.id, "term": t.term, "definition": t.definition, "gloss": t.gloss}
        for t in sorted((glossary.by_id[i] for i in dict.fromkeys(used) if i in glossary.by_id), key=sort_key)
    ]


def glossary_context(glossary: Glossary, occurrences: Mapping[str, Sequence[Mapping[str, str]]],
                     titles: Mapping[str, str], urls: Mapping[str, str]) -> dict[str, object]:
    """The variables of glossary.html.

    ``occurrences``: term id -> [{report, anchor}] in document order; ``titles`` and
    ``urls``: report slug -> its title and its URL relative to the site root.
    """
    entries = []
    for term in sorted(glossary.terms, key=sort_key):
        found = list(occurrences.get(term.id, ()))
        reports: dict[str, dict[str, object]] = {}
        for occurrence in found:
            slug = str(occurrence["report"])
            group = reports.setdefault(slug, {"slug": slug, "title": titles.get(slug, slug), "anchors": []})
            anchors: list[dict[str, str]] = group["anchors"]  # type: ignore[assignment]
            anchor = str(occurrence["anchor"])
            anchors.append({"anchor": anchor, "url": f"../{urls.get(slug, slug)}#{anchor}" if anchor
                            else f"../{urls.get(slug, slug)}"})
        entries.append({
            "id": term.id, "term": term.term, "aliases": list(term.aliases), "definition": term.definition,
            "gloss": term.gloss, "category": term.category, "letter": letter(term),
            "see_also": [{"id": i, "term": glossary.by_id[i].term} for i in term.see_also if i in glossary.by_id],
            "count": len(found), "reports": list(reports.values()),
        })
    groups: list[dict[str, object]] = []
    for entry in entries:
        if not groups or groups[-1]["letter"] != entry["letter"]:
            groups.append({"letter": entry["letter"], "id": letter_id(str(entry["letter"])), "entries": []})
        groups[-1]["entries"].append(entry)  # type: ignore[union-attr]
    return {"entries": entries, "groups": groups, "term_count": len(entries),
            "occurrence_count": sum(int(e["count"]) for e in entries)}  # type: ignore[call-overload]


def glossary_files(glossary: Glossary, occurrences: Mapping[str, Sequence[Mapping[str, str]]],
                   titles: Mapping[str, str], urls: Mapping[str, str],
                   render: Callable[..., str]) -> dict[str, bytes]:
    """``glossary/index.html`` (via ``render(template name, **context)``) and ``data/glossary.json``."""
    context = glossary_context(glossary, occurrences, titles, urls)
    page = render(GLOSSARY_TEMPLATE, root="../", canonical_url="", **context)
    data = jsonout.dumps(glossary_json(glossary, occurrences), indent=2)  # = json.dumps, faster (issue 5)
    return {GLOSSARY_PAGE: page.encode("utf-8"), GLOSSARY_DATA: (data + "\n").encode("utf-8")}


def letter_id(value: str) -> str:
    """The id of a letter's heading on the glossary page."""
    return "letter-" + (value.lower() if re.fullmatch(r"[A-Z]", value) else "other")
