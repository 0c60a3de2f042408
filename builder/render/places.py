"""Browsing by place: every report under its place, from 全国 down to the county, and each place's page.

A report's front-matter place (全国, 江苏省苏州市, 内蒙古自治区呼伦贝尔市海拉尔区) is read as its
chain of places (``text.places.hierarchy``).  :func:`group` puts every report under the last place
of its chain once, and makes a :class:`PlaceNode` of every place on any chain: a place with no
report of its own but with reports below it (江苏省 when only its cities report) still has a node,
hence a page listing its child places, so that every breadcrumb and every group of the home page
leads somewhere.  Reports whose place is empty or unknown are kept apart (:attr:`Places.unplaced`)
and listed on the home page under 未能确定地区; they have no place page.

What the pages show of a report is its :class:`PlaceReport`, made when the report is rendered and
kept in the build cache's index beside its summary: the place pages and the home page are then
made without reading any report's parts, and each page's input is exactly what it shows (so an
edit renders again only the pages that show what changed).  Everything here is pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from builder.core.model import GENRE_LABELS, GENRE_REPORT, KIND_LABELS, OTHER_REPORT
from builder.indicators.canonical import CANONICAL
from builder.indicators.extract import ACTUAL
from builder.text.places import PlaceStep, hierarchy, short_name

#: Where the place pages are, relative to the site root.
PLACES_DIR = "places"
#: The home page's group of reports whose place is empty or unknown.
UNPLACED = "未能确定地区"
#: A place's indicator is shown over the years when it is stated for at least this many years.
RECURRING_YEARS = 2


class Figure(NamedTuple):
    """One key figure of a report for its place's table: a result the report states for the year
    before it (the year under review), of one canonical indicator.  A plain tuple, the year and the
    report page left out (its report has them): the build cache's index keeps some ten per report."""

    indicator: str
    """Its canonical name (地区生产总值)."""
    value: str
    """The value as written (235.2亿元), or "" when only a growth is stated."""
    growth: str
    """Its growth as a reader reads it (增长18.5%, 下降3个百分点, 增速9.7%), or ""."""
    anchor: str
    """Its paragraph's anchor on the report page."""


@dataclass(frozen=True)
class PlaceReport:
    """What the home page and the place pages show of one report."""

    slug: str
    url: str
    title: str
    year: int | None
    kind: str
    genre: str
    place: str
    """Its front matter's place, as written."""
    issuer: str = ""
    review: bool = False
    summary: str = ""
    figures: tuple[Figure, ...] = ()

    @property
    def is_report(self) -> bool:
        return self.genre == GENRE_REPORT

    @property
    def kind_label(self) -> str:
        """政府工作报告, 人大常委会工作报告 … for a report, its genre (决议 …) for another document."""
        if self.is_report:
            return KIND_LABELS.get(self.kind, KIND_LABELS[OTHER_REPORT])
        return GENRE_LABELS.get(self.genre, GENRE_LABELS[GENRE_REPORT])

    @property
    def filter_kind(self) -> str:
        """The value the home page's kind filter matches: the kind of a report, the genre's group
        ("related") for a document that is not one."""
        return self.kind if self.is_report else "related"


@lru_cache(maxsize=4096)
def place_chain(place: str) -> tuple[PlaceStep, ...]:
    """``hierarchy(place)``, once per distinct place of a site."""
    return hierarchy(place)


def place_url(step: PlaceStep) -> str:
    """A place's page, relative to the site root."""
    return f"{PLACES_DIR}/{step.slug}.html"


def report_place_url(place: str) -> str:
    """The page of a report's place (front matter as written), "" when the place is not known."""
    chain = place_chain(place)
    return place_url(chain[-1]) if chain else ""


#: The canonical indicators in the table's order (地区生产总值 first, as canonical.py lists them).
_ORDER = {name: i for i, name in enumerate(dict.fromkeys(CANONICAL.values()))}


