"""Indicators: the quantitative statements of a report (values, changes, targets).

Pure functions over paragraph text; nothing here reads files or knows HTML::

    extract_paragraph("预计实现地区生产总值1.93万亿元，增长6%。", "s1-1-p1",
                      Context(sections=("一、2019年工作回顾",), report_year=2020))
    # [Indicator(label="地区生产总值", value="1.93万亿元", value_normalized=1930000000000,
    #            unit_normalized="元", change=6, change_unit="%", qualifier="预计",
    #            kind="actual", year=2019, anchor="s1-1-p1", span="1.93万亿元", ...)]

A figure is an Arabic number followed by a unit (元, 美元, %, 个百分点, 家, 人 ...),
optionally with a magnitude word (万, 亿, 万亿).  Bare numbers (years, hotline numbers,
section numbers), numbers after 第, and numbers inside quotes or book-title marks
(“12345”, 《…》) are never indicators.  A change is a verb (增长, 下降, 提高 ...) followed
by a percentage or percentage points; a change without its own label belongs to the
figure before it in the same sentence (“地区生产总值1.93万亿元，增长6%”).  Lists with
分别 are split (“城乡居民人均可支配收入分别达到6.86万元和3.5万元、增长8%和8.1%”).

The label is taken from the clause: the text between the previous clause boundary (or the
previous figure) and the number, with connectives and verbs trimmed; when that is empty
(“新建14家…研究院”) the noun phrase after the figure is used.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache

from builder.core.model import Report, Section
from builder.indicators import labels
from builder.text.numerals import CN_AMOUNT, YEAR, cn_amount, year_number
from builder.text.segment import cut
from builder.text.shadow import shadow

ACTUAL, TARGET, OTHER = "actual", "target", "other"

MAGNITUDES = {"万亿": 12, "亿": 8, "万": 4, "千": 3}
#: Measure words and units a figure may carry (longest first when matched).
COUNT_UNITS = (
    "个工作日", "户次", "场次", "件次", "平方公里", "平方米", "立方米", "千瓦时", "千瓦", "公里", "千米", "人次",
    "标箱", "公顷", "公斤", "千克",
    "微克", "美元", "元", "人", "户", "家", "个", "件", "所", "项", "条", "座", "名", "辆", "台", "套",
    "张", "篇", "部", "场", "批", "处", "次", "吨", "亩", "天", "小时", "倍", "例", "支", "位", "间",
    "栋", "床", "本", "期", "份", "架", "艘", "块", "株", "棵", "米", "起", "宗", "个点", "门", "P",
    # older and farm reports: 亿斤, 万担 (cotton), 亿度 (kWh), 千瓦小时, 万头, freight in 吨公里; the
    # metric units' names of the 1950s (and of Taiwan's usage): 公尺, 平方公尺, 公吨/公噸
    "斤", "担", "度", "头", "千瓦小时", "吨公里", "平方公尺", "立方公尺", "公尺", "公吨", "公噸",
    # kinds counted (20种重大疾病); an age, a figure only as a life expectancy or an average age
    # (see _not_a_figure)
    "种", "岁",
)
PERCENT_UNITS = ("个百分点", "百分点", "%", "‰")
_UNITS = sorted(PERCENT_UNITS + COUNT_UNITS, key=len, reverse=True)
_UNIT_RE = "|".join(re.escape(u) for u in _UNITS)
#: Units of two or more characters: text after a figure starting with one is the rest of a unit
#: (亿千瓦|小时), never a noun.
_LONG_UNITS = tuple(u for u in _UNITS if len(u) >= 2)

#: ``qualifier`` values; the ones before a number and the ones after it.
QUALIFIERS_BEFORE = ("预计", "超过", "突破", "约", "近", "逾", "超")
QUALIFIERS_AFTER = ("左右", "以上", "以内", "以下", "上下")

CHANGE_UP = ("增长", "增加", "提高", "上升", "提升", "上涨", "增幅", "涨幅", "扩大", "增速")
#: Change words that are nouns too: the rate of a thing (居民消费价格涨幅), named as such right before its value.
RATE_NAMES = ("增幅", "涨幅", "降幅", "增速")
#: The thing a rate is of, written right before the rate's name (a noun's last character, not a comma).
_NAMED_RATE = re.compile(r"[\u4e00-\u9fff”）]$")
CHANGE_DOWN = ("下降", "降低", "减少", "回落", "下滑", "缩小", "降幅", "下跌")

#: A number: digits (in groups of three after the first, as older reports write them: 33,212; with
#: a middle dot for the decimal point, as some do: 19·5%, only where a unit follows, so that a date
#: named by its digits, “5·12”地震, is none), or
#: Chinese numerals with a magnitude or a decimal point in them (八千七百一十, 三点七: a bare 三 is a
#: word, “三个方面”, not a figure).
_NUM = (r"(?<![A-Za-z0-9.·\-])(?<!\d,)(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.·]\d+)?"
        r"|(?<![〇○零一二三四五六七八九十两百千万亿])(?=[〇○零一二三四五六七八九两]*[十百千万亿])" + CN_AMOUNT + ")")
_FIGURE = re.compile(
    # the lookahead changes no match; it lets the scan skip every character no figure starts with
    r"(?=[超突约近逾\d一二三四五六七八九十两])"
    # (约, 近, 超 only as words of their own: not the end of 节约, 接近, 赶超)
    r"(?P<pre>(?:超过|突破|(?<![节大制条预签契合公邀相隐简婚违履])约|(?<![最接附将靠])近|逾|(?<![赶])超)?)" + _NUM
    # 多 / 余 after the digits (“57600多亿元”) or after the magnitude word (“668万余元”)
    + r"(?P<lead>余|多)?(?P<mag>万亿|亿|万|千)?(?P<about>余|多)?(?P<unit>" + _UNIT_RE + r")(?![A-Za-z])"
    # a unit per volume or area (“26.3微克/立方米”), or the measure word of a variant (“7.4万套（间）”)
    + r"(?P<per>/(?:立方米|平方米|平方公里|公顷|亩|人|户|年|月|天))?(?P<alt>（(?:间|个|户|套|座|人次|家|处|张)）)?"
    + r"(?P<post>左右|以上|以内|以下|上下)?"
)
_CHANGE_VERB = re.compile(
    r"(?:同比|年均|平均每年|每年平均|年平均|(?<!可)(?:比|较)[^，。；、：\d]{1,6}|(?:比|较)" + YEAR
    + r"年(?:末|底)?)?(?:实际|名义)?(?:分别)?"
    r"(?P<verb>" + "|".join(CHANGE_UP + CHANGE_DOWN) + r")(?:了|达到|达|约)?$"
)
_CLAUSE_END = "，。；：！？,;:!?\n"
_DIGIT = re.compile(r"\d")
_CLAUSE_END_RE = re.compile("[" + re.escape(_CLAUSE_END) + "]")
_SENTENCE_END = re.compile(r"[。！？；!?;]")
#: A bare number just before a figure that shares its unit (“18.8和10个百分点”), in the 12
#: characters before it.
_BARE_BEFORE = re.compile(r"(?<![A-Za-z0-9.\-])(\d+(?:\.\d+)?)(万亿|亿|万)?[和、]$")
_RANGE_DASH = re.compile(r"[—–~～至\-－]{1,2}")
_NOT_A_COUNT = ("方面", "领域", "大类", "批次")  # “以下14个方面的工作”
_LIST_JOINER = "和、及与"
_CHANGE_WORD = re.compile("|".join(CHANGE_UP + CHANGE_DOWN))
_QUOTED = re.compile(r"“[^”]{0,40}”|《[^》]{0,60}》|‘[^’]{0,40}’|\"[^\"]{0,40}\"")

#: A number of years (五年, 连续两年): how long a total or a change ran.
_COUNTED_YEARS = r"(?:连续)?(?:[一二三四五六七八九十两]+|(?<=连续)\d{1,2})年"
#: Trimmed from the end of a label, repeatedly.
#: A time of a year the words before a figure end with (去年底, 年末, 今年, 上半年): when, not what.
_TIMES_OF_YEAR = r"(?:" + YEAR + r"|[去今上明本])?年(?:底|末|初)|[去今明本]年|上半年|下半年"
_TAIL_TRIM = re.compile(
    r"(?:达到|达|为|是|完成|实现|均|突破|超过|接近|超|约|近|逾|保持在|保持|控制在|稳定在|提高到|提高至|提升到|提升至|"
    r"增加到|增至|升至|降至|升到|降到|下降到|降低到|控制到|控制至|(?<=[值量入出额])计划|就已经|已经|[升降增减]为|从|由|总计|共计|累计|平均|分别|各|已|有|新增到|扩大到|，|、|和|的|"
    r"拟?定为|拟?定在|首次|首度|再次|再度|将近|将|要|又|按可比口径|按可比价格|按可比价|可比口径|同口径|逆势|实际|"
    # “经济增长速度的调控目标定为8%”: the target of a measure is named by the measure
    r"的(?:调控|预期|控制|发展)?目标|"
    # a change reached (上升到50.5%), a time a total or change is of (…五年, …一九九○年); 每 and a
    # measure (每万人), but not a standard's rise each month (每月提高183元: an increment, named so)
    r"(?:上升|下降|提高|提升|增加|增长|降低|减少|扩大|缩小|缩减|回落|发展)(?:到|至|为)|"
    r"(?:比|较)“[^”]{1,6}”(?:时期|期间|末)?|(?:到|至)" + YEAR + r"年(?:底|末)?|"
    r"(?<![前近由从])在?" + _COUNTED_YEARS + r"(?:间|中|里|内)?|" + YEAR + r"年|(?:比|较)" + YEAR + r"年?|"
    # an average that only says how the figure is summed up (城镇调查失业率平均值为5.0%), and adverbs
    # of a series of figures (进出口总额接连突破8万亿元、9万亿元)
    r"平均值|(?<=率)均值|接连|相继|陆续|"
    # the work a count is of, named as a task (老旧小区改造任务45个: the renovations are counted)
    r"(?:(?<=改造|整治|治理|搬迁)|(?<=[^”]建设))任务|"
    # the start of a span of years whose end was trimmed (…从一九五三年至一九八○年的二十八年间)
    r"(?:从|由|自)?" + YEAR + r"年(?:至|到)|"
    # a share that only says it is one (…的比重已占百分之五十)
    r"(?<=比重|占比)(?:已经?)?占|"
    r"迅速|大幅度?|稳步|逐步|明显|显著|预计|力争|确保|按|"
    # what only says the figure is estimated, still so, or a bound (估计将增加, 仍然高达, 低于4.6%), and
    # a price adjustment that only says how growth is compared (扣除价格因素增长7.8%)
    r"估计|大约|高达|多达|应该|应当|必须|争取|预定|可以|可能|能够|继续|进一步|仍然|依然|"
    # a target's name for itself (…增长预期目标为7%), and when (…就业率去年底达到83%)
    r"预期目标|" + _TIMES_OF_YEAR + r"|(?<!大大|明显|远远)(?<!略)低于|不低于|不超过|不高于|不少于|不多于|"
    r"(?:扣除|考虑)(?:价格|物价)(?:上涨|下降|变动)?因素|"
    r"每(?![^\d，。；]{0,3}(?:提高|增加|减少|增长|下降|上涨|新增|增产|减产))[^\d，。；]{1,4})$"
)
#: Adverbs and prepositions of one character that end a label only as words of their own (赤字率在2%,
#: 竣工面积可达, 赤字率拟按, 涨幅仍高达, 共达, 就达): trimmed when the segmenter cuts them alone.
_TAIL_WORD = re.compile(r"(?<=[\u4e00-\u9fff”）])(?:可|拟|仍|就|在|共|还|也|却|都|(?<!的)(?:只|仅)占)$")
#: A time that ends a label (“…投资总额五年”): trimmed, unless it is all there is (then it says when, and
#: the figure is named by what the sentence named before it).
_TIME_AT_END = re.compile(_COUNTED_YEARS + "|" + YEAR + r"年|[去今上明本]?年(?:底|末|初)")
#: A decade (“五十年代”, “1980年代末”).
_DECADE = r"(?:[一二三四五六七八九]十|(?:19)?[5-9]0)年代(?:初期?|末期?|中期)?"
#: When a change started (“贫困人口由“七五”末的8500万…”, “由2010年的5.24亿元…”): the time after 由 / 从
#: says when the figure was, not what it is (but “从玉门向西铺轨” names a place).
_WHEN = (r"(?P<year>" + YEAR + r")年(?:底|末|初)?|[上去今前]年(?:底|末|初|同期)?|年[初底末]|前[一二三两四五]年"
         r"|“[^”]{1,6}”(?:末|期间|初)?|" + _DECADE)
_FROM = re.compile(r"(?:将|分别)?(?:由|从)(?P<when>(?:人均|月人均)$|" + _WHEN + r")(?:的|人均|月人均)?$")
#: The base of a comparison (“较“十三五”末的9323.1亿元增加…”): the measure of the figure before it.
_BASE = re.compile(r"(?:较|比)(?:" + _WHEN + r")的?")
#: Words whose last character _TAIL_TRIM would trim (节约, 拥有): a label ending with one keeps it.
_WORDS_ENDING_AS_TRIMMED = frozenset((
    "节约", "大约", "制约", "接近", "附近", "最近", "将近", "靠近", "赶超", "拥有", "具有", "没有", "所有", "占有",
    "享有", "现有", "平均", "人均", "年均", "理由", "自由", "经由", "因为", "作为", "成为", "认为", "行为",
    "主要", "重要", "需要", "必要", "纪要", "摘要", "提要", "首要", "次要", "大将", "老将", "武将", "名将", "总和"))
#: The longest text _TAIL_TRIM trims (扣除物价上涨因素, 比1956年, 的调控目标, 每 and four characters).
_TAIL_TRIM_MAX = 8
#: Where the noun phrase after a count ends (“5家企业通过…认定” -> 企业).
#: What a clause says was done to or by counted things (“115户家庭入住公租房”, “13项…技术项目首次纳入医保
#: 报销”, “6.48万名监测对象稳定消除返贫致贫风险”): they are named by it, as counted people are.
_DONE_TO = (r"(?:首次|稳定|率先|顺利|全面|免费|有序|正式|基本|已|陆续|相继|年内)?"
            r"(?:入住(?!率)|纳入|开工建设(?!项目)|消除|用上|获批(?!项目)"
            r"|晋升|开工(?![建项])|投产|建成(?=[，。；]|$)|退出|启用"
            r"|整[县乡镇村]建[成设])")
_FORWARD_STOP = re.compile(_DONE_TO + r"|以及|并|作为|通过|实现|全部|获得|获批|入选|成为|被|完成|建成|达到|"
                           r"参加|参与|列席|"
                           r"获评|新获评|发放|投放|拨付|"
                           r"关闭|取消|开展|进行|"
                           r"(?<![方导定走面动意倾纵转趋外内双多指去取志投流风航])向|(?<![针反面相绝核])对(?![外口接象话比应策])|到(?![位期户村校])|[的和及]|[，。；：、（]")

_TARGET_SECTION = re.compile(r"主要任务|主要目标|目标任务|预期目标|工作安排|工作建议|今后|下一步|展望|计划")
_ACTUAL_SECTION = re.compile(r"工作回顾|过去|回顾|主要工作|取得")
_TARGET_SENTENCE = re.compile(r"预期目标|力争|确保|争取|计划(?:完成|实现|达到|新增|建设)|目标是|将达到|要达到")
_TARGET_IN_REVIEW = re.compile(r"预期目标|力争")
_YEAR_IN_TITLE = re.compile(r"(" + YEAR + r")年")
_ACTUAL_SENTENCE = re.compile(r"过去一年|去年|上年|已|累计|完成|实现|达到|新增|审议|开展|组织|召开|督办|办理|制定|"
                              r"建成|认定|发放|培训|扶持|惠及|收到|听取|检查|调研|通过|出台|审查|清理|批示|任免|接待")


@dataclass(frozen=True)
class Context:
    """Where a paragraph stands: what the extraction needs besides its text."""

    sections: tuple[str, ...] = ()
    """Titles of the headings above the paragraph, outermost first (with their numbering)."""
    report_year: int | None = None
    """The year the report was delivered (its results are about the year before)."""
    report: str = ""
    """The report's slug."""


