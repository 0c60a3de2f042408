"""Pure cleaning: normalize punctuation and spaces, strip site chrome, drop repeated bodies.

``normalize_text`` is idempotent and never changes a CJK character or a digit's value.
``clean_document`` removes what a content farm or government site wraps around a report
(page title, header bar, banners, blurbs, toolbars, breadcrumbs, footers, related lists,
scripts, repeated bodies) and logs every removed line with the name of its rule.
The rules describe what chrome looks like on any such site; a line that might be body
text is kept.

Cleaning is a chain of named passes (:data:`PASSES`); the first, strong chrome, tries a table
of named line rules (:data:`STRONG_RULES`, markdown-it's ruler in small): a rule is found with
:func:`rule_named` and added at a named place with :func:`with_rule`.  The second tries the
rules of :mod:`builder.ingest.chrome`, which know chrome of sites never seen by what it is.

Around the passes, :mod:`builder.ingest.repair` mends the text: zero-width characters and
paragraphs glued on one line before normalization (which would turn both into spaces), lines
broken inside a sentence after the chrome is gone.  Each repair is logged beside the removed
lines under its own rule (``core.model.REPAIR_RULES``); it drops no visible character.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from builder.core.model import CleanedDocument, RemovedLine, SourceDocument, SourceLine
from builder.ingest.chrome import chrome_rule
from builder.ingest.repair import RepairNote, broken_sentence_lines, join_broken_lines, numbered, repair_raw

# ---------------------------------------------------------------- characters

_IDEOGRAPH = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3007\U00020000-\U0003134f"
_IDEOGRAPH_RE = re.compile(f"[{_IDEOGRAPH}]")


def is_ideograph(char: str) -> bool:
    """A CJK ideograph (including 〇)."""
    return bool(_IDEOGRAPH_RE.match(char))


def is_chinese(char: str) -> bool:
    """A CJK ideograph or a CJK / full-width punctuation mark."""
    if not char:
        return False
    code = ord(char)
    return (is_ideograph(char) or 0x3001 <= code <= 0x303F or 0xFE30 <= code <= 0xFE4F
            or 0xFF01 <= code <= 0xFF0F or 0xFF1A <= code <= 0xFF20 or 0xFF3B <= code <= 0xFF40
            or 0xFF5B <= code <= 0xFF65 or char in "“”‘’—…·")


# ---------------------------------------------------------------- normalize_text

_FULLWIDTH_ALNUM = {code: code - 0xFEE0 for code in
                    [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
_FULLWIDTH_ALNUM[ord("％")] = ord("%")
#: Any character ``_FULLWIDTH_ALNUM`` maps (``str.translate`` costs a dict lookup per character
#: of a non-ASCII line, so it only runs on lines that hold one).
_FULLWIDTH_ALNUM_CHAR = re.compile("[０-９Ａ-Ｚａ-ｚ％]")

_ESCAPED_CODEPOINT = re.compile(r"<U\+([0-9A-Fa-f]{4,6})>")
_SPACES = re.compile(r"[\s\u200b\u2060\ufeff]+")
_FULLWIDTH_DECIMAL = re.compile(r"(?<=[0-9])．(?=[0-9])")
_FULLWIDTH_THOUSANDS = re.compile(r"，(?<=[0-9]，)(?=[0-9]{3}(?![0-9]))")  # "，" first: found fast
_RATIO_COLON = re.compile(r"(?<=[0-9])(?: +: *| *: +)(?=[0-9])")
_SPACE_BEFORE_PUNCT = re.compile(r" (?=[，。、；：？！）》」』】〕”’])")
_SPACE_AFTER_PUNCT = re.compile(r"(?<=[，。、；：？！（《「『【〔“‘]) ")
_LETTER_SPACED = re.compile(f"(?<!\\S)[{_IDEOGRAPH}](?: [{_IDEOGRAPH}]){{2,}}(?!\\S)")
#: Digits each followed by a space, as a page converted from full-width digits writes them
#: (“达到7 4 7 7 2 亿元”, “增长1 1 %”, “1 9 9 8 年3 月5 日”): a run of two or more right after a
#: character that is not a space, before a word or a sign.  A line showing it has every space after
#: its digits dropped (“8 ．8 %” -> 8.8%: a space before a full-width point between digits shows it
#: too); a column of figures (“合计 5 3 2”) starts after a space.
_DIGIT_SPACED = re.compile(f"(?<=[^\\s0-9A-Za-z])(?:[0-9] ){{2,}}(?:(?=[{_IDEOGRAPH}%‰．])|[0-9](?![0-9]))"
                           "|(?<=[0-9]) ．(?=[0-9])")
#: A space between a number and its per-cent or per-mille sign (“增长8 %”) says nothing.
_SPACE_BEFORE_PERCENT = re.compile(r"(?<=[0-9]) (?=[%‰])")
_SPACE_AFTER_DIGIT = re.compile(f"(?<=[0-9]) (?=[0-9%‰．.{_IDEOGRAPH}])|(?<=[0-9]．) (?=[0-9])")
_URL = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.)[!-~]+|[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_URL_TRAILING = ",.;:!?'\""
_WIDE = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
_WIDE_CHAR = re.compile(r"[,:;!?()]")
_PAREN = re.compile(r"[()]")


def normalize_text(text: str) -> str:
    """Normalize widths and spaces line by line; idempotent, keeps every CJK character and digit."""
    return "\n".join(normalize_line(line) for line in re.split(r"\r\n|\r|\n", text))


def normalize_line(line: str) -> str:
    """Apply one normalization step until nothing changes (which makes the result idempotent)."""
    for _ in range(20):
        step = _normalize_step(line)
        if step == line:
            break
        line = step
    return line


def _normalize_step(line: str) -> str:
    # Each rewrite runs only on lines holding a character it needs (a regex starting with a
    # lookbehind tries every position of a line; most lines have nothing to rewrite).
    line = _ESCAPED_CODEPOINT.sub(_unescape_space, line)
    if _FULLWIDTH_ALNUM_CHAR.search(line):
        line = line.translate(_FULLWIDTH_ALNUM)
    if "．" in line:
        line = _FULLWIDTH_DECIMAL.sub(".", line)
    line = _FULLWIDTH_THOUSANDS.sub(",", line)
    if _may_have_spaces_to_fold(line):
        line = _SPACES.sub(" ", line).strip(" ")
    if ":" in line:
        line = _RATIO_COLON.sub(":", line)
    line = _widen_punctuation(line)
    if " " in line:
        line = _SPACE_BEFORE_PUNCT.sub("", line)
        line = _SPACE_AFTER_PUNCT.sub("", line)
        line = _LETTER_SPACED.sub(lambda m: m.group(0).replace(" ", ""), line)
        if _DIGIT_SPACED.search(line):
            line = _SPACE_AFTER_DIGIT.sub("", line)
        line = _SPACE_BEFORE_PERCENT.sub("", line)
    return line


def _may_have_spaces_to_fold(line: str) -> bool:
    """False when ``_SPACES.sub(" ", line).strip(" ")`` is ``line`` itself: its only spaces
    are single ASCII spaces inside it (every other ``_SPACES`` character is unprintable)."""
    return not line.isprintable() or "  " in line or line[:1] == " " or line[-1:] == " "


def _unescape_space(match: re.Match[str]) -> str:
    """R writes NBSP as the literal ``<U+00A0>``: such escapes of a space character become a space."""
    code = int(match.group(1), 16)
    return " " if code <= 0x10FFFF and (chr(code).isspace() or code in (0x200B, 0xFEFF)) else match.group(0)


def _protected_spans(line: str) -> set[int]:
    """Character positions inside URLs, domains and e-mail addresses."""
    positions: set[int] = set()
    for match in _URL.finditer(line):
        end = match.end()
        while end > match.start() and line[end - 1] in _URL_TRAILING:
            end -= 1
        if line[end - 1] == ")" and "(" not in line[match.start():end]:
            end -= 1
        positions.update(range(match.start(), end))
    return positions


def _neighbour(line: str, index: int, step: int) -> str:
    """The nearest non-space character before (step -1) or after (step 1) ``index``; "" at the edge."""
    index += step
    while 0 <= index < len(line):
        if line[index] != " ":
            return line[index]
        index += step
    return ""


def _widen_punctuation(line: str) -> str:
    """Half-width , : ; ! ? ( ) to full width where the nearest neighbour is Chinese."""
    candidates = [match.start() for match in _WIDE_CHAR.finditer(line)]
    if not candidates:
        return line
    protected = _protected_spans(line)
    pairs = _paren_pairs(line, protected)
    chars = list(line)
    for i in candidates:
        if i in protected:
            continue
        char = line[i]
        left, right = _neighbour(line, i, -1), _neighbour(line, i, 1)
        if char == ":" and left.isascii() and left.isdigit() and right.isascii() and right.isdigit():
            continue  # ratios and times: 3.6:48, 12:01:14
        if char in "?!" and right and right in "。，、；：":
            continue  # not a mark of its own: a character lost to "?" (前1?。)
        chinese = is_chinese(left) or is_chinese(right)
        if char in "()" and i in pairs:
            partner = pairs[i]
            chinese = chinese or is_chinese(_neighbour(line, partner, -1)) or is_chinese(_neighbour(line, partner, 1))
        if chinese:
            chars[i] = _WIDE[char]
    return "".join(chars)


def _paren_pairs(line: str, protected: set[int]) -> dict[int, int]:
    """Matching half-width parentheses outside URLs: the position of each one's partner."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for match in _PAREN.finditer(line):
        i = match.start()
        if i in protected:
            continue
        if line[i] == "(":
            stack.append(i)
        elif stack:
            opening = stack.pop()
            pairs[opening], pairs[i] = i, opening
    return pairs


