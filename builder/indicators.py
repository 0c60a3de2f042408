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

import csv
import io
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Iterable, Sequence

ACTUAL, TARGET, OTHER = "actual", "target", "other"

MAGNITUDES = {"万亿": 12, "亿": 8, "万": 4, "千": 3}
#: Measure words and units a figure may carry (longest first when matched).
COUNT_UNITS = (
    "个工作日", "户次", "场次", "件次", "平方公里", "平方米", "立方米", "千瓦时", "千瓦", "公里", "千米", "人次", "标箱", "公顷",
    "微克", "美元", "元", "人", "户", "家", "个", "件", "所", "项", "条", "座", "名", "辆", "台", "套",
    "张", "篇", "部", "场", "批", "处", "次", "吨", "亩", "天", "小时", "倍", "例", "支", "位", "间",
    "栋", "床", "本", "期", "份", "架", "艘", "块", "株", "棵", "米", "起", "宗", "个点",
)
PERCENT_UNITS = ("个百分点", "百分点", "%", "‰")
_UNITS = sorted(PERCENT_UNITS + COUNT_UNITS, key=len, reverse=True)
_UNIT_RE = "|".join(re.escape(u) for u in _UNITS)

#: ``qualifier`` values; the ones before a number and the ones after it.
QUALIFIERS_BEFORE = ("预计", "超过", "突破", "约", "近", "逾", "超")
QUALIFIERS_AFTER = ("左右", "以上", "以内", "以下", "上下")

CHANGE_UP = ("增长", "增加", "提高", "上升", "提升", "上涨", "增幅", "涨幅", "扩大", "增速")
CHANGE_DOWN = ("下降", "降低", "减少", "回落", "下滑", "缩小", "降幅", "下跌")

_NUM = r"(?<![A-Za-z0-9.\-])(?P<num>\d+(?:\.\d+)?)"
_FIGURE = re.compile(
    r"(?P<pre>(?:超过|突破|约|近|逾|超)?)" + _NUM
    + r"(?P<mag>万亿|亿|万|千)?(?P<about>余|多)?(?P<unit>" + _UNIT_RE + r")(?![A-Za-z])"
    + r"(?P<post>左右|以上|以内|以下|上下)?"
)
_CHANGE_VERB = re.compile(
    r"(?:同比|年均|(?:比|较)[^，。；、：\d]{1,6}|(?:比|较)(?:19|20)\d\d年(?:末|底)?)?(?:分别)?"
    r"(?P<verb>" + "|".join(CHANGE_UP + CHANGE_DOWN) + r")(?:了|达到|达|约)?$"
)
_CLAUSE_END = "，。；：！？,;:!?\n"
_SENTENCE_END = re.compile(r"[。！？；!?;]")
_QUOTED = re.compile(r"“[^”]{0,40}”|《[^》]{0,60}》|‘[^’]{0,40}’|\"[^\"]{0,40}\"")

#: Trimmed from the start of a label, repeatedly.
_LEAD_TRIM = re.compile(
    r"^(?:[、和及与并且，\s]|其中|全年|全市|全省|我市|预计|实现|完成|累计|共计|共|同时|此外|以及|还|已|"
    r"分别|今年|去年|年内|力争|确保|争取|一是|二是|三是|四是|五是|六是|七是|八是|九是|十是|"
    r"[一二三四五六七八九十]+、|（[一二三四五六七八九十\d]+）|\d+[.、])"
)
#: Trimmed from the end of a label, repeatedly.
_TAIL_TRIM = re.compile(
    r"(?:达到|达|为|是|完成|实现|均|突破|超过|超|约|近|逾|保持在|保持|控制在|稳定在|提高到|提高至|提升到|提升至|"
    r"增加到|增至|升至|降至|下降到|降低到|总计|共计|累计|分别|各|已|有|新增到|扩大到|，|、|和|的|每[^\d，。；]{1,4})$"
)
#: Where the noun phrase after a count ends (“5家企业通过…认定” -> 企业).
_FORWARD_STOP = re.compile(r"通过|实现|全部|获得|获批|入选|成为|被|完成|建成|达到|参加|参与|[的和及]|[，。；：、（]")

