"""The bundled page built end to end through the command line."""

import json
import re
from pathlib import Path

from builder.cli import main
from builder.ingest.clean import clean_document
from builder.ingest.read import read_source
from builder.ingest.textcheck import split_sentences

CHROME = ["bbjkw", "社会实践报告", "本站为大家整理", "推荐访问", "扩展阅读", "热门阅读", "本文来源", "阅读:", "阅读："]


def build(site: Path, *args: str) -> int:
    return main(["build", "--config", str(site / "config.yaml"), *args])


def reports_json(site: Path) -> list[dict]:
    return json.loads((site / "public" / "data" / "reports.json").read_text(encoding="utf-8"))


def page_text(site: Path, report: dict) -> str:
    html = (site / "public" / report["url"]).read_text(encoding="utf-8")
    body = re.search(r'<div class="report-body".*?</div>\s*<aside', html, re.S).group(0)
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", body))


def test_bundled_page_becomes_three_correctly_attributed_reports(site: Path, capsys):
    assert build(site) == 0
    out = capsys.readouterr().out
    assert "built 3 reports" in out
    reports = {r["slug"]: r for r in reports_json(site)}
    assert set(reports) == {"2020-suzhou-zfgzbg", "2020-suzhou-rdcwhgzbg", "2020-huaian-rdcwhgzbg"}
    gov = reports["2020-suzhou-zfgzbg"]
    assert (gov["kind"], gov["issuer"], gov["year"]) == ("government_work_report", "苏州市人民政府", 2020)
    assert gov["title"] == "2020年苏州市政府工作报告"
    assert gov["scraped_title"] == "2020年苏州市人大常委会工作报告"
    huaian = reports["2020-huaian-rdcwhgzbg"]
    assert (huaian["issuer"], huaian["place"]) == ("淮安市人大常委会", "江苏省淮安市")
    for report in reports.values():
        assert (site / "public" / report["url"]).is_file()
        assert report["paragraph_count"] > 10
        assert report["sections"], report["slug"]
    assert sorted(p.name for p in (site / "site_src" / "reports").glob("*.md")) == sorted(
        f"{slug}.md" for slug in reports)


def test_no_site_chrome_and_no_sentence_lost(site: Path):
    assert build(site) == 0
    texts = "".join(page_text(site, r) for r in reports_json(site))
    for token in CHROME:
        assert token not in texts, token
    [document] = read_source(site / "site_src" / "scraped" / "000_8b8113f56c6b1839.txt")
    body = clean_document(document).lines
    lost = [s for line in body for s in split_sentences(line.text) if s not in texts]
    # The only lines allowed outside the articles are the report titles, shown in each page's header.
    assert [s for s in lost if "工作报告" not in s] == []


def test_headings_and_paragraphs_are_anchored(site: Path):
    assert build(site) == 0
    for report in reports_json(site):
        html = (site / "public" / report["url"]).read_text(encoding="utf-8")
        ids = re.findall(r'\sid="([^"]+)"', html)
        assert len(ids) == len(set(ids)), "ids must be unique on a page"
        for section in report["sections"]:
            assert f'id="{section["id"]}"' in html
            assert f'href="#{section["id"]}"' in html
        assert re.search(r'<p[^>]* id="s1-p1"', html) or re.search(r'<p[^>]* id="s1-1-p1"', html)


def test_second_build_writes_no_report(site: Path, capsys):
    assert build(site) == 0
    md = sorted((site / "site_src" / "reports").glob("*.md"))
    before = {p: p.stat().st_mtime_ns for p in md}
    capsys.readouterr()
    assert build(site) == 0
    assert "(0 scraped pages ingested)" in capsys.readouterr().out
    assert {p: p.stat().st_mtime_ns for p in md} == before


def test_reingesting_an_unchanged_page_writes_nothing(site: Path, capsys):
    assert build(site) == 0
    md = sorted((site / "site_src" / "reports").glob("*.md"))
    before = {p: p.stat().st_mtime_ns for p in md}
    capsys.readouterr()
    assert main(["ingest", "--config", str(site / "config.yaml"),
                 str(site / "site_src" / "scraped" / "000_8b8113f56c6b1839.txt")]) == 0
    out = capsys.readouterr().out
    assert out.count("[unchanged]") == 3
    assert {p: p.stat().st_mtime_ns for p in md} == before