#: Display names of the kinds (pages, sidebar).
KIND_NAMES = {ACTUAL: "实绩", TARGET: "目标", OTHER: "其他"}


@dataclass(frozen=True, slots=True)
class Indicator:
    """One quantitative statement of a report.

    Slotted: a report makes hundreds of indicators, and slots make each one smaller and its
    fields quicker to read.
    """

    label: str
    """The metric as the clause names it, e.g. "地区生产总值"."""
    value: str | None
    """The value as written, e.g. "1.93万亿元"; None when the statement gives only a change."""
    value_normalized: int | float | None
    """The value in the base unit (1930000000000 for 1.93万亿元); None with ``value``."""
    unit_normalized: str | None
    """Base unit: 元, 美元, %, pp, 人, 家, 亩 ...; None with ``value``."""
    change: int | float | None
    """Growth (+) or decline (-) as a number, e.g. 6 for 增长6%; None when not stated."""
    change_unit: str | None
    """"%" or "pp" (percentage points); None without ``change``."""
    qualifier: str | None
    """左右, 以上, 以内, 以下, 突破, 超过, 约, 近, 预计 ...; None when the figure is exact."""
    kind: str
    """"actual" (a reported result), "target" (a goal or plan) or "other"."""
    year: int | None
    """The year the figure refers to."""
    anchor: str
    """Id of the paragraph that states it."""
    span: str
    """The exact source text of the figure (the value, or the change when there is no value)."""
    start: int
    """Offset of ``span`` in the paragraph text."""
    end: int
    """End offset of ``span`` in the paragraph text."""
    change_text: str | None = None
    """The change as written, e.g. "增长6%"."""
    report: str = ""
    """The report's slug."""
    section: str = ""
    """The title of the nearest heading above the paragraph ("" before the first heading)."""

    @property
    def id(self) -> str:
        """A stable element id for the figure in the page: ``i-<anchor>-<start>``."""
        return f"i-{self.anchor}-{self.start}"

    @property
    def data_value(self) -> str:
        """The machine-readable value for ``<data value>``: the normalized value, else the change."""
        number = self.value_normalized if self.value_normalized is not None else self.change
        return format_number(number)

    @property
    def value_display(self) -> str:
        """The value as written with its qualifier (the span), or '' for a change-only figure."""
        return self.span if self.value is not None else ""

    @property
    def change_display(self) -> str:
        """The change as written (增长6%左右), or ''."""
        return self.change_text or ""

    @property
    def kind_name(self) -> str:
        """The display name of ``kind`` (实绩, 目标, 其他)."""
        return KIND_NAMES.get(self.kind, self.kind)


@dataclass(slots=True)
class _Figure:
    """A number with its unit as it stands in the text (internal: what indicators are made of)."""

    start: int
    end: int
    num: str
    mag: str
    unit: str
    pre: str
    post: str
    change_verb: str = ""
    verb_start: int = -1
    """Where the change verb (增长, 下降 …) starts."""
    phrase_start: int = -1
    """Where the change phrase starts, with 同比 / 比上年 / 分别 before the verb."""
    about: str = ""
    lead: str = ""
    """多 / 余 written between the digits and the magnitude word (“57600多亿元”)."""
    per: str = ""
    """The rest of a unit per volume or area (“/立方米”)."""
    alt: str = ""
    """The measure word of a variant, in brackets (“（间）” of 7.4万套（间）)."""
    implicit_unit: bool = False
    """The unit is not written here but shared with the next figure (“提高18.8和10个百分点”)."""
    digits: str = ""
    """The number in decimal digits when it is written in Chinese numerals (八千七百一十 -> 8710)."""
    written: str = ""
    """The figure as written when it is not number + magnitude + unit (百分之三点七)."""

    @property
    def decimal(self) -> str:
        """The number in decimal digits, however it is written."""
        return self.digits or self.num

    @property
    def percent(self) -> bool:
        return self.unit in PERCENT_UNITS

    @property
    def is_change(self) -> bool:
        """A percentage after a change verb (增长6%), or a multiple (增长12倍: 1200%)."""
        return bool(self.change_verb) and (self.percent or self.unit == "倍")

# --------------------------------------------------------------------------- numbers


def _decimal_number(num: str, mag: str) -> int | float:
    if num.isdecimal():  # no fraction: the common case, exact in integers
        return int(num) * 10 ** MAGNITUDES.get(mag, 0)
    value = Decimal(num).scaleb(MAGNITUDES.get(mag, 0))
    return int(value) if value == value.to_integral_value() else float(value)


def format_number(number: int | float | None) -> str:
    if number is None:
        return ""
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    return str(number)


def _unit_normalized(unit: str) -> str:
    if unit in ("个百分点", "百分点"):
        return "pp"
    return unit


# --------------------------------------------------------------------------- extraction


def _excluded_regions(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _QUOTED.finditer(text)]


def _inside(position: int, regions: list[tuple[int, int]]) -> bool:
    """Whether ``position`` is in one of ``regions`` (sorted, not overlapping)."""
    k = bisect_right(regions, (position, math.inf))  # the regions starting at or before it
    return k > 0 and position < regions[k - 1][1]


def _find_change_verb(fig: _Figure, text: str) -> None:
    """Record the change verb (增长, 下降 …) in the 14 characters before a percentage ``fig``."""
    head = text[max(0, fig.start - 14):fig.start]
    verb = _CHANGE_VERB.search(head)
    if verb and verb.group("verb") in RATE_NAMES and verb.end() == len(head) and verb.start() == verb.start("verb") \
            and _NAMED_RATE.search(head, 0, verb.start()):
        return  # “居民消费价格涨幅3%左右”: the report names the rate, and the figure is its value
    if verb:
        fig.change_verb = verb.group("verb")
        fig.verb_start = fig.start - (len(head) - verb.start("verb"))
        fig.phrase_start = fig.start - (len(head) - verb.start())


def _figures(text: str) -> list[_Figure]:
    """Every figure of ``text``, in order (a bare number sharing the next one's unit included)."""
    excluded = _excluded_regions(text)
    out: list[_Figure] = []
    for m in _FIGURE.finditer(text):
        if _masked(text, m.start("num"), excluded):
            continue
        pre, num, mag, about, unit, post = m.group("pre", "num", "mag", "about", "unit", "post")
        if num[0].isdigit():
            digits = num.replace(",", "").replace("·", ".") if "," in num or "·" in num else ""
        else:
            digits = cn_amount(num)
            if digits is None or len(num) < 2 or not mag and not _CN_MAGNITUDE.search(num):
                continue  # (三个, 两项, 十件: a number word, not a figure)
        fig = _Figure(start=m.start(), end=m.end(), num=num, mag=mag or "",
                      unit=unit, pre=pre or "", post=post or "", about=about or "", lead=m.group("lead") or "",
                      per=m.group("per") or "", alt=m.group("alt") or "", digits=digits)
        shared = _shared_unit_figure(text, fig, excluded)
        if shared is not None:
            out.append(shared)
        if _not_a_figure(text, fig, out[-1] if out else None):
            continue
        if fig.percent or fig.unit == "倍":
            _find_change_verb(fig, text)
        out.append(fig)
    if "分之" in text:
        for fig in _percents_in_words(text, excluded):
            _find_change_verb(fig, text)
            out.append(fig)
        out.sort(key=lambda f: f.start)
    return _with_bare_from_to(text, out, excluded)


_CN_MAGNITUDE = re.compile("[十百千万亿点]")
#: A percentage or per-mille in words (“百分之三点七”, “百分之八十”, “千分之六点一”), as older reports write them.
_PERCENT_IN_WORDS = re.compile(r"(?P<pre>超过|近|约)?(?P<base>[百千])分之(?P<num>" + CN_AMOUNT + r"|\d+(?:\.\d+)?)"
                               r"(?P<post>左右|以上|以下)?")


def _percents_in_words(text: str, excluded: list[tuple[int, int]]) -> list[_Figure]:
    figures = []
    for m in _PERCENT_IN_WORDS.finditer(text):
        num = m.group("num")
        digits = "" if num[0].isdigit() else cn_amount(num)
        if digits is None or _masked(text, m.start(), excluded):
            continue
        unit = "%" if m.group("base") == "百" else "‰"
        figures.append(_Figure(start=m.start(), end=m.end(), num=num, mag="", unit=unit, pre=m.group("pre") or "",
                               post=m.group("post") or "", digits=digits,
                               written=text[m.start("base"):m.end("num")]))
    return figures


def _masked(text: str, num_start: int, excluded: list[tuple[int, int]]) -> bool:
    """Whether the number at ``num_start`` is quoted, or an ordinal or a rate (after 第 or 每).

    “第二批7个” is a count; “2019年” never matches (年 is no unit)."""
    return bool(excluded and _inside(num_start, excluded)) or (num_start > 0 and text[num_start - 1] in "第每")


def _shared_unit_figure(text: str, fig: _Figure, excluded: list[tuple[int, int]]) -> _Figure | None:
    """A bare number before 和/、 that shares ``fig``'s unit (“提高18.8和10个百分点”; with a
    magnitude word when ``fig`` has one too: “1409万、1305万人次”), or None."""
    if fig.start == 0 or text[fig.start - 1] not in "和、":
        return None
    bare = _BARE_BEFORE.search(text[max(0, fig.start - 12):fig.start])
    if not bare or fig.pre or bool(bare.group(2)) != bool(fig.mag):
        return None
    b_end = fig.start - 1
    b_start = b_end - len(bare.group(1)) - len(bare.group(2) or "")
    if _masked(text, b_start, excluded):
        return None
    shared = _Figure(start=b_start, end=b_end, num=bare.group(1), mag=bare.group(2) or "",
                     unit=fig.unit, pre="", post="", implicit_unit=True)
    if shared.percent:
        _find_change_verb(shared, text)
    return shared


def _not_a_figure(text: str, fig: _Figure, previous: _Figure | None) -> bool:
    """Whether a matched ``fig`` states nothing of its own (``previous``: the figure before it)."""
    if fig.unit in ("期", "次", "批", "起") and not fig.mag and fig.decimal.isdigit() and int(fig.decimal) < 10:
        return True  # 四期码头, 2次会议: small ordinals, not figures
    if previous is not None and _RANGE_DASH.fullmatch(text, previous.end, fig.start):
        return True  # the upper bound of a range (“增长4.5%—5%”) belongs to the figure before it
    if fig.unit == "位" and _RANK.search(text, max(0, fig.start - 8), fig.start):
        return True  # “全国排名提升4位”: a move in a ranking, not a quantity
    if fig.unit not in _MEASURES and not fig.percent and not fig.mag and _SET_OF.match(text, fig.end):
        return True  # “14个重点产业产值占…的80%”: the count says which things the measure is of
    if fig.unit == "人" and text[fig.end:fig.end + 1] == "民":
        return True  # “六万万人民”, “13亿人民”: a people, not a count of persons
    if fig.unit == "岁" and (not _AGE_MEASURED.search(text, max(0, fig.start - 40), fig.start)
                             or _AGE_BAND.match(text, fig.end)):
        return True  # “60岁以上老年人”: an age says who is counted; “预期寿命达到78.8岁” is a figure
    return fig.unit == "个" and text[fig.end:fig.end + 2] in _NOT_A_COUNT  # “以下14个方面的工作”


#: What an age measures as a figure of its own: a life expectancy, an average age (before it in the clause).
_AGE_MEASURED = re.compile(r"(?:寿命|年龄)[^。；]*$")
#: …unless it is an age band before the people it says (“65岁以上老年人”, “3岁以下的婴幼儿”).
_AGE_BAND = re.compile(r"(?:及?以[上下]|[至到]\d+岁)?的?[老儿婴幼人青少妇男女学职居农]")
#: A ranking before a figure in 位 (“排名提升4位”, “位次前移3位”).
_RANK = re.compile(r"(?:排名|排位|位次|名次)[^，。；\d]{0,4}$")
#: A counted noun whose measure is what the clause states (“14个重点产业产值占…”): the count only
#: delimits the things measured.
_SET_OF = re.compile(r"[^，。；、\d]{1,12}?(?:产值|增加值|营业收入|销售收入|总额|产量)"
                     r"(?=(?:占|达|增长|实现|突破|超)[^，。；\d]*\d)")
