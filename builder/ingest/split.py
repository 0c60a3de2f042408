"""Cut a cleaned page into reports and tell, from each report's own text, what it is.

A page may hold several reports glued together, under headings that can be wrong.  A
report starts at its *opening*: the salutation (各位代表：) and/or the delegation sentence
(我代表…人民政府，向大会报告工作 / 我受…委托，向大会报告工作), together with the lines just
above it that belong to it (title, subtitle/date/session line, speaker line).  It runs to
the next report's start.  A page without an opening but with a report-like title or a
session subtitle is one report.

Attribution (kind, issuer, place, year, ...) comes from the report's text, never from the
page's heading alone; when the heading disagrees, ``title_note`` says why it was changed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Sequence

from builder.text import places
from builder.core.errors import InputError
from builder.core.model import (
    GOVERNMENT_WORK_REPORT,
    KIND_LABELS,
    NPC_STANDING_COMMITTEE_REPORT,
    OTHER_REPORT,
    Attribution,
    CleanedDocument,
    ReportDraft,
    SourceLine,
)

NO_REPORT_MESSAGE = (
    "no recognizable report (no opening such as 各位代表 or 我代表…向大会报告工作, and no report title)"
)

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_FULLWIDTH_DIGIT_RE = re.compile("[０-９]")
_WHITESPACE_RE = re.compile(r"[\s\u3000\u00a0]+")
_CN_DIGITS = {"〇": 0, "○": 0, "Ｏ": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}

_SALUTATION_RE = re.compile(r"^(?:各位代表|各位委员|各位代表、同志们|同志们)[：:，,！!]?$")
_SALUTATION_PREFIX_RE = re.compile(r"^(?:各位代表|各位委员|各位代表、同志们|同志们)[：:，,！!]")
_DELEGATION_RES = (
    re.compile(
        r"我(?P<verb>代表|受)(?P<who>[^，,。；！？、\s]{1,30}?)(?:的)?(?:委托)?[，,]?(?:现在)?[，,]?"
        r"(?:向(?:大会|本次大会|本次会议|会议)|作)[^。]{0,40}?(?:报告|汇报)(?:工作)?"
    ),
    re.compile(
        r"(?P<verb>受)(?P<who>[^，,。；！？、\s]{1,30}?)(?:的)?委托[，,]?(?:现在)?[，,]?我"
        r"向(?:大会|本次大会|本次会议|会议)[^。]{0,40}?(?:报告|汇报)(?:工作)?"
    ),
)
_DASH_RE = re.compile(r"—{1,2}|――|―|-{2,4}|－{1,2}")
_DATE_RE = re.compile(
    r"(?P<y>\d{4}|[〇○Ｏ零一二三四五六七八九]{4})年(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})月"
    r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})日"
)
_SESSION_RE = re.compile(
    r"(?P<session>(?P<place>[^，,。；在]{0,40}?)第?[一二三四五六七八九十]{1,3}届(?:全国)?人民代表大会"
    r"(?:常务委员会)?第[一二三四五六七八九十]{1,3}次(?:全体)?会议)"
)
_OFFICE_WORDS = "省长|市长|区长|县长|州长|旗长|盟长|总理|主席|委员长|主任|检察长|院长"
_SPEAKER_RE = re.compile(
    rf"^(?P<office>[\u4e00-\u9fff（）]{{0,30}}?(?:{_OFFICE_WORDS}))\s*"
    r"(?P<name>[\u4e00-\u9fff·](?:\s?[\u4e00-\u9fff·]){1,3})$"
)
_GOV_OFFICE_RE = re.compile(r"(?:省长|市长|区长|县长|州长|旗长|盟长|总理|人民政府主席)$")
_CAPTION_RE = re.compile(r"摄$|记者|来源|本报|时间|责任编辑")
_VERB_REPORT_RE = re.compile(r"(?<!工)作(?:政府)?(?:工作)?报告")
_YEAR_ONLY_RE = re.compile(r"^\d{4}年度?$")
_LAW_RE = re.compile(r"《(?P<law>(?P<place>[\u4e00-\u9fff]{2,12}?(?:自治区|自治州|自治县|省|市|区|县))"
                     r"[^《》]{1,30}?(?:条例|办法|规定|决定))》")
# Phrases naming a year: "年" first, found fast, its four digits looked at behind it (a match
# starts at the year: ``match.start(1)``).  No match holds a digit after its 年, so the
# matches are those of the plain ``(\d{4})年…`` patterns.
_PLAN_YEAR_RE = re.compile(
    r"年(?<=(\d{4})年)(?:的)?(?:政府)?(?:工作)?(?:的)?(?:主要|重点)?(?:工作)?(?:任务|安排|目标|打算|重点工作)"
)
_YEAR_IS_RE = re.compile(r"年(?<=(\d{4})年)是")
_REVIEW_YEAR_RE = re.compile(r"(\d{4})年(?:工作)?回顾|(\d{4})年的主要工作|(\d{4})年[，,]")
_SENTENCE_END = "。；，：！？!?;:"
_GENERIC_PREFIXES = {"", "省", "市", "区", "县", "州", "旗", "盟", "自治区", "自治州", "自治县"}
_BODY_SUFFIXES = (
    ("人民代表大会常务委员会", "人大常委会"), ("人大常委会", "人大常委会"), ("常务委员会", "人大常委会"),
    ("常委会", "人大常委会"), ("中央人民政府", "中央人民政府"), ("人民政府", "人民政府"),
    ("政府", "人民政府"), ("国务院", "国务院"),
)
_LEVEL_HINT = {"省长": "省", "市长": "市", "区长": "区", "县长": "县", "州长": "州", "旗长": "旗",
               "盟长": "盟", "人民政府主席": "自治区"}

# Line kinds, for finding the lines above an opening that belong to it.
_TITLE, _YEAR, _SUBTITLE, _SPEAKER, _SKIP, _STOP = "title", "year", "subtitle", "speaker", "skip", "stop"


# --------------------------------------------------------------------------- text helpers


def _compact(text: str) -> str:
    """Text without any whitespace (letter-spaced titles become words again)."""
    if text.isprintable():  # its only whitespace can be ASCII spaces (the others are unprintable)
        return text.replace(" ", "")
    return _WHITESPACE_RE.sub("", text)


def _digits(text: str) -> str:
    """Full-width digits made ASCII (``translate`` looks up every character: only when there is one)."""
    return text.translate(_FULLWIDTH_DIGITS) if _FULLWIDTH_DIGIT_RE.search(text) else text


def _cn_number(text: str) -> int:
    """An Arabic or Chinese-numeral number: 27, 二十七, 十, 二〇二六 (digit by digit)."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, units = text.partition("十")
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)
    return int("".join(str(_CN_DIGITS[ch]) for ch in text))


