"""Turning the benchmark's raw figures into what it prints: medians, paired ratios, the cost per
report across N, the build's phases, the search index, and the table of issue 15's targets.
Pure functions over plain dicts, so that they can be tested without running a build."""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass

PEERS = ("mkdocs", "hugo fair", "hugo unfair")
PEER_LABELS = {"mkdocs": "MkDocs", "hugo fair": "Hugo fair", "hugo unfair": "Hugo unfair"}
COLD_SECONDS_MAX = 8.0
COLD_MKDOCS_RATIO_MAX = 1.0


@dataclass(frozen=True)
class Summary:
    """One N's figures: the median of every series over the rounds, and paired ratios ours / peer
    of the cold build's wall and CPU seconds (keyed "hugo fair cold", "hugo fair cold CPU s")."""

    n: int
    rounds: int
    medians: dict[str, float]
    ratios: dict[str, float]
    phases_reported: bool


def summarize(n: int, rounds: int, results: dict[str, list[float]], phases_reported: bool) -> Summary:
    medians = {key: statistics.median(values) for key, values in results.items() if values}
    ratios = {}
    for peer in PEERS:
        for figure in ("cold", "cold CPU s"):
            ratio = paired_ratio(results.get(f"ours {figure}", []), results.get(f"{peer} {figure}", []))
            if ratio is not None:
                ratios[f"{peer} {figure}"] = ratio
    return Summary(n, rounds, medians, ratios, phases_reported)


def paired_ratio(ours: Sequence[float], theirs: Sequence[float]) -> float | None:
    """Median over rounds of ours / theirs, each round's pair measured one after the other (so a
    busy machine slows both); None unless both ran every round."""
    if not ours or len(ours) != len(theirs) or not all(theirs):
        return None
    return statistics.median(a / b for a, b in zip(ours, theirs, strict=True))


def ms_per_report(seconds: float, n: int) -> float:
    return 1000 * seconds / n


def phase_names(medians: dict[str, float]) -> list[str]:
    return [key.removeprefix("phase ") for key in medians if key.startswith("phase ")]


def phases_line(summary: Summary) -> str:
    """``phases: ingest=1.23s (1.2 ms/report) …`` for the cold build, or why there are none."""
    names = phase_names(summary.medians)
    if not summary.phases_reported or not names:
        return "phases: not reported by this builder"
    parts = [f"{name}={summary.medians['phase ' + name]:.2f}s "
             f"({ms_per_report(summary.medians['phase ' + name], summary.n):.2f} ms/report)" for name in names]
    return "phases (cold build): " + " ".join(parts)


def search_line(summary: Summary) -> str:
    """The search index built with the cold build: size, files, and the search phase's time."""
    med = summary.medians
    if "search index bytes" not in med:
        return "search index: none built"
    seconds = med.get("phase search")
    timing = f", search phase {seconds:.2f} s" if seconds is not None else ", search phase not reported"
    alone = ""
    if "search index s" in med:  # made by a build of its own, after the cold build (which is without it)
        alone = (f"; made on its own in {med['search index s']:.2f} s, peak PSS "
                 f"{med['search index peak MiB PSS']:.0f} MiB, beside a cold build of {med['ours cold']:.2f} s")
    else:
        alone = f" (within the cold build of {med['ours cold']:.2f} s)"
    return (f"search index: {med['search index bytes'] / 2**20:.2f} MiB in {med['search index files']:.0f} files"
            f"{timing}{alone}")


def cost_per_report_lines(summaries: Sequence[Summary], figure: str = "cold") -> list[str]:
    """ms per report of each cold build at each N (wall time, or with ``figure="cold CPU s"`` CPU
    time), and its growth from the smallest N (1.00x = flat)."""
    tools = ["ours", *PEERS]
    header = f"  {'tool':12s}" + "".join(f"{'N=' + str(s.n):>22s}" for s in summaries)
    lines = [header]
    for tool in tools:
        cells, first = [], None
        for s in summaries:
            seconds = s.medians.get(f"{tool} {figure}")
            if seconds is None:
                cells.append(f"{'-':>22s}")
                continue
            cost = ms_per_report(seconds, s.n)
            first = first if first is not None else cost
            cells.append(f"{cost:9.2f} ms ({cost / first:4.2f}x)".rjust(22))
        if first is not None:
            lines.append(f"  {PEER_LABELS.get(tool, tool):12s}" + "".join(cells))
    return lines