#: A change from one bare amount to another (“由8500万减少到6500万”): numbers with a magnitude
#: word and no unit (the unit is the thing counted, named before them).
_BARE_FROM_TO = re.compile(
    r"(?<![\d.])(?P<a>\d+(?:\.\d+)?)(?P<am>万亿|亿|万)(?P<verb>(?:" + "|".join(CHANGE_UP + CHANGE_DOWN)
    + r")?(?:到|至))(?P<b>\d+(?:\.\d+)?)(?P<bm>万亿|亿|万)(?=[，。；、]|$)")


def _with_bare_from_to(text: str, figs: list[_Figure], excluded: list[tuple[int, int]]) -> list[_Figure]:
    """``figs`` with the bare amounts of a change from one to the other (“由8500万减少到6500万”)."""
    if "到" not in text and "至" not in text:
        return figs
    bare: list[_Figure] = []
    for m in _BARE_FROM_TO.finditer(text):
        if _masked(text, m.start("a"), excluded) or not re.search(r"[由从][^，。；]{0,12}$", text[:m.start()]):
            continue
        bare += [_Figure(start=m.start(n), end=m.end(n + "m"), num=m.group(n), mag=m.group(n + "m"), unit="",
                         pre="", post="") for n in ("a", "b")]
    return sorted(figs + bare, key=lambda f: f.start) if bare else figs


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _clean_label(label: str) -> str:
    """The label in the raw words before a figure: light words and connectives trimmed from
    both ends, whole words only, brackets balanced (see :mod:`builder.indicators.labels`)."""
    label = _trimmed(label.strip())
    hedge = _HEDGED_INCREMENT.search(label)
    if hedge and hedge.start() >= 2 and hedge.start() in labels.word_starts(label):
        label = label[:hedge.start()] + hedge.group("verb")  # “收入估计将增加” -> 收入增加
    label = _last_words(_without_examples(_REFERRED.sub(r"提请审议的\g<what>", label)), 40)
    return "" if label in _ADVERB_ALONE else label  # (“到一九五八年就”: when, and an adverb)


#: One adverb left of a label when its time is trimmed: it names nothing.
_ADVERB_ALONE = frozenset("就只才也都还又已")


#: Bills referred to a standing committee (“提请市人大常委会审议地方性法规”): the bills referred.
_REFERRED = re.compile(r"^提请[^，。；]{2,14}?审议(?P<what>[^，。；]{2,12})$")
#: Words that only hedge or time an increment (“收入估计将增加”, “购买力就增加”): no part of its name.
_HEDGED_INCREMENT = re.compile(r"(?:估计|预计|仍然|依然|也|还|就|将|可以|可能)+(?P<verb>增加|减少|增产|减产)$")


def _trimmed(label: str) -> str:
    """``label`` with light words trimmed from both ends until none is left."""
    for _ in range(6):
        before = label
        label = labels.clean(label)
        # (= _TAIL_TRIM.sub("", label): what it trims ends the label, so it starts in the last
        # _TAIL_TRIM_MAX characters)
        tail = _TAIL_TRIM.search(label, max(0, len(label) - _TAIL_TRIM_MAX))
        when_alone = tail is not None and tail.start() < 2 and _TIME_AT_END.fullmatch(tail.group())
        if tail and not when_alone and (tail.end() - tail.start() > 1 or label[-2:] not in _WORDS_ENDING_AS_TRIMMED):
            label = label[:tail.start()].strip()  # whole words only: not the 约 of 节约; a time alone stays
        word = _TAIL_WORD.search(label, max(0, len(label) - 2))
        if word and len(label) > 3 and word.start() in labels.word_starts(label):
            label = label[:word.start()]
        since = _FROM.search(label)
        if since and since.start() in labels.word_starts(label):
            label = label[:since.start()]
        if label == before:
            break
    return label


def _without_examples(label: str) -> str:
    """“新建及改造外环道路、旧城道路等城市主次干道” -> 新建及改造城市主次干道: after a verb that says what
    was done, the examples listed before 等 are no part of the name; the kind after 等 is.  One
    example before a kind named in three or more characters goes too (水池等调蓄设施 -> 调蓄设施)."""
    if "等" not in label:
        return label
    if "、" not in label:
        return _without_one_example(label)
    listed = _EXAMPLES.fullmatch(label)
    if not listed or listed.group("verb").split("及")[0].split("、")[0] not in _DOING \
            or listed.group("kind") in _GENERIC_KINDS:
        only = _ONLY_EXAMPLES.fullmatch(label)  # (“文化演艺、体育赛事等促消费活动”: no verb before them)
        verbs = tuple(_DOING | _INCREMENT | _SPENDING)
        if only and only.group("kind") not in _GENERIC_KINDS and not label.startswith(verbs):
            return only.group("kind")
        return label  # (“发放低保金、…等资金”: 资金 alone would say less than the examples)
    return listed.group("verb") + listed.group("kind")


#: Examples listed and their kind, with nothing before them (“华为智能生活馆、砂之船奥莱等首店”).
_ONLY_EXAMPLES = re.compile(r"(?:[^等，。；、在对用]{2,6}、)+[^等，。；、在对用]{2,6}等"
                            r"(?P<kind>(?!方面|领域)[^、，。；等的]{2,12}?)(?<!增产|减产|增加|减少)")


#: One example and the kind it is an example of (“布局AED等群众可及急救设备”).
_ONE_EXAMPLE = re.compile(r"(?P<before>[^等，。；、]{1,10}?)等(?P<kind>[^、，。；等的]{3,12})")


def _without_one_example(label: str) -> str:
    """The kind alone, after the verb the label opens with when it says what was done (布局, 新建)."""
    one = _ONE_EXAMPLE.fullmatch(label)
    if not one or one.group("kind") in _GENERIC_KINDS or "”" in one.group("kind")[:1]:
        return label
    at = one.end("before")
    starts = labels.word_starts(label)
    if at not in starts or at + 1 not in starts:
        return label  # 等 inside a word (高等学校, 中等专业学校) names no example
    verb = next((v for v in (*_DOING, "布局") if one.group("before").startswith(v)), "")
    if len(one.group("before")) - len(verb) < 1:
        return label
    return verb + one.group("kind")


def _last_words(label: str, limit: int) -> str:
    """The last whole words of ``label`` that fit in ``limit`` characters (all of it if it fits)."""
    if len(label) <= limit:
        return label
    words = cut(label)
    kept: list[str] = []
    for word in reversed(words):
        if sum(map(len, kept)) + len(word) > limit:
            break
        kept.insert(0, word)
    return labels.clean("".join(kept))


def _clause_ends(text: str) -> list[int]:
    """The offsets of the clause boundaries (，。；： …) in ``text``, in order."""
    return [m.start() for m in _CLAUSE_END_RE.finditer(text)]


def _backward_label(text: str, floor: int, start: int, clause_ends: list[int] | None = None) -> str:
    """``text[floor:start]`` from its last clause boundary on; ``clause_ends`` is
    :func:`_clause_ends` of ``text`` (computed when not given)."""
    ends = _clause_ends(text) if clause_ends is None else clause_ends
    k = bisect_left(ends, start) - 1
    seg_start = ends[k] + 1 if k >= 0 and ends[k] >= floor else floor
    return text[seg_start:start]


def _listed(text: str, before: _Figure, after: _Figure) -> bool:
    """Whether two figures stand in a list: only 和, 、, 及 or 与 between them."""
    return after.start - before.end == 1 and text[before.end] in _LIST_JOINER


#: Where the noun phrase after a count ends and what is said of it starts (“75名代表列席…”).
_PREDICATE = re.compile(r"通过|实现|全部|入选|参加|参与|列席|(?<![方导定走面动意倾纵转趋外内双多指去取志投流风航])向|"
                        r"被|作为|获评|新获评|获得|关闭|取消|开展|进行|" + _DONE_TO)
#: Where what is said of a counted noun ends: the clause, or the next figure of a list.
_PREDICATE_END = re.compile(r"[" + re.escape(_CLAUSE_END) + r"]|、(?=[\d一二三四五六七八九十])")
#: A predicate that only says an action was carried out, named by what follows it (“进行专项检查”).
_CARRY_OUT = ("开展", "进行")
#: The size of something named after the figure (“落实总面积达68.8平方公里的近期可供产业用地”).
SIZE_HEADS = ("总面积", "面积", "总规模", "规模", "总投资", "总金额")
#: A per-capita (or per-area) figure: 每万人, 每千人, 每平方公里 just before the number.
_PER = re.compile(r"每[万千百十]?(?:人|户|平方公里|平方米|亩)$")
#: Units of amounts, not of counted things: a noun after them is seldom what they measure.
_MEASURES = frozenset(("美元", "元", "平方公里", "平方米", "立方米", "千瓦时", "千瓦", "公里", "千米", "公顷", "微克",
                       "公斤", "千克", "P", "吨", "亩", "天", "小时", "米", "倍", "个工作日", "标箱"))
#: What a share is of (“贡献了全国24.1%的增量”).
_WHOLES = ("全国", "全省", "全市", "全区", "全球", "世界", "全县")
#: The end of a name that already names a measure (总额, 增长率, 产量 …).
_NAMES_A_MEASURE = re.compile(r"(?:额|率|量|值|数|入|出|比重|占比|余额|规模|指数)$")
#: What follows a figure that is no noun of it: a change (增加到), an about-word (左右; 多 and 余
#: before a time or magnitude: “1个多月”).
_NOT_A_NOUN = ("增加", "减少", "跃升", "升至", "降至", "左右", "以上")
#: A predicate said of all the counted things (the count is then of the noun itself).
_OF_ALL = ("全部", "均", "都")
#: Verbs that say which things a count counts (新增 …); one before a list (“新增A 9万亩、B 4.2万亩”)
#: is part of every listed label.
SCOPE_VERBS = ("新增", "新建", "新设", "新辟", "新引育", "认定", "培育", "培训", "整治", "清理", "关停", "淘汰",
               "建成", "开工建设", "开工", "竣工", "完工", "投产", "招引", "打造", "新入库",
               # what a disaster cost (损失工业总产值…，钢产量…): the loss of every listed thing
               "损失")
#: A verb (or two joined), examples listed, and their kind after 等.
_EXAMPLES = re.compile(r"(?P<verb>[\u4e00-\u9fff]{2}(?:[及和、][\u4e00-\u9fff]{2})?)[^等，。；]+、[^等，。；]+等"
                       r"(?P<kind>[^、，。；等的]{2,12})")
#: Verbs a listed label may start with: it then says what was done itself (“新建站点300个、投放
#: 自行车2万辆”) and takes no verb from the first.
_ACTION_VERBS = ("投放", "建设", "改造", "开展", "完成", "实施", "发放", "收集", "审查", "资助", "捐助", "扶持",
                 "惠及", "接待", "办理", "开通", "改扩建", "升级", "提供", "举办", "引进", "引育", "设立", "组建",
                 "削减", "治理")
#: Kinds too general to name what was counted without their examples.
_GENERIC_KINDS = frozenset(("资金", "项目", "工作", "工程", "活动", "事项", "方面", "领域", "设施", "产业", "服务"))
#: Verbs that say what was done to the things a label counts.
_DOING = frozenset((*SCOPE_VERBS, *_ACTION_VERBS, "开通", "新建"))
#: Names of a measure that say nothing without their subject (增加值 of what?).
MEASURE_HEADS = ("进出口总额", "贷款余额", "存款余额", "余额", "增加值", "覆盖面", "警情", "产量", "产值", "总额",
                 "营业收入", "收入", "占比", "比重")


#: Work done on counted things, after them (“…路灯的升级改造”, “…牌匾的规范设置”).
_WORK_OF = re.compile(r"的[^，。；：、\d的]{0,4}?"
                      r"(?:改造|修复|设置|建设|整治|治理|搬迁|拆除|维修|修缮|改建|升级|提升|绿化|亮化)(?=[，。；：、]|$)")


def _forward_label(text: str, end: int, limit: int) -> str:
    """The noun phrase right after a count (“新建14家研究院” -> 研究院), or ""."""
    return _forward_phrase(text, end, limit)[0]


def _forward_phrase(text: str, end: int, limit: int) -> tuple[str, str, int]:
    """The noun phrase right after a figure, what the clause says of it if it goes on with a
    predicate (“75名市人大代表列席常委会会议” -> 市人大代表, 列席常委会会议), and where the words
    they take end; ("", "", end) when the figure ends its phrase."""
    rest = text[end:limit]
    m = _FORWARD_STOP.search(rest)
    if m and m.start() == 0 and m.group() in "的和及并" and len(cut(rest[:6])[0]) > 1:
        m = _FORWARD_STOP.search(rest, 1)  # a word starting with one (和美乡村, 及时) is no stop
    while m and m.group() == "（" and "）" in rest[m.end():m.end() + 12]:  # “农贸市场（邻里中心）”
        m = _FORWARD_STOP.search(rest, rest.index("）", m.end()) + 1)
    work = _WORK_OF.match(rest, m.start()) if m and m.group() == "的" and m.start() >= 2 else None
    if work:  # “完成9条道路路灯的升级改造”: the work done on the things counts them
        noun = labels.clean(rest[: work.end()])
        return (noun, "", end + work.end()) if len(noun) <= 24 and not _DIGIT.search(rest, 0, work.end()) \
            else ("", "", end)
    words = rest[: m.start()] if m else rest
    noun = labels.clean(words)
    said_of = bool(m and _PREDICATE.match(rest, m.start()))
    noun = noun if (2 - said_of) <= len(noun) <= 24 and not _DIGIT.search(words) else ""  # “2个县被命名为…”
    if _CHANGE_WORD.match(noun) or noun.startswith(_NOT_A_NOUN) or re.match(r"[多余][月年天万亿倍]", noun) \
            or not re.match(r"[\u4e00-\u9fff“‘《]", noun) \
            or noun.startswith(_LONG_UNITS):
        noun = ""  # “从26.6万亿元增加到51.9万亿元”: a change follows, no noun
    taken = end + (m.start() if m and noun else len(noun))
    predicate = ""
    if said_of and m and (noun or m.start() == 0):
        clause = rest[m.start():]
        stop = _PREDICATE_END.search(clause)
        while stop and clause.count("“", 0, stop.start()) > clause.count("”", 0, stop.start()):
            stop = _PREDICATE_END.search(clause, stop.end())  # (“两不愁、三保障”: one name)
        said = clause[: stop.start()] if stop else clause
        if 2 <= len(said) <= 20 and not _DIGIT.search(said):
            # (its verb read; 实现 says what was reached: 实现“两不愁、三保障”的…人口)
            predicate = labels.balance(said.replace("实现了", "实现")) if said.startswith((*_CARRY_OUT, "实现")) \
                else labels.clean(said)
            taken = end + m.start() + len(said)
    return noun, predicate, taken