def _title_part(compact: str) -> str:
    """The part of a line before a subtitle dash: 政府工作报告——2006年… -> 政府工作报告."""
    return _DASH_RE.split(compact, maxsplit=1)[0]


# --------------------------------------------------------------------------- line kinds


def _is_title(text: str) -> bool:
    part = _title_part(_compact(text))
    return (
        0 < len(part) <= 50
        and "报告" in part
        and part[-1] not in _SENTENCE_END
        and "，" not in part
        and "我" not in part
        and not _CAPTION_RE.search(part)
        and not _VERB_REPORT_RE.search(part)
    )


def _is_subtitle(text: str) -> bool:
    compact = _digits(_compact(text))
    if len(compact) > 90:
        return False
    if _SESSION_RE.search(compact) and (_DATE_RE.search(compact) or compact.startswith(("—", "-", "―", "（", "("))):
        return True
    if _DATE_RE.search(compact) and re.search(r"日在.*会议", compact):
        return True
    # The second half of a subtitle broken over two lines: 人民代表大会第五次会议上
    return len(compact) <= 30 and bool(re.search(r"会议上[）)]?$", compact))


def _speaker(text: str) -> tuple[str, str] | None:
    """(office as written, name) of a speaker line such as 海拉尔区人民政府区长　　张天喜."""
    line = re.sub(r"[\s\u3000\u00a0]+", " ", text).strip()
    candidates = [line]
    tail = re.split(r"会议上[）)]?", line, maxsplit=1)
    if len(tail) == 2:
        candidates.append(tail[1].strip())
    for candidate in candidates:
        if 0 < len(candidate) <= 45:
            match = _SPEAKER_RE.match(candidate)
            if match:
                return match.group("office"), _compact(match.group("name"))
    return None


