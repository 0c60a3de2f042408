"""``builder glossary suggest``: list shorthand found in the reports but absent from the glossary.

Reads every report Markdown (the source of truth) and the glossary, hands them to the pure
``builder.glossary.suggest``, prints one line per candidate (or YAML stubs to paste in).
"""

from __future__ import annotations

import sys
from pathlib import Path

from builder.commands.build import site_glossary
from builder.core.config import load_config
from builder.glossary.suggest import suggest
from builder.glossary.terms import suggestions_yaml
from builder.sitesrc import parse_report_markdown, read_report, report_files
from builder.text import segment


def run_suggest(config_path: Path | None, *, as_yaml: bool = False, limit: int | None = None) -> None:
    """Print the suggestions, the most frequent first (``limit``: only that many)."""
    config = load_config(config_path)
    segment.use_cache_dir(config.cache_dir)
    glossary = site_glossary(config)
    reports = [parse_report_markdown(read_report(path, config.relative(path)))
               for path in report_files(config.reports_dir)]
    found, taken = suggest(glossary, reports)
    if limit is not None:
        found = found[:limit]
    if as_yaml:
        print(suggestions_yaml(found, taken), end="")
        return
    for s in found:
        print(f"{s.count}\t{s.term}\t{s.report}#{s.anchor}\t{s.example}")
    print(f"{len(found)} candidate terms absent from the glossary", file=sys.stderr)
