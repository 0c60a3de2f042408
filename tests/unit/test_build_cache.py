"""build.cache and build.parts: the index's records of report files and rendered reports."""

import pickle

from builder.build.cache import StoredMeta
from builder.build.parts import StoredReport

META = {"title": "2020年政府工作报告", "year": 2020, "delivered": None, "review": "",
        "evidence": {"year": {"value": "2020", "source": "heading"}}, "preamble": ["各位代表："],
        "cleaning_log": []}


def stored(meta=META):
    return StoredMeta(StoredMeta.head_of(meta), pickle.dumps(meta))


def test_stored_meta_gives_plain_values_without_reading_the_whole():
    meta = stored()
    assert meta["title"] == "2020年政府工作报告" and meta.get("year") == 2020 and meta.get("delivered") is None
    assert meta.get("missing", "x") == "x" and "review" in meta and "missing" not in meta
    assert meta._whole is None  # nothing nested was asked for


def test_stored_meta_reads_nested_values_and_the_whole_as_parsed():
    meta = stored()
    assert meta["evidence"] == META["evidence"] and meta.get("preamble") == ["各位代表："]
    assert dict(meta) == META and list(meta) == list(META) and len(meta) == len(META)
    assert meta == META and meta.whole() == META


def test_stored_meta_pickles_without_its_whole_and_keeps_its_marks():
    meta = stored()
    meta.whole()
    again = pickle.loads(pickle.dumps(meta))
    assert again._whole is None and again["cleaning_log"] == [] and again == META


def test_stored_report_keeps_its_summary_pickled_and_round_trips():
    summary = {"page": "p", "counts": (("actual", 3),)}  # (any picklable summary)
    entry = StoredReport(key="k", pages=(("reports/a.html", "d"),), summary_data=pickle.dumps(summary),
                         digests=(("entry", "e"),), file="a-k.parts", sections=(("page", 0, 3),),
                         url="reports/a.html", slug="a", site_digest="s")
    again = pickle.loads(pickle.dumps(entry))
    assert again == entry and again.summary == summary and again.summary is not entry.summary
