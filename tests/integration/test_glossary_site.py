"""The bundled page built with the bundled glossary: term links, backlinks, glossary page and data."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from builder.cli import main
from builder.core.config import load_config
from builder.glossary.suggest import report_blocks
from builder.glossary.terms import load_glossary
from builder.sitesrc import parse_front_matter, parse_report_markdown

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("glossary-site")
    (site / "site_src" / "scraped").mkdir(parents=True)
    seed = ROOT / "site_src" / "scraped" / "000_8b8113f56c6b1839.txt"
    shutil.copy(seed, site / "site_src" / "scraped" / seed.name)
    shutil.copy(ROOT / "config.yaml", site / "config.yaml")
    shutil.copy(ROOT / "site_src" / "glossary.yaml", site / "site_src" / "glossary.yaml")
    assert main(["build", "--config", str(site / "config.yaml")]) == 0
    return site


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def reports(site: Path) -> list[dict]:
    return json.loads((site / "public" / "data" / "reports.json").read_text(encoding="utf-8"))


def test_every_term_occurring_in_a_report_is_linked_on_its_page(built: Path) -> None:
    glossary = load_glossary(built / "site_src" / "glossary.yaml")
    for report in reports(built):
        md = built / "site_src" / "reports" / f"{report['slug']}.md"
        parsed = parse_report_markdown(parse_front_matter(md.read_text(encoding="utf-8"), str(md)))
        occurring = {s.term_id for _, _, text in report_blocks(parsed) for s in glossary.find_terms(text)}
        page = soup(built / "public" / report["url"])
        linked = {a["data-term"] for a in page.select(".report-body a.term")}
        assert occurring and occurring == linked, report["slug"]
        # first-per-section: within one section (heading to heading) a term is linked at most once
        section_links: dict[str, int] = {}
        for element in page.select_one(".report-body").find_all(["h2", "h3", "h4", "h5", "h6", "a"]):
            if element.name != "a":
                section_links = {}
            elif "term" in (element.get("class") or []):
                section_links[element["data-term"]] = section_links.get(element["data-term"], 0) + 1
                assert section_links[element["data-term"]] == 1


def test_links_never_sit_in_permalinks_or_other_links_and_describe_themselves(built: Path) -> None:
    for report in reports(built):
        page = soup(built / "public" / report["url"])
        for link in page.select("a.term"):
            assert link.find_parent("a") is None and link.find("a") is None
            assert link["href"] == f"../glossary/index.html#{link['data-term']}"
            assert link["data-definition"]
            target = page.find(id=link["aria-describedby"])
            assert target is not None and target.get_text() == link["data-definition"]
        assert not page.select("a.permalink a.term")


def test_glossary_json_backlinks_land_on_real_anchors(built: Path) -> None:
    data = json.loads((built / "public" / "data" / "glossary.json").read_text(encoding="utf-8"))
    assert len(data) >= 60
    assert set(data[0]) >= {"id", "term", "aliases", "definition", "gloss", "category", "occurrences"}
    urls = {r["slug"]: r["url"] for r in reports(built)}
    pages = {slug: soup(built / "public" / url) for slug, url in urls.items()}
    total = 0
    for entry in data:
        assert entry["occurrences"], entry["id"]  # every bundled entry occurs in the bundled page
        for occurrence in entry["occurrences"]:
            block = pages[occurrence["report"]].find(id=occurrence["anchor"])
            assert block is not None and block.name in ("p", "h2", "h3", "h4", "h5", "h6")
            total += 1
    assert total > 150


def test_glossary_page_sorted_by_pinyin_with_letters_counts_and_working_backlinks(built: Path) -> None:
    from builder.glossary.pages import pinyin_key

    page = soup(built / "public" / "glossary" / "index.html")
    entries = page.select(".glossary-entry")
    terms = [e.select_one("dfn").get_text() for e in entries]
    chinese = [t for t in terms if re.match(r"[\u4e00-\u9fff]", t)]
    assert chinese == sorted(chinese, key=pinyin_key)
    letters = [a.get_text() for a in page.select(".letter-index a")]
    assert letters[:-1] == sorted(letters[:-1]) and letters[-1] == "#" and len(letters) > 10
    for a in page.select(".letter-index a"):
        assert page.find(id=a["href"][1:]) is not None
    for entry in entries:
        backlinks = entry.select(".backlinks a")
        count = int(re.search(r"出现 (\d+) 次", entry.get_text()).group(1))
        assert count == len(backlinks) > 0
        for a in backlinks:
            path, _, anchor = a["href"].partition("#")
            target = (built / "public" / "glossary" / path).resolve()
            assert soup(target).find(id=anchor) is not None, a["href"]
        assert entry.select_one(".gloss").get_text() and entry.select_one(".definition").get_text()


def test_report_prints_its_terms_at_the_end(built: Path) -> None:
    report = reports(built)[0]
    page = soup(built / "public" / report["url"])
    section = page.select_one("#page-glossary")
    assert section is not None and section.find_parent("article") is not None
    used = {a["data-term"] for a in page.select(".report-body a.term")}
    assert {dd["id"][len("term-def-"):] for dd in section.select("dd")} == used
    css = (built / "public" / "assets" / "style.css").read_text(encoding="utf-8")
    assert ".glossary-terms { display: none; }" in css
    assert "  .glossary-terms { display: block; break-before: page; }" in css  # inside @media print


def test_jieba_cache_is_in_the_build_cache(site: Path) -> None:
    """With jieba doing the cutting (not rjieba), a build keeps jieba's dictionary cache in the
    site's cache folder (a fresh process: jieba loads its dictionary once per process)."""
    shutil.copy(ROOT / "site_src" / "glossary.yaml", site / "site_src" / "glossary.yaml")
    env = {**os.environ, "BUILDER_SEGMENTER": "jieba"}
    subprocess.run([sys.executable, "-m", "builder", "build", "--config", str(site / "config.yaml")],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    assert (load_config(site / "config.yaml").cache_dir / "jieba.cache").is_file()


def test_no_glossary_file_means_no_glossary(site: Path) -> None:
    assert main(["build", "--config", str(site / "config.yaml")]) == 0
    assert not (site / "public" / "glossary").exists()
    assert not (site / "public" / "data" / "glossary.json").exists()
    page = (site / "public" / "reports").glob("*.html")
    assert all('class="term"' not in p.read_text(encoding="utf-8") for p in page)


def test_broken_glossary_fails_the_build_with_file_and_line(site: Path, capsys) -> None:
    (site / "site_src" / "glossary.yaml").write_text(
        "- id: a\n  term: 放管服\n  definition: x\n  gloss: g\n  see_also: [zz]\n", encoding="utf-8")
    assert main(["build", "--config", str(site / "config.yaml")]) == 1
    assert capsys.readouterr().err.strip() == \
        "error: site_src/glossary.yaml:5: see_also: unknown id 'zz' (in entry 'a')"
    assert not (site / "public").exists()


@pytest.mark.parametrize("policy", ["first-per-page", "every"])
def test_link_policy_from_config(site: Path, policy: str) -> None:
    shutil.copy(ROOT / "site_src" / "glossary.yaml", site / "site_src" / "glossary.yaml")
    config = site / "config.yaml"
    text = config.read_text(encoding="utf-8")
    assert "  link: first-per-section\n" in text
    config.write_text(text.replace("  link: first-per-section\n", f"  link: {policy}\n"), encoding="utf-8")
    assert main(["build", "--config", str(config)]) == 0
    data = json.loads((site / "public" / "data" / "glossary.json").read_text(encoding="utf-8"))
    for report in reports(site):
        page = soup(site / "public" / report["url"])
        links = [a["data-term"] for a in page.select(".report-body a.term")]
        occurrences = sum(1 for e in data for o in e["occurrences"] if o["report"] == report["slug"])
        if policy == "every":
            assert len(links) == occurrences
        else:
            assert len(links) == len(set(links))


def test_suggest_command(built: Path, capsys) -> None:
    assert main(["glossary", "suggest", "--config", str(built / "config.yaml")]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out and all(len(line.split("\t")) == 4 for line in out)
    glossary = load_glossary(built / "site_src" / "glossary.yaml")
    known = {f for t in glossary.terms for f in t.forms}
    assert not any(line.split("\t")[1] in known for line in out)
    assert main(["glossary", "suggest", "--yaml", "--limit", "2", "--config", str(built / "config.yaml")]) == 0
    stubs = capsys.readouterr().out
    assert stubs.count("- id: ") == 2 and "definition: \"\"" in stubs
