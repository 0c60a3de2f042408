"""Site chrome recognized by what it is, on sites never seen: a table of named line rules.

A content farm or a government site wraps a report in lines that are not the report: notices
(``【温馨提示】本站所有范文仅供参考``), copyright and ICP lines, a source/time/read-count header,
lists of related articles, previous/next links, pagers and share bars.  Each rule here names one
such kind and recognizes it by its form and its words in any site's wording, not by one site's
text.  A line a report could hold (a sentence mentioning 版权, 来源 or 推荐) is not chrome.

Interface (for the cleaner's rule table):

* ``LINE_RULES``: ``ChromeRule(name, description, matches)``, ``matches(line) -> bool``; the first
  matching rule names the line.  ``chrome_rule(line)`` returns that name or None.
* ``related_list_length(lines, heading)``: after a related-articles heading (``相关推荐：``, rule
  "related-list"), how many of the following lines are its list of titles.
* ``find_chrome(lines)``: both applied to a page's lines: ``ChromeHit(index, rule)`` per chrome line.

Lines may be raw or normalized (``clean.normalize_line``): the rules fold spaces and colon widths.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class ChromeRule:
    """One kind of chrome."""

    name: str
    """The rule's name in the cleaning log, e.g. "copyright"."""
    description: str
    """What it recognizes, for people reading the table."""
    matches: Callable[[str], bool]
    """Whether a line is this kind of chrome."""


@dataclass(frozen=True)
class ChromeHit:
    index: int
    """0-based index of the line in the sequence given to ``find_chrome``."""
    rule: str


# ---------------------------------------------------------------- folding

_SPACE_RUN = re.compile(r"(?:[\s\u3000\u00a0\u200b\ufeff]|<U\+00A0>|&nbsp;)+", re.IGNORECASE)
_FOLD = ((":", "："), ("｜", "|"), ("[", "【"), ("]", "】"))


@lru_cache(maxsize=256)
def fold(line: str) -> str:
    """Spaces of any kind (and their escapes) as one space, ASCII colons and brackets full width, stripped.

    (Cached: every rule of ``chrome_rule`` folds the same line.)"""
    if not _only_single_spaces(line):
        line = _SPACE_RUN.sub(" ", line)
    for old, new in _FOLD:
        if old in line:
            line = line.replace(old, new)
    return line.strip()


def _only_single_spaces(line: str) -> bool:
    """True when ``_SPACE_RUN`` can only match single ASCII spaces, which it leaves as they are: every
    other space character is unprintable, and the escapes (``&nbsp;``, ``<U+00A0>``) are absent."""
    return line.isprintable() and "  " not in line and "&" not in line and "<" not in line


def _sentence_inside(text: str) -> bool:
    """A full stop, question or exclamation mark before the end: the line holds a sentence."""
    return bool(re.search(r"[。！？](?!$)", text)) or text.count("。") > 1


# ---------------------------------------------------------------- site notices

_NOTICE_LABEL = ("温馨提示|友情提示|特别提示|重要提示|温馨提醒|特别提醒|"
                 "免责声明|版权声明|郑重声明|特别声明|本站声明|本网声明|声明")
_NOTICE_BRACKETED = re.compile(f"^[【〖（(](?:{_NOTICE_LABEL})[】〗）)]")
_NOTICE_COLON = re.compile(f"^(?:{_NOTICE_LABEL})：")
_SITE_SELF = re.compile(r"本站(?!点)|本网(?![络格点])|本网站|本文档|本资料|小编")
_NOTICE_WORDS = re.compile(r"仅供参考|仅供学习|仅供交流|仅供个人|版权|转载|侵权|删除|整理|收集|收录|上传|下载|免责|"
                           r"不代表|观点|立场|投稿|联系我们|请勿|抄袭|原创|来源于网络|注明出处")