def _line_kind(text: str, next_kind: str | None) -> str:
    compact = _compact(text)
    if _is_salutation(text):
        return _STOP
    if _YEAR_ONLY_RE.match(compact):
        return _YEAR if next_kind == _TITLE else _SKIP
    if _is_title(text):
        return _TITLE
    if _is_subtitle(text):
        return _SUBTITLE
    if _speaker(text):
        return _SPEAKER
    if (len(compact) <= 40 and compact[-1:] not in _SENTENCE_END) or (len(compact) <= 8 and compact[-1:] in "：:") or (
        len(compact) <= 100 and compact.endswith("摄")
    ):
        return _SKIP
    return _STOP


def _is_salutation(text: str) -> bool:
    return bool(_SALUTATION_RE.match(_compact(text)))


def _delegation(text: str) -> re.Match[str] | None:
    compact = _compact(text)
    for regex in _DELEGATION_RES:
        match = regex.search(compact)
        if match:
            return match
    return None


# --------------------------------------------------------------------------- cutting


def _head_start(lines: Sequence[SourceLine], anchor: int, lower: int) -> int:
    """The first line of the report whose body starts at ``anchor``: the topmost of the
    title/subtitle/speaker lines just above it.  Short unknown lines (captions, 来源：…) may
    stand between them; a long sentence stops the search."""
    head = anchor
    skipped = 0
    i = anchor - 1
    next_kind: str | None = None
    while i >= lower and anchor - i <= 20:
        kind = _line_kind(lines[i].text, next_kind)
        if kind in (_TITLE, _YEAR, _SUBTITLE, _SPEAKER):
            head = i
            skipped = 0
        elif kind == _SKIP:
            skipped += 1
            if skipped > 8:
                break
        else:
            break
        next_kind = kind
        i -= 1
    return head


def _anchors(lines: Sequence[SourceLine]) -> list[int]:
    """Indexes where report bodies start (salutation or delegation line)."""
    anchors: set[int] = set()
    for i, line in enumerate(lines):
        if _delegation(line.text):
            start = i
            if i > 0 and _is_salutation(lines[i - 1].text):
                start = i - 1
            anchors.add(start)
    for i, line in enumerate(lines):
        if _is_salutation(line.text) and i not in anchors and (i + 1) not in anchors and (i - 1) not in anchors:
            if any(a in anchors for a in range(i + 1, i + 3)):
                continue
            # A bare salutation opens a report only under a title or subtitle.
            if _head_start(lines, i, 0) < i:
                anchors.add(i)
    return sorted(anchors)


def _signature(lines: Sequence[SourceLine], body_start: int, end: int) -> tuple[str, ...]:
    """The first three body lines after the salutation, to recognise a repeated copy."""
    i = body_start
    if i < end and _is_salutation(lines[i].text):
        i += 1
    texts = [_compact(line.text) for line in lines[i: min(end, i + 3)]]
    if texts:
        texts[0] = _SALUTATION_PREFIX_RE.sub("", texts[0])
    return tuple(texts)


@dataclass
class _Cut:
    head: int
    anchor: int
    end: int
    extra_body: list[SourceLine]


def _cuts(lines: Sequence[SourceLine]) -> list[_Cut]:
    anchors = _anchors(lines)
    if not anchors:
        return []
    cuts: list[_Cut] = []
    lower = 0
    for anchor in anchors:
        head = _head_start(lines, anchor, lower)
        if cuts:
            cuts[-1].end = head
        cuts.append(_Cut(head, anchor, len(lines), []))
        lower = anchor + 1
    # A report whose opening lines repeat an earlier one's is a glued copy, not a new report.
    merged: list[_Cut] = []
    for cut in cuts:
        sig = _signature(lines, cut.anchor, cut.end)
        duplicate = any(
            sig and _signature(lines, other.anchor, other.end)[: len(sig)] == sig for other in merged
        )
        if duplicate and merged:
            merged[-1].extra_body.extend(lines[cut.head: cut.end])
        else:
            merged.append(cut)
    return merged


def _titled_page(lines: Sequence[SourceLine]) -> _Cut | None:
    """A page without an opening: one report under its first title or subtitle line."""
    kinds = []
    for i, line in enumerate(lines):
        next_kind = None
        if i + 1 < len(lines) and _is_title(lines[i + 1].text):
            next_kind = _TITLE
        kinds.append(_line_kind(line.text, next_kind))
    for i, kind in enumerate(kinds):
        if kind in (_TITLE, _YEAR, _SUBTITLE):
            j = i
            while j < len(lines) and kinds[j] in (_TITLE, _YEAR, _SUBTITLE, _SPEAKER):
                j += 1
            rest = "".join(line.text for line in lines[j:])
            if len(re.findall(r"[\u4e00-\u9fff]", rest)) >= 100:
                return _Cut(i, j, len(lines), [])
            return None
    return None