# --------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Target:
    """One target of issue 15: the figure (a key of Summary.medians) at N, and its limit."""

    label: str
    n: int
    key: str
    peer_key: str | None  # the peers' same figure, as "{peer} …", or None when they have none
    limit: Callable[[Summary], float]
    limit_text: Callable[[Summary], str]
    inclusive: bool = False
    unit: str = "s"


def cold_limit(summary: Summary) -> float:
    """≤ 8 s or at most 1.0× MkDocs, whichever is lower (8 s when MkDocs did not run)."""
    mkdocs = summary.medians.get("mkdocs cold")
    return COLD_SECONDS_MAX if mkdocs is None else min(COLD_SECONDS_MAX, COLD_MKDOCS_RATIO_MAX * mkdocs)


def _fixed(value: float, text: str) -> tuple[Callable[[Summary], float], Callable[[Summary], str]]:
    return (lambda _: value), (lambda _: text)


TARGETS = (
    Target("cold build", 1000, "ours cold", "{peer} cold", cold_limit,
           lambda s: f"<= min(8 s, 1.0x MkDocs) = {cold_limit(s):.2f} s", inclusive=True),
    Target("no-op rebuild", 1000, "ours no-op", None, *_fixed(0.3, "< 0.3 s")),
    Target("one-report edit, builder build", 1000, "ours edit wording", None, *_fixed(0.35, "< 0.35 s")),
    Target("one-report edit in serve, save to rebuilt", 1000, "serve wording latency", None,
           *_fixed(0.1, "< 0.1 s")),
    Target("peak PSS", 1000, "ours peak MiB PSS", "{peer} peak MiB PSS", *_fixed(250, "< 250 MiB"), unit="MiB"),
    Target("peak PSS", 10_000, "ours peak MiB PSS", "{peer} peak MiB PSS", *_fixed(600, "< 600 MiB"), unit="MiB"),
)


def _figure(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    return f"{value:.3f} s" if unit == "s" else f"{value:.0f} MiB"


def target_row(target: Target, summary: Summary | None) -> list[str]:
    """label, N, ours, limit, verdict, then each peer's same figure."""
    head = [target.label, str(target.n)]
    if summary is None or target.key not in summary.medians:
        return [*head, "-", "", "not run", *("-" for _ in PEERS)]
    ours, limit = summary.medians[target.key], target.limit(summary)
    met = ours <= limit if target.inclusive else ours < limit
    peers = [_figure(summary.medians.get(target.peer_key.format(peer=peer)) if target.peer_key else None,
                     target.unit) for peer in PEERS]
    return [*head, _figure(ours, target.unit), target.limit_text(summary), "met" if met else "MISSED", *peers]


def targets_table(summaries: Sequence[Summary]) -> list[str]:
    by_n = {s.n: s for s in summaries}
    rows = [["target", "N", "ours (median)", "limit", "verdict", *(PEER_LABELS[p] for p in PEERS)]]
    rows += [target_row(target, by_n.get(target.n)) for target in TARGETS]
    return aligned(rows)


def aligned(rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return ["  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
            for row in rows]


def ratio_lines(summaries: Sequence[Summary]) -> list[str]:
    """Per N, the paired ratios ours / peer of the cold build, wall time and CPU time."""
    lines = []
    for s in summaries:
        parts = [f"ours/{PEER_LABELS[peer]} {s.ratios[peer + ' cold']:.2f} (CPU {s.ratios[peer + ' cold CPU s']:.2f})"
                 for peer in PEERS if peer + " cold" in s.ratios and peer + " cold CPU s" in s.ratios]
        lines.append(f"  N={s.n}: " + ("; ".join(parts) if parts else "no peer ran"))
    return lines
