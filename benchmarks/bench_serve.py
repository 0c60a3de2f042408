"""Edits timed inside a running `builder serve`: the rebuild time it prints, and the latency from
saving a file to the rebuilt site (watcher polling and quiet period included), read from its
status endpoint's generation counter."""

from __future__ import annotations

import json
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from bench_measure import (
    builder_command,
    builder_env,
    builder_supports,
    edit_figure,
    edit_summary,
    edit_template,
    edit_wording,
)

#: serve's rebuilds are timed without remaking the search index (it runs in the background, and is
#: timed on its own with the cold build).
NO_SEARCH = ("--no-search",) if builder_supports("--no-search") else ()

SETTLE_SECONDS = 0.4
REBUILT = "rebuilt in"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServeSession:
    """A `builder serve` on a free port, its printed lines collected as they come."""

    def __init__(self, site: Path) -> None:
        self.port = free_port()
        self.process = subprocess.Popen(builder_command("serve", "--port", str(self.port), *NO_SEARCH), cwd=site,
                                        env=builder_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True)
        self.lines: list[str] = []
        assert self.process.stdout is not None
        stdout = self.process.stdout
        threading.Thread(target=lambda: self.lines.extend(stdout), daemon=True).start()

    def generation(self) -> int:
        url = f"http://127.0.0.1:{self.port}/__builder/status"
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(json.load(response)["generation"])

    def wait_generation_above(self, above: int, timeout: float = 300) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"builder serve exited: {self.lines[-5:]}")
            try:
                generation = self.generation()
                if generation > above:
                    return generation
            except OSError:
                pass
            time.sleep(0.005)
        raise SystemExit("builder serve did not rebuild in time")

    def rebuild_lines(self) -> list[str]:
        return [line for line in self.lines if line.startswith(REBUILT)]

    def reported_rebuild_after(self, before: int) -> float:
        """Seconds of the first `rebuilt in X s` line printed after the first ``before`` ones."""
        deadline = time.monotonic() + 5
        while len(self.rebuild_lines()) <= before and time.monotonic() < deadline:
            time.sleep(0.01)
        rebuilt = self.rebuild_lines()[before:]
        if not rebuilt:
            raise SystemExit(f"builder serve printed no rebuild line: {self.lines[-3:]}")
        return float(rebuilt[0].split()[2])

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def serve_edits(site: Path, reports: list[Path], rounds: int) -> dict[str, list[float]]:
    """Each round, a wording, a summary, a figure and a template edit, each timed as the rebuild
    `builder serve` reports and as the latency from save to rebuilt site."""
    template = site / "templates/index.html"
    edits: list[tuple[str, Callable[[int], None]]] = [
        ("wording", lambda r: edit_wording(reports[0], 10 + r)),
        ("summary", lambda r: edit_summary(reports[1], 10 + r)),
        ("figure", lambda r: edit_figure(reports[2], 10 + r)),
        ("template", lambda r: edit_template(template, 10 + r)),
    ]
    out: dict[str, list[float]] = {}
    session = ServeSession(site)
    try:
        generation = session.wait_generation_above(0, timeout=1800)
        for r in range(rounds):
            for name, edit in edits:
                time.sleep(SETTLE_SECONDS)  # let the watcher settle
                before = len(session.rebuild_lines())
                saved = time.perf_counter()
                edit(r)
                generation = session.wait_generation_above(generation)
                out.setdefault(f"serve {name} latency", []).append(time.perf_counter() - saved)
                out.setdefault(f"serve {name} rebuild", []).append(session.reported_rebuild_after(before))
    finally:
        session.close()
    return out
