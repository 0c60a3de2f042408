"""What one line of a report's opening is: a title, a subtitle (date and session), a speaker,
a salutation, a delegation sentence.

Shared by the cutting (``split``) and the attribution (``attribution``).  Every function
takes the line's simplified shadow (``builder.text.shadow``): traditional characters are
matched like simplified ones.
"""

from __future__ import annotations

import re

from builder.text.numerals import ascii_digits

__all__ = ["ascii_digits"]

_WHITESPACE_RE = re.compile(r"[\s\u3000\u00a0]+")

SALUTATION_RE = re.compile(r"^(?:各位代表|各位委员|名位代表|各位代表、同志们|同志们|代表们)[：:，,！!]?$")
SALUTATION_PREFIX_RE = re.compile(r"^(?:各位代表|各位委员|名位代表|各位代表、同志们|同志们|代表们)[：:，,！!]")

# The delegation sentence: who the speaker speaks for, and that they report to the congress.
# ``who`` is the body (苏州市人民政府, 国务院, 市人大常委会); ``to`` the meeting addressed.
_WHO = r"(?P<who>[^，,。；！？、\s]{1,30}?)"
_TO = r"(?P<to>向[^，,。；！？]{0,40}?(?:大会|会议))"
_END = r"(?=[，,。；;！!：:]|请|$)"
_REPORTS = (
    rf"(?:{_TO}[，,]?(?:(?:报告|汇报)(?:政府)?(?:工作)?|[^。]{{0,12}}?作[^。]{{0,60}}?(?:报告|汇报)(?:工作)?{_END}"
    rf"|提出[^。]{{0,80}}?(?:报告|议案){_END})"
    rf"|作[^。]{{0,60}}?(?:报告|汇报)(?:工作)?{_END})"
)
_DELEGATION_RES = (
    # 我代表苏州市人民政府，向大会报告工作 / 我受市人大常委会委托，向大会报告工作 / 我现在代表国务院向大会作…的报告
    re.compile(
        rf"我(?:现在)?[，,]?(?P<verb>代表|受){_WHO}(?:的)?(?:委托)?(?:[，,]?(?:现在)?[，,]?|[，,][^。，]{{0,12}}?)"
        rf"{_REPORTS}"
    ),
    # 受国务院委托，现在我向大会报告
    re.compile(rf"(?P<verb>受){_WHO}(?:的)?委托[，,]?(?:现在)?[，,]?我(?:现在)?[，,]?{_REPORTS}"),
    # 我现在根据国务院的决定，向第二届全国人民代表大会第一次会议作政府工作报告
    re.compile(rf"(?:我(?:现在)?)?(?P<verb>根据){_WHO}的决定[，,]?(?:我(?:现在)?)?[，,]?{_REPORTS}"),
    # 国务院决定由我向第一届全国人民代表大会第四次会议作报告
    re.compile(rf"{_WHO}(?P<verb>决定由我)(?:代表[^，。]{{1,20}})?[，,]?{_REPORTS}"),
    # 中华人民共和国国务院向第一届全国人民代表大会第二次会议提出关于…的议案
    re.compile(
        r"(?P<who>(?:中华人民共和国)?国务院|[^，,。；！？、\s]{2,20}?人民政府)(?P<verb>向)"
        r"(?P<to>[^，,。；！？]{0,40}?(?:大会|会议))提出(?:了)?[^。]{0,80}?议案"
    ),
)
#: Words each form cannot do without: a line lacking them is not searched with it.
_DELEGATION_NEEDS = (("我",), ("受", "委托"), ("根据", "决定"), ("决定由我",), ("议案",))
#: Delegation forms that also describe other things in a report's body (国务院向全国人大常委会
#: 提出…议案): they open a report only at the start of a line.
_OPENING_ONLY = frozenset({2, 3, 4})
_OPENING_REACH = 16

