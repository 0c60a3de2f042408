"""Attribution as weighed evidence: what a document is, who issued it, where and when.

Every field (genre, kind, place, year, session, delivered, speaker; issuer and title follow
from them) is decided from *candidates*.  A candidate is a value with the source that gave
it and a strength:

* **strong** - the document's own opening says it: the dated delivery line (——2024年3月5日
  在…会议上), the session the report is delivered *to* (the session line, 向第十届全国人民
  代表大会第一次会议报告), the delegation sentence (我代表X / 我受X委托 / 根据X的决定 / X向…
  提出…议案), the speaker line, local laws (两部以上《X市…条例》), a resolution's adoption
  line (（…会议通过）), a news item's dateline (新华社北京3月5日电);
* **medium** - what the page or the scraper says about it: the heading above it, the
  scraper's metadata (CSV/JSON columns title, year, date, province, city, url);
* **weak** - clues in the body: the year under review plus one (刚刚过去的1984年, 一、2018年
  工作回顾), the year the plans are for, which level the text calls itself (全国, 全市), the
  places it names most.

The strongest value wins; among equals the heavier (more sources, more votes).  A session
merely *named* in a report (the 1998 report names the session of 1993 where its government
took office) is not a candidate; nor is a place named in the body (台湾, 对口支援新疆) unless
nothing better speaks.  When candidates of the winner's strength disagree and none of them
is strong, the document gets ``review`` with the reason.

``attribute`` is pure: lines (their simplified shadows) and metadata in, an ``Attribution``
out, its ``decisions`` holding every field's evidence.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from builder.core.model import (
    FIELD_LABELS,
    GENRE_EXPLANATION,
    GENRE_LABELS,
    GENRE_NEWS,
    GENRE_REPORT,
    GENRE_RESOLUTION,
    GENRE_SPEECH,
    GENRE_UNKNOWN,
    GOVERNMENT_WORK_REPORT,
    KIND_LABELS,
    MEDIUM,
    NPC_STANDING_COMMITTEE_REPORT,
    OTHER_REPORT,
    STRENGTH_LEVELS,
    STRONG,
    WEAK,
    Attribution,
    Decision,
    source_name,
)
from builder.ingest import lines as ln
from builder.text import places
from builder.text.numerals import arabic_years, ascii_digits, cn_number
from builder.text.sessions import SessionMention, find_sessions
from builder.text.shadow import shadow

FIELDS = ("genre", "kind", "issuer", "place", "year", "delivered", "session", "speaker", "title")


# --------------------------------------------------------------------------- candidates


@dataclass(frozen=True)
class Candidate:
    """One value a source proposes for a field."""

    field: str
    value: str
    source: str
    strength: str
    text: str = ""
    """The words it rests on."""
    weight: float = 1.0
    """Votes among candidates of the same strength (a law counts per law, a place per mention)."""


def decide(field_name: str, candidates: Iterable[Candidate]) -> tuple[Decision | None, str]:
    """(the decision for one field, why it needs review or "").

    A value's rank is its strongest candidate's strength, then the summed weight of its
    candidates at that strength; ties go to the value proposed first.  Another value of the
    same strength with at least half the winner's weight is a conflict: it needs review
    unless the winner is strong and the other is not (strong against strong is the text
    contradicting itself, and is reviewed too)."""
    relevant = [c for c in candidates if c.field == field_name and c.value]
    if not relevant:
        return None, ""
    by_value: dict[str, list[Candidate]] = defaultdict(list)
    for c in relevant:
        by_value[c.value].append(c)

    def rank(value: str) -> tuple[int, float]:
        top = max(STRENGTH_LEVELS[c.strength] for c in by_value[value])
        return top, sum(c.weight for c in by_value[value] if STRENGTH_LEVELS[c.strength] == top)

    order = list(by_value)
    winner = max(order, key=lambda v: (rank(v), -order.index(v)))
    best = max(by_value[winner], key=lambda c: (STRENGTH_LEVELS[c.strength], c.weight, -relevant.index(c)))
    top, weight = rank(winner)
    rivals = [v for v in order if v != winner and rank(v)[0] == top and rank(v)[1] >= weight / 2]
    against = tuple(f"{c.source} ({c.strength}): {c.value}" for c in relevant if c.value != winner)
    decision = Decision(field_name, winner, best.source, best.strength, best.text, against)
    review = ""
    if rivals:
        rival = max(by_value[rivals[0]], key=lambda c: (STRENGTH_LEVELS[c.strength], c.weight))
        review = (f"{FIELD_LABELS.get(field_name, field_name)}：{source_label(best)}为“{winner}”，"
                  f"{source_label(rival)}却为“{rival.value}”")
    return decision, review


def source_label(c: Candidate | Decision) -> str:
    """The Chinese name of the source that proposed ``c`` (``metadata:<column>`` names its column)."""
    return source_name(c.source)


# --------------------------------------------------------------------------- reading the document


@dataclass(frozen=True)
class Document:
    """The parts of one document that attribution reads (simplified shadows of the lines)."""

    head: tuple[str, ...]
    """Title and preamble lines (heading, subtitle, speaker), in page order."""
    body: tuple[str, ...]
    """Body lines, from the salutation or first line on."""
    heading: str = ""
    """The document's own heading in the text, as published (whitespace removed); "" if none."""
    metadata: Mapping[str, str] = field(default_factory=dict)
    """The scraper's metadata for this document (CSV/JSON columns, an HTML page's <title>)."""

    dropped: tuple[str, ...] = ()
    """Lines the cleaner dropped as chrome that still say what the document is (a news item's
    dateline on a line of its own)."""

    @property
    def metadata_title(self) -> str:
        """The metadata's title as published ("" when there is none)."""
        lowered = {key.strip().lower(): value.strip() for key, value in self.metadata.items() if value}
        return next((lowered[alias] for alias in _META_KEYS["title"] if lowered.get(alias)), "")


_META_KEYS: Mapping[str, tuple[str, ...]] = {
    "title": ("title", "标题", "题目", "名称", "headline", "name", "page_title"),
    "year": ("year", "年份", "年度", "年"),
    "date": ("date", "日期", "delivered", "delivery_date", "会议日期"),
    "published": ("publish_date", "pubdate", "published", "publish_time", "发布日期", "发布时间", "时间"),
    "province": ("province", "省份", "省", "省区市"),
    "city": ("city", "城市", "市", "地市", "prefecture"),
    "county": ("county", "district", "区县", "县", "县区"),
    "place": ("place", "region", "area", "地区", "地方", "location"),
    "url": ("url", "source_url", "link", "href", "网址", "链接"),
}


def normalized_metadata(metadata: Mapping[str, str]) -> dict[str, tuple[str, str]]:
    """Known metadata fields -> (column as named, value shadowed), whatever the scraper called them."""
    lowered = {key.strip().lower(): (key, value.strip()) for key, value in metadata.items() if value and value.strip()}
    out: dict[str, tuple[str, str]] = {}
    for name, aliases in _META_KEYS.items():
        for alias in aliases:
            if alias in lowered:
                column, value = lowered[alias]
                out[name] = (column, shadow(value) if name != "url" else value)
                break
    return out