def split_document(doc: CleanedDocument) -> list[ReportDraft]:
    """Cut ``doc`` into reports, each with its attribution.

    Every line lands in exactly one draft: lines above the first report's title go to its
    preamble, the tail of the page to the last report's body.

    Raises InputError when the page holds no report.
    """
    lines = doc.lines
    cuts = _cuts(lines) or ([cut] if (cut := _titled_page(lines)) else [])
    if not cuts:
        raise InputError(NO_REPORT_MESSAGE, path=doc.source.path)
    drafts = []
    for n, cut in enumerate(cuts):
        head_lines = lines[cut.head: cut.anchor]
        title_idx = _title_indexes(head_lines)
        title_lines = tuple(line for k, line in enumerate(head_lines) if k in title_idx)
        preamble = tuple(line for k, line in enumerate(head_lines) if k not in title_idx)
        if n == 0:
            preamble = tuple(lines[: cut.head]) + preamble
        body = tuple(lines[cut.anchor: cut.end]) + tuple(cut.extra_body)
        body = tuple(sorted(body, key=lambda line: line.number))
        drafts.append(ReportDraft(attribute(title_lines, preamble, body), title_lines, preamble, body))
    return drafts


def _is_pure_title(text: str) -> bool:
    """A title line that holds nothing else (no subtitle after a dash)."""
    compact = _compact(text)
    return _is_title(text) and _title_part(compact) == compact


def _title_indexes(head: Sequence[SourceLine]) -> set[int]:
    """The report's own title: the title line nearest the opening (with a "2019年" line
    above it).  Page headings further up, and title+subtitle lines, stay in the preamble so
    that their text is kept."""
    for k in reversed(range(len(head))):
        if _is_title(head[k].text):
            if not _is_pure_title(head[k].text):
                return set()
            if k > 0 and _YEAR_ONLY_RE.match(_compact(head[k - 1].text)):
                return {k - 1, k}
            return {k}
    return set()


def scraped_title_of(lines: Sequence[SourceLine]) -> str:
    """What the page calls the report: the title line nearest the opening, letter-spacing
    removed, a "2019年" line above it joined on.  ``lines`` are the report's title and
    preamble lines in page order."""
    for k in reversed(range(len(lines))):
        if _is_title(lines[k].text):
            title = _title_part(_compact(lines[k].text))
            if k > 0 and _YEAR_ONLY_RE.match(_compact(lines[k - 1].text)):
                title = _compact(lines[k - 1].text) + title
            return title
    return ""


# --------------------------------------------------------------------------- attribution


@dataclass
class _Facts:
    delegation: str = ""
    verb: str = ""
    who: str = ""
    session: str | None = None
    session_place: str = ""
    delivered: str | None = None
    date_year: int | None = None
    date_text: str = ""
    speaker: str | None = None
    office: str = ""


def _split_who(who: str) -> tuple[str, str]:
    """(place prefix, normalized body): 苏州市人民政府 -> (苏州市, 人民政府); 市人大常委会 -> (市, 人大常委会)."""
    for suffix, body in _BODY_SUFFIXES:
        if who.endswith(suffix):
            return who[: -len(suffix)], body
    for suffix in ("人民检察院", "中级人民法院", "高级人民法院", "人民法院", "检察院", "法院"):
        if who.endswith(suffix):
            return who[: -len(suffix)], suffix
    return "", who


def _strip_places(office: str) -> str:
    """区长 from 呼伦贝尔市海拉尔区人民政府区长; keeps 国务院总理, 自治区人民政府主席."""
    parts = places.split_chain(office)
    while len(parts) > 1 and places.lookup(parts[0]) and parts[0].endswith(("省", "市", "区", "县", "州", "旗", "盟")):
        parts = parts[1:]
    rest = "".join(parts)
    if rest != office and rest.startswith("人民政府") and len(rest) > 4:
        rest = rest[4:]
    return rest