DASH_RE = re.compile(r"—{1,2}|――|―|-{2,4}|－{1,2}")
DATE_RE = re.compile(
    r"(?P<y>\d{4}|[〇○Ｏ零一二三四五六七八九]{4})年(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})月"
    r"(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})日"
)
ADOPTED_RE = re.compile(  # （2019年3月15日第十三届全国人民代表大会第二次会议通过）
    r"^[（(]?.{0,12}?(?P<date>\d{4}年\d{1,2}月\d{1,2}日)(?P<by>[^（）()]{0,60}?会议)[^（）()]{0,12}?(?:通过|批准)[）)]?$"
)
_SESSION_WORDS_RE = re.compile(
    r"第?[一二三四五六七八九十]{1,3}届(?:全国)?人民代表大会(?:常务委员会)?第[一二三四五六七八九十]{1,3}次(?:全体)?会议"
)
OFFICE_WORDS = "省长|市长|区长|县长|州长|旗长|盟长|总理|主席|委员长|主任|检察长|院长|部长|秘书长|书记"
_SPEAKER_RE = re.compile(
    rf"^(?P<office>[\u4e00-\u9fff（）]{{0,30}}?(?:{OFFICE_WORDS}))\s*"
    r"(?P<name>[\u4e00-\u9fff·](?:\s?[\u4e00-\u9fff·]){1,3})$"
)
_CAPTION_RE = re.compile(r"摄$|记者|来源|本报|时间|责任编辑")
VERB_REPORT_RE = re.compile(r"(?<!工)作(?:政府)?(?:工作)?报告")
YEAR_ONLY_RE = re.compile(r"^\d{4}年度?$")
SENTENCE_END = "。；，：！？!?;:"
#: Nouns that end a document's title, for title lines that are not reports (决议, 说明, 讲话).
_DOCUMENT_NOUN_RE = re.compile(r"(?:决议|决定|起草情况的说明|的说明|讲话|致辞|报告|议案)(?:[（(][^）)]{1,12}[）)])?$")


def compact(text: str) -> str:
    """Text without any whitespace (letter-spaced titles become words again)."""
    if text.isprintable():  # its only whitespace can be ASCII spaces (the others are unprintable)
        return text.replace(" ", "")
    joined = text.replace("\n", "").replace(" ", "")  # a page's text: lines joined
    if joined.isprintable():  # then it had no other whitespace
        return joined
    return _WHITESPACE_RE.sub("", text)


def title_part(compact_text: str) -> str:
    """The part of a line before a subtitle dash: 政府工作报告——2006年… -> 政府工作报告."""
    return DASH_RE.split(compact_text, maxsplit=1)[0]


def is_title(text: str) -> bool:
    """A report's title line: short, no sentence, naming a 报告 (政府工作报告（摘要）, …的报告)."""
    part = title_part(compact(text))
    return (
        0 < len(part) <= 50
        and "报告" in part
        and part[-1] not in SENTENCE_END
        and "，" not in part
        and "我" not in part
        and not _CAPTION_RE.search(part)
        and not VERB_REPORT_RE.search(part)
    )


def is_pure_title(text: str) -> bool:
    """A title line that holds nothing else (no subtitle after a dash)."""
    text_compact = compact(text)
    return is_title(text) and title_part(text_compact) == text_compact


def is_document_heading(text: str) -> bool:
    """A heading of a document that may not be a report: 关于政府工作报告的决议, 在…上的讲话."""
    part = title_part(compact(text))
    return (
        4 <= len(part) <= 60
        and part[-1] not in SENTENCE_END
        and "，" not in part
        and bool(_DOCUMENT_NOUN_RE.search(part))
        and not _CAPTION_RE.search(part)
    )


def is_adoption_line(text: str) -> bool:
    """The line under a resolution's heading that says when which meeting adopted it."""
    return bool(ADOPTED_RE.match(ascii_digits(compact(text))))


def is_subtitle(text: str) -> bool:
    """The date-and-session line under a title: ——2024年3月5日在…会议上, （…会议上）."""
    text_compact = ascii_digits(compact(text))
    if len(text_compact) > 90:
        return False
    if _SESSION_WORDS_RE.search(text_compact) and (
        DATE_RE.search(text_compact) or text_compact.startswith(("—", "-", "―", "（", "("))
    ):
        return True
    if DATE_RE.search(text_compact) and re.search(r"日在.*会议", text_compact):
        return True
    # The second half of a subtitle broken over two lines: 人民代表大会第五次会议上
    return len(text_compact) <= 30 and bool(re.search(r"会议上[）)]?$", text_compact))


def speaker(text: str) -> tuple[str, str] | None:
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
                return match.group("office"), compact(match.group("name"))
    return None


def is_salutation(text: str) -> bool:
    return bool(SALUTATION_RE.match(compact(text)))


def delegation_forms() -> tuple[re.Pattern[str], ...]:
    """The delegation sentence's forms, the two usual ones first."""
    return _DELEGATION_RES


def delegation(text: str, *, opening: bool = False) -> re.Match[str] | None:
    """The delegation sentence in a line: 我代表X，向大会报告工作, 我受X委托…, 根据X的决定…,
    X决定由我向…作报告, 国务院向…会议提出…议案.

    ``opening``: the line is looked at as a report's possible first line (forms that also
    describe other things must then stand at its start)."""
    text_compact = compact(text)
    for n, regex in enumerate(_DELEGATION_RES):
        if not all(word in text_compact for word in _DELEGATION_NEEDS[n]):
            continue
        match = regex.search(text_compact)
        if match and (not opening or n not in _OPENING_ONLY or match.start() <= _OPENING_REACH):
            return match
    return None