_NOTICE_ALONE = re.compile(r"如有侵权|侵权必究|侵删|转载请注明|转载请保留"
                           r"|未经(?:本站|本网|许可|授权|同意)[，,]?(?:不得|禁止|严禁|请勿)"
                           r"|文档下载|点[击此]下载|下载(?:本文|全文|文档|此文|Word|WORD|word|PDF)"
                           r"|^下载地址：|^免费下载")


def is_site_notice(line: str) -> bool:
    """``【温馨提示】本站所有范文仅供参考``, ``免责声明：…``, ``本文由小编整理…``, ``转载请注明出处``,
    ``点击下载本文``."""
    text = fold(line)
    if not text or len(text) > 200:
        return False
    if _NOTICE_BRACKETED.match(text) or _NOTICE_COLON.match(text) or _NOTICE_ALONE.search(text):
        return True
    return bool(_SITE_SELF.search(text) and _NOTICE_WORDS.search(text)) and not _sentence_inside(text)


# ---------------------------------------------------------------- copyright, ICP and footer lines

_COPYRIGHT_STRONG = re.compile(
    r"Copyright|©|\(c\)\s*\d{4}|All Rights Reserved|版权所有(?![人者权])|版权归.{1,30}所有|"
    r"ICP(?:备|证|许可)|ICP\s*\d|[京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤琼川贵黔云滇陕秦甘陇青蒙桂藏宁新]ICP|"
    r"公网安备|网安备\s*\d|网站标识码|网站识别码|政府网站标识码|增值电信业务经营许可证|互联网新闻信息服务许可证|"
    r"信息网络传播视听节目许可证|违法和不良信息举报",
    re.IGNORECASE)
_FOOTER_LABEL = re.compile(r"(?:主办单位|主办|承办单位|承办|协办|技术支持|运行维护|运维|网站维护|维护单位|"
                           r"地址|通讯地址|电话|联系电话|传真|邮编|邮政编码|E-?mail|邮箱|电子邮箱)：", re.IGNORECASE)
_FOOTER_LINKS = re.compile(r"关于我们|联系我们|网站地图|网站导航|广告服务|广告合作|隐私政策|隐私声明|使用条款|服务条款|"
                           r"帮助中心|意见反馈|网站声明|法律声明|投稿须知|在线投稿|友情链接|加入收藏|设为首页|返回首页|返回顶部")


def is_copyright(line: str) -> bool:
    """``Copyright © 2012-2016 某某网 版权所有``, ``京ICP备12345678号``, ``主办：… 承办：…``, footer link bars."""
    text = fold(line)
    if not text or len(text) > 240 or _sentence_inside(text):
        return False
    if _COPYRIGHT_STRONG.search(text):
        return True
    if len(_FOOTER_LABEL.findall(text)) >= 2:
        return True
    links = _FOOTER_LINKS.findall(text)
    rest = _FOOTER_LINKS.sub("", text).strip(" |·•/-_")
    return len(links) >= 2 and len(rest) <= 4 * len(links)


# ---------------------------------------------------------------- source / time / read-count headers

_LABELS = ("来源|信息来源|文章来源|稿件来源|新闻来源|出处|作者|发布者|发布人|发布单位|发布机构|时间|发布时间|发表时间|"
           "更新时间|上传时间|录入时间|发布日期|日期|阅读|阅读量|阅读数|阅读次数|浏览|浏览量|浏览数|浏览次数|点击|点击数|"
           "点击量|点击率|访问量|访问次数|人气|热度|评论|评论数|责任编辑|编辑|责编|字号|字体|栏目|分类|所属分类|标签|关键词")
_LABEL_FIELD = re.compile(f"(?:^|(?<=[\\s|｜/【（]))(?:{_LABELS})：")
_LABEL_START = re.compile(f"^[【（(]?(?:{_LABELS})：")
_TIME_LABEL_START = re.compile(r"^[【（(]?(?:时间|发布时间|发表时间|更新时间|上传时间|录入时间|发布日期|日期)：")
_COUNT_FIELD = re.compile(r"(?:阅读|浏览|点击|访问|人气|评论)(?:量|数|次数)?\s*[（(]?\s*\d[\d,.]*\s*万?\s*[)）]?\s*次?"
                          r"|\d[\d,.]*\s*万?\s*(?:次|人)?(?:阅读|浏览|点击|观看|评论)")
