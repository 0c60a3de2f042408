"""Measuring one build: wall time, peak memory of its whole process tree, what it printed; the build
phases our builder reports with ``--timings``; the size of a folder; the edits the benchmark makes."""

from __future__ import annotations

import functools
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLE_SECONDS = 0.02
PHASES_LINE = re.compile(r"^phases:\s*(.*)$", re.MULTILINE)
PHASE = re.compile(r"([A-Za-z_][\w-]*)=(\d+(?:\.\d+)?)s\b")


@dataclass(frozen=True)
class Measured:
    """One command's run: wall seconds, CPU seconds (user + system, of the process and the
    children it waited for), peak MiB of its process tree as RSS and as PSS, what it printed
    (stdout and stderr)."""

    seconds: float
    cpu_seconds: float
    peak_rss_mib: float
    peak_pss_mib: float
    output: str


class ToolFailed(Exception):
    """A command exited non-zero; the message names it and ends with what it printed."""


def builder_env() -> dict[str, str]:
    """The environment for `python -m builder`: this repository's builder first on the path,
    whichever builder an editable install points at."""
    env = python_env()
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [env.get("PYTHONPATH")])])
    return env


def python_env() -> dict[str, str]:
    """The environment for a Python tool (ours, MkDocs): as a user's, with bytecode caching on.
    ``PYTHONDONTWRITEBYTECODE`` (set on some machines, this one included) makes every start compile
    every module it imports again, about 0.1 s per command for us."""
    return {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def builder_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "builder", *args]


@functools.cache
def builder_supports(flag: str) -> bool:
    """Whether `builder build --help` lists ``flag`` (a flag not yet on this branch is skipped)."""
    shown = subprocess.run(builder_command("build", "--help"), capture_output=True, text=True,
                           env=builder_env(), check=False)
    return flag in shown.stdout


def tree_memory(process: object) -> tuple[int, int]:
    """(RSS, PSS) of a process and its children, in bytes.

    RSS counts a page once per process that maps it, so forked workers sharing their parent's
    copy-on-write pages are counted several times; PSS shares each page among the processes
    that map it, so its sum over the tree is the memory the tree really occupies."""
    import psutil

    assert isinstance(process, psutil.Process)
    rss = pss = 0
    for proc in (process, *process.children(recursive=True)):
        try:
            info = proc.memory_full_info()
        except psutil.Error:
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
    return rss, pss


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> Measured:
    """Run ``cmd`` to its end, sampling its tree's memory every 20 ms; ToolFailed when it fails.
    Its output goes to a file, so a talkative tool never blocks on a full pipe.  Nothing else may
    run children of this process meanwhile (their CPU time would be counted)."""
    import psutil

    with tempfile.TemporaryFile() as err:
        cpu_before = _children_cpu_seconds()
        started = time.perf_counter()
        process = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=err, stderr=subprocess.STDOUT)
        peak_rss = peak_pss = 0
        tree = psutil.Process(process.pid)
        while process.poll() is None:
            try:
                rss, pss = tree_memory(tree)
                peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
            except psutil.Error:
                pass
            time.sleep(SAMPLE_SECONDS)
        seconds = time.perf_counter() - started
        cpu = _children_cpu_seconds() - cpu_before
        err.seek(0)
        output = err.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise ToolFailed(f"{' '.join(cmd)} (in {cwd}) exited {process.returncode}: {output[-2000:]}")
    return Measured(seconds, cpu, peak_rss / 2**20, peak_pss / 2**20, output)


def _children_cpu_seconds() -> float:
    """CPU seconds of every child this process has reaped (a child's own reaped children
    included): the difference around one run is that run's, less noisy than wall time on a
    shared machine."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def parse_phases(output: str) -> dict[str, float]:
    """The phases of a build from its last ``phases: ingest=1.23s render=2.34s …`` line, in
    seconds, in the order printed; empty when there is no such line."""
    lines = PHASES_LINE.findall(output)
    if not lines:
        return {}
    return {name: float(seconds) for name, seconds in PHASE.findall(lines[-1])}


def folder_size(folder: Path) -> tuple[int, int] | None:
    """(total bytes, file count) of the files under ``folder``; None when it does not exist."""
    if not folder.is_dir():
        return None
    sizes = [path.stat().st_size for path in folder.rglob("*") if path.is_file()]
    return sum(sizes), len(sizes)


# --------------------------------------------------------------------------- edits


def edit_summary(report: Path, r: int) -> None:
    """Add words to the report's first paragraph (no figure changes; the index shows its summary)."""
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace("。\n", f"。（第{r}次修改）\n", 1), encoding="utf-8")


def edit_wording(report: Path, r: int) -> None:
    """Add a sentence without figures to the end of a paragraph in the middle of the body: the
    most common edit, which changes that report's page only."""
    lines = report.read_text(encoding="utf-8").split("\n")
    body = [i for i, line in enumerate(lines) if line.endswith("。") and not line.startswith("#")]
    if not body:
        raise SystemExit(f"{report}: no paragraph to edit")
    lines[body[len(body) // 2]] += "本段经过校订。"
    report.write_text("\n".join(lines), encoding="utf-8")


def edit_figure(report: Path, r: int) -> None:
    """Change one growth figure (the report's indicators change: its indicator page and the data files)."""
    text = report.read_text(encoding="utf-8")
    new, count = re.subn(r"增长(\d+(?:\.\d+)?)%", lambda m: f"增长{float(m.group(1)) + 0.1 * (r + 1):.1f}%",
                         text, count=1)
    if not count:
        raise SystemExit(f"{report}: no growth figure to edit")
    report.write_text(new, encoding="utf-8")


def edit_template(template: Path, r: int) -> None:
    """Append a Jinja comment to a template (every page that uses it is rendered again)."""
    template.write_text(template.read_text(encoding="utf-8") + f"\n{{# edit {r} #}}\n", encoding="utf-8")
