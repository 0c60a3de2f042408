"""The site around the report pages: the order of the reports, and every site-wide output.

Layout of the output (every internal URL is relative, so the site works at a domain root,
under a sub-path and from ``file://``)::

    index.html                  every report by place (全国 -> 省 -> 市 -> 区县), its years as links
    places/<slug>.html          one place: its reports by year, key indicators over the years,
                                the places above and below it (builder.render.places)
    reports/<slug>.html         one page per report (builder.render.report)
    indicators/<slug>.html      one report's indicators (builder.render.report)
    indicators/index.html       targets vs results, reports with their counts (all rows on small sites)
    data/reports.json           machine-readable index
    data/indicators.json, .csv  every indicator
    glossary/index.html         the glossary, with backlinks (data/glossary.json: its data)
    assets/…                    everything in the templates' static/ folder
    .nojekyll, 404.html, sitemap.xml (with a site_url)   for GitHub Pages

:func:`plan_reports` puts the reports in index order (after validating their front matter).
:func:`site_outputs` describes each site-wide output (a :class:`SiteOutput`): what it is made of
and how to make its bytes, from the rendered reports' parts (:class:`SiteParts`).  Whoever
consumes them decides which to make: :func:`render_site` makes all of them in memory; the build
(``builder.build.scheduler``) skips those whose inputs did not change and writes the others.
Nothing here writes to disk.  Output is deterministic: two renders of the same input give
identical bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol, TypeVar
from urllib.parse import quote, urlsplit

from markupsafe import Markup

from builder.core import jsonout
from builder.core.errors import SourceError
from builder.core.hashing import sha256
from builder.core.model import ReportFile, ReportHeader
from builder.glossary import pages as glossary_pages
from builder.glossary.terms import Glossary
from builder.indicators import tables
from builder.indicators.extract import KIND_NAMES
from builder.render import places
from builder.render.report import (
    FAVICON_FILE,
    PagePlace,
    PageRenderer,
    PageSettings,
    RenderedReport,
    ReportPage,
    ReportSummary,
    indicators_page_url,
    neighbours,
    sort_key,
)
from builder.render.templates import (
    INDEX_TEMPLATE,
    INDICATOR_ROWS_PARTIAL,
    INDICATORS_TEMPLATE,
    NOT_FOUND_TEMPLATE,
    PLACE_TEMPLATE,
    STATIC_DIR,
)
from builder.sitesrc import validate_reports

#: The parts of a rendered report the site-wide outputs read (:attr:`SiteOutput.parts`): its page
#: variables, its entry of reports.json, its slug, title and URL, its glossary occurrences, its
#: counts and targets-vs-results rows, its share of the data files.
ENTRY, JSON, LINK, OCCURRENCES, PAIRS, ROWS = "entry", "json", "link", "occurrences", "pairs", "rows"

H = TypeVar("H", bound=ReportHeader)


class SiteParts(Protocol):
    """Every rendered report as the site-wide outputs read it, in index order: in memory
    (:class:`ReportParts`) or read back from the build cache's files."""

    @property
    def summaries(self) -> Sequence[ReportSummary]: ...

    def pages(self) -> Sequence[dict[str, object]]:
        """Each report's page variables (``RenderedReport.page``); a sequence that may read each
        one as it is asked for (the cache's does)."""

    def entries_json(self) -> Iterator[bytes]: ...

    def occurrences(self) -> Iterator[tuple[str, Sequence[tuple[str, str]]]]:
        """(slug, [(term id, anchor)]) of each report."""

    def pair_rows(self) -> Iterator[tables.PairRow]: ...

    def rows_json(self) -> Iterator[bytes]:
        """Each report's non-empty ``rows_json``."""

    def rows_csv(self) -> Iterator[bytes]:
        """Each report's non-empty ``rows_csv``."""


