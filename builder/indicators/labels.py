"""Labels of indicators: the measured thing, named as a reader would cite it.

A report names what a figure measures in the clause around it, and the words there are not
all part of the name.  These rules follow from how report sentences are written:

* Leading words that only say the government acted, or when (实现, 完成, 累计, 推进, 主动,
  组织, 一年来, 清产核资后 …), are no part of the name; words that say *which* things are
  counted (新增, 新建, 培训, 发放, 认定, 实施, 竣工 …) are, so they stay.  Words are only
  ever removed whole (the segmenter decides where a word ends: 共享农庄 keeps its 共).
* A leading date (2024年末, 年底) says when, not what; a leading count of the things a measure
  is of (“8个主导产业产值”) only delimits them; the result complement of a trimmed verb (争取到)
  goes with it.
* The adverbs 共, 共计, 累计, 先后 and the aspect particle 了 inside a name go as well.
* Fields listed as examples before the thing (“基础设施、…等领域共建重点项目”) say where it is, not what.
* A list of names summed up by how many they are (“新一代信息技术、…、人工智能四大先导产业”) is
  named by the sum (四大先导产业).
* Brackets and quotes are balanced: a pair the clause gives whole is kept whole
  (企业（作坊）, “三公经费”), a half pair is cut away.
* A label never starts with a particle (的, 了, 和, 及, 与).

:func:`clean` applies these; :func:`balanced` and :func:`weak` say what a good label is.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from builder.text.numerals import YEAR
from builder.text.segment import cut, note_cuts, recorded_cuts

OPENERS = {"（": "）", "(": ")", "“": "”", "《": "》", "‘": "’", "【": "】", "[": "]", "「": "」"}
CLOSERS = {v: k for k, v in OPENERS.items()}

#: Words naming the whole jurisdiction (全国, 全市 …): the place column says where, so they are no
#: part of the name, except 全国 before a body or a title the whole country gives (全国人大代表, 全国文明城市).
WHOLE_JURISDICTION = ("全国", "全省", "全市", "全区", "全县", "全旗", "全州", "全盟")
NATIONAL_TITLES = ("人大", "政协", "文明", "先进", "模范", "示范", "百强", "重点", "优秀", "首",
                   "劳动模范", "五一", "第一", "前列", "之最", "最", "社会保障基金")
#: Terms that start with a light word (再就业 is a statistic of its own, not 就业 again).
TERMS_WITH_LIGHT_START = ("再就业", "再生", "再制造", "再融资", "再贷款", "再保险", "再教育", "再担保",
                          # proposals counted as made (提出意见建议2979件): 提出 says which are counted
                          "提出意见", "提出建议", "提出议案", "提出提案", "提出批评", "提出的",
                          # a plan's own terms (计划内项目, 计划生育), not a plan said to set a figure
                          "计划内", "计划外", "计划生育", "计划单列")
#: Leading words that name no part of the measured thing: verbs that only say the report's
#: subject acted, adverbs, connectives, times.  Removed from the start only as whole words.
LIGHT_LEAD = (
    "其中", "全年", *WHOLE_JURISDICTION, "我国", "我市", "我省", "我区", "我县", "我旗", "我州",
    "预计", "拟", "实现", "完成", "累计", "共计", "共有",
    "共", "同时", "此外", "以及", "并且", "并", "还", "已", "分别", "今年", "去年", "年内", "力争", "确保", "争取",
    "主动", "实施", "推进", "推动", "组织", "邀请", "先后", "着力", "召开", "成功", "积极",
    "释放", "开展", "做好", "将", "继续", "现已", "目前", "已经", "圆满", "顺利", "合计",
    "提供", "举办", "制定实施", "依法", "全力", "接受", "帮助", "抓好", "各类", "各项", "各位",
    "一年来", "两年来", "三年来", "五年来", "近年来", "有", "又", "再", "也", "即", "只", "仅", "才", "平均",
    "按可比价格计算", "按可比价计算", "按可比口径计算", "按可比口径", "和", "及", "与", "的", "了",
    # the speaker, what must or should be done, and its causative (我们要力争使…人口增长率降到, 必须控制在,
    # 要把…控制在), and that a result was obtained or launched (取得…科技成果, 推出…重点事项)
    "我们", "必须", "应当", "应该", "要", "使", "把", "取得", "推出",
    # a determiner of every kind (各种水果, like 各类), a connective of consequence (则), and what
    # only says the figure is to be striven for or is guaranteed (保证每年增产, 努力做到, 进一步停建)
    "各种形式的", "各种", "则",
    # who set a target, and that it was set (中央提出今年经济增长预期目标为7%, 提出居民消费价格涨幅控制在4%)
    "中央提出", "提出", "保证", "努力做到", "努力", "做到", "进一步", "总共",
    # connectives that open a clause (但是一九五三年…, 如一九五七年…), the year the sentence is in (同年,
    # 当年), and that a plan set the figure (计划规定…, 计划将…): none names what is measured
    "但是", "但", "如", "例如", "比如", "同年", "当年", "计划规定", "计划",
    "国家计划", "国家准备", "准备", "要求", "累积", "大约", "年均", "首次", "重点实施", "重点推进",
    "出台", "接续办好", "免费", "不少于", "正式", "有序", "陆续", "相继",
    # handling or bringing in what is counted (办理人大代表建议, 引进首店, 谋划落地…项目)
    "办理", "引进", "谋划",
)
#: Leading light verbs that are removed only when they are the whole phrase before the
#: counted noun (“建设80个网点”), since they also start ordinary names (建设用地).
LIGHT_VERB_ALONE = ("建设", "落实")
#: Adverbs removed wherever they stand in a label as a word of their own (a total's 共, 总共; 只, 仅
#: that only say the figure is small: 收入总共只增加了).
INNER_ADVERBS = frozenset({"共", "共计", "总共", "只", "仅", "先后", "了", "全年", "累计"})
#: Times inside a label, after its subject (“大寨去年平均每人生产粮食”): when, not what.
INNER_TIMES = frozenset({"去年", "今年", "上年", "当年", "同年"})
#: Verbs between a subject and the measure it reached (“省属企业完成产业类投资”): they say only that it was.
INNER_LIGHT_VERBS = frozenset({"完成", "实现"})
#: The measures such a verb reaches (完成投资, 实现利润); before others it is part of the measure (完成预算 …).
REACHED_MEASURES = ("投资", "利润", "营业额", "产值", "增加值", "营业收入", "收入", "税收", "销售额", "交易额",
                    "零售额", "进出口", "出口", "进口", "再就业")
PARTICLES = "的了和及与、，"
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+是|[一二三四五六七八九十]+、"
                        r"|（[一二三四五六七八九十\d]+）|\d+[.、])")
#: A leading time phrase ending in 后 / 以来 (“清产核资后”, “十三五以来”) of a few words.
_AFTER_TIME = re.compile(r"^[^，。；、\d]{1,8}?(?:后|以来)")
#: A leading period (“在第一个五年计划期间”, ““十三五”期间”): when, not what.
_DURING = re.compile(r"^在?[^，。；、\d]{1,12}?(?:期间|时期)")
#: A leading date: the year, or the end or start of it (“2025年末”, “年底”), says when, not what.
_DATE = re.compile(r"^(?:在|到|至)?(?:" + YEAR + r"年(?:末|底|初)?(?:前|以前)?|(?:去|上|今)?年(?:末|底|初)|[上下]半年"
                   # a period a total is summed over (“五年间”, “过去五年”): when, not what; not a plan's name
                   r"|(?:近|过去|这)?[一二三四五六七八九十两]{1,3}年(?:间|来|中|里|内)?(?!规划|计划|行动|攻坚|期|义务|制|一贯))")
#: A leading count of the things a measure is of (“14个重点产业产值”): it delimits them, and is
#: no part of the measure's name.
_LEAD_COUNT = re.compile(r"^\d+[个家项所](?=[\u4e00-\u9fff]{2})")


def _national_title(label: str) -> bool:
    """Whether ``label`` starts with a national body or title (全国人大代表, 全国文明城市), whose 全国 stays."""
    return label.startswith("全国") and label.startswith(NATIONAL_TITLES, 2)


def balanced(label: str) -> bool:
    """Whether every bracket and quote of ``label`` is closed, in order."""
    stack: list[str] = []
    for ch in label:
        if ch in OPENERS:
            stack.append(ch)
        elif ch in CLOSERS:
            if not stack or stack[-1] != CLOSERS[ch]:
                return False
            stack.pop()
    return not stack and label.count('"') % 2 == 0


def balance(label: str) -> str:
    """``label`` with its half pairs mended: a closer never opened is removed; text from an
    opener never closed on is cut away (only the opener goes when less than two characters
    would be left: “县（市” -> 县, “（市” -> 市)."""
    stack: list[int] = []
    for n, ch in enumerate(label):
        if ch in OPENERS:
            stack.append(n)
        elif ch in CLOSERS:
            if stack and label[stack[-1]] == CLOSERS[ch]:
                stack.pop()
            else:
                return balance(label[:n] + label[n + 1:])
    if stack:
        n = stack[0]
        kept = label[:n].strip("、，, ")
        if len(kept) < 2 or kept in LIGHT_LEAD or kept in LIGHT_VERB_ALONE:
            return balance(label[:n] + label[n + 1:])
        return balance(kept)
    return label.replace('"', "") if label.count('"') % 2 else label


def word_starts(label: str) -> frozenset[int]:
    """The offsets where a word of ``label`` starts (and its end).  (Not cached here: the cut is,
    in ``text.segment``, which must see every text a report cuts to remember it for an edit.)"""
    starts, at = set(), 0
    for word in cut(label):
        starts.add(at)
        at += len(word)
    starts.add(at)
    return frozenset(starts)


def _own_word(phrase: str, end: int, starts: frozenset[int]) -> bool:
    """Whether the 后 / 以来 that ends ``phrase`` (ending at ``end``) is a word of its own
    (not the end of 落后)."""
    return end in starts and end - (2 if phrase.endswith("以来") else 1) in starts


@cache
def _light_leads_starting(first: str) -> tuple[str, ...]:
    """The words of :data:`LIGHT_LEAD` that start with ``first``, in their order (the first that
    matches is trimmed)."""
    return tuple(word for word in LIGHT_LEAD if word.startswith(first)) if first else ()


def _trim_lead(label: str) -> str:
    """``label`` without its leading light words (each removed only as whole words)."""
    for _ in range(8):
        before = label
        label = label.lstrip("、，,；;：: ")
        numbering = _NUMBERING.match(label)
        if numbering:
            label = label[numbering.end():]
            continue
        starts = word_starts(label) if label else frozenset({0})
        date = _DATE.match(label) or _LEAD_COUNT.match(label)
        if date and len(label) - date.end() >= 2 and date.end() in starts:
            label = label[date.end():]
            continue
        during = _DURING.match(label)
        if during and during.end() in starts and len(label) - during.end() >= 2:
            label = label[during.end():]
            continue
        time = _AFTER_TIME.match(label)
        if time and _own_word(time.group(), time.end(), starts) and len(label) - time.end() >= 2:
            label = label[time.end():]
            continue
        for word in _light_leads_starting(label[:1]):
            if label.startswith(word) and len(word) in starts and len(label) > len(word):
                if word == "全国" and _national_title(label) or label.startswith(TERMS_WITH_LIGHT_START):
                    break
                label = label[len(word):]
                if len(word) == 2 and label.startswith("到") and len(label) > 3 and 1 in word_starts(label):
                    label = label[1:]  # the result complement of the verb (争取到, 收集到): it says only "done"
                break
        if label == before:
            break
    return label


def _drop_inner_adverbs(label: str) -> str:
    """共, 先后 before a word of two or more characters (代表们共提出), and 了; never inside a quoted
    name (“教共体”)."""
    if not any(a in label for a in INNER_ADVERBS | INNER_LIGHT_VERBS | INNER_TIMES):
        return label
    words = cut(label)
    quoted, kept = 0, list[str]()
    for n, word in enumerate(words):
        quoted += sum(word.count(o) for o in OPENERS) - sum(word.count(c) for c in CLOSERS)
        after = next((w for w in words[n + 1:] if w not in INNER_ADVERBS), "")  # (总共只增加: past 只 too)
        between = n > 0 and len(after) >= 2
        if word in INNER_ADVERBS and not quoted and (between or word == "了"):
            continue
        if word in INNER_TIMES and between and kept and kept[-1] not in ("比", "较", "与", "同", "和"):
            continue  # (比去年: the base of a comparison stays)
        if word in INNER_LIGHT_VERBS and n > 0 and len("".join(kept)) >= 2 \
                and "".join(words[n + 1:]).endswith(REACHED_MEASURES):
            continue
        kept.append(word)
    return "".join(kept)


def _drop_result_complement(label: str) -> str:
    """“收集到意见建议” -> 收集意见建议: 到 after the opening verb says only that it was done."""
    if "到" not in label[2:4]:
        return label
    words = cut(label)
    if len(words) > 2 and len(words[0]) == 2 and words[1] == "到" and not words[2][:1].isdigit():
        return words[0] + "".join(words[2:])
    return label


#: A list of names summed up by a number of them (“新一代信息技术、生物医药、…四大先导产业产值占比”).
_SUMMED_UP = re.compile(r"^(?:[^、，。；]+、)+[^、，。；]*?"
                        r"(?=[一二三四五六七八九十两]+(?:大|项|类|种|个)[^、，。；]{2,}$)")


#: Fields or sectors given as examples before the thing (“基础设施、现代产业、公共服务等领域320个共建重点项目”):
#: they say where the things are, and the thing is named after them.
_FIELD = r"[^，。；：、的用对为在]{1,10}"
_FIELDS_LISTED = re.compile(rf"^(?:{_FIELD}、)+{_FIELD}等(?:领域|方面|行业|部门|区域)的?(?=[\u4e00-\u9fff“]{{3}})")


#: A note in brackets on what a figure covers or how it is counted (“粮食（不包括大豆）的产量”,
#: “化肥（按有效成份计算）”): no part of the name.
_SCOPE_NOTE = re.compile(r"（(?:(?:不包括|包括|不含|含|折)[^（）]{1,20}|按[^（）]{1,16}(?:计算|计))）")
#: 接待 before those it counts (“接待入境游客”): 游客 already names arrivals.
_VISITORS_RECEIVED = re.compile(r"^接待(?=[^，。；]{0,6}(?:游客|旅客|游人|观众))")


def without_fields(label: str) -> str:
    """``label`` without the fields listed as examples before the thing it names."""
    return _FIELDS_LISTED.sub("", label)


def clean(label: str) -> str:
    """A label from the raw words before (or around) a figure: see the module's rules.

    Cached per distinct phrase (labels repeat, and are cleaned again until nothing changes); on a
    hit the texts it cut are noted for the report being rendered, so that its remembered cuts
    (``.cache/cuts/``) hold every text it needs."""
    result, texts = _clean_and_cuts(label)
    note_cuts(texts)
    return result


def forget_cleaned() -> None:
    """Forget the labels this process cleaned (as a new process would start)."""
    _clean_and_cuts.cache_clear()


@lru_cache(maxsize=16384)
def _clean_and_cuts(label: str) -> tuple[str, tuple[str, ...]]:
    with recorded_cuts() as texts:
        result = _clean(label)
    return result, tuple(texts)


#: A unit note in brackets left from the figure before (“…万头（只）、蔬菜产量”): no part of the next name.
_UNIT_NOTE_LEFT = re.compile(r"^（[^（）]{1,3}）[、，]?")


def _clean(label: str) -> str:
    label = _UNIT_NOTE_LEFT.sub("", label.strip())
    label = without_fields(_SUMMED_UP.sub("", _SCOPE_NOTE.sub("", label)))
    label = _VISITORS_RECEIVED.sub("", label)
    label = _trim_lead(label)
    label = _drop_result_complement(_drop_inner_adverbs(label))
    label = balance(label.strip("、，, ")).lstrip(PARTICLES)
    return "" if label in LIGHT_LEAD and label not in LIGHT_VERB_ALONE else label  # “预计”, “其中” name nothing


def light_verb_only(label: str) -> bool:
    """Whether ``label`` is nothing but a light verb (“建设”, “开展”)."""
    return label in LIGHT_VERB_ALONE or label in LIGHT_LEAD


_VERB_START = re.compile("^(?:" + "|".join(w for w in LIGHT_LEAD if len(w) > 1 and w not in ("其中",)) + ")")


def weak(label: str) -> list[str]:
    """Why ``label`` is weak ([] when it is not): a single character, a leading particle, a
    leading light verb or adverb, or unbalanced brackets and quotes."""
    reasons = []
    if len(label) <= 1:
        reasons.append("short")
    if label[:1] in "的了和及与、，":
        reasons.append("particle")
    verb = _VERB_START.match(label)
    if verb and not _national_title(label) \
            and "的" not in label[verb.end():]:  # (全国重点实验室; 开展…试点的县: a predicate naming its noun)
        reasons.append("verb")
    if not balanced(label):
        reasons.append("unbalanced")
    return reasons


__all__ = ["balance", "balanced", "clean", "forget_cleaned", "light_verb_only", "weak", "without_fields", "word_starts"]
