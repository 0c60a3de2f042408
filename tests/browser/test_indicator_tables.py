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
