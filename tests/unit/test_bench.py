"""The benchmark's pure helpers (benchmarks/): the phases line it parses, the distinct reports it
generates, the paired ratios and the verdicts of issue 15's targets it prints."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

import bench_corpus  # noqa: E402
import bench_measure  # noqa: E402
import bench_report  # noqa: E402
from bench_report import Summary  # noqa: E402


def test_phases_are_read_from_the_last_phases_line_in_the_order_printed():
    stderr = ("warning: x.txt: binary file\n"
              "phases: ingest=9.00s\n"
              "built 1000 reports, 3000 pages written to public/ in 5.1 s\n"
              "phases: ingest=1.23s analysis=0.45s render=2.34s write=0.56s search=1.10s\n")
    phases = bench_measure.parse_phases(stderr)
    assert phases == {"ingest": 1.23, "analysis": 0.45, "render": 2.34, "write": 0.56, "search": 1.10}
    assert list(phases) == ["ingest", "analysis", "render", "write", "search"]


def test_phases_accept_any_subset_of_names_and_whole_seconds():
    assert bench_measure.parse_phases("phases: render=2s links=0.5s\n") == {"render": 2.0, "links": 0.5}


def test_no_phases_line_means_no_phases():
    assert bench_measure.parse_phases("built 10 reports in 1.0 s\nreview: none\n") == {}


def test_folder_size_counts_every_file_below_and_none_for_a_missing_folder(tmp_path: Path):
    (tmp_path / "pagefind/fragment").mkdir(parents=True)
    (tmp_path / "pagefind/pagefind.js").write_bytes(b"x" * 10)
    (tmp_path / "pagefind/fragment/a.pf_fragment").write_bytes(b"y" * 5)
    assert bench_measure.folder_size(tmp_path / "pagefind") == (15, 2)
    assert bench_measure.folder_size(tmp_path / "absent") is None


def test_variants_take_distinct_places_and_years_up_to_ten_thousand_and_more():
    names = [f"p{i}" for i in range(248)]
    pairs = {bench_corpus.place_and_year(i, names) for i in range(10_000)}
    assert len(pairs) == 10_000
    assert min(year for _, year in pairs) >= 1980


def test_variants_beyond_the_distinct_pairs_are_refused():
    names = ["甲", "乙"]
    with pytest.raises(ValueError, match="at most"):
        bench_corpus.place_and_year(2 * len(bench_corpus.YEARS), names)


def test_places_for_variants_have_distinct_slug_pinyin():
    from builder.text import places

    names = bench_corpus.places_for_variants()
    romanized = [places.place_pinyin(name) for name in names]
    assert len(set(romanized)) == len(names)
    assert len(names) * len(bench_corpus.YEARS) >= 10_000


def test_a_paired_ratio_is_the_median_of_each_rounds_ratio():
    assert bench_report.paired_ratio([2.0, 6.0, 3.0], [1.0, 2.0, 3.0]) == 2.0
    assert bench_report.paired_ratio([2.0, 6.0], [1.0]) is None  # the peer failed in a round
    assert bench_report.paired_ratio([], []) is None


def _summary(n: int = 1000, **medians: float) -> Summary:
    named = {key.replace("_", " "): value for key, value in medians.items()}
    return Summary(n, 3, named, {}, phases_reported=True)


def test_the_cold_build_limit_is_8_s_or_mkdocs_whichever_is_lower():
    assert bench_report.cold_limit(_summary(mkdocs_cold=9.5)) == 8.0
    assert bench_report.cold_limit(_summary(mkdocs_cold=6.0)) == 6.0
    assert bench_report.cold_limit(_summary()) == 8.0  # MkDocs did not run


def test_target_rows_say_met_or_missed_and_show_the_peers_beside():
    cold, no_op = bench_report.TARGETS[0], bench_report.TARGETS[1]
    summary = _summary(ours_cold=7.0, mkdocs_cold=6.5, **{"hugo fair cold": 0.6})
    row = bench_report.target_row(cold, summary)
    assert row[:5] == ["cold build", "1000", "7.000 s", "<= min(8 s, 1.0x MkDocs) = 6.50 s", "MISSED"]
    assert row[5:] == ["6.500 s", "0.600 s", "-"]
    assert bench_report.target_row(no_op, _summary(**{"ours no-op": 0.29}))[4] == "met"
    assert bench_report.target_row(no_op, _summary(**{"ours no-op": 0.3}))[4] == "MISSED"


def test_a_target_at_an_n_not_run_says_so():
    pss_10k = bench_report.TARGETS[-1]
    assert bench_report.target_row(pss_10k, None)[4] == "not run"


def test_phases_and_search_lines_say_when_there_is_nothing():
    bare = Summary(100, 1, {"ours cold": 1.0}, {}, phases_reported=False)
    assert bench_report.phases_line(bare) == "phases: not reported by this builder"
    assert bench_report.search_line(bare) == "search index: none built"


def test_phases_line_gives_seconds_and_cost_per_report():
    summary = _summary(n=100, **{"ours cold": 3.0, "phase ingest": 1.5, "phase render": 0.5})
    assert bench_report.phases_line(summary) == (
        "phases (cold build): ingest=1.50s (15.00 ms/report) render=0.50s (5.00 ms/report)")


def test_cost_per_report_shows_growth_from_the_smallest_n():
    small = _summary(n=100, **{"ours cold": 1.0})
    large = _summary(n=1000, **{"ours cold": 20.0})
    ours = bench_report.cost_per_report_lines([small, large])[1]
    assert "10.00 ms (1.00x)" in ours and "20.00 ms (2.00x)" in ours


def test_ratio_lines_give_wall_and_cpu_ratios_of_each_peer_that_ran():
    summary = Summary(1000, 3, {}, {"mkdocs cold": 2.5, "mkdocs cold CPU s": 1.25}, phases_reported=False)
    assert bench_report.ratio_lines([summary]) == ["  N=1000: ours/MkDocs 2.50 (CPU 1.25)"]
    assert bench_report.ratio_lines([Summary(10, 1, {}, {}, False)]) == ["  N=10: no peer ran"]


def test_cost_per_report_of_cpu_time_reads_the_cpu_figures():
    summary = _summary(n=100, **{"ours cold": 1.0, "ours cold CPU s": 3.0})
    assert "30.00 ms" in bench_report.cost_per_report_lines([summary], "cold CPU s")[1]


def test_the_fair_hugo_layout_lists_every_report_on_the_home_page_only():
    listing = ".Site.RegularPages"
    assert [name for name, text in bench_corpus.HUGO_FAIR.items() if listing in text] == ["layouts/index.html"]
    assert ".TableOfContents" in bench_corpus.HUGO_FAIR["layouts/_default/single.html"]
    assert listing in bench_corpus.HUGO_UNFAIR["layouts/_default/baseof.html"]  # today's unfair figure
