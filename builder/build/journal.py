"""A pickled record kept as a base file plus an append-only journal of what changed since.

The build cache's render index (``build.cache``) is a dict with two large tables, one entry per
report (``reports``, ``files``), and a few small values.  Written whole after every build it cost
0.05 s at N=1000 (0.5 s at N=10,000) to record an edit of one report.  :class:`JournaledFile`
writes the whole record (the *base*) only now and then; in between, a save appends to the
journal only the table entries that are new or gone and the small values that changed since the
last save, by identity for table entries (an entry is replaced, never changed in place) and by
equality for the rest.  Loading reads the base and applies the journal in order.

Each base has an id, and every journal record names the base it follows, so a journal left
behind by an interrupted compaction is ignored.  A damaged tail (a save interrupted mid-append)
ends what is applied, and the next save writes a new base: a stale entry only costs speed
(the cache checks each entry's key and digests before using it).  Nothing is fsynced: the cache
can always be made again.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

PICKLE = pickle.HIGHEST_PROTOCOL
BASE_ID = "journal-base"
#: The journal is folded into a new base once it is this large a share of the base (or larger than
#: :data:`MIN_JOURNAL` bytes, for a small base): loading stays one read of the base, mostly.
JOURNAL_SHARE = 4
MIN_JOURNAL = 256 * 1024


class JournaledFile:
    """A dict saved as ``path`` (the base) and ``path`` + ``.journal``; ``tables`` are the keys
    whose values are dicts saved entry by entry."""

    def __init__(self, path: Path, tables: Collection[str]):
        self.path = path
        self.journal = path.with_name(path.name + ".journal")
        self.tables = tuple(tables)
        self._saved: dict[str, Any] | None = None
        """A shallow copy of the record as last loaded or saved (each table copied one level)."""
        self._base_size = 0

    def load(self, valid: Callable[[dict[str, Any]], bool]) -> dict[str, Any] | None:
        """The record, or None when there is none or it is not ``valid`` (then the next save
        writes a new base)."""
        enabled = gc.isenabled()
        gc.disable()  # no collection walks the many objects being loaded (they hold no cycles)
        try:
            with open(self.path, "rb") as handle:
                data = pickle.load(handle)
                self._base_size = handle.tell()
            if not isinstance(data, dict) or not valid(data):
                return None
            complete = self._apply_journal(data)
        except Exception:  # noqa: BLE001 - a missing, old or damaged file only costs speed
            return None
        finally:
            if enabled:
                gc.enable()
        self._saved = self._snapshot(data) if complete else None
        return data

    def _apply_journal(self, data: dict[str, Any]) -> bool:
        """Apply the journal's records that follow ``data``'s base; False when its tail is damaged
        or belongs to another base (the next save then writes a new base)."""
        try:
            handle = open(self.journal, "rb")  # noqa: SIM115 - closed below
        except OSError:
            return True
        with handle:
            while True:
                try:
                    record = pickle.load(handle)
                except EOFError:
                    return True
                except Exception:  # noqa: BLE001 - a save interrupted mid-append
                    return False
                if not isinstance(record, dict) or record.get(BASE_ID) != data.get(BASE_ID):
                    return False
                self._apply(data, record)

    def _apply(self, data: dict[str, Any], record: dict[str, Any]) -> None:
        for name in self.tables:
            table = data.setdefault(name, {})
            table.update(record.get(name, {}))
            for key in record.get(name + "-", ()):
                table.pop(key, None)
        data.update(record.get("values", {}))
        for key in record.get("values-", ()):
            data.pop(key, None)

    def _snapshot(self, data: dict[str, Any]) -> dict[str, Any]:
        return {key: dict(value) if key in self.tables else value for key, value in data.items()}

    def save(self, data: dict[str, Any]) -> None:
        """Save ``data``: append what changed since the last load or save to the journal, or
        write a new base when there is none yet, the journal has grown large or is damaged, or
        a large share of the entries changed (a full build)."""
        record = self._changes(data) if self._saved is not None else None
        size = _size(self.journal)
        if record is None or size > max(self._base_size // JOURNAL_SHARE, MIN_JOURNAL) \
                or sum(len(record[name]) for name in self.tables) * JOURNAL_SHARE \
                > max(sum(len(data.get(name, {})) for name in self.tables), 1):
            self._write_base(data)
        elif any(record.values()):
            record[BASE_ID] = data[BASE_ID]
            with open(self.journal, "ab") as handle:
                pickle.dump(record, handle, protocol=PICKLE)
        self._saved = self._snapshot(data)

    def _changes(self, data: dict[str, Any]) -> dict[str, Any] | None:
        """What changed since the last save (None: no base to follow)."""
        saved = self._saved
        assert saved is not None
        if BASE_ID not in data or saved.get(BASE_ID) != data[BASE_ID]:
            return None
        record: dict[str, Any] = {}
        for name in self.tables:
            old, new = saved.get(name, {}), data.get(name, {})
            record[name] = {key: value for key, value in new.items() if old.get(key) is not value}
            record[name + "-"] = [key for key in old if key not in new]
        values = {key: value for key, value in data.items() if key not in self.tables}
        record["values"] = {key: value for key, value in values.items()
                            if key not in saved or saved[key] is not value and saved[key] != value}
        record["values-"] = [key for key in saved if key not in self.tables and key not in values]
        return record

    def _write_base(self, data: dict[str, Any]) -> None:
        data[BASE_ID] = os.urandom(8).hex()
        tmp = self.path.with_name(self.path.name + ".tmp")
        with open(tmp, "wb") as handle:
            pickle.dump(data, handle, protocol=PICKLE)
            self._base_size = handle.tell()
        os.replace(tmp, self.path)
        with contextlib.suppress(OSError):
            os.unlink(self.journal)


def _size(path: Path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0
