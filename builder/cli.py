"""The command line: thin verbs over builder.build.pipeline.  User errors are one line, exit 1."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Sequence

from builder import __version__
from builder.core.config import load_config
from builder.core.errors import BuilderError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="builder",
        description="Build readable, structured editions of Chinese government reports from scraped pages.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="COMMAND")

    build = verbs.add_parser("build", help="ingest changed scraped pages, then render the site")
    _common(build)
    build.add_argument("--clean", action="store_true", help="re-ingest every scraped page, ignoring the cache")
    build.add_argument("--jobs", type=int, default=None, metavar="N",
                       help="worker processes for large sites (default: the CPUs available; 1: serial)")

    # --- serve
    serve = verbs.add_parser("serve", help="build, serve the site with live reload, rebuild on every change")
    serve.add_argument("--config", type=Path, default=None, metavar="PATH",
                       help="the site's config.yaml (default: ./config.yaml)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    serve.add_argument("--base-path", default="/", metavar="PATH",
                       help="serve the site under this sub-path, as GitHub Pages does for a project site "
                            "(e.g. /my-repo/)")
    # --- end serve

    ingest = verbs.add_parser("ingest", help="clean, split and write Markdown for the given pages only")
    ingest.add_argument("pages", nargs="+", type=Path, metavar="PAGE")
    _common(ingest)

    # --- glossary
    glossary = verbs.add_parser("glossary", help="work on the glossary (site_src/glossary.yaml)")
    actions = glossary.add_subparsers(dest="action", required=True, metavar="ACTION")
    suggest = actions.add_parser("suggest", help="list shorthand found in the reports but absent from the glossary")
    suggest.add_argument("--config", type=Path, default=None, metavar="PATH",
                         help="the site's config.yaml (default: ./config.yaml)")
    suggest.add_argument("--yaml", action="store_true", help="print YAML stubs ready to paste into the glossary")
    suggest.add_argument("--limit", type=int, default=0, metavar="N", help="show only the N most frequent")
    # --- end glossary

    pdf = verbs.add_parser("pdf", help="print report pages to A4 PDFs (public/pdf/<slug>.pdf) with headless Chromium")
    pdf.add_argument("slugs", nargs="*", metavar="SLUG", help="the reports to print (default: all)")
    pdf.add_argument("--config", type=Path, default=None, metavar="PATH",
                     help="the site's config.yaml (default: ./config.yaml)")
    return parser


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, default=None, metavar="PATH",
                        help="the site's config.yaml (default: ./config.yaml; paths in it are relative to it)")
    parser.add_argument("--force", action="store_true",
                        help="replace hand-edited report Markdown with the fresh version (a backup is kept)")


def _build(args: argparse.Namespace) -> None:
    from builder.build.pipeline import build_site

    config = load_config(args.config)
    summary = build_site(config, force=args.force, clean=args.clean, jobs=args.jobs)
    print(f"built {summary.reports} reports, {summary.pages_written} pages written to "
          f"{config.relative(config.output_dir)}/ in {summary.seconds:.2f} s"
          f" ({summary.ingest.pages} scraped pages ingested)")


def _ingest(args: argparse.Namespace) -> None:
    from builder.build.pipeline import ingest_pages

    config = load_config(args.config)
    started = time.perf_counter()
    missing = [p for p in args.pages if not p.is_file()]
    if missing:
        raise BuilderError("no such file", path=str(missing[0]))
    summary = ingest_pages(args.pages, config, force=args.force)
    changed = sum(1 for w in summary.written if w.status in ("created", "updated", "forced"))
    print(f"ingested {summary.pages} pages: {len(summary.written)} reports, {changed} files written "
          f"in {time.perf_counter() - started:.2f} s")


def _glossary(args: argparse.Namespace) -> None:
    from builder.glossary.terms import suggestions_yaml
    from builder.glossary.suggest import suggest

    config = load_config(args.config)
    found, taken = suggest(config)
    if args.limit > 0:
        found = found[: args.limit]
    if args.yaml:
        print(suggestions_yaml(found, taken), end="")
        return
    for s in found:
        print(f"{s.count}\t{s.term}\t{s.report}#{s.anchor}\t{s.example}")
    print(f"{len(found)} candidate terms absent from the glossary", file=sys.stderr)


def _pdf(args: argparse.Namespace) -> None:
    from builder.commands.pdf import find_chromium, make_pdfs
    from builder.build.pipeline import build_site

    config = load_config(args.config)
    chromium = find_chromium()  # before building: a missing Chromium is a one-line error
    quiet = lambda *_args, **_kwargs: None  # noqa: E731
    build_site(config, say=quiet)  # the pages to print are the current ones
    started = time.perf_counter()
    written = make_pdfs(config.output_dir, args.slugs, chromium=chromium)
    build_site(config, say=quiet)  # now every report page links to its PDF
    print(f"wrote {len(written)} PDFs to {config.relative(config.output_dir)}/pdf/ "
          f"in {time.perf_counter() - started:.2f} s")


def _serve(args: argparse.Namespace) -> None:
    from builder.commands.serve import serve

    serve(args.config, host=args.host, port=args.port, base_path=args.base_path,
          say=lambda line: print(line, flush=True))


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        {"build": _build, "ingest": _ingest, "glossary": _glossary, "pdf": _pdf,
         "serve": _serve}[args.verb](args)
    except BuilderError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    return 0
