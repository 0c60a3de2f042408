"""Bad input.  A scraped page or report file that cannot be used is one warning line naming the
file, and the rest of the site is built (exit 0); with ``--strict`` it is one error line, exit 1,
and nothing already built is damaged.  A broken config.yaml or output folder is an error."""

from pathlib import Path

import pytest

from builder.cli import main


def run(site: Path, capsys, *args: str) -> tuple[int, str]:
    code = main(["build", "--config", str(site / "config.yaml"), *args])
    return code, capsys.readouterr().err


def snapshot(folder: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def built(site: Path, capsys) -> Path:
    assert main(["build", "--config", str(site / "config.yaml")]) == 0
    capsys.readouterr()
    return site


@pytest.mark.parametrize("name, content, message", [
    ("empty.txt", b"  \n\n", "empty page"),
    ("binary.txt", bytes(range(256)) * 4, "binary file"),
    ("bad.txt", b"\xff\xfe\xfa" + "正文".encode("utf-16-le") * 50 + b"\x81", "cannot decode"),
])
def test_bad_page_is_one_warning_and_the_site_still_builds(built: Path, capsys, name, content, message):
    before = snapshot(built / "public") | snapshot(built / "site_src" / "reports")
    (built / "site_src" / "scraped" / name).write_bytes(content)
    code, err = run(built, capsys)
    assert code == 0
    assert err.count("\n") == 1, err
    assert err.startswith(f"warning: site_src/scraped/{name}: ")
    assert message in err
    assert "Traceback" not in err
    assert snapshot(built / "public") | snapshot(built / "site_src" / "reports") == before  # nothing new to publish


@pytest.mark.parametrize("name, content, message", [
    ("empty.txt", b"  \n\n", "empty page"),
    ("binary.txt", bytes(range(256)) * 4, "binary file"),
    ("bad.txt", b"\xff\xfe\xfa" + "正文".encode("utf-16-le") * 50 + b"\x81", "cannot decode"),
])
def test_bad_page_fails_under_strict_with_one_line_and_damages_nothing(built: Path, capsys, name, content,
                                                                       message):
    before = snapshot(built / "public") | snapshot(built / "site_src" / "reports")
    (built / "site_src" / "scraped" / name).write_bytes(content)
    code, err = run(built, capsys, "--strict")
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 2, err
    assert lines[0].startswith(f"error: site_src/scraped/{name}: ") and message in lines[0]
    assert lines[1] == ("error: --strict: 1 warning turned into error; nothing was written "
                        "(public/ and site_src/reports/ unchanged)")
    assert "Traceback" not in err
    assert snapshot(built / "public") | snapshot(built / "site_src" / "reports") == before


def test_broken_config_names_file_and_line(built: Path, capsys):
    before = snapshot(built / "public")
    (built / "config.yaml").write_text("site_name: x\npaths: [\n", encoding="utf-8")
    code, err = run(built, capsys)
    assert code == 1
    assert err.startswith(f"error: {built / 'config.yaml'}:")
    assert err.count("\n") == 1
    assert snapshot(built / "public") == before


def test_unwritable_output_folder(site: Path, capsys):
    (site / "blocker").write_text("a file, not a folder", encoding="utf-8")
    config = (site / "config.yaml").read_text(encoding="utf-8").replace("output: public", "output: blocker/public")
    (site / "config.yaml").write_text(config, encoding="utf-8")
    code, err = run(site, capsys)
    assert code == 1
    assert "blocker" in err and err.count("\n") == 1
    assert (site / "blocker").read_text(encoding="utf-8") == "a file, not a folder"


def test_broken_front_matter_is_a_warning_and_the_other_reports_are_published(built: Path, capsys):
    report = built / "site_src" / "reports" / "2020-huaian-rdcwhgzbg.md"
    report.write_text("---\ntitle: [oops\n---\n正文。\n", encoding="utf-8")
    code, err = run(built, capsys)
    assert code == 0
    assert err.startswith(f"warning: site_src/reports/{report.name}:2: front matter is not valid YAML")
    assert err.rstrip().endswith("; not published") and err.count("\n") == 1
    pages = {p.name for p in (built / "public" / "reports").glob("*.html")}
    assert pages == {"2020-suzhou-zfgzbg.html", "2020-suzhou-rdcwhgzbg.html"}


def test_broken_front_matter_fails_under_strict(built: Path, capsys):
    report = next((built / "site_src" / "reports").glob("*.md"))
    report.write_text("---\ntitle: [oops\n---\n正文。\n", encoding="utf-8")
    before = snapshot(built / "public")
    code, err = run(built, capsys, "--strict")
    assert code == 1
    assert err.startswith(f"error: site_src/reports/{report.name}:")
    assert snapshot(built / "public") == before


def test_duplicate_slug_is_a_warning_naming_both_files(built: Path, capsys):
    reports = built / "site_src" / "reports"
    (reports / "copy.md").write_bytes((reports / "2020-suzhou-zfgzbg.md").read_bytes())
    code, err = run(built, capsys)
    assert code == 0
    assert err == ("warning: site_src/reports/copy.md: duplicate slug '2020-suzhou-zfgzbg', also used by "
                   "site_src/reports/2020-suzhou-zfgzbg.md; not published\n")


def test_missing_page_for_ingest(site: Path, capsys):
    code = main(["ingest", "--config", str(site / "config.yaml"), str(site / "nope.txt")])
    assert code == 1
    assert "nope.txt: no such file" in capsys.readouterr().err
