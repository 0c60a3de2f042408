"""The indicators markdown-it plugin and the indicator parts of a built site."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from bs4 import BeautifulSoup
from markdown_it import MarkdownIt

from builder.mdit.anchors import anchors_plugin
from builder.mdit.attrs import configure
from builder.mdit.indicators import indicators_plugin
from builder.render.report import PageSettings
from builder.render.site import render_site
from builder.sitesrc import parse_front_matter

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

BODY = """{#s1}
## 一、2019年工作回顾

{#s1-p1}
**经济发展。**预计实现地区生产总值1.93万亿元，增长6%。开通“12345”热线<b>。

{#s2}
## 二、2020年主要任务

{#s2-p1}
主要预期目标是：地区生产总值增长6%左右，城镇登记失业率控制在3%以内。
"""


def _md() -> MarkdownIt:
    return configure(MarkdownIt("commonmark", {"html": False})).use(anchors_plugin).use(indicators_plugin)


def test_figures_are_wrapped_and_reported_through_env():
    env = {"report_year": 2020, "report": "r"}
    html = _md().render(BODY, env)
    soup = BeautifulSoup(html, "html.parser")
    data = soup.select("data.indicator")
    assert [(d["value"], d.get_text()) for d in data] == [
        ("1930000000000", "1.93万亿元"), ("6", "增长6%左右"), ("3", "3%以内")]
    assert data[0].find_parent("p")["id"] == "s1-p1"
    assert [i.kind for i in env["indicators"]] == ["actual", "target", "target"]
    assert [i.year for i in env["indicators"]] == [2019, 2020, 2020]
    # nothing of the text is lost, scraped text stays escaped
    text = soup.get_text()
    assert "预计实现地区生产总值1.93万亿元，增长6%。" in text
    assert "&lt;b&gt;" in html and "<b>" not in html
    assert "12345" not in "".join(d.get_text() for d in data)


def test_sections_are_the_heading_titles_without_their_permalinks():
    env = {"report_year": 2020, "report": "r"}
    _md().render(BODY, env)
    assert [i.section for i in env["indicators"]] == ["一、2019年工作回顾", "二、2020年主要任务", "二、2020年主要任务"]
    md = (configure(MarkdownIt("commonmark", {"html": False})).use(anchors_plugin, permalink_symbol="#")
          .use(indicators_plugin, permalink_symbol="#"))
    other = {"report_year": 2020, "report": "r"}
    md.render(BODY, other)
    assert [i.section for i in other["indicators"]] == [i.section for i in env["indicators"]]


def test_built_site_sidebar_links_land_on_wrapped_figures():
    meta = (
        "---\ntitle: 2020年苏州市政府工作报告\nkind: government_work_report\nissuer: 苏州市人民政府\n"
        "place: 江苏省苏州市\nyear: 2020\nslug: r\n---\n"
    )
    report = parse_front_matter(meta + BODY, "site_src/reports/r.md")
    files, _ = render_site([report], PageSettings(site_name="x", templates_dir=TEMPLATES, indicator_count=2))
    again, _ = render_site([report], PageSettings(site_name="x", templates_dir=TEMPLATES, indicator_count=2))
    assert files == again  # deterministic
    page = BeautifulSoup(files["reports/r.html"].decode("utf-8"), "html.parser")
    links = page.select("#page-indicators tbody th a")
    assert len(links) == 2
    for link in links:
        target = page.find(id=link["href"][1:])
        assert target is not None and target.name == "data"
    rows = json.loads(files["data/indicators.json"])
    assert rows[0]["url"] == "reports/r.html#s1-p1" and rows[0]["value"] == "1.93万亿元"
    table = list(csv.DictReader(io.StringIO(files["data/indicators.csv"].decode("utf-8-sig"))))
    assert [r["span"] for r in table] == [r["span"] for r in rows]
    index = BeautifulSoup(files["indicators/index.html"].decode("utf-8"), "html.parser")
    assert len(index.select("#indicator-table tbody tr")) == 3
    assert {tr["data-kind"] for tr in index.select("#indicator-table tbody tr")} == {"actual", "target"}


def test_sidebar_count_zero_hides_the_sidebar():
    meta = "---\ntitle: t\nkind: other\nyear: 2020\nslug: r\n---\n"
    report = parse_front_matter(meta + BODY, "site_src/reports/r.md")
    files, _ = render_site([report], PageSettings(site_name="x", templates_dir=TEMPLATES, indicator_count=0))
    assert b'id="page-indicators"' not in files["reports/r.html"]
    assert b"<data " in files["reports/r.html"]


def test_growth_chart_on_government_work_reports_only():
    meta = ("---\ntitle: 2020年苏州市政府工作报告\nkind: government_work_report\nyear: 2020\nslug: r\n---\n")
    report = parse_front_matter(meta + BODY, "site_src/reports/r.md")
    files, _ = render_site([report], PageSettings(site_name="x", templates_dir=TEMPLATES))
    page = BeautifulSoup(files["reports/r.html"].decode("utf-8"), "html.parser")
    figure = page.find(id="page-growth-chart")
    svg = figure.find("svg")
    # not role="img": its bars are links (axe: nested-interactive), issue 6
    assert "role" not in svg.attrs and svg["aria-labelledby"] == "page-growth-chart-caption"
    assert [t.get_text() for t in svg.select("text.label")] == ["地区生产总值"]
    rows = [tr.get_text("|", strip=True) for tr in figure.select("tbody tr")]
    assert rows == ["地区生产总值|6%|（2019年）|6%左右|（2020年）"]
    ids = {tag["id"] for tag in page.find_all(id=True)}
    assert all(a["href"][1:] in ids for a in figure.select("a[href^='#']"))
    other = parse_front_matter(meta.replace("government_work_report", "npc_standing_committee_report") + BODY,
                               "site_src/reports/r.md")
    files, _ = render_site([other], PageSettings(site_name="x", templates_dir=TEMPLATES))
    assert b"page-growth-chart" not in files["reports/r.html"]


# ----------------------------------------------------------------- wrapping: one pass per text child


def _wrap_one_by_one(inline, items):
    """The figures wrapped one at a time from the last back, each split of a text token taking
    the text before the later figure (how the plugin first did it): the reference."""
    from markdown_it.token import Token

    def opening(item):
        return Token("indicator_open", "data", 1, attrs={"class": "indicator", "id": item.id,
                                                         "value": item.data_value, "data-kind": item.kind})

    children = inline.children
    pieces, text, depth = [], "", 0
    for n, child in enumerate(children):
        if child.type == "link_open":
            depth += 1
        elif child.type == "link_close":
            depth -= 1
        elif child.type == "text" and depth == 0:
            pieces.append((n, len(text)))
            text += child.content
    replacements, wrapped = {}, set()
    for item in sorted(items, key=lambda i: i.start, reverse=True):
        if (item.start, item.end) in wrapped:
            continue
        wrapped.add((item.start, item.end))
        for n, offset in pieces:
            content = children[n].content
            if offset <= item.start and item.end <= offset + len(content):
                head, *rest = replacements.get(n) or [children[n]]
                start, end, c = item.start - offset, item.end - offset, head.content
                new = [Token("text", "", 0, content=c[:start])] if c[:start] else []
                new += [opening(item), Token("text", "", 0, content=c[start:end]),
                        Token("indicator_close", "data", -1)]
                if c[end:]:
                    new.append(Token("text", "", 0, content=c[end:]))
                replacements[n] = new + rest
                break
    return [t for n, child in enumerate(children) for t in replacements.get(n, [child])]


def test_wrapping_figures_matches_wrapping_them_one_by_one(monkeypatch):
    import random
    from itertools import pairwise

    import builder.mdit.indicators as plugin
    from builder.indicators.extract import Indicator

    rng = random.Random(4)
    text = "地区生产总值1.93万亿元，增长6%左右，投资增长7%。"
    spans: list[tuple[int, int]] = []

    def fake_extract(joined, anchor, context=None):
        return [Indicator(label=f"x{n}", value="v", value_normalized=n, unit_normalized="元", change=None,
                          change_unit=None, qualifier=None, kind="actual", year=2019, anchor=anchor,
                          span=joined[a:b], start=a, end=b) for n, (a, b) in enumerate(spans)]

    monkeypatch.setattr(plugin, "paragraph_indicators", fake_extract)  # (no memo: each round its own spans)
    before_wrapping = configure(MarkdownIt("commonmark", {"html": False})).use(anchors_plugin)
    for _ in range(400):  # adjacent, repeated, overlapping, whole-text and markup-crossing spans
        cuts = sorted(rng.sample(range(len(text) + 1), 6))
        spans[:] = [(a, b) for a, b in pairwise(cuts) if a < b and rng.random() < 0.7]
        spans += [(a, min(len(text), a + rng.randrange(1, 5))) for a, _ in spans if rng.random() < 0.3]
        rng.shuffle(spans)
        for body in (text, f"**{text[:9]}**{text[9:]}", f"{text[:9]}\n{text[9:]}"):
            source = "{#p1}\n" + body
            ours = _md().parse(source, {"report_year": 2020, "report": "r"})[1].children
            inline = before_wrapping.parse(source, {})[1]
            joined = "".join(c.content for c in inline.children if c.type == "text")[:-1]  # without the ¶
            reference = _wrap_one_by_one(inline, fake_extract(joined, "p1"))
            assert [(t.type, t.content, t.attrs) for t in ours] == [(t.type, t.content, t.attrs) for t in reference]


def test_a_paragraph_read_again_is_not_extracted_again(monkeypatch):
    """A report rendered again in the same process (``builder serve`` after an edit) reads only
    its changed paragraphs; the page and the indicators are those of a first reading."""
    import builder.mdit.indicators as plugin
    from builder.text import segment

    read: list[str] = []
    real = plugin.extract_paragraph
    monkeypatch.setattr(plugin, "extract_paragraph", lambda text, anchor, context: (
        read.append(anchor), real(text, anchor, context))[1])
    plugin.forget_extracted()
    first_env: dict = {"report_year": 2020, "report": "r"}
    _md().render(BODY, first_env)
    assert read and first_env["indicators"]
    edited = BODY.replace("以内。", "以内，居民收入增长6%。", 1)
    assert edited != BODY
    read.clear()
    again_env: dict = {"report_year": 2020, "report": "r"}
    with segment.recorded_cuts() as cut_again:
        again = _md().render(edited, again_env)
    assert read == ["s2-p1"]  # the edited paragraph only
    plugin.forget_extracted()
    fresh_env: dict = {"report_year": 2020, "report": "r"}
    with segment.recorded_cuts() as cut_fresh:
        assert _md().render(edited, fresh_env) == again
    assert fresh_env["indicators"] == again_env["indicators"]
    assert cut_fresh and set(cut_fresh) <= set(cut_again)  # a hit notes the texts its extraction cut
