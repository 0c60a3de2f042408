"""Every readable document is published; one bad document never sinks the others (issue #11, part 3).

The site: the bundled page, a CSV export and a JSON Lines export (tests/fixtures/exports: each
four documents and one garbage record), a binary file and an empty file.  ``builder build``
publishes the eleven documents, prints one warning per bad input naming the file (and, for an
export, the line of the record), exits 0, and says it again on a no-op build.  ``--strict`` fails
on the same input and leaves public/ and site_src/reports/ byte for byte as they were.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from builder.cli import main
from builder.commands import ingest as ingest_command
from builder.core import parallel
from builder.core.config import load_config
from builder.sitesrc import read_report

ROOT = Path(__file__).resolve().parents[2]
EXPORTS = ROOT / "tests" / "fixtures" / "exports"

#: The warning of each bad input: its start (the file, and the line of an export's record), and a
#: word of its message.
WARNINGS = [
    ("warning: site_src/scraped/empty.txt: ", "empty"),
    ("warning: site_src/scraped/junk.bin: ", "binary"),
    ("warning: site_src/scraped/reports.csv:39: row 4: ", "no text"),
    ("warning: site_src/scraped/reports.jsonl:4: record 4: ", "binary or garbled"),
]
#: What each export holds: (kind, genre, year) of its four readable records.
EXPORTED = sorted([("government_work_report", "report", 2015), ("government_work_report", "report", 2021),
                   ("other", "resolution", 2021), ("government_work_report", "report", 2009)])


def build(site: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["build", "--config", str(site / "config.yaml"), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def digests(folder: Path) -> dict[str, str]:
    """Every file below ``folder`` (relative name -> SHA-256); {} when there is no folder."""
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def published(site: Path) -> dict[str, str]:
    return digests(site / "public") | {f"src:{k}": v for k, v in digests(site / "site_src" / "reports").items()}


def add_bad_inputs(site: Path) -> None:
    scraped = site / "site_src" / "scraped"
    for name in ("reports.csv", "reports.jsonl"):
        (scraped / name).write_bytes((EXPORTS / name).read_bytes())
    (scraped / "junk.bin").write_bytes(bytes(range(256)) * 4)
    (scraped / "empty.txt").write_bytes(b"")


def assert_warnings(err: str, prefix: str = "warning") -> None:
    lines = err.splitlines()
    assert len(lines) == len(WARNINGS), err
    for line, (start, word) in zip(lines, WARNINGS, strict=True):
        assert line.startswith(start.replace("warning", prefix, 1)) and word in line, line
    assert "Traceback" not in err


def report_files(site: Path) -> dict[str, dict]:
    folder = site / "site_src" / "reports"
    return {p.stem: dict(read_report(p, p.name).meta) for p in sorted(folder.glob("*.md"))}


@pytest.fixture
def mixed(site: Path) -> Path:
    add_bad_inputs(site)
    return site


@pytest.fixture
def built(site: Path, capsys) -> Path:
    """The bundled page alone, built."""
    assert build(site, capsys)[0] == 0
    return site


def test_every_readable_document_is_published_and_each_bad_input_is_one_warning(mixed: Path, capsys):
    code, out, err = build(mixed, capsys)
    assert code == 0
    assert_warnings(err)
    summary = out.splitlines()[-1]
    assert summary.startswith("built 11 reports,") and summary.endswith("(5 scraped pages ingested), 4 warnings")
    reports = report_files(mixed)
    for source in ("reports.csv", "reports.jsonl"):
        found = sorted((meta["kind"], meta["genre"], meta["year"]) for meta in reports.values()
                       if meta["source_file"] == f"site_src/scraped/{source}")
        assert found == EXPORTED, source
    assert sum(meta["source_file"].endswith(".txt") for meta in reports.values()) == 3  # the bundled page's
    pages = {p.stem for p in (mixed / "public" / "reports").glob("*.html")}
    assert pages == set(reports)


def test_a_no_op_build_repeats_the_warnings(mixed: Path, capsys):
    _, _, first = build(mixed, capsys)
    code, out, err = build(mixed, capsys)
    assert code == 0
    assert err == first
    assert out.startswith("built 11 reports, 0 pages written") and "(0 scraped pages ingested), 4 warnings" in out


def test_strict_fails_and_leaves_public_and_the_report_files_as_they_were(built: Path, capsys):
    add_bad_inputs(built)
    before = published(built)
    state = (built / ".cache" / "ingest-state.json").read_bytes()
    code, out, err = build(built, capsys, "--strict")
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert_warnings("\n".join(lines[:-1]), prefix="error")
    assert lines[-1] == ("error: --strict: 4 warnings turned into errors; nothing was written "
                         "(public/ and site_src/reports/ unchanged)")
    assert published(built) == before
    assert (built / ".cache" / "ingest-state.json").read_bytes() == state  # the pages will be ingested
    code, _, err = build(built, capsys)
    assert code == 0 and err.count("\n") == 4
    assert len(report_files(built)) == 11


def test_strict_on_a_first_build_writes_nothing(mixed: Path, capsys):
    code, _, err = build(mixed, capsys, "--strict")
    assert code == 1 and err.count("error: ") == 5
    assert not (mixed / "public").exists() and not (mixed / "site_src" / "reports").exists()


def test_strict_fails_a_no_op_build_whose_last_build_had_warnings(mixed: Path, capsys):
    assert build(mixed, capsys)[0] == 0
    before = published(mixed)
    code, _, err = build(mixed, capsys, "--strict")
    assert code == 1 and err.count("error: ") == 5
    assert published(mixed) == before


def test_strict_from_config_and_no_strict_on_the_command_line(mixed: Path, capsys):
    config = mixed / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("strict: false", "strict: true"), encoding="utf-8")
    assert build(mixed, capsys)[0] == 1
    assert not (mixed / "public").exists()
    code, _, err = build(mixed, capsys, "--no-strict")
    assert code == 0
    assert_warnings(err)


def test_a_record_that_fails_after_reading_is_one_warning_naming_its_row(site: Path, capsys):
    """A row the cleaner empties (here: a site's pattern removes its only line) fails alone."""
    config = site / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("extra_patterns: []", "extra_patterns: ['某某网']"),
                      encoding="utf-8")
    (site / "site_src" / "scraped" / "rows.csv").write_text(
        'title,content\n'
        '"a","本文来自某某网，转载请注明出处"\n'
        '"b","各位代表：\n现在，我代表市人民政府，向大会报告工作，请予审议。\n过去一年，全市经济平稳增长。"\n',
        encoding="utf-8")
    code, _, err = build(site, capsys)
    assert code == 0
    assert err == "warning: site_src/scraped/rows.csv:2: row 1: no text left after cleaning\n"
    assert sum(meta["source_file"] == "site_src/scraped/rows.csv" for meta in report_files(site).values()) == 1


