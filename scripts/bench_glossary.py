"""Benchmark: what glossary linking costs next to markdown-it rendering a report.

    python scripts/bench_glossary.py [--repeat N]

Renders every report of site_src/reports/ with the page parser, with and without the
glossary linker (site_src/glossary.yaml), and prints per-report milliseconds and the
linker's share.  jieba's one-off dictionary load is timed separately.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from builder.glossary.terms import load_glossary  # noqa: E402
from builder.render.markdown import glossary_parser, page_parser  # noqa: E402
from builder.sitesrc import parse_front_matter  # noqa: E402
from builder.text import segment  # noqa: E402


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    segment.use_cache_dir(ROOT / ".cache")
    start = time.perf_counter()
    segment.tokenizer()
    print(f"jieba dictionary load (once per process): {(time.perf_counter() - start) * 1000:.0f} ms")
    glossary = load_glossary(ROOT / "site_src" / "glossary.yaml")
    if glossary is None:
        sys.exit("no site_src/glossary.yaml")
    plain, linked = page_parser(), glossary_parser(glossary, "first-per-section")
    linked.render("预热：放管服。", {})  # builds the glossary's tokenizer once
    shares = []
    for path in sorted((ROOT / "site_src" / "reports").glob("*.md")):
        body = parse_front_matter(path.read_text(encoding="utf-8"), str(path)).body
        base = best(lambda body=body: plain.render(body, {}), args.repeat)
        full = best(lambda body=body: linked.render(body, {}), args.repeat)
        shares.append((full - base) / base)
        print(f"{path.stem}: {len(body):6d} chars  markdown-it {base:7.1f} ms  with glossary {full:7.1f} ms  "
              f"linking {full - base:6.1f} ms ({(full - base) / base:.0%} of rendering)")
    print(f"median linking cost: {statistics.median(shares):.0%} of markdown-it's rendering time")


if __name__ == "__main__":
    main()
