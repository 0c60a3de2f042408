"""Precision and recall of indicator extraction against the hand-labelled gold set.

The gold set (tests/fixtures/indicators_gold.yaml) labels every figure of some paragraphs
of the bundled page.  Over those paragraphs:

* an extracted indicator *matches* a gold one when both have the same report and anchor and
  the same value string, or, when the gold value is null, the same change number;
* precision = matched extracted / all extracted; recall = matched gold / all gold;
* label accuracy = matches whose label equals the gold label exactly (after trimming
  whitespace only) / all matches.

Each gold row is matched at most once.  The figures are printed and added to the terminal
summary (see tests/conftest.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from shared_corpus import CORPUS

from builder.commands.ingest import reports_from_page
from builder.core.config import load_config
from builder.indicators.extract import extract_report

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "site_src" / "scraped" / "000_8b8113f56c6b1839.txt"
GOLD = ROOT / "tests" / "fixtures" / "indicators_gold.yaml"
HELDOUT = ROOT / "tests" / "fixtures" / "indicators_heldout.yaml"
#: Other paragraphs of the bundled page, labelled by someone who never saw the extractor's output.
BLIND = ROOT / "tests" / "fixtures" / "indicators_blind.yaml"
#: Paragraphs of four corpus reports (1996 State Council, 2026 Yunnan and Shanghai, 2018 Hailar),
#: labelled on 2026-12-03 by a helper session that never read the extractor, its tests or its output,
#: after the label rules were written: the blind measure of issue 13's labels.
BLIND2 = ROOT / "tests" / "fixtures" / "indicators_blind2.yaml"
#: Paragraphs of four more corpus reports (1987 and 2005 State Council, Hailar 2014, Sichuan 2026),
#: labelled on 2026-12-03 by another helper that never read the extractor, its tests or its output,
#: following the second blind set's rules, while the label rules were being revised on that set: the
#: blind measure of the revised rules.
BLIND3 = ROOT / "tests" / "fixtures" / "indicators_blind3.yaml"
#: The held-out set (reports the extractor was not developed on) guards against regressions.
MIN_HELDOUT = 0.85
MIN_PRECISION = 0.9
MIN_RECALL = 0.85
#: Label accuracy (exact) over the matched figures.  Issue 13 asks for 0.9 on the blind set;
#: measured 2026-12-03: gold 0.873, blind 0.856 (its labels as the blind labeller wrote them),
#: held-out 0.875.  These floors guard against regressions; they are not the target.
MIN_LABEL_ACCURACY = 0.85
MIN_BLIND_LABEL_ACCURACY = 0.85


def _gold(path: Path = GOLD) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["reports"]


def _same(gold_row: list, item) -> bool:
    anchor, _label, value, change, _kind = gold_row
    if anchor != item.anchor:
        return False
    if value is not None:
        return item.value == str(value)
    return item.value is None and item.change is not None and float(item.change) == float(change)


def _same_label(gold_label: object, label: str) -> bool:
    """Exact label match, after trimming whitespace only."""
    return str(gold_label).strip() == label.strip()


def measure(path: Path = GOLD) -> dict[str, object]:
    gold = _gold(path)
    config = load_config(ROOT / "config.yaml")
    pages = {CORPUS / str(e["source"]) if "source" in e else PAGE for e in gold.values()}
    reports = {r.slug: r for page in sorted(pages) for r in reports_from_page(page, config, set())}
    extracted_total = matched_extracted = 0
    gold_total = matched_gold = 0
    misses: list[str] = []
    extras: list[str] = []
    kind_agree = label_agree = 0
    label_misses: list[str] = []
    for slug, entry in gold.items():
        paragraphs = set(entry["paragraphs"])
        rows = [list(r) for r in entry["indicators"]]
        items = [i for i in extract_report(reports[slug]) if i.anchor in paragraphs]
        used: set[int] = set()
        for item in items:
            extracted_total += 1
            hit = next((n for n, row in enumerate(rows) if n not in used and _same(row, item)), None)
            if hit is None:
                extras.append(f"{slug}#{item.anchor} {item.label} {item.span}")
            else:
                used.add(hit)
                matched_extracted += 1
                kind_agree += rows[hit][4] == item.kind
                if _same_label(rows[hit][1], item.label):
                    label_agree += 1
                else:
                    label_misses.append(f"{slug}#{item.anchor} {item.span}: {item.label!r}, gold {rows[hit][1]!r}")
        gold_total += len(rows)
        matched_gold += len(used)
        misses += [f"{slug}#{row[0]} {row[1]} {row[2] or row[3]}" for n, row in enumerate(rows) if n not in used]
    return {
        "precision": matched_extracted / extracted_total if extracted_total else 0.0,
        "recall": matched_gold / gold_total if gold_total else 0.0,
        "kind_accuracy": kind_agree / matched_extracted if matched_extracted else 0.0,
        "label_accuracy": label_agree / matched_extracted if matched_extracted else 0.0,
        "label_misses": label_misses,
        "gold": gold_total, "extracted": extracted_total, "misses": misses, "extras": extras,
    }


def _summary(request, line: str) -> None:
    """Add a line to pytest's terminal summary (printed by tests/conftest.py)."""
    lines = getattr(request.config, "_indicator_quality", [])
    request.config._indicator_quality = [*lines, line]