def test_a_hand_edit_shows_after_rebuild_and_is_never_lost(site: Path, capsys):
    assert build(site) == 0
    path = site / "site_src" / "reports" / "2020-suzhou-zfgzbg.md"
    edited = path.read_text(encoding="utf-8").replace("各位代表：", "各位代表（编者校订）：", 1)
    path.write_text(edited, encoding="utf-8")
    assert build(site) == 0
    gov = next(r for r in reports_json(site) if r["slug"] == "2020-suzhou-zfgzbg")
    assert "各位代表（编者校订）：" in page_text(site, gov)
    # The page changes, so it is ingested again: the edit must survive.
    page = site / "site_src" / "scraped" / "000_8b8113f56c6b1839.txt"
    page.write_bytes(page.read_bytes() + b"\n")
    capsys.readouterr()
    assert build(site) == 0
    assert "kept your edits" in capsys.readouterr().out
    assert path.read_text(encoding="utf-8") == edited
    # --force replaces it, but only after keeping a backup of the edit.
    page.write_bytes(page.read_bytes() + b"\n")
    assert build(site, "--force") == 0
    backups = list(path.parent.glob("2020-suzhou-zfgzbg.md.bak*"))
    assert len(backups) == 1 and backups[0].read_text(encoding="utf-8") == edited
    assert "各位代表（编者校订）" not in path.read_text(encoding="utf-8")


def test_ingest_prints_one_line_per_report(site: Path, capsys):
    assert main(["ingest", "--config", str(site / "config.yaml"),
                 str(site / "site_src" / "scraped" / "000_8b8113f56c6b1839.txt")]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("site_src/reports/")]
    assert len(lines) == 3
    assert any("2020年淮安市人大常委会工作报告\t淮安市人大常委会\t2020\t" in line for line in lines)
    assert all(re.search(r"\t\d+ paragraphs\t\[created\]$", line) for line in lines)


def test_two_builds_give_identical_bytes(site: Path, tmp_path_factory):
    """Every page and data file.  Not the search index: Pagefind writes a filter's values in hash
    order, which differs from run to run (tests/integration/test_search_index.py checks it)."""
    def files() -> dict[Path, bytes]:
        public = site / "public"
        assert (public / "pagefind" / "pagefind.js").is_file()
        return {p.relative_to(public): p.read_bytes() for p in public.rglob("*")
                if p.is_file() and p.relative_to(public).parts[0] != "pagefind"}

    assert build(site) == 0
    first = files()
    assert build(site, "--clean") == 0
    assert files() == first


def test_site_works_from_any_folder(site: Path, monkeypatch, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("cwd")
    monkeypatch.chdir(elsewhere)
    assert build(site) == 0
    assert (site / "public" / "index.html").is_file()
    assert not (elsewhere / "public").exists()


def test_all_urls_are_relative(site: Path):
    assert build(site) == 0
    for page in (site / "public").rglob("*.html"):
        if page.name == "404.html":
            continue  # GitHub Pages serves it at any depth: its links are absolute by design (issue 6)
        html = page.read_text(encoding="utf-8")
        for url in re.findall(r'(?:href|src)="([^"]*)"', html):
            assert not url.startswith("/"), (page, url)
            assert not url.startswith(("http:", "https:")) or "bbjkw" in url, (page, url)


def test_two_new_pages_with_the_same_report_keep_both(site: Path, capsys):
    """Pages are cut independently; the second page's report must not overwrite the first's."""
    scraped = site / "site_src" / "scraped"
    original = (scraped / "000_8b8113f56c6b1839.txt").read_text(encoding="utf-8")
    (scraped / "001_copy.txt").write_text(original, encoding="utf-8")
    assert build(site) == 0
    slugs = sorted(r["slug"] for r in reports_json(site))
    assert slugs == sorted(["2020-suzhou-zfgzbg", "2020-suzhou-rdcwhgzbg", "2020-huaian-rdcwhgzbg",
                            "2020-suzhou-zfgzbg-2", "2020-suzhou-rdcwhgzbg-2", "2020-huaian-rdcwhgzbg-2"])
    sources = {}
    for path in (site / "site_src" / "reports").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        sources[path.stem] = "001_copy.txt" in text
        assert f"slug: {path.stem}\n" in text
    assert sum(sources.values()) == 3
    # A rebuild with nothing changed keeps every slug where it is.
    capsys.readouterr()
    assert build(site, "--clean") == 0
    assert sorted(r["slug"] for r in reports_json(site)) == slugs
    assert "[unchanged]" in capsys.readouterr().out