_TARGET_SECTION = re.compile(r"主要任务|预期目标|工作安排|工作建议|今后|下一步|展望|计划")
_ACTUAL_SECTION = re.compile(r"工作回顾|过去|回顾|主要工作|取得")
_TARGET_SENTENCE = re.compile(r"预期目标|力争|确保|争取|计划(?:完成|实现|达到|新增|建设)|目标是|将达到|要达到")
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


@dataclass(frozen=True)
class Indicator:
    """One quantitative statement of a report."""

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
        return _format_number(number)


@dataclass
class _Figure:
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
    implicit_unit: bool = False
    """The unit is not written here but shared with the next figure (“提高18.8和10个百分点”)."""

    @property
    def percent(self) -> bool:
        return self.unit in PERCENT_UNITS

    @property
    def is_change(self) -> bool:
        return bool(self.change_verb) and self.percent


# --------------------------------------------------------------------------- numbers


def _decimal_number(num: str, mag: str) -> int | float:
    value = Decimal(num).scaleb(MAGNITUDES.get(mag, 0))
    return int(value) if value == value.to_integral_value() else float(value)


def _format_number(number: int | float | None) -> str:
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


def _figures(text: str) -> list[_Figure]:
    excluded = _excluded_regions(text)
    out: list[_Figure] = []
    for m in _FIGURE.finditer(text):
        num_start = m.start("num")
        if any(a <= num_start < b for a, b in excluded):
            continue
        if num_start > 0 and text[num_start - 1] in "第每":
            continue
        # “第二批7个” is a count; “2019年” never matches (年 is no unit)
        fig = _Figure(start=m.start(), end=m.end(), num=m.group("num"), mag=m.group("mag") or "",
                      unit=m.group("unit"), pre=m.group("pre") or "", post=m.group("post") or "",
                      about=m.group("about") or "")
        # “提高18.8和10个百分点”: a bare number before 和/、 shares the next figure's unit
        # (“1409万、1305万人次”: a bare number with a magnitude word, when the next one has it too)
        bare = re.search(r"(?<![A-Za-z0-9.\-])(\d+(?:\.\d+)?)(万亿|亿|万)?[和、]$", text[max(0, fig.start - 12):fig.start])
        if bare and not fig.pre and bool(bare.group(2)) == bool(fig.mag):
            b_end = fig.start - 1
            b_start = b_end - len(bare.group(1)) - len(bare.group(2) or "")
            if not any(a <= b_start < b for a, b in excluded) and (b_start == 0 or text[b_start - 1] not in "第每"):
                shared = _Figure(start=b_start, end=b_end, num=bare.group(1), mag=bare.group(2) or "",
                                 unit=fig.unit, pre="", post="", implicit_unit=True)
                shared_head = text[max(0, b_start - 14):b_start]
                shared_verb = _CHANGE_VERB.search(shared_head)
                if shared_verb and shared.percent:
                    shared.change_verb = shared_verb.group("verb")
                    shared.verb_start = b_start - (len(shared_head) - shared_verb.start("verb"))
                    shared.phrase_start = b_start - (len(shared_head) - shared_verb.start())
                out.append(shared)
        if fig.unit in ("期", "次", "批", "起") and not fig.mag and fig.num.isdigit() and int(fig.num) < 10:
            continue  # 四期码头, 2次会议: small ordinals, not figures
        if out and re.fullmatch(r"[—–~～至\-]{1,2}", text[out[-1].end:fig.start]):
            continue  # the upper bound of a range (“增长4.5%—5%”) belongs to the figure before it
        if re.match(r"方面|领域|大类|批次", text[fig.end:fig.end + 2]) and fig.unit == "个":
            continue  # “以下14个方面的工作”
        head = text[max(0, fig.start - 14):fig.start]
        verb = _CHANGE_VERB.search(head)
        if verb and fig.percent:
            fig.change_verb = verb.group("verb")
            fig.verb_start = fig.start - (len(head) - verb.start("verb"))
            fig.phrase_start = fig.start - (len(head) - verb.start())
        out.append(fig)
    return out


