"""The command line: argparse, then the verb's ``builder.commands`` module.  User errors are one line, exit 1."""

from __future__ import annotations

import argparse
import os
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

    build = verbs.add_parser("build", help="ingest changed scraped pages, then render the site",
                             description="Ingest the scraped pages that changed, then render the site. "
                                         "Every readable document is published; each input that cannot be "
                                         "used (an unreadable file, a bad export row, a document that "
                                         "cannot be cut, a broken report file) is one warning, and the "
                                         "build still succeeds (exit 0).")
    _common(build)
    _strict(build)
    build.add_argument("--clean", action="store_true", help="re-ingest every scraped page, ignoring the cache")
    build.add_argument("--jobs", type=at_least_one, default=None, metavar="N",
                       help="worker processes for large sites (default: the CPUs available; 1: serial)")
    build.add_argument("--site-url", default=None, metavar="URL",
                       help="the address the site is published at, instead of `site_url:` in config.yaml "
                            "(the Pages workflow passes the one actions/configure-pages gives)")
    build.add_argument("--check", action="store_true",
                       help="write nothing; exit 1 naming each report file in site_src/reports/ that is not "
                            "what the build would write (hand-edited files are fine)")
    build.add_argument("--no-search", dest="search", action="store_false",
                       help="do not make the search index (public/pagefind/ is left as it is; the next build "
                            "without this flag makes it again if pages changed)")
    build.add_argument("--timings", action="store_true",
                       help="print to stderr the CPU seconds spent in each phase, one line: `phases: "
                            "ingest=1.23s analysis=0.45s render=2.34s write=0.56s`; each is summed over the "
                            "build's processes (with workers the phases overlap and their sum may exceed the "
                            "wall-clock; with --jobs 1 on an idle machine each is about its wall-clock); "
                            "search= is the wall-clock of Pagefind's index")

    # --- serve
    serve = verbs.add_parser("serve", help="build, serve the site with live reload, rebuild on every change")
    serve.add_argument("--config", type=Path, default=None, metavar="PATH",
                       help="the site's config.yaml (default: ./config.yaml)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=port_number, default=8000,
                       help="port to listen on, 0 for any free one (default: 8000)")
    serve.add_argument("--base-path", default="/", metavar="PATH",
                       help="serve the site under this sub-path, as GitHub Pages does for a project site "
                            "(e.g. /my-repo/)")
    serve.add_argument("--no-search", dest="search", action="store_false",
                       help="do not remake the search index after each rebuild")
    # --- end serve

    ingest = verbs.add_parser("ingest", help="clean, split and write Markdown for the given pages only")
    ingest.add_argument("pages", nargs="+", type=Path, metavar="PAGE")
    _common(ingest)
    _strict(ingest, "site_src/reports/")

    review = verbs.add_parser(
        "review", help="show why each report was attributed as it was (the evidence in its front matter)",
        description="Print each report's attribution decisions with their evidence, read from the "
                    "`evidence:` front matter of site_src/reports/*.md: for every field, its value <- the "
                    "source that carried it (strength) and the words it rests on, and the candidates that "
                    "said otherwise. Reports whose front matter has `review:` come first, with the reason. "
                    "By default only those are shown.")
    review.add_argument("--config", type=Path, default=None, metavar="PATH",
                        help="the site's config.yaml (default: ./config.yaml)")
    review.add_argument("--all", action="store_true", dest="show_all",
                        help="show every report's evidence, not only the reports that need review")

    # --- glossary
    glossary = verbs.add_parser("glossary", help="work on the glossary (site_src/glossary.yaml)")
    actions = glossary.add_subparsers(dest="action", required=True, metavar="ACTION")
    suggest = actions.add_parser("suggest", help="list shorthand found in the reports but absent from the glossary")
    suggest.add_argument("--config", type=Path, default=None, metavar="PATH",
                         help="the site's config.yaml (default: ./config.yaml)")
    suggest.add_argument("--yaml", action="store_true", help="print YAML stubs ready to paste into the glossary")
    suggest.add_argument("--limit", type=at_least_one, default=None, metavar="N",
                         help="show only the N most frequent")
    # --- end glossary

    pdf = verbs.add_parser("pdf", help="print report pages to A4 PDFs (public/pdf/<slug>.pdf) with headless Chromium")
    pdf.add_argument("slugs", nargs="*", metavar="SLUG", help="the reports to print (default: all)")
    pdf.add_argument("--config", type=Path, default=None, metavar="PATH",
                     help="the site's config.yaml (default: ./config.yaml)")
    _strict(pdf)
    return parser


def at_least_one(text: str) -> int:
    """An argparse type: a whole number of at least 1 (``--jobs``, ``--limit``)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def port_number(text: str) -> int:
    """An argparse type: a TCP port, 0 to 65535 (0: any free port)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number from 0 to 65535 (0: any free port), got {text!r}")
    return value


def _strict(parser: argparse.ArgumentParser, untouched: str = "public/ and site_src/reports/") -> None:
    parser.add_argument("--strict", action=argparse.BooleanOptionalAction, default=None,
                        help="fail (exit 1) on any warning, printing each as an error, and leave "
                             f"{untouched} exactly as they were (default: `strict:` in config.yaml, "
                             "which defaults to false)")


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", type=Path, default=None, metavar="PATH",
                        help="the site's config.yaml (default: ./config.yaml; paths in it are relative to it)")
    parser.add_argument("--force", action="store_true",
                        help="replace hand-edited report Markdown with the fresh version (a backup is kept); "
                             "`build --force` ingests every scraped page again to do so")


def _build(args: argparse.Namespace) -> None:
    from builder.commands import build

    if args.check:
        build.run_check(args.config)
        return
    build.run(args.config, force=args.force, clean=args.clean, jobs=args.jobs, strict=args.strict,
              site_url=args.site_url, timings=args.timings, search=args.search)


def _ingest(args: argparse.Namespace) -> None:
    from builder.commands import ingest

    ingest.run(args.config, args.pages, force=args.force, strict=args.strict)


def _review(args: argparse.Namespace) -> None:
    from builder.commands import review

    review.run(args.config, show_all=args.show_all)


def _glossary(args: argparse.Namespace) -> None:
    from builder.commands import glossary

    glossary.run_suggest(args.config, as_yaml=args.yaml, limit=args.limit)


def _pdf(args: argparse.Namespace) -> None:
    from builder.commands import pdf

    pdf.run(args.config, args.slugs, strict=args.strict)


def _serve(args: argparse.Namespace) -> None:
    from builder.commands.serve import serve

    serve(args.config, host=args.host, port=args.port, base_path=args.base_path, search=args.search,
          say=lambda line: print(line, flush=True))


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        {"build": _build, "ingest": _ingest, "glossary": _glossary, "pdf": _pdf, "review": _review,
         "serve": _serve}[args.verb](args)
        sys.stdout.flush()  # a closed pipe shows here, not at exit
    except BuilderError as error:
        for line in error.lines():
            print(line, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader went away (`builder review | head -1`): stop quietly
        _silence_stdout()
        return 1
    return 0


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so that flushing it at exit does not complain about the closed pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (captured by a test)
        pass
