"""``json.dumps(obj, ensure_ascii=False, indent=n, sort_keys=...)``, the same text, faster.

With ``indent`` the standard library gives up its C encoder and walks the data with Python
generators, token by token; the site's data files (indicators.json grows by about 160 rows a
report) spent most of their time there.  This writes plain data (dict with str keys, list,
tuple, str, int, float, bool, None) with string encoding done in C, and hands anything else to
``json.dumps`` itself, so the output is always exactly the standard library's.  A list of flat
dicts (indicators.json's rows) goes through the C encoder after all (see :func:`_flat_rows`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import lru_cache
from json.encoder import encode_basestring
from typing import Any

_FLOAT_REPR = float.__repr__
_INT_REPR = int.__repr__


class _Unsupported(Exception):
    pass


def dumps(obj: object, *, indent: int = 2, sort_keys: bool = False) -> str:
    """Exactly ``json.dumps(obj, ensure_ascii=False, indent=indent, sort_keys=sort_keys)``."""
    if type(indent) is int and indent > 0:
        flat = _flat_rows(obj, indent, sort_keys)
        if flat is not None:
            return flat
    parts: list[str] = []
    try:
        _write(obj, parts, "\n", " " * indent, sort_keys)
    except (_Unsupported, RecursionError, TypeError):
        return json.dumps(obj, ensure_ascii=False, indent=indent, sort_keys=sort_keys)
    return "".join(parts)


def _scalar(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return _INT_REPR(value)
    if kind is float:
        if value != value or value in (float("inf"), float("-inf")):
            raise _Unsupported  # NaN/Infinity: let the standard library spell them
        return _FLOAT_REPR(value)
    raise _Unsupported


def _write(obj: Any, out: list[str], newline: str, step: str, sort_keys: bool) -> None:
    kind = type(obj)
    if kind is dict:
        if not obj:
            out.append("{}")
            return
        inner = newline + step
        items = obj.items()
        if sort_keys:
            items = sorted(items)
        first = True
        for key, value in items:
            if type(key) is not str:
                raise _Unsupported
            out.append("{" + inner if first else "," + inner)
            first = False
            out.append(encode_basestring(key))
            out.append(": ")
            _write(value, out, inner, step, sort_keys)
        out.append(newline + "}")
    elif kind is list or kind is tuple:
        if not obj:
            out.append("[]")
            return
        inner = newline + step
        first = True
        for value in obj:
            out.append("[" + inner if first else "," + inner)
            first = False
            _write(value, out, inner, step, sort_keys)
        out.append(newline + "]")
    else:
        out.append(_scalar(obj))


_FLAT_TYPES = frozenset((str, int, float, bool, type(None)))


def _flat_rows(obj: object, indent: int, sort_keys: bool) -> str | None:
    """``dumps`` of a list of flat dicts (scalar values), such as the rows of indicators.json,
    written by ``json``'s C encoder; None for anything else.

    The C encoder takes no ``indent``, but it takes an item separator, which may hold the newline
    and indentation of a row's items; a newline never stands inside an encoded string, so the
    only other places to indent, the rows' braces, are found by plain replacement.  (It spells
    non-str keys, sorts keys and writes numbers exactly as ``json.dumps`` does.)
    """
    if type(obj) is not list or not obj or not all(
            type(row) is dict and row and _FLAT_TYPES.issuperset(map(type, row.values())) for row in obj):
        return None
    outer, inner = "\n" + " " * indent, "\n" + " " * (2 * indent)
    text = _row_encoder(inner, sort_keys).encode(obj)
    # '[{"a": 1,\n    "b": 2},\n    {…}]' -> '[\n  {\n    "a": 1,\n    "b": 2\n  },\n  {…}\n]'
    text = text[2:-2].replace("}," + inner + "{", outer + "}," + outer + "{" + inner)
    return "[" + outer + "{" + inner + text + outer + "}\n]"


@lru_cache(maxsize=8)
def _row_encoder(item_separator: str, sort_keys: bool) -> json.JSONEncoder:
    return json.JSONEncoder(ensure_ascii=False, sort_keys=sort_keys, separators=("," + item_separator, ": "))


def array_items(items: list[Any], *, indent: int = 2, sort_keys: bool = False) -> bytes:
    """The items of ``dumps(items, indent=indent, sort_keys=sort_keys)`` as they stand between its
    brackets (UTF-8), b"" for none: a part of a JSON array that :func:`join_array` puts together
    with the other parts, so that a file of many reports' items is never dumped whole."""
    return dumps(items, indent=indent, sort_keys=sort_keys)[1:-2].encode("utf-8") if items else b""


def join_array(parts: Iterator[bytes]) -> Iterator[bytes]:
    """The JSON array (and a final newline) of the non-empty :func:`array_items` parts, piece by
    piece: ``b"[" + b",".join(parts) + b"\\n]\\n"``, or ``b"[]\\n"`` without parts."""
    first = next(parts, None)
    if first is None:
        yield b"[]\n"
        return
    yield b"["
    yield first
    for part in parts:
        yield b","
        yield part
    yield b"\n]\n"
