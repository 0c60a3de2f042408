"""Work spread over a pool of forked processes, results in order, user errors carried back.

A pool is worth it only for many items (:data:`PARALLEL_MIN`) and more than one worker.  The
function the workers run is handed to each of them once, when the pool starts: it is inherited
through ``fork``, not pickled, so it may hold large read-only state (a page renderer, a config).
Only the items and the results cross between processes.  The parent's objects are frozen out of
the garbage collector before forking, so that the workers' collections do not copy the memory
pages they share with it.

A :class:`~builder.core.errors.BuilderError` raised in a worker comes back as its parts (an
exception with keyword arguments does not pickle) and is raised again in the parent, for the
first failing item in order, exactly as a serial run would raise it.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Generator, Sequence
from typing import Any, TypeVar

from builder.core import timings
from builder.core.errors import BuilderError

#: Below this many items (pages to render, pages to ingest), a process pool costs more than it saves.
PARALLEL_MIN = 40

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    """Worker processes for a large build: ``BUILDER_JOBS`` or the CPUs this process may use."""
    env = os.environ.get("BUILDER_JOBS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def worth_a_pool(jobs: int, items: int) -> bool:
    """Whether ``items`` pieces of work should go to a pool of ``jobs`` processes."""
    return jobs > 1 and items >= PARALLEL_MIN


class _Worker:
    """What one pool worker runs: its function, given once by the pool's initializer (in the
    worker process only; the parent never sets it), then called on each item."""

    function: Callable[[Any], Any] | None = None

    @classmethod
    def start(cls, function: Callable[[Any], Any]) -> None:
        cls.function = function
        timings.reset()  # the parent's totals, inherited through fork, are the parent's

    @classmethod
    def run(cls, item: object) -> tuple[bool, object, dict[str, float]]:
        """(whether it succeeded, the result or the error's parts, the worker's phase timings)."""
        assert cls.function is not None, "the pool's initializer did not run"
        try:
            return True, cls.function(item), timings.take()
        except BuilderError as error:
            return False, (type(error), error.message, error.path, error.line, error.hint), timings.take()


def _result(outcome: tuple[bool, Any, dict[str, float]]) -> Any:
    ok, value, spent = outcome
    timings.add(spent)
    if not ok:
        cls, message, path, line, hint = value
        raise cls(message, path=path, line=line, hint=hint)
    return value


def _pool(function: Callable[[Any], Any], jobs: int):
    import multiprocessing

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    gc.collect()
    gc.freeze()
    return multiprocessing.get_context(method).Pool(jobs, initializer=_Worker.start, initargs=(function,))


def map_ordered(function: Callable[[T], R], items: Sequence[T], jobs: int) -> list[R]:
    """``[function(item) for item in items]`` in ``jobs`` forked processes."""
    chunk = max(1, min(16, len(items) // (jobs * 4)))
    try:
        with _pool(function, jobs) as pool:
            outcomes = pool.map(_Worker.run, items, chunksize=chunk)
    finally:
        gc.unfreeze()
    return [_result(outcome) for outcome in outcomes]


def imap_ordered(function: Callable[[T], R], items: Sequence[T], jobs: int) -> Generator[R, None, None]:
    """:func:`map_ordered` as a generator: results in order as they come, so the caller can use
    and drop each one instead of holding all of them.  Closing it stops the pool."""
    chunk = max(1, min(8, len(items) // (jobs * 4)))
    try:
        with _pool(function, jobs) as pool:
            for outcome in pool.imap(_Worker.run, items, chunksize=chunk):
                yield _result(outcome)
    finally:
        gc.unfreeze()
