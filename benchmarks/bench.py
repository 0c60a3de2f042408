"""Benchmark (issue 5): our build against MkDocs and Hugo on the same reports' text.

    python benchmarks/bench.py --n 100 1000 [--rounds 3]

Generates N scraped pages (one report each, from the bundled page's government work report
with varied place, year and numbers, about 10,000 characters), then, taking turns in each
round so that ratios are paired, times: our cold build (no cache, no Markdown yet), a no-op
rebuild, a rebuild after editing the wording of one paragraph (one page changes), one after
editing a report's first paragraph (the index shows it as the summary), one after changing one
of its figures (its indicators change, so do the data files), one after editing one template; our peak memory
(the whole process tree, as RSS and as PSS: see ``_tree_memory``); inside `builder serve`, the
rebuild time it reports for the same three kinds of edit and the latency from save to rebuilt
site; MkDocs (`mkdocs build`, from benchmarks/.venv) and Hugo (Debian's `hugo`, with a minimal
layout written here) on the same text.  Prints every figure (median over rounds) and the
ratios ours / theirs.  Needs psutil; skips a tool not installed.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MKDOCS = HERE / ".venv" / "bin" / "mkdocs"
PLACES = ["无锡", "常州", "南通", "扬州", "镇江", "泰州", "徐州", "盐城", "连云港", "宿迁", "南京"]


def seed_report() -> list[str]:
    """The bundled page's government work report, one paragraph per line (via our own ingest)."""
    sys.path.insert(0, str(ROOT))
    from builder.commands.ingest import reports_from_page
    from builder.core.config import load_config

    config = load_config(ROOT / "config.yaml")
    page = ROOT / "site_src/scraped/000_8b8113f56c6b1839.txt"
    report = next(r for r in reports_from_page(page, config, set()) if r.kind == "government_work_report")
    lines = [*report.preamble]
    def walk(sections):
        for s in sections:
            lines.append(s.title)
            lines.extend(p.text for p in s.paragraphs)
            walk(s.children)
    lines.extend(p.text for p in report.intro) if hasattr(report, "intro") else None
    walk(report.sections)
    kept, size = [], 0
    for line in lines:  # about 10,000 characters
        if size >= 10_000:
            break
        kept.append(line)
        size += len(line)
    return kept


def places_for_variants() -> list[str]:
    """PLACES, then every other prefecture-level city whose short name means only it: with 26
    years, enough distinct (place, year) pairs, hence report slugs, for N up to several thousand
    (with only PLACES, pages beyond 286 would yield the same slugs and overwrite each other)."""
    sys.path.insert(0, str(ROOT))
    from builder.text import places

    extra = sorted((d.code, d.short) for d in places.divisions().values()
                   if d.level == 2 and d.name.endswith("市") and d.short and d.short not in PLACES
                   and len(places.lookup(d.short)) == 1 and len(places.lookup(d.name)) == 1)
    return PLACES + [short for _, short in extra]


