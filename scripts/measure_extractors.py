"""Measure HTML main-content extraction: our extractor (builder.ingest.read.html_to_lines) against
trafilatura, on report texts wrapped in invented site templates with realistic chrome.

    python scripts/measure_extractors.py [--corpus ../shared/corpus] [--limit N]

For every report of the corpus (its cleaned lines are the truth) and every template below, the
page is built, each extractor runs on it, and two things are counted:

* sentences kept: the share of the report's sentences (cut after 。！？；) found in the extracted
  text, whitespace ignored (what is missing is text lost);
* lines intact: the share of the report's lines (paragraphs, headings) that come out as a line of
  their own (an extractor that glues the report into one line keeps its sentences, not its structure);
* chrome kept: how many of the template's chrome lines (navigation, breadcrumb, header, share bar,
  notices, prev/next, pager, related list, footer) are found in the extracted text (chrome lines
  whose text also stands in the report, such as a menu item 工作报告, are not counted).

Each extractor is also measured followed by builder.ingest.chrome's line rules (``+ rules``), the
way the pipeline would run it: extraction, then cleaning.

The corpus itself holds no HTML: its files are text and CSV exports of what scrapers took from the
pages, so the pages are rebuilt here.  Template "govcn2006" imitates the nested-table gov.cn pages
the corpus's State Council series was scraped from (the chrome is the chrome those files still hold).

trafilatura is not a dependency of the builder: ``pip install trafilatura lxml_html_clean``.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from builder.ingest.chrome import find_chrome  # noqa: E402
from builder.ingest.clean import clean_document  # noqa: E402
from builder.ingest.read import html_to_lines, read_source  # noqa: E402
from builder.ingest.textcheck import split_sentences  # noqa: E402

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


# ---------------------------------------------------------------- templates


@dataclass(frozen=True)
class Page:
    html: str
    chrome: tuple[str, ...]
    """Every chrome line the page holds, as text (what must not reach the report)."""


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def gov_portal(title: str, body: Sequence[str]) -> Page:
    """A provincial government portal: semantic classes, header/nav/footer elements, chrome in the article box."""
    chrome = ("网站首页", "政务公开", "政务服务", "互动交流", "走进本市",
              "当前位置：首页 > 政务公开 > 政府工作报告",
              "发布时间：2026-02-03 09:02 来源：省人民政府办公厅 浏览次数：12345",
              "分享到：微信 微博 QQ空间",
              "【打印本页】 【关闭窗口】",
              "相关链接", "省人大关于政府工作报告的决议", "政府工作报告图解", "代表热议政府工作报告",
              "主办：某省人民政府办公厅 承办：某省大数据中心",
              "网站标识码：3200000001 苏ICP备05070218号 苏公网安备 32010202001234号")
    nav = "".join(f'<li><a href="/c{i}">{_esc(x)}</a></li>' for i, x in enumerate(chrome[:5]))
    paragraphs = "\n".join(f"<p>{_esc(line)}</p>" for line in body)
    related = "".join(f'<li><a href="/r{i}">{_esc(x)}</a></li>' for i, x in enumerate(chrome[10:13]))
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{_esc(title)}_某省人民政府</title></head>
<body><header class="top"><div class="logo">某省人民政府门户网站</div><nav class="mainnav"><ul>{nav}</ul></nav></header>
<div class="position">{_esc(chrome[5])}</div>
<div class="wrap"><div class="article">
<h1 class="title">{_esc(title)}</h1>
<div class="info">{_esc(chrome[6])}</div>
<div class="bdshare">{_esc(chrome[7])}</div>
<div id="zoom" class="TRS_Editor">
{paragraphs}
</div>
<div class="tools">{_esc(chrome[8])}</div>
<div class="related"><h3>{_esc(chrome[9])}</h3><ul>{related}</ul></div>
</div></div>
<footer><p>{_esc(chrome[13])}</p><p>{_esc(chrome[14])}</p></footer></body></html>"""
    return Page(page, chrome)