def _sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _clean_label(label: str) -> str:
    label = label.strip()
    for _ in range(6):
        before = label
        label = _LEAD_TRIM.sub("", label).strip()
        label = _TAIL_TRIM.sub("", label).strip()
        if label == before:
            break
    label = label.strip("“”（）()、，")
    if len(label) > 40:
        label = label[-40:]
    return label


def _backward_label(text: str, floor: int, start: int) -> str:
    seg_start = floor
    for i in range(start - 1, floor - 1, -1):
        if text[i] in _CLAUSE_END:
            seg_start = i + 1
            break
    return text[seg_start:start]


def _forward_label(text: str, end: int, limit: int) -> str:
    rest = text[end:limit]
    m = _FORWARD_STOP.search(rest)
    noun = rest[: m.start()] if m else rest
    return noun if 2 <= len(noun) <= 24 and not re.search(r"\d", noun) else ""


def _split_labels(label: str, count: int) -> list[str]:
    parts = [p for p in re.split(r"[、和及与]", label) if p]
    if len(parts) == count:
        # “跨境电商交易额、服务贸易进出口额”; a shared tail stays with the last one only
        return parts
    if label.startswith("城乡") and count == 2:
        return ["城镇" + label[2:], "农村" + label[2:]]
    return [f"{label}（{n}）" for n in range(1, count + 1)]


def _kind(sentence: str, context: Context) -> str:
    sections = " ".join(context.sections)
    year = context.report_year
    if year and re.search(rf"{year}年", sections) and not re.search(rf"{year - 1}年", sections):
        return TARGET
    if _TARGET_SECTION.search(sections):
        return TARGET
    if _ACTUAL_SECTION.search(sections) or (year and re.search(rf"{year - 1}年", sections)):
        return TARGET if re.search(r"预期目标|力争", sentence) else ACTUAL
    if _TARGET_SENTENCE.search(sentence):
        return TARGET
    if _ACTUAL_SENTENCE.search(sentence):
        return ACTUAL
    return OTHER


def _year(kind: str, context: Context) -> int | None:
    match = re.search(r"((?:19|20)\d\d)年", " ".join(context.sections))
    if match:
        return int(match.group(1))
    if context.report_year is None:
        return None
    return context.report_year if kind == TARGET else context.report_year - 1


def _qualifier(fig: _Figure, sentence_prefix: str) -> str | None:
    if fig.post:
        return fig.post
    if fig.about:
        return "余"
    if fig.pre:
        return {"超": "超过"}.get(fig.pre, fig.pre)
    if sentence_prefix.startswith("预计"):
        return "预计"
    return None


def _change(fig: _Figure) -> tuple[int | float, str]:
    number = _decimal_number(fig.num, "")
    if fig.change_verb in CHANGE_DOWN:
        number = -number
    return number, ("pp" if fig.unit in ("个百分点", "百分点") else "%")