#: A variant written in brackets inside a verb (the （改） of 新（改）建).
_BRACKETED_VARIANT = re.compile(r"（[^（）]{1,4}）")


def _verb_alone(label: str) -> bool:
    """Whether ``label`` only says what was done, a variant in brackets and all (“新（改）建”)."""
    return _BRACKETED_VARIANT.sub("", label) in _DOING


def _with_counted_noun(s: _Sentence, fig: _Figure, label: str) -> str:
    """``label`` completed by the noun after the figure: a count before its noun (“推进711项治气
    工程项目”, “新增‘苏州水八仙’等7个农产品区域公用品牌”) counts that noun; a figure whose noun
    goes on with a predicate (“75名代表列席常委会会议”) counts the noun of which that is said,
    unless it is said of all of them (“304件代表建议全部办理完毕”: the count is of the noun)."""
    if fig.percent:
        return _with_share_noun(s, fig, label)
    size = _size_of(s, fig, label)
    if size:
        return size
    if fig.unit not in _MEASURES and (passive := _PASSIVE.match(s.text, fig.end, s.end)):
        s.consumed = passive.end()
        done = (passive.group("what") or "") + "得到" + passive.group("how")
        return done + "的" + labels.clean(passive.group("noun"))
    noun, predicate, taken = _forward_phrase(s.text, fig.end, s.end)
    if not noun and not predicate or (fig.unit in _MEASURES and len(label) > 2 and not _verb_alone(label)):
        return label  # an amount (亿元, 万吨) ends its phrase unless nothing names it (“突破3万亿元大关”)
    s.consumed = taken
    noun = _COUNTY_LEVEL.sub("", noun)
    places = _PLACES_DOING.fullmatch(noun) if not predicate else None
    if places and not label:
        return places.group("what") + "的" + places.group("place")  # 建立居民最低生活保障制度的城市
    noun = _without_shared_work(s, fig, noun)
    back = "" if label in _PREPOSITIONS else label  # (“在320个县开展…试点”: 在 names nothing)
    if back.endswith("等") and not predicate and noun in ("项目", "工程") \
            and _EXAMPLES_OF_WORKS.fullmatch(labels.clean(back) + noun):
        return labels.clean(back) + noun  # (“第五中学改扩建等5项工程”: a general kind keeps its examples)
    if back.endswith("等"):  # examples of the counted noun: only a scope verb before them stays
        back = next((v for v in SCOPE_VERBS if back.startswith(v)), "")
    elif labels.light_verb_only(back) and len(noun) > 2:
        back = ""  # (“建设5100多个项目”: a bare 项目 would name less than 建设项目)
    if predicate.startswith(_OF_ALL):
        predicate = ""
    if predicate.startswith(_CARRY_OUT) and noun and (label.startswith(("到", "对")) or label.endswith("对")):
        return predicate[2:] + noun  # “对6项重点内容进行专项检查” -> 专项检查重点内容
    if predicate and not (back and noun) and (1 if noun else 2) <= len(noun or back) <= 12:
        return predicate + "的" + (noun or back)
    return labels.without_fields(back + noun)


#: Counties written with the units of their level (县（市、区）): counties, as a count names them.
_COUNTY_LEVEL = re.compile(r"(?<=县)（[市区旗、]+）")
#: Places counted by what they set up or carry out (“300多个城市建立了居民最低生活保障制度”, “2147个县
#: 实施…试点”): what is done + 的 + the places, as counted people take predicate + 的 + noun.
_PLACES_DOING = re.compile(r"(?P<place>城市|县|市|区|乡镇|乡|镇|村|行政村|地区|省份?)(?:已经?|初步|全面|普遍)*"
                           r"(?P<what>(?:建立|实施|实行)[^，。；：、]{4,20})")


#: A count of those something was done for, said in the passive (“2411名受灾群众的基本生活得到保障”,
#: “使8000户居民家庭的供热质量得到显著改善”): what was done + 的 + them.
_PASSIVE = re.compile(r"(?P<noun>[^，。；：、\d的]{2,12}?)(?:的(?P<what>[^，。；：、\d的]{2,8}?))?得到"
                      r"(?P<how>[^，。；：、\d]{1,10}?)(?=[，。；：]|$)")
#: The work named after a list of counted things (“推进21个先行片区、200个样板村、2000个补短村建设”):
#: it is done on them all, so the count names the things alone — unless each thing listed has its
#: own work (“完成178座燃煤锅炉拆改、25公里供热管线改造、8座热力站建设”).
_WORK_ON_COUNTED = ("建设",)
_WORK_WORDS = ("建设", "改造", "拆改", "整治", "修复", "提升", "治理", "新建", "改建", "扩建", "搬迁")


def _without_shared_work(s: _Sentence, fig: _Figure, noun: str) -> str:
    prev = s.items[-1] if s.items else None
    if not noun.endswith(_WORK_ON_COUNTED) or len(noun) < 4 or prev is None \
            or not s.text[prev.end:fig.start].endswith("、") or _CLAUSE_END_RE.search(s.text, prev.end, fig.start) \
            or prev.label.endswith(_WORK_WORDS):
        return noun
    return noun[:-2]


_PREPOSITIONS = frozenset(("在", "对", "为", "向", "给", "从", "于", "将", "把"))


def _size_of(s: _Sentence, fig: _Figure, label: str) -> str:
    """“总面积达68.8平方公里的近期可供产业用地” -> 近期可供产业用地总面积 (the size of what follows
    the figure), or ""."""
    head = next((h for h in SIZE_HEADS if label.endswith(h)), "")
    of = re.match(r"的([^，。；：、\d]{2,16})(?=[，。；：]|$)", s.text[fig.end:s.end]) if head else None
    if not of:
        return ""
    s.consumed = fig.end + of.end()
    return labels.clean(of.group(1)) + head


#: A share of things of which something is said (“89.4%的公园实现24小时开放”).
_SHARE_SAID = re.compile(r"的(?P<noun>[^，。；：、\d的]{2,6}?)(?:实现|达到|完成|已)"
                         r"(?P<what>[^，。；：、]{2,12})(?=[，。；：]|$)")


def _with_share_noun(s: _Sentence, fig: _Figure, label: str) -> str:
    """A percentage's label completed by what it is a share of (“贡献了全国24.1%的增量” -> 贡献全国
    增量), or by what is said of its share (“事项95%实现不见面审批” -> 不见面审批的事项)."""
    after = s.text[fig.end:s.end]
    share = re.match(r"的([^，。；：、\d的]{2,6})(?=[，。；：、]|$)", after)
    if share and label.endswith(_WHOLES):
        s.consumed = fig.end + share.end()
        return label + labels.clean(share.group(1))
    said = _SHARE_SAID.match(after)
    if said and not label:  # “89.4%的公园实现24小时开放” -> 24小时开放的公园 (the 24小时 delimits them)
        s.consumed = fig.end + said.end()
        return said.group("what") + "的" + said.group("noun")
    noun, predicate, taken = _forward_phrase(s.text, fig.end, s.end)
    if predicate and not noun and 2 <= len(label) <= 12 and not predicate.startswith(_OF_ALL):
        s.consumed = taken
        return predicate + "的" + label
    return label


def _with_stage_of_previous(s: _Sentence, label: str) -> str:
    """A label that is only a scope verb (“实施帮扶项目208个，竣工207个”) counts the things the
    value before it counts, at that stage: 竣工帮扶项目."""
    prev = s.items[-1] if s.items else None
    if prev is None or prev.value is None or not _STAGE.fullmatch(label):
        return label
    if label not in SCOPE_VERBS:  # (新开工, 基本建成: a stage with its adverb)
        stage = _STAGE_LAST.search(prev.label)  # “城镇保障性住房基本建成470万套、新开工630万套”: noun then stage
        if stage and stage.start() >= 2:
            return prev.label[:stage.start()] + label
        lead = _STAGE.match(prev.label)  # “新开工保障性安居工程740万套，基本建成511万套”
        return label + prev.label[lead.end():] if lead and len(prev.label) - lead.end() >= 2 else label
    return label + _without_scope_verb(prev.label)


#: A stage of the things a sentence counts (开工, 新开工, 基本建成, 竣工), with its adverb.
_STAGE = re.compile("(?:新|基本)?(?:" + "|".join(sorted(SCOPE_VERBS, key=len, reverse=True)) + ")")
_STAGE_LAST = re.compile(_STAGE.pattern + "$")


#: Verbs that say how things were added (建设筹措, 新建及改造 …): the stock of them is named without.
_ADDING = frozenset((*SCOPE_VERBS, *_ACTION_VERBS, "筹措", "筹集", "供应", "及"))


def _stock_of(label: str) -> str:
    """What a running total counts (“新增公园” -> 公园, “建设筹措保障性租赁住房” -> 保障性租赁住房): the
    label without the verbs that say the things were added."""
    words = cut(label)
    k = 0
    while k < len(words) - 1 and words[k] in _ADDING:
        k += 1
    rest = labels.clean("".join(words[k:]))
    return rest if len(rest) >= 2 else label


def _without_scope_verb(label: str) -> str:
    verb = next((v for v in SCOPE_VERBS if label.startswith(v)), "")
    return label[len(verb):] if len(label) - len(verb) >= 2 else label


@cache
def _and_another_verb(verb: str) -> re.Pattern[str]:
    """``verb`` and another verb of doing joined to it (新建和改造, 新建及改造)."""
    return re.compile(re.escape(verb) + r"[和及与、](?:" + "|".join(_DOING) + ")")


#: Verbs that say which things are counted, or what work on them is counted (改造城镇老旧小区7323个、棚户区
#: 5.2万套: the shanty-town housing renovated), carried to the names listed after the first.
_LIST_VERBS = (*SCOPE_VERBS, "改扩建", "改造", "治理", "创建", "修复")


def _with_list_verb(s: _Sentence, fig: _Figure, label: str) -> str:
    """A label listed after another (“新增高标准农田9万亩、现代农业园区4.2万亩”) with the scope verb
    of the first, when it has none of its own."""
    prev = s.items[-1] if s.items else None
    gap = s.text[prev.end:fig.start] if prev is not None else ""
    if prev is None or not label or fig.percent or "、" not in gap or _CLAUSE_END_RE.search(gap) \
            or _DIGIT.search(gap):
        return label  # (the words before 、 are the noun the count before took: “新增2所高校、1所…”)
    if prev.value is None or gap[gap.index("、") + 1:].lstrip("“").startswith(SCOPE_VERBS):
        return label
    verb = next((v for v in _LIST_VERBS if prev.label.startswith(v)), "")
    both = _and_another_verb(verb).match(prev.label) if verb else None
    verb = both.group() if both else verb  # “新建和改造农村公路…、农村电网线路…”
    if not verb or verb in label or label.startswith(SCOPE_VERBS + _ACTION_VERBS) or labels.light_verb_only(label):
        return label
    return verb + label


#: What the measures of one thing are called, longest first (“马铃薯总产量” -> 马铃薯).
_MEASURES_OF_A_THING = tuple(sorted({*MEASURE_HEADS, *SIZE_HEADS, "种植面积", "播种面积", "总产量", "总产值", "总量",
                                     "营收"}, key=len, reverse=True))


#: Measures of what a thing yields, said of the thing the sentence is about (its area, its output), or
#: of those it counted (游客…、总花费; 农业中学…，在校学生; 企业营收…、利润).
_OUTPUT_MEASURES = frozenset(("产量", "总产量", "产值", "总产值", "增加值", "营业收入", "销售收入", "营收", "利润",
                              "利税", "总花费", "在校学生", "在校生", "从业人员"))
#: Measures that count the people of an institution (its students, its staff).
_PEOPLE_OF_A_PLACE = frozenset(("在校学生", "在校生", "从业人员"))
#: Measures whose subject the sentence opens with, in a clause of its own (“粮食连续五年增产，总产量…”).
_TOPIC_MEASURES = frozenset(MEASURE_HEADS) - {"进出口总额"} | {"总产量", "总产值"}


#: The two sides of an account, each said after the other with the thing left out (收入…、支出…).
_COUNTERPARTS = {"支出": "收入", "收入": "支出", "出口": "进口", "进口": "出口", "贷款余额": "存款余额",
                 "存款余额": "贷款余额"}


def _with_subject_of_measure(s: _Sentence, label: str) -> str:
    """A label that is only the name of a measure (产量, 产值) with the thing the figure before it in
    the sentence measured (“地产蔬菜种植面积达到2万亩，产量达到15万吨” -> 地产蔬菜产量)."""
    prev = s.items[-1] if s.items else None
    other = _COUNTERPARTS.get(label, "")
    if other and prev is not None and prev.label.endswith(other) and len(prev.label) > len(other) + 1:
        return prev.label[: -len(other)] + label  # “一般公共预算收入增长2.3%、支出…” -> 一般公共预算支出
    if label not in _OUTPUT_MEASURES or prev is None \
            or label in _PEOPLE_OF_A_PLACE and prev.unit_normalized in ("人", "名", "人次"):
        return label  # (毕业学生6.4万人，在校学生…: students are no measure of the graduates)
    head = next((h for h in _MEASURES_OF_A_THING if prev.label.endswith(h)), "")
    counted = prev.value is not None and prev.unit_normalized not in _MEASURES and prev.change is None
    thing = prev.label[: -len(head)] if head else prev.label if counted else ""  # (22家龙头企业…，销售收入…)
    return thing + label if len(thing) >= 2 else label