def content_farm(title: str, body: Sequence[str]) -> Page:
    """A content farm: meaningless class names, text in one box separated by <br>, notices, prev/next and
    a related list inside the same box, a table layout."""
    chrome = ("范文大全", "工作报告", "心得体会", "演讲稿", "述职报告",
              "来源：好范文网 时间：2021-06-04 12:01 阅读：1023次",
              "【温馨提示】本站所有范文仅供参考，请勿直接抄袭。",
              "上一篇：2019年某县政府工作报告", "下一篇：2021年乡镇工作总结",
              "相关推荐：", "2020年某县政府工作报告", "2019年乡镇政府工作报告范文", "政府工作报告学习心得体会",
              "Copyright © 2012-2021 好范文网 版权所有 鲁ICP备12345678号")
    nav = " | ".join(f'<a href="/{i}">{_esc(x)}</a>' for i, x in enumerate(chrome[:5]))
    text = "<br/>\n".join(f"&nbsp;&nbsp;&nbsp;&nbsp;{_esc(line)}" for line in body)
    related = "".join(f'<a href="/x{i}">{_esc(x)}</a><br/>' for i, x in enumerate(chrome[10:13]))
    page = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{_esc(title)} - 好范文网</title></head><body>
<table width="980" class="t1"><tr><td class="c1">{nav}</td></tr></table>
<table width="980" class="t2"><tr><td class="c2" valign="top">
<div class="c3"><h2>{_esc(title)}</h2><div class="c4">{_esc(chrome[5])}</div>
<div class="c5">{_esc(chrome[6])}<br/>
{text}<br/>
<p>{_esc(chrome[7])}</p><p>{_esc(chrome[8])}</p>
<b>{_esc(chrome[9])}</b><br/>{related}
</div></div></td>
<td class="c6" width="250"><div>热门范文</div><a href="/h1">年终总结范文</a><br/>
<a href="/h2">入党申请书范文</a></td></tr></table>
<div class="c7">{_esc(chrome[13])}</div></body></html>"""
    return Page(page, (*chrome, "热门范文", "年终总结范文", "入党申请书范文"))


def news_site(title: str, body: Sequence[str]) -> Page:
    """A newspaper site: HTML5 <article> with <div> paragraphs, share bar and editor inside the article,
    a pager, an <aside> hot list and a comment box."""
    chrome = ("要闻", "时政频道", "财经频道", "社会新闻", "评论频道",
              "2026-01-28 07:30:12 来源：某某日报 作者：记者 张三",
              "分享到：微信 朋友圈 微博",
              "（责任编辑：李四）",
              "上一页 1 2 3 下一页",
              "热点排行", "全省两会特别报道", "代表委员热议发展新机遇",
              "网友评论", "已有0人参与评论",
              "关于我们 | 联系我们 | 广告服务 | 网站地图", "Copyright © 2026 某某日报社 All Rights Reserved")
    nav = "".join(f'<a href="/n{i}">{_esc(x)}</a>' for i, x in enumerate(chrome[:5]))
    paragraphs = "\n".join(f'<div style="text-indent:2em">{_esc(line)}</div>' for line in body)
    hot = "".join(f'<li><a href="/h{i}">{_esc(x)}</a></li>' for i, x in enumerate(chrome[10:12]))
    page = f"""<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{_esc(title)}</title>
<meta property="og:title" content="{html.escape(title)}"></head><body>
<div id="nav">{nav}</div>
<main><article><h1>{_esc(title)}</h1><p class="meta">{_esc(chrome[5])}</p>
<div class="article-body">
{paragraphs}
</div>
<div class="share">{_esc(chrome[6])}</div><p class="editor">{_esc(chrome[7])}</p>
<div class="page">{_esc(chrome[8])}</div>
</article>
<aside><h3>{_esc(chrome[9])}</h3><ul>{hot}</ul></aside>
<section class="comments"><h3>{_esc(chrome[12])}</h3><p>{_esc(chrome[13])}</p></section></main>
<div class="foot"><p>{_esc(chrome[14])}</p><p>{_esc(chrome[15])}</p></div></body></html>"""
    return Page(page, chrome)


def govcn2006(title: str, body: Sequence[str]) -> Page:
    """The 2006-era gov.cn page the corpus's State Council series comes from: nested tables, <font>,
    <br> between paragraphs, a pager script, 【字体：大 中 小】 and E-mail推荐."""
    chrome = ("当前位置： 首页>> 中国概况",
              "中央政府门户网站 www.gov.cn 2006年02月16日 09时45分 来源：新华社",
              "【字体：大 中 小】",
              "上一页 1 2 3 4 下一页",
              "（责任编辑： 郭桢 ）",
              "【E-mail推荐】 【打印】 【关闭】",
              "版权所有：中国政府网 京ICP备05070218号")
    text = "<br>\n".join(f"　　{_esc(line)}" for line in body)
    page = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{_esc(title)}</title></head><body>
<table width="100%"><tr><td><font class="p1">{_esc(chrome[0])}</font></td></tr></table>
<table width="760"><tr><td align="center"><font class="p2"><b>{_esc(title)}</b></font></td></tr>
<tr><td align="center"><font class="p3">{_esc(chrome[1])}</font></td></tr>
<tr><td align="right">{_esc(chrome[2])}</td></tr>
<tr><td><table><tr><td><font id="Zoom" class="p4">
{text}
</font></td></tr></table></td></tr>
<tr><td align="center"><div id="div_currpage">{_esc(chrome[3])}</div>
<script>function turnpage(page){{ document.all("div_currpage").innerHTML = page; }}</script></td></tr>
<tr><td align="right">{_esc(chrome[4])}</td></tr>
<tr><td align="right">{_esc(chrome[5])}</td></tr></table>
<table><tr><td align="center">{_esc(chrome[6])}</td></tr></table></body></html>"""
    return Page(page, chrome)


