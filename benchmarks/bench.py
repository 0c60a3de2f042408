"""Benchmark (issue 5): our build against MkDocs and Hugo on the same reports' text.

    python benchmarks/bench.py --n 100 1000 [--rounds 3]

Generates N scraped pages (one report each, from the bundled page's government work report
with varied place, year and numbers, about 10,000 characters), then, taking turns in each
round so that ratios are paired, times: our cold build (no cache, no Markdown yet), a no-op
rebuild, a rebuild after editing one report's Markdown, one after editing one template, our
peak memory (the whole process tree); MkDocs (`mkdocs build`, from benchmarks/.venv) and Hugo
(Debian's `hugo`, with a minimal layout written here) on the same text.  Prints every figure
(median over rounds) and the ratios ours / theirs.  Needs psutil; skips a tool not installed.
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
    from builder.config import load_config
    from builder.pipeline import reports_from_page

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
    from builder import places

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
        line = line.replace("苏州", place).replace("2020", str(year)).replace("2019", str(year - 1))
        out.append(re.sub(r"(?<![\d.])\d{1,3}(?![\d.])", numbers, line))
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
    (hugo / "hugo.toml").write_text('baseURL = "/"\ntitle = "bench"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
    (hugo / "layouts/_default/baseof.html").write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>'
        '<nav>{{ range .Site.RegularPages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav>'
        '{{ block "main" . }}{{ end }}</body></html>')
    (hugo / "layouts/_default/single.html").write_text(
        '{{ define "main" }}<h1>{{ .Title }}</h1><aside>{{ .TableOfContents }}</aside><article>{{ .Content }}</article>{{ end }}')
    (hugo / "layouts/_default/list.html").write_text(
        '{{ define "main" }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}')
    (hugo / "layouts/index.html").write_text(
        '<!DOCTYPE html><html><body><ul>{{ range .Site.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>')
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
        markdown = "\n\n".join(("## " + l) if len(l) < 30 and not l.endswith("。") else l for l in body) + "\n"
        (hugo / f"content/reports/r{i:05d}.md").write_text(f'---\ntitle: "{title}"\n---\n\n{markdown}', encoding="utf-8")
        (mk / f"docs/r{i:05d}.md").write_text(f"# {title}\n\n{markdown}", encoding="utf-8")
    print(f"generated {n} pages, {chars // n} characters each on average")


def run(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """Seconds and peak MiB (resident memory of the whole process tree, sampled every 10 ms)."""
    import psutil

    started = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    ps = psutil.Process(process.pid)
    while process.poll() is None:
        try:
            total = ps.memory_info().rss + sum(c.memory_info().rss for c in ps.children(recursive=True))
            peak = max(peak, total)
        except psutil.Error:
            pass
        time.sleep(0.01)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed: {process.stderr.read().decode()[-2000:]}")
    return seconds, peak / 2**20


def bench(n: int, rounds: int, workdir: Path, ours_only: bool = False) -> dict[str, float]:
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
        seconds, mib = run(builder, ours)
        add("ours cold", seconds); add("ours peak MiB", mib)
        add("ours no-op", run(builder, ours)[0])
        report = sorted((ours / "site_src/reports").glob("*.md"))[n // 2]
        text = report.read_text(encoding="utf-8")
        report.write_text(text.replace("。\n", f"。（第{r}次修改）\n", 1), encoding="utf-8")
        add("ours edit report", run(builder, ours)[0])
        template = ours / "templates/index.html"
        template.write_text(template.read_text(encoding="utf-8") + f"\n{{# edit {r} #}}\n", encoding="utf-8")
        add("ours edit template", run(builder, ours)[0])
        if shutil.which("hugo") and not ours_only:
            shutil.rmtree(hugo / "public", ignore_errors=True)
            seconds, mib = run(["hugo", "--quiet"], hugo)
            add("hugo cold", seconds); add("hugo peak MiB", mib)
        if MKDOCS.exists() and not ours_only:
            seconds, mib = run([str(MKDOCS), "build", "-q"], mk)
            add("mkdocs cold", seconds); add("mkdocs peak MiB", mib)
    med = {k: statistics.median(v) for k, v in results.items()}
    print(f"\nN={n} ({rounds} rounds, {os.cpu_count()} CPUs), median:")
    for key, value in med.items():
        print(f"  {key:20s} {value:8.3f}")
    for other in ("hugo", "mkdocs"):
        if f"{other} cold" in med:
            ratios = [a / b for a, b in zip(results["ours cold"], results[f"{other} cold"])]
            print(f"  ratio ours/{other} cold {statistics.median(ratios):.2f}")
    return med


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=HERE / "work")
    parser.add_argument("--ours-only", action="store_true", help="skip Hugo and MkDocs")
    args = parser.parse_args()
    for n in args.n:
        bench(n, args.rounds, args.workdir, args.ours_only)


if __name__ == "__main__":
    main()