_TITLE_SITE_SUFFIX_RE = re.compile(r"\s*(?:[_|｜]|\s[-—–]\s).*$")


def page_title(value: str) -> str:
    """A page's <title> without the site's name: 2019年政府工作报告_中国政府网 -> 2019年政府工作报告."""
    return ln.compact(_TITLE_SITE_SUFFIX_RE.sub("", value.strip())) or ln.compact(value)


# --------------------------------------------------------------------------- what a title says


_TITLE_TAIL_RE = re.compile(
    r"(?:[（(【\[](?:摘要|全文|节选|摘登|实录|文字实录|\d{4}年?|图解|双语)[）)】\]]|全文|摘要|实录)+$"
)
_NEWS_TITLE_RE = re.compile(
    r"开幕|闭幕|举行|召开|在京|审议|听取|热议|答记者问|记者会|聚焦|看点|解码|速览|一图|金句|新闻"
)
_STANDING_COMMITTEE_RE = re.compile(r"人大常委会|常务委员会|人大常务委员会")


def title_genre(title: str) -> str | None:
    """What a title names: 关于…的决议 -> resolution, …起草情况的说明 -> explanation, …的讲话 ->
    speech, …报告（摘要） -> report, 李强作政府工作报告 / …会议开幕 -> news; None when it does not say."""
    text = _TITLE_TAIL_RE.sub("", ln.title_part(ln.compact(title)))
    if not text:
        return None
    if re.search(r"(?:决议|决定)$", text):
        return GENRE_RESOLUTION
    if re.search(r"(?:说明|解读|诠释|问答)$", text):
        return GENRE_EXPLANATION
    if re.search(r"(?:讲话|致辞|发言|演讲|讲话稿)$", text):
        return GENRE_SPEECH
    if re.search(r"(?:报告|议案)$", text) and not ln.VERB_REPORT_RE.search(text):
        return GENRE_REPORT
    if _NEWS_TITLE_RE.search(text) or ln.VERB_REPORT_RE.search(text):
        return GENRE_NEWS
    return None


def title_kind(title: str) -> str | None:
    """The kind of report a report's title names."""
    if _STANDING_COMMITTEE_RE.search(title):
        return NPC_STANDING_COMMITTEE_REPORT
    if "政府工作报告" in title or "政府工作的报告" in title:
        return GOVERNMENT_WORK_REPORT
    return None


# --------------------------------------------------------------------------- the opening's facts

_DATELINE_RE = re.compile(
    r"^[（(]?(?P<agency>新华社|中新社|新华网|人民网|央视网|中国新闻网|中新网|央广网|国际在线|本报|本台|人民日报)"
    r"[^。，]{0,12}?(?P<date>\d{1,2}月\d{1,2}日)?(?:电|讯)"
)
_DATE_LINE_RE = re.compile(
    r"^[（(]?(?:\d{4}|[〇○Ｏ零一二三四五六七八九]{4})年(?:\d{1,2}|[一二三四五六七八九十]{1,3})月"
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})日[）)]?$"
)
_ON_BEHALF_RE = re.compile(r"受(?P<who>[^，,。；、\s]{2,20}?)(?:的)?委托|我代表(?P<us>[^，,。；、\s]{2,20}?)[，,]")
_REPORTER_RE = re.compile(r"^[（(]?(?:记者|本报记者|新华社记者)[^）)]{1,30}[）)]")
_RESOLUTION_WORDING_RE = re.compile(r"(?:决定)?批准(?:这个|该|政府工作|这一)?报告|会议(?:同意|充分肯定|号召)")
_RESOLUTION_OPENING_RE = re.compile(r"^.{0,40}?会议(?:听取|审议|审查)(?:和审议)?了?")
_EXPLANATION_WORDING_RE = re.compile(r"起草(?:情况|过程|工作)|作(?:简要|几点)?说明|说明如下")
_GOV_OFFICE_RE = re.compile(r"(?:省长|市长|区长|县长|州长|旗长|盟长|总理|人民政府主席)$")
_NPC_OFFICE_RE = re.compile(r"(?:委员长|常务委员会主任|常委会主任)$")
_LAW_RE = re.compile(r"《(?P<law>(?P<place>[\u4e00-\u9fff]{2,12}?(?:自治区|自治州|自治县|省|市|区|县))"
                     r"[^《》]{1,30}?(?:条例|办法|规定|决定))》")
_BODY_SUFFIXES = (
    ("人民代表大会常务委员会", "人大常委会"), ("人大常委会", "人大常委会"), ("常务委员会", "人大常委会"),
    ("常委会", "人大常委会"), ("中央人民政府", "中央人民政府"), ("人民政府", "人民政府"),
    ("政府", "人民政府"), ("国务院", "国务院"), ("政务院", "中央人民政府"),
)
_COURT_SUFFIXES = ("人民检察院", "中级人民法院", "高级人民法院", "人民法院", "检察院", "法院")
_GENERIC_PREFIXES = {"", "省", "市", "区", "县", "州", "旗", "盟", "自治区", "自治州", "自治县"}
_NATIONAL_BODIES = ("国务院", "中央人民政府")
_LEVEL_HINT = {"省长": "省", "市长": "市", "区长": "区", "县长": "县", "州长": "州", "旗长": "旗",
               "盟长": "盟", "人民政府主席": "自治区"}
_SELF_REFERENCE_RE = re.compile(r"全(国|省|市|县|区|州|旗|盟)")
_NATIONAL_WORDS_RE = re.compile(r"国务院|全国人民代表大会|全国人大|中央人民政府|全国各族人民|各部委|全国政协")

# Year clues (on text with ASCII years).  "年" is found first, its four digits looked at behind it.
_PLAN_YEAR_RE = re.compile(
    r"年(?<=(\d{4})年)(?:的)?(?:政府)?(?:工作)?(?:的)?(?:主要|重点)?(?:工作)?(?:任务|安排|打算|重点工作)(?!全面完成|圆满完成)"
)
#: (\d{4})年(?:国内)?(?:主要)?工作(?:的)?回顾|回顾(?:过去的)?(\d{4})年|(?<!刚)过去的(\d{4})年, written
#: so that each branch starts with a literal (年, 回, 过), which the regex engine skips to: the
#: first branch's match starts at its 年, the year before it is group ``year``.
_REVIEW_HEADING_RE = re.compile(
    r"年(?<=(?P<year>\d{4})年)(?:国内)?(?:主要)?工作(?:的)?回顾|回顾(?:过去的)?(\d{4})年|过去的(?<!刚过去的)(\d{4})年"
)
_YEAR_IS_RE = re.compile(r"年(?<=(\d{4})年)是")
_REVIEW_YEAR_RE = re.compile(
    r"(?:刚刚|刚)?过去的(\d{4})年|(\d{4})年(?:工作)?回顾|回顾(\d{4})年|(\d{4})年的(?:主要)?工作|(\d{4})年[，,]"
)
_JUST_PAST_RE = re.compile(r"(?:刚刚|刚|已经)过去的(\d{4})年")
_ANY_YEAR_RE = re.compile(r"(19[4-9]\d|20\d\d)年")