def blog(title: str, body: Sequence[str]) -> Page:
    """A blog or forum repost: the report in a post body with no telling class, readers' comments in
    prose below it, a sidebar with a prose blurb, tags, and a copyright line."""
    chrome = ("博客首页", "我的文章", "写文章",
              "发表于 2021-03-06 21:14 | 阅读 3521 | 评论 12",
              "标签：政府工作报告 两会 学习",
              "写得很好，逐字学习了一遍，感谢楼主分享。",
              "我们单位组织了集体学习，大家都觉得报告实实在在，很接地气。",
              "请问有没有报告的PDF版本？想打印出来慢慢看。",
              "博主简介", "一名普通的基层公务员，喜欢读书、写作，记录学习和工作的点滴体会。",
              "本博客文章仅代表个人观点，转载请注明出处。",
              "© 2021 某某的博客 · 由WordPress驱动")
    paragraphs = "\n".join(f"<p>{_esc(line)}</p>" for line in body)
    comments = "".join(f'<li><span class="u">网友{i}</span><p>{_esc(x)}</p></li>' for i, x in enumerate(chrome[5:8]))
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{_esc(title)} | 某某的博客</title></head><body>
<div id="top"><a href="/">{_esc(chrome[0])}</a> <a href="/mine">{_esc(chrome[1])}</a>
<a href="/new">{_esc(chrome[2])}</a></div>
<div id="wrapper"><div id="left"><div class="p1">
<h2>{_esc(title)}</h2><div class="p2">{_esc(chrome[3])}</div>
<div class="p3">
{paragraphs}
</div>
<div class="p4">{_esc(chrome[4])}</div>
<div class="p5"><h4>读者留言</h4><ul>{comments}</ul></div>
</div></div>
<div id="right"><h4>{_esc(chrome[8])}</h4><p>{_esc(chrome[9])}</p><p>{_esc(chrome[10])}</p></div></div>
<div id="bottom">{_esc(chrome[11])}</div></body></html>"""
    return Page(page, (*chrome, "读者留言"))


TEMPLATES: dict[str, Callable[[str, Sequence[str]], Page]] = {
    "gov_portal": gov_portal, "content_farm": content_farm, "news_site": news_site, "blog": blog,
    "govcn2006": govcn2006}


# ---------------------------------------------------------------- extractors


def ours(page: str) -> list[str]:
    return html_to_lines(page).body


def trafilatura_default(page: str) -> list[str]:
    import trafilatura

    return (trafilatura.extract(page, include_comments=False, include_tables=True, deduplicate=False) or "").split("\n")


def trafilatura_recall(page: str) -> list[str]:
    import trafilatura

    return (trafilatura.extract(page, include_comments=False, include_tables=True, deduplicate=False,
                                favor_recall=True) or "").split("\n")


def trafilatura_no_tables(page: str) -> list[str]:
    import trafilatura

    return (trafilatura.extract(page, include_comments=False, include_tables=False, deduplicate=False)
            or "").split("\n")


def with_rules(extract: Callable[[str], list[str]]) -> Callable[[str], list[str]]:
    def run(page: str) -> list[str]:
        lines = extract(page)
        chrome = {hit.index for hit in find_chrome(lines)}
        return [line for i, line in enumerate(lines) if i not in chrome]
    return run


EXTRACTORS: dict[str, Callable[[str], list[str]]] = {
    "ours": ours,
    "ours + rules": with_rules(ours),
    "trafilatura": trafilatura_default,
    "trafilatura + rules": with_rules(trafilatura_default),
    "trafilatura recall": trafilatura_recall,
    "trafilatura recall + rules": with_rules(trafilatura_recall),
    "trafilatura no tables": trafilatura_no_tables,
    "trafilatura no tables + rules": with_rules(trafilatura_no_tables),
}


# ---------------------------------------------------------------- measuring

_SPACE = re.compile(r"\s+")


def squeeze(text: str) -> str:
    return _SPACE.sub("", text)


@dataclass
class Tally:
    sentences: int = 0
    kept: int = 0
    lines: int = 0
    lines_intact: int = 0
    chrome: int = 0
    chrome_kept: int = 0
    pages: int = 0
    pages_losing: int = 0
    seconds: float = 0.0

    def add(self, body: Sequence[str], chrome: Sequence[str], lines: Sequence[str], seconds: float) -> None:
        sentences = [s for line in body for s in split_sentences(line) if len(s) >= 2]
        text = squeeze("\n".join(lines))
        kept = sum(1 for sentence in sentences if sentence in text)
        self.sentences += len(sentences)
        self.kept += kept
        out = {squeeze(line) for line in lines}
        self.lines += len(body)
        self.lines_intact += sum(1 for line in body if squeeze(line) in out)
        self.pages += 1
        self.pages_losing += kept < len(sentences)
        truth = squeeze("".join(body))
        measured = [squeeze(line) for line in chrome if squeeze(line) and squeeze(line) not in truth]
        self.chrome += len(measured)
        self.chrome_kept += sum(1 for line in measured if line in text)
        self.seconds += seconds


def reports(corpus: Path, limit: int | None) -> list[tuple[str, list[str]]]:
    """(title, body lines) of every report document of the corpus: the cleaned lines, chrome left by the
    cleaner taken out by the chrome rules (so the truth holds no chrome)."""
    out = []
    for path in sorted(corpus.glob("*.*")):
        if path.suffix not in (".txt", ".csv"):
            continue
        for document in read_source(path):
            lines = [line.text for line in clean_document(document).lines]
            chrome = {hit.index for hit in find_chrome(lines)}
            body = [line for i, line in enumerate(lines) if i not in chrome]
            out.append((path.stem, body))
    return out[:limit] if limit else out


def measure(corpus: Path, limit: int | None) -> dict[tuple[str, str], Tally]:
    tallies: dict[tuple[str, str], Tally] = {}
    for name, body in reports(corpus, limit):
        title = next((line for line in body[:5] if "报告" in line and len(line) <= 40), name)
        for template_name, template in TEMPLATES.items():
            page = template(title, body)
            for extractor_name, extract in EXTRACTORS.items():
                start = time.perf_counter()
                lines = extract(page.html)
                seconds = time.perf_counter() - start
                tallies.setdefault((template_name, extractor_name), Tally()).add(body, page.chrome, lines, seconds)
    return tallies


def table(tallies: dict[tuple[str, str], Tally]) -> str:
    rows = ["| template | extractor | sentences kept | pages losing text | lines intact | chrome lines kept | s/page |",
            "|---|---|---:|---:|---:|---:|---:|"]
    totals: dict[str, Tally] = {}
    for (template, extractor), t in tallies.items():
        rows.append(_row(template, extractor, t))
        total = totals.setdefault(extractor, Tally())
        for name in ("sentences", "kept", "lines", "lines_intact", "chrome", "chrome_kept", "pages", "pages_losing",
                     "seconds"):
            setattr(total, name, getattr(total, name) + getattr(t, name))
    rows += [_row("**all**", f"**{extractor}**", t) for extractor, t in totals.items()]
    return "\n".join(rows)


def _row(template: str, extractor: str, t: Tally) -> str:
    return (f"| {template} | {extractor} | {t.kept / t.sentences:.2%} ({t.sentences - t.kept} lost) "
            f"| {t.pages_losing}/{t.pages} | {t.lines_intact / t.lines:.1%} | {t.chrome_kept}/{t.chrome} "
            f"| {t.seconds / t.pages:.3f} |")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=None, help="measure only the first N reports")
    args = parser.parse_args(argv)
    try:
        import trafilatura
    except ImportError as error:
        print(f"trafilatura cannot be imported ({error}): pip install trafilatura lxml_html_clean", file=sys.stderr)
        return 1
    print(f"trafilatura {trafilatura.__version__}; corpus {args.corpus}")
    html_files = [p.name for p in sorted(args.corpus.glob("*")) if p.suffix.lower() in (".html", ".htm")]
    print(f"HTML files in the corpus: {len(html_files)} (its pages are text and CSV exports; pages rebuilt here)")
    print(table(measure(args.corpus, args.limit)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