def _with_topic(s: _Sentence, label: str) -> str:
    """A label that is only the name of a measure (增加值) with the subject of its sentence, when
    the sentence opens with a clause that names it and states no figure (“服务业质效提升，实现
    增加值9700亿元” -> 服务业增加值)."""
    if label not in _TOPIC_MEASURES:  # (进出口总额 names its own thing: “对外贸易继续扩大，全年进出口总额…”)
        return label
    sentence = s.text[s.start:s.end].lstrip()
    stop = _CLAUSE_END_RE.search(sentence)
    if not stop or _DIGIT.search(sentence, 0, stop.start()):
        return label
    words = cut(sentence[: stop.start()])
    topic = labels.clean(words[0]) if words else ""
    return topic + label if len(topic) >= 2 and not topic.endswith(label) else label


#: Measures a list of names shares when only the last name carries it (“集成电路、汽车零配件、锂电池出口”).
_SHARED_HEADS = (*MEASURE_HEADS, "出口", "进口", "销量", "投资", "排放总量", "排放量")
#: Measures of what is given off, shared by the substances listed before them.
_EMISSIONS = frozenset(("排放总量", "排放量"))


def _shared_tail(parts: list[str]) -> list[str]:
    """Listed names with what the last one shares with them: the words after its first word when
    all the others are short words as long (“城镇、农村居民人均可支配收入” -> 城镇居民人均可支配收入), else its
    measure (“普惠型小微企业、民营企业贷款余额” -> 普惠型小微企业贷款余额); as they are without either."""
    last, lengths = parts[-1], {len(p) for p in parts[:-1]}
    if len(lengths) == 1 and (size := lengths.pop()) <= 3 and len(last) - size >= 2 \
            and "\u4e00" <= last[size] <= "\u9fff" and labels.balanced(last[:size]):
        return [p + last[size:] for p in parts[:-1]] + [last]
    head = next((h for h in _SHARED_HEADS if last.endswith(h) and len(last) > len(h)), "")
    # (an emission is of substances, whatever their names end with: 化学需氧量、二氧化硫排放量)
    measure_named = (lambda p: False) if head in _EMISSIONS else _NAMES_A_MEASURE.search
    if head and all(len(p) >= 2 and not p.startswith("第") and not measure_named(p) and not p.endswith(head)
                    for p in parts[:-1]):
        return [p + head for p in parts[:-1]] + [last]
    return parts


def _top_level_parts(label: str, separators: str = "、和及与") -> list[str]:
    """``label`` split at ``separators`` outside brackets and quotes (“县（市、区）” stays whole)."""
    parts, depth, start = [], 0, 0
    for n, ch in enumerate(label):
        depth += (ch in labels.OPENERS) - (ch in labels.CLOSERS)
        if depth == 0 and ch in separators:
            parts.append(label[start:n])
            start = n + 1
    parts.append(label[start:])
    return [p for p in parts if p]


def _shared_head(parts: list[str]) -> str:
    """What the first of listed measures says of whom, when the others are bare measures
    (“单位国内生产总值用水量、能耗、二氧化碳排放量”, “适龄儿童入园率和普惠率”): the first without its last
    word, or "" when the others name their own subject."""
    if len(parts[0]) < 6 or any(len(p) > 7 or not _NAMES_A_MEASURE.search(p) and not p.endswith(("能耗", "排放量"))
                                 for p in parts[1:]):
        return ""
    words = cut(parts[0])
    head = "".join(words[:-1])
    return head if len(head) >= 2 and _NAMES_A_MEASURE.search(words[-1]) else ""


#: Two names written as one (存贷款 = 存款 and 贷款), in the order they are written.
_CONTRACTED_PAIRS = {"存贷款": ("存款", "贷款"), "进出口": ("进口", "出口"), "收支": ("收入", "支出")}


def _split_labels(label: str, count: int) -> list[str]:
    written = _top_level_parts(label)
    parts = [labels.clean(p) or p for p in written]  # (each name its own: “…、实现旅游总花费”)
    if len(parts) == count and parts != written:
        return parts  # (a verb trimmed from one: they are names of their own, sharing nothing)
    if len(parts) == count and (head := _shared_head(parts)):
        return [parts[0]] + [head + p for p in parts[1:]]
    if len(parts) == count:
        # “跨境电商交易额、服务贸易进出口额”; a shared measure goes to every name (“普惠型小微企业、
        # 民营企业贷款余额” -> 普惠型小微企业贷款余额, 民营企业贷款余额)
        return _shared_tail(parts)
    parallel = re.match("".join(r"([^\W\d])(.)" if n == 0 else r"([^\W\d])\2" for n in range(count)), label)
    if parallel and len(set(parallel.groups())) == count + 1 and len(label) > 2 * count:
        # “国考省考断面水质优Ⅲ比例” -> 国考断面水质优Ⅲ比例, 省考断面水质优Ⅲ比例
        rest = label[2 * count:]
        return [g + parallel.group(2) + rest for g in parallel.groups()[:1] + parallel.groups()[2:]]
    if label.startswith("城乡") and count == 2:
        return ["城镇" + label[2:], "农村" + label[2:]]
    pair = next((p for p in _CONTRACTED_PAIRS if p in label), "") if count == 2 else ""
    if pair:  # “存贷款余额分别达38.7万亿元、29.9万亿元”: 存款余额, 贷款余额
        return [label.replace(pair, whole, 1) for whole in _CONTRACTED_PAIRS[pair]]
    first = cut(label)[0] if label else ""
    if len(first) == count and len(label) - count >= 2 and all(ch in "一二三四五六七八九" for ch in first):
        return [ch + label[count:] for ch in first]  # “一二三产增加值分别增长…” -> 一产增加值, 二产…, 三产…
    return [f"{label}（{n}）" for n in range(1, count + 1)]


def _section_kind(context: Context) -> str | None:
    """What the headings above a paragraph say of its figures: TARGET (a plan), ACTUAL (a
    review: results unless the sentence names a target) or None (the sentence decides)."""
    sections = " ".join(context.sections)
    year = context.report_year
    if year and f"{year}年" in sections and f"{year - 1}年" not in sections:
        return TARGET
    if _TARGET_SECTION.search(sections):
        return TARGET
    if _ACTUAL_SECTION.search(sections) or (year and f"{year - 1}年" in sections):
        return ACTUAL
    return None


def _sentence_kind(sentence: str, section_kind: str | None) -> str:
    """The kind of a sentence's figures, given :func:`_section_kind`."""
    if section_kind == TARGET:
        return TARGET
    if section_kind == ACTUAL:
        return TARGET if _TARGET_IN_REVIEW.search(sentence) else ACTUAL
    if _TARGET_SENTENCE.search(sentence):
        return TARGET
    if _ACTUAL_SENTENCE.search(sentence):
        return ACTUAL
    return OTHER


def _section_year(context: Context) -> int | None:
    """The year a heading above the paragraph names, if any."""
    match = _YEAR_IN_TITLE.search(" ".join(context.sections))
    return year_number(match.group(1)) if match else None


def _year(kind: str, context: Context, section_year: int | None) -> int | None:
    """The year of a figure of ``kind``; ``section_year`` is :func:`_section_year`."""
    if section_year is not None:
        return section_year
    if context.report_year is None:
        return None
    return context.report_year if kind == TARGET else context.report_year - 1


def _qualifier(fig: _Figure, forecast: bool) -> str | None:
    """``forecast``: the sentence opens with 预计."""
    if fig.post:
        return fig.post
    if fig.about or fig.lead:
        return "余"
    if fig.pre:
        return {"超": "超过"}.get(fig.pre, fig.pre)
    if forecast:
        return "预计"
    return None


def _change(fig: _Figure) -> tuple[int | float, str]:
    number = _decimal_number(fig.decimal, "")
    if fig.unit == "倍":  # 增长12倍: by twelve times the base
        number = _decimal_number(str(Decimal(fig.decimal) * 100), "")
    if fig.change_verb in CHANGE_DOWN:
        number = -number
    return number, ("pp" if fig.unit in ("个百分点", "百分点") else "%")


@dataclass(slots=True)
class _Sentence:
    """A sentence being read (internal): its figures, what they share, and what it found so far."""

    text: str
    """The whole paragraph's text (offsets are the paragraph's)."""
    start: int
    end: int
    figs: list[_Figure]
    """The figures of the sentence, in order."""
    clause_ends: list[int]
    """:func:`_clause_ends` of the paragraph."""
    kind: str
    year: int | None
    forecast: bool
    """The sentence opens with 预计."""
    anchor: str
    report: str
    section: str
    items: list[Indicator] = field(default_factory=list)
    """The indicators read so far; a later figure may complete the last ones."""
    consumed: int = 0
    """Where the words after the last figure that its label took end (“新增72家企业关闭退出、
    1个…”: the next label starts after them)."""
    before: Indicator | None = None
    """The last indicator of the sentence before, when a semicolon joins the two (“…学生，一九五二年
    有十九万人，…；一九五八年又…达到六十六万人”: the second goes on about the first's thing)."""


def extract_paragraph(text: str, anchor: str, context: Context = Context()) -> list[Indicator]:
    """Every indicator the paragraph ``text`` states, in text order.

    A paragraph in traditional characters (全區實現地區生產總值3104億元) is read in its simplified
    shadow, as every rule is written in simplified characters; what the indicators quote of it
    (label, value, span) is given back in the characters as published."""
    shadowed = shadow(text)
    if shadowed == text or len(shadowed) != len(text):
        return _extract(text, anchor, context)
    as_written = _as_written(text, shadowed)
    return [replace(item, label=as_written(item.label), value=item.value and as_written(item.value),
                    span=text[item.start:item.end], change_text=item.change_text and as_written(item.change_text))
            for item in _extract(shadowed, anchor, context)]


def _as_written(text: str, shadowed: str) -> Callable[[str], str]:
    """Simplified characters of ``shadowed`` put back as ``text`` writes them (same length)."""
    back: dict[str, str] = {}
    for written, simple in zip(text, shadowed, strict=True):
        if written != simple:
            back.setdefault(simple, written)
    table = str.maketrans(back)
    return lambda words: words.translate(table)


def _extract(text: str, anchor: str, context: Context) -> list[Indicator]:
    figures = _figures(text)
    if not figures:
        return []
    found: list[Indicator] = []
    last_end = -1
    for sentence in _sentences_with_figures(text, figures, anchor, context):
        if found and sentence.start == last_end and text[last_end - 1] in "；;":
            sentence.before = found[-1]
        found.extend(_dated_items(_read_sentence(sentence), sentence, context.report_year))
        last_end = sentence.end
    return found


def _sentences_with_figures(text: str, figures: list[_Figure], anchor: str, context: Context) -> Iterator[_Sentence]:
    """The sentences of ``text`` that hold one of ``figures``, each with its figures."""
    section = context.sections[-1] if context.sections else ""
    section_kind, section_year = _section_kind(context), _section_year(context)
    clause_ends = _clause_ends(text)
    sentences = _sentences(text)
    by_sentence: list[list[_Figure]] = [[] for _ in sentences]
    starts = [s for s, _ in sentences]
    for f in figures:
        by_sentence[bisect_right(starts, f.start) - 1].append(f)
    for (start, end), figs in zip(sentences, by_sentence, strict=True):
        if not figs:
            continue
        sentence = text[start:end]
        kind = _sentence_kind(sentence, section_kind)
        yield _Sentence(text=text, start=start, end=end, figs=figs, clause_ends=clause_ends, kind=kind,
                        year=_year(kind, context, section_year), forecast=sentence.lstrip().startswith("预计"),
                        anchor=anchor, report=context.report, section=section)


#: A year that dates the figures after it in a sentence: “到2025年” (by then: a goal when it is
#: still to come), or the year alone (“2020年，全市…”); not the base of a comparison (比2019年,
#: 由2020年的) nor a start (2019年以来).
_DATED = re.compile(r"(?:(?P<by>到|至)|(?<![比较由从]))(?:(?P<year>" + YEAR + r")年|(?P<rel>今|去|上|明)年)"
                    r"(?:底|末|初)?(?!以来|来|起|的|同期)")
#: The year a relative year word names, from the report's year.
_RELATIVE_YEAR = {"今": 0, "去": -1, "上": -1, "明": 1}


def _dated_items(items: list[Indicator], s: _Sentence, report_year: int | None) -> list[Indicator]:
    """``items`` of sentence ``s``, each dated by the nearest year before it in the sentence: “到
    2025年…达到1.5万亿元” in a report of 2021 is a goal for 2025, “2020年…为1.2万亿元” in its
    targets section the base year's result.  A past year alone does not make a result of what the
    sentence's own words make a plan (一九七九年计划建成…: the plan, as reported)."""
    dates = list(_DATED.finditer(s.text, s.start, s.end)) if report_year is not None and items else []
    if not dates or report_year is None:
        return items
    ends = [date.end() for date in dates]
    out = []
    for item in items:
        k = bisect_right(ends, item.start)  # the years that end before the figure: the last of them
        dated = _dated(dates[k - 1], s.text, item.start, report_year) if k else None
        out.append(item if dated is None else replace(item, kind=dated[0], year=dated[1]))
    return out


#: Words between a past year and its figure that make the figure that year's plan, as reported.
_PLANNED = re.compile(r"计划|预期|目标|力争|确保|争取|要求")


def _dated(match: re.Match[str], text: str, figure: int, report_year: int) -> tuple[str, int] | None:
    """(kind, year) of the figure at ``figure`` in ``text`` by the year ``match`` found before it, or None."""
    year = year_number(match["year"]) if match["year"] else report_year + _RELATIVE_YEAR[match["rel"]]
    if year is None:
        return None
    if match["by"]:
        return (TARGET, year) if year >= report_year else (ACTUAL, year)
    return (ACTUAL, year) if year < report_year and not _PLANNED.search(text, match.end(), figure) else None


def _read_sentence(s: _Sentence) -> list[Indicator]:
    """The indicators of one sentence: its figures read in order, each step taking one or more."""
    i = 0
    while i < len(s.figs):
        i = _read_figure(s, i)
    return _with_shared_predicate(s)


