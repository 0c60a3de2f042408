"""What a report page tells the search index (Pagefind): its filters, and its glossary words.

Pagefind reads ``data-pagefind-*`` attributes from the built pages (``build.search_index`` runs
it over the site).  A report page's text is ``data-pagefind-body``; its title, place and year are
``data-pagefind-meta``; :func:`report_filters` gives its filters (年份, 地区, 层级, 类别, 发布机关);
:func:`mark_terms` gives each paragraph where the glossary found a term that term's index word
(``text.searchword``), so that a search for the term finds exactly those paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from html import escape, unescape

from builder.glossary.terms import Glossary
from builder.text.places import hierarchy
from builder.text.searchword import search_words

#: The filters, in the order the search box shows them.
FILTERS = ("年份", "地区", "层级", "类别", "发布机关")
#: Between the places of a 地区 value: 内蒙古自治区 › 呼伦贝尔市 › 海拉尔区.
PLACE_SEPARATOR = " › "
#: The attribute that carries a paragraph's glossary words (Pagefind indexes it as text).
TERMS_ATTRIBUTE = "data-search-terms"

_ELEMENT_ID = re.compile(r'<([a-z][a-z0-9]*) id="([^"]*)"')


def report_filters(page: Mapping[str, object]) -> list[tuple[str, str]]:
    """(filter, value) pairs of a report page (``report.page_context``).

    地区 has one value per step of the place's chain below 全国 (内蒙古自治区; 内蒙古自治区 ›
    呼伦贝尔市; 内蒙古自治区 › 呼伦贝尔市 › 海拉尔区), so choosing a province finds its cities'
    and counties' reports too, and choosing a city narrows it; a national report's 地区 is 全国.
    层级 is the level of the place itself (全国, 省级, 地级, 县级).  Pagefind reads a filter
    attribute as ``name:value`` and a comma as the start of another one, so a comma in a value
    becomes a full-width one."""
    pairs: list[tuple[str, str]] = []
    year = page.get("year")
    if isinstance(year, int):
        pairs.append(("年份", str(year)))
    steps = hierarchy(str(page.get("place") or ""))
    below = [step.name for step in steps if step.level > 0]
    if steps:
        regions = [PLACE_SEPARATOR.join(below[:i]) for i in range(1, len(below) + 1)] or [steps[0].name]
        pairs += [("地区", region) for region in regions]
        pairs.append(("层级", steps[-1].level_name))
    label = page.get("kind_label") if page.get("is_report") else page.get("genre_label")
    if label:
        pairs.append(("类别", str(label)))
    if page.get("issuer"):
        pairs.append(("发布机关", str(page["issuer"])))
    return [(name, value.replace(",", "，")) for name, value in pairs]


def mark_terms(html: str, occurrences: Iterable[tuple[str, str]], glossary: Glossary | None) -> str:
    """``html`` (a report's body) with each element that holds a glossary term (``occurrences``:
    (term id, element id)) carrying the index words of its terms and their aliases."""
    if glossary is None:
        return html
    words: dict[str, list[str]] = {}
    for term_id, anchor in occurrences:
        term = glossary.by_id.get(term_id)
        if term is None or not anchor:
            continue
        found = words.setdefault(anchor, [])
        for word in search_words([term.term, *term.aliases]).split():
            if word not in found:
                found.append(word)
    if not words:
        return html

    def attributes(match: re.Match[str]) -> str:
        found = words.get(unescape(match[2]))
        if not found:
            return match[0]
        return (f'{match[0]} data-pagefind-index-attrs="{TERMS_ATTRIBUTE}" '
                f'{TERMS_ATTRIBUTE}="{escape(" ".join(found))}"')

    return _ELEMENT_ID.sub(attributes, html)