_TIME = r"\d{1,2}[:：时]\d{2}分?(?:[:：]\d{2}秒?)?"
_DATE_FIELD = re.compile(f"\\d{{4}}\\s*[-/年.]\\s*\\d{{1,2}}\\s*[-/月.]\\s*\\d{{1,2}}\\s*日?(?:\\s*{_TIME})?")
#: A timestamp alone on a line (a date with its time: a date alone may be a report's own date line).
_TIMESTAMP = re.compile(f"\\d{{4}}\\s*[-/年.]\\s*\\d{{1,2}}\\s*[-/月.]\\s*\\d{{1,2}}\\s*日?\\s*{_TIME}")
_SOURCE_NOTE = re.compile(r"^[（(](?:来源|信息来源|稿件来源|文章来源|作者|编辑|责任编辑|责编)：[^）)]{1,30}[)）]?$")
_HEADER_MAX = 160


def is_page_header(line: str) -> bool:
    """``来源：某某网 时间：2016-03-02 阅读：1023次``, ``发布时间：… 作者：…``, ``2020-01-05 10:20 来源：新华社``,
    ``（来源：某某日报）``, a timestamp alone (``2026-01-31 07:00:44``)."""
    text = fold(line)
    if not text or len(text) > _HEADER_MAX or re.search(r"[。；]", text):
        return False
    if _TIMESTAMP.fullmatch(text) or _SOURCE_NOTE.match(text):
        return True
    fields = (len(_LABEL_FIELD.findall(text)) + len(_COUNT_FIELD.findall(text))
              + (1 if _DATE_FIELD.search(text) else 0))
    if fields >= 2:
        return True
    if _LABEL_START.match(text):
        value = text[text.index("：") + 1:].strip(" )）】")
        if _TIME_LABEL_START.match(text):
            return not value or bool(_DATE_FIELD.fullmatch(value) or re.fullmatch(r"[\d\s:：\-/.年月日时分秒]+", value))
        return len(value) <= 40 and "，" not in value
    return bool(_COUNT_FIELD.fullmatch(text))


# ---------------------------------------------------------------- related-article lists

_RELATED_LABEL = (
    r"相关(?:推荐|阅读|文章|链接|新闻|报道|内容|文档|范文|专题|资料|话题|搜索|附件|稿件|资讯|信息|下载|文章推荐|阅读推荐)|"
    r"推荐(?:阅读|文章|范文|内容|新闻|资讯|给你|给您)|为(?:你|您)推荐|延伸阅读|扩展阅读|拓展阅读|热门(?:推荐|文章|阅读|范文|排行|标签|资讯|专题)|"
    r"精彩(?:推荐|阅读|专题|图片|文章)|更多(?:推荐|阅读|相关|精彩|内容|文章|范文|资讯|新闻)(?:文章|内容|推荐|阅读)?|猜你喜欢|"
    r"(?:你|您)可能(?:感兴趣|还喜欢|也喜欢|还想看)(?:的)?(?:文章|内容)?|最新(?:文章|推荐|更新|范文|资讯)|看了本文的人还看了|"
    r"大家都在看|同类文章|相似文章|其他人还看了|随机推荐|本文相关|相关专题推荐|往期回顾|往期推荐|历史文章")
_RELATED_HEADING = re.compile(f"^【?(?:{_RELATED_LABEL})】?(?:[：>》»→ ]|更多)*$")
_RELATED_INLINE = re.compile(f"^【?(?:{_RELATED_LABEL})】?\\s*(?:[：>》»→]\\s*|(?=[·•▪■◆|]|《))")
_ITEM_MARK = re.compile(r"^(?:[·•▪■◆□●○►▶>\-–*]|\d{1,2}[.、)）](?!\d)|【\d{1,2}】|\(\d{1,2}\)|（\d{1,2}）)\s*")
_TRAILING_DATE = re.compile(r"[（(]?\s*(?:\d{4}[-/.年])?\d{1,2}[-/.月]\d{1,2}日?\s*[)）]?$")
_CN = "一二三四五六七八九十"
_OWN_PARAGRAPH = re.compile(f"^(?:[{_CN}]+、|（[{_CN}]+）|\\([{_CN}]+\\)|各位代表|各位委员|同志们|——)")
_ITEM_MAX = 60
_LIST_MAX = 40


