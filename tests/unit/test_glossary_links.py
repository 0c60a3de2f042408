"""builder.mdit.glossary_links: term links, their placement, the policies, the recorded occurrences."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixture_file import fixture_params
from markdown_it import MarkdownIt

from builder.glossary.terms import parse_glossary
from builder.mdit.anchors import anchors_plugin
from builder.mdit.attrs import configure
from builder.mdit.glossary_links import glossary_links_plugin

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "glossary_links.md"

GLOSSARY_YAML = """\
- id: sgys
  term: 四个意识
  definition: 四种意识。
  gloss: Four Consciousnesses
- id: ys
  term: 意识
  definition: 觉察。
  gloss: consciousness
- id: fgf
  term: 放管服
  aliases: [简政放权、放管结合、优化服务, 简政放权放管结合优化服务]
  definition: 简政放权 & "放管" <服>。
  gloss: delegate, regulate, serve
- id: ssj
  term: 双随机、一公开
  definition: 随机抽查。
  gloss: two randoms, one disclosure
- id: n331
  term: "331"
  definition: 专项行动。
  gloss: the 331 campaign
- id: pr
  term: P+R
  definition: 停车换乘。
  gloss: Park and Ride
- id: hot
  term: "12345"
  definition: 热线。
  gloss: hotline
"""
GLOSSARY = parse_glossary(GLOSSARY_YAML, "test.yaml")


def render(text: str, policy: str = "first-per-section") -> tuple[str, dict]:
    md = configure(MarkdownIt("commonmark", {"html": False})).use(anchors_plugin).use(
        glossary_links_plugin, glossary=GLOSSARY, policy=policy)
    env: dict = {}
    return md.render(text, env), env


def _policy(title: str) -> str:
    return title[1:title.index("]")] if title.startswith("[") else "first-per-section"


@pytest.mark.parametrize("case", fixture_params(FIXTURES))
def test_fixture(case) -> None:
    html, _ = render(case.input, policy=_policy(case.title))
    assert html.rstrip() == case.expected.rstrip()


def test_every_occurrence_is_recorded_whatever_the_policy() -> None:
    text = "{#s1}\n## 一、放管服\n\n{#s1-p1}\n放管服，放管服。\n\n{#s2}\n## 二\n\n{#s2-p1}\n放管服与[放管服](x)。"
    for policy, linked in (("first-per-section", [True, False, False, True]),
                           ("first-per-page", [True, False, False, False]),
                           ("every", [True, True, True, True])):
        _, env = render(text, policy=policy)
        assert env["glossary_occurrences"] == [
            {"term": "fgf", "anchor": a, "linked": is_link}
            for a, is_link in zip(["s1", "s1-p1", "s1-p1", "s2-p1"], linked, strict=True)
        ], policy
        assert env["glossary_terms"] == ["fgf"]


def test_occurrences_without_explicit_ids_use_generated_anchors() -> None:
    _, env = render("放管服。\n\n## 放管服\n\nP+R。")
    assert [(o["term"], o["anchor"]) for o in env["glossary_occurrences"]] == [
        ("fgf", "x-p1"), ("fgf", "x-h1"), ("pr", "x-p2")]


def test_unknown_policy_is_refused() -> None:
    with pytest.raises(ValueError, match="policy must be one of"):
        MarkdownIt().use(glossary_links_plugin, glossary=GLOSSARY, policy="sometimes")


def test_links_add_markup_not_text() -> None:
    from builder.mdit.anchors import plain_text

    md = configure(MarkdownIt("commonmark", {"html": False})).use(glossary_links_plugin, glossary=GLOSSARY)
    text = "增强“四个意识”，推行“双随机、一公开”，建设P+R，拨打12345。"
    inline = md.parse(text)[1]
    assert plain_text(inline) == text
    assert sum(1 for c in inline.children if c.type == "link_open") == 4


def test_custom_href_and_no_describedby() -> None:
    md = MarkdownIt("commonmark").use(glossary_links_plugin, glossary=GLOSSARY, href="../glossary/index.html",
                                      describedby_prefix=None)
    html = md.render("放管服")
    assert 'href="../glossary/index.html#fgf"' in html and "aria-describedby" not in html


def test_glossary_backlinks_read_as_section_title_and_paragraph_number(tmp_path: Path) -> None:
    """Issue 14: a backlink's text is where the term stands ("一、2019年工作回顾 · 第2段"), not its id."""
    from bs4 import BeautifulSoup

    from builder.build.scheduler import build_output
    from builder.core.model import ReportFile
    from builder.render.report import PageSettings

    body = ("{#p1}\n简政放权、放管结合、优化服务开局良好。\n\n{#s3}\n## 一、2019年工作回顾\n\n"
            "{#s3-p1}\n经济平稳。\n\n{#s3-p2}\n深化放管服改革。\n\n{#s3-1}\n### 1.营商环境更优。\n\n"
            "{#s3-1-p1}\n推行双随机、一公开监管。\n")
    meta = {"title": "2020年某市政府工作报告", "kind": "government_work_report", "year": 2020,
            "slug": "r-2020", "issuer": "某市人民政府", "place": "某省某市"}
    templates = Path(__file__).resolve().parents[2] / "templates"
    out = tmp_path / "public"
    build_output([ReportFile(path="site_src/reports/r-2020.md", meta=meta, body=body, body_line=10)],
                 PageSettings(templates_dir=templates, site_name="文库", glossary=GLOSSARY), out)
    page = BeautifulSoup((out / "glossary/index.html").read_text("utf-8"), "html.parser")
    links = {a["href"]: a.get_text() for a in page.select("#fgf .backlinks a")}
    assert links == {"../reports/r-2020.html#p1": "开头 · 第1段",
                     "../reports/r-2020.html#s3-p2": "一、2019年工作回顾 · 第2段"}
    assert [a.get_text() for a in page.select("#ssj .backlinks a")] == ["1.营商环境更优 · 第1段"]
    assert '"anchor": "s3-p2"' in (out / "data/glossary.json").read_text("utf-8")  # the data keeps the ids