# ---------------------------------------------------------------- chrome patterns

_SENTENCE_PUNCT = re.compile(r"[。！？；]")
_SALUTATION = re.compile(r"^(各位代表|各位委员|同志们|各位领导)[，：！,:!]?")
_TOP_HEADING = re.compile(r"^[一二三四五六七八九十]{1,3}、")
_DOMAIN = re.compile(r"(?:https?://)?((?:[A-Za-z0-9-]+\.)+(?:com|net|org|cn|gov|edu|info|cc|top|xyz|tv|me)(?:\.cn)?)\b",
                     re.IGNORECASE)
_DATE = re.compile(r"\d{4}\s*[-/年.]\s*\d{1,2}\s*[-/月.]\s*\d{1,2}\s*日?")
_DATETIME_LINE = re.compile(
    r"^\d{4}-\d{1,2}-\d{1,2}(?: \d{1,2}:\d{2}(?::\d{2})?)?$"
    r"|^\d{4}[年/.]\d{1,2}[月/.]\d{1,2}日? ?\d{1,2}[:时：]\d{2}分?(?:[:：]\d{2}秒?)?$")
_HEADER_LABELS = ("来源|信息来源|文章来源|稿件来源|时间|发布时间|发表时间|更新时间|发布日期|日期|阅读|阅读量|阅读数|"
                  "阅读次数|浏览|浏览量|浏览次数|点击|点击数|点击量|访问量|访问次数|作者|发布者|发布人|字号|字体")
