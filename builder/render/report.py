"""One report -> its page and its indicators page (bytes), and what the site-wide pages take of it.

:class:`PageRenderer` is the renderer of one site's report pages: its settings
(:class:`PageSettings`, from the config), its templates and the glossary's pinyin sort keys.
``render(report, place)`` is pure but for reading templates: it returns the pages' bytes and the
report's *parts* (:class:`RenderedReport`); writing them is the build's.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from markupsafe import Markup

from builder.core import jsonout
from builder.core.config import BACKLINKS_MAX, FULL_TABLE_MAX, GLOSSARY_LINK, PDF_DIR, SIDEBAR_COUNT
from builder.core.model import (
    FIELD_LABELS,
    GENRE_LABELS,
    GENRE_REPORT,
    KIND_LABELS,
    OTHER_REPORT,
    REPAIR_RULES,
    Decision,
    ReportFile,
    source_name,
    strength_rank,
    strength_word,
)
from builder.glossary import pages as glossary_pages
from builder.glossary.terms import Glossary
from builder.indicators import chart, tables
from builder.indicators import extract as ind
from builder.render.markdown import RenderedBody, render_markdown, toc_tree
from builder.render.places import PlaceReport, report_figures, report_place_url
from builder.render.search import mark_terms, report_filters
from builder.render.templates import INDICATORS_REPORT_TEMPLATE, REPORT_TEMPLATE, STATIC_DIR, Templates
from builder.render.textloss import check_text_kept
from builder.sitesrc import parse_evidence

if TYPE_CHECKING:  # pragma: no cover
    import jinja2

    from builder.core.config import Config


#: The site's icon in the templates' static/ folder, and where pages link to it.
FAVICON_FILE = "favicon.svg"
FAVICON = "assets/" + FAVICON_FILE


@dataclass(frozen=True)
class PageSettings:
    """Everything the site's pages depend on besides the reports: one value from the config each
    (:meth:`from_config`; the defaults are the config's)."""

    templates_dir: Path
    site_name: str
    base: str = ""
    """``site_url`` ending in "/", or "" (it only feeds ``<link rel="canonical">``)."""
    indicator_count: int = SIDEBAR_COUNT
    """Key indicators in a report page's sidebar."""
    full_table_max: int = FULL_TABLE_MAX
    """Up to this many indicators site-wide, the indicators page lists every one."""
    glossary: Glossary | None = None
    glossary_link: str = GLOSSARY_LINK
    """Which occurrences of a term are linked (``glossary.link``)."""
    backlinks_max: int = BACKLINKS_MAX
    """A glossary entry with more occurrences lists counts instead of every one."""

    @classmethod
    def from_config(cls, config: Config, glossary: Glossary | None) -> PageSettings:
        """The settings of ``config``'s site, with its (loaded) glossary."""
        return cls(templates_dir=Path(config.templates_dir), site_name=config.site_name,
                   base=site_base(config.site_url), indicator_count=config.indicator_count,
                   full_table_max=config.indicators_full_table_max, glossary=glossary,
                   glossary_link=config.glossary_link, backlinks_max=config.glossary_backlinks_max)

    @property
    def template_globals(self) -> tuple[tuple[str, object], ...]:
        """The globals every template sees: the header's navigation needs them, and the head the
        site's icon (when the templates' static/ folder has one)."""
        favicon = FAVICON if (self.templates_dir / STATIC_DIR / FAVICON_FILE).is_file() else ""
        return (("has_glossary", self.glossary is not None), ("nav_current", ""), ("favicon", favicon))


def site_base(site_url: str) -> str:
    """``site_url`` as the pages prefix it: ending in "/" ("" for none)."""
    return site_url.rstrip("/") + "/" if site_url else ""


@dataclass(frozen=True)
class PagePlace:
    """Where a report's page stands in the site: its neighbours in index order, its PDF."""

    prev_report: dict[str, str] | None
    """{"title", "url"} of the report before it, or None."""
    next_report: dict[str, str] | None
    has_pdf: bool
    """Whether ``builder pdf`` made a PDF of it (the page links to it)."""


@dataclass(frozen=True)
class ReportPage:
    """One rendered report page."""

    slug: str
    url: str
    """Relative to the site root, e.g. "reports/2020-suzhou-gwr.html"."""
    title: str
    source: str
    """The Markdown file it was rendered from."""
    paragraph_count: int


@dataclass(frozen=True)
class ReportSummary:
    """What the site-wide outputs need of every report besides its parts: its page and counts."""

    page: ReportPage
    counts: tuple[tuple[str, int], ...]
    """(kind, number of indicators) in the order of ``indicators.KIND_NAMES``."""
    listing: PlaceReport
    """What the home page and its place's page show of it."""


@dataclass(frozen=True)
class RenderedReport:
    """A rendered report: its two pages, and its parts (what the site-wide outputs take of it)."""

    summary: ReportSummary
    outputs: tuple[tuple[str, bytes], ...]
    """(name, bytes) of its pages: the report page and ``indicators/<slug>.html``."""
    page: dict[str, object]
    """The ``report`` template variable (the index and the indicators page list it)."""
    entry_json: bytes
    """Its entry as it stands in data/reports.json, between the brackets."""
    occurrences: tuple[tuple[str, str], ...]
    """(term id, anchor) of every glossary term occurrence."""
    pair_rows: tuple[tables.PairRow, ...]
    """Its rows of the targets-vs-results table (``tables.pair_rows``)."""
    rows_json: bytes
    """Its rows as they stand in data/indicators.json, between the brackets."""
    rows_csv: bytes
    """Its rows as lines of data/indicators.csv."""

    @property
    def url(self) -> str:
        return self.summary.page.url


def report_url(slug: str) -> str:
    """A report's page, relative to the site root."""
    return f"reports/{slug}.html"


def indicators_page_url(slug: str) -> str:
    """A report's indicators page, relative to the site root."""
    return f"indicators/{slug}.html"


class PageRenderer:
    """Renders one site's report pages (see the module docstring)."""

    def __init__(self, settings: PageSettings, *, bytecode: jinja2.BytecodeCache | None = None,
                 pinyin: glossary_pages.PinyinKeys | None = None):
        self.settings = settings
        self.templates = Templates(settings.templates_dir, template_globals=settings.template_globals,
                                   bytecode=bytecode)
        self.pinyin = pinyin if pinyin is not None else glossary_pages.PinyinKeys()
        """The glossary's sort keys (the build cache keeps them across builds)."""

    def warm(self) -> None:
        """Compile the report templates, build the Markdown parser (and the glossary's segmenter)
        and compute the glossary's sort keys, once: worker processes forked afterwards inherit them
        instead of each making its own.  A failure is left for the real render to report."""
        settings = self.settings
        try:
            self.templates.compile(REPORT_TEMPLATE, INDICATORS_REPORT_TEMPLATE)
            render_markdown("预热。", glossary=settings.glossary, glossary_link=settings.glossary_link)
            if settings.glossary is not None:
                self.pinyin.prime(term.term for term in settings.glossary.terms)
        except Exception:  # noqa: BLE001 - rendering reports it properly
            pass

    def render(self, report: ReportFile, place: PagePlace) -> RenderedReport:
        """Render one report's page (checked with ``check_text_kept``) and its indicators page."""
        settings = self.settings
        year = report.meta.get("year")
        body = render_markdown(report.body, report_year=year if isinstance(year, int) else None,
                               report=str(report.meta["slug"]), glossary=settings.glossary,
                               glossary_link=settings.glossary_link)
        page = self._page_variables(report, body)
        rows = tables.report_rows(body.indicators, str(page["url"]))
        body_html = mark_terms(body.html, ((str(o["term"]), str(o["anchor"])) for o in body.glossary_occurrences),
                               settings.glossary)  # the search index's glossary words
        html = self.templates.render(
            REPORT_TEMPLATE, site_name=settings.site_name, root="../", report=page,
            body_html=Markup(body_html), toc=toc_tree(body.toc), canonical_url=self._canonical(str(page["url"])),
            prev_report=place.prev_report, next_report=place.next_report,
            pdf_url=f"../{PDF_DIR}/{page['slug']}.pdf" if place.has_pdf else "")
        check_text_kept(report, html, body_html)
        counts = tables.kind_counts(rows)
        pair_rows = tables.pair_rows(rows, place=str(page.get("place") or ""),
                                     report_year=year if isinstance(year, int) else None,
                                     change_texts=[item.change_text for item in body.indicators])
        indicators_url = indicators_page_url(str(page["slug"]))
        own_rows = self.templates.indicator_rows(rows, root="../", kind_labels=ind.KIND_NAMES, show_report=False,
                                                 titles={})
        indicators_html = self.templates.render_bytes(
            INDICATORS_REPORT_TEMPLATE, site_name=settings.site_name, root="../",
            canonical_url=self._canonical(indicators_url), report=page, rows=rows,
            rows_html=Markup(own_rows), counts=counts, kind_labels=ind.KIND_NAMES)
        summary = ReportSummary(
            page=ReportPage(slug=str(page["slug"]), url=str(page["url"]), title=str(page["title"]),
                            source=report.path, paragraph_count=body.paragraph_count),
            counts=tuple(counts.items()), listing=_listing(page, pair_rows))
        return RenderedReport(
            summary=summary, outputs=((str(page["url"]), html.encode("utf-8")), (indicators_url, indicators_html)),
            page=page, entry_json=jsonout.array_items([_json_entry(page)], sort_keys=True),
            occurrences=tuple((str(o["term"]), str(o["anchor"])) for o in body.glossary_occurrences),
            pair_rows=pair_rows,
            rows_json=tables.rows_json(rows), rows_csv=tables.rows_csv(rows))

    def _page_variables(self, report: ReportFile, body: RenderedBody) -> dict[str, object]:
        """:func:`page_context` with the glossary's terms and the indicators' sidebar and chart."""
        settings = self.settings
        page = page_context(report, body)
        page["glossary_terms"] = (glossary_pages.report_terms(settings.glossary, body.glossary_terms, self.pinyin)
                                  if settings.glossary else [])
        page["indicator_groups"] = ind.group_by_section(ind.key_indicators(body.indicators, settings.indicator_count))
        page["indicator_count"] = len(body.indicators)
        page["growth_chart"] = chart.report_chart(str(page["kind"]), body.indicators)
        page["places"] = dict(body.places)  # the glossary's backlinks read them
        page["search_filters"] = report_filters(page)
        return page

    def _canonical(self, url: str) -> str:
        return self.settings.base + url if self.settings.base else ""


def _listing(page: Mapping[str, object], pair_rows: Sequence[tables.PairRow]) -> PlaceReport:
    """What the home page and the place pages show of a report (its page variables ``page``)."""
    year = page["year"] if isinstance(page["year"], int) else None
    return PlaceReport(slug=str(page["slug"]), url=str(page["url"]), title=str(page["title"]), year=year,
                       kind=str(page["kind"]), genre=str(page["genre"]), place=str(page["place"]),
                       issuer=str(page["issuer"]), review=bool(page["review"]), summary=str(page["summary"]),
                       figures=report_figures(tables.pair_dicts(pair_rows), year))


# --------------------------------------------------------------------------- the page's variables


def meta_text(value: object) -> str:
    """A front-matter value shown as text (YAML may hand back dates, numbers or null)."""
    if value is None:
        return ""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    return str(value)


def _lines(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [meta_text(v) for v in value if meta_text(v).strip()]
    return [line for line in meta_text(value).splitlines() if line.strip()]


def _is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def _format_date(value: str) -> str:
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    if not match:
        return value
    return f"{int(match[1])}年{int(match[2])}月{int(match[3])}日"


def _cleaning_log(value: object) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    if isinstance(value, (list, tuple)):
        for entry in value:
            if isinstance(entry, Mapping):
                rows.append({"line": meta_text(entry.get("line")), "rule": meta_text(entry.get("rule")),
                             "text": meta_text(entry.get("text"))})
            else:
                rows.append({"line": "", "rule": "", "text": meta_text(entry)})
    return rows


def page_context(report: ReportFile, body: RenderedBody) -> dict[str, object]:
    """The ``report`` variable of report.html (every value a plain str/int/list)."""
    meta = report.meta
    slug = str(meta["slug"])
    kind = meta_text(meta.get("kind")) or OTHER_REPORT
    title = str(meta["title"])
    scraped_title = meta_text(meta.get("scraped_title"))
    title_note = meta_text(meta.get("title_note"))
    source_url = meta_text(meta.get("source_url"))
    delivered = meta_text(meta.get("delivered"))
    year = meta.get("year")
    genre = meta_text(meta.get("genre")) or GENRE_REPORT
    decisions = parse_evidence(meta.get("evidence"))
    return {
        "slug": slug,
        "url": report_url(slug),
        "indicators_url": indicators_page_url(slug),
        "title": title,
        "kind": kind,
        "kind_label": KIND_LABELS.get(kind, KIND_LABELS[OTHER_REPORT]),
        "genre": genre,
        "genre_label": GENRE_LABELS.get(genre, GENRE_LABELS[GENRE_REPORT]),
        "is_report": genre == GENRE_REPORT,
        "review": meta_text(meta.get("review")),
        "evidence": _evidence_rows(decisions),
        "attribution_note": _attribution_note(decisions),
        "issuer": meta_text(meta.get("issuer")),
        "place": meta_text(meta.get("place")),
        "place_short": meta_text(meta.get("place_short")),
        "place_url": report_place_url(meta_text(meta.get("place"))),
        "year": year if isinstance(year, int) else None,
        "delivered": delivered,
        "delivered_label": _format_date(delivered),
        "session": meta_text(meta.get("session")),
        "speaker": meta_text(meta.get("speaker")),
        "preamble": _lines(meta.get("preamble")),
        "scraped_title": scraped_title,
        "title_note": title_note,
        "title_changed": bool(title_note) or bool(scraped_title and scraped_title != title),
        "source_file": meta_text(meta.get("source_file")),
        "source_sha256": meta_text(meta.get("source_sha256")),
        "source_url": source_url,
        "source_url_is_link": _is_web_url(source_url),
        "scraped_at": meta_text(meta.get("scraped_at")),
        "site_category": meta_text(meta.get("site_category")),
        "builder_version": meta_text(meta.get("builder_version")),
        "cleaning_log": (log := _cleaning_log(meta.get("cleaning_log"))),
        "removed_count": sum(1 for row in log if row["rule"] not in REPAIR_RULES),
        "repair_count": sum(1 for row in log if row["rule"] in REPAIR_RULES),
        "summary": body.summary,
        "paragraph_count": body.paragraph_count,
        "sections": body.toc,
    }


def _evidence_rows(decisions: Sequence[Decision]) -> list[dict[str, str]]:
    """The front matter's ``evidence:`` as rows of the provenance box: what was decided, from what."""
    labels = {"kind": KIND_LABELS, "genre": GENRE_LABELS}
    return [{"field": FIELD_LABELS.get(d.field, d.field), "value": labels.get(d.field, {}).get(d.value, d.value),
             "source": source_name(d.source), "strength": strength_word(d.strength), "text": d.text,
             "against": "；".join(d.against)}
            for d in decisions]


def _attribution_note(decisions: Sequence[Decision]) -> str:
    """One sentence on what carried the attribution: the fields each source decided, strongest first
    (e.g. 类型、发布机关、地方据报告人自述；年份、日期据报告日期行。)."""
    by_source: dict[tuple[str, str], list[str]] = {}
    for d in decisions:
        if d.field != "title" and d.source != "derived":
            by_source.setdefault((d.strength, source_name(d.source)), []).append(FIELD_LABELS.get(d.field, d.field))
    ordered = sorted(by_source.items(), key=lambda kv: -strength_rank(kv[0][0]))
    clauses = [f"{'、'.join(fields)}据{source}" + ("（弱证据）" if strength == "weak" else "")
               for (strength, source), fields in ordered]
    return "；".join(clauses) + "。" if clauses else ""


def _json_entry(page: Mapping[str, object]) -> dict[str, object]:
    """A report's entry of data/reports.json."""
    keys = ("slug", "url", "title", "kind", "genre", "issuer", "place", "year", "review", "scraped_title",
            "source_url", "scraped_at", "paragraph_count", "sections")
    entry = {key: page[key] for key in keys}
    entry["id"] = page["slug"]
    return entry


def sort_key(meta: Mapping[str, object]) -> tuple[object, ...]:
    """The index order of reports: by year (none last), place, title, slug."""
    year = meta.get("year")
    return (year is None, year if isinstance(year, int) else 0,
            meta_text(meta.get("place")), meta_text(meta.get("title")), meta_text(meta.get("slug")))


def neighbours(ordered: Sequence[Mapping[str, object]]) -> list[dict[str, str]]:
    """{"title", "url"} of each report (front matter in index order), as its neighbours link to it."""
    return [{"title": str(meta["title"]), "url": f"{meta['slug']}.html"} for meta in ordered]
