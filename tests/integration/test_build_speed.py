"""Speed, second round (issue 15): what the faster build promises, through public names.

`--timings` prints one line of phases; generated files are not fsynced, a hand edit's backup is;
a build handed the changed files (as `builder serve` does) looks at nothing else and renders
only the edited report; a report's glossary runs, as cut, are remembered, so that rendering it
again after an edit builds no segmenter dictionary, until the glossary changes.
"""

import os
import re
import shutil

from site_support import build, snapshot, tree  # type: ignore[import-not-found]

from builder import cli
from builder.build import cache as cache_module
from builder.build.cache import BuildCache
from builder.core.config import load_config
from builder.text import segment

REPORT = "site_src/reports/2020-huaian-rdcwhgzbg.md"
OTHER = "site_src/reports/2020-suzhou-zfgzbg.md"
PHASES = re.compile(r"phases: ingest=(\d+\.\d\d)s analysis=(\d+\.\d\d)s render=(\d+\.\d\d)s write=(\d+\.\d\d)s"
                    r" search=(\d+\.\d\d)s")


def edit(site, name: str, old: str, new: str) -> None:
    path = site / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_timings_prints_one_line_of_phases(full_site, capsys):
    assert cli.main(["build", "--config", str(full_site / "config.yaml"), "--timings", "--jobs", "1"]) == 0
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("phases:")]
    assert len(lines) == 1
    match = PHASES.fullmatch(lines[0])
    assert match, lines[0]
    ingest, analysis, render, _, search = (float(x) for x in match.groups())
    assert ingest > 0 and analysis > 0 and render > 0 and search > 0  # a first build cuts, parses, renders, indexes
    # a no-op build spends nothing in any phase
    assert cli.main(["build", "--config", str(full_site / "config.yaml"), "--timings"]) == 0
    line = next(line for line in capsys.readouterr().err.splitlines() if line.startswith("phases:"))
    assert line == "phases: ingest=0.00s analysis=0.00s render=0.00s write=0.00s search=0.00s"


def test_generated_files_are_not_fsynced_but_a_hand_edit_backup_is(full_site, monkeypatch):
    synced: list[int] = []
    real_fsync = os.fsync

    def counting_fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", counting_fsync)
    build(full_site)  # three report files and the site: all generated
    assert synced == []
    edit(full_site, REPORT, "让我们更加紧密地团结", "让我们同志们更加紧密地团结")  # a hand edit
    build(full_site, force=True)  # replaced by the fresh version after a backup
    assert (full_site / (REPORT + ".bak")).read_text(encoding="utf-8").count("让我们同志们") == 1
    assert len(synced) == 2  # the backup of the user's text, and the file that replaced it


def test_changed_files_build_renders_only_that_report_and_looks_at_nothing_else(full_site, rendered, monkeypatch):
    # files just written are read again whatever their stat says (cache.RACY_NS); here they may be trusted
    monkeypatch.setattr(cache_module, "RACY_NS", 0)
    config = load_config(full_site / "config.yaml")
    cache = BuildCache(config)
    build(full_site, cache=cache)
    before = snapshot(full_site / "public")
    edit(full_site, REPORT, "让我们更加紧密地团结", "让我们同志们更加紧密地团结")
    # a change the watcher did not report (it never happens while serving) is not looked at:
    edit(full_site, OTHER, "各位代表", "各位代表们")
    rendered.clear()
    summary = build(full_site, cache=cache, changed_files=[str(full_site / REPORT)])
    assert rendered == ["2020-huaian-rdcwhgzbg"]
    after = snapshot(full_site / "public")
    changed = {name for name in after if before.get(name) != after[name]}
    assert {name for name in changed if name.startswith("reports/")} == {"reports/2020-huaian-rdcwhgzbg.html"}
    assert summary.pages_written == 1
    assert "让我们同志们更加紧密地团结" in after["reports/2020-huaian-rdcwhgzbg.html"][0].decode()
    assert "各位代表们" not in after["reports/2020-suzhou-zfgzbg.html"][0].decode()
    # a build not told what changed looks at every file again
    rendered.clear()
    build(full_site, cache=cache)
    assert rendered == ["2020-suzhou-zfgzbg"]
    assert "各位代表们" in (full_site / "public/reports/2020-suzhou-zfgzbg.html").read_text(encoding="utf-8")


def test_changed_files_naming_another_input_look_at_every_file(full_site, rendered):
    config = load_config(full_site / "config.yaml")
    cache = BuildCache(config)
    build(full_site, cache=cache)
    edit(full_site, OTHER, "各位代表", "各位代表们")
    rendered.clear()
    # a template among the changes (or a deleted report file, a scraped page): every file is looked at
    build(full_site, cache=cache, changed_files=[str(full_site / "templates/index.html")])
    assert rendered == ["2020-suzhou-zfgzbg"]


def test_changed_files_build_gives_the_same_site_as_a_full_build(full_site, tmp_path):
    import shutil

    config = load_config(full_site / "config.yaml")
    cache = BuildCache(config)
    build(full_site, cache=cache)
    twin = tmp_path / "twin"
    shutil.copytree(full_site, twin, ignore=shutil.ignore_patterns("public", ".cache"))
    for site in (full_site, twin):
        edit(site, REPORT, "让我们更加紧密地团结", "让我们同志们更加紧密地团结")
    build(full_site, cache=cache, changed_files=[str(full_site / REPORT)])
    build(twin)
    assert tree(full_site / "public") == tree(twin / "public")


