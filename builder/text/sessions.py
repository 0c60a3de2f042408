"""Sessions of people's congresses named in a text, and the years national sessions met.

``第十届全国人民代表大会第一次会议`` (also ``十届全国人大一次会议``) is the first session of
the 10th National People's Congress; ``builder/data/npc_sessions.tsv`` says when it met
(2003-03-05 to 2003-03-18).  Local congresses (``海拉尔区第十四届人民代表大会第六次会议``)
are found the same way, with the place written before them; their dates are not known.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from builder.text import places
from builder.text.numerals import NUMBER, cn_number


@dataclass(frozen=True)
class NpcSession:
    """One session of the National People's Congress, from the data table."""

    term: int
    """The congress: 10 for 第十届."""
    sitting: int
    """The session within it: 1 for 第一次会议."""
    opened: str
    """ISO date of the opening day."""
    closed: str
    """ISO date of the closing day."""

    @property
    def year(self) -> int:
        """The year the session met (the year it opened)."""
        return int(self.opened[:4])


@dataclass(frozen=True)
class SessionMention:
    """A congress session named in a text."""

    text: str
    """The words as matched, place included: 海拉尔区第十四届人民代表大会第六次会议."""
    place: str
    """The place written before it (海拉尔区, 呼伦贝尔市海拉尔区); 全国 for the NPC; "" when none."""
    term: int
    sitting: int | None
    """None when the text names the congress only (第四届全国人民代表大会)."""
    standing_committee: bool
    start: int
    end: int

    @property
    def national(self) -> bool:
        return self.place == places.NATIONAL

    def npc(self) -> NpcSession | None:
        """The national session it names, when the table knows it (a congress with a single
        session is known without its sitting number)."""
        if not self.national or self.standing_committee:
            return None
        return npc_session(self.term, self.sitting)


_SESSION_RE = re.compile(
    rf"(?P<prefix>[^，,。；：:、在向于（(“”\s]{{0,24}}?)第?(?P<term>{NUMBER})届"
    r"(?P<body>全国人民代表大会|全国人大|人民代表大会|人大)(?P<sc>常务委员会|常委会)?"
    rf"(?:第?(?P<sitting>{NUMBER})次(?:全体)?会议)?"
)


@lru_cache(maxsize=1)
def npc_sessions() -> dict[tuple[int, int], NpcSession]:
    """Every NPC session by (term, sitting), from ``data/npc_sessions.tsv``."""
    text = resources.files("builder").joinpath("data/npc_sessions.tsv").read_text(encoding="utf-8")
    table: dict[tuple[int, int], NpcSession] = {}
    for row in text.splitlines():
        if not row.strip() or row.startswith("#"):
            continue
        term, sitting, opened, closed = row.split("\t")
        session = NpcSession(int(term), int(sitting), opened, closed)
        table[(session.term, session.sitting)] = session
    return table


def npc_session(term: int, sitting: int | None) -> NpcSession | None:
    """The session of the ``term``-th NPC; without ``sitting``, only for a congress that met once."""
    table = npc_sessions()
    if sitting is not None:
        return table.get((term, sitting))
    sittings = [session for (t, _), session in table.items() if t == term]
    return sittings[0] if len(sittings) == 1 else None


def _trailing_place(prefix: str) -> str:
    """The run of place names that ends ``prefix``: 我代表国务院向 -> "", 呼伦贝尔市海拉尔区 -> itself."""
    parts = places.split_chain(prefix)
    kept: list[str] = []
    for part in reversed(parts):
        if not places.lookup(part):
            break
        kept.insert(0, part)
    return "".join(kept)


def find_sessions(text: str) -> list[SessionMention]:
    """Every congress session named in ``text`` (whitespace already removed), in order.

    A bare ``第五届人民代表大会`` without a sitting and without a place is not a mention:
    it is too vague to be one session."""
    found = []
    for match in _SESSION_RE.finditer(text):
        national = match.group("body").startswith("全国")
        prefix = match.group("prefix")
        place = places.NATIONAL if national else _trailing_place(prefix)
        sitting = cn_number(match.group("sitting")) if match.group("sitting") else None
        if not national and sitting is None and not place:
            continue
        start = match.end("prefix") - len(place) if not national else match.start("prefix") + len(prefix)
        if national and prefix.endswith("中华人民共和国"):
            start -= len("中华人民共和国")
        found.append(SessionMention(
            text=text[start: match.end()], place=place, term=cn_number(match.group("term")), sitting=sitting,
            standing_committee=bool(match.group("sc")), start=start, end=match.end(),
        ))
    return found


def first_session(text: str) -> SessionMention | None:
    sessions = find_sessions(text)
    return sessions[0] if sessions else None
