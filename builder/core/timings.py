"""Where a build's time goes, by phase (``builder build --timings``).

Each process keeps the CPU seconds it spent in each phase (:func:`phase`, a context manager;
phases nest, and the inner one is charged, not the outer: while a report's Markdown is parsed
inside ``render``, the time is ``analysis``'s).  Worker processes send theirs back with every
result (``core.parallel``), so the totals are summed over the parent and its workers: CPU time,
so that other programs running on the machine do not inflate them.  With ``--jobs 1`` on an idle
machine they are about the wall-clock of each phase; with workers the phases overlap and their sum
may exceed the build's wall-clock.  Time outside every phase (start-up, checking the inputs, the
cache) is not shown.

The phases (:data:`PHASES`, in the order they are printed): ``ingest`` (read, clean, split,
attribute and structure scraped pages, check their text), ``analysis`` (parse each report's
Markdown with the anchors, indicators and glossary plugins), ``render`` (page templates, the
text-loss check, the site-wide outputs), ``write`` (report Markdown, pages, moving them into the
output folder, saving the cache), ``search`` (Pagefind's index, another program: its wall-clock
seconds, 0.00 when no indexed page changed).  A new phase is one more name in :data:`PHASES` (a phase not
listed there is printed after them, in the order first used).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

PHASES: tuple[str, ...] = ("ingest", "analysis", "render", "write", "search")


class _Clock:
    """This process's phase totals and the phase now running."""

    def __init__(self) -> None:
        self.totals: dict[str, float] = {}
        self.stack: list[str] = []
        self.since = 0.0

    def _charge(self, now: float) -> None:
        if self.stack:
            name = self.stack[-1]
            self.totals[name] = self.totals.get(name, 0.0) + now - self.since
        self.since = now


_CLOCK = _Clock()


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Charge the time spent inside to phase ``name`` (and not to the phase around it)."""
    _CLOCK._charge(time.process_time())
    _CLOCK.stack.append(name)
    try:
        yield
    finally:
        _CLOCK._charge(time.process_time())
        _CLOCK.stack.pop()


def take() -> dict[str, float]:
    """This process's totals so far, which are then reset (a worker sends them with a result)."""
    totals, _CLOCK.totals = _CLOCK.totals, {}
    if _CLOCK.stack:  # inside a phase: what it has used so far goes with them
        now = time.process_time()
        totals[_CLOCK.stack[-1]] = totals.get(_CLOCK.stack[-1], 0.0) + now - _CLOCK.since
        _CLOCK.since = now
    return totals


def add(totals: Mapping[str, float]) -> None:
    """Add a worker's totals (from :func:`take`) to this process's."""
    for name, seconds in totals.items():
        _CLOCK.totals[name] = _CLOCK.totals.get(name, 0.0) + seconds


def reset() -> None:
    """Forget the totals and any phase under way (at the start of a build, in a new worker)."""
    _CLOCK.totals, _CLOCK.stack = {}, []


def line(totals: Mapping[str, float] | None = None) -> str:
    """``phases: ingest=1.23s analysis=0.45s render=2.34s write=0.56s`` (every phase of
    :data:`PHASES`, 0.00s when unused, then any other, in the order first used)."""
    totals = dict(_CLOCK.totals if totals is None else totals)
    names = [*PHASES, *(name for name in totals if name not in PHASES)]
    return "phases: " + " ".join(f"{name}={totals.get(name, 0.0):.2f}s" for name in names)