@dataclass
class _Opening:
    """What the opening lines say, found once."""

    delegation: str = ""
    verb: str = ""
    who: str = ""
    addressed: SessionMention | None = None
    session_lines: list[tuple[SessionMention, str, str]] = field(default_factory=list)
    """(session, the line's text, "session-line" | "heading")."""
    delivered: tuple[int, int, int] | None = None
    date_text: str = ""
    adopted: tuple[int, int, int] | None = None
    adopted_text: str = ""
    adopted_session: SessionMention | None = None
    acting_session: SessionMention | None = None
    dateline: str = ""
    agency: str = ""
    office: str = ""
    name: str = ""
    speaker_text: str = ""
    salutation: str = ""
    on_behalf: str = ""
    """Whom a document other than a report speaks for: 受国务院委托 -> 国务院."""
    on_behalf_text: str = ""
    opening_session: SessionMention | None = None
    """The first session named at the top of the body (what a news item or resolution is about)."""


def _date(match: re.Match[str]) -> tuple[int, int, int]:
    return cn_number(match.group("y")), cn_number(match.group("m")), cn_number(match.group("d"))


def read_opening(doc: Document) -> _Opening:
    """The delivery line, session lines, delegation sentence, speaker, adoption line, dateline."""
    facts = _Opening()
    head = [ascii_digits(ln.compact(text)) for text in doc.head]
    opening = [ascii_digits(ln.compact(text)) for text in doc.body[:8]]
    _read_delivery(facts, head)
    _read_session_lines(facts, head)
    _read_speaker(facts, doc.head)
    _read_adoption(facts, [*head, *opening[:3]])
    _read_dateline(facts, [*opening[:3], *(ascii_digits(ln.compact(t)) for t in doc.dropped)])
    if opening and (ln.SALUTATION_RE.match(opening[0]) or ln.SALUTATION_PREFIX_RE.match(opening[0])):
        facts.salutation = opening[0][:6]
    _read_delegation(facts, opening)
    _read_on_behalf(facts, opening[:3])
    named_first = find_sessions("".join(opening[:3]))
    facts.opening_session = named_first[0] if named_first else None
    _read_acting_session(facts, opening)
    return facts


def _read_delivery(facts: _Opening, head: Sequence[str]) -> None:
    """The date the report was delivered (``…日在…会议上``), else a speech's own dated line."""
    joined = "".join(head)  # a subtitle may be broken over two lines
    for match in ln.DATE_RE.finditer(joined):
        if joined[match.end(): match.end() + 1] == "在":
            facts.delivered, facts.date_text = _date(match), match.group(0)
            return
    for text in head:  # a speech's or a statement's own date: （2018年3月20日）
        dated = _DATE_LINE_RE.match(text)
        if dated:
            day = ln.DATE_RE.search(dated.group(0))
            if day:
                facts.delivered, facts.date_text = _date(day), text
            return


def _read_session_lines(facts: _Opening, head: Sequence[str]) -> None:
    """Every session the head names, with the lines it spans and whether they are a subtitle."""
    joined = "".join(head)
    ends = [sum(len(text) for text in head[: k + 1]) for k in range(len(head))]
    for session in find_sessions(joined):
        first = next(k for k, end in enumerate(ends) if end > session.start)
        last = next(k for k, end in enumerate(ends) if end >= session.end)
        spanned = head[first: last + 1]
        source = "session-line" if any(ln.is_subtitle(text) for text in spanned) else "heading"
        facts.session_lines.append((session, "".join(spanned), source))


def _read_speaker(facts: _Opening, head: Sequence[str]) -> None:
    for text in head:
        found = ln.speaker(text)
        if found:
            facts.office, facts.name = found
            facts.speaker_text = ln.compact(text)
            return


def _read_adoption(facts: _Opening, lines: Sequence[str]) -> None:
    """A resolution's adoption line: （2019年3月15日第十三届全国人民代表大会第二次会议通过）."""
    for text in lines:
        adopted = ln.ADOPTED_RE.match(text)
        if adopted and facts.adopted is None:
            date = ln.DATE_RE.search(adopted.group("date"))
            if date:
                facts.adopted, facts.adopted_text = _date(date), text
                sessions = find_sessions(adopted.group("by"))
                facts.adopted_session = sessions[0] if sessions else None


def _read_dateline(facts: _Opening, lines: Iterable[str]) -> None:
    """A news item's dateline (新华社北京3月5日电) or reporter line."""
    for text in lines:
        dateline = _DATELINE_RE.match(text) or _REPORTER_RE.match(text)
        if dateline:
            facts.dateline = dateline.group(0)
            facts.agency = dateline.groupdict().get("agency") or ""
            return


def _read_delegation(facts: _Opening, opening: Sequence[str]) -> None:
    """The delegation sentence (我代表X / 我受X委托 / 根据X的决定) and the session it addresses."""
    for text in opening:
        said = ln.delegation(text, opening=True)
        if said:
            facts.delegation, facts.verb, facts.who = said.group(0), said.group("verb"), said.group("who")
            if said.groupdict().get("to") is not None:
                addressed = find_sessions(said.group(0)[said.start("to") - said.start():])
                facts.addressed = next((s for s in addressed if s.sitting is not None or s.npc()), None)
            return


def _read_on_behalf(facts: _Opening, lines: Sequence[str]) -> None:
    for text in lines:
        behalf = _ON_BEHALF_RE.search(text)
        if behalf:
            facts.on_behalf, facts.on_behalf_text = behalf.group("who") or behalf.group("us"), behalf.group(0)
            return


def _read_acting_session(facts: _Opening, opening: Sequence[str]) -> None:
    """The session a resolution's first sentence says acted (…会议听取和审议了…)."""
    if not opening:
        return
    first_line = opening[0] if not facts.salutation or len(opening) < 2 else opening[1]
    acting = _RESOLUTION_OPENING_RE.match(first_line)
    if acting:
        named = find_sessions(acting.group(0))
        facts.acting_session = named[0] if named else None


def split_who(who: str) -> tuple[str, str]:
    """(place prefix, normalized body): 苏州市人民政府 -> (苏州市, 人民政府); 市人大常委会 -> (市, 人大常委会)."""
    for suffix, body in _BODY_SUFFIXES:
        if who.endswith(suffix):
            return who[: -len(suffix)], body
    for suffix in _COURT_SUFFIXES:
        if who.endswith(suffix):
            return who[: -len(suffix)], suffix
    return "", who


def _who_is_national(who: str) -> bool:
    prefix, body = split_who(who)
    return body in _NATIONAL_BODIES or prefix in ("全国", "中华人民共和国") or who.endswith("中共中央和国务院")


