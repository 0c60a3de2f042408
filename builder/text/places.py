"""Gazetteer of Chinese administrative divisions: find, resolve and romanize place names.

The data (``builder/data/divisions.tsv``: adcode, name) covers the province, prefecture
and county levels.  A division's parents follow from its adcode: ``150702`` (海拉尔区)
lies in ``150700`` (呼伦贝尔市) in ``150000`` (内蒙古自治区).  Placeholder rows
(市辖区, 县, 省直辖县级行政区划) are skipped.

Everything here is pure and cached; the table is read once.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import accumulate, compress

from builder.text.segment import cut

#: The pseudo-place for national reports (国务院, 全国人大常委会).
NATIONAL = "全国"

_PLACEHOLDERS = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})

_ETHNIC = (
    "蒙古族 回族 藏族 维吾尔族 维吾尔 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族 哈尼族 "
    "哈萨克族 傣族 黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 柯尔克孜族 土族 "
    "达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 乌孜别克族 "
    "俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族 "
    "各族"
).split()
_ETHNIC_ALT = "|".join(sorted(_ETHNIC, key=len, reverse=True))
_AUTONOMOUS_RE = re.compile(rf"^(.+?)(?:{_ETHNIC_ALT})*自治(?:区|州|县|旗)$")
_PLAIN_SUFFIXES = ("特别行政区", "地区", "林区", "新区", "省", "市", "区", "县", "盟", "旗", "州")

#: Short forms that are also ordinary words in report prose; they count only before a
#: place suffix or institution word (苏州市, 淮安人大), never standing alone.
_COMMON_WORD_SHORTS = frozenset(
    "长寿 江南 城关 新城 长安 新华 和平 东方 永安 太平 平安 安宁 大同 光明 合作 富民 新兴 资源 通道 "
    "中山 江山 城中 市中 白云 青山 红旗 向阳 民主 团结 前进 胜利 建设 复兴 开放 先锋 长治 平和 大方 "
    "安康 兴业 宁安 东港 海港 仁和 清河 永和 大安 龙门 石门 河东 河西 江北 江东 桥东 桥西 铁东 铁西 "
    "城东 城西 城南 城北 东区 西区 南区 北区 郊区 矿区 新市 华容 安源 文明 和政 和静 民和 民乐 新乐".split()
)
#: Characters that make up "generic" county names such as 城区, 新城区, 市中区: these
#: count only right after their parent's name (西安市新城区).
_GENERIC_CHARS = frozenset("东西南北中新老城郊矿市上下前后")
#: Text that, right after a short form, marks it as a place (淮安人大, 苏州籍).
_SHORT_CONTEXT_RE = re.compile(r"(?:人大|人民政府|政府|市委|区委|县委|省委|籍|段|全境|境内|地区|城区|老城)")
#: Readings pypinyin gets wrong for place names.
_PINYIN_OVERRIDES = {"陕西": "shaanxi", "朝阳": "chaoyang", "长治": "changzhi", "曾都": "zengdu", "乐亭": "laoting",
                     "全国": "quanguo"}
_PLACE_TAGS = frozenset({"ns", "nr", "nrt"})


@dataclass(frozen=True)
class Division:
    """One administrative division."""

    code: str
    """Six-digit adcode."""
    name: str
    """Full official name, e.g. "海拉尔区"."""
    level: int
    """1 province-level (incl. 北京市), 2 prefecture-level, 3 county-level."""
    short: str
    """Name without its administrative suffix ("海拉尔"); "" when that would leave one character."""

    @property
    def ancestor_codes(self) -> tuple[str, ...]:
        """Codes of the province and prefecture above it (placeholders included), outermost first."""
        codes = []
        if self.level >= 2:
            codes.append(self.code[:2] + "0000")
        if self.level == 3:
            codes.append(self.code[:4] + "00")
        return tuple(codes)


@dataclass(frozen=True)
class PlaceMention:
    """A place name found in a text."""

    start: int
    end: int
    text: str
    candidates: tuple[Division, ...]
    """The divisions the name may mean (several for 朝阳区, 鼓楼区, 吉林)."""
    is_short: bool
    """True for a short form (苏州), False for a full name (苏州市)."""


def short_name(name: str) -> str:
    """The name without its administrative suffix: 内蒙古自治区 -> 内蒙古, 苏州市 -> 苏州.

    Names that would shrink to one character keep their suffix (城区, 和县).
    """
    if name == NATIONAL:
        return name
    match = _AUTONOMOUS_RE.match(name)
    if match and len(match.group(1)) >= 2:
        return match.group(1)
    for suffix in _PLAIN_SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _is_generic(name: str) -> bool:
    stem = name[:-1] if name[-1:] in "区县市" else name
    return bool(stem) and all(ch in _GENERIC_CHARS for ch in stem)


@lru_cache(maxsize=1)
def divisions() -> dict[str, Division]:
    """All divisions by adcode (placeholders left out)."""
    text = resources.files("builder").joinpath("data/divisions.tsv").read_text(encoding="utf-8")
    table: dict[str, Division] = {}
    for row in text.splitlines():
        if not row or row.startswith("#"):
            continue
        code, _, name = row.partition("\t")
        name = name.strip()
        if name in _PLACEHOLDERS or len(code) != 6:
            continue
        level = 1 if code.endswith("0000") else 2 if code.endswith("00") else 3
        short = short_name(name)
        table[code] = Division(code, name, level, short if short != name and len(short) >= 2 else "")
    return table


@lru_cache(maxsize=1)
def _indexes() -> tuple[dict[str, tuple[Division, ...]], dict[str, tuple[Division, ...]], int]:
    full: dict[str, list[Division]] = {}
    short: dict[str, list[Division]] = {}
    for div in divisions().values():
        full.setdefault(div.name, []).append(div)
        if div.short:
            short.setdefault(div.short, []).append(div)
    # A short form that is some other division's full name (e.g. none today) is not a short form.
    for name in list(short):
        if name in full:
            del short[name]
    longest = max(len(n) for n in full)
    return (
        {k: tuple(v) for k, v in full.items()},
        {k: tuple(v) for k, v in short.items()},
        longest,
    )


def lookup(name: str) -> tuple[Division, ...]:
    """Divisions whose full name, or else whose short form, is ``name``, or else whose short form
    and level word it is (景宁县: 景宁畲族自治县)."""
    full, short, _ = _indexes()
    return full.get(name) or short.get(name) or _short_form_with_level(name)


def ancestors(div: Division) -> tuple[Division, ...]:
    """The real (non-placeholder) divisions above ``div``, outermost first."""
    table = divisions()
    return tuple(table[c] for c in div.ancestor_codes if c in table and c != div.code)


def path(div: Division) -> str:
    """Full path: 内蒙古自治区呼伦贝尔市海拉尔区, 江苏省苏州市, 北京市朝阳区, 北京市."""
    return "".join(a.name for a in ancestors(div)) + div.name


def is_within(div: Division, outer: Division) -> bool:
    """True when ``div`` is ``outer`` or lies inside it."""
    return div.code == outer.code or outer.code in div.ancestor_codes


@lru_cache(maxsize=1)
def _word_tags() -> dict[str, str]:
    import jieba.posseg

    from builder.text.segment import tokenizer

    tokenizer()  # loads the shared dictionary once, quietly, with its cache in the build cache
    dt = jieba.posseg.dt
    if not dt.word_tag_tab:  # older jieba: load lazily
        dt.load_word_tag(dt.tokenizer.get_dict_file())
    return dt.word_tag_tab


@lru_cache(maxsize=1)
def _short_tags() -> dict[str, str]:
    """jieba's dictionary tag of each short form it knows (``data/short_tags.tsv``).

    The only tags :func:`_find_places` reads; shipped as data so a build never loads jieba's
    part-of-speech table (half a second) nor, with rjieba, jieba's dictionary (a second).
    ``tests/unit/test_places.py`` checks the file against jieba's own table.
    """
    text = resources.files("builder").joinpath("data/short_tags.tsv").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for row in text.splitlines():
        if row and not row.startswith("#"):
            word, _, tag = row.partition("\t")
            table[word] = tag.strip()
    return table


@lru_cache(maxsize=1)
def _full_prefixes() -> frozenset[str]:
    """Every prefix of every full name: a run of tokens that is not one can never grow into a name."""
    full, _, _ = _indexes()
    return frozenset(name[:k] for name in full for k in range(1, len(name) + 1))


@lru_cache(maxsize=1)
def _name_starts() -> frozenset[str]:
    """Tokens a mention can start with: short forms and prefixes of full names."""
    _, short, _ = _indexes()
    return _full_prefixes() | frozenset(short)


@lru_cache(maxsize=1)
def _names() -> frozenset[str]:
    """Full names and short forms."""
    full, short, _ = _indexes()
    return frozenset(full) | frozenset(short)


def _tokens(text: str) -> list[tuple[int, str]]:
    """jieba's tokens of ``text``, each with its offset."""
    tokens = cut(text)
    # the running offsets have one more item than the tokens: the end of the last token
    return list(zip(accumulate(map(len, tokens), initial=0), tokens, strict=False))