def is_related_heading(line: str) -> bool:
    """``相关推荐：``, ``相关文章>>``, ``猜你喜欢``, or such a label with its list on the same line
    (``相关链接 · 《…》 · …``, ``推荐阅读：《…》``)."""
    text = fold(line)
    if not text or len(text) > 400:
        return False
    if _RELATED_HEADING.match(text):
        return True
    inline = _RELATED_INLINE.match(text)
    return inline is not None and not re.search(r"[。；]", text[inline.end():])


def is_related_item(line: str) -> bool:
    """A line of a related-articles list: an article title (short, no sentence), maybe bulleted or dated."""
    text = fold(line)
    if not text or _OWN_PARAGRAPH.match(text):
        return False
    marked = _ITEM_MARK.match(text)
    body = _TRAILING_DATE.sub("", text[marked.end():] if marked else text).strip()
    return 2 <= len(body) <= _ITEM_MAX and not re.search(r"[。；]", body) and not re.search(r"[！？](?!$)", body)


def _is_marked_item(line: str) -> bool:
    text = fold(line)
    return bool(_ITEM_MARK.match(text) or _TRAILING_DATE.search(text) or text.startswith("《"))


def related_list_length(lines: Sequence[str], heading: int) -> int:
    """How many lines after ``lines[heading]`` (a related-articles heading) are its list of titles.

    The list runs over the following article-title lines (blank lines skipped inside it) and stops
    at the first line that is not one, or that is chrome of another kind (a copyright line).  When
    body text follows the list, its last unmarked line is left out: it may head what follows.
    """
    items: list[int] = []
    j = heading + 1
    while j < len(lines) and len(items) < _LIST_MAX:
        text = fold(lines[j])
        if not text:
            j += 1
            continue
        if chrome_rule(text) is not None or not is_related_item(text):
            break
        items.append(j)
        j += 1
    follows = next((fold(lines[k]) for k in range(j, len(lines)) if fold(lines[k])), None)
    if items and follows is not None and chrome_rule(follows) is None and not _is_marked_item(lines[items[-1]]):
        items.pop()
    return items[-1] - heading if items else 0


# ---------------------------------------------------------------- previous / next links and pagers

_PREV_NEXT = re.compile(r"^【?(?:上一篇|下一篇|上一条|下一条|上一章|下一章|上一节|下一节|前一篇|后一篇|"
                        r"上一篇文章|下一篇文章|上篇|下篇|上一则|下一则|previous|next|prev)】?\s*(?:[：>》»]|$)",
                        re.IGNORECASE)
_PREV_NEXT_MAX = 160
_PAGER_WORD = re.compile(r"上一页|下一页|上页|下页|前一页|后一页|尾页|末页|共\s*\d+\s*页|第\s*\d+\s*页|分页|跳转|翻页")
_PAGER_TOKEN = re.compile(r"上一页|下一页|上页|下页|前一页|后一页|首页|尾页|末页|共\s*\d+\s*页|第\s*\d+\s*页|"
                          r"分页：?|跳转(?:到|至)?|转到|翻页|到第|页|GO|Go|go|确定|\d{1,4}|\.{2,}|…+|[<>«»‹›|/\[\]【】]+")


def is_prev_next(line: str) -> bool:
    """``上一篇：…``, ``下一篇：没有了``, ``上一条 …　下一条 …``."""
    text = fold(line)
    return bool(text) and len(text) <= _PREV_NEXT_MAX and bool(_PREV_NEXT.match(text)) and not _sentence_inside(text)


