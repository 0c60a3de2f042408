"""Read fixture files of title / input / expected blocks (the markdown-it-py test format).

A file holds any number of cases::

    .
    title of the case
    .
    input lines
    .
    expected lines
    .

A line holding a single dot separates the parts; blank lines between cases are ignored.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple


class Case(NamedTuple):
    title: str
    input: str
    expected: str
    line: int


def read_fixtures(path: Path) -> list[Case]:
    lines = path.read_text(encoding="utf-8").splitlines()
    cases: list[Case] = []
    i = 0
    while i < len(lines):
        if lines[i] != ".":
            i += 1
            continue
        start = i + 1
        parts: list[list[str]] = [[], [], []]
        part = 0
        i += 1
        while i < len(lines) and part < 3:
            if lines[i] == ".":
                part += 1
            else:
                parts[part].append(lines[i])
            i += 1
        if part < 3:
            raise ValueError(f"{path}:{start}: unterminated fixture case")
        title, inp, expected = ("\n".join(p) for p in parts)
        cases.append(Case(title.strip(), inp, expected, start))
    return cases


def fixture_params(path: Path):
    """pytest.mark.parametrize arguments: one param per case, id = its title."""
    import pytest

    return [pytest.param(case, id=f"{path.stem}:{case.line}:{case.title}") for case in read_fixtures(path)]