def variant(lines: list[str], i: int, names: list[str] | None = None) -> tuple[str, str, list[str]]:
    rng = random.Random(i)
    names = names or PLACES
    place = names[i % len(names)]
    year = 2000 + (i // len(names)) % 26
    def numbers(m):
        value = m.group(0)
        return str(max(1, int(value) + rng.randint(-3, 3))) if len(value) < 4 else value
    out = []
    for line in lines:
        moved = line.replace("苏州", place).replace("2020", str(year)).replace("2019", str(year - 1))
        out.append(re.sub(r"(?<![\d.])\d{1,3}(?![\d.])", numbers, moved))
    title = f"{year}年{place}市政府工作报告"
    return title, place, out


def generate(folder: Path, n: int) -> None:
    lines = seed_report()
    ours = folder / "ours"
    (ours / "site_src/scraped").mkdir(parents=True)
    shutil.copytree(ROOT / "templates", ours / "templates")
    shutil.copy(ROOT / "site_src/glossary.yaml", ours / "site_src/glossary.yaml")
    shutil.copy(ROOT / "config.yaml", ours / "config.yaml")
    hugo = folder / "hugo"
    (hugo / "content/reports").mkdir(parents=True)
    (hugo / "layouts/_default").mkdir(parents=True)
    (hugo / "hugo.toml").write_text(
        'baseURL = "/"\ntitle = "bench"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
    (hugo / "layouts/_default/baseof.html").write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>'
        '<nav>{{ range .Site.RegularPages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav>'
        '{{ block "main" . }}{{ end }}</body></html>')
    (hugo / "layouts/_default/single.html").write_text(
        '{{ define "main" }}<h1>{{ .Title }}</h1><aside>{{ .TableOfContents }}</aside>'
        '<article>{{ .Content }}</article>{{ end }}')
    (hugo / "layouts/_default/list.html").write_text(
        '{{ define "main" }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>'
        '{{ end }}')
    (hugo / "layouts/index.html").write_text(
        '<!DOCTYPE html><html><body><ul>{{ range .Site.RegularPages }}'
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>')
    mk = folder / "mkdocs"
    (mk / "docs").mkdir(parents=True)
    (mk / "mkdocs.yml").write_text("site_name: bench\nuse_directory_urls: false\n", encoding="utf-8")
    (mk / "docs/index.md").write_text("# bench\n", encoding="utf-8")
    chars = 0
    names = places_for_variants()
    for i in range(n):
        title, place, body = variant(lines, i, names)
        text = title + "\n" + "\n".join(body) + "\n"
        chars += len(text)
        (ours / f"site_src/scraped/{i:05d}.txt").write_text(text, encoding="utf-8")
        markdown = "\n\n".join(("## " + p) if len(p) < 30 and not p.endswith("。") else p for p in body) + "\n"
        front = f'---\ntitle: "{title}"\n---\n\n'
        (hugo / f"content/reports/r{i:05d}.md").write_text(front + markdown, encoding="utf-8")
        (mk / f"docs/r{i:05d}.md").write_text(f"# {title}\n\n{markdown}", encoding="utf-8")
    print(f"generated {n} pages, {chars // n} characters each on average")


def _tree_memory(ps) -> tuple[int, int]:
    """(RSS, PSS) of a process and its children, in bytes.

    RSS counts a page once per process that maps it, so forked workers sharing their parent's
    copy-on-write pages are counted several times; PSS shares each page among the processes
    that map it, so its sum over the tree is the memory the tree really occupies."""
    import psutil

    rss = pss = 0
    for proc in (ps, *ps.children(recursive=True)):
        try:
            info = proc.memory_full_info()
        except psutil.Error:
            continue
        rss += info.rss
        pss += getattr(info, "pss", info.rss)
    return rss, pss


def run(cmd: list[str], cwd: Path) -> tuple[float, float, float]:
    """Seconds, and peak MiB of the whole process tree as RSS and as PSS (sampled every 20 ms)."""
    import psutil

    started = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_rss = peak_pss = 0
    ps = psutil.Process(process.pid)
    while process.poll() is None:
        try:
            rss, pss = _tree_memory(ps)
            peak_rss, peak_pss = max(peak_rss, rss), max(peak_pss, pss)
        except psutil.Error:
            pass
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {process.stderr.read().decode()[-2000:]}")
    return seconds, peak_rss / 2**20, peak_pss / 2**20


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
    i = body[len(body) // 2]
    lines[i] += "本段经过校订。"
    report.write_text("\n".join(lines), encoding="utf-8")


def edit_figure(report: Path, r: int) -> None:
    """Change one growth figure (the report's indicators change: its indicator page and the data files)."""
    text = report.read_text(encoding="utf-8")
    new, count = re.subn(r"增长(\d+(?:\.\d+)?)%", lambda m: f"增长{float(m.group(1)) + 0.1 * (r + 1):.1f}%",
                         text, count=1)
    if not count:
        raise SystemExit(f"{report}: no growth figure to edit")
    report.write_text(new, encoding="utf-8")


def serve_edits(ours: Path, reports: list[Path], rounds: int) -> dict[str, list[float]]:
    """Inside `builder serve`: the rebuild time it reports after a wording edit, a summary edit, a
    figure edit and a template edit, and the latency from saving the file to the rebuilt site (which includes the
    watcher's polling and its quiet period)."""
    import json
    import socket
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([sys.executable, "-m", "builder", "serve", "--port", str(port)], cwd=ours,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []

    def status() -> dict:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/__builder/status", timeout=5) as response:
            return json.load(response)

    def wait_generation(above: int, timeout: float = 120) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                generation = status()["generation"]
                if generation > above:
                    return generation
            except OSError:
                pass
            time.sleep(0.005)
        raise SystemExit("builder serve did not rebuild in time")

    import threading

    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    out: dict[str, list[float]] = {}
    try:
        generation = wait_generation(0)
        template = ours / "templates/index.html"
        edits = [("wording", lambda r: edit_wording(reports[1], 10 + r)),
                 ("summary", lambda r: edit_summary(reports[1], 10 + r)),
                 ("figure", lambda r: edit_figure(reports[2], 10 + r)),
                 ("template", lambda r: template.write_text(
                     template.read_text(encoding="utf-8") + f"\n{{# serve edit {r} #}}\n", encoding="utf-8"))]
        for r in range(rounds):
            for name, edit in edits:
                time.sleep(0.4)  # let the watcher settle
                before = len([x for x in lines if x.startswith("rebuilt in")])
                saved = time.perf_counter()
                edit(r)
                generation = wait_generation(generation)
                latency = time.perf_counter() - saved
                deadline = time.monotonic() + 5
                while len([x for x in lines if x.startswith("rebuilt in")]) <= before and time.monotonic() < deadline:
                    time.sleep(0.01)
                rebuilt = [x for x in lines if x.startswith("rebuilt in")][before:]
                if not rebuilt:
                    raise SystemExit(f"builder serve printed no rebuild line: {lines[-3:]}")
                out.setdefault(f"serve {name} rebuild", []).append(float(rebuilt[0].split()[2]))
                out.setdefault(f"serve {name} latency", []).append(latency)
    finally:
        process.terminate()
        process.wait(timeout=10)
    return out


def bench(n: int, rounds: int, workdir: Path, ours_only: bool = False, serve: bool = True) -> dict[str, float]:
    folder = workdir / f"n{n}"
    shutil.rmtree(folder, ignore_errors=True)
    generate(folder, n)
    ours, hugo, mk = folder / "ours", folder / "hugo", folder / "mkdocs"
    builder = [sys.executable, "-m", "builder", "build"]
    results: dict[str, list[float]] = {}
    add = lambda key, value: results.setdefault(key, []).append(value)  # noqa: E731
    for r in range(rounds):
        for name in ("public", ".cache", "site_src/reports"):
            shutil.rmtree(ours / name, ignore_errors=True)
        seconds, rss, pss = run(builder, ours)
        add("ours cold", seconds)
        add("ours peak MiB RSS", rss)
        add("ours peak MiB PSS", pss)
        add("ours no-op", run(builder, ours)[0])
        reports = sorted((ours / "site_src/reports").glob("*.md"))
        edit_wording(reports[n // 2], r)
        add("ours edit wording", run(builder, ours)[0])
        edit_summary(reports[n // 2 + 1], r)
        add("ours edit summary", run(builder, ours)[0])
        edit_figure(reports[n // 3], r)
        add("ours edit figure", run(builder, ours)[0])
        template = ours / "templates/index.html"
        template.write_text(template.read_text(encoding="utf-8") + f"\n{{# edit {r} #}}\n", encoding="utf-8")
        add("ours edit template", run(builder, ours)[0])
        if serve:
            for key, values in serve_edits(ours, [reports[n // 2], reports[n // 4], reports[n // 5]], 3).items():
                add(key, statistics.median(values))
        if shutil.which("hugo") and not ours_only:
            shutil.rmtree(hugo / "public", ignore_errors=True)
            seconds, rss, pss = run(["hugo", "--quiet"], hugo)
            add("hugo cold", seconds)
            add("hugo peak MiB RSS", rss)
            add("hugo peak MiB PSS", pss)
        if MKDOCS.exists() and not ours_only:
            seconds, rss, pss = run([str(MKDOCS), "build", "-q"], mk)
            add("mkdocs cold", seconds)
            add("mkdocs peak MiB RSS", rss)
            add("mkdocs peak MiB PSS", pss)
    med = {k: statistics.median(v) for k, v in results.items()}
    print(f"\nN={n} ({rounds} rounds, {os.cpu_count()} CPUs), median:")
    for key, value in med.items():
        print(f"  {key:26s} {value:8.3f}")
    for other in ("hugo", "mkdocs"):
        if f"{other} cold" in med:
            ratios = [a / b for a, b in zip(results["ours cold"], results[f"{other} cold"], strict=True)]
            print(f"  ratio ours/{other} cold {statistics.median(ratios):.2f}")
    return med


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=HERE / "work")
    parser.add_argument("--ours-only", action="store_true", help="skip Hugo and MkDocs")
    parser.add_argument("--no-serve", action="store_true", help="skip the edits timed inside `builder serve`")
    args = parser.parse_args()
    for n in args.n:
        bench(n, args.rounds, args.workdir, args.ours_only, not args.no_serve)


if __name__ == "__main__":
    main()
