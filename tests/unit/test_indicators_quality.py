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

from dataclasses import dataclass
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
#: The held-out set (reports the extractor was not developed on) guards against regressions.
MIN_HELDOUT = 0.85
MIN_PRECISION = 0.9
MIN_RECALL = 0.85
#: Label accuracy (exact) over the matched figures.  Issue 13 asks for 0.9 on the blind set;
#: measured 2026-12-03: gold 0.873, blind 0.856 (its labels as the blind labeller wrote them),
#: held-out 0.875; after the labels were revised to the corpus sets' written convention: gold 0.853
#: (two of its labels keep 发放, which the convention drops), blind 0.856, held-out 0.889.  These
#: floors guard against regressions; they are not the target.  The blind set's floor is 0.84 since
#: 打造 stays before the things it counts (打造银发综合体), as the corpus sets' convention has it from
#: set 9 on: the blind set's labeller had dropped it (千亿级先进制造业集群): 0.845.
MIN_LABEL_ACCURACY = 0.85
MIN_BLIND_LABEL_ACCURACY = 0.84
#: The held-out set labels Hailar 2016's 办理人大代表建议68件…，办结率100% as “办理人大代表建议” and “办结率”;
#: sets 19 and 24, labelled later from the written convention, drop 办理 and name whose rate it is (人大代表
#: 建议和政协委员提案办结率), as the extractor now does: 0.847.
MIN_HELDOUT_LABEL_ACCURACY = 0.84


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
    _check(request, capsys, result, line, MIN_HELDOUT, MIN_HELDOUT, MIN_HELDOUT_LABEL_ACCURACY)


def _corpus_line(name: str, result: dict) -> str:
    return (f"indicator extraction, {name}: precision {result['precision']:.3f}, "
            f"recall {result['recall']:.3f} ({result['gold']} gold, {result['extracted']} extracted); "
            f"label accuracy {result['label_accuracy']:.3f} (exact, over the matches)")


@dataclass(frozen=True)
class CorpusSet:
    """A hand-labelled set of corpus paragraphs, the floors that guard it and what its figures mean."""

    name: str
    file: str
    precision: float
    recall: float
    labels: float
    history: str


