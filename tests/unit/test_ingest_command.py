"""commands.ingest: which scraped pages a build looks at, and which it must ingest again."""

import os
from pathlib import Path

from builder.commands.ingest import changed_pages, page_files
from builder.core.config import load_config


def make_site(root: Path):
    (root / "site_src/scraped/sub/.hidden").mkdir(parents=True)
    (root / "site_src/reports").mkdir(parents=True)
    (root / "config.yaml").write_text("", encoding="utf-8")
    return load_config(root / "config.yaml")


def test_page_files_are_the_visible_files_below_the_scraped_folder_without_following_folder_links(tmp_path):
    config = make_site(tmp_path)
    scraped = tmp_path / "site_src/scraped"
    for name in ("b.txt", "a.html", ".dot.txt", "sub/c.csv", "sub/.hidden/d.txt"):
        (scraped / name).write_text("x", encoding="utf-8")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "e.txt").write_text("x", encoding="utf-8")
    os.symlink(outside, scraped / "linked-folder")
    os.symlink(outside / "e.txt", scraped / "linked-file.txt")
    os.symlink(tmp_path / "missing.txt", scraped / "dangling.txt")
    names = [page.relative_to(scraped).as_posix() for page in page_files(config)]
    assert names == ["a.html", "b.txt", "linked-file.txt", "sub/c.csv"]


def test_a_page_whose_report_file_is_gone_is_ingested_again(tmp_path):
    from builder.commands.ingest import ingest_pages

    config = make_site(tmp_path)
    sample = Path(__file__).resolve().parents[2] / "site_src/scraped"
    page = next(p for p in sorted(sample.iterdir()) if p.is_file())
    (tmp_path / "site_src/scraped" / page.name).write_bytes(page.read_bytes())
    pages = page_files(config)
    ingest_pages(pages, config, say=lambda line: None, jobs=1)
    assert changed_pages(config, pages=pages) == []
    report = sorted((tmp_path / "site_src/reports").glob("*.md"))[0]
    report.unlink()
    os.symlink(tmp_path / "nothing.md", report)  # a link to nothing is no report file
    assert changed_pages(config, pages=pages) == pages
