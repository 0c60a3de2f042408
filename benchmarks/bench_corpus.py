"""The benchmark's input: N scraped pages for us and the same text as Markdown for MkDocs and Hugo.

Each page is the bundled page's government work report (about 10,000 characters) with its
place, years and small numbers varied, so that every page yields one report of its own slug.
Hugo gets two sites over the same content: a *fair* layout that renders the pages ours does (a
home page listing every report with its summary, one page per report with title, table of
contents and content, nothing else), and the *unfair* layout of the first benchmark, whose
``baseof.html`` lists every page on every page (an O(N²) nav our pages do not have).
"""

from __future__ import annotations

import random
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEED_PAGE = ROOT / "site_src/scraped/000_8b8113f56c6b1839.txt"
PLACES = ["无锡", "常州", "南通", "扬州", "镇江", "泰州", "徐州", "盐城", "连云港", "宿迁", "南京"]
#: Years of delivery, in the order variants use them: 2000–2025 first (the first benchmark's
#: years), then back from 1999, so N up to len(places) × len(YEARS) gets distinct (place, year).
YEARS = [*range(2000, 2026), *range(1999, 1979, -1)]
SEED_CHARACTERS = 10_000

HUGO_CONFIG_FAIR = (
    'baseURL = "/"\ntitle = "bench"\nhasCJKLanguage = true\n'
    'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "section", "404"]\n'
)
HUGO_FAIR = {
    "layouts/_default/baseof.html":
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>'
        '{{ block "main" . }}{{ end }}</body></html>',
    "layouts/_default/single.html":
        '{{ define "main" }}<h1>{{ .Title }}</h1><aside>{{ .TableOfContents }}</aside>'
        '<article>{{ .Content }}</article>{{ end }}',
    "layouts/index.html":
        '{{ define "main" }}<ul>{{ range .Site.RegularPages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>'
        '<p>{{ .Summary }}</p></li>{{ end }}</ul>{{ end }}',
}
HUGO_CONFIG_UNFAIR = (
    'baseURL = "/"\ntitle = "bench"\ncontentDir = "../hugo/content"\n'
    'disableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
)
HUGO_UNFAIR = {
    "layouts/_default/baseof.html":
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>'
        '<nav>{{ range .Site.RegularPages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav>'
        '{{ block "main" . }}{{ end }}</body></html>',
    "layouts/_default/single.html":
        '{{ define "main" }}<h1>{{ .Title }}</h1><aside>{{ .TableOfContents }}</aside>'
        '<article>{{ .Content }}</article>{{ end }}',
    "layouts/_default/list.html":
        '{{ define "main" }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>'
        '{{ end }}',
    "layouts/index.html":
        '<!DOCTYPE html><html><body><ul>{{ range .Site.RegularPages }}'
        '<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></body></html>',
}