def _facts(title_lines: Sequence[SourceLine], preamble: Sequence[SourceLine], body: Sequence[SourceLine]) -> _Facts:
    facts = _Facts()
    for line in body[:6]:  # the opening stands at the top of the body
        match = _delegation(line.text)
        if match:
            facts.delegation, facts.verb, facts.who = match.group(0), match.group("verb"), match.group("who")
            break
    head = [line.text for line in (*title_lines, *preamble)]
    joined = _digits("".join(_compact(text) for text in head))
    for match in _DATE_RE.finditer(joined):
        if joined[match.end(): match.end() + 1] == "在":
            year = _cn_number(match.group("y"))
            facts.date_year = year
            facts.delivered = f"{year:04d}-{_cn_number(match.group('m')):02d}-{_cn_number(match.group('d')):02d}"
            facts.date_text = match.group(0)
            break
    session = _SESSION_RE.search(joined)
    if session:
        facts.session = session.group("session")
        facts.session_place = session.group("place")
        if "全国人民代表大会" in facts.session:
            facts.session_place = places.NATIONAL
    for text in head:
        found = _speaker(text)
        if found:
            office, name = found
            facts.office = office
            facts.speaker = f"{_strip_places(office)} {name}"
            break
    return facts


def _kind(facts: _Facts, scraped: str, body_text: str) -> tuple[str, str]:
    """(kind, reason)."""
    if facts.who:
        _, body = _split_who(facts.who)
        if body == "人大常委会":
            return NPC_STANDING_COMMITTEE_REPORT, f'报告人称"{facts.delegation}"'
        if body in ("人民政府", "国务院", "中央人民政府"):
            return GOVERNMENT_WORK_REPORT, f'报告人称"{facts.delegation}"'
        return OTHER_REPORT, f'报告人称"{facts.delegation}"'
    if facts.office and _GOV_OFFICE_RE.search(facts.office):
        return GOVERNMENT_WORK_REPORT, f"报告人为{facts.office}"
    title_kind = _kind_of_title(scraped)
    if title_kind:
        return title_kind, f'标题为"{scraped}"'
    if body_text.count("常委会") >= 5 and body_text.count("常委会") > body_text.count("政府"):
        return NPC_STANDING_COMMITTEE_REPORT, "正文以常委会为主语"
    return OTHER_REPORT, ""


def _kind_of_title(title: str) -> str | None:
    if re.search(r"人大常委会|常务委员会|人大常务委员会", title):
        return NPC_STANDING_COMMITTEE_REPORT
    if "政府工作报告" in title or "人民政府工作报告" in title:
        return GOVERNMENT_WORK_REPORT
    return None


def _national(facts: _Facts) -> bool:
    prefix, body = _split_who(facts.who) if facts.who else ("", "")
    if body in ("国务院", "中央人民政府") or prefix == "全国":
        return True
    if facts.session_place == places.NATIONAL:
        return True
    return facts.office.startswith("国务院")


@dataclass
class _PlaceChoice:
    division: places.Division | None
    reasons: list[str]
    laws: list[str]


def _level_hint(facts: _Facts) -> str:
    if facts.who:
        prefix, _ = _split_who(facts.who)
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


