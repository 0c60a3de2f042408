"""Rendering a site into a folder (builder.render, through builder.build.scheduler without a cache):
pages, escaping, relative URLs, reports.json, atomic output, the text-loss check, front matter."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from builder.build import output
from builder.build.scheduler import build_output
from builder.core.errors import OutputError, SourceError, TextLossError
from builder.core.model import ReportFile
from builder.render import markdown
from builder.render import report as report_module
from builder.render.markdown import summarize, toc_tree
from builder.render.report import PageSettings, site_base
from builder.render.textloss import check_text_kept, fast_body_text

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

BODY = """\
{#p1}
各位代表：

{#p2}
现在，我代表苏州市人民政府，向大会报告工作，请予审议。

{#s1}
## 一、2019年工作回顾

{#s1-1}
### 1.经济发展增实力。

{#s1-1-p1}
预计实现地区生产总值1.93万亿元，增长6%。一般公共预算收入2221亿元！

{#s1-p2}
**创新驱动发展战略深入实施。**全社会研究与试验发展经费支出占比达3%；
高新技术产业产值增长\\*12%。

{#s2}
## 二、2020年工作安排

{#s2-p1}
今年是全面建成小康社会收官之年。
"""


def meta(**overrides) -> dict:
    values = {
        "title": "2020年苏州市政府工作报告",
        "kind": "government_work_report",
        "issuer": "苏州市人民政府",
        "place": "江苏省苏州市",
        "place_short": "苏州市",
        "year": 2020,
        "slug": "2020-suzhou-gwr",
        "delivered": "2020-01-12",
        "session": "苏州市第十六届人民代表大会第四次会议",
        "speaker": "市长 李亚平",
        "preamble": ["——2020年1月12日在苏州市第十六届人民代表大会第四次会议上"],
        "scraped_title": "2020年苏州市政府工作报告",
        "title_note": "",
        "source_file": "site_src/scraped/suzhou.html",
        "source_sha256": "0" * 64,
        "source_url": "http://www.suzhou.gov.cn/szsrmzf/zfgzbg/202001/t.shtml",
        "scraped_at": "2024-03-01T10:00:00+08:00",
        "site_category": "政府工作报告",
        "builder_version": "0.1.0",
        "body_sha256": "1" * 64,
        "cleaning_log": [{"line": 3, "rule": "site-banner", "text": "网站首页 | 政务公开"}],
    }
    values.update(overrides)
    return values


def report(body: str = BODY, path: str | None = None, body_line: int = 30, **overrides) -> ReportFile:
    m = meta(**overrides)
    return ReportFile(path=path or f"site_src/reports/{m.get('slug')}.md", meta=m, body=body, body_line=body_line)


def render_site(reports, out: Path, *, templates_dir: Path = TEMPLATES, base_url: str = "", **settings):
    """Render ``reports`` into ``out`` as ``builder build`` would, without a build cache."""
    return build_output(reports, PageSettings(templates_dir=templates_dir, base=site_base(base_url), **settings), out)


def build(tmp_path: Path, reports, name: str = "public", **kwargs) -> Path:
    out = tmp_path / name
    render_site(reports, out, site_name="政府工作报告文库", **kwargs)
    return out


def read_tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# ----------------------------------------------------------------- pages


def test_site_layout_and_result(tmp_path):
    out = tmp_path / "public"
    result = render_site([report()], out, site_name="文库", templates_dir=TEMPLATES)
    assert sorted(read_tree(out)) == [".nojekyll", "404.html", "assets/browse.js", "assets/favicon.svg",
                                      "assets/report.js", "assets/search.js", "assets/style.css", "data/indicators.csv",
                                      "data/indicators.json", "data/reports.json", "index.html",
                                      "indicators/2020-suzhou-gwr.html", "indicators/index.html",
                                      "places/jiangsu-320000.html", "places/quanguo.html", "places/suzhou-320500.html",
                                      "reports/2020-suzhou-gwr.html"]
    # index, indicators page and the report's, report, 404 page (issue 6), a page for each place on
    # the way down to the report's (issue 12)
    assert result.pages_written == 8
    assert [(p.slug, p.url, p.title) for p in result.reports] == [
        ("2020-suzhou-gwr", "reports/2020-suzhou-gwr.html", "2020年苏州市政府工作报告")]
    assert result.reports[0].paragraph_count == 5
    assert not [p for p in tmp_path.iterdir() if p.name != "public"], "no temporary folders left"


def test_report_page_structure(tmp_path):
    out = build(tmp_path, [report()])
    soup = BeautifulSoup((out / "reports/2020-suzhou-gwr.html").read_text("utf-8"), "html.parser")
    assert soup.html["lang"] == "zh-CN"
    skip = soup.select_one("a.skip-link")
    assert skip and soup.select_one(skip["href"]) is not None
    assert soup.find("main").find("article") is not None
    assert soup.select_one("article h1").get_text() == "2020年苏州市政府工作报告"
    assert "——2020年1月12日在苏州市第十六届人民代表大会第四次会议上" in soup.select_one(".preamble").get_text()
    header = soup.select_one("article > header").get_text()
    for text in ("苏州市人民政府", "江苏省苏州市", "2020年1月12日", "市长 李亚平", "第十六届人民代表大会第四次会议"):
        assert text in header
    aside = soup.select_one("aside.provenance")
    assert "site_src/scraped/suzhou.html" in aside.get_text()
    assert "2024-03-01T10:00:00+08:00" in aside.get_text()
    assert aside.select_one("a.source-url")["href"] == "http://www.suzhou.gov.cn/szsrmzf/zfgzbg/202001/t.shtml"
    details = aside.find("details")
    assert "网站首页 | 政务公开" in details.get_text() and "site-banner" in details.get_text()
    assert soup.select_one(".title-note") is None  # titles agree: no notice


def test_body_ids_permalinks_and_nested_toc(tmp_path):
    out = build(tmp_path, [report()])
    soup = BeautifulSoup((out / "reports/2020-suzhou-gwr.html").read_text("utf-8"), "html.parser")
    body = soup.select_one(".report-body")
    assert body.select_one("h2#s1 a.permalink")["href"] == "#s1"
    assert body.select_one("p#s1-1-p1 a.permalink")["href"] == "#s1-1-p1"
    nav = soup.find("nav", class_="toc")
    top = nav.find("ol").find_all("li", recursive=False)
    assert [li.a["href"] for li in top] == ["#s1", "#s2"]
    assert [a["href"] for a in top[0].find("ol").find_all("a")] == ["#s1-1"]
    all_ids = [tag["id"] for tag in soup.find_all(id=True)]
    assert len(all_ids) == len(set(all_ids))


def test_title_correction_notice(tmp_path):
    r = report(scraped_title="政府工作报告", title_note="网页标题未写年份和地区，按正文更正。")
    soup = BeautifulSoup((build(tmp_path, [r]) / "reports/2020-suzhou-gwr.html").read_text("utf-8"), "html.parser")
    notice = soup.select_one("article > header .title-note")
    assert "标题已更正" in notice.get_text()
    assert "政府工作报告" in notice.get_text() and "按正文更正" in notice.get_text()
    assert "按正文更正" in soup.select_one("aside.provenance").get_text()


def test_index_lists_reports_by_place_with_their_years(tmp_path):
    reports = [
        report(slug="b-2021", title="2021年无锡市政府工作报告", year=2021, place="江苏省无锡市"),
        report(slug="a-2020", title="2020年苏州市政府工作报告", year=2020, place="江苏省苏州市"),
        report(slug="a-2021", title="2021年苏州市政府工作报告", year=2021, place="江苏省苏州市"),
        report(slug="c-2020", title="2020年南京市人大常委会工作报告", year=2020, place="江苏省南京市",
               kind="npc_standing_committee_report"),
        report(slug="d-none", title="某报告", year=None, place="", kind="other"),
    ]
    out = build(tmp_path, reports)
    soup = BeautifulSoup((out / "index.html").read_text("utf-8"), "html.parser")
    [jiangsu, unplaced] = soup.select(".browse details.place-group")
    assert jiangsu.summary.get_text(" ", strip=True) == "江苏省 4 份 · 2020–2021年"
    assert jiangsu.select_one(".place-name")["href"] == "places/jiangsu-320000.html"
    assert "本级无报告" in jiangsu.select_one(".place-line").get_text()  # the province has no report of its own
    cities = jiangsu.select(".place-rows .place-rows > .place-row")  # by adcode: 南京 3201, 无锡 3202, 苏州 3205
    assert [row.select_one(".place-name").get_text() for row in cities] == ["南京市", "无锡市", "苏州市"]
    years = [[(a.get_text(), a["href"]) for a in row.select(".year-links a")] for row in cities]
    assert years == [[("2020人大", "reports/c-2020.html")], [("2021", "reports/b-2021.html")],
                     [("2020", "reports/a-2020.html"), ("2021", "reports/a-2021.html")]]
    assert [li["data-kind"] for li in cities[0].select("li[data-kind]")] == ["npc_standing_committee_report"]
    assert unplaced.summary.get_text(" ", strip=True) == "未能确定地区 1 份"  # never dropped
    assert [a["href"] for a in unplaced.select("a")] == ["reports/d-none.html"]
    assert "共 5 份报告，4 个地区" in soup.select_one(".index-count").get_text()  # 江苏 and its three cities
    # the summaries moved to the place pages
    suzhou = BeautifulSoup((out / "places/suzhou-320500.html").read_text("utf-8"), "html.parser")
    summaries = [p.get_text() for p in suzhou.select(".report-item-summary")]
    assert summaries == ["预计实现地区生产总值1.93万亿元，增长6%。"] * 2
    data = json.loads((out / "data/reports.json").read_text("utf-8"))
    assert [entry["slug"] for entry in data] == ["c-2020", "a-2020", "b-2021", "a-2021", "d-none"]  # index order


def test_summary_skips_salutation_and_truncates():
    paragraphs = ["各位代表：", "现在，我代表市人民政府，向大会报告工作，请予审议。",
                  "过去一年，经济运行稳中有进。后文。"]
    assert summarize(paragraphs) == "过去一年，经济运行稳中有进。"
    long = "甲" * 200
    assert summarize([long]) == "甲" * 79 + "…"
    assert summarize([]) == ""


def test_toc_tree_nests_and_tolerates_jumps():
    tree = toc_tree([{"id": "a", "title": "A", "level": 1}, {"id": "b", "title": "B", "level": 3},
                     {"id": "c", "title": "C", "level": 2}, {"id": "d", "title": "D", "level": 1}])
    assert [n["id"] for n in tree] == ["a", "d"]
    assert [n["id"] for n in tree[0]["children"]] == ["b", "c"]


# ----------------------------------------------------------------- escaping and URLs

EVIL = '<script>alert(1)</script> "引号" & 符号'


def test_untrusted_text_is_escaped(tmp_path):
    body = f"{{#p1}}\n{EVIL}\n\n## {EVIL}\n"
    r = report(body=body, title=EVIL, issuer=EVIL, place=EVIL, scraped_title=EVIL, title_note=EVIL,
               preamble=[EVIL], session=EVIL, speaker=EVIL, source_file=EVIL, scraped_at=EVIL,
               site_category=EVIL, cleaning_log=[{"line": 1, "rule": EVIL, "text": EVIL}])
    out = build(tmp_path, [r])
    for name in ("index.html", "reports/2020-suzhou-gwr.html"):
        html = (out / name).read_text("utf-8")
        assert "<script>alert" not in html  # the page's own scripts (issue 6) are not the report's text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert '"引号"' not in html.replace('content="', "")  # quotes only inside attributes, escaped
    data = json.loads((out / "data/reports.json").read_text("utf-8"))
    assert data[0]["title"] == EVIL


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "ftp://x/y",
                                 "/local/path", "http//broken"])
def test_non_web_source_url_is_not_a_link(tmp_path, url):
    out = build(tmp_path, [report(source_url=url)])
    soup = BeautifulSoup((out / "reports/2020-suzhou-gwr.html").read_text("utf-8"), "html.parser")
    assert not [a for a in soup.find_all("a") if "alert" in a.get("href", "") or a.get("href") == url]
    assert url in soup.select_one("aside.provenance").get_text()


def test_internal_urls_are_relative(tmp_path):
    out = build(tmp_path, [report(), report(slug="other", title="另一份报告")])
    for name in ("index.html", "reports/2020-suzhou-gwr.html", "reports/other.html"):
        soup = BeautifulSoup((out / name).read_text("utf-8"), "html.parser")
        for tag in soup.find_all(href=True) + soup.find_all(src=True):
            url = tag.get("href") or tag.get("src")
            if "source-url" in (tag.get("class") or []):
                continue
            assert not url.startswith(("/", "http:", "https:", "//")), (name, str(tag))
            if not url.startswith("#"):
                target = (out / name).parent / url.split("#")[0]
                assert target.is_file(), (name, url)


def test_no_external_resources_in_stylesheet():
    css = (TEMPLATES / "static/style.css").read_text("utf-8")
    assert "@import" not in css and "url(" not in css
    assert "prefers-color-scheme: dark" in css and "@media print" in css


# ----------------------------------------------------------------- reports.json and determinism


def test_reports_json_fields(tmp_path):
    out = build(tmp_path, [report()])
    data = json.loads((out / "data/reports.json").read_text("utf-8"))
    assert data == [{
        "id": "2020-suzhou-gwr",
        "slug": "2020-suzhou-gwr",
        "url": "reports/2020-suzhou-gwr.html",
        "title": "2020年苏州市政府工作报告",
        "kind": "government_work_report",
        "genre": "report",
        "issuer": "苏州市人民政府",
        "place": "江苏省苏州市",
        "year": 2020,
        "review": "",
        "scraped_title": "2020年苏州市政府工作报告",
        "source_url": "http://www.suzhou.gov.cn/szsrmzf/zfgzbg/202001/t.shtml",
        "scraped_at": "2024-03-01T10:00:00+08:00",
        "paragraph_count": 5,
        "sections": [
            {"id": "s1", "title": "一、2019年工作回顾", "level": 1},
            {"id": "s1-1", "title": "1.经济发展增实力。", "level": 2},
            {"id": "s2", "title": "二、2020年工作安排", "level": 1},
        ],
    }]


def test_two_renders_give_identical_bytes(tmp_path):
    reports = [report(), report(slug="b", title="乙", year=None, body="甲。\n\n## 乙\n\n丙。\n")]
    first = read_tree(build(tmp_path, reports, name="one"))
    second = read_tree(build(tmp_path, list(reversed(reports)), name="two"))
    assert first == second


# ----------------------------------------------------------------- atomic output


def test_rebuild_replaces_old_output(tmp_path):
    out = build(tmp_path, [report(), report(slug="gone", title="旧报告")])
    (out / "stray.txt").write_text("x")
    build(tmp_path, [report()])
    assert not (out / "reports/gone.html").exists() and not (out / "stray.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def _snapshot(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    out = build(tmp_path, [report()])
    return out, read_tree(out)


def test_template_error_leaves_previous_output(tmp_path):
    out, before = _snapshot(tmp_path)
    broken = tmp_path / "broken-templates"
    broken.mkdir()
    for path in TEMPLATES.rglob("*"):
        if path.is_file():
            target = broken / path.relative_to(TEMPLATES)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    (broken / "report.html").write_text("{% extends 'base.html' %}{% block content %}{{ nope.x }}{% endblock %}")
    with pytest.raises(SourceError) as info:
        build(tmp_path, [report()], templates_dir=broken)
    assert "template error" in str(info.value) and "\n" not in str(info.value)
    assert read_tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken-templates", "public"]


def test_text_loss_leaves_previous_output(tmp_path, monkeypatch):
    out, before = _snapshot(tmp_path)
    real = markdown.render_markdown

    def lossy(body, **kwargs):
        rendered = real(body, **kwargs)
        return markdown.RenderedBody(html=rendered.html.replace("今年是全面建成小康社会收官之年。", ""),
                                     toc=rendered.toc, paragraph_count=rendered.paragraph_count,
                                     summary=rendered.summary)

    monkeypatch.setattr(report_module, "render_markdown", lossy)
    with pytest.raises(TextLossError) as info:
        build(tmp_path, [report(body_line=30)])
    message = str(info.value)
    assert message.startswith("site_src/reports/2020-suzhou-gwr.md:")
    assert "sentence lost in rendering: “今年是全面建成小康社会收官之年。" in message
    line = BODY.splitlines().index("今年是全面建成小康社会收官之年。")
    assert info.value.line == 30 + line
    assert read_tree(out) == before


def test_failed_swap_restores_previous_output(tmp_path, monkeypatch):
    out, before = _snapshot(tmp_path)
    real_rename = os.rename

    def rename(src, dst):
        if ".new-" in str(src):
            raise PermissionError(13, "Permission denied", str(dst))
        return real_rename(src, dst)

    monkeypatch.setattr(output.os, "rename", rename)
    with pytest.raises(OutputError, match="cannot write output: Permission denied"):
        build(tmp_path, [report()])
    assert read_tree(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_unwritable_output_is_one_line_output_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(OutputError) as info:
        render_site([report()], blocker / "public", site_name="x", templates_dir=TEMPLATES)
    message = str(info.value)
    assert message.startswith(f"{blocker / 'public'}: cannot write output: ") and "\n" not in message
    with pytest.raises(OutputError, match="cannot write output"):
        render_site([report()], blocker, site_name="x", templates_dir=TEMPLATES)
    assert blocker.read_text() == "not a folder"


# ----------------------------------------------------------------- text-loss check


def page_with(body_html: str) -> str:
    return (f"<html><body><nav>{body_html}</nav><article><div class='report-body'>{body_html}</div></article>"
            "</body></html>")


def test_check_text_kept_accepts_rendered_page(tmp_path):
    out = build(tmp_path, [report()])
    check_text_kept(report(), (out / "reports/2020-suzhou-gwr.html").read_text("utf-8"))


def test_check_text_kept_catches_dropped_sentence():
    r = report(body="{#p1}\n第一句。第二句！\n\n## 标题\n\n第三句；第四句\n", body_line=12)
    check_text_kept(r, page_with("<p>第一句。 第二句！</p><h2>标题¶</h2><p>第三句；\n第四句</p>"))
    with pytest.raises(TextLossError) as info:
        check_text_kept(r, "<article><p>第一句。</p><h2>标题</h2><p>第三句；第四句</p></article>")
    assert str(info.value) == "site_src/reports/2020-suzhou-gwr.md:13: sentence lost in rendering: “第二句！…”"


def test_check_text_kept_looks_only_at_the_article_body():
    r = report(body="## 标题\n\n正文一句。\n")
    html = "<nav>标题 正文一句。</nav><article><div class='report-body'><h2>标题</h2></div></article>"
    with pytest.raises(TextLossError, match="正文一句"):
        check_text_kept(r, html)


def test_check_text_kept_strips_markdown_syntax():
    body = ("{#s1}\n## 一、回顾 ##\n\n**一是聚焦。**内容\\*星号。 *强调*文字。\n"
            "[链接文字](http://x.cn)后文。&amp;实体。\n\n> 引文。\n\n- 列表项。\n1. 编号项。\n")
    r = report(body=body)
    html = ("<article><div class='report-body'><h2>一、回顾</h2><p><strong>一是聚焦。</strong>内容*星号。 "
            "<em>强调</em>文字。<a href='http://x.cn'>链接文字</a>后文。&amp;实体。</p><blockquote><p>引文。</p>"
            "</blockquote><ul><li>列表项。</li></ul><ol><li>编号项。</li></ol></div></article>")
    check_text_kept(r, html)



def _parsed_scope_text(html):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    scope = soup.select_one("article .report-body") or soup.find("article")
    return _squeeze(scope.get_text("")) if scope is not None else None


def _squeeze(text):  # the check compares text without whitespace and emphasis markers
    return re.sub(r"[\s*_`]+", "", text) if text is not None else None


@pytest.mark.parametrize("html", [
    page_with("<p>第一句。 第二句！</p><h2>标题¶</h2><p>第三句；\n第四句</p>"),
    "<article><p>A &amp; B &lt;c&gt; &#20013;&#x6587;</p><!-- 注释。 --><div><div>嵌套。</div></div></article>",
    "<nav>外。</nav><article data-x='a>b'><header>页头。</header><section class=\"x report-body y\"><div>一"
    "<div>二。</div></div>三。</section><footer>页脚。</footer></article><p>后。</p>",
    "<article><div class=report-body><img src='x'><br/>正文。</div></article>",
])
def test_fast_body_text_matches_the_parser(html):
    assert _squeeze(fast_body_text(html)) == _parsed_scope_text(html)


def test_fast_body_text_matches_the_parser_on_a_rendered_page(tmp_path):
    html = (build(tmp_path, [report()]) / "reports/2020-suzhou-gwr.html").read_text("utf-8")
    assert _squeeze(fast_body_text(html)) == _parsed_scope_text(html)


@pytest.mark.parametrize("html", ["<p>无文章。</p>", "<article><div class='report-body'>未闭合。</article>",
                                  "<article>一</article><article><div class='report-body'>二</div></article>"])
def test_fast_body_text_leaves_unclear_pages_to_the_parser(html):
    assert fast_body_text(html) is None


def test_check_text_kept_failure_is_the_parsers_verdict():
    r = report(body="正文一句。\n")
    with pytest.raises(TextLossError, match="正文一句"):
        check_text_kept(r, "<article><!-- 正文一句。 --><div class='report-body'></div></article>")
    with pytest.raises(TextLossError, match="正文一句"):
        check_text_kept(r, "<p>正文一句。</p>")


# ----------------------------------------------------------------- front matter


@pytest.mark.parametrize("key, value", [("title", None), ("title", 2020), ("title", ""), ("slug", None),
                                        ("slug", ["a"]), ("slug", "Has Space"), ("slug", "../x"),
                                        ("slug", "苏州")])
def test_bad_title_or_slug_names_the_file(tmp_path, key, value):
    r = report(path="site_src/reports/bad.md", **{key: value})
    with pytest.raises(SourceError) as info:
        build(tmp_path, [r])
    assert str(info.value).startswith("site_src/reports/bad.md: ")
    assert key in str(info.value)
    assert not (tmp_path / "public").exists()


def test_missing_title_key(tmp_path):
    m = meta()
    del m["title"]
    with pytest.raises(SourceError, match=r"^site_src/reports/x\.md: front matter: title: expected"):
        build(tmp_path, [ReportFile(path="site_src/reports/x.md", meta=m, body="甲。\n", body_line=5)])


def test_duplicate_slug_names_both_files(tmp_path):
    a = report(path="site_src/reports/a.md", slug="same")
    b = report(path="site_src/reports/b.md", slug="same")
    with pytest.raises(SourceError) as info:
        build(tmp_path, [a, b])
    message = str(info.value)
    assert "site_src/reports/a.md" in message and "site_src/reports/b.md" in message
    assert "duplicate slug" in message


def test_yaml_dates_and_missing_optional_fields_render(tmp_path):
    import datetime

    m = {"title": "最简报告", "slug": "minimal", "delivered": datetime.date(2020, 1, 12),
         "scraped_at": datetime.datetime(2024, 1, 1, 8, 0)}
    out = build(tmp_path, [ReportFile(path="m.md", meta=m, body="甲。\n", body_line=4)])
    html = (out / "reports/minimal.html").read_text("utf-8")
    assert "2020年1月12日" in html and "2024-01-01T08:00:00" in html
    data = json.loads((out / "data/reports.json").read_text("utf-8"))
    assert data[0]["kind"] == "other" and data[0]["year"] is None and data[0]["scraped_at"] == "2024-01-01T08:00:00"


def test_hand_edited_body_without_ids(tmp_path):
    body = "各位代表：\n\n## 一、回顾\n\n第一段。\n\n{#own}\n第二段。\n"
    out = build(tmp_path, [report(body=body)])
    soup = BeautifulSoup((out / "reports/2020-suzhou-gwr.html").read_text("utf-8"), "html.parser")
    assert [t["id"] for t in soup.select(".report-body [id]")] == ["x-p1", "x-h1", "x-p2", "own"]
    assert re.search(r'href="#x-h1"', str(soup.find("nav", class_="toc")))


def test_base_url_only_feeds_canonical(tmp_path):
    out = build(tmp_path, [report()], base_url="https://example.org/my-repo")
    html = (out / "reports/2020-suzhou-gwr.html").read_text("utf-8")
    assert '<link rel="canonical" href="https://example.org/my-repo/reports/2020-suzhou-gwr.html">' in html
    assert 'href="../assets/style.css"' in html and 'href="../index.html"' in html


def test_symlinked_output_folder_keeps_its_link(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "public").symlink_to(real)
    build(tmp_path, [report()])
    assert (tmp_path / "public").is_symlink()
    assert (real / "index.html").is_file()


def test_bold_lead_renders_as_strong(tmp_path):
    out = build(tmp_path, [report()])
    soup = BeautifulSoup((out / "reports/2020-suzhou-gwr.html").read_text("utf-8"), "html.parser")
    assert soup.select_one("p#s1-p2 > strong").get_text() == "创新驱动发展战略深入实施。"
    assert "**" not in soup.select_one(".report-body").get_text()


def test_escapes_and_character_references_pass_the_check(tmp_path):
    body = ("{#p1}\n字面\\&amp;不是实体。&#92;*反斜杠。&#38;与&#42;号\\*\\_\\#\\{x\\}。\n\n"
            "{#p2}\n\\# 不是标题；\\- 不是列表；1\\. 不是编号。\n")
    out = build(tmp_path, [report(body=body)])
    text = BeautifulSoup((out / "reports/2020-suzhou-gwr.html").read_text("utf-8"), "html.parser") \
        .select_one(".report-body").get_text()
    assert "字面&amp;不是实体。" in text and "# 不是标题；- 不是列表；1. 不是编号。" in text


# ----------------------------------------------------------------- data files joined from each report's part (issue 5)


def test_indicator_data_files_joined_from_parts_equal_whole_dumps(tmp_path):
    import csv
    import io
    import json

    from builder.indicators.extract import format_number
    from builder.indicators.tables import ROW_FIELDS

    body = "{#p1}\n2019年地区生产总值增长6.5%，达到1.9万亿元。\n\n{#p2}\n一般公共预算收入2100亿元，增长5%。\n"
    reports = [report(), report(path="site_src/reports/b.md", slug="b", title="乙", body=body),
               report(path="site_src/reports/c.md", slug="c", title="丙", body="{#p1}\n没有数字的段落。\n")]
    out = build(tmp_path, reports)
    data = (out / "data/indicators.json").read_text("utf-8")
    rows = json.loads(data)
    assert rows and data == json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    buffer = io.StringIO()  # the CSV as csv.DictWriter wrote it before (issue 4)
    writer = csv.DictWriter(buffer, fieldnames=ROW_FIELDS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: ("" if v is None else format_number(v) if isinstance(v, float) else v)
                         for k, v in row.items()})
    assert (out / "data/indicators.csv").read_bytes() == ("\ufeff" + buffer.getvalue()).encode("utf-8")


def test_indicator_data_files_without_rows(tmp_path):
    out = build(tmp_path, [report(body="{#p1}\n没有数字的段落。\n")])
    assert (out / "data/indicators.json").read_text("utf-8") == "[]\n"


def test_reports_json_joined_from_parts_equals_whole_dump(tmp_path):
    import json

    reports = [report(), report(path="site_src/reports/b.md", slug="b", title="乙\"引号\"", year=2021),
               report(path="site_src/reports/c.md", slug="c", title="丙", body="{#p1}\n没有标题的段落。\n")]
    data = (build(tmp_path, reports) / "data/reports.json").read_text("utf-8")
    assert data == json.dumps(json.loads(data), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert [entry["slug"] for entry in json.loads(data)] == ["2020-suzhou-gwr", "c", "b"]  # index order


RESOLUTION_BODY = """\
{#p1}
会议听取和审议了市长所作的政府工作报告。会议同意报告提出的2020年工作安排。
"""


def test_documents_that_are_not_reports_are_listed_apart_on_the_home_page(tmp_path):
    resolution = report(RESOLUTION_BODY, slug="2020-suzhou-resolution", kind="other", genre="resolution",
                        title="苏州市第十六届人民代表大会第四次会议关于政府工作报告的决议")
    out = build(tmp_path, [report(), resolution])
    soup = BeautifulSoup((out / "index.html").read_text("utf-8"), "html.parser")
    browse = soup.select_one("section.browse")
    related = soup.select_one("section.related-documents")
    assert [a["href"] for a in browse.select(".year-links a")] == ["reports/2020-suzhou-gwr.html"]
    assert [a.get_text() for a in related.select("a")] == [resolution.meta["title"]]
    assert "决议" in related.select_one(".kind").get_text()
    assert "另有相关文件 1 份" in soup.select_one(".index-count").get_text()
    page = BeautifulSoup((out / "reports/2020-suzhou-resolution.html").read_text("utf-8"), "html.parser")
    assert page.select_one(".report-meta dd").get_text() == "决议"


def test_the_evidence_and_review_are_shown_escaped(tmp_path):
    evidence = {"year": {"value": "2020", "source": "metadata:year", "strength": "medium",
                         "text": "<script>alert(1)</script>", "against": ["2019 (clue:review-year)"]},
                "kind": {"value": "government_work_report", "source": "delegation", "strength": "strong",
                         "text": "我代表苏州市人民政府"}}
    out = build(tmp_path, [report(review="年份仅据元数据<b>推定</b>", evidence=evidence)])
    html = (out / "reports/2020-suzhou-gwr.html").read_text("utf-8")
    assert "<script>alert(1)</script>" not in html and "<b>推定</b>" not in html
    page = BeautifulSoup(html, "html.parser")
    assert "年份仅据元数据<b>推定</b>" in page.select_one("#page-review-note").get_text()
    rows = [[td.get_text() for td in tr.select("td")] for tr in page.select("#page-attribution tbody tr")]
    assert rows[0][:4] == ["年份", "2020", "元数据year", "中"]
    assert rows[1][:4] == ["类型", "政府工作报告", "报告人自述", "强"]
    note = next(dt.find_next_sibling("dd") for dt in page.select(".provenance dt") if dt.get_text() == "归属依据")
    assert note.get_text().startswith("类型据报告人自述；年份据元数据year。")
    index = BeautifulSoup((out / "index.html").read_text("utf-8"), "html.parser")
    assert index.select_one(".year-links .review").get_text() == "待核查"
    place = BeautifulSoup((out / "places/suzhou-320500.html").read_text("utf-8"), "html.parser")
    assert place.select_one(".report-item-meta .review").get_text() == "待核查"


def test_the_cleaning_log_counts_removed_lines_and_repairs_apart(tmp_path):
    log = [{"line": 3, "rule": "site-banner", "text": "网站首页 | 政务公开"},
           {"line": 9, "rule": "joined-line", "text": "预计实现地区生产总值"},
           {"line": 12, "rule": "zero-width", "text": "U+200D ×1"}]
    out = build(tmp_path, [report(cleaning_log=log)])
    page = BeautifulSoup((out / "reports/2020-suzhou-gwr.html").read_text("utf-8"), "html.parser")
    summary = page.select_one(".cleaning-log summary").get_text()
    assert "删除网页栏目等 1 行" in summary and "零宽字符 2 处" in summary
    assert len(page.select(".cleaning-log tbody tr")) == 3
    assert "删除网页栏目等内容 1 行，修复断行" in page.select_one(".print-provenance").get_text()


# ----------------------------------------------------------------- issue 14 (reading)


def test_summary_keeps_an_opening_paragraph_that_ends_in_a_colon():
    opening = "2019年是新中国成立70周年，全市上下坚持稳中求进工作总基调，主要做了以下工作："
    assert summarize(["各位代表：", "现在，我代表市人民政府，向大会报告工作，请予审议。", opening, "后文。"]) == opening
    assert summarize(["各位人大代表，各位政协委员和列席人员：", "过去一年，经济运行稳中有进。后文。"]) == (
        "过去一年，经济运行稳中有进。")
    inline = "过去一年，我们着力抓了以下工作：一是稳增长。二是促改革。"
    assert summarize([inline]) == "过去一年，我们着力抓了以下工作：一是稳增长。"


def test_sidebar_all_indicators_link_goes_to_the_reports_own_page(tmp_path):
    out = build(tmp_path, [report()])
    page = BeautifulSoup((out / "reports/2020-suzhou-gwr.html").read_text("utf-8"), "html.parser")
    link = page.select_one(".indicators-more a")
    assert link.get_text() == "全部指标"
    assert link["href"] == "../indicators/2020-suzhou-gwr.html"
    assert (out / "reports" / link["href"]).resolve() == (out / "indicators/2020-suzhou-gwr.html").resolve()


def test_every_page_links_the_favicon_and_it_is_published(tmp_path):
    out = build(tmp_path, [report()])
    for name in ("index.html", "reports/2020-suzhou-gwr.html", "indicators/index.html",
                 "indicators/2020-suzhou-gwr.html"):
        icon = BeautifulSoup((out / name).read_text("utf-8"), "html.parser").select_one('link[rel="icon"]')
        assert icon is not None, name
        target = ((out / name).parent / icon["href"]).resolve()
        assert target == (out / "assets/favicon.svg").resolve() and target.is_file(), name
    assert (out / "assets/favicon.svg").read_text("utf-8").startswith("<svg")
    # 404.html is served at any depth: an absolute path under site_url, else the icon inlined
    icon = BeautifulSoup((out / "404.html").read_text("utf-8"), "html.parser").select_one('link[rel="icon"]')
    assert icon["href"].startswith("data:image/svg+xml,%3Csvg")
    hosted = tmp_path / "hosted"
    render_site([report()], hosted, site_name="文库", base_url="https://user.github.io/my-repo")
    icon = BeautifulSoup((hosted / "404.html").read_text("utf-8"), "html.parser").select_one('link[rel="icon"]')
    assert icon["href"] == "/my-repo/assets/favicon.svg"