def strip_places(office: str) -> str:
    """区长 from 呼伦贝尔市海拉尔区人民政府区长; keeps 国务院总理, 自治区人民政府主席."""
    parts = places.split_chain(office)
    while len(parts) > 1 and places.lookup(parts[0]) and parts[0].endswith(("省", "市", "区", "县", "州", "旗", "盟")):
        parts = parts[1:]
    rest = "".join(parts)
    if rest != office and rest.startswith("人民政府") and len(rest) > 4:
        rest = rest[4:]
    return rest


# --------------------------------------------------------------------------- candidates per field


def genre_candidates(doc: Document, facts: _Opening, meta: Mapping[str, tuple[str, str]]) -> list[Candidate]:
    out: list[Candidate] = []
    if facts.delegation:
        out.append(Candidate("genre", GENRE_REPORT, "delegation", STRONG, facts.delegation))
    if facts.adopted:
        out.append(Candidate("genre", GENRE_RESOLUTION, "adopted-line", STRONG, facts.adopted_text))
    if facts.dateline:
        # A wire service carrying a report's full text puts its dateline above the speaker's own
        # first-person delegation sentence; a news item about the session speaks of the speaker in
        # the third person. So beside a delegation sentence the dateline says little of the genre.
        strength = MEDIUM if facts.delegation else STRONG
        out.append(Candidate("genre", GENRE_NEWS, "dateline", strength, facts.dateline))
    body = "".join(ln.compact(text) for text in doc.body[:12])
    if not facts.delegation:
        wording = _RESOLUTION_WORDING_RE.search(body)
        if wording and (facts.acting_session or len(body) < 6000):
            out.append(Candidate("genre", GENRE_RESOLUTION, "wording", STRONG if facts.acting_session else MEDIUM,
                                 wording.group(0)))
        explained = _EXPLANATION_WORDING_RE.search(body[:400])
        if explained:
            out.append(Candidate("genre", GENRE_EXPLANATION, "wording", MEDIUM, explained.group(0)))
    if doc.heading:
        genre = title_genre(doc.heading)
        if genre:
            out.append(Candidate("genre", genre, "heading", MEDIUM, doc.heading))
    if "title" in meta:
        column, value = meta["title"]
        genre = title_genre(page_title(value))
        if genre:
            out.append(Candidate("genre", genre, f"metadata:{column}", MEDIUM, value))
    if facts.salutation.startswith("同志们"):
        out.append(Candidate("genre", GENRE_SPEECH, "clue:form", WEAK, facts.salutation))
    elif facts.salutation or any(source == "session-line" for _, _, source in facts.session_lines):
        total = sum(len(text) for text in doc.body)
        if total >= 3000:
            out.append(Candidate("genre", GENRE_REPORT, "clue:form", WEAK, facts.salutation or "会议行"))
    return out


def kind_candidates(doc: Document, facts: _Opening, meta: Mapping[str, tuple[str, str]],
                    body_text: str) -> list[Candidate]:
    out: list[Candidate] = []
    if facts.who:
        _, body = split_who(facts.who)
        if body == "人大常委会":
            kind = NPC_STANDING_COMMITTEE_REPORT
        elif body in ("人民政府", "国务院", "中央人民政府") or facts.who.endswith("国务院"):
            kind = GOVERNMENT_WORK_REPORT
        else:
            kind = OTHER_REPORT
        out.append(Candidate("kind", kind, "delegation", STRONG, facts.delegation))
    if facts.office:
        if _GOV_OFFICE_RE.search(facts.office):
            out.append(Candidate("kind", GOVERNMENT_WORK_REPORT, "speaker-line", STRONG, facts.speaker_text, 0.4))
        elif _NPC_OFFICE_RE.search(facts.office):
            out.append(Candidate("kind", NPC_STANDING_COMMITTEE_REPORT, "speaker-line", STRONG,
                                 facts.speaker_text, 0.4))
    if doc.heading and title_genre(doc.heading) == GENRE_REPORT:
        kind_named = title_kind(doc.heading)
        if kind_named:
            out.append(Candidate("kind", kind_named, "heading", MEDIUM, doc.heading))
    if "title" in meta:
        column, value = meta["title"]
        kind_named = title_kind(value) if title_genre(page_title(value)) in (GENRE_REPORT, None) else None
        if kind_named:
            out.append(Candidate("kind", kind_named, f"metadata:{column}", MEDIUM, value))
    committee = body_text.count("常委会")
    if committee >= 5 and committee > body_text.count("政府"):
        out.append(Candidate("kind", NPC_STANDING_COMMITTEE_REPORT, "clue:self-reference", WEAK, f"常委会×{committee}"))
    return out


@dataclass
class _PlaceContext:
    """Places found once per document, when first needed: the context that tells 朝阳区 (北京)
    from 朝阳区 (长春).  A national report's opening settles its place: its body is not searched."""

    head_text: str
    body_text: str

    @cached_property
    def body_mentions(self) -> list[places.PlaceMention]:
        return places.find_places(self.body_text)

    @cached_property
    def context(self) -> list[places.Division]:
        return places.unambiguous(places.find_places(self.head_text)) + places.unambiguous(self.body_mentions)


_INSTITUTION_RE = re.compile(
    r"(?=人民政府|政府|人大常委会|人民代表大会|人大|高级人民法院|人民法院|人民检察院|门户网站)"
)


def places_in_title(text: str) -> list[places.PlaceMention]:
    """The places a title names.  The segmenter takes 山东省人民政府 for one word, so institution
    words are set apart first (their offsets are not used)."""
    return places.find_places(_INSTITUTION_RE.sub("\n", shadow(text)))


def _place_context(doc: Document, body_text: str, extra: str) -> _PlaceContext:
    return _PlaceContext("\n".join(doc.head) + "\n" + extra, body_text)


def _level_hint(facts: _Opening) -> str:
    if facts.who:
        prefix, _ = split_who(facts.who)
        if prefix in _GENERIC_PREFIXES and prefix:
            return prefix
    for office, hint in _LEVEL_HINT.items():
        if facts.office.endswith(office):
            return hint
    return ""


def _matches_hint(div: places.Division, hint: str) -> bool:
    if not hint:
        return False
    if hint == "区":
        return div.name.endswith("区") and not div.name.endswith("自治区")
    return div.name.endswith(hint)


def _office_chain(office: str) -> str:
    parts = places.split_chain(office)
    chain = ""
    if len(parts) > 1 and places.lookup(parts[0]):
        for part in parts:
            if not places.lookup(part):
                break
            chain += part
    return chain