def extract_paragraph(text: str, anchor: str, context: Context = Context()) -> list[Indicator]:
    """Every indicator the paragraph ``text`` states, in text order."""
    found: list[Indicator] = []
    figures = _figures(text)
    section = context.sections[-1] if context.sections else ""
    for s_start, s_end in _sentences(text):
        sentence = text[s_start:s_end]
        kind = _kind(sentence, context)
        year = _year(kind, context)
        figs = [f for f in figures if s_start <= f.start < s_end]
        sentence_items: list[Indicator] = []
        floor = s_start
        i = 0
        while i < len(figs):
            fig = figs[i]
            begin = fig.phrase_start if fig.is_change else fig.start
            raw = _backward_label(text, floor, begin)
            respectively = "分别" in _backward_label(text, floor, fig.start)
            # a group: 分别 X和Y(、增长A和B)
            group = [fig]
            j = i + 1
            while j < len(figs) and re.fullmatch(r"[和、及与]", text[figs[j - 1].end:figs[j].start]) \
                    and figs[j].unit == fig.unit:
                group.append(figs[j])
                j += 1
            if fig.is_change and len(group) > 1 and respectively and not _clean_label(raw.replace("分别", "")) \
                    and len(sentence_items) >= len(group) \
                    and all(x.change is None and x.value is not None for x in sentence_items[-len(group):]):
                # “…37820元、…28104元，同比分别增长6.5%和9.4%”
                base = len(sentence_items) - len(group)
                for n, g in enumerate(group):
                    g.change_verb = g.change_verb or fig.change_verb
                    number, unit = _change(g)
                    start = g.verb_start if g.verb_start >= 0 else g.start
                    sentence_items[base + n] = replace(sentence_items[base + n], change=number, change_unit=unit,
                                                       change_text=text[start:g.end])
                floor = figs[j - 1].end
                i = j
                continue
            if respectively and len(group) > 1:
                if fig.is_change:
                    for g in group[1:]:
                        g.change_verb = fig.change_verb
                labels = _split_labels(_clean_label(raw.replace("分别", "")), len(group))
                changes: list[_Figure] = []
                k = j
                if k < len(figs) and figs[k].is_change or (k < len(figs) and re.search(
                        "|".join(CHANGE_UP + CHANGE_DOWN), text[group[-1].end:figs[k].start])):
                    gap = text[group[-1].end:figs[k].start]
                    verb = re.search("|".join(CHANGE_UP + CHANGE_DOWN), gap)
                    if verb and len(gap) <= 6:
                        changes = [figs[k]]
                        m = k + 1
                        while m < len(figs) and len(changes) < len(group) and \
                                re.fullmatch(r"[和、及与]", text[figs[m - 1].end:figs[m].start]):
                            changes.append(figs[m])
                            m += 1
                        if len(changes) == len(group):
                            for c in changes:
                                c.change_verb = c.change_verb or verb.group(0)
                            j = m
                        else:
                            changes = []
                for n, (g, label) in enumerate(zip(group, labels)):
                    item = _make(text, g, label, anchor, kind, year, context, section, s_start)
                    if fig.is_change:
                        item = _as_change(item, g, text)
                    elif changes:
                        number, unit = _change(changes[n])
                        item = replace(item, change=number, change_unit=unit,
                                       change_text=changes[n].change_verb + text[changes[n].start:changes[n].end])
                    sentence_items.append(item)
                floor = figs[j - 1].end
                i = j
                continue

            label = _clean_label(raw)
            if fig.is_change:
                prev = sentence_items[-1] if sentence_items else None
                if not label and prev is not None and prev.change is None and prev.value is not None:
                    number, unit = _change(fig)
                    sentence_items[-1] = replace(prev, change=number, change_unit=unit,
                                                 change_text=text[fig.verb_start:fig.end])
                    floor = fig.end
                    i += 1
                    continue
                if not label:
                    floor = fig.end
                    i += 1
                    continue  # a change of nothing named: not an indicator
                item = _as_change(_make(text, fig, label, anchor, kind, year, context, section, s_start), fig, text)
                parts = [p for p in label.split("、") if p]
                if raw.rstrip().endswith("均") and len(parts) > 1:
                    # “城镇…收入、农村…收入均增长8%”: one indicator per name, the same span
                    sentence_items += [replace(item, label=p) for p in parts[:-1]]
                    item = replace(item, label=parts[-1])
            else:
                if len(label) <= 2 and not fig.percent:
                    forward = _forward_label(text, fig.end, s_end)
                    label = (label + forward) if forward else label
                prev = sentence_items[-1] if sentence_items else None
                if not label and prev is not None and prev.value is None and prev.change is not None \
                        and text[prev.end:fig.start].strip("，、 ").startswith(("达到", "达", "为")):
                    # “地区生产总值增长7.5%，达到309亿元”: one indicator
                    merged = _make(text, fig, prev.label, anchor, kind, year, context, section, s_start)
                    sentence_items[-1] = replace(merged, change=prev.change, change_unit=prev.change_unit,
                                                 change_text=prev.change_text)
                    floor = fig.end
                    i += 1
                    continue
                if not label and sentence_items and "累计" in raw:
                    label = sentence_items[-1].label + "（累计）"
                elif not label and sentence_items and sentence_items[-1].end == fig.start:
                    label = sentence_items[-1].label  # “贫困户301户611人”
                if not label or label.startswith("第"):
                    floor = fig.end
                    i += 1
                    continue
                item = _make(text, fig, label, anchor, kind, year, context, section, s_start)
            sentence_items.append(item)
            floor = fig.end
            i += 1
        found.extend(sentence_items)
    return found