def _choose_place(facts: _Facts, scraped: str, head_text: str, body_text: str) -> _PlaceChoice:
    """Weigh every place clue and pick the division the report speaks for.

    ``head_text``: the title and preamble lines.  The places named in the whole report (its
    context) are those of the head, then those of the body: no name spans a line break."""
    body_mentions = places.find_places(body_text)
    context = places.unambiguous(places.find_places(head_text)) + places.unambiguous(body_mentions)
    scores: Counter[str] = Counter()
    reasons: list[str] = []

    def add(name: str, weight: float, reason: str) -> places.Division | None:
        div = places.resolve(name, context)
        if div:
            scores[div.code] += weight
            if reason:
                reasons.append(reason)
        return div

    if facts.who:
        prefix, _ = _split_who(facts.who)
        if prefix not in _GENERIC_PREFIXES:
            add(prefix, 100, "")
    if facts.session_place:
        add(facts.session_place, 60, f"会议：{facts.session}")
    if facts.office:
        office_places = places.split_chain(facts.office)
        if len(office_places) > 1 and places.lookup(office_places[0]):
            chain = ""
            for part in office_places:
                if places.lookup(part):
                    chain += part
                else:
                    break
            add(chain, 40, "")
    laws: dict[str, list[str]] = {}
    for match in _LAW_RE.finditer(body_text):
        div = places.resolve(match.group("place"), context)
        if div:
            scores[div.code] += 15
            laws.setdefault(div.code, [])
            law = f"《{match.group('law')}》"
            if law not in laws[div.code]:
                laws[div.code].append(law)
    for mention in places.find_places(scraped):
        div = places.choose(mention.candidates, context)
        if div:
            scores[div.code] += 8
    body_counts = places.count_places(body_mentions, context)
    for code, count in body_counts.items():
        scores[code] += count
    hint = _level_hint(facts)
    table = places.divisions()
    for code in list(scores):
        if _matches_hint(table[code], hint):
            scores[code] += 20
    if not scores:
        return _PlaceChoice(None, reasons, [])
    best = max(scores, key=lambda code: (scores[code], -table[code].level))
    chosen = table[best]
    # Quote statutes (条例) before lesser rules (办法, 规定), each group in text order.
    chosen_laws = sorted(laws.get(best, []), key=lambda law: not law.endswith("条例》"))
    if chosen_laws:
        reasons.append("地方法规：" + "、".join(chosen_laws[:3]))
    if body_counts.get(best):
        reasons.append(f"正文提到{chosen.name} {body_counts[best]} 次")
    return _PlaceChoice(chosen, reasons, chosen_laws)


def _year(facts: _Facts, body_text: str, scraped: str) -> tuple[int | None, str]:
    """(year of delivery, reason)."""
    if facts.date_year:
        return facts.date_year, f"日期：{facts.date_text}"
    text = _digits(body_text)
    votes: Counter[int] = Counter()
    first_seen: dict[int, tuple[int, str]] = {}
    for regex, weight in ((_PLAN_YEAR_RE, 2), (_YEAR_IS_RE, 1)):
        for match in regex.finditer(text):
            year = int(match.group(1))
            votes[year] += weight
            first_seen.setdefault(year, (match.start(1), text[match.start(1):match.end()]))
    if votes:
        year = max(votes, key=lambda y: (votes[y], -first_seen[y][0]))
        return year, f'年份：据"{first_seen[year][1]}"'
    if "今年" in text:
        review = _REVIEW_YEAR_RE.search(text)
        if review:
            year = int(next(g for g in review.groups() if g)) + 1
            return year, f'年份：回顾{year - 1}年、部署今年'
    match = re.search(r"(\d{4})年", _digits(scraped))
    if match:
        return int(match.group(1)), f"年份：据标题“{scraped}”"
    return None, ""


def _title(kind: str, year: int | None, place_short: str, issuer: str, scraped: str) -> str:
    prefix = f"{year}年" if year else ""
    if kind == GOVERNMENT_WORK_REPORT:
        if place_short == places.NATIONAL:
            return f"{prefix}国务院政府工作报告" if issuer != "中央人民政府" else f"{prefix}政府工作报告"
        return f"{prefix}{place_short}政府工作报告"
    if kind == NPC_STANDING_COMMITTEE_REPORT:
        name = "全国" if place_short == places.NATIONAL else place_short
        return f"{prefix}{name}人大常委会工作报告"
    return scraped or f"{prefix}{place_short}工作报告"


def attribute(
    title_lines: Sequence[SourceLine], preamble: Sequence[SourceLine], body: Sequence[SourceLine]
) -> Attribution:
    """Attribution of one report from its own lines."""
    scraped = scraped_title_of(sorted((*title_lines, *preamble), key=lambda line: line.number))
    facts = _facts(title_lines, preamble, body)
    body_text = "\n".join(line.text for line in body)
    kind, kind_reason = _kind(facts, scraped, body_text)
    evidence: list[str] = [kind_reason] if kind_reason else []

    if _national(facts):
        place, place_short = places.NATIONAL, places.NATIONAL
        place_choice = _PlaceChoice(None, ["全国人民代表大会" if facts.session_place else "国家层面"], [])
    else:
        head_text = "\n".join(line.text for line in (*title_lines, *preamble))
        place_choice = _choose_place(facts, scraped, head_text, body_text)
        div = place_choice.division
        place, place_short = (places.path(div), div.name) if div else ("", "")
    evidence.extend(r for r in place_choice.reasons if r not in evidence)

    issuer = _issuer(kind, facts, place_short)
    year, year_reason = _year(facts, body_text, scraped)
    if year_reason:
        evidence.append(year_reason)
    if facts.speaker:
        evidence.append(f"报告人：{facts.speaker}")
    title = _title(kind, year, place_short, issuer, scraped)
    attribution = Attribution(
        kind=kind, issuer=issuer, place=place, place_short=place_short, year=year, title=title,
        scraped_title=scraped, delivered=facts.delivered, session=facts.session, speaker=facts.speaker,
        evidence=tuple(evidence),
    )
    note = _title_note(attribution, facts, place_choice, body_text, year_reason)
    return replace(attribution, title_note=note)