def place_candidates(doc: Document, facts: _Opening, meta: Mapping[str, tuple[str, str]],
                     ctx: _PlaceContext, genre: str) -> list[Candidate]:
    """Candidates for the place: value ``全国`` or a division's adcode."""
    out: list[Candidate] = []

    def add(name: str, source: str, strength: str, text: str, weight: float) -> None:
        if name in (places.NATIONAL, "中华人民共和国", "中国"):
            out.append(Candidate("place", places.NATIONAL, source, strength, text, weight))
            return
        div = places.resolve(name, ctx.context)
        if div:
            out.append(Candidate("place", div.code, source, strength, text, weight))

    if facts.who:
        prefix, _ = split_who(facts.who)
        if _who_is_national(facts.who):
            add(places.NATIONAL, "delegation", STRONG, facts.delegation, 100)
        elif prefix not in _GENERIC_PREFIXES:
            add(prefix, "delegation", STRONG, facts.delegation, 100)
    for session, text, source in facts.session_lines:
        if session.place:
            add(session.place, source, STRONG if source == "session-line" else MEDIUM, text, 60)
    for other, text in ((facts.addressed, facts.delegation), (facts.adopted_session, facts.adopted_text),
                        (facts.acting_session, facts.acting_session.text if facts.acting_session else "")):
        if other is not None and other.place:
            add(other.place, "session-addressed", STRONG, text, 60)
    if facts.office:
        if facts.office.startswith(("国务院", "中央人民政府", "政务院")):
            add(places.NATIONAL, "speaker-line", STRONG, facts.speaker_text, 40)
        else:
            chain = _office_chain(facts.office)
            if chain:
                add(chain, "speaker-line", STRONG, facts.speaker_text, 40)
    if any(c.value == places.NATIONAL and c.strength == STRONG for c in out):
        _heading_and_metadata_places(doc, meta, add)
        return out
    laws: dict[str, list[str]] = {}
    for match in _LAW_RE.finditer(ctx.body_text):
        div = places.resolve(match.group("place"), ctx.context)
        if div:
            law = f"《{match.group('law')}》"
            if law not in laws.setdefault(div.code, []):
                laws[div.code].append(law)
    for code, named in laws.items():
        # Quote statutes (条例) before lesser rules (办法, 规定), each group in text order.
        named.sort(key=lambda law: not law.endswith("条例》"))
        strength = STRONG if len(named) >= 2 else MEDIUM
        out.append(Candidate("place", code, "local-law", strength, "、".join(named[:3]), 15 * len(named)))
    if genre != GENRE_REPORT and facts.opening_session is not None and facts.opening_session.place:
        add(facts.opening_session.place, "opening-session", MEDIUM, facts.opening_session.text, 60)
    _heading_and_metadata_places(doc, meta, add)
    if not any(c.strength == STRONG for c in out):  # weak clues cannot beat a strong candidate
        _self_reference(facts, ctx, out)
    return out


def _heading_and_metadata_places(doc: Document, meta: Mapping[str, tuple[str, str]],
                                 add: Callable[[str, str, str, str, float], None]) -> None:
    if doc.heading:
        if "国务院" in doc.heading:
            add(places.NATIONAL, "heading", MEDIUM, doc.heading, 8)
        for mention in places_in_title(doc.heading):
            add(mention.text, "heading", MEDIUM, doc.heading, 8)
    _metadata_places(meta, add)


def _metadata_places(meta: Mapping[str, tuple[str, str]], add: Callable[[str, str, str, str, float], None]) -> None:
    chain = "".join(meta[key][1] for key in ("province", "city", "county") if key in meta)
    columns = "/".join(meta[key][0] for key in ("province", "city", "county") if key in meta)
    if chain:
        national = chain in (places.NATIONAL, "中央", "国务院", "中国", "中华人民共和国")
        add(places.NATIONAL if national else chain, f"metadata:{columns}", MEDIUM, chain, 30)
    elif "place" in meta:
        column, value = meta["place"]
        national = value in (places.NATIONAL, "中央", "国务院", "中国", "中华人民共和国")
        add(places.NATIONAL if national else value, f"metadata:{column}", MEDIUM, value, 30)
    if "title" in meta:
        column, value = meta["title"]
        title = page_title(value)
        if "国务院" in title or "全国人民代表大会" in title or "全国人大" in title:
            add(places.NATIONAL, f"metadata:{column}", MEDIUM, value, 8)
        for mention in places_in_title(value):  # the site's name too: …_湖北省人民政府门户网站
            add(mention.text, f"metadata:{column}", MEDIUM, value, 8)
    if "url" in meta:
        column, value = meta["url"]
        host = re.sub(r"^[a-z]+://", "", value.lower()).split("/")[0].split(":")[0]
        if host in ("www.gov.cn", "gov.cn", "www.npc.gov.cn", "npc.gov.cn"):
            # the central government's sites also publish local reports: a clue, no more
            add(places.NATIONAL, f"metadata:{column}", WEAK, value, 5)


def _self_reference(facts: _Opening, ctx: _PlaceContext, out: list[Candidate]) -> None:
    """Weak clues: which level the text calls itself (全国 / 全省 / 全市…), and the place of that
    level it names most.  A place the text merely names (台湾, 对口支援新疆) is a candidate only
    at the level the text speaks for."""
    levels = Counter(m.group(1) for m in _SELF_REFERENCE_RE.finditer(ctx.body_text))
    national_words = len(_NATIONAL_WORDS_RE.findall(ctx.body_text))
    hint = _level_hint(facts)
    if not hint and levels:
        level, count = levels.most_common(1)[0]
        if level == "国":
            if count + national_words >= 3 and count > 2 * sum(n for lv, n in levels.items() if lv != "国"):
                out.append(Candidate("place", places.NATIONAL, "clue:self-reference", WEAK,
                                     f"全国×{count}，国务院等×{national_words}", count + national_words))
            return
        if count >= 3:
            hint = level
    if not hint:
        return
    counts = places.count_places(ctx.body_mentions, ctx.context)
    table = places.divisions()
    fitting = [(n, code) for code, n in counts.items() if _matches_hint(table[code], hint)]
    if fitting:
        n, code = max(fitting, key=lambda pair: (pair[0], -table[pair[1]].level))
        out.append(Candidate("place", code, "clue:body-places", WEAK, f"正文提到{table[code].name} {n} 次", n))


def year_candidates(doc: Document, facts: _Opening, meta: Mapping[str, tuple[str, str]],
                    body_text: str, genre: str) -> list[Candidate]:
    out: list[Candidate] = []
    if facts.delivered:
        out.append(Candidate("year", str(facts.delivered[0]), "delivery-line", STRONG, facts.date_text))
    if facts.adopted:
        out.append(Candidate("year", str(facts.adopted[0]), "adopted-line", STRONG, facts.adopted_text))
    for session, text, source in facts.session_lines:
        npc = session.npc()
        if npc:
            out.append(Candidate("year", str(npc.year), source, STRONG if source == "session-line" else MEDIUM, text))
    for other, source in ((facts.addressed, "session-addressed"), (facts.acting_session, "session-acting"),
                          (facts.adopted_session, "adopted-line")):
        met = other.npc() if other is not None else None
        if met and other is not None:
            out.append(Candidate("year", str(met.year), source, STRONG, other.text))
    if doc.heading:
        match = re.search(r"(\d{4})年", arabic_years(doc.heading))
        if match:
            out.append(Candidate("year", match.group(1), "heading", MEDIUM, doc.heading))
    _metadata_years(meta, out)
    if genre != GENRE_REPORT and facts.opening_session is not None:
        npc = facts.opening_session.npc()
        if npc:
            out.append(Candidate("year", str(npc.year), "opening-session", MEDIUM, facts.opening_session.text))
    if not any(c.strength == STRONG for c in out):  # weak clues cannot beat a strong candidate
        out.extend(_year_clues(body_text))
    return out


