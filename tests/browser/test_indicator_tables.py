"""Issue 13: the indicator tables read well at 375 and 1280 px, and print in full at any window width."""

from __future__ import annotations

import re
import subprocess

import pytest
from browser_support import tool  # type: ignore[import-not-found]

pytestmark = pytest.mark.browser

REPORT = "reports/2020-suzhou-zfgzbg.html"


def test_key_indicator_table_prints_in_full_from_a_narrow_window(open_page, server, artifacts):
    """Below 80rem the sidebar starts folded; on paper its table is still there, every figure of it."""
    pdftotext = tool("pdftotext")
    page = open_page(server + REPORT, width=1000).page
    page.set_viewport_size({"width": 1000, "height": 800})
    assert not page.locator(".indicators-details").evaluate("d => d.open")  # folded on screen
    values = page.evaluate("[...document.querySelectorAll('.indicators-table tbody td:nth-child(2)')]"
                           ".map(td => td.textContent.trim()).filter(v => v && v !== '—')")
    assert len(values) >= 5
    pdf = artifacts / "report-print-1000px.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    table = flat[flat.rindex("主要指标"):]
    missing = [v for v in values if re.sub(r"\s+", "", v) not in table]
    assert not missing, missing


def test_browser_print_opens_the_folded_panel(open_page, server):
    """The browser's own print (beforeprint) unfolds the panel, so the printed table is the open one."""
    page = open_page(server + REPORT, width=1000).page
    assert not page.locator(".indicators-details").evaluate("d => d.open")
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    assert page.locator(".indicators-details").evaluate("d => d.open")


def test_builder_pdf_prints_the_key_indicator_table(tmp_path):
    """`builder pdf` prints from headless Chromium's small default window: the table is there in full."""
    import os
    import sys

    from browser_support import CHROMIUM, build, require, site_config  # type: ignore[import-not-found]

    require(os.access(CHROMIUM, os.X_OK), f"Debian's Chromium ({CHROMIUM})")
    pdftotext = tool("pdftotext")
    config = site_config(tmp_path, site_url="")
    out = build(config)
    slug = REPORT.split("/")[1].removesuffix(".html")
    html = (out / "reports" / f"{slug}.html").read_text("utf-8")
    panel = html[html.index('class="indicators-table"'):html.index("</table>", html.index('class="indicators-table"'))]
    values = [v for v in re.findall(r"</a></th>\n<td>([^<]+)</td>", panel) if v != "—"]
    assert len(values) >= 5
    done = subprocess.run([sys.executable, "-m", "builder", "pdf", slug, "--config", str(config)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    text = subprocess.run([pdftotext, str(out / "pdf" / f"{slug}.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    flat = re.sub(r"\s+", "", text)
    table = flat[flat.rindex("主要指标"):]
    missing = [v for v in values if v.replace(" ", "") not in table]
    assert not missing, missing


#: The number of text lines an element's text takes: its text's line boxes, told apart by their vertical
#: middles (a badge's smaller type sits on the same line as the text beside it).
LINES = """el => {
  const middles = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    if (!walker.currentNode.textContent.trim()) { continue; }
    const range = document.createRange();
    range.selectNodeContents(walker.currentNode);
    for (const r of range.getClientRects()) { if (r.width > 0) { middles.push((r.top + r.bottom) / 2); } }
  }
  middles.sort((a, b) => a - b);
  const half = parseFloat(getComputedStyle(el).fontSize) / 2;
  return middles.filter((m, i) => i === 0 || m - middles[i - 1] > half).length;
}"""

#: the figure, its change and its type: in the sidebar (columns 2-4), in an indicators table (the 5th to
#: 3rd cells from the end)
SIDEBAR_CELLS = ".indicators-table tbody td"
TABLE_CELLS = "#indicator-table td:nth-last-child(-n+5):not(:last-child):not(:nth-last-child(2))"


def _multi_line(page, selector):
    cells = page.locator(selector)
    assert cells.count() >= 5, selector
    found = cells.evaluate_all(f"els => els.filter(e => e.textContent.trim() && ({LINES})(e) > 1)"
                               ".map(e => e.textContent.trim())")
    return found


@pytest.mark.parametrize("width", [375, 1280])
def test_figures_units_and_type_badges_never_break(open_page, server, width):
    page = open_page(server + REPORT, width=width).page
    page.locator(".indicators-details").evaluate("d => { d.open = true; }")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert _multi_line(page, SIDEBAR_CELLS) == []
    badges = page.locator(".indicators-table .kind-badge")
    assert badges.evaluate_all(f"els => els.filter(e => ({LINES})(e) > 1).length") == 0
    for url in ("indicators/index.html", "indicators/2020-suzhou-zfgzbg.html"):
        page.goto(server + url)
        assert _multi_line(page, TABLE_CELLS) == [], url


@pytest.mark.parametrize("url", ["indicators/index.html", "indicators/2020-suzhou-zfgzbg.html"])
def test_indicators_pages_are_cards_on_a_phone(open_page, server, url):
    """At 375 px each indicator is a card, not a 7-column row: no horizontal scroll, a short page.
    (Measured on the bundled site: indicators/index.html was 38,602 px tall at 375 px, now about 19,000.)"""
    page = open_page(server + url, width=375, height=800).page
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    rows = page.locator("#indicator-table tbody tr")
    assert rows.first.evaluate("r => getComputedStyle(r).display") == "flex"
    assert page.locator("#indicator-table").evaluate("t => t.scrollWidth <= t.clientWidth")
    heights = rows.evaluate_all("rs => rs.filter(r => !r.hidden).map(r => r.getBoundingClientRect().height)")
    assert len(heights) >= 50
    assert sum(heights) / len(heights) <= 80, sum(heights) / len(heights)  # three short lines at most
    label = page.locator("#indicator-table tbody tr th").first  # the label takes the card's width
    assert label.evaluate("th => th.getBoundingClientRect().width") >= 300
    headers = page.locator(".data-table thead th")  # 合计, 实绩: never one character per line
    assert headers.evaluate_all(f"els => els.filter(e => ({LINES})(e) > 1).map(e => e.textContent)") == []
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= 85 * len(heights) + 4000, height


@pytest.mark.parametrize("url", ["indicators/index.html", "reports/2020-suzhou-zfgzbg.html"])
def test_cards_and_sidebar_pass_axe_on_a_phone(open_page, server, url):
    from browser_support import AXE, require  # type: ignore[import-not-found]

    require(AXE.is_file(), "axe-core")
    page = open_page(server + url, width=375).page
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    bad = [f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in result["violations"]
           if v["impact"] in ("serious", "critical")]
    assert not bad, bad


@pytest.mark.parametrize("width", [375, 1280])
def test_growth_chart_labels_stay_legible(open_page, server, width):
    """The chart's text is at least 11 CSS px tall as rendered (a phone scrolls it sideways instead
    of shrinking it; it was 7 px at 375 px), and the page itself never scrolls sideways."""
    page = open_page(server + REPORT, width=width).page
    chart = page.locator("#page-growth-chart svg")
    sizes = chart.evaluate("""svg => {
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      return [...svg.querySelectorAll('text')].map(t => [t.textContent,
        parseFloat(getComputedStyle(t).fontSize) * scale, t.getBoundingClientRect().height]);
    }""")
    assert len(sizes) >= 3
    small = [s for s in sizes if s[1] < 11 or s[2] < 11]
    assert not small, small
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # the whole chart is reachable: its text ends inside the drawing
    assert chart.evaluate("svg => [...svg.querySelectorAll('text')].every(t => t.getBBox().x + t.getBBox().width"
                          " <= svg.viewBox.baseVal.width)")