def report_figures(rows: Iterable[Mapping[str, object]], report_year: int | None) -> tuple[Figure, ...]:
    """The key figures of a report from its rows with a canonical indicator (the targets-vs-results
    rows): for each indicator, the result it states for the year before the report's.  Of several,
    the first that states a level with its growth (完成188亿元，同比增长12.9%: how a year's result
    is written), else the first level, else the first growth: a total over five years (五年共完成
    …745亿元) is a level without a growth, so a year's figure beside it wins."""
    if report_year is None:
        return ()
    chosen: dict[str, Mapping[str, object]] = {}
    for row in rows:
        indicator = row.get("indicator")
        if row.get("kind") != ACTUAL or not indicator or row.get("year") != report_year - 1:
            continue
        known = chosen.get(str(indicator))
        if known is None or _rank(row) < _rank(known):
            chosen[str(indicator)] = row
    return tuple(Figure(name, *_shown(row), str(row.get("url") or "").partition("#")[2])
                 for name, row in sorted(chosen.items(), key=lambda kv: _ORDER.get(kv[0], len(_ORDER))))


def _rank(row: Mapping[str, object]) -> int:
    has_value, has_change = row.get("value") is not None, row.get("change") is not None
    return 0 if has_value and has_change else 1 if has_value else 2


#: A label naming a rate of growth (规模以上工业增加值增速完成9.7%): its value is a growth.
_GROWTH_WORDS = ("增速", "增幅")


def _shown(row: Mapping[str, object]) -> tuple[str, str]:
    """A figure's value and growth as a reader reads them: (235.2亿元, 增长18.5%), ("", 下降3个百分点),
    (3.84%, ""), and a growth named by the label (规模以上工业增加值增速完成9.7%): ("", 增速9.7%)."""
    change, unit = row.get("change"), "个百分点" if row.get("change_unit") == "pp" else "%"
    growth = "" if change is None else f"{'增长' if float(change) >= 0 else '下降'}{abs(float(change)):g}{unit}"  # type: ignore[arg-type]  # a number
    value = row.get("value")
    if value is None:
        return "", growth or str(row.get("span") or "")
    label = str(row.get("label") or "")
    word = next((w for w in _GROWTH_WORDS if label.endswith(w)), "")
    if word and not growth:
        return "", f"{word}{value}"
    return str(value), growth


# --------------------------------------------------------------------------- grouping


@dataclass
class PlaceNode:
    """One place of the site: its reports and the places directly under it."""

    step: PlaceStep
    parent: PlaceStep | None
    reports: list[PlaceReport] = field(default_factory=list)
    """Its own reports, by year (none last), kind, title."""
    children: list[PlaceStep] = field(default_factory=list)
    """The places directly under it that have a node, by adcode."""
    total: int = 0
    """Its reports and those of every place under it."""


@dataclass(frozen=True)
class Places:
    """Every place of a site (:func:`group`)."""

    nodes: Mapping[str, PlaceNode]
    """By slug, in browsing order: 全国, then each province followed by what lies under it."""
    unplaced: tuple[PlaceReport, ...]
    """The reports whose place is empty or unknown, in index order."""

    def roots(self) -> list[PlaceNode]:
        """The groups of the home page: 全国 and every province-level place."""
        return [node for node in self.nodes.values() if node.step.level <= 1]


def _report_order(report: PlaceReport) -> tuple[object, ...]:
    return (report.year is None, report.year or 0, not report.is_report, report.kind, report.title, report.slug)


def group(reports: Iterable[PlaceReport]) -> Places:
    """Every report under its place, every place on a report's chain a node (see the module)."""
    nodes: dict[str, PlaceNode] = {}
    unplaced: list[PlaceReport] = []
    for report in reports:
        chain = place_chain(report.place)
        if not chain:
            unplaced.append(report)
            continue
        for i, step in enumerate(chain):
            node = nodes.get(step.slug)
            if node is None:
                node = nodes[step.slug] = PlaceNode(step, chain[i - 1] if i else None)
                if i:
                    nodes[chain[i - 1].slug].children.append(step)
            node.total += 1
        nodes[chain[-1].slug].reports.append(report)
    for node in nodes.values():
        node.reports.sort(key=_report_order)
        node.children.sort(key=lambda s: s.code)
    return Places(nodes={slug: nodes[slug] for slug in _browse_order(nodes)}, unplaced=tuple(unplaced))


