"""Issue 14, reading: one page frame on every page type, justification that never spreads a Latin or
digit run, backlinks that read as places, the site's icon."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

REPORT = "reports/2020-suzhou-zfgzbg.html"

#: A report paragraph with a percentage and a Latin-digit run, long enough to wrap into justified lines.
SENTENCE = ("全市经济运行稳中有进，空气质量优良天数比例达95%以上，细颗粒物PM2.5平均浓度下降到每立方米三十微克，"
            "城镇新增就业超过十万人，居民收入稳步增长。")

_RUN_WIDTHS = """([text, runs]) => {
  const p = document.createElement('p');
  p.textContent = text;
  document.querySelector('.report-body').appendChild(p);
  const node = p.firstChild;
  const widths = (align) => {
    p.style.textAlign = align;
    return runs.map(run => { const at = text.indexOf(run); const r = document.createRange();
                             r.setStart(node, at); r.setEnd(node, at + run.length);
                             return r.getBoundingClientRect().width; });
  };
  const result = {align: getComputedStyle(p).textAlign};
  const out = [];
  for (const width of [300, 331, 347, 389, 412]) {
    p.style.width = width + 'px';
    const justified = widths('');
    const ragged = widths('start');
    p.style.textAlign = '';
    // the first line of the justified paragraph reaches the right edge: the text really is justified
    const first = document.createRange(); first.setStart(node, 0); first.setEnd(node, 1);
    const top = first.getClientRects()[0].top;
    let right = 0;
    for (let i = 0; i < text.length; i++) {
      const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
      const box = r.getClientRects()[0];
      if (box && Math.abs(box.top - top) < 2) right = Math.max(right, box.right);
    }
    const box = p.getBoundingClientRect();
    const pad = parseFloat(getComputedStyle(p).paddingRight);
    out.push({width, justified, ragged, flush: box.right - pad - right});
  }
  p.remove();
  result.runs = out;
  return result;
}"""


def test_justified_report_text_never_spreads_latin_or_digit_runs(open_page, server):
    page = open_page(server + REPORT).page
    text = SENTENCE * 3
    result = page.evaluate(_RUN_WIDTHS, [text, ["95%", "PM2.5"]])
    assert result["align"] == "justify"
    for row in result["runs"]:
        # the runs are as wide as set ragged (their glyphs adjacent, no added letter-spacing) ...
        for justified, ragged in zip(row["justified"], row["ragged"], strict=True):
            assert abs(justified - ragged) < 0.1, row
        # ... while the line is still justified: it ends flush with the column's right edge
        assert abs(row["flush"]) < 1, row


_FRAME = """() => {
  const box = sel => { const e = document.querySelector(sel); if (!e) return null;
                       const r = e.getBoundingClientRect(); return {left: r.left, right: r.right}; };
  const main = document.querySelector('main');
  const pad = parseFloat(getComputedStyle(main).paddingLeft);
  const first = main.firstElementChild.getBoundingClientRect();
  return {name: box('.site-header .site-name'), header: box('.site-header'), main: box('main'),
          footer: box('.site-footer'), content: box('main').left + pad, first: first.left,
          overflow: document.documentElement.scrollWidth - window.innerWidth};
}"""


@pytest.mark.parametrize("width", [1280, 375, 1600])
def test_one_page_frame_on_every_page_type(open_page, server, reports, width):
    """Header, main and footer share one box and one left edge on the home page, a report, the
    glossary, both indicators pages and the 404 page (at depth): the site name never jumps."""
    slug = reports[0]["slug"]
    names = ["index.html", reports[0]["url"], "glossary/index.html", "indicators/index.html",
             f"indicators/{slug}.html", "nope.html", "a/b/nope.html"]
    frames = {}
    for name in names:
        frame = open_page(server + name, width=width).page.evaluate(_FRAME)
        frames[name] = frame
        assert frame["overflow"] <= 0, (name, frame)
        for part in ("header", "footer"):  # one box: the same left and right edges as main
            assert abs(frame[part]["left"] - frame["main"]["left"]) < 0.5, (name, part, frame)
            assert abs(frame[part]["right"] - frame["main"]["right"]) < 0.5, (name, part, frame)
        # one left edge: the site name, and main's first block, start where main's content does
        assert abs(frame["name"]["left"] - frame["content"]) < 0.5, (name, frame)
        assert abs(frame["first"] - frame["content"]) < 0.5, (name, frame)
    home = frames["index.html"]
    for name, frame in frames.items():  # and the same frame on every page
        for key in ("header", "main", "footer"):
            assert frame[key] == pytest.approx(home[key], abs=0.5), (name, key, frame, home)
        assert frame["name"]["left"] == pytest.approx(home["name"]["left"], abs=0.5), name