#: Every corpus set, labelled by helper sessions that never read the extractor, its tests or its output
#: (each file's header says what its labeller did not read, and the decisions it made).  A set is
#: *blind* only until the rules are changed with its misses in view: its history says when it was
#: measured blind and what it measured.  The floors sit just below today's figures and guard against
#: regressions; they are not issue 13's target (0.9 exact on a blind set), which no set meets.
CORPUS_SETS = (
    CorpusSet("second blind set (corpus)", "indicators_blind2.yaml", 0.98, 0.97, 0.94,
              "blind 2026-12-03 (first labels round): P 0.932, R 0.860, labels 0.732; no longer blind"),
    CorpusSet("third blind set (corpus)", "indicators_blind3.yaml", 0.96, 0.95, 0.87,
              "blind 2026-12-03 (second round): P 0.949, R 0.925, labels 0.640; no longer blind"),
    CorpusSet("fourth blind set (corpus)", "indicators_blind4.yaml", 0.95, 0.9, 0.77,
              "blind at 31402d6: P 0.965, R 0.822, labels 0.687; no longer blind"),
    CorpusSet("fourth set, second labeller", "indicators_agree4.yaml", 0.95, 0.9, 0.78,
              "the paragraphs of set 4 labelled again by another helper, blind to set 4's labels"),
    CorpusSet("fifth blind set (corpus)", "indicators_blind5.yaml", 0.9, 0.85, 0.8,
              "blind at 31402d6: P 0.925, R 0.557 (figures in Chinese numerals were not read), labels 0.714; "
              "no longer blind"),
    CorpusSet("sixth blind set (corpus)", "indicators_blind6.yaml", 0.87, 0.81, 0.78,
              "blind at 02cbc34: P 0.888, R 0.829, labels 0.690; no longer blind"),
    CorpusSet("seventh blind set (corpus)", "indicators_blind7.yaml", 0.93, 0.9, 0.91,
              "blind at 02cbc34: P 0.948, R 0.920, labels 0.826; no longer blind"),
    CorpusSet("eighth blind set (corpus)", "indicators_blind8.yaml", 0.96, 0.88, 0.86,
              "blind at 02cbc34: P 0.967, R 0.898, labels 0.727; no longer blind"),
    CorpusSet("ninth blind set (corpus)", "indicators_blind9.yaml", 0.97, 0.9, 0.76,
              "blind at 1079ff2: P 0.989, R 0.917, labels 0.739; no longer blind"),
    CorpusSet("tenth blind set (corpus)", "indicators_blind10.yaml", 0.95, 0.87, 0.72,
              "blind at 1079ff2: P 0.969, R 0.894, labels 0.677; no longer blind"),
    CorpusSet("eleventh blind set (corpus)", "indicators_blind11.yaml", 0.94, 0.89, 0.72,
              "blind at 1079ff2: P 0.962, R 0.909, labels 0.710; no longer blind"),
    CorpusSet("twelfth blind set (corpus)", "indicators_blind12.yaml", 0.99, 0.95, 0.85,
              "blind at 5cf21de: P 0.979, R 0.870, labels 0.702; no longer blind"),
    CorpusSet("thirteenth blind set (corpus)", "indicators_blind13.yaml", 0.98, 0.86, 0.87,
              "blind at 5cf21de: P 0.943, R 0.838, labels 0.771; no longer blind"),
    CorpusSet("fourteenth blind set (corpus)", "indicators_blind14.yaml", 0.94, 0.85, 0.7,
              "blind at 5cf21de: P 0.932, R 0.845, labels 0.659; no longer blind"),
    CorpusSet("fifteenth blind set (corpus)", "indicators_blind15.yaml", 0.98, 0.95, 0.83,
              "blind at 3c8d781: P 0.988, R 0.856 (33,212 was not read), labels 0.687; the label rules of "
              "sets 12-14, blind to it: labels 0.739; recall no longer blind; labels no longer blind"),
    CorpusSet("sixteenth blind set (corpus)", "indicators_blind16.yaml", 0.97, 0.94, 0.73,
              "blind at 3c8d781: P 0.964, R 0.540 (33,212 and the 1998 page's spaced digits were not read), "
              "labels 0.463; the label rules of sets 12-14, blind to it: labels 0.628; recall no longer blind; "
              "labels no longer blind"),
    CorpusSet("seventeenth blind set (corpus)", "indicators_blind17.yaml", 0.84, 0.74, 0.6,
              "blind at 027644b: P 0.805, R 0.714 (19·5% was not read), labels 0.457; the label rules of "
              "sets 15-16, blind to it: labels 0.479; labels no longer blind"),
    CorpusSet("eighteenth blind set (corpus)", "indicators_blind18.yaml", 0.96, 0.95, 0.77,
              "blind at 027644b: P 0.969, R 0.959, labels 0.656; the label rules of sets 15-16, blind to it: "
              "labels 0.667; labels no longer blind"),
    CorpusSet("nineteenth blind set (corpus)", "indicators_blind19.yaml", 0.96, 0.9, 0.88,
              "blind at ff72b4a: P 0.977, R 0.913, labels 0.810, and the same with the label rules of sets "
              "17-18; 35 of its 92 rows are figures of paragraphs the held-out set had labelled (the "
              "extractor had seen them; the two labellings agree on 28 of their 35 labels); no longer blind"),
    CorpusSet("twentieth blind set (corpus)", "indicators_blind20.yaml", 0.94, 0.75, 0.62,
              "blind at ff72b4a: P 0.957, R 0.776, labels 0.485, and the same with the label rules of sets "
              "17-18; no longer blind"),
    CorpusSet("twenty-first blind set (corpus)", "indicators_blind21.yaml", 0.92, 0.9, 0.71,
              "paragraphs no earlier set labelled; blind at ff72b4a, 6735784 and 337c233: P 0.934, R 0.925, "
              "labels 0.697; with the rules made after 337c233 before it was looked at: labels 0.707; "
              "no longer blind"),
    CorpusSet("twenty-second set, second labeller", "indicators_agree22.yaml", 0.93, 0.95, 0.74,
              "the paragraphs of set 22 labelled again by another helper, blind to set 22's labels and to "
              "the extractor (it saw one commit subject naming some label rules); labels 0.762 at d5037a8"),
    CorpusSet("twenty-second blind set (corpus)", "indicators_blind22.yaml", 0.94, 0.95, 0.72,
              "paragraphs no earlier set labelled; blind at ff72b4a, 6735784 and 337c233: P 0.955, R 0.972, "
              "labels 0.708, and the same with the rules made after 337c233 before it was looked at; "
              "no longer blind"),
    CorpusSet("twenty-third blind set (corpus)", "indicators_blind23.yaml", 0.95, 0.94, 0.74,
              "paragraphs no earlier set labelled; blind at ff72b4a: P 0.964, R 0.955, labels 0.726; at "
              "9f94afb and 0ed2394: labels 0.764; no longer blind"),
    CorpusSet("twenty-fourth blind set (corpus)", "indicators_blind24.yaml", 0.95, 0.89, 0.59,
              "paragraphs no earlier set labelled; blind at ff72b4a, 9f94afb and 0ed2394: P 0.968, R 0.909, "
              "labels 0.611; no longer blind"),
    CorpusSet("twenty-fifth blind set (corpus)", "indicators_blind25.yaml", 0.95, 0.91, 0.62,
              "paragraphs no earlier set labelled; blind at ff72b4a: P 0.957, R 0.918, labels 0.625; at "
              "17cf216 and 3c4a91a: P 0.958, R 0.926, labels 0.637; no longer blind"),
    CorpusSet("twenty-sixth blind set (corpus)", "indicators_blind26.yaml", 0.98, 0.95, 0.58,
              "paragraphs no earlier set labelled; blind at ff72b4a: P 0.991, R 0.956, labels 0.550; at "
              "17cf216: labels 0.560; at 3c4a91a: labels 0.596; no longer blind"),
    CorpusSet("twenty-seventh blind set (corpus)", "indicators_blind27.yaml", 0.93, 0.93, 0.66,
              "paragraphs no earlier set labelled; blind at ff72b4a: P 0.943, R 0.943, labels 0.626; at "
              "3c4a91a, d46a424 and after: labels 0.677; still blind"),
    CorpusSet("twenty-eighth blind set (corpus)", "indicators_blind28.yaml", 0.94, 0.9, 0.58,
              "paragraphs no earlier set labelled; blind at ff72b4a: P 0.948, R 0.910, labels 0.538; at "
              "3c4a91a: labels 0.571; at d46a424 and 2d34a23: labels 0.593; at 0212f85: 0.604 (its rule was on the "
              "last session's list of known faults, and one of this set's rows had been seen in a diff)"),
)


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the shared corpus is not here ({CORPUS})")
@pytest.mark.parametrize("corpus_set", CORPUS_SETS, ids=lambda c: c.file.removesuffix(".yaml"))
def test_precision_recall_and_labels_on_corpus_sets(request, capsys, corpus_set: CorpusSet):
    result = measure(ROOT / "tests" / "fixtures" / corpus_set.file)
    line = _corpus_line(corpus_set.name, result) + f" [{corpus_set.history}]"
    _check(request, capsys, result, line, corpus_set.precision, corpus_set.recall, corpus_set.labels)


