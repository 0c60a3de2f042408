"""Issue 12, search: the search box over the Pagefind index, in Debian's Chromium, on a site built
from the bundled page and ../shared/corpus and served under a sub-path (/sub/); and from file://.

The corpus site is built once for this module (ingest, render, index: about 15 s)."""

from __future__ import annotations

import http.server
import shutil
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from browser_support import REPO
from shared_corpus import CORPUS

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not (CORPUS / "manifest.yaml").exists(), reason=f"no shared corpus at {CORPUS}")]

SUB = "/sub/"
REPORT = "reports/2020-suzhou-zfgzbg.html"
SCREENSHOT = REPO / "docs" / "screenshot-search.png"


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory) -> Path:
    """The output folder of the bundled page + the corpus, with its search index."""
    from builder.build.search_index import update_search_index
    from builder.commands.build import build_site
    from builder.core.config import load_config

    folder = tmp_path_factory.mktemp("corpus-site")
    scraped = folder / "scraped"
    scraped.mkdir()
    for page in [*sorted((REPO / "site_src" / "scraped").iterdir()), *sorted(CORPUS.iterdir())]:
        if page.suffix in (".txt", ".csv", ".html", ".json", ".jsonl") and page.is_file():
            shutil.copy(page, scraped / page.name)
    (folder / "config.yaml").write_text(
        f"paths:\n  scraped: scraped\n  reports: reports\n  templates: {REPO / 'templates'}\n"
        f"  output: public\n  cache: cache\n  glossary: {REPO / 'site_src' / 'glossary.yaml'}\n", encoding="utf-8")
    config = load_config(folder / "config.yaml")
    build_site(config, say=lambda *a, **k: None)
    result = update_search_index(config, strict=True)
    assert result.ran and result.pages > 60, result
    return config.output_dir


@pytest.fixture(scope="module")
def sub_server(corpus_site):
    """The corpus site under http://127.0.0.1:PORT/sub/ (nothing is served outside /sub/)."""
    root = corpus_site

    class Handler(http.server.SimpleHTTPRequestHandler):
        def translate_path(self, path: str) -> str:
            path = unquote(urlsplit(path).path)
            if not path.startswith(SUB):
                return str(root / ".outside" / "missing")
            return str(root / path[len(SUB):])

        def log_message(self, *args) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}{SUB}"
    httpd.shutdown()
    httpd.server_close()


def search(page, query: str) -> list[dict]:
    """Type ``query`` into the header's box, press Enter and read the results: for each, its title
    link, its meta line and its paragraph links (href as written and resolved, text)."""
    page.fill("#site-search-input", query)
    page.press("#site-search-input", "Enter")
    return read_results(page)


def read_results(page) -> list[dict]:
    page.wait_for_function("""() => {
        const s = document.getElementById('site-search-status').textContent;
        if (!s || s.startsWith('正在')) return false;
        return s.startsWith('没有') || document.querySelectorAll('#site-search-list > li').length > 0;
    }""", timeout=30000)
    return page.evaluate("""() => Array.from(document.querySelectorAll('#site-search-list > li')).map(li => ({
        title: li.querySelector('.search-result-title a').textContent,
        titleHref: li.querySelector('.search-result-title a').href,
        meta: (li.querySelector('.search-result-meta') || {}).textContent || '',
        paragraphs: Array.from(li.querySelectorAll('.search-paragraph')).map(a => ({
            href: a.getAttribute('href'), url: a.href, text: a.textContent,
            marked: Array.from(a.querySelectorAll('mark')).map(m => m.textContent)}))}))""")


def element_text(site: Path, url: str, base: str) -> str | None:
    """The text of the element a result links to (``url``: resolved, under ``base``), from the
    built page on disk; None when the page has no such id."""
    from bs4 import BeautifulSoup

    path, _, anchor = url.partition("#")
    assert path.startswith(base), f"{url} is outside {base}"
    soup = BeautifulSoup((site / path[len(base):]).read_text(encoding="utf-8"), "lxml")
    element = soup.find(id=unquote(anchor))
    return None if element is None else element.get_text()