def _make(text: str, fig: _Figure, label: str, anchor: str, kind: str, year: int | None,
          context: Context, section: str, s_start: int) -> Indicator:
    value = fig.num + fig.mag + fig.about + ("" if fig.implicit_unit else fig.unit)
    return Indicator(
        label=label, value=value, value_normalized=_decimal_number(fig.num, fig.mag),
        unit_normalized=_unit_normalized(fig.unit), change=None, change_unit=None,
        qualifier=_qualifier(fig, text[s_start:fig.start].lstrip()), kind=kind, year=year,
        anchor=anchor, span=text[fig.start:fig.end], start=fig.start, end=fig.end,
        report=context.report, section=section,
    )


def _as_change(item: Indicator, fig: _Figure, text: str) -> Indicator:
    number, unit = _change(fig)
    start = fig.verb_start if fig.verb_start >= 0 else fig.start
    return replace(item, value=None, value_normalized=None, unit_normalized=None, change=number,
                   change_unit=unit, change_text=text[start:fig.end], span=text[start:fig.end],
                   start=start, end=fig.end)


# --------------------------------------------------------------------------- reports and pages


def extract_report(report) -> list[Indicator]:
    """Every indicator of a ``model.Report``, in document order."""
    out: list[Indicator] = []
    base = Context(report_year=report.year, report=report.slug)
    for paragraph in report.intro:
        out.extend(extract_paragraph(paragraph.text, paragraph.id, base))

    def walk(sections, path):
        for section in sections:
            here = (*path, section.title)
            ctx = replace(base, sections=here)
            for paragraph in section.paragraphs:
                out.extend(extract_paragraph(paragraph.text, paragraph.id, ctx))
            walk(section.children, here)

    walk(report.sections, ())
    return out


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
    groups: list[dict[str, object]] = []
    for item in indicators:
        if not groups or groups[-1]["section"] != item.section:
            groups.append({"section": item.section, "items": []})
        groups[-1]["items"].append(item)  # type: ignore[union-attr]
    return groups


#: Fields of a row in indicators.json / indicators.csv, in order.
ROW_FIELDS = ("report", "label", "value", "value_normalized", "unit_normalized", "change", "change_unit",
              "qualifier", "kind", "year", "anchor", "span", "url")


def to_row(item: Indicator, page_url: str) -> dict[str, object]:
    """One open-data row; ``page_url`` is the report page's URL relative to the site root."""
    # every field is a str, a number or None: read them directly (``asdict`` deep-copies, 15x slower)
    row = {key: getattr(item, key, None) for key in ROW_FIELDS if key != "url"}
    row["url"] = f"{page_url}#{item.anchor}"
    return row


def to_csv(rows: Sequence[dict[str, object]]) -> bytes:
    """Rows as CSV, UTF-8 with a BOM (so spreadsheet programs read the Chinese right)."""
    return csv_file([csv_lines(rows)])


def csv_lines(rows: Sequence[dict[str, object]]) -> str:
    """The CSV lines of ``rows`` (no header): each report's part of indicators.csv."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([("" if v is None else _format_number(v) if isinstance(v, float) else v)
                      for v in (row.get(k) for k in ROW_FIELDS)] for row in rows)
    return buffer.getvalue()


def csv_file(parts: Iterable[str | bytes]) -> bytes:
    """indicators.csv from the :func:`csv_lines` of each report (text or UTF-8), in order: BOM,
    header, lines."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(ROW_FIELDS)
    head = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    return head + b"".join(p if isinstance(p, bytes) else p.encode("utf-8") for p in parts)