class ReportParts:
    """:class:`SiteParts` held in memory."""

    def __init__(self, items: Sequence[RenderedReport]):
        self.items = list(items)

    @property
    def summaries(self) -> list[ReportSummary]:
        return [item.summary for item in self.items]

    def pages(self) -> list[dict[str, object]]:
        return [item.page for item in self.items]

    def entries_json(self) -> Iterator[bytes]:
        return (item.entry_json for item in self.items)

    def occurrences(self) -> Iterator[tuple[str, Sequence[tuple[str, str]]]]:
        return ((item.summary.page.slug, item.occurrences) for item in self.items)

    def pair_rows(self) -> Iterator[tables.PairRow]:
        return (pair for item in self.items for pair in item.pair_rows)

    def rows_json(self) -> Iterator[bytes]:
        return (item.rows_json for item in self.items if item.rows_json)

    def rows_csv(self) -> Iterator[bytes]:
        return (item.rows_csv for item in self.items if item.rows_csv)


@dataclass(frozen=True)
class SiteOutput:
    """One site-wide output file: what it is made of, and how to make its bytes."""

    name: str
    """Relative to the site root, with "/" separators."""
    make: Callable[[], Iterable[bytes]]
    """Its bytes, in pieces (joined, they are the file)."""
    templates: tuple[str, ...] = ()
    """The templates it is rendered with (what they include counts too)."""
    parts: tuple[str, ...] = ()
    """The parts of every report it reads (:data:`ENTRY`…)."""
    inputs: tuple[object, ...] = ()
    """Anything else it is made of (besides the site's settings)."""
    digest_is_key: bool = False
    """Its bytes follow from its inputs alone (streamed from the reports' parts): a build cache may
    record its input key as its digest instead of hashing the bytes."""


def plan_reports(reports: Sequence[H], pdfs: Collection[str] = (), *,
                 checked: bool = False) -> list[tuple[H, PagePlace]]:
    """The reports in index order, each with its place (neighbours; ``pdfs``: slugs with a PDF).
    Validates their front matter first (SourceError), unless the caller did (``checked``)."""
    if not checked:
        validate_reports(reports)
    ordered = sorted(reports, key=lambda report: sort_key(report.meta))
    links = neighbours([report.meta for report in ordered])
    return [(report, PagePlace(prev_report=links[i - 1] if i > 0 else None,
                               next_report=links[i + 1] if i + 1 < len(links) else None,
                               has_pdf=str(report.meta["slug"]) in pdfs))
            for i, report in enumerate(ordered)]


def render_site(reports: Sequence[ReportFile], settings: PageSettings) -> tuple[dict[str, bytes], list[ReportPage]]:
    """The whole site in memory: {relative path: bytes}, and the report pages in index order."""
    renderer = PageRenderer(settings)
    items = [renderer.render(report, place) for report, place in plan_reports(reports)]
    files = {name: data for item in items for name, data in item.outputs}
    for output in site_outputs(renderer, ReportParts(items)):
        files[output.name] = b"".join(output.make())
    return files, [item.summary.page for item in items]


def site_outputs(renderer: PageRenderer, parts: SiteParts) -> Iterator[SiteOutput]:
    """Every site-wide output, in the order they are to be made (each made, if at all, before the
    next is asked for).  The home page and the place pages are made from each report's listing
    (kept with its summary); the reports' page variables are read once, for the indicators page."""
    settings = renderer.settings
    entries = lru_cache(maxsize=1)(parts.pages)
    listings = [summary.listing for summary in parts.summaries]
    place_pages = places.place_pages(listings)
    yield from _index_outputs(renderer, parts, listings)
    yield from _place_outputs(renderer, place_pages)
    yield from _indicator_outputs(renderer, parts, entries)
    entries.cache_clear()
    if settings.glossary is not None:
        yield from _glossary_outputs(renderer, parts, settings.glossary)
    static = settings.templates_dir / STATIC_DIR
    if not (static / "style.css").is_file():
        raise SourceError("stylesheet missing (expected static/style.css)", path=str(settings.templates_dir))
    for path in sorted(p for p in static.rglob("*") if p.is_file() and not p.name.startswith(".")):
        data = path.read_bytes()
        yield SiteOutput("assets/" + path.relative_to(static).as_posix(), lambda data=data: (data,),  # type: ignore[misc]
                         inputs=(sha256(data),))
    stylesheet = (static / "style.css").read_text(encoding="utf-8")
    yield from _publishing_outputs(renderer, [summary.page for summary in parts.summaries], stylesheet,
                                   tuple(place_pages))