def test_gold_set_is_big_enough_and_has_all_kinds():
    gold = _gold()
    rows = [row for entry in gold.values() for row in entry["indicators"]]
    assert len(rows) >= 50
    kinds = {row[4] for row in rows}
    assert {"actual", "target"} <= kinds
    assert any(row[2] is None for row in rows)  # change-only statements
    assert any(str(row[2]).endswith(("家", "个", "件", "人", "名")) for row in rows)  # counts


def _check(request, capsys, result: dict, line: str, minimum_precision: float, minimum_recall: float,
           minimum_label_accuracy: float = MIN_LABEL_ACCURACY) -> None:
    """Print the figures (and every miss and extra), add them to the summary, then assert them."""
    _summary(request, line)
    with capsys.disabled():
        print("\n" + line)
        for miss in result["misses"]:
            print("  missed:", miss)
        for extra in result["extras"]:
            print("  extra: ", extra)
        for wrong in result["label_misses"]:
            print("  label: ", wrong)
    assert result["precision"] >= minimum_precision, line
    assert result["recall"] >= minimum_recall, line
    assert result["label_accuracy"] >= minimum_label_accuracy, line


@pytest.mark.parametrize("path, name", [(GOLD, "gold set"), (BLIND, "blind set")], ids=["gold", "blind"])
def test_precision_and_recall(request, capsys, path: Path, name: str):
    result = measure(path)
    line = (f"indicator extraction, bundled page, {name}: precision {result['precision']:.3f}, "
            f"recall {result['recall']:.3f} ({result['gold']} gold, {result['extracted']} extracted; "
            f"kind agrees on {result['kind_accuracy']:.0%} of matches); "
            f"label accuracy {result['label_accuracy']:.3f} (exact, over the matches)")
    _check(request, capsys, result, line, MIN_PRECISION, MIN_RECALL,
           MIN_BLIND_LABEL_ACCURACY if path == BLIND else MIN_LABEL_ACCURACY)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared corpus is not here ({CORPUS})")
def test_precision_and_recall_on_held_out_reports(request, capsys):
    result = measure(HELDOUT)
    line = (f"indicator extraction, held-out corpus reports: precision {result['precision']:.3f}, "
            f"recall {result['recall']:.3f} ({result['gold']} gold, {result['extracted']} extracted); "
            f"label accuracy {result['label_accuracy']:.3f} (exact, over the matches)")
    _check(request, capsys, result, line, MIN_HELDOUT, MIN_HELDOUT)


def _corpus_line(name: str, result: dict) -> str:
    return (f"indicator extraction, {name}: precision {result['precision']:.3f}, "
            f"recall {result['recall']:.3f} ({result['gold']} gold, {result['extracted']} extracted); "
            f"label accuracy {result['label_accuracy']:.3f} (exact, over the matches)")


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared corpus is not here ({CORPUS})")
def test_precision_recall_and_labels_on_the_second_blind_set(request, capsys):
    result = measure(BLIND2)
    line = _corpus_line("second blind set (corpus)", result)
    # measured blind, before any change was made with this set in view: precision 0.932, recall 0.860,
    # label accuracy 0.732 (issue 13's target, 0.9, was not met).  The label rules were then revised
    # with this set's misses in view (general classes only: trimmed verbs and adverbs, carried subjects,
    # compound units, set-delimiting counts ...): precision 0.993, recall 0.979, label accuracy 0.936
    # after that change (2026-12-03, branch wt-labels2), which are NO LONGER BLIND figures: only a new
    # set labelled without seeing the extractor can measure the labels blind again.  The floors, just
    # below them, guard against regressions.
    _check(request, capsys, result, line, 0.98, 0.97, 0.93)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared corpus is not here ({CORPUS})")
def test_precision_recall_and_labels_on_the_third_blind_set(request, capsys):
    result = measure(BLIND3)
    line = _corpus_line("third blind set (corpus)", result)
    # measured blind on 2026-12-03, with the rules revised on the second set: precision 0.949, recall
    # 0.925, label accuracy 0.640 -- issue 13's 0.9 is not met.  Many misses are of a kind (a leading
    # 全国, a verb left before the thing: 拟安排, 识别; a subject one clause away: 投资), others are
    # choices either way (全国社会总产值 / 社会总产值).  The floors guard against regressions.
    _check(request, capsys, result, line, 0.9, 0.9, 0.6)