def find_places(text: str) -> list[PlaceMention]:
    """Place names mentioned in ``text`` (see :func:`_find_places`); the last few texts are
    remembered, since attribution asks about the same title (and preamble) more than once."""
    return list(_find_places_cached(text))


@lru_cache(maxsize=32)
def _find_places_cached(text: str) -> tuple[PlaceMention, ...]:
    return tuple(_find_places(text))


def _find_places(text: str) -> list[PlaceMention]:
    """Place names mentioned in ``text``, in order, without overlaps.

    Full names are matched on jieba token boundaries (so 新兴市场 does not yield 新兴市, nor
    长江苏州段 江苏); a full name may span several tokens (海拉尔 + 区).  Generic names such as
    城区 or 市中区 count only right after their parent's name.  Short forms (苏州, 淮安) count when
    they are a token of their own that jieba tags as a place or person name, or when a place
    suffix or institution word follows them (淮安人大); forms that are common words (新兴, 资源,
    合作) need that context.

    jieba never cuts across a line break and no name, nor the text it is judged by, spans one:
    the mentions in two texts joined by a line break are those of each text.

    Only tokens where a name can start are looked at (:func:`_possible_starts`, about one in
    fifty); the others are skipped in C.
    """
    tokens = cut(text)
    mentions: list[PlaceMention] = []
    resume = 0  # tokens before this one are part of a full name already found
    start, counted = 0, 0  # the offset of token ``counted``
    for i in _possible_starts(tokens):
        if i < resume:
            continue
        start += sum(map(len, tokens[counted:i]))
        counted = i
        found = _full_name_at(tokens, i)
        if found:
            resume, name = found
            candidates, is_short = _full_name_candidates(name, text, start), False
        else:
            name = tokens[i]
            candidates, is_short = _short_form_candidates(name, text, start), True
        if candidates:
            mentions.append(PlaceMention(start, start + len(name), name, candidates, is_short))
    return mentions