def _metadata_years(meta: Mapping[str, tuple[str, str]], out: list[Candidate]) -> None:
    if "year" in meta:
        column, value = meta["year"]
        match = re.search(r"(1[89]\d\d|20\d\d)", arabic_years(value))
        if match:
            out.append(Candidate("year", match.group(1), f"metadata:{column}", MEDIUM, value))
    if "title" in meta:
        column, value = meta["title"]
        title = arabic_years(page_title(value))
        match = re.search(r"(1[89]\d\d|20\d\d)年?", title)
        if match:
            out.append(Candidate("year", match.group(1), f"metadata:{column}", MEDIUM, value))
        else:
            for session in find_sessions(title):
                npc = session.npc()
                if npc:
                    out.append(Candidate("year", str(npc.year), f"metadata:{column}", MEDIUM, value))
                    break
    for key, strength, weight in (("date", MEDIUM, 0.5), ("published", WEAK, 0.5)):
        if key in meta:
            column, value = meta[key]
            match = re.search(r"(1[89]\d\d|20\d\d)", arabic_years(value))
            if match:
                out.append(Candidate("year", match.group(1), f"metadata:{column}", strength, value, weight))


def _year_clues(body_text: str) -> list[Candidate]:
    """Weak clues: the year under review plus one (回顾2018年, 刚刚过去的1984年), the year the
    plans are for (2019年主要任务), the year the text says "is" (2019年是…), else the first year.

    Each kind of clue votes; the value it votes for most is one candidate, weighted by its votes."""
    text = arabic_years(ln.compact(body_text))
    out: list[Candidate] = []
    just_past = _JUST_PAST_RE.search(text[:600])
    if just_past:
        year = int(just_past.group(1)) + 1
        out.append(Candidate("year", str(year), "clue:review-year", WEAK, just_past.group(0), 4))
    for source, regex, weight, offset in (("clue:plan-year", _PLAN_YEAR_RE, 2.0, 0),
                                          ("clue:review-year", _REVIEW_HEADING_RE, 2.0, 1),
                                          ("clue:plan-year", _YEAR_IS_RE, 0.5, 0)):
        votes: Counter[int] = Counter()
        quotes: dict[int, str] = {}
        for match in regex.finditer(text):
            year = int(next(g for g in match.groups() if g)) + offset
            votes[year] += 1
            start = match.start("year") if regex is _REVIEW_HEADING_RE and match["year"] else match.start()
            quotes.setdefault(year, text[max(0, start - 2): match.end() + 2])
        if votes:
            year, count = max(votes.items(), key=lambda item: (item[1], item[0]))
            out.append(Candidate("year", str(year), source, WEAK, quotes[year], weight * min(count, 3)))
    if not out and "今年" in text:
        review = _REVIEW_YEAR_RE.search(text)
        if review:
            year = int(next(g for g in review.groups() if g)) + 1
            out.append(Candidate("year", str(year), "clue:review-year", WEAK, review.group(0), 1))
    if not out:
        first = _ANY_YEAR_RE.search(text)
        if first:
            out.append(Candidate("year", first.group(1), "clue:first-year", WEAK, first.group(0), 0.5))
    return out


# --------------------------------------------------------------------------- attribute


@dataclass
class _Ledger:
    """The decisions taken so far and the reasons to review them."""

    decisions: dict[str, Decision] = field(default_factory=dict)
    reviews: list[str] = field(default_factory=list)

    def settle(self, name: str, candidates: Iterable[Candidate]) -> Decision | None:
        decision, review = decide(name, candidates)
        if decision is not None:
            self.decisions[name] = decision
        if review:
            self.reviews.append(review)
        return decision


def attribute(doc: Document) -> Attribution:
    """The attribution of one document, every field decided from its candidates."""
    facts = read_opening(doc)
    meta = normalized_metadata(doc.metadata)
    body_text = "\n".join(doc.body)
    ledger = _Ledger()
    genre, kind = _decide_genre_and_kind(ledger, doc, facts, meta, body_text)
    ctx = _place_context(doc, body_text, meta["title"][1] if "title" in meta else "")
    candidates = _nested_places(place_candidates(doc, facts, meta, ctx, genre), _level_hint(facts))
    place_decision = ledger.settle("place", _with_level_hint(candidates, facts))
    place, place_short = _place_names(place_decision)
    if place_decision is not None:
        ledger.decisions["place"] = replace(place_decision, value=place)
    year = _decide_year(ledger, doc, facts, meta, body_text, genre)
    session = _session(facts, meta, genre, ledger.decisions)
    delivered = _delivered(facts, ledger.decisions)
    speaker = _decide_speaker(ledger, facts)
    issuer = _decide_issuer(ledger, kind, genre, facts, place_short, place_decision)
    scraped = doc.heading or (page_title(doc.metadata_title) if doc.metadata_title else "")
    title = _decide_title(ledger, kind, genre, year, place_short, issuer, doc, scraped)
    ledger.reviews.extend(_consistency(facts, genre, kind, year, place))
    ledger.reviews.extend(_weak_field_reviews(ledger.decisions, genre))
    ordered = tuple(ledger.decisions[name] for name in FIELDS if name in ledger.decisions)
    attribution = Attribution(
        kind=kind, issuer=issuer, place=place, place_short=place_short, year=year, title=title,
        scraped_title=scraped, delivered=delivered, session=session, speaker=speaker,
        evidence=tuple(_reason(d) for d in ordered if d.field not in ("title",)),
        genre=genre, review="；".join(dict.fromkeys(ledger.reviews)), decisions=ordered,
    )
    return replace(attribution, title_note=title_note(attribution, facts, body_text))


def _decide_genre_and_kind(ledger: _Ledger, doc: Document, facts: _Opening, meta: Mapping[str, tuple[str, str]],
                           body_text: str) -> tuple[str, str]:
    """What the document is; a report's kind (a document that is not a report is of kind other)."""
    genre_decision = ledger.settle("genre", genre_candidates(doc, facts, meta))
    genre = genre_decision.value if genre_decision else GENRE_UNKNOWN
    if genre_decision is None:
        ledger.decisions["genre"] = Decision("genre", GENRE_UNKNOWN, "derived", WEAK, "")
    if genre == GENRE_REPORT:
        kind_decision = ledger.settle("kind", kind_candidates(doc, facts, meta, body_text))
        return genre, kind_decision.value if kind_decision else OTHER_REPORT
    strength = genre_decision.strength if genre_decision else WEAK
    ledger.decisions["kind"] = Decision("kind", OTHER_REPORT, "derived", strength, GENRE_LABELS[genre])
    return genre, OTHER_REPORT


def _decide_year(ledger: _Ledger, doc: Document, facts: _Opening, meta: Mapping[str, tuple[str, str]],
                 body_text: str, genre: str) -> int | None:
    year_list = year_candidates(doc, facts, meta, body_text, genre)
    year_decision = ledger.settle("year", year_list)
    if year_decision is not None and year_decision.strength == MEDIUM:
        ledger.reviews.extend(_contradicting_clue(year_decision, year_list))
    return int(year_decision.value) if year_decision else None