_HEADER_LINE = re.compile(f"^[【\\[]?(?:{_HEADER_LABELS})：")
_HEADER_FIELD = re.compile(f"({_HEADER_LABELS})：")
_LABEL_ONLY = re.compile(f"^[【\\[（]?({_HEADER_LABELS}|责任编辑|编辑|责编)：?$")
_SOURCE_LABELS = ("来源", "信息来源", "文章来源", "稿件来源")
_TIME_LABELS = ("时间", "发布时间", "发表时间", "更新时间", "发布日期", "日期")
_EDITOR = re.compile(r"^[（(]?(责任编辑|编辑|责编|审核|校对|终审|初审|复审|监制|值班编辑|编审)：.{0,15}[)）]?$")
_SOURCE_NOTE = re.compile(r"^[（(]来源：.{1,20}[)）]$")
_SOURCE_LINK = re.compile(r"^(?:本文来源|文章来源|原文链接|本文链接|原文地址|本文地址|文章地址|来源网址|"
                          r"转载请注明(?:出处|来源)?)：?\s*(\S*)")
_RECOMMEND = re.compile(r"^(推荐访问|推荐阅读|相关搜索|相关标签|标签|关键词|关键字|Tags?)：")
_RELATED_MARKER = re.compile(
    r"^(相关阅读|相关文章|相关报道|相关新闻|相关文档|相关附件|相关链接|相关推荐|相关专题|扩展阅读|延伸阅读|推荐阅读|"
    r"热门阅读|热门文章|热门推荐|精彩推荐|精彩阅读|猜你喜欢|最新文章|最新推荐|阅读推荐|更多阅读|更多推荐|"
    r"你可能感兴趣|您可能感兴趣|你可能还喜欢|看了本文的人还看了)(?:的文章|文章|的内容)?[：>》»]*$")
_BREADCRUMB = re.compile(r"^(当前位置|您的位置|您现在的位置|你的位置|你现在的位置|所在位置|现在位置)："
                         r"|^首页 ?(>|»|›|→|/)")
_BREADCRUMB_MARKER = re.compile(r"^(当前位置|您的位置|您现在的位置|你的位置|你现在的位置|所在位置|现在位置)：$")
_BREADCRUMB_SEPARATOR = re.compile(r"^(>|>>|»|›|→|/|\\|-)$")
_FONT_WIDGET = re.compile(r"^【?字[体号]：?(大 ?中 ?小|小 ?中 ?大|加大 ?还原 ?减小|默认|T ?T ?T)?】?$")
_SHARE = re.compile(r"^【?(分享|分享到|分享至|一键分享|转发到|转发至)(：.{0,20}|微信|微博|朋友圈|QQ空间|QQ)?】?$"
                    r"|^扫一扫|^手机扫一扫|^用手机扫描二维码|E-?mail推荐|^【?(推荐给朋友|发送给朋友|收藏本页|加入收藏)】?$")
_TOOLBAR = re.compile(r"^【?(打印本页|打印此页|打印正文|关闭窗口|关闭本页|返回顶部|返回首页|我要纠错|打印|关闭)】?$"
                      r"|^》*点击.{0,12}(进入|查看).{0,12}《*$")