def _possible_starts(tokens: Sequence[str]) -> list[int]:
    """Indexes of the tokens a mention may start at, in order: a name (full or short form) on
    its own, or the start of a full name that goes on into the next token."""
    names, prefixes = _names(), _full_prefixes()
    last = len(tokens) - 1
    return [i for i in compress(range(len(tokens)), map(_name_starts().__contains__, tokens))
            if tokens[i] in names or (i < last and tokens[i] + tokens[i + 1] in prefixes)]


def _full_name_at(tokens: Sequence[str], i: int) -> tuple[int, str] | None:
    """(index after its last token, name) of the longest full name made of tokens i, i+1, ...
    (at most 8 of them); None when they make none."""
    full, _, _ = _indexes()
    prefixes = _full_prefixes()
    found = None
    combined = ""
    for j in range(i, min(len(tokens), i + 8)):
        combined += tokens[j]
        if combined not in prefixes:  # no longer run can be a name either
            break
        if combined in full:
            found = (j + 1, combined)
    return found


def _full_name_candidates(name: str, text: str, start: int) -> tuple[Division, ...]:
    """The divisions full name ``name`` at ``start`` may mean; none for a generic name without its parent."""
    candidates = _indexes()[0][name]
    return _with_parent_before(candidates, text, start) if _is_generic(name) else candidates


