"""`builder pdf [SLUG…]`: print report pages to A4 PDFs with headless Chromium.

The pages print with the site's own print stylesheet (A4, running title, page numbers; see
templates/static/style.css).  PDFs go to ``<output>/pdf/<slug>.pdf``; a build keeps them
across builds and links each report page to its PDF.  Debian's ``chromium`` is used; no
browser is ever downloaded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from builder.core.config import PDF_DIR, load_config
from builder.core.errors import BuilderError, OutputError, SourceError

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser")
#: Flags for a quiet, offline headless run (no first-run UI, no background downloads).
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--no-default-browser-check", "--hide-scrollbars")
PRINT_TIMEOUT = 180


class ChromiumMissing(BuilderError):
    """No Chromium to print with."""


def find_chromium(candidates: Sequence[str] = CHROMIUM_CANDIDATES) -> str:
    """The Chromium executable: Debian's /usr/bin/chromium, else ``chromium`` on PATH."""
    for name in candidates:
        found = name if os.path.isabs(name) and os.access(name, os.X_OK) else shutil.which(name)
        if found:
            return found
    raise ChromiumMissing("Chromium not found (looked for /usr/bin/chromium and chromium on PATH)",
                          hint="install it with `apt-get install chromium`")


def print_command(chromium: str, page: Path, pdf: Path, profile: Path) -> list[str]:
    """The Chromium command line that prints ``page`` to ``pdf``."""
    return [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--no-pdf-header-footer",
            "--run-all-compositor-stages-before-draw", f"--print-to-pdf={pdf}", page.resolve().as_uri()]


def print_page(chromium: str, page: Path, pdf: Path) -> None:
    """Print one HTML file to ``pdf`` (written next to it first, then renamed into place)."""
    pdf.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="builder-chromium-") as profile:
        partial = pdf.with_name(f".{pdf.name}.part")
        try:
            done = subprocess.run(print_command(chromium, page, partial, Path(profile)), capture_output=True,
                                  text=True, timeout=PRINT_TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as error:
            partial.unlink(missing_ok=True)
            raise OutputError(f"Chromium could not print the page: {error}", path=str(page)) from None
        if done.returncode != 0 or not partial.is_file() or partial.stat().st_size == 0:
            partial.unlink(missing_ok=True)
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise OutputError(f"Chromium could not print the page (exit {done.returncode}: {last})", path=str(page))
        os.replace(partial, pdf)


def report_slugs(out_dir: Path) -> list[str]:
    """The slugs of the built reports, in index order (from data/reports.json)."""
    index = out_dir / "data" / "reports.json"
    try:
        return [str(entry["slug"]) for entry in json.loads(index.read_text(encoding="utf-8"))]
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SourceError(f"cannot read the built site's report index: {error}", path=str(index),
                          hint="run `builder build` first") from None


def make_pdfs(out_dir: Path, slugs: Sequence[str] = (), *, chromium: str | None = None,
              say=print) -> list[Path]:
    """Print the given reports (all when none are given) of a built site to ``out_dir/pdf/``."""
    known = report_slugs(out_dir)
    unknown = [s for s in slugs if s not in known]
    if unknown:
        raise SourceError(f"no report with slug {unknown[0]!r} (built: {', '.join(known) or 'none'})",
                          path=str(out_dir / "data" / "reports.json"))
    chromium = chromium or find_chromium()
    written = []
    for slug in slugs or known:
        pdf = out_dir / PDF_DIR / f"{slug}.pdf"
        print_page(chromium, out_dir / "reports" / f"{slug}.html", pdf)
        say(f"{pdf}\t{pdf.stat().st_size // 1024} KB")
        written.append(pdf)
    return written


def run(config_path: Path | None, slugs: Sequence[str] = (), *, strict: bool | None = None) -> None:
    """``builder pdf``: build the site, print its reports, build again (so the pages link their PDFs).
    ``strict`` (default: config ``strict``): a build warning fails the command before anything is written."""
    from builder.commands.build import build_site, print_warnings

    config = load_config(config_path)
    strict = config.strict if strict is None else strict
    chromium = find_chromium()  # before building: a missing Chromium is a one-line error
    quiet = lambda *_args, **_kwargs: None  # noqa: E731
    # the pages to print are the current ones (an out-of-date PDF is removed: it is printed again)
    built = build_site(config, say=quiet, strict=strict, stale_pdfs="remove")
    print_warnings(built.warnings)
    started = time.perf_counter()
    written = make_pdfs(config.output_dir, slugs, chromium=chromium)
    build_site(config, say=quiet, strict=strict)  # now every report page links to its PDF
    print(f"wrote {len(written)} PDFs to {config.relative(config.output_dir)}/pdf/ "
          f"in {time.perf_counter() - started:.2f} s")