def test_a_glossary_term_finds_its_entry_first_then_paragraph_anchors_that_exist(open_page, sub_server,
                                                                                  corpus_site):
    watched = open_page(sub_server + REPORT)
    results = search(watched.page, "放管服")
    assert results, "放管服 found nothing"
    first = results[0]
    assert first["titleHref"] == sub_server + "glossary/index.html#fangguanfu"
    assert "放管服" in first["title"]
    reports = results[1:]
    assert len(reports) >= 3
    for result in reports:
        assert result["titleHref"].startswith(sub_server + "reports/")
        assert result["paragraphs"], result
        assert any(ch.isdigit() for ch in result["meta"]), result  # place · year
        for paragraph in result["paragraphs"]:
            assert paragraph["href"].startswith("../reports/") and "#" in paragraph["href"], paragraph
            target = element_text(corpus_site, paragraph["url"], sub_server)
            assert target is not None, f"{paragraph['url']}: no such anchor on the page"
            assert "放管服" in target, f"{paragraph['url']} does not hold 放管服"
            assert paragraph["marked"] and all(m == "放管服" for m in paragraph["marked"])
    # following a result lands on the paragraph, under the sub-path
    link = reports[0]["paragraphs"][0]
    watched.page.click(f'#site-search-list a[href="{link["href"]}"]')
    watched.page.wait_for_url(link["url"])
    assert watched.page.evaluate("location.hash") == "#" + link["url"].split("#")[1]
    assert watched.problems == []


def test_a_term_with_punctuation_is_found_with_or_without_it(open_page, sub_server, corpus_site):
    watched = open_page(sub_server + REPORT)
    with_mark = search(watched.page, "双随机、一公开")
    without = search(watched.page, "双随机一公开")
    assert with_mark and with_mark == without
    assert with_mark[0]["titleHref"].endswith("glossary/index.html#shuangsuiji-yigongkai")
    paragraphs = [p for result in with_mark[1:] for p in result["paragraphs"]]
    assert len(paragraphs) >= 4
    for paragraph in paragraphs:
        text = element_text(corpus_site, paragraph["url"], sub_server)
        assert text is not None and ("双随机、一公开" in text or "双随机一公开" in text), paragraph["url"]
    assert any("双随机、一公开" in p["marked"] for p in paragraphs)
    assert watched.problems == []


def test_an_alias_finds_the_entry_and_its_paragraphs(open_page, sub_server, corpus_site):
    watched = open_page(sub_server + REPORT)
    results = search(watched.page, "中央八项规定")  # an alias of 八项规定
    assert results[0]["titleHref"].endswith("glossary/index.html#baxiang-guiding")
    by_term = search(watched.page, "八项规定")
    assert [r["titleHref"] for r in results] == [r["titleHref"] for r in by_term]
    assert watched.problems == []


@pytest.mark.parametrize("query, term_id", [("放管服", "fangguanfu"), ("双随机一公开", "shuangsuiji-yigongkai"),
                                             ("乡村振兴战略", "xiangcun-zhenxing")])
def test_a_term_finds_exactly_the_paragraphs_where_the_glossary_found_it(open_page, sub_server, corpus_site,
                                                                        query, term_id):
    """The glossary's own matching (words, not substrings) decides: data/glossary.json lists every
    occurrence; the results are those paragraphs, report by report (each result shows three
    and says how many more)."""
    import json

    [entry] = [e for e in json.loads((corpus_site / "data" / "glossary.json").read_text(encoding="utf-8"))
               if e["id"] == term_id]
    expected: dict[str, set[str]] = {}
    for occurrence in entry["occurrences"]:
        expected.setdefault(occurrence["report"], set()).add(occurrence["anchor"])
    watched = open_page(sub_server + REPORT)
    page = watched.page
    search(page, query)
    while page.is_visible("#site-search-more"):
        count = page.locator("#site-search-list > li").count()
        page.click("#site-search-more")
        page.wait_for_function(f"document.querySelectorAll('#site-search-list > li').length > {count}")
    found = page.evaluate("""() => Array.from(document.querySelectorAll('#site-search-list > li')).slice(1).map(li => ({
        url: li.querySelector('.search-result-title a').getAttribute('href'),
        anchors: Array.from(li.querySelectorAll('.search-paragraph')).map(a => a.getAttribute('href').split('#')[1]),
        more: ((li.querySelector('.search-result-more') || {}).textContent || '').replace(/\\D/g, '')}))""")
    got = {item["url"].split("/")[-1].removesuffix(".html"): item for item in found}
    assert set(got) == set(expected)
    for slug, item in got.items():
        assert set(item["anchors"]) <= expected[slug]
        assert len(item["anchors"]) + int(item["more"] or 0) == len(expected[slug]), slug