_LINK_ID = re.compile(r"^[0-9a-f]{32}[:：]?$")
_COMMENT_MARK = re.compile(r"^(<!--.*|.*-->)$")
_MARKUP = re.compile(r"^</?[A-Za-z][A-Za-z0-9]*(\s[^<>]*)?/?>$")
#: Script code: what starts a line of it, and what stands anywhere in one (two patterns, so the
#: second is searched for by its first characters instead of trying every alternative everywhere).
_SCRIPT_START = re.compile(r"function\s+\w+\s*\(|var\s+\w+\s*=|\$\(|jQuery\(|//\s*<!\[CDATA\[")
_SCRIPT_ANYWHERE = re.compile(r"document\.(?:write|all|getElementById|createElement)|window\.\w+|</?script|innerHTML")
_PAGER_TOKEN = re.compile(r"^(上一页|下一页|上页|下页|首页|尾页|末页|第\d+页|共\d+页|"
                          r"\d+|…|\.\.\.|«|»|‹|›|<|>|\[\d+\])$")
_BANNER_BRACKETED = re.compile(r"^【\s*((?:https?://)?(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}\S*?)\s*(?:-{1,2}|—{1,2}|\|)?\s*([^】]*?)\s*】$")
_BLURB_KEYWORDS = re.compile(r"小编|本站|为大家整理|为大家分享|为大家带来|为大家收集|为您整理|为你整理|"
                             r"精心整理|供大家参考|仅供参考|"
                             r"欢迎阅读|欢迎参考|范文网|希望对大家有所帮助|希望对你有所帮助|希望能帮助到|欢迎大家阅读")
_PHOTO_CAPTION = re.compile(r"(摄|摄影|供图|图片来源.*)$|。.{0,20}记者.{0,12}$"
                            r"|^.{1,30}(?<![合协制创运操])作(政府)?工作报告。?$")
_DATELINE = re.compile(r"^(新华社|人民网|中新社|中新网|新华网|央视网|本报讯|本报)"
                       r"\S{0,12}\d{1,2}月\d{1,2}日电?(（记者.{1,20}）)?$")
_TITLE_LIKE = re.compile(r"报告")

#: Lines that carry no text of their own: removed only beside other chrome.
_WEAK_LINES = frozenset({
    "下载", "打印", "全屏", "收藏", "分享", "加大", "还原", "减小", "大", "中", "小", "默认", "【", "】", "[", "]",
    "|", "｜", "×", "）", "(", ")", "（", ">", ">>", "»", "首页", "返回", "微信", "微博", "QQ", "QQ空间", "纠错",
    "/", "-", "·", "手机版", "二维码", "字号", "字体",
})

#: Rules a weak neighbour may inherit (weak lines next to body-like removals stay).
_CHROME_RULES = frozenset({"page-header", "site-banner", "footer", "share-bar", "toolbar", "breadcrumb", "pager",
                           "script", "html-comment", "markup", "link-id", "related-list",
                           "copyright", "site-notice", "prev-next"})

#: Rules of the cleaning log that remove nothing: the line was mended (:mod:`builder.ingest.repair`).
#: "zero-width": invisible characters dropped from the line (the text names them);
#: "glued-paragraphs": the line held several paragraphs and was split (the text says how many);
#: "joined-line": the line (its text) continues the sentence of the line before and was joined to it.

#: Rules of the page head; such lines still count when later copies of the page are matched.
_HEAD_RULES = frozenset({"page-title", "duplicate", "photo-caption", "dateline"})

LONG_LINE = 80
"""A single line at least this long that repeats an earlier one exactly is a duplicate."""
RUN_LINES, RUN_CHARS = 3, 200
"""A run of at least RUN_LINES consecutive lines and RUN_CHARS characters repeating earlier lines is a duplicate."""


# ---------------------------------------------------------------- strong chrome (chrome wherever it stands)


@dataclass(frozen=True)
class Rule:
    """A named rule of strong chrome: a line it matches is chrome wherever it stands.

    :data:`STRONG_RULES` is an ordered table of them, like markdown-it's ruler: the first
    rule that matches a line removes it, so a rule is added at a named place
    (:func:`with_rule`) and found by its name (:func:`rule_named`)."""

    name: str
    """Unique in its table."""
    test: Callable[[str, bool], object]
    """``test(text, short)``: whether the line ``text`` is this chrome (truthy); ``short``: the
    line is at most 100 characters long and ends no sentence (no 。！？；)."""
    note: Callable[[_Page, str], None] | None = None
    """Records what a removed line tells of the page (site, date, source) in its provenance."""
    logged_as: str = ""
    """The rule the cleaning log names for a removed line, when not ``name``: rules that
    recognise one kind of chrome in different shapes share it."""

    @property
    def log_name(self) -> str:
        """The rule name the cleaning log records."""
        return self.logged_as or self.name


def _ideographs(text: str) -> int:
    return len(_IDEOGRAPH_RE.findall(text))


def _is_script_like(text: str) -> bool:
    return bool(_SCRIPT_START.match(text) or _SCRIPT_ANYWHERE.search(text))


def _is_pager(text: str) -> bool:
    tokens = text.split(" ")
    return (any(t in ("上一页", "下一页", "上页", "下页") or re.fullmatch(r"共\d+页", t) for t in tokens)
            and all(_PAGER_TOKEN.match(t) for t in tokens))