#: A label that is what is said of a noun + 的 + the noun (入选…的专业群).
_SAID_OF_NOUN = re.compile(r"(?P<what>[^的]{2,20})的(?P<noun>[^的]{1,12})")


def _with_shared_predicate(s: _Sentence) -> list[Indicator]:
    """Counted things listed before one predicate (“10所学校、12个专业群入选…”): what is said of the
    last is said of each before it."""
    items = s.items
    for k in range(len(items) - 2, -1, -1):
        first, second = items[k], items[k + 1]
        said = _SAID_OF_NOUN.fullmatch(second.label)
        if said and first.value is not None and len(first.label) <= 8 \
                and s.text[first.end:second.start] == first.label + "、" \
                and s.text.startswith(said.group("noun"), second.end):
            items[k] = replace(first, label=said.group("what") + "的" + first.label)
    return items


#: A name of town and country together, of one thing (not “城乡居民养老保险和医疗保险…”: two things).
_TOWN_AND_COUNTRY = re.compile(r"城乡[^和、及与]+$")


def _read_figure(s: _Sentence, i: int) -> int:
    """Read ``s.figs[i]`` (and the figures listed with it); returns the index of the next one to read.

    The label is the clause before the figure, from the end of the figure before it."""
    fig = s.figs[i]
    if s.items and fig.start < s.consumed:
        return i + 1  # inside the words a label took (“89.4%的公园实现24小时开放”): it delimits that
    floor = max(s.figs[i - 1].end if i else s.start, min(s.consumed, fig.start))
    begin = fig.phrase_start if fig.is_change else fig.start
    raw = _backward_label(s.text, floor, begin, s.clause_ends)
    group = _listed_group(s, i)
    if not fig.is_change and _ends_of_from_to(s, group):
        return i + len(group)
    said = raw if begin == fig.start else _backward_label(s.text, floor, fig.start, s.clause_ends)
    # (“城乡低保标准提高到每月815元和615元”: town and country, in that order, without 分别)
    if len(group) > 1 and ("分别" in said or len(group) == 2 and _TOWN_AND_COUNTRY.match(labels.clean(said))):
        if fig.is_change and _changes_of_previous(s, raw, len(group)):
            _attach_changes(s, group, fig)
            return i + len(group)
        return _read_respectively(s, i, group, raw)
    if fig.is_change:
        _read_change(s, fig, raw)
    else:
        plain = s.figs[i - 1].end if i else s.start
        _read_value(s, fig, raw, _backward_label(s.text, plain, begin, s.clause_ends) if floor > plain else raw)
    return i + 1


def _ends_of_from_to(s: _Sentence, group: list[_Figure]) -> bool:
    """Read ``group`` as the ends of a from-to whose starts were read last (“城乡低保平均标准分别从
    2020年的645元/月、4318元/年提高到2025年的801元/月、7226元/年”): each of the name of its start,
    in the year written.  False (nothing read) when it is not one."""
    starts = s.items[-len(group):] if len(s.items) >= len(group) else []
    to = _TO.fullmatch(s.text, starts[-1].end, group[0].start) if starts and starts[-1].end <= group[0].start else None
    if len(group) < 2 or to is None or any(x.value is None for x in starts):
        return False  # (one figure: see _with_subject_of_previous)
    for g, start in zip(group, starts, strict=True):
        item = _value_indicator(s, g, start.label)
        s.items.append(replace(item, year=year_number(to.group("year"))) if to.group("year") else item)
    return True


def _listed_group(s: _Sentence, i: int) -> list[_Figure]:
    """``s.figs[i]`` and the figures listed after it with the same unit (“X和Y”, “X、Y”)."""
    group = [s.figs[i]]
    for fig in s.figs[i + 1:]:
        if not (_listed(s.text, group[-1], fig) and fig.unit == group[0].unit):
            break
        group.append(fig)
    return group


def _changes_of_previous(s: _Sentence, raw: str, count: int) -> bool:
    """Whether a list of ``count`` changes with nothing named before them (“同比分别增长6.5%和
    9.4%”) belongs to the ``count`` values read last, none of which has a change yet."""
    return (len(s.items) >= count and all(x.change is None and x.value is not None for x in s.items[-count:])
            and not _clean_label(raw.replace("分别", "")))


def _attach_changes(s: _Sentence, group: list[_Figure], fig: _Figure) -> None:
    """“…37820元、…28104元，同比分别增长6.5%和9.4%”: each change completes its value."""
    base = len(s.items) - len(group)
    for n, g in enumerate(group):
        g.change_verb = g.change_verb or fig.change_verb
        number, unit = _change(g)
        start = g.verb_start if g.verb_start >= 0 else g.start
        s.items[base + n] = replace(s.items[base + n], change=number, change_unit=unit,
                                    change_text=s.text[start:g.end])


def _read_respectively(s: _Sentence, i: int, group: list[_Figure], raw: str) -> int:
    """分别 X和Y (、增长A和B): one indicator per listed figure, the label split among them, the
    changes listed after them (if as many) paired with them.  Returns the next index to read."""
    fig = group[0]
    if fig.is_change:
        for g in group[1:]:
            g.change_verb = fig.change_verb
    name = _clean_label(raw.replace("分别", ""))
    # “…收入和…收入，2000年分别达到2253元和6280元”: named by the clause before
    if (not name or _ONLY_DATE.fullmatch(name)) and _WHEN_ONLY.match(raw.strip("，、 ")):
        name = _topic_clause(s, fig) or name
    labels = _split_labels(name, len(group))
    after = i + len(group)
    changes = _listed_changes(s, after, group)
    for n, (g, label) in enumerate(zip(group, labels, strict=True)):
        if fig.is_change:
            item = _change_indicator(s, g, label)
        elif changes:
            c = changes[n]
            number, unit = _change(c)
            item = _value_indicator(s, g, label, change=number, change_unit=unit,
                                    change_text=c.change_verb + s.text[c.start:c.end])
        else:
            item = _value_indicator(s, g, label)
        since = _FROM.search(raw)
        year = year_number(since.group("year")) if since and since.group("year") else None
        s.items.append(replace(item, year=year) if since and since.group("when") != "人均" else item)
    return after + len(changes)


def _listed_changes(s: _Sentence, k: int, group: list[_Figure]) -> list[_Figure]:
    """The figures from ``s.figs[k]`` on that list one change for each of ``group`` (a change
    word at most six characters after the group: “分别达到…和…、增长8%和8.1%”); [] when not
    as many."""
    if k >= len(s.figs):
        return []
    gap = s.text[group[-1].end:s.figs[k].start]
    verb = _CHANGE_WORD.search(gap)
    if not verb or len(gap) > 6:
        return []
    changes = [s.figs[k]]
    for fig in s.figs[k + 1:]:
        if len(changes) == len(group) or not _listed(s.text, changes[-1], fig):
            break
        changes.append(fig)
    if len(changes) < len(group):
        return []
    for c in changes:
        c.change_verb = c.change_verb or verb.group(0)
    return changes


#: A gap to the country's (or province's) figure (“增长5.4%、高于全国0.4个百分点”).
_GAP = re.compile(r"(?:高于|低于|高出|快于|慢于)(?:全国|全省|全市|全区)(?:平均水平|平均)?")


def _gap_to_a_wider_place(s: _Sentence, fig: _Figure, label: str) -> str:
    """A gap named by the change it compares (“地区生产总值…增长5.4%、高于全国0.4个百分点” ->
    地区生产总值增长高于全国), whether the gap is read as a change or as a value in points."""
    prev = s.items[-1] if s.items else None
    if not _GAP.fullmatch(label) or prev is None or prev.change is None or prev.end > fig.start:
        return label
    return prev.label + ("增长" if prev.change >= 0 else "下降") + label


#: A change quoted for comparison with another year's (“大大低于1985年”).
_COMPARED_WITH_YEAR = re.compile(r"(?:大大|明显|远远|略)?(?:低于|高于|快于|慢于)(?:" + YEAR + r"年(?:同期)?)?")


def _read_change(s: _Sentence, fig: _Figure, raw: str) -> None:
    """A change (增长6%): its own indicator when its clause names something; else the change
    of the value read just before it (“地区生产总值1.93万亿元，增长6%”), if that has none yet."""
    label = _share_of_whole(s, _with_subject_of_previous(s, fig, raw, _clean_label(raw)))
    if s.items and s.items[-1].change is not None and s.text[s.items[-1].end:fig.start].startswith("、") \
            and not _CLAUSE_END_RE.search(s.text, s.items[-1].end, fig.start):
        label = _with_subject_of_measure(s, label)  # “企业营收增长5.9%、利润增长5.5%” -> 企业利润
    if _COMPARED_WITH_YEAR.fullmatch(label) and s.items:
        label = s.items[-1].label  # “…增长7.3%，大大低于1985年增长44.6%的速度”: the same thing, another year
    label = _gap_to_a_wider_place(s, fig, label)
    prev = s.items[-1] if s.items else None
    if (not label or _TIME_AT_END.fullmatch(label)) and prev is not None and _yearly_average(s.text, fig):
        label = prev.label  # “1992年…24000亿元，五年平均每年增长7.9%”: a change over years, not that year's
    if not label:
        at = -2 if _of_a_plan(s) else -1  # (“粮食…3,680亿斤，完成年度计划的102%，比1954年增长9%”: the grain's)
        prev = s.items[at] if s.items else None
        if prev is not None and prev.change is None and prev.value is not None:
            number, unit = _change(fig)
            s.items[at] = replace(prev, change=number, change_unit=unit,
                                  change_text=s.text[_change_start(s.text, fig):fig.end])
        return  # else a change of nothing named: not an indicator
    parts = _top_level_parts(label, "、")
    each = "分别" in s.text[fig.phrase_start:fig.verb_start]
    if each and label.startswith("城乡"):
        parts = _split_labels(label, 2)
    if (raw.rstrip().endswith("均") or each) and len(parts) > 1:
        # “城镇…收入、农村…收入均增长8%”, “城乡居民人均可支配收入分别增长7.5%”: one indicator per
        # name, the same span
        s.items.extend(_change_indicator(s, fig, p) for p in parts)
    else:
        s.items.append(_change_indicator(s, fig, label))


#: The next amount of a list of them, each of a work (“、3800万元的”).
_NEXT_AMOUNT_OF = re.compile(r"、[\d.]+[万亿]*元的")
#: What an amount is of, said right after it (“投资3500万元的二三级供水管网改造、3800万元的背街巷道改造”).
_AMOUNT_OF = re.compile(r"的(?P<what>[^，。；：、\d的]{2,20}?)(?=[、，。；]|等)")


def _amount_of_what_follows(s: _Sentence, fig: _Figure, raw: str) -> str:
    """An investment named by the work written after it with 的 (-> 二三级供水管网改造投资), for each of a
    list of them; "" for any other figure."""
    if fig.unit not in ("元", "美元"):
        return ""
    of = _AMOUNT_OF.match(s.text, fig.end, min(s.end, fig.end + 24))
    if of is None:
        return ""
    before = raw.strip("、，, ")
    prev = s.items[-1] if s.items else None
    listed_on = not before and prev is not None and prev.label.endswith("投资") \
        and s.text[prev.end:fig.start].endswith("、")
    lists = _NEXT_AMOUNT_OF.match(s.text, of.end(), of.end() + 12) is not None
    word = "总投资" if before.endswith("总投资") else "投资"
    if not (listed_on or before.endswith("投资") and lists):
        return ""
    s.consumed = of.end()
    return labels.clean(of.group("what")) + word


def _read_value(s: _Sentence, fig: _Figure, raw: str, whole: str) -> None:
    """A value (1.93万亿元): labelled by its clause, else by the noun after it (“新建14家研究院”),
    else by the figure before it; or the value of a change read just before it.  ``whole``: the
    words before it with those the figure before it took (“14个重点产业产值占…总产值的80%以上”: when
    nothing is left to name it, they do)."""
    named = _amount_of_what_follows(s, fig, raw)
    if named:
        s.items.append(_value_indicator(s, fig, named))
        return
    label = _money_named(s, fig, raw, _clean_label(raw))
    label = _investment_of(s, fig, label) or label
    label = _with_topic(s, _with_subject_of_measure(s, _with_list_verb(s, fig, _with_counted_noun(s, fig, label))))
    if not label and whole != raw:
        label = _clean_label(whole)
    label = _with_subject_of_previous(s, fig, raw, label) or _noun_of_list(s, fig, label)
    label = _rate_of_counted(s, fig, raw, _share_of_whole(s, label))
    label = _with_stage_of_previous(s, label)
    per = _PER.search(raw)
    if per and label and not label.startswith("每"):
        label = per.group() + label  # “全科医生达到每万人4.18名” -> 每万人全科医生
    prev = s.items[-1] if s.items else None
    if not label and prev is not None and prev.value is None and prev.change is not None \
            and s.text[prev.end:fig.start].strip("，、 ").startswith(("达到", "达", "为")):
        # “地区生产总值增长7.5%，达到309亿元”: one indicator
        s.items[-1] = _value_indicator(s, fig, prev.label, change=prev.change, change_unit=prev.change_unit,
                                       change_text=prev.change_text)
        return
    label = _increment_named(s, fig, _gap_to_a_wider_place(s, fig, label) if fig.percent else label)
    label = _plan_fulfilled(s, fig, raw, label)
    label = _other_side(s, fig, label)
    label = _per_period_of_previous(s, raw, label)
    if not label and prev is not None:
        if "累计" in raw:
            label = _stock_of(prev.label)  # “新增公园127座，累计达到1100座”: all the parks there are
        elif prev.end == fig.start:
            label = prev.label  # “贫困户301户611人”
    if label and not _ORDINAL.match(label):
        s.items.append(_value_indicator(s, fig, label))
        written, year = _year_written(s, fig, raw)
        if not written and prev is not None and _RESULT_OF_PLAN.fullmatch(raw.strip("，、 ")):
            written, year = True, prev.year  # the result of the year planned just before it
        if written and s.items[-1].year != year:
            s.items[-1] = replace(s.items[-1], year=year)