def test_filtering_by_year_then_by_region_narrows_the_results(open_page, sub_server):
    watched = open_page(sub_server + REPORT)
    page = watched.page
    everything = search(page, "改革")
    status = page.inner_text("#site-search-status")
    total = int(status.split("：")[1].split(" ")[0])
    assert total > 20
    page.select_option("select[data-filter='年份']", "2018")
    in_2018 = read_results(page)
    status = page.inner_text("#site-search-status")
    assert 0 < int(status.split("：")[1].split(" ")[0]) < total
    assert in_2018 and all(r["meta"].endswith("2018年") for r in in_2018), in_2018
    assert len(everything) >= len(in_2018)
    # 地区: a province, then a city under it
    page.select_option("select[data-filter='年份']", "")
    read_results(page)
    page.select_option("select[data-filter='地区']", "内蒙古自治区")
    province = read_results(page)
    assert province and all(r["meta"].startswith("内蒙古自治区") for r in province)
    options = page.eval_on_selector_all("select[data-filter='地区'] option", "os => os.map(o => o.value)")
    assert "内蒙古自治区 › 呼伦贝尔市" in options
    page.select_option("select[data-filter='地区']", "内蒙古自治区 › 呼伦贝尔市 › 海拉尔区")
    county = read_results(page)
    assert county and all(r["meta"].startswith("内蒙古自治区呼伦贝尔市海拉尔区") for r in county)
    page.select_option("select[data-filter='层级']", "全国")  # no report is both
    assert read_results(page) == []
    assert "没有找到" in page.inner_text("#site-search-status")
    labels = page.eval_on_selector_all("#site-search-filters label", "ls => ls.map(l => l.textContent)")
    assert labels == ["年份", "地区", "层级", "类别", "发布机关"]
    assert watched.problems == []


def test_the_box_is_labelled_and_keyboard_operable(open_page, sub_server):
    watched = open_page(sub_server + "index.html")
    page = watched.page
    box = page.get_by_role("searchbox", name="搜索")
    box.focus()
    page.keyboard.type("放管服")
    page.keyboard.press("Enter")
    read_results(page)
    page.keyboard.press("Tab")  # the search button, then into the results
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('#site-search-results') !== null")
    assert focused
    box.focus()
    page.keyboard.press("Escape")
    assert page.is_hidden("#site-search-results")
    assert watched.problems == []


def test_from_file_the_box_says_search_needs_serve_or_the_published_site(open_page, corpus_site):
    watched = open_page((corpus_site / REPORT).as_uri())
    page = watched.page
    note = page.locator("#site-search-note")
    assert note.is_hidden()
    page.fill("#site-search-input", "放管服")
    page.press("#site-search-input", "Enter")
    assert note.is_visible()
    text = note.inner_text()
    assert "builder serve" in text and "\n" not in text.strip()
    assert page.evaluate("location.protocol") == "file:"  # the form did not navigate away
    assert page.is_hidden("#site-search-results")
    assert watched.problems == []


def test_screenshot_of_a_search_for_fangguanfu(open_page, sub_server):
    """docs/screenshot-search.png, for the README (1280×800)."""
    watched = open_page(sub_server + REPORT, width=1280, height=800)
    search(watched.page, "放管服")
    watched.page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 10_000


def test_a_missing_index_is_said_in_one_line(open_page, sub_server):
    """A site published without pagefind/ (or a failed index): the box says so, nothing hangs."""
    watched = open_page(sub_server + "index.html")
    page = watched.page
    page.route("**/pagefind/pagefind.js", lambda route: route.fulfill(status=404, body="missing"))
    page.fill("#site-search-input", "放管服")
    page.press("#site-search-input", "Enter")
    note = page.locator("#site-search-note")
    note.wait_for(state="visible")
    assert "搜索索引无法加载" in note.inner_text() and "builder build" in note.inner_text()
    page.wait_for_function("document.getElementById('site-search-status').textContent.startsWith('搜索出错')")


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation_in_the_open_results(open_page, sub_server, color_scheme):
    from browser_support import AXE, require

    require(AXE.is_file(), "axe-core (node_modules/axe-core/axe.min.js)")
    watched = open_page(sub_server + REPORT, color_scheme=color_scheme)
    search(watched.page, "放管服")
    watched.page.add_script_tag(path=str(AXE))
    result = watched.page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    bad = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:5]]}" for v in result["violations"]
           if v["impact"] in ("serious", "critical")]
    assert not bad, "\n".join(bad)