def _key(row: list) -> tuple[str, str]:
    anchor, _label, value, change, _kind = row
    return anchor, str(value) if value is not None else f"change {float(change)}"


def agreement(first: Path, second: Path) -> tuple[int, int]:
    """How many rows two labellings of the same paragraphs share (same anchor and figure), and on how
    many of them the labels are the same."""
    a, b = _gold(first), _gold(second)
    shared = same = 0
    for slug, entry in a.items():
        theirs = [list(r) for r in b.get(slug, {}).get("indicators", [])]
        used: set[int] = set()
        for row in entry["indicators"]:
            hit = next((n for n, r in enumerate(theirs) if n not in used and _key(r) == _key(list(row))), None)
            if hit is not None:
                used.add(hit)
                shared += 1
                same += _same_label(row[1], theirs[hit][1])
    return shared, same


@pytest.mark.parametrize("number", ["4", "22"])
def test_two_labellers_of_the_same_paragraphs_agree(request, capsys, number: str):
    """The measuring instrument: two helpers labelled set 4's paragraphs (older and modern State
    Council and local reports), and set 22's (2026 provincial and Hailar reports), each blind to the
    other and to the extractor, from the written convention.  Their agreement is the most an
    exact-match label measure can expect; below 0.9 the convention would be too loose to measure
    issue 13's target."""
    fixtures = ROOT / "tests" / "fixtures"
    first, second = fixtures / f"indicators_blind{number}.yaml", fixtures / f"indicators_agree{number}.yaml"
    shared, same = agreement(first, second)
    rows = len([r for e in _gold(first).values() for r in e["indicators"]])
    line = (f"two labellers of set {number}: {shared} of {rows} rows shared, labels agree on {same} "
            f"({same / shared:.3f})")
    _summary(request, line)
    with capsys.disabled():
        print("\n" + line)
    assert shared / rows >= 0.9 and same / shared >= 0.9, line