#: A clause that only says how much of a plan was fulfilled (“完成年度计划的102%”, “超额完成计划”).
_PLAN_FULFILLED = re.compile(r"(?P<verb>(?:超额)?完成了?|超过|超)(?P<plan>[^，。；：、\d]{0,6}?计划(?:原定数)?)的?")


#: The two sides of a town-and-country pair: a second item named by its side alone takes the first's measure.
_SIDES = {"城镇": ("农村",), "城市": ("农村",), "农村": ("城镇", "城市")}


def _other_side(s: _Sentence, fig: _Figure, label: str) -> str:
    """“城镇人均居住面积增加到8.7平方米，农村增加到22平方米” -> 农村人均居住面积: a second item of a pair
    with no noun of its own is measured as the first."""
    prev = s.items[-1] if s.items else None
    if prev is None or prev.value is None or prev.unit_normalized != _unit_normalized(fig.unit) + fig.per:
        return label
    side = next((p for p, others in _SIDES.items() if label in others and prev.label.startswith(p)), "")
    return label + prev.label[len(side):] if side and len(prev.label) - len(side) >= 2 else label


def _of_a_plan(s: _Sentence) -> bool:
    """Whether the figure read last is the share of a plan fulfilled by the thing read before it."""
    if len(s.items) < 2:
        return False
    thing, share = s.items[-2].label, s.items[-1].label
    return share.startswith(thing) and bool(_PLAN_FULFILLED.fullmatch(share[len(thing):]))


def _plan_fulfilled(s: _Sentence, fig: _Figure, raw: str, label: str) -> str:
    """A share of a plan fulfilled, said after the figure of the thing (“粮食总产量达到3,680亿斤，完成年度
    计划的102%”): of that thing (粮食总产量完成年度计划)."""
    prev = s.items[-1] if s.items else None
    done = _PLAN_FULFILLED.fullmatch(raw.strip("，、 ")) if fig.percent else None
    if done is None or prev is None or prev.value is None or prev.end > fig.start:
        return label
    return prev.label + done.group("verb").rstrip("了") + done.group("plan")


#: A figure given in another currency or unit after the one before it (“…160.6亿美元、折合1148亿元”).
_CONVERTED = re.compile(r"(?:折合|约合|相当于)")
#: Between the two figures of “从21.7%回落到14.8%” / “由8500万减少到6500万”.
_TO = re.compile("(?:" + "|".join(CHANGE_UP + CHANGE_DOWN) + "|降|升)?(?:到|至|为)"
                 + r"(?:(?:(?P<year>" + YEAR + r")年(?:底|末)?|[去上]?年[末底]|去年|上年|现在|目前|当前)的?)?")
#: A time the words before a figure open with (“1995年达到…”, “由1954年的…”): what the figure is of
#: is named before them.
_WHEN_ONLY = re.compile(r"(?:将|已经?)?(?:[由从])?(?:" + _DECADE + "|" + YEAR
                        + r"年|[去上今明]年[底末初]?|年[末底初]|上半年|下半年)")
#: A label that only says when (“1995年达到57600多亿元”).
_ONLY_DATE = re.compile(r"在?" + _COUNTED_YEARS + r"(?:间|中|里|内|来)?|(?:到了?|至)?(?:" + YEAR
                        + r"年|[今去明上本]年)(?:末|底|初|上半年|下半年)?|年末|年底|年初|上半年|下半年")
#: A share or a contribution whose subject is the clause's (“X增长6.5%、占…比重提高到45%”).
_RELATION = re.compile(r"(?P<verb>占|对)[^，。；]{2,}")


#: A clause that says only how near a figure is or how it must be held (“…净收入，大约有七十元左右”,
#: “…增长率，必须控制在千分之十三以下”): the figure is named by the clause before.
_SAYS_ONLY_HOW = re.compile(r"(?:必须|应当|应该|要|大约|大概|约|将近|接近|力争|争取|确保)+"
                            r"(?:有|控制在|保持在|稳定在|达到|达|为|在)?")
#: A clause that only says a figure is the result, or the estimate, of the one planned before it.
_RESULT_OF_PLAN = re.compile(r"(?:实际|预计|估计)(?:可以|可能|能够|将)?(?:达到|达|为)?")
#: Words that say only which figure of a year it is (“一九八一年计划为…，实际达到…”).
_PLANNED_OR_ACTUAL = frozenset(("计划", "实际", "预计", "原定", "执行结果", "实际执行结果"))


def _with_subject_of_previous(s: _Sentence, fig: _Figure, raw: str, label: str) -> str:
    """``label`` with what the figure before it names when the clause leaves its subject out: a
    conversion (“折合1148亿元”), the end of a from-to (“从21.7%回落到14.8%”), a date alone (“1995年
    达到…”), a share or contribution (“X增加值增长8.1%、对规模以上工业增长贡献率达72.9%”)."""
    prev = s.items[-1] if s.items else None
    if prev is None or not prev.label:
        when = _WHEN_ONLY.match(raw.strip("，、 ")) or _SAYS_ONLY_HOW.fullmatch(raw.strip("，、 ")) \
            and not s.text.startswith("的", fig.end)  # (“争取有百分之四十的产品…”: a share of what follows)
        says_when = not label or _ONLY_DATE.fullmatch(label) or label in _PLANNED_OR_ACTUAL
        if not label and not when:  # “城镇居民人均可支配收入，考虑价格下降因素比上年实际增长9.3%”
            topic = _topic_clause(s, fig)
            return topic if _NAMES_A_MEASURE.search(topic) or topic.endswith(_SHARED_HEADS) else ""
        if not (when and says_when):
            return label
        return _topic_clause(s, fig) or _thing_of_sentence_before(s, fig) or label
    between = s.text[prev.end:fig.start]
    if _CONVERTED.match(raw.strip("，、 ")) and prev.value is not None and len(between) <= 8:
        return prev.label
    if _BASE.fullmatch(raw.strip("，、 ")) and prev.value is not None:
        return prev.label
    if _TO.fullmatch(between.lstrip("，")) and re.search(r"[由从][^，。；]{0,12}$", s.text[s.start:prev.start]):
        return prev.label
    if not label and _RESULT_OF_PLAN.fullmatch(raw.strip("，、 ")) and prev.value is not None \
            and prev.unit_normalized == _unit_normalized(fig.unit) + fig.per:
        return prev.label  # “计划为百分之四，预计可以达到百分之六点四”: the same measure, its result
    if _ONLY_DATE.fullmatch(label) or (not label and _ONLY_DATE.match(raw.strip("，、 "))):
        # (the date is the figure's own: a change before it spans other years)
        same = prev.value is None or fig.is_change or prev.unit_normalized == _unit_normalized(fig.unit) + fig.per
        return prev.label if same else label
    if fig.unit == "倍" and _RATIO_TO.fullmatch(label) and prev.value is not None:
        return prev.label + label  # “…投资615亿元，是“十一五”时期的2.7倍”: the ratio of the thing before it
    if _SHARE_IN.fullmatch(label) and between[:1] in "、，" and "在" in prev.label[2:]:
        return prev.label[:prev.label.index("在", 2)] + label  # “X在零售总额中的比重…，在批发总额中的比重…”
    relation = _RELATION.fullmatch(label)
    if relation and between[:1] in "、，" and 0 in labels.word_starts(label) and 1 in labels.word_starts(label):
        subject = _subject_of(prev.label)
        if relation.group("verb") == "对":  # the contribution is the industry's, not its measure's
            subject = next((subject[:-len(h)] for h in MEASURE_HEADS if subject.endswith(h)), subject)
        return subject + label if len(subject) >= 2 and not subject.startswith(("占", "对")) else label
    return label


#: A ratio to a base whose thing is left out (“是“十一五”时期”, “为1997年”).
_RATIO_TO = re.compile(r"(?:是|为|相当于|等于)[^，。；]{2,12}")
#: A share whose part is left out (“在批发总额中的比重”): the part is the figure's before it.
_SHARE_IN = re.compile(r"在[^，。；在]{2,16}?中的(?:比重|份额)")
#: A part's share of the whole a clause before names (“在工农业总产值中，农业所占比重”).
_PART_SHARE = re.compile(r"(?P<part>[^，。；]{2,16}?)所占的?比重")
_WHOLE_BEFORE = re.compile(r"在(?P<whole>[^，。；在]{2,16}?)中，$")


def _thing_of_sentence_before(s: _Sentence, fig: _Figure) -> str:
    """The thing the sentence before (joined by a semicolon) was about, when this one only says when
    and its figure is of the same measure, or ""."""
    before = s.before
    if before is None or before.value is None:
        return ""
    if not fig.is_change and before.unit_normalized != _unit_normalized(fig.unit) + fig.per:
        return ""
    return before.label


#: Rates of how many of the things counted just before were dealt with (“…建议95件，办结率100%”).
_RATES_OF_COUNTED = frozenset(("办结率", "完成率", "满意率", "按期办结率", "答复率", "解决率"))


def _rate_of_counted(s: _Sentence, fig: _Figure, raw: str, label: str) -> str:
    """A bare rate of dealing with things, right after their count: the rate of those things (“办理
    人大代表建议68件、政协委员提案118件，办结率100%” -> 人大代表建议和政协委员提案办结率); of each of them
    when the clause says so (办结率均达100%: one indicator each, the same span)."""
    if label not in _RATES_OF_COUNTED or not fig.percent:
        return label
    counted = _counted_run(s)
    if not counted:
        return label
    if "均" not in raw:
        return "和".join(counted) + label
    for thing in counted[:-1]:
        s.items.append(_value_indicator(s, fig, thing + label))
    return counted[-1] + label


def _counted_run(s: _Sentence) -> list[str]:
    """The labels of the counts read last, listed with 、 (“建议95件、提案136件”), in order."""
    run: list[Indicator] = []
    for item in reversed(s.items):
        if item.value is None or item.unit_normalized in ("%", "pp") \
                or run and not s.text[item.end:run[0].start].removesuffix(run[0].label).endswith("、"):
            break
        run.insert(0, item)
    return [item.label for item in run]


def _share_of_whole(s: _Sentence, label: str) -> str:
    """“在工农业总产值中，农业所占比重…” -> 农业占工农业总产值比重: a part's share named with its whole."""
    share = _PART_SHARE.fullmatch(label)
    if share is None:
        return label
    at = s.text.rfind(share.group("part") + "所占", s.start)
    whole = _WHOLE_BEFORE.search(s.text, s.start, at) if at > 0 else None
    return f"{share.group('part')}占{whole.group('whole')}比重" if whole else label


#: Where what is said of a topic starts (“覆盖面逐步扩大”): its adverbs and change words.
_SAID_OF_TOPIC = re.compile("(?:逐步|不断|进一步|持续|稳步|明显|大幅|显著|(?:比|较)(?:去年|上年|上一年))"
                            "|(?:" + _CHANGE_WORD.pattern + ")(?!速度|率|幅度|度)")


def _year_written(s: _Sentence, fig: _Figure, raw: str) -> tuple[bool, int | None]:
    """Whether the clause says when a figure was, and the year it writes (“由2010年的5.24亿元增加到2015年
    的15.07亿元”, “1978年为17.4%”): None for another time (“由上年的…”, “较“十三五”末的…”: a start
    or a base, never the report's year)."""
    since = _FROM.search(raw) or _BASE.fullmatch(raw.strip("，、 "))
    if since:  # (a start or base whose time is no year: 从人均8.7万元, 由上年的…)
        year = since.group("year")
        return True, year_number(year) if year else None
    prev = s.items[-2] if len(s.items) > 1 else None
    to = _TO.fullmatch(s.text, prev.end, fig.start) if prev is not None and prev.end <= fig.start else None
    if to and to.group("year"):
        return True, year_number(to.group("year"))
    date = _YEAR_IN_TITLE.match(raw.strip("，、 "))
    return (True, year_number(date.group(1))) if date else (False, None)


def _topic_clause(s: _Sentence, fig: _Figure) -> str:
    """The name a sentence opens with in a clause of its own, right before the figure's clause, when
    no figure is stated before it (“农民人均纯收入，1982年为270元”; “覆盖面逐步扩大，2012年底已达到
    12.5%”), or ""."""
    clause_start = s.text.rfind("，", s.start, fig.start)
    if clause_start < 0 or any(s.start <= f.start < clause_start for f in s.figs):
        return ""
    first = s.text[s.start:clause_start]
    first = first[first.rfind("，") + 1:]
    said = _SAID_OF_TOPIC.search(first)
    topic = labels.clean(first[: said.start()] if said else first)
    return topic if 2 <= len(topic) <= 24 else ""


def _subject_of(label: str) -> str:
    """The subject of a label that states a relation (“国内生产总值占世界经济比重” -> 国内生产总值)."""
    starts = labels.word_starts(label)
    at = next((n for n, ch in enumerate(label) if n and ch in "占对" and n in starts and n + 1 in starts), 0)
    return label[:at] if at >= 2 else label


def _noun_of_list(s: _Sentence, fig: _Figure, label: str) -> str:
    """An unnamed figure listed before another that names its noun after it (“完成1.8万户、189万
    平方米棚改任务”): that noun."""
    if label:
        return label
    nxt = next((f for f in s.figs if f.start == fig.end + 1), None)
    if nxt is None or s.text[fig.end] not in "、和及":
        return label
    return _forward_label(s.text, nxt.end, s.end)


#: What an investment was spent on, after it (“投资5600万元完成了…搬迁”, “投资6462万元对…升级改造”).
_SPENT_ON = re.compile(r"(?:，(?:重点|集中|全面)?)?(?:完成了?|实施了?|用于|对|建设|建成|新建)"
                       r"(?P<what>[^，。；：]{2,40}?)(?=[，。；：]|$)"
                       # “投资1.27亿元的公路客运总站基本完工”: the thing of that investment
                       r"|的(?P<thing>[^，。；：、\d的]{2,20}?)(?=基本|全面|全部|主体|实现|投入|建成|开工|完工|竣工|进展|顺利"
                       r"|正式|成功|如期|整体|年内|落地|通车|营业|开通|投用|交付|已|正在|[，。；：、]|$)")