def _index_outputs(renderer: PageRenderer, parts: SiteParts,
                   listings: Sequence[places.PlaceReport]) -> Iterator[SiteOutput]:
    """``index.html`` (from each report's listing, kept with its summary: its input is what it
    shows) and ``data/reports.json`` (joined from each report's entry)."""
    settings = renderer.settings
    home = places.home_context(listings)

    def index() -> tuple[bytes]:
        return (renderer.templates.render_bytes(INDEX_TEMPLATE, site_name=settings.site_name, root="", **home,
                                                canonical_url=settings.base if settings.base else ""),)

    yield SiteOutput("index.html", index, templates=(INDEX_TEMPLATE,), inputs=(home,))
    yield SiteOutput("data/reports.json", lambda: jsonout.join_array(parts.entries_json()), parts=(JSON,))


def _indicator_outputs(renderer: PageRenderer, parts: SiteParts,
                       entries: Callable[[], Sequence[dict[str, object]]]) -> Iterator[SiteOutput]:
    """The open data (``data/indicators.json`` and ``.csv``, streamed from each report's part:
    = json.dumps(every row, ensure_ascii=False, indent=2) and the CSV of every row) and
    ``indicators/index.html``."""
    settings, templates = renderer.settings, renderer.templates
    yield SiteOutput("data/indicators.json", lambda: tables.data_json(parts.rows_json()), parts=(ROWS,),
                     digest_is_key=True)
    yield SiteOutput("data/indicators.csv", lambda: tables.data_csv(parts.rows_csv()), parts=(ROWS,),
                     digest_is_key=True)
    report_counts: list[dict[str, object]] = []  # the index's list of reports
    for summary in parts.summaries:
        counts = dict(summary.counts)
        report_counts.append({"slug": summary.page.slug, "title": summary.page.title, "counts": counts,
                              "total": sum(counts.values()), "page": f"{summary.page.slug}.html"})
    total = sum(sum(dict(summary.counts).values()) for summary in parts.summaries)
    full_table = total <= settings.full_table_max
    titles = {summary.page.slug: summary.page.title for summary in parts.summaries}

    def page() -> tuple[bytes]:
        # a small site's page also lists every indicator: the rows are read back from each report's
        # part of indicators.json (so neither the cache nor a worker keeps them for this)
        rows_html = templates.render(
            INDICATOR_ROWS_PARTIAL, rows=json.loads(b"[" + b",".join(parts.rows_json()) + b"]"), root="../",
            kind_labels=KIND_NAMES, show_report=True, titles=titles) if full_table else ""
        return (templates.render_bytes(
            INDICATORS_TEMPLATE, site_name=settings.site_name, root="../",
            canonical_url=settings.base + "indicators/index.html" if settings.base else "",
            rows_html=Markup(rows_html), full_table=full_table, full_table_max=settings.full_table_max, total=total,
            reports=entries(), titles=titles, kind_labels=KIND_NAMES, report_counts=report_counts,
            pairs=tables.pairs_table(parts.pair_rows)),)

    yield SiteOutput("indicators/index.html", page, templates=(INDICATORS_TEMPLATE, INDICATOR_ROWS_PARTIAL),
                     parts=(ENTRY, PAIRS, ROWS) if full_table else (ENTRY, PAIRS),
                     inputs=(full_table, settings.full_table_max))


def _place_outputs(renderer: PageRenderer, place_pages: Mapping[str, Mapping[str, object]]) -> Iterator[SiteOutput]:
    """``places/<slug>.html`` of every place (``place_pages``: :func:`places.place_pages`): each made
    from what it shows of its reports and of the places around it, so an edit renders again only
    the pages of the places that show it."""
    settings = renderer.settings
    for name, context in place_pages.items():
        def page(name: str = name, context: Mapping[str, object] = context) -> tuple[bytes]:
            return (renderer.templates.render_bytes(
                PLACE_TEMPLATE, site_name=settings.site_name, root="../", place=context,
                canonical_url=settings.base + name if settings.base else ""),)

        yield SiteOutput(name, page, templates=(PLACE_TEMPLATE,), inputs=(context,))


def _places(value: object) -> Mapping[str, str]:
    """A report's ``places`` (anchor -> where it is), or none (a page variable from an older cache)."""
    return value if isinstance(value, dict) else {}