def _is_site_line(text: str, short: bool) -> bool:
    """A line naming the site's domain with a date or a source (“www.x.com 2020-06-04 来源：…”)."""
    return short and len(text) <= 120 and bool(_DOMAIN.search(text)) and bool(_DATE.search(text) or "来源" in text)


def _note_scraped_at(page: _Page, text: str) -> None:
    page.note("scraped_at", text)


def _note_header_fields(page: _Page, text: str) -> None:
    """Split a header bar like ``来源：X 时间：Y 阅读：`` into provenance fields."""
    matches = list(_HEADER_FIELD.finditer(text))
    for k, match in enumerate(matches):
        end = matches[k + 1].start() if k + 1 < len(matches) else len(text)
        _note_label_value(page, match.group(1), text[match.end():end].strip(" 【】[]|"))


def _note_label_value(page: _Page, label: str, value: str) -> None:
    """A header field's value: the column (来源) or the date (时间) of the page."""
    if label in _SOURCE_LABELS:
        page.note("site_category", value)
    elif label in _TIME_LABELS:
        page.note("scraped_at", value)


def _note_source_url(page: _Page, text: str) -> None:
    url = _URL.search(text)
    if url:
        page.note("source_url", url.group(0).rstrip(_URL_TRAILING))


def _note_banner(page: _Page, text: str) -> None:
    """``【www.x.net--栏目】``: the site (its domain) and the column."""
    banner = _BANNER_BRACKETED.match(text)
    if banner is None:
        return
    domain = _DOMAIN.search(banner.group(1))
    page.note("site", domain.group(1) if domain else banner.group(1))
    if banner.group(2):
        page.note("site_category", banner.group(2))


def _note_site_line(page: _Page, text: str) -> None:
    domain, date = _DOMAIN.search(text), _DATE.search(text)
    if domain:
        page.note("site", domain.group(1))
    if date:
        page.note("scraped_at", date.group(0))
    if "来源：" in text:
        _note_header_fields(page, text[text.index("来源："):])


#: The rules of strong chrome, in the order they are tried.
STRONG_RULES: tuple[Rule, ...] = (
    Rule("html-comment", lambda text, short: _COMMENT_MARK.match(text) and _ideographs(text) < 10),
    Rule("markup", lambda text, short: _MARKUP.match(text)),
    Rule("script", lambda text, short: _is_script_like(text) and _ideographs(text) < len(text) * 0.2),
    Rule("link-id", lambda text, short: _LINK_ID.match(text)),
    Rule("pager", lambda text, short: _is_pager(text)),
    Rule("breadcrumb", lambda text, short: short and _BREADCRUMB.match(text)),
    Rule("toolbar", lambda text, short: _FONT_WIDGET.match(text) or _TOOLBAR.match(text)),
    Rule("share-bar", lambda text, short: short and _SHARE.search(text)),
    Rule("page-header", lambda text, short: _DATETIME_LINE.match(text), note=_note_scraped_at),
    Rule("header-fields", lambda text, short: short and len(text) <= 80 and _HEADER_LINE.match(text),
         note=_note_header_fields, logged_as="page-header"),
    Rule("source-link", lambda text, short: len(text) <= 200 and _SOURCE_LINK.match(text),
         note=_note_source_url, logged_as="footer"),
    Rule("site-banner", lambda text, short: _BANNER_BRACKETED.match(text), note=_note_banner),
    Rule("site-line", _is_site_line, note=_note_site_line, logged_as="site-banner"),
    Rule("footer", lambda text, short: short and (_EDITOR.match(text) or _SOURCE_NOTE.match(text)
                                                  or _RECOMMEND.match(text))),
    Rule("related-list", lambda text, short: _RELATED_MARKER.match(text)),
    # (a notice or a copyright line that names the site is left to the line-chrome pass, which logs its kind)
    Rule("site-blurb", lambda text, short: len(text) <= 400 and _BLURB_KEYWORDS.search(text)
         and chrome_rule(text) not in ("site-notice", "copyright")),
)


def rule_named(name: str, rules: Sequence[Rule] = STRONG_RULES) -> Rule:
    """The rule called ``name``; KeyError when there is none."""
    for rule in rules:
        if rule.name == name:
            return rule
    raise KeyError(f"no cleaning rule named {name!r} (rules: {', '.join(r.name for r in rules)})")


def with_rule(rule: Rule, *, before: str | None = None, after: str | None = None,
              rules: Sequence[Rule] = STRONG_RULES) -> tuple[Rule, ...]:
    """``rules`` with ``rule`` added before or after the rule of that name (at the end without
    either), as markdown-it's ``ruler.before`` / ``ruler.after`` / ``ruler.push`` do."""
    if any(r.name == rule.name for r in rules):
        raise ValueError(f"a cleaning rule named {rule.name!r} exists already")
    if before is not None and after is not None:
        raise ValueError("give before or after, not both")
    at = len(rules)
    if before is not None or after is not None:
        place = rule_named(before or after or "", rules)
        at = list(rules).index(place) + (1 if after is not None else 0)
    return (*rules[:at], rule, *rules[at:])