#: A count inside what was done (“三家污染企业”, “重点项目7个”): no part of its name.
_COUNT_IN = re.compile(r"[一二三四五六七八九十两]+[家个座所项条处栋](?=[\u4e00-\u9fff])"
                       r"|\d+(?:\.\d+)?[个项家座所条处栋套户间]$|(?<=等)\d+[个项家座所条处栋]"
                       r"|^\d+(?:\.\d+)?[个项家座所条处栋](?=[\u4e00-\u9fff])")


#: Works named by examples of a general kind (“第五中学改扩建等工程”, “向阳幼儿园等项目”).
_EXAMPLES_OF_WORKS = re.compile(r"[^等、]{2,16}等(?:项目|工程)")
_ORDINAL = re.compile(r"第[一二三四五六七八九十\d]+(?!中学|小学|中心|医院|人民医院|幼儿园|实验)")


def _investment_of(s: _Sentence, fig: _Figure, label: str) -> str:
    """An investment (“完成投资46.9亿元”) named by what it was spent on: the work after it in its
    clause, else the things the sentence counted before it (“实施重点项目47个，完成投资…” -> 重点项目
    投资); "" when neither."""
    if label != "投资" or fig.unit not in ("元", "美元"):
        return ""
    on = _SPENT_ON.match(s.text, fig.end, s.end)
    if on:
        what = _COUNT_IN.sub("", on.group("what") or on.group("thing"))
        listed = list(_FIGURE.finditer(what))
        if listed and listed[-1].end() < len(what) - 1 and "等" not in what and not what.startswith("的"):
            # “完成54栋住宅楼、14万平方米既有建筑节能改造”: the work
            what = what[listed[-1].end():]
        what = labels.clean(what.replace("进行", ""))
        # (a figure left in it has its own label: “…新增绿化面积66.3万平方米”)
        # (examples stay before a general kind: 第五中学改扩建等工程; an ordinal is no name: 第一批)
        examples = "等" in what and not _EXAMPLES_OF_WORKS.fullmatch(what)
        named = len(what) >= 2 and not _FIGURE.search(what) and not examples \
            and not _ORDINAL.match(what) and what not in _GENERIC_KINDS
        return what + "投资" if named else ""
    if s.text[fig.end:fig.end + 1] not in _CLAUSE_END + "、":
        return ""
    prev = s.items[-1] if s.items else None
    if prev is not None and prev.value is not None and prev.label.endswith(("项目", "工程")) \
            and prev.unit_normalized not in _MEASURES | {"%", "pp"}:
        return prev.label + "投资"  # the projects counted before it
    return ""


def _per_period_of_previous(s: _Sentence, raw: str, label: str) -> str:
    """An increment per day or month with no subject (“新登记注册企业增长21.6%，平均每天新增1.2万户”): of the
    thing before it, 平均 kept (新登记注册企业平均每天新增)."""
    prev = s.items[-1] if s.items else None
    per_period = _PER_PERIOD.search(raw) if prev is not None else None
    if prev is None or per_period is None or label not in (per_period.group(), per_period.group("each")):
        return label
    return prev.label + per_period.group()


#: An increment per day or month with no subject of its own (“平均每天新增”): of the thing before it.
_PER_PERIOD = re.compile(r"(?<![\u4e00-\u9fff])(?:平均)?(?P<each>每(?:天|日|月|年|周)(?:新增|增加|减少))$")
#: A label that is only an increase or decrease (of the thing named before it).
_INCREMENT = frozenset(("增加", "减少", "增产", "减产", "增收", "减收", "新增", "多", "少"))
#: The base of an increment (“比上年增产1199万吨”, “比上年预算减少198亿元”): the thing is the one before it.
_COMPARED = re.compile(r"(?:比|较)(?:(?:[上去前]|上一)年(?:[末底]|同期)?|同期|" + YEAR + r"年[末底初]?|年[初末底]"
                       r"|[一二三四五六七八九十两\d]+年(?:以)?前)?(?:预算数?|执行数|同期)?")
#: The base of an increment after the thing it is of (“…工资总额比上年增加60亿元”): says against what, not what.
_COMPARED_INCREMENT = re.compile(_COMPARED.pattern + r"(?P<verb>增加|减少|增产|减产|增收|减收)$")
#: Verbs that state an increment of the thing they govern (“增加中央预算内经常性建设投资100亿元”).
_INCREMENT_VERBS = ("增加", "减少", "增产", "减产")


def _increment_named(s: _Sentence, fig: _Figure, label: str) -> str:
    """An absolute increment named as the thing + the verb as written: after the figure of that
    thing (“粮食产量39109万吨，比上年增产1199万吨” -> 粮食增产: 增产 already says 产量), or before
    the amount it governs (“增加…建设投资100亿元” -> …建设投资增加; a count after 增加 names what was
    added: 增加学位7.3万个)."""
    prev = s.items[-1] if s.items else None
    compared = _COMPARED.match(label)
    verb = label[compared.end():] if compared else label
    inner = _COMPARED_INCREMENT.search(label)
    if inner and inner.start() >= 2 and inner.start() in labels.word_starts(label):
        return label[:inner.start()] + inner.group("verb")  # “工资总额比上年增加60亿元” -> 工资总额增加
    if verb in _INCREMENT and prev is not None and prev.value is not None \
            and prev.unit_normalized == _unit_normalized(fig.unit) + fig.per:
        thing = prev.label
        if verb in ("增产", "减产"):
            thing = re.sub(r"总?产量$", "", thing) or thing
        return thing + verb  # “纸520万吨，增加20万吨”: the increase of the thing before it
    lead = next((v for v in _INCREMENT_VERBS if label.startswith(v)), "")
    if lead and fig.unit in _MEASURES and len(label) - len(lead) >= 2 and len(lead) in labels.word_starts(label) \
            and not label.startswith(("到", "至", "为"), len(lead)) and not _DIGIT.search(label):
        return label[len(lead):] + lead
    return label


#: Verbs that say money was put to a use (“安排扶贫资金122亿元”): the money is named by its object.
_SPENDING = frozenset(("安排", "投放", "发放", "投入", "拨付", "下达", "兑现", "筹集"))


def _money_named(s: _Sentence, fig: _Figure, raw: str, label: str) -> str:
    """An amount of money named by what was spent, without the verb saying it was: the spender stays
    (“中央财政安排扶贫资金” -> 中央财政扶贫资金), those it went to do not (“为1467位老年人发放高龄补贴”
    -> 高龄补贴: counted by the figure before, or after 为 / 向)."""
    if fig.unit not in ("元", "美元") or not label:
        return label
    raw_start = fig.start - len(raw) if not fig.is_change else -1
    prev = s.items[-1] if s.items else None
    if prev is not None and prev.end == raw_start and label.startswith(prev.label) \
            and len(rest := labels.clean(label[len(prev.label):])) >= 2:
        label = rest  # “为5.01万名农民工追回欠薪6.83亿元”: those counted before are not the money
    words = cut(label)
    # the last such verb with an object (“用于科技的投入五年累计…”, “…的投入拟安排”: 投入 is the noun there)
    at = max((n for n, w in enumerate(words) if w in _SPENDING and len("".join(words[n + 1:])) >= 2
              and not _NOT_SPENT.match("".join(words[n + 1:]))), default=None)
    if at is None:
        return label
    before, spent = "".join(words[:at]), "".join(words[at + 1:])
    for_whom = before.startswith(("为", "向", "给", "通过", "对")) or any(f.end == raw_start for f in s.figs)
    spender = _WHEN_OR_HOW.sub("", before)  # (“中央财政五年投入”, “本年将发放”: when, not who)
    named = labels.clean(spent)  # (“投入各类民生资金”: 各类 only says of every kind; but 各类补贴, not 补贴 alone)
    spent = named if len(named) >= 3 else spent
    return spent if for_whom or len(spender) < 2 or _WHEN_OR_HOW.fullmatch(spender) else spender + spent


#: What follows a spending verb when it is no verb there: a time, an adverb of a total.
_NOT_SPENT = re.compile(r"[一二三四五六七八九十两\d]{1,3}年|累计|共|达|总|合计|拟|安排")
#: Adverbs and times a spender is followed by (将, 已, 五年累计 …), or that stand alone (本年将).
_WHEN_OR_HOW = re.compile(r"(?:将|要|拟|已|还|又|再|共|累计|全年|年内|今年|本年|明年|当年"
                          r"|[一二三四五六七八九十两\d]+年)+$")


def _value_indicator(s: _Sentence, fig: _Figure, label: str, change: int | float | None = None,
                     change_unit: str | None = None, change_text: str | None = None) -> Indicator:
    """The indicator of a value figure (with the change that goes with it, if any)."""
    return Indicator(
        label=label, value=fig.written or fig.num + fig.lead + fig.mag + fig.about
        + ("" if fig.implicit_unit else fig.unit + fig.per + fig.alt),
        value_normalized=_decimal_number(fig.decimal, fig.mag), unit_normalized=_unit_normalized(fig.unit) + fig.per,
        change=change, change_unit=change_unit, qualifier=_qualifier(fig, s.forecast), kind=s.kind, year=s.year,
        anchor=s.anchor, span=s.text[fig.start:fig.end], start=fig.start, end=fig.end, change_text=change_text,
        report=s.report, section=s.section,
    )


#: Before a change verb, the words that make it a yearly average over several years (年均增长).
_AVERAGE_YEARLY = re.compile(r"年均|平均每年|每年平均|年平均")
#: …and those that make it a change over several years (年均增长, 比2010年增长): never a year's.
SEVERAL_YEARS = re.compile(_AVERAGE_YEARLY.pattern + r"|(?:比|较)" + YEAR + r"年")


def _several_years(text: str, fig: _Figure, words: re.Pattern[str] = SEVERAL_YEARS) -> bool:
    """Whether a change is over several years (年均增长, 平均每年增长, 比2010年增长)."""
    start, verb = fig.phrase_start, fig.verb_start
    return 0 <= start < verb and bool(words.search(text, start, verb))


def _yearly_average(text: str, fig: _Figure) -> bool:
    """Whether a change is a yearly average over several years (年均增长, 平均每年增长)."""
    return _several_years(text, fig, _AVERAGE_YEARLY)


def _change_start(text: str, fig: _Figure) -> int:
    """Where the change as written starts: at its verb, or at 年均 / 比2010年 when it spans years
    (so that ``change_text`` says so, and the change is never taken for a year's)."""
    if _several_years(text, fig):
        return fig.phrase_start
    return fig.verb_start


def _change_indicator(s: _Sentence, fig: _Figure, label: str) -> Indicator:
    """The indicator of a change figure with no value: its span is the change, verb included."""
    number, unit = _change(fig)
    start = _change_start(s.text, fig) if fig.verb_start >= 0 else fig.start
    phrase = s.text[start:fig.end]
    return Indicator(
        label=label, value=None, value_normalized=None, unit_normalized=None, change=number, change_unit=unit,
        qualifier=_qualifier(fig, s.forecast), kind=s.kind, year=s.year, anchor=s.anchor, span=phrase,
        start=start, end=fig.end, change_text=phrase, report=s.report, section=s.section,
    )


# --------------------------------------------------------------------------- reports and pages


def extract_report(report: Report) -> list[Indicator]:
    """Every indicator of a ``model.Report``, in document order."""
    base = Context(report_year=report.year, report=report.slug)
    out: list[Indicator] = []
    for paragraph in report.intro:
        out.extend(extract_paragraph(paragraph.text, paragraph.id, base))
    _extract_sections(report.sections, (), base, out)
    return out


def _extract_sections(sections: Sequence[Section], path: tuple[str, ...], base: Context,
                      out: list[Indicator]) -> None:
    """The indicators of ``sections`` and their subsections, in document order, onto ``out``."""
    for section in sections:
        here = (*path, section.title)
        context = replace(base, sections=here)
        for paragraph in section.paragraphs:
            out.extend(extract_paragraph(paragraph.text, paragraph.id, context))
        _extract_sections(section.children, here, base, out)


def key_indicators(indicators: Sequence[Indicator], count: int) -> list[Indicator]:
    """The ``count`` most important indicators, in document order.

    First those of the report's opening results paragraph (the first paragraph that
    states three or more results) and of its targets paragraph (the one naming 预期目标,
    or the first with three or more targets), then the rest, figures with both a value
    and a change before the others.
    """
    if count <= 0:
        return []
    by_anchor: dict[str, list[Indicator]] = {}
    for item in indicators:
        by_anchor.setdefault(item.anchor, []).append(item)
    results = next((a for a, items in by_anchor.items()
                    if sum(1 for x in items if x.kind == ACTUAL) >= 3), None)
    targets = next((a for a, items in by_anchor.items() if sum(1 for x in items if x.kind == TARGET) >= 3), None)
    order = {id(x): n for n, x in enumerate(indicators)}
    # the two opening paragraphs share the first places: half each (the rest if one is short)
    target_items = [x for x in indicators if x.anchor == targets]
    result_items = [x for x in indicators if x.anchor == results]
    for_targets = min(len(target_items), max(count // 2, count - len(result_items)))
    first = {id(x) for x in (*result_items[:count - for_targets], *target_items[:for_targets])}

    def priority(item: Indicator) -> tuple[int, int]:
        if id(item) in first:
            tier = 0
        elif item.value is not None and item.change is not None:
            tier = 1
        elif item.kind != OTHER and item.unit_normalized in ("元", "美元", "%", "pp"):
            tier = 2
        else:
            tier = 3
        return tier, order[id(item)]

    chosen = sorted(indicators, key=priority)[:count]
    return sorted(chosen, key=lambda x: order[id(x)])


def group_by_section(indicators: Iterable[Indicator]) -> list[dict[str, object]]:
    """[{"section": title, "items": [...]}] in document order."""
    groups: list[tuple[str, list[Indicator]]] = []
    for item in indicators:
        if not groups or groups[-1][0] != item.section:
            groups.append((item.section, []))
        groups[-1][1].append(item)
    return [{"section": section, "items": items} for section, items in groups]


__all__ = ["ACTUAL", "KIND_NAMES", "OTHER", "QUALIFIERS_AFTER", "TARGET", "Context", "Indicator", "extract_paragraph",
           "extract_report", "format_number", "group_by_section", "key_indicators"]