def _browse_order(nodes: Mapping[str, PlaceNode]) -> list[str]:
    """Slugs depth first: 全国 (its own reports), then each province by adcode and what lies under it."""
    order: list[str] = []

    def visit(step: PlaceStep) -> None:
        order.append(step.slug)
        for child in nodes[step.slug].children:
            visit(child)

    if "quanguo" in nodes:
        visit(nodes["quanguo"].step)
    return order


# --------------------------------------------------------------------------- the home page


def _year_link(report: PlaceReport, root: str) -> dict[str, object]:
    return {"year": report.year, "url": root + report.url, "title": report.title, "kind": report.filter_kind,
            "kind_label": report.kind_label, "short": _short_kind(report), "review": report.review}


def _short_kind(report: PlaceReport) -> str:
    """The mark after a year on the home page: none for a government work report (most of them),
    人大 for a standing committee's, the genre for another document."""
    if report.is_report:
        return "" if report.kind == "government_work_report" else "人大" if report.kind.startswith("npc") else "其他"
    return report.kind_label


def _years(reports: Sequence[PlaceReport]) -> str:
    years = sorted({r.year for r in reports if r.year is not None})
    if not years:
        return ""
    return f"{years[0]}年" if len(years) == 1 else f"{years[0]}–{years[-1]}年"


def _row(places: Places, node: PlaceNode, root: str, *, nested: bool = True) -> dict[str, object]:
    """A place on the home page: its name, its level, its page, its reports as year links, the
    places under it (nested)."""
    return {"name": node.step.name, "level": node.step.level, "level_name": node.step.level_name,
            "url": root + place_url(node.step), "total": node.total,
            "reports": [_year_link(r, root) for r in node.reports if r.is_report],
            "children": [_row(places, places.nodes[c.slug], root) for c in node.children] if nested else []}


def home_groups(places: Places, root: str = "") -> list[dict[str, object]]:
    """The home page's groups: 全国 (the national reports only; provinces are their own groups),
    then each province with its prefectures and counties nested."""
    groups = []
    for node in places.roots():
        if node.step.level == 0 and not node.reports:
            continue  # 全国 is a group for its own reports (its page lists the provinces)
        row = _row(places, node, root, nested=node.step.level > 0)
        every = _subtree_reports(places, node) if node.step.level else node.reports
        groups.append({**row, "slug": node.step.slug, "short": short_name(node.step.name),
                       "years": _years([r for r in every if r.is_report]),
                       "count": sum(1 for r in every if r.is_report)})
    return groups


def _listed(rows: Sequence[Mapping[str, object]]) -> int:
    """How many places the home page lists (each group's, then the places under them)."""
    count = 0
    for row in rows:
        children = row["children"]
        count += 1 + (_listed(children) if isinstance(children, list) else 0)
    return count


def _subtree_reports(places: Places, node: PlaceNode) -> list[PlaceReport]:
    out = list(node.reports)
    for child in node.children:
        out.extend(_subtree_reports(places, places.nodes[child.slug]))
    return out


def home_context(reports: Sequence[PlaceReport], root: str = "") -> dict[str, object]:
    """Everything the home page shows (plain values: it is also the page's input key)."""
    places = group(reports)
    main = [r for r in reports if r.is_report]
    related = [{"title": r.title, "url": root + r.url, "year": r.year, "place": r.place, "issuer": r.issuer,
                "kind_label": r.kind_label, "kind": r.filter_kind, "review": r.review}
               for r in reports if not r.is_report]
    unplaced = [_year_link(r, root) for r in places.unplaced if r.is_report]
    kinds = {r.filter_kind: r.kind_label if r.is_report else "相关文件" for r in reports}
    groups = home_groups(places, root)
    return {"groups": groups, "unplaced": unplaced, "unplaced_name": UNPLACED,
            "related": related, "report_count": len(main), "place_count": _listed(groups),
            "years": sorted({r.year for r in reports if r.year is not None}, reverse=True),
            "kinds": sorted(kinds.items(), key=lambda kv: _KIND_ORDER.get(kv[0], 9))}