def strong_rule(text: str, rules: Sequence[Rule] = STRONG_RULES) -> Rule | None:
    """The first of ``rules`` that removes the line ``text`` wherever it stands; None for other lines."""
    short = len(text) <= 100 and not _SENTENCE_PUNCT.search(text)
    for rule in rules:
        if rule.test(text, short):
            return rule
    return None


def _remove_strong_chrome(page: _Page) -> None:
    i = 0
    while i < len(page.texts):
        if page.rules[i] is None:
            consumed = _breadcrumb_sequence(page, i) or _label_with_value(page, i)
            if consumed:
                i += consumed
                continue
            text = page.texts[i]
            rule = strong_rule(text, page.strong_rules)
            if rule is not None:
                if rule.note is not None:
                    rule.note(page, text)
                page.remove(i, rule.log_name)
        i += 1


def _remove_line_chrome(page: _Page) -> None:
    """Chrome of any site, known by what it is (:data:`builder.ingest.chrome.LINE_RULES`):
    site notices, copyright and ICP lines, headers, related lists, prev/next links, pagers, share bars."""
    for i in page.kept():
        text = page.texts[i]
        rule = chrome_rule(text)
        if rule is not None:
            if rule == "page-header":
                _note_header_fields(page, text)
            page.remove(i, rule)


# ---------------------------------------------------------------- clean_document


@dataclass
class _Page:
    """Mutable working state of one cleaning pass (internal)."""

    numbers: list[int]
    texts: list[str]
    rules: list[str | None]
    """The rule that removed each line (as the log names it); None for a kept line."""
    strong_rules: Sequence[Rule] = STRONG_RULES
    body_start: int = 0
    """Index of the first body line (see :func:`_find_body_start`)."""
    provenance: dict[str, str] = field(default_factory=dict)

    def remove(self, i: int, rule: str) -> None:
        if self.rules[i] is None:
            self.rules[i] = rule

    def kept(self) -> list[int]:
        return [i for i, rule in enumerate(self.rules) if rule is None]

    def note(self, key: str, value: str) -> None:
        value = value.strip(" 【】[]|")
        if value and key not in self.provenance:
            self.provenance[key] = value


def clean_document(doc: SourceDocument, extra_patterns: Sequence[str] = (),
                   rules: Sequence[Rule] = STRONG_RULES) -> CleanedDocument:
    """Repair and normalize every line, drop blank lines and site chrome, join broken lines;
    log every removed line and every repair.

    ``extra_patterns``: regular expressions of lines to drop first (logged as ``config:<pattern>``);
    ``rules``: the rules of strong chrome (:data:`STRONG_RULES`, or a table made with :func:`with_rule`).
    The parts of a line split by a repair share its number; a joined line's text goes to the line
    before (its number stays in the log).
    """
    raw = repair_raw(numbered(doc.lines))
    outside = doc.outside
    page = _normalized_page([line for line in raw.lines if line.number not in outside] if outside else raw.lines,
                            tuple(rules))
    _remove_config_patterns(page, extra_patterns)
    for _name, run in PASSES:
        run(page)
    _note_outside(page, [text for line in raw.lines if line.number in outside and (text := normalize_line(line.text))])
    _fill_from_metadata(page, doc.metadata)
    joined = join_broken_lines([SourceLine(page.numbers[i], page.texts[i]) for i in page.kept()])
    log = _cleaning_log(_logged_repairs(raw.log), _removed_lines(page), _marked_outside(raw.lines, outside),
                        _logged_repairs(joined.log))
    return CleanedDocument(source=doc, lines=joined.lines, removed=log, provenance=dict(page.provenance))


def _normalized_page(lines: Sequence[SourceLine], rules: Sequence[Rule]) -> _Page:
    """The working page: every line normalized, blank lines dropped."""
    page = _Page([], [], [], strong_rules=rules)
    for line in lines:
        text = normalize_line(line.text)
        if text:
            page.numbers.append(line.number)
            page.texts.append(text)
            page.rules.append(None)
    return page


def _note_outside(page: _Page, texts: Sequence[str]) -> None:
    """What the chrome outside an HTML page's main content says that matters (a 来源/发布时间
    header, a site banner, a breadcrumb's column), noted as the chrome rules note it in a text
    page; what the main content's own chrome said comes first."""
    for text in texts:
        rule = strong_rule(text, page.strong_rules)
        if rule is not None and rule.note is not None:
            rule.note(page, text)
        elif chrome_rule(text) == "page-header":
            _note_header_fields(page, text)


def _marked_outside(lines: Sequence[SourceLine], outside: Mapping[int, str]) -> list[RemovedLine]:
    """The lines the page's own markup makes chrome (``SourceDocument.outside``), logged under its rule."""
    return [RemovedLine(line.number, text, outside[line.number]) for line in lines
            if line.number in outside and (text := normalize_line(line.text))]


