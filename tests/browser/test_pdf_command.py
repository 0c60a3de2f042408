"""`builder pdf` prints with Debian's Chromium; report pages link the PDFs, which survive rebuilds."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from browser_support import CHROMIUM, build, require, site_config  # type: ignore[import-not-found]

pytestmark = pytest.mark.browser

SLUG = "2020-huaian-rdcwhgzbg"


def test_builder_pdf_writes_pdfs_and_pages_link_them(tmp_path):
    require(os.access(CHROMIUM, os.X_OK), f"Debian's Chromium ({CHROMIUM})")
    config = site_config(tmp_path, site_url="")
    out = build(config)
    page = out / "reports" / f"{SLUG}.html"
    assert "pdf-link" not in page.read_text("utf-8")
    done = subprocess.run([sys.executable, "-m", "builder", "pdf", SLUG, "--config", str(config)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    pdf = out / "pdf" / f"{SLUG}.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and "wrote 1 PDFs" in done.stdout
    assert f'href="../pdf/{SLUG}.pdf"' in page.read_text("utf-8")
    others = [p for p in (out / "reports").glob("*.html") if p.name != page.name]
    assert others and all("pdf-link" not in p.read_text("utf-8") for p in others)
    build(config)  # a later build keeps the PDF and the link
    assert pdf.is_file() and f'href="../pdf/{SLUG}.pdf"' in page.read_text("utf-8")


def test_builder_pdf_unknown_slug_is_one_line(tmp_path):
    require(os.access(CHROMIUM, os.X_OK), f"Debian's Chromium ({CHROMIUM})")
    config = site_config(tmp_path, site_url="")
    done = subprocess.run([sys.executable, "-m", "builder", "pdf", "no-such-report", "--config", str(config)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert done.stderr.count("\n") == 1 and "no report with slug 'no-such-report'" in done.stderr