def _glossary_outputs(renderer: PageRenderer, parts: SiteParts, glossary: Glossary) -> Iterator[SiteOutput]:
    """``glossary/index.html`` and ``data/glossary.json``, from every report's term occurrences."""
    settings = renderer.settings
    summaries = parts.summaries

    @lru_cache(maxsize=1)
    def term_places() -> dict[str, list[tuple[str, str]]]:  # term id -> [(report, anchor)]
        places: dict[str, list[tuple[str, str]]] = {}
        for slug, found in parts.occurrences():
            for term, anchor in found:
                places.setdefault(term, []).append((slug, anchor))
        return places

    def render(name: str, **context: object) -> str:
        canonical = settings.base + glossary_pages.GLOSSARY_PAGE if settings.base else ""
        return renderer.templates.render(name, site_name=settings.site_name, **{**context, "canonical_url": canonical})

    def page() -> tuple[bytes]:
        return (glossary_pages.glossary_page(
            glossary, term_places(),
            titles={s.page.slug: s.page.title for s in summaries}, urls={s.page.slug: s.page.url for s in summaries},
            render=render, backlinks_max=settings.backlinks_max, keys=renderer.pinyin,
            places={str(p["slug"]): _places(p.get("places")) for p in parts.pages()}),)

    yield SiteOutput(glossary_pages.GLOSSARY_PAGE, page, templates=(glossary_pages.GLOSSARY_TEMPLATE,),
                     parts=(LINK, OCCURRENCES, ENTRY), inputs=(settings.backlinks_max, glossary.terms))
    yield SiteOutput(glossary_pages.GLOSSARY_DATA, lambda: glossary_pages.glossary_data_pieces(glossary, term_places()),
                     parts=(LINK, OCCURRENCES), inputs=(glossary.terms,))


def site_root_path(base: str) -> str:
    """The path part of ``site_url`` ("https://user.github.io/repo" -> "/repo/"), "/" for none."""
    path = urlsplit(base).path if base else ""
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def _publishing_outputs(renderer: PageRenderer, pages: Sequence[ReportPage], stylesheet: str,
                        place_names: Sequence[str]) -> Iterator[SiteOutput]:
    """What GitHub Pages needs beside the pages: ``.nojekyll``, ``404.html`` and, with a
    ``site_url``, ``sitemap.xml``.

    GitHub Pages serves ``404.html`` for a missing URL at any depth, so relative links cannot
    work there: this one page takes absolute paths from ``site_url`` (``/repo/assets/style.css``).
    Without a ``site_url`` the stylesheet is inlined and home is ``/``.
    """
    settings = renderer.settings
    base = settings.base
    yield SiteOutput(".nojekyll", lambda: (b"",))

    icon = settings.templates_dir / STATIC_DIR / FAVICON_FILE
    # without a site_url the icon is inlined too, like the stylesheet
    icon_href = "" if base or not icon.is_file() else "data:image/svg+xml," + quote(icon.read_text("utf-8").strip())

    def not_found() -> tuple[bytes]:
        return (renderer.templates.render(
            NOT_FOUND_TEMPLATE, site_name=settings.site_name, root=site_root_path(base), canonical_url="",
            inline_css=Markup(stylesheet.replace("</", "<\\/")) if not base else "",
            favicon_href=icon_href).encode("utf-8"),)

    yield SiteOutput("404.html", not_found, templates=(NOT_FOUND_TEMPLATE,),
                     inputs=("" if base else stylesheet, icon_href))
    if base:
        has_glossary = settings.glossary is not None
        yield SiteOutput("sitemap.xml", lambda: (sitemap(base, pages, has_glossary, place_names),), parts=(LINK,),
                         inputs=(has_glossary, place_names))


def sitemap(base: str, pages: Sequence[ReportPage], has_glossary: bool, place_pages: Sequence[str] = ()) -> bytes:
    """``sitemap.xml``: the index, every report page and indicators page, every place page, the glossary."""
    from xml.sax.saxutils import escape  # (it loads urllib.request, ssl and email: only for a sitemap)

    urls = ["", *(p.url for p in pages), "indicators/index.html", *(indicators_page_url(p.slug) for p in pages),
            *place_pages]
    if has_glossary:
        urls.append(glossary_pages.GLOSSARY_PAGE)
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
             *(f"<url><loc>{escape(base + url)}</loc></url>" for url in urls), "</urlset>", ""]
    return "\n".join(lines).encode("utf-8")