def _removed_lines(page: _Page) -> list[RemovedLine]:
    return [RemovedLine(page.numbers[i], page.texts[i], rule) for i, rule in enumerate(page.rules) if rule is not None]


def _logged_repairs(notes: Sequence[RepairNote]) -> list[RemovedLine]:
    """Repair notes as entries of the cleaning log."""
    return [RemovedLine(note.number, note.text, note.rule) for note in notes]


def _cleaning_log(*parts: Sequence[RemovedLine]) -> tuple[RemovedLine, ...]:
    """The entries of ``parts`` in source order; on one line, in the order of ``parts``
    (repairs of the raw line, then its removal, then the joins)."""
    return tuple(sorted((entry for part in parts for entry in part), key=lambda entry: entry.number))


def _remove_config_patterns(page: _Page, patterns: Sequence[str]) -> None:
    compiled = [(pattern, re.compile(pattern)) for pattern in patterns]
    for i, text in enumerate(page.texts):
        for pattern, regex in compiled:
            if regex.search(text):
                page.remove(i, f"config:{pattern}")
                break


def _next_index(page: _Page, i: int) -> int | None:
    return i + 1 if i + 1 < len(page.texts) else None


def _is_token(text: str, limit: int = 20) -> bool:
    """A short item of a bar (a column name, a date, a newspaper): no sentence in it."""
    return len(text) <= limit and not re.search(r"[。，！？；]", text) and not _SALUTATION.match(text)


def _breadcrumb_sequence(page: _Page, i: int) -> int:
    """``当前位置：`` / ``首页`` / ``>`` / ``column`` ... spread over lines: how many lines it takes (0: none)."""
    texts = page.texts
    start = i
    if _BREADCRUMB_MARKER.match(texts[i]):
        i += 1
        if i < len(texts) and _is_token(texts[i], 12):
            i += 1
    elif texts[i] == "首页" and i + 1 < len(texts) and _BREADCRUMB_SEPARATOR.match(texts[i + 1]):
        i += 1
    else:
        return 0
    while i + 1 < len(texts) and _BREADCRUMB_SEPARATOR.match(texts[i]) and _is_token(texts[i + 1], 16):
        i += 2
    while i < len(texts) and i > start + 1 and texts[i] == texts[i - 1]:
        i += 1  # a column name repeated as the list heading
    for k in range(start, i):
        page.remove(k, "breadcrumb")
    return i - start


def _label_with_value(page: _Page, i: int) -> int:
    """``来源：`` or ``责任编辑：`` alone on a line, its value on the next: both are chrome."""
    match = _LABEL_ONLY.match(page.texts[i])
    if not match:
        return 0
    label = match.group(1)
    if label in ("字号", "字体"):
        return 0  # the font-size widget: a toolbar
    rule = "footer" if "编" in label else "page-header"
    page.remove(i, rule)
    following = _next_index(page, i)
    if (following is None or not _is_token(page.texts[following])
            or strong_rule(page.texts[following], page.strong_rules) is not None):
        return 1
    _note_label_value(page, label, page.texts[following])
    page.remove(following, rule)
    return 2


def _remove_weak_neighbours(page: _Page) -> None:
    """Toolbar words, lone brackets and bars go when they sit in one block with other chrome."""
    n = len(page.texts)
    i = 0
    while i < n:
        if not _chrome_or_weak(page, i):
            i += 1
            continue
        j = i
        while j < n and _chrome_or_weak(page, j):
            j += 1
        chrome = [rule for k in range(i, j) if (rule := page.rules[k]) is not None and rule in _CHROME_RULES]
        if chrome:  # each weak line takes the rule of the chrome before it (the first: after it)
            last = chrome[0]
            for k in range(i, j):
                rule = page.rules[k]
                if rule is None:
                    page.remove(k, last)
                elif rule in _CHROME_RULES:
                    last = rule
        i = j


def _chrome_or_weak(page: _Page, i: int) -> bool:
    return page.rules[i] in _CHROME_RULES or (page.rules[i] is None and page.texts[i] in _WEAK_LINES)


# -- the head of the page: title bar, photo caption, dateline


def _find_body_start(page: _Page) -> None:
    """Where the body starts (``page.body_start``): the salutation, else the first top heading,
    else the first long sentence, else the first line."""
    kept = page.kept()
    for test in (_SALUTATION.match, _TOP_HEADING.match, lambda t: len(t) >= 50 and re.search(r"[，。]", t)):
        for i in kept:
            if test(page.texts[i]):
                page.body_start = i
                return
    page.body_start = 0