def is_pager(line: str) -> bool:
    """``上一页 1 2 3 4 5 下一页 >>|``, ``|<< 上一页 6 下一页``, ``共5页 第1页``, ``首页 上一页 … 尾页``:
    pager words and page numbers, nothing else on the line."""
    text = fold(line)
    return bool(_PAGER_WORD.search(text)) and not _PAGER_TOKEN.sub("", text).strip(" ·-_:：,，")


# ---------------------------------------------------------------- share bars

_SHARE_START = re.compile(r"^【?(?:分享到|分享至|分享给|分享本文|分享此文|分享文章|一键分享|转发到|转发至|转发给|"
                          r"收藏并分享|分享)(?:】|：|$|\s*(?=微信|微博|QQ|朋友圈))"
                          r"|^【?(?:E-?mail推荐|推荐给朋友|发送给朋友|邮件推荐)", re.IGNORECASE)
_SHARE_NETWORKS = re.compile(r"微信好友|微信朋友圈|微信|朋友圈|新浪微博|腾讯微博|微博|QQ空间|QQ好友|QQ|人人网|"
                             r"豆瓣网?|百度贴吧|开心网|Facebook|Twitter|LinkedIn|WhatsApp|复制链接|复制网址|更多",
                             re.IGNORECASE)
_SCAN = re.compile(r"^(?:微信)?(?:扫一扫|手机扫一扫|扫描二维码|用手机扫描|用微信扫描|扫码(?:阅读|关注|分享|下载)|"
                   r"在手机上阅读|手机阅读本文|手机打开)")


def is_share_bar(line: str) -> bool:
    """``分享到：微信 微博 QQ空间``, ``【分享】``, a bar of network names, ``扫一扫在手机打开当前页``."""
    text = fold(line)
    if not text or len(text) > 80 or re.search(r"[。，；]", text):
        return False
    if _SHARE_START.match(text) or _SCAN.match(text):
        return True
    names = _SHARE_NETWORKS.findall(text)
    return len(names) >= 2 and not _SHARE_NETWORKS.sub("", text).strip(" |·•/-_、【】")


# ---------------------------------------------------------------- the table

LINE_RULES: tuple[ChromeRule, ...] = (
    ChromeRule("pager", "a pager: 上一页 1 2 3 下一页 >>|, nothing else on the line", is_pager),
    ChromeRule("prev-next", "a link to the previous or next article: 上一篇：…, 下一篇：…", is_prev_next),
    ChromeRule("share-bar", "a share bar: 分享到：微信 微博, 扫一扫在手机打开", is_share_bar),
    ChromeRule("copyright", "copyright, ICP and footer lines: Copyright ©, 版权所有, 京ICP备…号, 主办：… 承办：…",
               is_copyright),
    ChromeRule("site-notice", "a site's notice: 【温馨提示】本站…仅供参考, 免责声明：…, 转载请注明出处",
               is_site_notice),
    ChromeRule("page-header", "a source/time/read-count header: 来源：… 时间：… 阅读：…", is_page_header),
    ChromeRule("related-list", "a related-articles heading (相关推荐：), or one with its list on the line",
               is_related_heading),
)


def chrome_rule(line: str) -> str | None:
    """The name of the first rule of ``LINE_RULES`` the line matches; None for a line that is not chrome."""
    for rule in LINE_RULES:
        if rule.matches(line):
            return rule.name
    return None


def find_chrome(lines: Sequence[str]) -> tuple[ChromeHit, ...]:
    """Every chrome line of a page: the line rules, then the list of titles under each related heading."""
    hits: list[ChromeHit] = []
    i = 0
    while i < len(lines):
        rule = chrome_rule(lines[i])
        if rule is None:
            i += 1
            continue
        hits.append(ChromeHit(i, rule))
        if rule == "related-list":
            length = related_list_length(lines, i)
            hits.extend(ChromeHit(k, "related-list") for k in range(i + 1, i + length + 1) if fold(lines[k]))
            i += length
        i += 1
    return tuple(hits)