def _short_form_candidates(token: str, text: str, start: int) -> tuple[Division, ...]:
    """The divisions token ``token`` at ``start`` means when it is a short form standing as a place."""
    candidates = _indexes()[1].get(token, ())
    if not candidates:
        return ()
    after = text[start + len(token): start + len(token) + 2]
    has_context = bool(_SHORT_CONTEXT_RE.match(after))
    standalone = token not in _COMMON_WORD_SHORTS and _short_tags().get(token, "ns") in _PLACE_TAGS
    return candidates if has_context or standalone else ()


def _with_parent_before(candidates: tuple[Division, ...], text: str, start: int) -> tuple[Division, ...]:
    before = text[max(0, start - 12): start]
    kept = []
    for div in candidates:
        for parent in ancestors(div):
            if before.endswith(parent.name) or (parent.short and before.endswith(parent.short)):
                kept.append(div)
                break
    return tuple(kept)


def choose(candidates: Sequence[Division], context: Iterable[Division] = ()) -> Division | None:
    """Pick one of several same-named divisions using the other places of the text.

    Each context division votes for a candidate it contains or lies near: +3 for an
    ancestor of the candidate, +2 for a division inside the candidate, +1 for one in the
    same prefecture, +0.5 for one in the same province.  Ties go to the higher level
    (吉林 -> 吉林省), then to the lower adcode.
    """
    if not candidates:
        return None
    if len(candidates) == 1:
        return candidates[0]
    context = list(context)

    def score(div: Division) -> tuple[float, int, str]:
        total = 0.0
        for other in context:
            if other.code == div.code:
                continue
            if is_within(div, other):
                total += 3
            elif is_within(other, div):
                total += 2
            elif other.code[:4] == div.code[:4]:
                total += 1
            elif other.code[:2] == div.code[:2]:
                total += 0.5
        return (-total, div.level, div.code)

    return min(candidates, key=score)


def unambiguous(mentions: Iterable[PlaceMention]) -> list[Division]:
    """The divisions of mentions that name exactly one division (the context for ``choose``)."""
    return [m.candidates[0] for m in mentions if len(m.candidates) == 1]


def split_chain(name: str) -> list[str]:
    """Split a run of full names: 江苏省苏州市 -> [江苏省, 苏州市]; leftover text is kept as one part."""
    full, _, longest = _indexes()
    parts: list[str] = []
    i = 0
    rest = ""
    while i < len(name):
        for size in range(min(longest, len(name) - i), 1, -1):
            if name[i: i + size] in full:
                # (景宁县: the short form 景宁 and 县, not 景 and the 宁县 inside it)
                k = next((k for k in (2, 1) if len(rest) >= k
                          and _short_form_with_level(rest[-k:] + name[i: i + size])), 0)
                rest, start, i = rest[:len(rest) - k], i - k, i + size
                if rest:
                    parts.append(rest)
                    rest = ""
                parts.append(name[start:i])
                break
        else:
            rest += name[i]
            i += 1
    if rest:
        parts.append(rest)
    return parts


#: The last character of a division's full name that a text may add to its short form (景宁县).
_LEVEL_WORDS = "省市县区旗州盟"


def _short_form_with_level(name: str) -> tuple[Division, ...]:
    """The divisions a short form plus its level word means, when ``name`` is written so and is no
    full name itself: 景宁县 -> 景宁畲族自治县 (an autonomous county named by its short form), where a
    run of full names would find the 宁县 inside it."""
    full, short, _ = _indexes()
    if len(name) < 3 or name in full or name[-1] not in _LEVEL_WORDS:
        return ()
    return tuple(d for d in short.get(name[:-1], ()) if d.name.endswith(name[-1]))


def resolve(name: str, context: str | Iterable[Division] = "") -> Division | None:
    """The division a name means: a full name, a short form or a chain (呼伦贝尔市海拉尔区).

    Duplicates (朝阳区) are told apart by the chain's outer names, then by ``context``: a
    text (its place names are found) or divisions already known.
    """
    name = name.strip()
    if not name:
        return None
    ctx: list[Division] = (unambiguous(find_places(context)) if context else []) if isinstance(context, str) \
        else list(context)
    parts = split_chain(name)
    outer: list[Division] = []
    chosen: Division | None = None
    for part in parts:
        candidates = lookup(part)
        if not candidates:
            continue
        if outer:
            inside = [c for c in candidates if is_within(c, outer[-1])]
            candidates = tuple(inside) or candidates
        chosen = choose(candidates, outer + ctx)
        if chosen:
            outer.append(chosen)
    return chosen


