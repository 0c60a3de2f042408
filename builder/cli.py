"""The command line: argparse, then the verb's ``builder.commands`` module.  User errors are one line, exit 1."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from builder import __version__
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
    from builder.commands import build

    build.run(args.config, force=args.force, clean=args.clean, jobs=args.jobs)


def _ingest(args: argparse.Namespace) -> None:
    from builder.commands import ingest

    ingest.run(args.config, args.pages, force=args.force)


def _glossary(args: argparse.Namespace) -> None:
    from builder.commands import glossary

    glossary.run_suggest(args.config, as_yaml=args.yaml, limit=args.limit)


def _pdf(args: argparse.Namespace) -> None:
    from builder.commands import pdf

    pdf.run(args.config, args.slugs)


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
