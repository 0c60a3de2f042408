"""The NPC sessions table (builder/data/npc_sessions.tsv) and session mentions in text."""

from __future__ import annotations

import datetime as dt

import pytest

from builder.text.sessions import find_sessions, npc_session, npc_sessions


def test_table_is_complete_and_ordered() -> None:
    table = npc_sessions()
    keys = sorted(table)
    assert keys[0] == (1, 1) and keys[-1] == (14, 4)
    # every congress from the 1st to the 14th, its sessions numbered 1, 2, … without a gap
    for term in range(1, 15):
        sittings = [s for t, s in keys if t == term]
        assert sittings == list(range(1, len(sittings) + 1)), term
    previous_close = dt.date(1954, 1, 1)
    for key in keys:
        session = table[key]
        opened, closed = dt.date.fromisoformat(session.opened), dt.date.fromisoformat(session.closed)
        assert previous_close < opened <= closed, key
        assert (closed - opened).days <= 25, key
        previous_close = closed


@pytest.mark.parametrize("term, sitting, year, opened", [
    (1, 1, 1954, "1954-09-15"),
    (1, 2, 1955, "1955-07-05"),
    (2, 4, 1963, "1963-11-17"),
    (3, 1, 1964, "1964-12-21"),  # met into January 1965: the year it opened
    (4, 1, 1975, "1975-01-13"),
    (5, 1, 1978, "1978-02-26"),
    (5, 2, 1979, "1979-06-18"),
    (5, 3, 1980, "1980-08-30"),
    (5, 4, 1981, "1981-11-30"),  # late in the year: the report is of 1981, not 1982
    (5, 5, 1982, "1982-11-26"),
    (6, 5, 1987, "1987-03-25"),
    (7, 5, 1992, "1992-03-20"),
    (8, 3, 1995, "1995-03-05"),
    (8, 5, 1997, "1997-03-01"),
    (9, 1, 1998, "1998-03-05"),
    (10, 1, 2003, "2003-03-05"),
    (11, 4, 2011, "2011-03-05"),
    (13, 3, 2020, "2020-05-22"),
    (14, 3, 2025, "2025-03-05"),
])
def test_known_sessions(term: int, sitting: int, year: int, opened: str) -> None:
    session = npc_session(term, sitting)
    assert session is not None and session.year == year and session.opened == opened


def test_a_congress_that_met_once_is_known_without_its_sitting() -> None:
    assert npc_session(4, None).year == 1975  # type: ignore[union-attr]
    assert npc_session(3, None).year == 1964  # type: ignore[union-attr]
    assert npc_session(5, None) is None


@pytest.mark.parametrize("text, place, term, sitting, year", [
    ("——2024年3月5日在第十四届全国人民代表大会第二次会议上", "全国", 14, 2, 2024),
    ("现在我代表国务院向第十届全国人民代表大会第一次会议报告", "全国", 10, 1, 2003),
    ("十三届全国人大二次会议5日上午开幕", "全国", 13, 2, 2019),
    ("在中华人民共和国第一届全国人民代表大会第一次会议上", "全国", 1, 1, 1954),
    ("向第四届全国人民代表大会作政府工作报告", "全国", 4, None, 1975),
    ("在呼伦贝尔市海拉尔区第十五届人民代表大会第三次会议上", "呼伦贝尔市海拉尔区", 15, 3, None),
    ("在甘肃省十四届人民代表大会第四次会议上", "甘肃省", 14, 4, None),
])
def test_find_sessions(text: str, place: str, term: int, sitting: int | None, year: int | None) -> None:
    [session] = find_sessions(text)
    assert (session.place, session.term, session.sitting) == (place, term, sitting)
    npc = session.npc()
    assert (npc.year if npc else None) == year


def test_standing_committee_sessions_have_no_npc_year() -> None:
    [session] = find_sessions("第十三届全国人大常委会第十次会议")
    assert session.standing_committee and session.npc() is None