def _remove_head_chrome(page: _Page) -> None:
    """Before the body: the page title (when repeated or beside a bar), repeated title lines,
    photo captions, datelines."""
    head = [i for i in page.kept() if i < page.body_start]
    titles = [i for i in head if _is_title_like(page.texts[i])]
    if titles and titles[0] == head[0]:
        first = titles[0]
        repeated = any(page.texts[k] == page.texts[first] for k in head[1:])
        bar_follows = first + 1 < len(page.texts) and page.rules[first + 1] in _CHROME_RULES
        if repeated or (len(titles) > 1 and bar_follows):
            page.remove(first, "page-title")
            page.note("page_title", page.texts[first])
    pieces = _broken_sentence_lines(page, head)
    for position, i in enumerate(head):
        if page.rules[i] is not None:
            continue
        text = page.texts[i]
        if i not in pieces and any(page.texts[k] == text for k in head[position + 1:]):
            page.remove(i, "duplicate")  # a title/subtitle block shown twice: keep the one next to the body
        elif len(text) <= 80 and _PHOTO_CAPTION.search(text):
            page.remove(i, "photo-caption")
        elif _DATELINE.match(text):
            page.remove(i, "dateline")


def _broken_sentence_lines(page: _Page, lines: Sequence[int]) -> set[int]:
    """Those of ``lines`` (indexes of kept lines, in order) that are pieces of a sentence broken
    over lines (``…所作的`` / ``政府工作报告`` / ``。``): text of their sentence, never a repeated title."""
    return {lines[k] for k in broken_sentence_lines([page.texts[i] for i in lines])}


def _is_title_like(text: str) -> bool:
    return bool(_TITLE_LIKE.search(text)) and len(text) <= 60 and not re.search(r"[。，！？；]", text)


# -- lists of related articles


def _remove_related_lists(page: _Page) -> None:
    """After a related-articles marker, the short title lines that follow are the list."""
    n = len(page.texts)
    i = 0
    while i < n:
        if page.rules[i] != "related-list" or (i > 0 and page.rules[i - 1] == "related-list"):
            i += 1
            continue
        j = i + 1
        run: list[int] = []
        while j < n:
            if page.rules[j] is None:
                if not _is_related_title(page.texts[j]):
                    break
                run.append(j)
            j += 1
        if run and j < n:
            run.pop()  # the text goes on: the last short line may head what follows
        for k in run:
            page.remove(k, "related-list")
        i = j


def _is_related_title(text: str) -> bool:
    return len(text) <= 60 and not _SENTENCE_PUNCT.search(text) and not _SALUTATION.match(text)


# -- repeated bodies


def _remove_repeated_runs(page: _Page) -> None:
    """Later copies of long runs of lines (pages that captured the body several times) go."""
    kept = [i for i, rule in enumerate(page.rules) if rule is None or rule in _HEAD_RULES]
    texts = [page.texts[i] for i in kept]
    seen: dict[str, list[int]] = {}
    p = 0
    while p < len(texts):
        best = 0
        for q in seen.get(texts[p], []):
            k = 0
            while p + k < len(texts) and q + k < p and texts[p + k] == texts[q + k]:
                k += 1
            best = max(best, k)
        run_chars = sum(len(t) for t in texts[p:p + best])
        if best >= RUN_LINES and run_chars >= RUN_CHARS:
            for k in range(best):
                if page.rules[kept[p + k]] is None:
                    page.remove(kept[p + k], "duplicate")
            for k in range(best):
                seen.setdefault(texts[p + k], []).append(p + k)
            p += best
            continue
        if best >= 1 and len(texts[p]) >= LONG_LINE and page.rules[kept[p]] is None:
            page.remove(kept[p], "duplicate")
        seen.setdefault(texts[p], []).append(p)
        p += 1


def _remove_trailer_repeats(page: _Page) -> None:
    """After the chrome that follows the body, a short tail that only repeats earlier text goes."""
    chrome = [i for i, rule in enumerate(page.rules) if rule in _CHROME_RULES]
    if not chrome or not any(page.body_start <= i < chrome[-1] for i in page.kept()):
        return
    tail = [i for i in page.kept() if i > chrome[-1]]
    if not tail or sum(len(page.texts[i]) for i in tail) > 300:
        return
    earlier = "".join(page.texts[: chrome[-1]])
    for i in tail:
        text = page.texts[i]
        if len(text) >= 6 and (text in earlier or text in page.texts[: chrome[-1]]):
            page.remove(i, "duplicate")


#: The cleaning passes after the configured patterns, in order (markdown-it's core chain in
#: small): each reads the page and removes lines, which the later ones see.
PASSES: tuple[tuple[str, Callable[[_Page], None]], ...] = (
    ("strong-chrome", _remove_strong_chrome),
    ("line-chrome", _remove_line_chrome),
    ("weak-neighbours", _remove_weak_neighbours),
    ("body-start", _find_body_start),
    ("head-chrome", _remove_head_chrome),
    ("related-lists", _remove_related_lists),
    ("repeated-runs", _remove_repeated_runs),
    ("trailer-repeats", _remove_trailer_repeats),
)


def _fill_from_metadata(page: _Page, metadata: Mapping[str, str]) -> None:
    for source_key, key in (("title", "page_title"), ("source_url", "source_url"),
                            ("publish_date", "publish_date"), ("site_name", "site")):
        value = metadata.get(source_key, "")
        if value and value.strip():
            page.note(key, value.strip())