def _boom_on(name: str, monkeypatch) -> None:
    cut = ingest_command._cut_document

    def cut_or_fail(document, *args):
        if document.path.endswith(name):
            raise RuntimeError("boom")
        return cut(document, *args)

    monkeypatch.setattr(ingest_command, "_cut_document", cut_or_fail)


def test_a_bug_while_cutting_one_document_names_it_and_spares_the_others(mixed: Path, capsys, monkeypatch):
    _boom_on("reports.jsonl", monkeypatch)
    code, out, err = build(mixed, capsys)
    assert code == 0 and "Traceback" not in err
    failed = [line for line in err.splitlines() if "boom" in line]
    assert [line.split(" record ")[0] for line in failed] == ["warning: site_src/scraped/reports.jsonl:1:",
                                                              "warning: site_src/scraped/reports.jsonl:2:",
                                                              "warning: site_src/scraped/reports.jsonl:3:",
                                                              "warning: site_src/scraped/reports.jsonl:5:"]
    assert "internal error while ingesting (RuntimeError: boom)" in failed[0]
    assert "built 7 reports" in out


def test_a_failure_in_a_worker_process_names_the_file(site: Path, monkeypatch):
    scraped = site / "site_src" / "scraped"
    for number in range(6):
        (scraped / f"p{number}.txt").write_text(
            f"各位代表：\n现在，我代表市人民政府，向大会报告工作，请予审议。\n过去一年，全市第{number}项工作稳步推进。\n",
            encoding="utf-8")
    _boom_on("p3.txt", monkeypatch)
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 2)
    config = load_config(site / "config.yaml")
    summary = ingest_command.ingest_pages(ingest_command.page_files(config), config, say=lambda line: None, jobs=2)
    assert [str(problem) for problem in summary.warnings] == [
        "site_src/scraped/p3.txt: internal error while ingesting (RuntimeError: boom); "
        "this is a bug in builder, please report it"]
    assert summary.pages == 7 and len(summary.written) == 3 + 5


def test_builder_ingest_warns_and_strict_writes_nothing(site: Path, capsys):
    add_bad_inputs(site)
    scraped = site / "site_src" / "scraped"
    pages = [str(scraped / name) for name in ("reports.csv", "junk.bin")]
    assert main(["ingest", "--config", str(site / "config.yaml"), "--strict", *pages]) == 1
    err = capsys.readouterr().err
    assert err.count("error: ") == 3 and "(site_src/reports/ unchanged)" in err
    assert not (site / "site_src" / "reports").exists()
    assert main(["ingest", "--config", str(site / "config.yaml"), *pages]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [line for line in err.splitlines() if line.startswith("warning: ")]
    assert len(err.splitlines()) == 2 and out.rstrip().endswith("2 warnings")
    assert len(report_files(site)) == 4


# ---------------------------------------------------------------- review


def test_review_shows_every_decision_with_its_evidence(mixed: Path, capsys):
    build(mixed, capsys)
    assert main(["review", "--config", str(mixed / "config.yaml"), "--all"]) == 0
    out = capsys.readouterr().out
    blocks = out.split("\n\n")
    assert blocks[0].endswith("(11 reports)")
    anji = next(block for block in blocks[1:] if block.startswith("2015-anji-zfgzbg  "))
    assert "government_work_report, genre report · site_src/reports/2015-anji-zfgzbg.md" in anji
    assert re.search(r"^  year +2015 +<- [\w:-]+ \((strong|medium|weak)\) “", anji, re.MULTILINE), anji
    for field in ("kind", "issuer", "place", "title"):
        assert re.search(rf"^  {field} +\S+ +<- ", anji, re.MULTILINE), (field, anji)
    resolution = next(block for block in blocks[1:] if "genre resolution" in block)
    assert re.search(r"^  genre +resolution +<- ", resolution, re.MULTILINE)


def test_reports_needing_review_come_first_and_the_build_lists_them(mixed: Path, capsys):
    build(mixed, capsys)
    path = mixed / "site_src" / "reports" / "2021-fujian-zfgzbg.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"^review: .*$", "review: 年份证据相互矛盾，且都不强", text, count=1, flags=re.MULTILINE),
                    encoding="utf-8")
    assert main(["review", "--config", str(mixed / "config.yaml")]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "1 of 11 reports needs review; `builder review --all` shows every report's evidence"
    assert lines[2].startswith("2021-fujian-zfgzbg  ") and lines[4] == "  review: 年份证据相互矛盾，且都不强"
    assert "2015-anji-zfgzbg" not in out
    assert main(["review", "--config", str(mixed / "config.yaml"), "--all"]) == 0
    assert capsys.readouterr().out.split("\n\n")[1].startswith("2021-fujian-zfgzbg  ")
    expected = ("review: 1 report needs a look: 2021-fujian-zfgzbg (年份证据相互矛盾，且都不强) "
                "(`builder review` shows the evidence)")
    for _ in range(2):  # the build that renders it, then a no-op build
        code, out, _ = build(mixed, capsys)
        assert code == 0 and out.splitlines()[-1] == expected


def test_review_to_a_closed_pipe_stops_quietly(mixed: Path, capsys):
    build(mixed, capsys)
    read, write = os.pipe()
    os.close(read)  # every write now fails: the reader is gone, as `| head -1` leaves it
    try:
        done = subprocess.run([sys.executable, "-m", "builder", "review", "--all", "--config",
                               str(mixed / "config.yaml")], stdout=write, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False, timeout=120)
    finally:
        os.close(write)
    assert done.returncode == 1
    assert done.stderr == ""


def test_review_without_reports_is_one_error(site: Path, capsys):
    assert main(["review", "--config", str(site / "config.yaml")]) == 1
    assert capsys.readouterr().err == "error: site_src/reports: no report files: run `builder build` first\n"


def test_serve_prints_the_warnings_once_and_keeps_them_in_its_status(mixed: Path):
    from builder.commands.serve import SiteServer

    said: list[str] = []
    server = SiteServer(mixed / "config.yaml", say=said.append)
    server.build()
    assert not server.error and len(server.warnings) == 4
    assert [line for line in said if line.startswith("warning: ")] == [f"warning: {w}" for w in server.warnings]
    assert said[-1].endswith("pages written, 4 warnings")
    said.clear()
    server.build()
    assert len(said) == 1 and said[0].endswith("0 pages written, 4 warnings")  # not printed again


def test_pdf_strict_fails_before_building_or_printing(mixed: Path, capsys, monkeypatch):
    from builder.commands import pdf as pdf_module

    monkeypatch.setattr(pdf_module, "find_chromium", lambda: "/nonexistent/chromium")
    assert main(["pdf", "--config", str(mixed / "config.yaml"), "--strict"]) == 1
    err = capsys.readouterr().err
    assert err.count("error: ") == 5 and "Chromium" not in err
    assert not (mixed / "public").exists()