def _decide_speaker(ledger: _Ledger, facts: _Opening) -> str | None:
    if not facts.office:
        return None
    speaker = f"{strip_places(facts.office)} {facts.name}"
    ledger.decisions["speaker"] = Decision("speaker", speaker, "speaker-line", STRONG, facts.speaker_text)
    return speaker


def _decide_issuer(ledger: _Ledger, kind: str, genre: str, facts: _Opening, place_short: str,
                   place_decision: Decision | None) -> str:
    issuer, issuer_source, issuer_text = _issuer(kind, genre, facts, place_short)
    if issuer:
        strength = STRONG if issuer_source in ("delegation", "speaker-line", "dateline", "on-behalf") else (
            place_decision.strength if place_decision else WEAK)
        ledger.decisions["issuer"] = Decision("issuer", issuer, issuer_source, strength, issuer_text)
    return issuer


def _decide_title(ledger: _Ledger, kind: str, genre: str, year: int | None, place_short: str, issuer: str,
                  doc: Document, scraped: str) -> str:
    """The title, as strong as the weakest of the fields it is made of (or the heading it keeps)."""
    title, title_source = _title(kind, genre, year, place_short, issuer, doc, scraped)
    fed = [ledger.decisions[name].strength for name in ("genre", "kind", "place", "year") if name in ledger.decisions]
    weakest = min(fed, key=lambda strength: STRENGTH_LEVELS[strength]) if fed else WEAK
    strength = MEDIUM if title_source.startswith(("heading", "metadata")) else weakest
    ledger.decisions["title"] = Decision("title", title, title_source, strength, scraped)
    return title


def _weak_field_reviews(decisions: Mapping[str, Decision], genre: str) -> list[str]:
    """A document's year or place that rests on weak clues only asks for a look."""
    if genre == GENRE_UNKNOWN:
        return []
    return [f"{FIELD_LABELS[name]}仅据正文线索推定（{source_label(weak)}：“{weak.text}”）"
            for name in ("year", "place") if (weak := decisions.get(name)) is not None and weak.strength == WEAK]


def _nested_places(candidates: list[Candidate], hint: str) -> list[Candidate]:
    """A place that contains another candidate place supports it rather than rivals it.

    An export's ``city`` column says 深圳市 where the title says 深圳市南山区: both hold that the
    place lies in 深圳市, and the more specific one is the answer.  A candidate's support goes
    to a place inside it that is proposed at least as strongly (a weak body clue naming a
    district never outweighs a strong city), and of the level the speaker names, if any
    (我代表省人民政府 keeps a province from being narrowed to a city a wrong title names)."""
    table = places.divisions()
    out: list[Candidate] = []
    for c in candidates:
        outer = table.get(c.value)
        inner = [d for d in candidates if outer is not None and d.value in table and d.value != c.value
                 and places.is_within(table[d.value], outer)
                 and STRENGTH_LEVELS[d.strength] >= STRENGTH_LEVELS[c.strength]
                 and (not hint or _matches_hint(table[d.value], hint))]
        out.append(replace(c, value=inner[0].value) if inner else c)
    return out


def _with_level_hint(candidates: list[Candidate], facts: _Opening) -> list[Candidate]:
    """A generic delegation (我代表市人民政府) or office (市长) favours places of that level."""
    hint = _level_hint(facts)
    if not hint:
        return candidates
    table = places.divisions()
    return [replace(c, weight=c.weight + 20) if c.value in table and _matches_hint(table[c.value], hint) else c
            for c in candidates]


def _place_names(decision: Decision | None) -> tuple[str, str]:
    if decision is None:
        return "", ""
    if decision.value == places.NATIONAL:
        return places.NATIONAL, places.NATIONAL
    div = places.divisions()[decision.value]
    return places.path(div), div.name


def _session(facts: _Opening, meta: Mapping[str, tuple[str, str]], genre: str,
             decisions: dict[str, Decision]) -> str | None:
    candidates = [Candidate("session", s.text, source, STRONG if source == "session-line" else MEDIUM, text)
                  for s, text, source in facts.session_lines if s.sitting is not None]
    for session, source, text in ((facts.addressed, "session-addressed", facts.delegation),
                                  (facts.adopted_session, "adopted-line", facts.adopted_text),
                                  (facts.acting_session, "session-acting", "")):
        if session is not None and session.sitting is not None:
            candidates.append(Candidate("session", session.text, source, STRONG, text or session.text))
    if "title" in meta and genre != GENRE_REPORT:
        column, value = meta["title"]
        for s in find_sessions(ln.compact(value)):
            if s.sitting is not None:
                candidates.append(Candidate("session", s.text, f"metadata:{column}", MEDIUM, value))
                break
    decision, _ = decide("session", candidates)
    if decision is None:
        return None
    decisions["session"] = decision
    return decision.value


def _delivered(facts: _Opening, decisions: dict[str, Decision]) -> str | None:
    for date, source, text in ((facts.delivered, "delivery-line", facts.date_text),
                               (facts.adopted, "adopted-line", facts.adopted_text)):
        if date:
            iso = f"{date[0]:04d}-{date[1]:02d}-{date[2]:02d}"
            decisions["delivered"] = Decision("delivered", iso, source, STRONG, text)
            return iso
    return None


def _issuer(kind: str, genre: str, facts: _Opening, place_short: str) -> tuple[str, str, str]:
    """(issuer, source, text) from the kind or genre, the place and the delegation sentence."""
    body = split_who(facts.who)[1] if facts.who else ""
    national = place_short == places.NATIONAL
    if genre == GENRE_REPORT:
        source, text = ("delegation", facts.delegation) if facts.who else ("derived", "")
        if national:
            if kind == NPC_STANDING_COMMITTEE_REPORT:
                return "全国人大常委会", source, text
            return (body if body in _NATIONAL_BODIES else "国务院"), source, text
        if not place_short:
            return (body if body and body not in ("人民政府",) else ""), source, text
        if kind == GOVERNMENT_WORK_REPORT:
            return f"{place_short}人民政府", source, text
        if kind == NPC_STANDING_COMMITTEE_REPORT:
            return f"{place_short}人大常委会", source, text
        return (f"{place_short}{body}" if body else place_short), source, text
    if genre == GENRE_RESOLUTION:
        congress = "全国人民代表大会" if national else (f"{place_short}人民代表大会" if place_short else "")
        return congress, "derived", facts.adopted_text
    if genre == GENRE_NEWS and facts.agency and facts.agency not in ("本报", "本台"):
        return facts.agency, "dateline", facts.dateline
    if facts.on_behalf:
        prefix, organ = split_who(facts.on_behalf)
        if organ in _NATIONAL_BODIES or prefix not in _GENERIC_PREFIXES:
            return facts.on_behalf if organ not in _NATIONAL_BODIES else organ, "on-behalf", facts.on_behalf_text
        if place_short and place_short != places.NATIONAL:
            return f"{place_short}{organ}", "on-behalf", facts.on_behalf_text
    if facts.office:
        organ = re.sub(rf"(?:副)?(?:{ln.OFFICE_WORDS})$", "", facts.office)
        organ = re.sub(r"^(?:副|代)", "", organ)
        if len(organ) >= 2 and not organ.endswith(("副", "代")):
            return organ, "speaker-line", facts.speaker_text
    return "", "derived", ""