def full_path(name: str, context: str | Iterable[Division] = "") -> str | None:
    """Resolve ``name`` and give its full path; "全国" stays "全国"; None when unknown."""
    if name == NATIONAL:
        return NATIONAL
    div = resolve(name, context)
    return path(div) if div else None


#: What each level of the hierarchy is called in the edition (层级).
LEVEL_NAMES = {0: "全国", 1: "省级", 2: "地级", 3: "县级"}


@dataclass(frozen=True)
class PlaceStep:
    """One place on the way from 全国 down to a report's place."""

    name: str
    """Its full name (江苏省, 苏州市, 海拉尔区) or 全国."""
    code: str
    """Its adcode, "000000" for 全国."""
    level: int
    """0 全国, 1 province-level, 2 prefecture-level, 3 county-level."""

    @property
    def level_name(self) -> str:
        return LEVEL_NAMES[self.level]

    @property
    def slug(self) -> str:
        """A stable file name: pinyin and adcode (jiangsu-320000), "quanguo" for 全国."""
        return "quanguo" if self.level == 0 else f"{place_pinyin(self.name) or 'place'}-{self.code}"


NATION = PlaceStep(NATIONAL, "000000", 0)


def hierarchy(place: str) -> tuple[PlaceStep, ...]:
    """A report's place (as written in its front matter: 全国, 江苏省苏州市, 内蒙古自治区呼伦贝尔市
    海拉尔区) as the chain 全国 -> province -> prefecture -> county; () when it is empty or unknown."""
    if place.strip() == NATIONAL:
        return (NATION,)
    div = resolve(place) if place.strip() else None
    if div is None:
        return ()
    return (NATION, *(PlaceStep(d.name, d.code, d.level) for d in (*ancestors(div), div)))


def place_pinyin(name: str) -> str:
    """Toneless pinyin of a place's short form, for slugs: 苏州市 -> suzhou, 呼伦贝尔市海拉尔区 -> hailaer.

    Only ASCII letters and digits are kept.
    """
    parts = split_chain(name)
    own = parts[-1] if parts else name
    known = _pinyin_table().get(own)
    return known if known is not None else romanize(own)


@lru_cache(maxsize=1)
def _pinyin_table() -> dict[str, str]:
    """:func:`romanize` of every division's name (``data/place_pinyin.tsv``).

    Shipped as data so a build never imports pypinyin (a quarter of a second) for a known
    name; ``tests/unit/test_places.py`` checks the file against pypinyin.
    """
    text = resources.files("builder").joinpath("data/place_pinyin.tsv").read_text(encoding="utf-8")
    rows = (row.partition("\t") for row in text.splitlines() if row and not row.startswith("#"))
    return {name: slug.strip() for name, _, slug in rows}


def romanize(own: str) -> str:
    """:func:`place_pinyin` of one name (not a chain), by pypinyin."""
    short = short_name(own)
    if short in _PINYIN_OVERRIDES:
        return _PINYIN_OVERRIDES[short]
    from pypinyin import lazy_pinyin

    # The full name gives pypinyin more context (朝阳区 -> chaoyang); keep the short form's syllables.
    syllables = lazy_pinyin(own) if own.startswith(short) and len(lazy_pinyin(own)) == len(own) else []
    romanized = "".join(syllables[: len(short)] if syllables else lazy_pinyin(short)).lower()
    return re.sub(r"[^a-z0-9]", "", romanized)


def count_places(mentions: Iterable[PlaceMention], context: Iterable[Division] = ()) -> Counter[str]:
    """How often each division (by adcode) is mentioned, ambiguous names settled by ``context``."""
    ctx = list(context)
    counts: Counter[str] = Counter()
    for mention in mentions:
        div = choose(mention.candidates, ctx)
        if div:
            counts[div.code] += 1
    return counts