def targets_vs_results(rows: Sequence[dict[str, object]]) -> list[dict[str, object]]:
    """Pairs of a target and a result for the same label and year (any reports)."""
    targets: dict[tuple[object, object], dict[str, object]] = {}
    actuals: dict[tuple[object, object], dict[str, object]] = {}
    for row in rows:
        key = (row["label"], row["year"])
        if row["kind"] == TARGET:
            targets.setdefault(key, row)
        elif row["kind"] == ACTUAL:
            actuals.setdefault(key, row)
    return [{"label": k[0], "year": k[1], "target": targets[k], "actual": actuals[k]}
            for k in sorted(set(targets) & set(actuals), key=lambda k: (str(k[1]), str(k[0])))]


__all__ = ["Context", "Indicator", "extract_paragraph", "extract_report", "key_indicators",
           "group_by_section", "to_row", "to_csv", "csv_lines", "csv_file", "targets_vs_results", "ROW_FIELDS", "field"]

#: Display names of the kinds (pages, sidebar).
KIND_NAMES = {ACTUAL: "实绩", TARGET: "目标", OTHER: "其他"}


def _display(item: Indicator) -> tuple[str, str]:
    value = item.span if item.value is not None else ""
    change = item.change_text or ""
    return value, change


Indicator.value_display = property(lambda self: _display(self)[0])  # type: ignore[attr-defined]
Indicator.value_display.__doc__ = "The value as written with its qualifier (the span), or '' for a change-only figure."
Indicator.change_display = property(lambda self: _display(self)[1])  # type: ignore[attr-defined]
Indicator.change_display.__doc__ = "The change as written (增长6%左右), or ''."
Indicator.kind_name = property(lambda self: KIND_NAMES.get(self.kind, self.kind))  # type: ignore[attr-defined]


def growth_chart(indicators: Sequence[Indicator], limit: int = 12) -> dict[str, object] | None:
    """Geometry of a bar chart of the growth rates (%) a report states, results beside targets.

    One row per label that has a stated growth rate (``change_unit == "%"``) as a result or a
    target, in document order (labels with both first), at most ``limit`` rows.  Returns
    None when there is nothing to draw.  All numbers are pixels in a 640-wide viewBox.
    """
    rows: dict[str, dict[str, object]] = {}
    for item in indicators:
        if item.change_unit != "%" or item.change is None or item.kind not in (ACTUAL, TARGET):
            continue
        row = rows.setdefault(item.label, {"label": item.label, ACTUAL: None, TARGET: None})
        if row[item.kind] is None:
            row[item.kind] = item
    if not rows:
        return None
    ordered = sorted(rows.values(), key=lambda r: 0 if r[ACTUAL] and r[TARGET] else 1)[:limit]
    values = [float(r[k].change) for r in ordered for k in (ACTUAL, TARGET) if r[k] is not None]  # type: ignore[union-attr]
    top = max(max(values), 0.0)
    bottom = min(min(values), 0.0)
    label_w, bar_w, row_h, bar_h = 200, 380, 34, 12
    span = (top - bottom) or 1.0
    zero = label_w + bar_w * (-bottom / span)

    def bar(item: Indicator | None, y: float) -> dict[str, object] | None:
        if item is None:
            return None
        value = float(item.change)  # type: ignore[arg-type]
        x1 = label_w + bar_w * ((value - bottom) / span)
        return {"x": round(min(zero, x1), 1), "y": round(y, 1), "w": round(abs(x1 - zero), 1), "h": bar_h,
                "text_x": round(max(zero, x1) + 4, 1), "text_y": round(y + bar_h - 2, 1),
                "text": f"{_format_number(item.change)}%" + (item.qualifier if item.qualifier in QUALIFIERS_AFTER
                                                             else ""), "id": item.id,
                "year": item.year}

    out_rows = []
    for n, row in enumerate(ordered):
        y = 8 + n * row_h
        out_rows.append({"label": row["label"], "label_y": y + row_h / 2 + 1,
                         "actual": bar(row[ACTUAL], y), "target": bar(row[TARGET], y + bar_h + 1)})  # type: ignore[arg-type]
    return {"rows": out_rows, "width": 640, "height": 16 + len(out_rows) * row_h, "zero": round(zero, 1),
            "label_w": label_w}