def _issuer(kind: str, facts: _Facts, place_short: str) -> str:
    body = _split_who(facts.who)[1] if facts.who else ""
    if place_short == places.NATIONAL:
        if kind == NPC_STANDING_COMMITTEE_REPORT:
            return "全国人大常委会"
        return body if body in ("国务院", "中央人民政府") else "国务院"
    if kind == GOVERNMENT_WORK_REPORT:
        return f"{place_short}人民政府"
    if kind == NPC_STANDING_COMMITTEE_REPORT:
        return f"{place_short}人大常委会"
    return f"{place_short}{body}" if body else place_short


def _title_note(a: Attribution, facts: _Facts, choice: _PlaceChoice, body_text: str, year_reason: str) -> str:
    """Why the derived title differs from the page's, in one or two Chinese sentences."""
    scraped = a.scraped_title
    if not scraped or _compact(scraped) == a.title:
        return ""
    clauses: list[str] = []
    scraped_kind = _kind_of_title(scraped)
    if scraped_kind and scraped_kind != a.kind:
        label = KIND_LABELS[a.kind]
        if facts.delegation:
            clauses.append(f"报告人称“{facts.delegation}”，应为{label}")
        else:
            clauses.append(f"正文显示应为{label}")
    scraped_places = [m for m in places.find_places(scraped)]
    scraped_divs = [places.choose(m.candidates) for m in scraped_places]
    if a.place and a.place_short != places.NATIONAL and scraped_divs:
        if all(d is not None and places.path(d) != a.place for d in scraped_divs):
            names = "、".join(dict.fromkeys(m.text for m in scraped_places))
            shorts = {places.short_name(d.name) for d in scraped_divs if d} | {d.name for d in scraped_divs if d}
            mentioned = any(s and s in body_text for s in shorts)
            if choice.laws:
                clause = f"正文所引地方法规和地名均指{a.place_short}（{choice.laws[0]}等）"
            else:
                clause = f"正文所述地方为{a.place_short}"
            clause += f"，未提及{places.short_name(names)}" if not mentioned else f"，并非{names}"
            clauses.append(clause)
    scraped_year = re.search(r"(\d{4})年", _digits(scraped))
    if scraped_year and a.year and int(scraped_year.group(1)) != a.year:
        clauses.append(f"{year_reason.removeprefix('年份：').removeprefix('日期：')}，年份应为{a.year}年")
    if clauses:
        return f"页面标题为“{scraped}”，但" + "；".join(clauses) + "。"
    missing = []
    if not scraped_year and a.year:
        missing.append("年份")
    if not scraped_divs and a.place:
        missing.append("地名")
    if missing:
        return f"页面标题为“{scraped}”，未写明{'和'.join(missing)}，据正文补全为“{a.title}”。"
    return f"页面标题为“{scraped}”，按统一格式改为“{a.title}”。"


# --------------------------------------------------------------------------- slugs

_KIND_CODES = {GOVERNMENT_WORK_REPORT: "zfgzbg", NPC_STANDING_COMMITTEE_REPORT: "rdcwhgzbg", OTHER_REPORT: "report"}


def make_slug(attribution: Attribution, taken: set[str]) -> str:
    """``{year}-{place pinyin}-{kindcode}``, e.g. 2020-suzhou-zfgzbg; -2, -3 … when taken.

    Parts that are unknown are left out.  Does not add the result to ``taken``.
    """
    parts = []
    if attribution.year:
        parts.append(str(attribution.year))
    place = attribution.place_short or attribution.place
    if place:
        romanized = places.place_pinyin(place)
        if romanized:
            parts.append(romanized)
    parts.append(_KIND_CODES.get(attribution.kind, "report"))
    base = re.sub(r"[^a-z0-9-]", "", "-".join(parts).lower()) or "report"
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug
