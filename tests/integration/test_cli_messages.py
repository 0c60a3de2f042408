"""Issue #14: what a new user met in the first hour.  Every command ends with one line (no
traceback) and says what it does."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from builder.cli import main

ROOT = Path(__file__).resolve().parents[2]


def build(site: Path, capsys, *args: str) -> tuple[int, str, str]:
    code = main(["build", "--config", str(site / "config.yaml"), *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def to_closed_pipe(site: Path, *args: str) -> subprocess.CompletedProcess:
    read, write = os.pipe()
    os.close(read)  # every write now fails: the reader is gone, as `| head -1` leaves it
    try:
        return subprocess.run([sys.executable, "-m", "builder", *args, "--config", str(site / "config.yaml")],
                              stdout=write, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False, timeout=120)
    finally:
        os.close(write)


# ---------------------------------------------------------------- tracebacks


@pytest.mark.parametrize("args", [("glossary", "suggest"), ("glossary", "suggest", "--yaml")])
def test_glossary_suggest_to_a_closed_pipe_stops_quietly(site: Path, capsys, args):
    assert build(site, capsys)[0] == 0
    done = to_closed_pipe(site, *args)
    assert done.returncode == 1
    assert done.stderr == ""


def test_cache_path_naming_a_file_is_one_error_line(site: Path, capsys):
    (site / ".cache").write_text("not a folder", encoding="utf-8")
    code, _, err = build(site, capsys)
    assert code == 1
    assert err == ("error: .cache: paths.cache names a file, not a folder "
                   "(remove it or point paths.cache in config.yaml elsewhere)\n")
    code = main(["ingest", "--config", str(site / "config.yaml"), *map(str, (site / "site_src/scraped").glob("*"))])
    assert code == 1 and capsys.readouterr().err.startswith("error: .cache: paths.cache names a file")


def _refuse_writes_under(folder: Path, monkeypatch) -> None:
    """Writing any file in ``folder`` fails as in a read-only folder (the tests may run as root)."""
    for name in ("write_bytes", "write_text"):
        original = getattr(Path, name)

        def refuse(self, *args, _original=original, **kwargs):
            if folder in self.absolute().parents:
                raise PermissionError(13, "Permission denied", str(self))
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(Path, name, refuse)


def test_read_only_cache_is_one_error_line(site: Path, capsys, monkeypatch):
    (site / ".cache").mkdir()
    _refuse_writes_under(site / ".cache", monkeypatch)
    code, _, err = build(site, capsys)
    assert code == 1
    assert err == ("error: .cache: cannot write the build cache: Permission denied "
                   "(make it writable, or point paths.cache in config.yaml elsewhere)\n")


def test_ingest_state_that_cannot_be_saved_is_one_error_line(site: Path, capsys, monkeypatch):
    from builder.core.config import Config

    monkeypatch.setattr(Config, "check_cache_dir", lambda self: None)  # the folder looked writable
    (site / ".cache").mkdir()
    _refuse_writes_under(site / ".cache", monkeypatch)
    code, _, err = build(site, capsys)
    assert code == 1
    assert err.splitlines()[-1] == "error: .cache/ingest-state.json: cannot save the ingest state: Permission denied"
    assert "Traceback" not in err


# ---------------------------------------------------------------- numbers on the command line


@pytest.mark.parametrize("args, message", [
    (["serve", "--port", "99999"], "argument --port: expected a port number from 0 to 65535 (0: any free port), "
                                   "got '99999'"),
    (["serve", "--port", "-1"], "argument --port: expected a port number from 0 to 65535"),
    (["build", "--jobs", "0"], "argument --jobs: expected a whole number of at least 1, got '0'"),
    (["build", "--jobs", "-2"], "argument --jobs: expected a whole number of at least 1, got '-2'"),
    (["glossary", "suggest", "--limit", "0"], "argument --limit: expected a whole number of at least 1, got '0'"),
    (["glossary", "suggest", "--limit", "-1"], "argument --limit: expected a whole number of at least 1, got '-1'"),
    (["glossary", "suggest", "--limit", "x"], "argument --limit: expected a whole number of at least 1, got 'x'"),
])
def test_bad_numbers_are_refused(site: Path, capsys, args, message):
    with pytest.raises(SystemExit) as stopped:
        main([*args, "--config", str(site / "config.yaml")])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (site / "public").exists()


def test_glossary_limit_shows_that_many(site: Path, capsys):
    assert build(site, capsys)[0] == 0
    assert main(["glossary", "suggest", "--limit", "2", "--config", str(site / "config.yaml")]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2


def test_serve_on_port_0_says_the_port_it_got(site: Path):
    import json
    import signal
    import urllib.request

    process = subprocess.Popen(
        [sys.executable, "-m", "builder", "serve", "--config", str(site / "config.yaml"), "--port", "0"],
        cwd=site, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": str(ROOT)})
    try:
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("serving "):
                break
        else:
            raise AssertionError("serve did not start")
        address = line.split(" at ")[1].split()[0]
        port = int(address.rsplit(":", 1)[1].strip("/"))
        assert port != 0, line
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/__builder/status", timeout=10) as response:
            assert json.loads(response.read())["generation"] >= 1
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=15)


# ---------------------------------------------------------------- --force


def test_build_force_replaces_a_hand_edited_report_after_a_backup(site: Path, capsys):
    assert build(site, capsys)[0] == 0
    report = site / "site_src" / "reports" / "2020-suzhou-zfgzbg.md"
    fresh = report.read_text(encoding="utf-8")
    edited = fresh.replace("\n\n", "\n\n手工改动的一句话。\n\n", 1)
    assert edited != fresh
    report.write_text(edited, encoding="utf-8")
    code, out, _ = build(site, capsys)  # without --force: the edit is kept and published
    assert code == 0
    page = site / "public" / "reports" / "2020-suzhou-zfgzbg.html"
    assert "手工改动的一句话" in page.read_text(encoding="utf-8")
    code, out, _ = build(site, capsys, "--force")
    assert code == 0 and "2020-suzhou-zfgzbg.md.bak" in out
    assert report.read_text(encoding="utf-8") == fresh
    assert (site / "site_src" / "reports" / "2020-suzhou-zfgzbg.md.bak").read_text(encoding="utf-8") == edited
    assert "手工改动的一句话" not in page.read_text(encoding="utf-8")
    # a second forced replacement keeps the first backup and adds .bak.1 (as the README says)
    report.write_text(edited.replace("手工", "再次手工"), encoding="utf-8")
    assert build(site, capsys, "--force")[0] == 0
    assert "再次手工" in (site / "site_src" / "reports" / "2020-suzhou-zfgzbg.md.bak.1").read_text(encoding="utf-8")


# ---------------------------------------------------------------- front matter kind and genre


@pytest.mark.parametrize("key, value, allowed", [
    ("kind", "bogus", "government_work_report, npc_standing_committee_report, other"),
    ("genre", "poem", "report, resolution, explanation, news, speech, unknown"),
])
def test_unknown_kind_or_genre_is_a_warning_naming_file_line_and_allowed_values(site: Path, capsys, key, value,
                                                                                 allowed):
    assert build(site, capsys)[0] == 0
    report = site / "site_src" / "reports" / "2020-huaian-rdcwhgzbg.md"
    lines = report.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith(f"{key}: "))
    lines[number] = f"{key}: {value}"
    report.write_text("\n".join(lines), encoding="utf-8")
    code, _, err = build(site, capsys)
    assert code == 0
    assert err == (f"warning: site_src/reports/{report.name}:{number + 1}: front matter: {key}: unknown value "
                   f"'{value}'; expected one of {allowed}; not published\n")
    assert not (site / "public" / "reports" / "2020-huaian-rdcwhgzbg.html").exists()


# ---------------------------------------------------------------- builder ingest's arguments


def test_ingest_of_a_folder_says_it_is_a_folder(site: Path, capsys):
    folder = site / "site_src"
    assert main(["ingest", "--config", str(site / "config.yaml"), str(folder)]) == 1
    assert capsys.readouterr().err == (f"error: {folder}: is a folder, not a page (`builder ingest` takes page "
                                       "files; `builder build` ingests every page of paths.scraped)\n")


def test_ingest_of_a_csv_without_a_text_column_names_its_columns(site: Path, capsys):
    page = site / "site_src" / "scraped" / "notext.csv"
    page.write_text("title,year,url\n2020年苏州市政府工作报告,2020,http://a\n2021年报告,2021,http://b\n",
                    encoding="utf-8")
    assert main(["ingest", "--config", str(site / "config.yaml"), str(page)]) == 0
    err = capsys.readouterr().err
    assert err == ("warning: site_src/scraped/notext.csv: CSV has no text column: its columns are title, year, url, "
                   "and none holds the text\n")


# ---------------------------------------------------------------- pages in subfolders


def test_pages_in_subfolders_of_scraped_are_read(site: Path, capsys):
    scraped = site / "site_src" / "scraped"
    page = next(scraped.glob("*.txt"))
    (scraped / "2020" / "suzhou").mkdir(parents=True)
    page.rename(scraped / "2020" / "suzhou" / page.name)
    (scraped / ".hidden").mkdir()
    (scraped / ".hidden" / "junk.txt").write_bytes(b"\0\0")
    code, out, err = build(site, capsys)
    assert code == 0 and err == ""
    assert out.splitlines()[-1].startswith("built 3 reports")
    report = (site / "site_src" / "reports" / "2020-suzhou-zfgzbg.md").read_text(encoding="utf-8")
    assert f"source_file: site_src/scraped/2020/suzhou/{page.name}\n" in report
    code, out, _ = build(site, capsys)  # nothing changed: nothing ingested again
    assert code == 0 and "(0 scraped pages ingested)" in out


# ---------------------------------------------------------------- counts in messages


def test_ingest_summary_for_one_page(site: Path, capsys):
    empty = site / "site_src" / "scraped" / "empty.txt"
    empty.write_text(" \n", encoding="utf-8")
    assert main(["ingest", "--config", str(site / "config.yaml"), str(empty)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ingested 1 page: 0 reports, 0 files written in ") and out.endswith(", 1 warning\n")


def test_build_summary_for_one_report_and_one_page(site: Path, capsys, monkeypatch):
    from builder.commands import build as build_command
    from builder.commands.build import BuildSummary
    from builder.commands.ingest import IngestSummary

    ingest = IngestSummary()
    ingest.pages = 1
    monkeypatch.setattr(build_command, "build_site", lambda *args, **kwargs: BuildSummary(ingest, 1, 1, 0.5, [], []))
    build_command.run(site / "config.yaml")
    assert capsys.readouterr().out == "built 1 report, 1 page written to public/ in 0.50 s (1 scraped page ingested)\n"


def test_serve_says_built_first_then_rebuilt(site: Path):
    from builder.commands.serve import SiteServer

    said: list[str] = []
    server = SiteServer(site / "config.yaml", say=said.append)
    server.build()
    assert said[-1].startswith("built in ") and said[-1].endswith(" pages written")
    server.build()
    assert said[-1].startswith("rebuilt in ") and said[-1].endswith(": 0 pages written")


# ---------------------------------------------------------------- leaks and staleness


def test_a_page_outside_the_site_records_only_its_file_name(site: Path, tmp_path_factory, capsys):
    import shutil

    elsewhere = tmp_path_factory.mktemp("home") / "downloads"
    elsewhere.mkdir()
    scraped = next((site / "site_src" / "scraped").glob("*.txt"))
    page = elsewhere / "page.txt"
    shutil.move(scraped, page)
    for _ in range(2):  # again: the same reports keep their slugs (no "-2")
        assert main(["ingest", "--config", str(site / "config.yaml"), str(page)]) == 0
        capsys.readouterr()
        assert sorted(p.name for p in (site / "site_src" / "reports").glob("*.md")) == [
            "2020-huaian-rdcwhgzbg.md", "2020-suzhou-rdcwhgzbg.md", "2020-suzhou-zfgzbg.md"]
    report = (site / "site_src" / "reports" / "2020-suzhou-zfgzbg.md").read_text(encoding="utf-8")
    assert "\nsource_file: page.txt\n" in report
    assert str(elsewhere) not in report
    (site / "site_src" / "scraped" / "keep.txt").write_text("", encoding="utf-8")  # (the folder must hold a page)
    assert build(site, capsys)[0] == 0
    html = (site / "public" / "reports" / "2020-suzhou-zfgzbg.html").read_text(encoding="utf-8")
    assert "page.txt" in html and str(elsewhere) not in html


def test_a_pdf_older_than_its_edited_report_is_removed_with_a_warning(site: Path, capsys):
    assert build(site, capsys)[0] == 0
    pdf = site / "public" / "pdf" / "2020-suzhou-zfgzbg.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(b"%PDF-1.4 old text\n")
    report = site / "site_src" / "reports" / "2020-suzhou-zfgzbg.md"
    os.utime(pdf, ns=(report.stat().st_mtime_ns + 10**9,) * 2)  # printed after the report was written
    assert build(site, capsys)[0] == 0
    page = site / "public" / "reports" / "2020-suzhou-zfgzbg.html"
    assert "../pdf/2020-suzhou-zfgzbg.pdf" in page.read_text(encoding="utf-8")
    report.write_text(report.read_text(encoding="utf-8").replace("\n\n", "\n\n新加的一句话。\n\n", 1), encoding="utf-8")
    os.utime(report, ns=(pdf.stat().st_mtime_ns + 10**9,) * 2)  # edited after the PDF was printed
    code, _, err = build(site, capsys)
    assert code == 0
    assert err == ("warning: public/pdf/2020-suzhou-zfgzbg.pdf: pdf out of date (its report changed after it was "
                   "printed): removed from the site; run `builder pdf`\n")
    assert not pdf.exists()
    assert "2020-suzhou-zfgzbg.pdf" not in page.read_text(encoding="utf-8")
    code, _, err = build(site, capsys)
    assert code == 0 and err == ""


def test_a_stale_pdf_fails_a_strict_build_and_is_kept(site: Path, capsys):
    assert build(site, capsys)[0] == 0
    pdf = site / "public" / "pdf" / "2020-suzhou-zfgzbg.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(b"%PDF-1.4 old text\n")
    report = site / "site_src" / "reports" / "2020-suzhou-zfgzbg.md"
    report.write_text(report.read_text(encoding="utf-8").replace("\n\n", "\n\n新加的一句话。\n\n", 1), encoding="utf-8")
    os.utime(report, ns=(pdf.stat().st_mtime_ns + 10**9,) * 2)
    code, _, err = build(site, capsys, "--strict")
    assert code == 1 and err.startswith("error: public/pdf/2020-suzhou-zfgzbg.pdf: pdf out of date")
    assert pdf.exists()