def _title(kind: str, genre: str, year: int | None, place_short: str, issuer: str, doc: Document,
           scraped: str) -> tuple[str, str]:
    """(title, source): a report's title in the one format; any other document keeps its own heading."""
    prefix = f"{year}年" if year else ""
    if genre == GENRE_REPORT:
        if kind == GOVERNMENT_WORK_REPORT:
            if place_short == places.NATIONAL:
                body = "政府工作报告" if issuer == "中央人民政府" else "国务院政府工作报告"
                return f"{prefix}{body}", "derived"
            return f"{prefix}{place_short}政府工作报告", "derived"
        if kind == NPC_STANDING_COMMITTEE_REPORT:
            name = "全国" if place_short == places.NATIONAL else place_short
            return f"{prefix}{name}人大常委会工作报告", "derived"
        if scraped:
            return scraped, "heading" if doc.heading else "metadata:title"
        return f"{prefix}{place_short}工作报告", "derived"
    if doc.heading:
        return doc.heading, "heading"
    if doc.metadata_title:
        return page_title(doc.metadata_title), "metadata:title"
    first = ln.compact(doc.body[0]) if doc.body else ""
    label = GENRE_LABELS[genre]
    where = "" if place_short in ("", places.NATIONAL) else place_short
    if first:
        return f"{prefix}{where}{label}（{first[:16]}…）", "derived"
    return f"{prefix}{where}{label}", "derived"


def _contradicting_clue(decision: Decision, candidates: Sequence[Candidate]) -> list[str]:
    """A year taken from the page or metadata that the text's own plain words contradict
    (刚刚过去的1986年 in a report the metadata dates 1986)."""
    for c in candidates:
        if c.source == "clue:review-year" and c.weight >= 3 and c.value != decision.value:
            return [f"年份：{source_label(decision)}为“{decision.value}”，但正文“{c.text}”表明应为{c.value}年"]
    return []


def _consistency(facts: _Opening, genre: str, kind: str, year: int | None, place: str) -> list[str]:
    """Reviews the candidates cannot give: a report without year or place, a delivery date
    outside the session it names, a document nothing identifies."""
    out: list[str] = []
    if genre == GENRE_UNKNOWN:
        out.append("未能识别文件类型：没有报告人自述、会议行、标题或元数据说明它是什么")
        return out
    if genre == GENRE_REPORT and year is None:
        out.append("未能确定年份")
    if genre == GENRE_REPORT and not place:
        out.append("未能确定地方")
    if facts.delivered:
        sessions = [s for s, _, source in facts.session_lines if source == "session-line"]
        npc = sessions[0].npc() if sessions else None
        if npc:
            iso = "{:04d}-{:02d}-{:02d}".format(*facts.delivered)
            if not npc.opened <= iso <= npc.closed:
                out.append(f"日期：原文作“{facts.date_text}”，不在{sessions[0].text}会期（{npc.opened}至{npc.closed}）内，"
                           "原文日期可能有误")
    return out


def _reason(d: Decision) -> str:
    """A decision as a short Chinese reason: 年份2019（报告日期行：“2019年3月5日”）."""
    text = f"：“{d.text}”" if d.text else ""
    return f"{FIELD_LABELS.get(d.field, d.field)}{_value_label(d)}（{source_label(d)}{text}）"


def _value_label(d: Decision) -> str:
    if d.field == "kind":
        return KIND_LABELS.get(d.value, d.value)
    if d.field == "genre":
        return GENRE_LABELS.get(d.value, d.value)
    return d.value


# --------------------------------------------------------------------------- the provenance note


def title_note(a: Attribution, facts: _Opening, body_text: str) -> str:
    """Why the derived title differs from the page's, and on what evidence, in Chinese sentences."""
    scraped = a.scraped_title
    decided = {d.field: d for d in a.decisions}
    if not scraped or ln.compact(scraped) == a.title:
        return ""
    clauses: list[str] = []
    scraped_genre = title_genre(scraped)
    scraped_kind = title_kind(scraped) if scraped_genre in (GENRE_REPORT, None) else None
    if a.genre != GENRE_REPORT and scraped_genre == GENRE_REPORT:
        clauses.append(f"正文显示这是{GENRE_LABELS[a.genre]}，不是报告")
    elif scraped_kind and scraped_kind != a.kind:
        label = KIND_LABELS[a.kind]
        if facts.delegation:
            clauses.append(f"报告人称“{facts.delegation}”，应为{label}")
        else:
            clauses.append(f"正文显示应为{label}")
    scraped_places = places_in_title(scraped)
    scraped_divs = [places.choose(m.candidates) for m in scraped_places]
    place = decided.get("place")
    if (a.place and a.place_short != places.NATIONAL and scraped_divs and place is not None
            and all(d is not None and places.path(d) != a.place for d in scraped_divs)):
        names = "、".join(dict.fromkeys(m.text for m in scraped_places))
        shorts = {places.short_name(d.name) for d in scraped_divs if d} | {d.name for d in scraped_divs if d}
        mentioned = any(s and s in body_text for s in shorts)
        if place.source == "local-law":
            first_law = place.text.split("、")[0]
            clause = f"正文所引地方法规和地名均指{a.place_short}（{first_law}等）"
        else:
            clause = f"{source_label(place)}所述地方为{a.place_short}"
        clause += f"，未提及{places.short_name(names)}" if not mentioned else f"，并非{names}"
        clauses.append(clause)
    scraped_year = re.search(r"(\d{4})年", arabic_years(scraped))
    year = decided.get("year")
    if scraped_year and a.year and int(scraped_year.group(1)) != a.year and year is not None:
        clauses.append(f"据{source_label(year)}“{year.text}”，年份应为{a.year}年")
    if clauses:
        return f"页面标题为“{scraped}”，但" + "；".join(clauses) + "。"
    if a.genre != GENRE_REPORT:
        return ""
    missing = []
    if not scraped_year and a.year:
        missing.append("年份")
    if not scraped_divs and a.place and "国务院" not in scraped:
        missing.append("地名")
    if missing:
        return f"页面标题为“{scraped}”，未写明{'和'.join(missing)}，据{_evidence_phrase(decided)}补全为“{a.title}”。"
    return f"页面标题为“{scraped}”，按统一格式改为“{a.title}”。"


def _evidence_phrase(decided: Mapping[str, Decision]) -> str:
    """正文 when the text's own opening carried the year and place, else the sources named."""
    parts = []
    for name in ("year", "place"):
        d = decided.get(name)
        if d is not None and d.strength != STRONG:
            parts.append(f"{source_label(d)}（{FIELD_LABELS[name]}）")
    return "正文" if not parts else "正文及" + "、".join(parts)