_KIND_ORDER = {"government_work_report": 0, "npc_standing_committee_report": 1, OTHER_REPORT: 2, "related": 3}


# --------------------------------------------------------------------------- a place's page


def place_pages(reports: Sequence[PlaceReport]) -> PlacePages:
    """Every place's page as its context (plain values: also its input key), by the page's name."""
    return PlacePages(group(reports))


class PlacePages(Mapping[str, dict[str, object]]):
    """:func:`place_pages`: each context made when it is asked for, and not kept, so that a site of
    10,000 reports never holds every place page's context at once (their lists of reports and
    indicator tables are about 13 KB per report)."""

    def __init__(self, places: Places):
        self._places = places
        self._nodes = {place_url(node.step): node for node in places.nodes.values()}

    def __getitem__(self, name: str) -> dict[str, object]:
        return place_context(self._places, self._nodes[name])

    def __iter__(self) -> Iterator[str]:
        return iter(self._nodes)

    def __len__(self) -> int:
        return len(self._nodes)


def place_context(places: Places, node: PlaceNode, root: str = "../") -> dict[str, object]:
    """One place's page: where it is (its ancestors), its reports by year, its key indicators over
    the years, the places under it with their years."""
    chain: list[PlaceStep] = []
    parent = node.parent
    while parent is not None:
        chain.insert(0, parent)
        parent = places.nodes[parent.slug].parent
    own = node.reports
    return {
        "name": node.step.name, "level_name": node.step.level_name, "slug": node.step.slug,
        "code": node.step.code if node.step.level else "",
        "path": "".join(s.name for s in (*chain[1:], node.step)) if node.step.level else node.step.name,
        "ancestors": [{"name": s.name, "url": root + place_url(s)} for s in chain],
        "years": _years([r for r in own if r.is_report]),
        "reports": [_report_item(r, root) for r in own if r.is_report],
        "related": [_report_item(r, root) for r in own if not r.is_report],
        "table": indicator_table(own, root),
        "children": [_child(places.nodes[c.slug], root) for c in node.children],
        "child_level": "、".join(dict.fromkeys(c.level_name for c in node.children)),
        "total": node.total,
    }


def _report_item(report: PlaceReport, root: str) -> dict[str, object]:
    return {"title": report.title, "url": root + report.url, "year": report.year, "kind_label": report.kind_label,
            "issuer": report.issuer, "summary": report.summary, "review": report.review,
            "indicators_url": root + "indicators/" + report.slug + ".html"}


def _child(node: PlaceNode, root: str) -> dict[str, object]:
    return {"name": node.step.name, "level_name": node.step.level_name, "url": root + place_url(node.step),
            "years": [_year_link(r, root) for r in node.reports if r.is_report], "total": node.total}


def indicator_table(reports: Sequence[PlaceReport], root: str = "../") -> dict[str, object] | None:
    """The key indicators of a place over the years: a row per year, a column per canonical
    indicator stated for at least :data:`RECURRING_YEARS` years; each cell the figure, linked to
    its sentence, with the report it comes from.  None when no indicator recurs."""
    cells: dict[tuple[int, str], dict[str, str]] = {}
    for report in reports:
        if not report.is_report:
            continue
        for fig in report.figures:
            if report.year is None:
                continue
            cells.setdefault((report.year - 1, fig.indicator), {"value": fig.value, "growth": fig.growth,
                                                               "url": f"{root}{report.url}#{fig.anchor}"})
    years_of: dict[str, set[int]] = {}
    for year, indicator in cells:
        years_of.setdefault(indicator, set()).add(year)
    columns = sorted((i for i, ys in years_of.items() if len(ys) >= RECURRING_YEARS),
                     key=lambda name: _ORDER.get(name, len(_ORDER)))
    if not columns:
        return None
    years = sorted({year for year, indicator in cells if indicator in columns})
    return {"columns": columns,
            "rows": [{"year": year, "source_year": year + 1, "cells": [cells.get((year, name)) for name in columns]}
                     for year in years]}