def test_glossary_runs_are_remembered_until_the_glossary_changes(full_site, monkeypatch):
    build(full_site)
    dictionaries: list[frozenset[str]] = []
    original = segment._rjieba_with.__wrapped__ if segment._rjieba() is not None else segment.tokenizer_with.__wrapped__

    def counting(words):
        dictionaries.append(words)
        return original(words)

    name = "_rjieba_with" if segment._rjieba() is not None else "tokenizer_with"
    monkeypatch.setattr(segment, name, counting)
    edit(full_site, REPORT, "让我们更加紧密地团结", "让我们同志们更加紧密地团结")
    before = tree(full_site / "public")
    build(full_site)
    assert dictionaries == []  # the edited report's runs were cut before: no dictionary built
    assert "让我们同志们" in (full_site / "public/reports/2020-huaian-rdcwhgzbg.html").read_text(encoding="utf-8")
    assert before != tree(full_site / "public")
    # a new glossary term: every report is linked again, its runs cut with the new words
    glossary = full_site / "site_src/glossary.yaml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + (
        "\n- id: tuanjie-test\n  term: 团结\n  definition: 测试用词条。\n  gloss: Unity (test)\n"), encoding="utf-8")
    build(full_site)
    assert dictionaries  # the remembered runs were cut with the old words: cut again
    assert 'data-term="tuanjie-test"' in (full_site / "public/reports/2020-huaian-rdcwhgzbg.html").read_text(
        encoding="utf-8")


def test_labels_cut_before_are_remembered(full_site, monkeypatch):
    """The indicator label rules cut words with the default dictionary: rendering a report again
    after an edit of its wording cuts nothing again (so no dictionary is built), yet the page
    is the one a fresh build makes."""
    build(full_site)
    fresh: list[str] = []
    original = segment._cut

    def counting(text, extra, *, reference=False):
        fresh.append(text)
        return original(text, extra, reference=reference)

    monkeypatch.setattr(segment, "_cut", counting)
    edit(full_site, REPORT, "让我们更加紧密地团结", "让我们同志们更加紧密地团结")
    segment.forget_process_cuts()  # as a new process (builder build) starts
    build(full_site)
    assert fresh == []
    page = (full_site / "public/reports/2020-huaian-rdcwhgzbg.html").read_bytes()
    shutil.rmtree(full_site / ".cache")
    segment.forget_process_cuts()
    build(full_site)
    assert fresh  # without the remembered cuts, labels are cut again
    assert (full_site / "public/reports/2020-huaian-rdcwhgzbg.html").read_bytes() == page


def test_a_cold_build_parses_each_report_once(full_site, monkeypatch):
    """Its Markdown once (to render it) and its front matter once (when the build reads the report
    files): the ingest's text check reads the model instead of parsing what it wrote."""
    from markdown_it import MarkdownIt

    from builder import sitesrc
    from builder.commands import ingest

    fronts: list[str] = []
    bodies: list[int] = []
    parse_front, parse_body = sitesrc.parse_front_matter, MarkdownIt.parse

    def counting_front(text, path):
        fronts.append(path)
        return parse_front(text, path)

    def counting_body(self, src, env=None):
        bodies.append(len(src))
        return parse_body(self, src, env)

    monkeypatch.setattr(sitesrc, "parse_front_matter", counting_front)
    monkeypatch.setattr(ingest, "parse_front_matter", counting_front, raising=False)  # should it import it
    monkeypatch.setattr(MarkdownIt, "parse", counting_body)
    summary = build(full_site, jobs=1)
    assert summary.reports == 3
    assert len(fronts) == 3
    assert len(bodies) == 3


def test_changed_files_builds_in_a_row_after_a_no_op_build(full_site, monkeypatch):
    """As `builder serve` runs them: a no-op build first (which saves nothing), then one edit after
    another, each build told only of its own file; the file edited before is read again, not
    taken by what the no-op build saw of it."""
    monkeypatch.setattr(cache_module, "RACY_NS", 0)
    build(full_site)
    config = load_config(full_site / "config.yaml")
    cache = BuildCache(config)
    assert build(full_site, cache=cache).pages_written == 0
    monkeypatch.setattr(cache_module, "RACY_NS", 10**15)  # every file was just written: none is trusted by its stat
    edit(full_site, REPORT, "让我们更加紧密地团结", "让我们同志们更加紧密地团结")
    build(full_site, cache=cache, changed_files=[str(full_site / REPORT)])
    edit(full_site, OTHER, "各位代表", "各位代表们")
    build(full_site, cache=cache, changed_files=[str(full_site / OTHER)])
    assert "让我们同志们" in (full_site / "public/reports/2020-huaian-rdcwhgzbg.html").read_text(encoding="utf-8")
    assert "各位代表们" in (full_site / "public/reports/2020-suzhou-zfgzbg.html").read_text(encoding="utf-8")
