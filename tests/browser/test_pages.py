"""Every page loads cleanly from a server under a sub-path; navigation, keyboard, phone layout."""

from __future__ import annotations

import re

import pytest
from browser_support import PREFIX  # type: ignore[import-not-found]

pytestmark = pytest.mark.browser

REPORT = "reports/2020-suzhou-zfgzbg.html"


def test_every_page_loads_without_errors_under_a_sub_path(open_page, server, pages, reports):
    assert "index.html" in pages and len([p for p in pages if p.startswith("reports/")]) == len(reports) >= 2
    for name in pages:
        watched = open_page(server + name)
        page = watched.page
        assert page.evaluate("document.styleSheets.length") >= 1, name
        assert page.evaluate("getComputedStyle(document.body).fontFamily").find("Noto") >= 0, name
        assert watched.problems == [], f"{name}: {watched.problems}"
        # the header nav links the index, the glossary and the indicators, relative to the page
        nav = page.eval_on_selector_all(".site-nav a", "links => links.map(a => a.href)")
        assert nav == [server + "index.html", server + "glossary/index.html", server + "indicators/index.html"]


def test_404_page_renders_fully_at_any_depth(open_page, server):
    for missing in ("nope.html", "reports/nope.html", "a/b/c/d/nope/"):
        watched = open_page(server + missing)
        page = watched.page
        assert page.title().startswith("页面不存在")
        assert page.evaluate("getComputedStyle(document.querySelector('.site-name')).fontWeight") == "700"
        document_404 = (f"HTTP 404: {server + missing}",
                        "console: Failed to load resource: the server responded with a status of 404 (Not Found)")
        assert [p for p in watched.problems if p not in document_404] == []  # styles, scripts: all loaded
        home = page.get_by_role("link", name="返回报告列表")
        assert home.get_attribute("href") == PREFIX + "index.html"
        home.click()
        page.wait_for_url(server + "index.html")
        assert page.locator("h1").inner_text() == "政府工作报告读本"


def test_previous_and_next_report_links(open_page, server, reports):
    first, second = reports[0], reports[1]
    page = open_page(server + first["url"]).page
    assert page.locator(".report-pager a[rel=prev]").count() == 0
    page.locator(".report-pager a[rel=next]").click()
    page.wait_for_url(server + second["url"])
    page.locator(".report-pager a[rel=prev]").click()
    page.wait_for_url(server + first["url"])


def test_toc_link_highlight_and_permalink_copy(open_page, server):
    watched = open_page(server + REPORT, permissions=("clipboard-read", "clipboard-write"))
    page = watched.page
    toc = page.locator("#page-toc")
    assert toc.locator("details").evaluate("d => d.open"), "the contents are open on wide screens"
    assert toc.evaluate("n => getComputedStyle(n).position") == "sticky"
    link = toc.locator("a").nth(3)
    target = link.get_attribute("href")[1:]
    link.click()
    page.wait_for_url(re.compile(f"#{target}$"))
    top = page.locator(f"[id='{target}']").evaluate("h => h.getBoundingClientRect().top")
    assert 0 <= top < 200
    page.wait_for_function(f"document.querySelector('#page-toc a[aria-current]') && "
                           f"document.querySelector('#page-toc a[aria-current]').getAttribute('href') === '#{target}'")
    assert toc.is_visible()  # sticky: still on screen after scrolling down

    paragraph = page.locator(".report-body p[id]").nth(5)
    pid = paragraph.get_attribute("id")
    paragraph.hover()
    paragraph.locator("a.permalink").click()
    page.wait_for_url(re.compile(f"#{pid}$"))
    page.wait_for_function("document.getElementById('copy-status').textContent !== ''")
    assert page.locator("#copy-status").inner_text() == "已复制本段链接"
    assert page.evaluate("navigator.clipboard.readText()") == server + REPORT + "#" + pid
    assert watched.problems == []


def test_keyboard_skip_link_and_visible_focus(open_page, server):
    page = open_page(server + REPORT).page
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("document.activeElement.getBoundingClientRect().top") >= 0  # shown when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "page-main"
    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
            return {tag: e.tagName, text: (e.textContent || '').trim().slice(0, 20),
                    outline: s.outlineStyle, width: parseFloat(s.outlineWidth),
                    inView: e.getBoundingClientRect().bottom > 0 && e.getBoundingClientRect().top < innerHeight}; }""")
        assert focused["tag"] != "BODY", f"focus lost after {seen}"
        assert focused["outline"] != "none" and focused["width"] >= 2, f"no visible focus on {focused}"
        assert focused["inView"], f"focused element off screen: {focused}"
        seen.append(focused["text"])
    assert "目录" in seen or any(t.startswith("一、") for t in seen), seen  # reached the contents


def test_phone_layout_single_column_no_horizontal_scroll(open_page, server, pages, artifacts):
    for name in pages:
        page = open_page(server + name, width=360, height=740).page
        width = page.evaluate("document.documentElement.scrollWidth")
        wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > 361)
            .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 8)""")
        assert width <= 360, f"{name}: horizontal scroll ({width}px wide at 360px): {wide}"
    page = open_page(server + REPORT, width=360, height=740).page
    assert not page.locator(".toc-details").evaluate("d => d.open"), "contents folded on phones"
    assert not page.locator(".indicators-details").evaluate("d => d.open")
    body = page.locator(".report-body").bounding_box()
    toc = page.locator("#page-toc").bounding_box()
    assert toc["y"] + toc["height"] <= body["y"], "one column: the contents above the text"
    assert body["width"] > 300
    page.locator(".toc-details > summary").click()
    assert page.locator(".toc-details").evaluate("d => d.open")
    page.locator(".toc-details > summary").click()
    page.screenshot(path=str(artifacts / "report-phone.png"), full_page=False)


def test_no_layout_shift_while_loading(open_page, server):
    page = open_page(server + REPORT).page
    shift = page.evaluate("""() => new Promise(resolve => {
        let total = 0;
        new PerformanceObserver(list => {
            for (const e of list.getEntries()) { if (!e.hadRecentInput) total += e.value; }
        })
            .observe({type: 'layout-shift', buffered: true});
        setTimeout(() => resolve(total), 500);
    })""")
    assert shift < 0.05


def test_screenshots(open_page, server, artifacts):
    page = open_page(server + REPORT, width=1280, height=1400).page
    page.screenshot(path=str(artifacts / "report-desktop.png"))
    page = open_page(server + REPORT, width=1280, height=1000, color_scheme="dark").page
    page.screenshot(path=str(artifacts / "report-desktop-dark.png"))
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(27, 26, 24)"
    page = open_page(server + "index.html", width=1280, height=900).page
    page.screenshot(path=str(artifacts / "index-desktop.png"))


def test_indicator_page_filters_by_kind(open_page, server):
    """A report's own indicators page (issue 4): the kind filter hides the other rows."""
    page = open_page(server + "indicators/2020-suzhou-zfgzbg.html").page
    rows = page.locator("#indicator-table tbody tr")
    total = rows.count()
    assert total > 0
    assert page.locator("#indicator-filter select[name=report]").count() == 0
    page.select_option("#indicator-filter select[name=kind]", "target")
    visible = page.locator("#indicator-table tbody tr:not([hidden])")
    shown = visible.count()
    assert 0 < shown < total
    assert all(visible.nth(i).get_attribute("data-kind") == "target" for i in range(shown))
    assert page.locator("#indicator-filter output").inner_text() == f"{shown} 项"
