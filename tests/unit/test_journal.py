"""build.journal: a record saved as a base plus a journal of changes loads back as it was saved."""

import os
import pickle

from builder.build import journal
from builder.build.journal import JournaledFile


def fresh(path):
    return JournaledFile(path, ("reports", "files"))


def valid(data):
    return data.get("version") == 1


def test_saves_append_only_the_changes_and_load_back_the_record(tmp_path):
    path = tmp_path / "index.pickle"
    store = fresh(path)
    data = {"version": 1, "reports": {f"r{i}": ("entry", i) for i in range(200)}, "files": {"a": 1}, "glossary": "g"}
    store.save(data)
    base = path.stat().st_size
    assert not store.journal.exists()
    store = fresh(path)
    loaded = store.load(valid)
    loaded["reports"]["r5"] = ("entry", "edited")
    loaded["reports"]["new"] = ("entry", "new")
    del loaded["reports"]["r7"]
    loaded["files"] = {"b": 2}
    loaded["glossary"] = "h"
    store.save(loaded)
    assert path.stat().st_size == base  # the base was not written again
    assert 0 < store.journal.stat().st_size < base / 10
    again = fresh(path).load(valid)
    assert again == loaded
    assert again["reports"]["r5"] == ("entry", "edited") and "r7" not in again["reports"]
    assert again["files"] == {"b": 2} and again["glossary"] == "h"


def test_a_save_of_nothing_changed_writes_nothing(tmp_path):
    path = tmp_path / "index.pickle"
    fresh(path).save({"version": 1, "reports": {"a": (1,)}, "files": {}})
    store = fresh(path)
    data = store.load(valid)
    stamp = path.stat().st_mtime_ns
    store.save(data)
    assert not store.journal.exists() and path.stat().st_mtime_ns == stamp


def test_a_large_journal_is_folded_into_a_new_base(tmp_path, monkeypatch):
    monkeypatch.setattr(journal, "MIN_JOURNAL", 0)
    path = tmp_path / "index.pickle"
    store = fresh(path)
    data = {"version": 1, "reports": {f"r{i}": ("x" * 100, i) for i in range(100)}, "files": {}}
    store.save(data)
    for round_ in range(30):
        data["reports"][f"r{round_}"] = ("y" * 100, round_)
        store.save(data)
    assert (store.journal.stat().st_size if store.journal.exists() else 0) <= path.stat().st_size
    assert fresh(path).load(valid) == data


def test_a_damaged_journal_tail_is_ignored_and_the_next_save_writes_a_base(tmp_path):
    path = tmp_path / "index.pickle"
    store = fresh(path)
    data = {"version": 1, "reports": {"a": (1,), **{f"b{i}": (2,) for i in range(9)}}, "files": {}}
    store.save(data)
    data["reports"]["a"] = (3,)
    store.save(data)
    with open(store.journal, "ab") as handle:
        handle.write(pickle.dumps({"x": 1})[:5])  # an interrupted append
    store = fresh(path)
    loaded = store.load(valid)
    assert loaded["reports"] == {"a": (3,), **{f"b{i}": (2,) for i in range(9)}}
    store.save(loaded)
    assert not store.journal.exists()
    assert fresh(path).load(valid) == loaded


def test_a_journal_of_another_base_is_not_applied(tmp_path):
    path = tmp_path / "index.pickle"
    store = fresh(path)
    data = {"version": 1, "reports": {"a": (1,), **{f"b{i}": (2,) for i in range(9)}}, "files": {}}
    store.save(data)
    data["reports"]["a"] = (2,)
    store.save(data)
    journal_bytes = store.journal.read_bytes()
    fresh(path).save({"version": 1, "reports": {"a": (9,)}, "files": {}})  # no snapshot: a new base
    store.journal.write_bytes(journal_bytes)  # left behind by an interrupted compaction
    assert fresh(path).load(valid)["reports"] == {"a": (9,)}


def test_an_invalid_or_missing_record_loads_as_none(tmp_path):
    path = tmp_path / "index.pickle"
    assert fresh(path).load(valid) is None
    fresh(path).save({"version": 2, "reports": {}, "files": {}})
    assert fresh(path).load(valid) is None
    path.write_bytes(b"garbage")
    assert fresh(path).load(valid) is None
    assert os.path.exists(path)


def test_a_save_that_changes_most_entries_writes_a_new_base(tmp_path):
    path = tmp_path / "index.pickle"
    store = fresh(path)
    data = {"version": 1, "reports": {f"r{i}": (i,) for i in range(40)}, "files": {}}
    store.save(data)
    data["reports"] = {f"r{i}": (i, "again") for i in range(40)}  # every report rendered again
    store.save(data)
    assert not store.journal.exists()
    assert fresh(path).load(valid) == data
