"""The home page stays light at the scale of the benchmark (issue 12): under 300 KB at N=1,000.

The home page is made from each report's listing alone (``render.places.PlaceReport``, kept with
its summary), so it is made here from the listings of the benchmark's 1,000 generated reports —
same places, years, titles and slugs as ``benchmarks/bench.py`` generates — through the site's own
outputs and the bundled templates, without rendering 1,000 report pages (a minute of building).
The generated site measured 213,113 bytes when built for real (see the final report of issue 12).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from builder.render import site
from builder.render.places import PlaceReport
from builder.render.report import PageRenderer, PageSettings, ReportPage, ReportSummary
from builder.text.places import full_path, hierarchy, place_pinyin

ROOT = Path(__file__).resolve().parents[2]
BUDGET = 300_000


sys.path.insert(0, str(ROOT / "benchmarks"))
import bench_corpus  # noqa: E402 - the benchmark's generator, beside its script


def summaries(n: int) -> list[ReportSummary]:
    """The benchmark's n reports as the home page sees them: the place and year of each variant
    (``bench_corpus.place_and_year``), a government work report."""
    names = bench_corpus.places_for_variants()
    out = []
    for i in range(n):
        name, year = bench_corpus.place_and_year(i, names)
        place = full_path(name) or ""
        slug = f"{year}-{place_pinyin(place)}-zfgzbg"
        listing = PlaceReport(slug=slug, url=f"reports/{slug}.html", title=f"{year}年{name}市政府工作报告", year=year,
                              kind="government_work_report", genre="report", place=place, issuer=f"{name}市人民政府")
        out.append(ReportSummary(page=ReportPage(slug, listing.url, listing.title, "", 0), counts=(),
                                 listing=listing))
    return out


class Parts:
    """Only what the home page reads of the reports: their summaries."""

    def __init__(self, n: int):
        self.summaries = summaries(n)

    def pages(self) -> list[dict[str, object]]:
        raise AssertionError("the home page does not read the reports' page variables")


def home_page(n: int) -> bytes:
    renderer = PageRenderer(PageSettings(templates_dir=ROOT / "templates", site_name="政府工作报告读本"))
    made = next(output for output in site.site_outputs(renderer, Parts(n)) if output.name == "index.html")  # type: ignore[arg-type]
    return b"".join(made.make())


def test_the_home_page_of_1000_reports_is_under_300_kb_and_lists_every_place():
    page = home_page(1000)
    print(f"\nhome page at N=1000: {len(page)} bytes")
    assert len(page) < BUDGET
    text = page.decode("utf-8")
    places = {step.slug for s in summaries(1000) for step in hierarchy(s.listing.place)[1:]}  # (全国 has none)
    assert {f'href="places/{slug}.html"' for slug in places} == set(re.findall(r'href="places/[^"]+"', text))
    assert text.count('class="place-name"') == len(places)  # every place once
    assert text.count("<li data-year=") == 1000  # every report a year link


def test_the_home_page_grows_with_the_reports_not_faster():
    small, large = len(home_page(300)), len(home_page(1000))
    per_report = (large - small) / 700
    print(f"\n{per_report:.0f} bytes per report beyond 300")
    assert per_report < 200  # 2,000 reports would still be about 400 KB, not megabytes
