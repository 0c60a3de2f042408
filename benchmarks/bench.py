"""Benchmark (issues 5 and 15): our build against MkDocs and Hugo on the same reports' text.

    python benchmarks/bench.py --n 100 1000 --rounds 3
    python benchmarks/bench.py --n 10000 --rounds 1
    python benchmarks/bench.py --quick              # a smoke run: N=100, one round

Generates N scraped pages (one report each, from the bundled page's government work report
with varied place, year and numbers, about 10,000 characters; see bench_corpus), then, taking
turns in each round so that ratios are paired, times: our cold build (no cache, no Markdown yet,
with ``--timings`` when the builder has it, for the phases), a no-op rebuild, a rebuild after
editing the wording of one paragraph (one page changes), one after editing a report's first
paragraph (the index shows it as the summary), one after changing one of its figures (its
indicators change, so do the data files), one after editing one template; our peak memory (the
whole process tree, as RSS and as PSS); inside `builder serve`, the rebuild time it reports for
the same kinds of edit and the latency from save to rebuilt site; MkDocs (`mkdocs build`, from
benchmarks/.venv), Hugo with a fair layout (the pages ours renders: a home page listing every
report, a page per report) and Hugo with the first benchmark's unfair layout (every page lists
every page) on the same text.  Prints every figure (median over rounds), the ratios ours /
theirs, the cost per report at each N, the build's phases, the search index, and the table of
issue 15's targets.  Needs psutil; skips, with one line, a tool that is not installed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_corpus import generate  # noqa: E402 - the generator lives beside this script
from bench_measure import (  # noqa: E402
    ROOT,
    ToolFailed,
    builder_command,
    builder_env,
    builder_supports,
    edit_figure,
    edit_summary,
    edit_template,
    edit_wording,
    folder_size,
    parse_phases,
    python_env,
    run,
)
from bench_report import (  # noqa: E402
    Summary,
    cost_per_report_lines,
    phases_line,
    ratio_lines,
    search_line,
    summarize,
    targets_table,
)

__all__ = ["generate", "main"]  # scripts/output_snapshot.py uses generate

HERE = Path(__file__).resolve().parent
MKDOCS = HERE / ".venv" / "bin" / "mkdocs"
Results = dict[str, list[float]]


@dataclass(frozen=True)
class Peer:
    """Another generator, its site folder under the N folder, its command and output folder."""

    name: str
    site: str
    command: tuple[str, ...]
    output: str
    lists_every_page: bool  # its output grows as N²

    def installed(self) -> bool:
        return bool(shutil.which(self.command[0]))


PEERS = (
    Peer("mkdocs", "mkdocs", (str(MKDOCS), "build", "-q"), "site", lists_every_page=True),
    Peer("hugo fair", "hugo", ("hugo", "--quiet"), "public", lists_every_page=False),
    Peer("hugo unfair", "hugo-unfair", ("hugo", "--quiet"), "public", lists_every_page=True),
)


@dataclass(frozen=True)
class Options:
    rounds: int
    serve_rounds: int
    workdir: Path
    ours_only: bool
    serve: bool
    quadratic_max: int
    index: bool = True
    """Make and time the search index after each cold build (``--no-index``: skip it, e.g. at
    N=10,000, where Pagefind's memory would dwarf everything else)."""
    full_max: int = 2000
    """Above this N, one round, without the search index (Pagefind peaks at 2 GB already at
    N=1000) nor the edits inside ``builder serve`` (``--full-max``): a run of every N stays short."""


def add(results: Results, key: str, value: float) -> None:
    results.setdefault(key, []).append(value)


# --------------------------------------------------------------------------- ours


def build_flags(timings: bool = False) -> list[str]:
    """Our builds are timed without the search index (``--no-search``, where the builder has it):
    Pagefind's index is timed on its own (:func:`time_search_index`) and printed beside the build."""
    return [*(["--no-search"] if builder_supports("--no-search") else []), *(["--timings"] if timings else [])]


def time_cold_build(ours: Path, timings: bool, results: Results, index: bool = True) -> None:
    """No cache, no Markdown, no output: ingest and render everything (with phases if reported)."""
    for name in ("public", ".cache", "site_src/reports"):
        shutil.rmtree(ours / name, ignore_errors=True)
    measured = run(builder_command("build", *build_flags(timings)), ours, builder_env())
    add(results, "ours cold", measured.seconds)
    add(results, "ours cold CPU s", measured.cpu_seconds)
    add(results, "ours peak MiB RSS", measured.peak_rss_mib)
    add(results, "ours peak MiB PSS", measured.peak_pss_mib)
    for name, seconds in parse_phases(measured.output).items():
        add(results, f"phase {name}", seconds)
    add(results, "ours output MiB", _mib(folder_size(ours / "public")))
    if builder_supports("--no-search"):
        if index:
            time_search_index(ours, results)
    else:  # an older builder made the index inside its cold build
        _add_search_size(ours, results)


def time_search_index(ours: Path, results: Results) -> None:
    """The search index of the site just built: a build that only makes it (no page changed)."""
    measured = run(builder_command("build", "--timings"), ours, builder_env())
    add(results, "search index s", measured.seconds)
    add(results, "search index peak MiB PSS", measured.peak_pss_mib)
    seconds = parse_phases(measured.output).get("search")
    if seconds is not None:
        add(results, "phase search", seconds)
    _add_search_size(ours, results)


def _add_search_size(ours: Path, results: Results) -> None:
    search = folder_size(ours / "public" / "pagefind")
    if search is not None:
        add(results, "search index bytes", search[0])
        add(results, "search index files", search[1])


def _mib(size: tuple[int, int] | None) -> float:
    return 0.0 if size is None else size[0] / 2**20


def check_reports(ours: Path, n: int) -> None:
    """One report per page, each under its own slug (a `-2` slug means two pages collided)."""
    slugs = [path.stem for path in (ours / "site_src/reports").glob("*.md")]
    suffixed = [slug for slug in slugs if re.search(r"-\d+$", slug)]
    note = f"; {len(suffixed)} slugs needed a -N suffix, e.g. {suffixed[0]}" if suffixed else ", all distinct"
    print(f"  {len(slugs)} reports from {n} pages{note}")


def time_rebuilds(ours: Path, n: int, r: int, results: Results) -> list[Path]:
    """A no-op rebuild, then one rebuild after each kind of edit; returns the reports, by slug."""
    build = builder_command("build", *build_flags())
    env = builder_env()
    add(results, "ours no-op", run(build, ours, env).seconds)
    reports = sorted((ours / "site_src/reports").glob("*.md"))
    edits = (("wording", lambda: edit_wording(reports[n // 2], r)),
             ("summary", lambda: edit_summary(reports[n // 2 + 1], r)),
             ("figure", lambda: edit_figure(reports[n // 3], r)),
             ("template", lambda: edit_template(ours / "templates/index.html", r)))
    for name, edit in edits:
        edit()
        add(results, f"ours edit {name}", run(build, ours, env).seconds)
    return reports


def time_serve(ours: Path, reports: list[Path], rounds: int, results: Results) -> None:
    from bench_serve import serve_edits

    n = len(reports)
    timed = serve_edits(ours, [reports[n // 2], reports[n // 4], reports[n // 5]], rounds)
    for key, values in timed.items():
        add(results, key, sorted(values)[len(values) // 2])


# --------------------------------------------------------------------------- peers


def peers_for(n: int, options: Options) -> list[Peer]:
    """The peers to run at N; one line for each one left out, and why."""
    if options.ours_only:
        return []
    chosen = []
    for peer in PEERS:
        if not peer.installed():
            print(f"  {peer.name}: skipped, {peer.command[0]} is not installed")
        elif peer.lists_every_page and n > options.quadratic_max:
            print(f"  {peer.name}: skipped at N={n} (above --quadratic-max {options.quadratic_max}): "
                  "every page lists every page, so its output grows as N²")
        else:
            chosen.append(peer)
    return chosen


def time_peer(peer: Peer, folder: Path, results: Results) -> bool:
    """One cold build of a peer; False (with one line) when it failed."""
    site = folder / peer.site
    for name in (peer.output, "resources", ".hugo_build.lock"):
        target = site / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    try:
        measured = run(list(peer.command), site, python_env())
    except ToolFailed as failed:
        print(f"  {peer.name}: failed, left out: {str(failed).splitlines()[0][:300]}")
        return False
    add(results, f"{peer.name} cold", measured.seconds)
    add(results, f"{peer.name} cold CPU s", measured.cpu_seconds)
    add(results, f"{peer.name} peak MiB RSS", measured.peak_rss_mib)
    add(results, f"{peer.name} peak MiB PSS", measured.peak_pss_mib)
    add(results, f"{peer.name} output MiB", _mib(folder_size(site / peer.output)))
    return True


# --------------------------------------------------------------------------- one N


def bench(n: int, options: Options) -> Summary:
    folder = options.workdir / f"n{n}"
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    chars = generate(folder, n)
    print(f"\nN={n}: generated {n} pages, {chars} characters each on average "
          f"({time.perf_counter() - started:.1f} s)")
    ours = folder / "ours"
    timings = builder_supports("--timings")
    peers = peers_for(n, options)
    results: Results = {}
    large = n > options.full_max
    rounds = 1 if large else options.rounds
    if large:
        print(f"  N={n} is above --full-max {options.full_max}: one round, no search index, no edits in serve")
    for r in range(rounds):
        time_cold_build(ours, timings, results, options.index and not large)
        if r == 0:
            check_reports(ours, n)
        reports = time_rebuilds(ours, n, r, results)
        if options.serve and not large:
            time_serve(ours, reports, options.serve_rounds, results)
        peers = [peer for peer in peers if time_peer(peer, folder, results)]
        print(f"  round {r + 1}/{rounds} done ({time.perf_counter() - started:.0f} s, {load_average()})",
              flush=True)
    summary = summarize(n, rounds, results, phases_reported=timings)
    print_summary(summary)
    return summary


def print_summary(summary: Summary) -> None:
    print(f"\nN={summary.n} ({summary.rounds} rounds, {os.cpu_count()} CPUs), median:")
    for key, value in summary.medians.items():
        if not key.startswith(("phase ", "search index")):
            print(f"  {key:34s} {value:10.3f}")
    for key, ratio in summary.ratios.items():
        print(f"  {'ratio ours/' + key:34s} {ratio:10.2f}")
    print(f"  cost per report, ours cold: {1000 * summary.medians['ours cold'] / summary.n:.2f} ms; "
          f"peak PSS {summary.medians['ours peak MiB PSS']:.0f} MiB")
    print("  " + phases_line(summary))
    print("  " + search_line(summary))


def load_average() -> str:
    """The machine's load: above the CPU count, other work slowed every wall time (CPU times less)."""
    return f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs"


def describe_setup() -> None:
    head = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%h %s"], capture_output=True, text=True,
                          check=False).stdout.strip()
    print(f"builder: {ROOT} at {head[:100]}")
    print(f"machine at the start: {load_average()}")
    for peer in PEERS[:2]:
        if peer.installed():
            version = subprocess.run([peer.command[0], "version" if "hugo" in peer.name else "--version"],
                                     capture_output=True, text=True, check=False).stdout.strip()
            print(f"{peer.name.split()[0]}: {version[:100]}")


def parse_options(argv: list[str] | None = None) -> tuple[list[int], Options]:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=None, help="site sizes (default: 100 1000)")
    parser.add_argument("--rounds", type=int, default=None, help="rounds per N (default: 1)")
    parser.add_argument("--serve-rounds", type=int, default=None,
                        help="edits of each kind per round inside builder serve (default: 3)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: N=100, one round, one serve edit each")
    parser.add_argument("--workdir", type=Path, default=HERE / "work")
    parser.add_argument("--ours-only", action="store_true", help="skip Hugo and MkDocs")
    parser.add_argument("--no-serve", action="store_true", help="skip the edits timed inside `builder serve`")
    parser.add_argument("--no-index", action="store_true", help="do not make and time the search index")
    parser.add_argument("--full-max", type=int, default=2000, metavar="N",
                        help="above this N: one round, no search index, no edits in serve (default: 2000)")
    parser.add_argument("--quadratic-max", type=int, default=2000, metavar="N",
                        help="skip the peers whose pages list every page above this N (default: 2000)")
    args = parser.parse_args(argv)
    sizes = args.n or ([100] if args.quick else [100, 1000])
    rounds = args.rounds or 1
    serve_rounds = args.serve_rounds or (1 if args.quick else 3)
    return sizes, Options(rounds, serve_rounds, args.workdir, args.ours_only, not args.no_serve, args.quadratic_max,
                          not args.no_index, args.full_max)


def main(argv: list[str] | None = None) -> None:
    sizes, options = parse_options(argv)
    describe_setup()
    summaries = [bench(n, options) for n in sizes]
    print("\nCost per report of a cold build (ms per report; growth from the smallest N, 1.00x = flat):")
    print("\n".join(cost_per_report_lines(summaries)))
    print("The same in CPU time (user + system of the whole tree; less disturbed by other load):")
    print("\n".join(cost_per_report_lines(summaries, "cold CPU s")))
    print("\nPhases and search index per N (cold build):")
    for summary in summaries:
        print(f"  N={summary.n}: {phases_line(summary)}")
        print(f"  N={summary.n}: {search_line(summary)}")
    print("\nTargets of issue 15 (2 cores, medians of one run; peers' same figure beside ours):")
    print("\n".join(targets_table(summaries)))
    print("\nCold build, paired ratios (median over rounds of each round's ours / theirs; wall, then CPU):")
    print("\n".join(ratio_lines(summaries)))
    if len(summaries) > 1:
        print("\nPeak PSS per N (MiB): " + ", ".join(
            f"N={s.n}: {s.medians['ours peak MiB PSS']:.0f}" for s in summaries))


if __name__ == "__main__":
    main()