def _builder_on_path() -> None:
    """Import the builder of this repository (not whichever one is installed)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


def seed_report() -> list[str]:
    """The bundled page's government work report, one heading or paragraph per line (cut by our
    own ingest), its first lines up to about 10,000 characters."""
    _builder_on_path()
    from builder.commands.ingest import reports_from_page
    from builder.core.config import load_config

    config = load_config(ROOT / "config.yaml")
    report = next(r for r in reports_from_page(SEED_PAGE, config, set()) if r.kind == "government_work_report")
    lines = [*report.preamble, *_section_lines(report.sections)]
    kept: list[str] = []
    size = 0
    for line in lines:
        if size >= SEED_CHARACTERS:
            break
        kept.append(line)
        size += len(line)
    return kept


def _section_lines(sections: object) -> Iterator[str]:
    for section in sections:  # type: ignore[attr-defined]
        yield section.title
        yield from (p.text for p in section.paragraphs)
        yield from _section_lines(section.children)


def places_for_variants() -> list[str]:
    """PLACES, then every other prefecture-level city whose short name means only it and whose
    pinyin no earlier place has (泰州 and 台州 are both ``taizhou``: same year, same slug)."""
    _builder_on_path()
    from builder.text import places

    extra = sorted((d.code, d.short) for d in places.divisions().values()
                   if d.level == 2 and d.name.endswith("市") and d.short and d.short not in PLACES
                   and len(places.lookup(d.short)) == 1 and len(places.lookup(d.name)) == 1)
    names: list[str] = []
    romanized: set[str] = set()
    for name in PLACES + [short for _, short in extra]:
        pinyin = places.place_pinyin(name)
        if pinyin not in romanized:
            names.append(name)
            romanized.add(pinyin)
    return names


def place_and_year(i: int, names: list[str]) -> tuple[str, int]:
    """The i-th variant's (place, year): every place in turn, then the next year; distinct for
    every i below ``len(names) * len(YEARS)``."""
    if i >= len(names) * len(YEARS):
        raise ValueError(f"at most {len(names) * len(YEARS)} distinct reports (place, year)")
    return names[i % len(names)], YEARS[i // len(names)]


def variant(lines: list[str], i: int, names: list[str]) -> tuple[str, list[str]]:
    """The i-th report: its title and its lines, with place, years and small numbers changed."""
    rng = random.Random(i)
    place, year = place_and_year(i, names)

    def nudged(match: re.Match[str]) -> str:
        value = match.group(0)
        return str(max(1, int(value) + rng.randint(-3, 3))) if len(value) < 4 else value

    out = []
    for line in lines:
        moved = line.replace("苏州", place).replace("2020", str(year)).replace("2019", str(year - 1))
        out.append(re.sub(r"(?<![\d.])\d{1,3}(?![\d.])", nudged, moved))
    return f"{year}年{place}市政府工作报告", out


def as_markdown(body: list[str]) -> str:
    """A report's lines as Markdown for MkDocs and Hugo: short lines without a full stop are headings."""
    return "\n\n".join(("## " + p) if len(p) < 30 and not p.endswith("。") else p for p in body) + "\n"


def _write_files(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")


def _skeletons(folder: Path) -> tuple[Path, Path, Path]:
    """Empty sites for ours, Hugo (fair layout; the unfair one reads the same content) and MkDocs."""
    ours, hugo, mkdocs = folder / "ours", folder / "hugo", folder / "mkdocs"
    (ours / "site_src/scraped").mkdir(parents=True)
    shutil.copytree(ROOT / "templates", ours / "templates")
    shutil.copy(ROOT / "site_src/glossary.yaml", ours / "site_src/glossary.yaml")
    shutil.copy(ROOT / "config.yaml", ours / "config.yaml")
    (hugo / "content/reports").mkdir(parents=True)
    _write_files(hugo, {"hugo.toml": HUGO_CONFIG_FAIR, **HUGO_FAIR})
    _write_files(folder / "hugo-unfair", {"hugo.toml": HUGO_CONFIG_UNFAIR, **HUGO_UNFAIR})
    (mkdocs / "docs").mkdir(parents=True)
    _write_files(mkdocs, {"mkdocs.yml": "site_name: bench\nuse_directory_urls: false\n", "docs/index.md": "# bench\n"})
    return ours, hugo, mkdocs


def generate(folder: Path, n: int) -> int:
    """Write the N pages into ``folder/ours``, ``folder/hugo`` (and ``hugo-unfair``) and
    ``folder/mkdocs``; returns the average characters per page."""
    lines = seed_report()
    names = places_for_variants()
    ours, hugo, mkdocs = _skeletons(folder)
    chars = 0
    for i in range(n):
        title, body = variant(lines, i, names)
        text = title + "\n" + "\n".join(body) + "\n"
        chars += len(text)
        (ours / f"site_src/scraped/{i:05d}.txt").write_text(text, encoding="utf-8")
        markdown = as_markdown(body)
        (hugo / f"content/reports/r{i:05d}.md").write_text(f'---\ntitle: "{title}"\n---\n\n{markdown}',
                                                           encoding="utf-8")
        (mkdocs / f"docs/r{i:05d}.md").write_text(f"# {title}\n\n{markdown}", encoding="utf-8")
    return chars // max(n, 1)
