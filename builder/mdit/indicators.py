"""A markdown-it plugin: wrap every extracted figure in ``<data value="…">``.

Use after the anchors plugin (it needs every paragraph's id)::

    md = MarkdownIt("commonmark").use(attrs_block_plugin).use(anchors_plugin).use(indicators_plugin)
    env = {"report_year": 2020, "report": "2020-suzhou-zfgzbg"}
    html = md.render(text, env)
    env["indicators"]   # [Indicator, ...] in document order

For each paragraph the rule joins the text of its inline children (the permalink the
anchors plugin appended is skipped), runs :func:`builder.indicators.extract.extract_paragraph`
with the headings above it as context, and splits the ``text`` token that holds each
figure's span into ``text / <data …> / text / </data> / text``.  A span that crosses
markup (rare: half in a bold lead-in) stays unwrapped but is still reported.  Nothing of
the text is dropped or changed; the attribute values are escaped.

Side results travel back through ``env``, never module state.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping, Sequence
from functools import lru_cache
from html import escape
from itertools import pairwise

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererProtocol
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from markdown_it.utils import OptionsDict

from builder.indicators.extract import Context, Indicator, extract_paragraph
from builder.mdit.anchors import PERMALINK_SYMBOL, heading_level, plain_text
from builder.mdit.text_runs import text_outside_links
from builder.text.segment import note_cuts, recorded_cuts


def indicators_plugin(md: MarkdownIt, *, permalink_symbol: str = PERMALINK_SYMBOL) -> None:
    """Add the ``indicators`` core rule at the end of the core chain, and the renderers of its
    ``<data>`` tokens.

    :param permalink_symbol: the permalink text the anchors plugin gave headings (dropped from
        their titles).
    """

    def _rule(state: StateCore) -> None:
        _indicators(state, permalink_symbol)

    md.core.ruler.push("indicators", _rule)
    md.add_render_rule("indicator_open", _render_open)
    md.add_render_rule("indicator_close", _render_close)


def _render_open(self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict,
                 env: MutableMapping[str, object]) -> str:
    return "<data" + "".join([f' {_escape(str(k))}="{_escape(str(v))}"' for k, v in tokens[idx].attrs.items()]) + ">"


def _render_close(self: RendererProtocol, tokens: Sequence[Token], idx: int, options: OptionsDict,
                  env: MutableMapping[str, object]) -> str:
    return "</data>"


_SPECIAL = re.compile("[&<>\"']")


def _escape(text: str) -> str:
    """``html.escape(text)``, with a quick look first: most values need nothing escaped."""
    return escape(text) if _SPECIAL.search(text) else text


def _indicators(state: StateCore, permalink_symbol: str) -> None:
    tokens = state.tokens
    year = state.env.get("report_year")
    base = Context(report_year=year if isinstance(year, int) else None, report=str(state.env.get("report", "")))
    headings: list[tuple[int, str]] = []
    found: list[Indicator] = []
    for index, token in enumerate(tokens):
        inline = tokens[index + 1] if index + 1 < len(tokens) else None
        if inline is None or inline.type != "inline":
            continue
        if token.type == "heading_open":
            level = heading_level(token)
            title = plain_text(inline).rstrip(permalink_symbol).strip()
            headings = [h for h in headings if h[0] < level] + [(level, title)]
        elif token.type == "paragraph_open" and token.attrGet("id"):
            context = Context(sections=tuple(t for _, t in headings), report_year=base.report_year,
                              report=base.report)
            found.extend(_wrap(inline, str(token.attrGet("id")), context))
    state.env["indicators"] = found


def paragraph_indicators(text: str, anchor: str, context: Context) -> list[Indicator]:
    """``extract_paragraph``, remembered for the last few hundred paragraphs of this process: a
    report rendered again after an edit (``builder serve``) reads again only the paragraphs that
    changed.  On a hit the texts the extraction cut are noted, as a fresh extraction would cut
    them, so that the report's remembered cuts stay whole."""
    items, texts = _extracted(text, anchor, context)
    note_cuts(texts)
    return list(items)


def forget_extracted() -> None:
    """Forget the paragraphs this process read (as a new process would start)."""
    _extracted.cache_clear()


#: More paragraphs than the longest report has, so that a report edited again finds all of its others.
_REMEMBERED_PARAGRAPHS = 512


@lru_cache(maxsize=_REMEMBERED_PARAGRAPHS)
def _extracted(text: str, anchor: str, context: Context) -> tuple[tuple[Indicator, ...], tuple[str, ...]]:
    with recorded_cuts() as texts:
        items = extract_paragraph(text, anchor, context)
    return tuple(items), tuple(texts)


def _wrap(inline: Token, anchor: str, context: Context) -> list[Indicator]:
    children = inline.children or []
    runs = text_outside_links(children)
    items = paragraph_indicators(runs.text, anchor, context)
    if not items:
        return items
    # the figures of each text child, in order; one span may stand for several indicators
    # (“城镇…、农村…均增长8%”): the first of them is wrapped
    figures: dict[int, tuple[int, list[Indicator]]] = {}  # child index -> (its offset, its figures)
    wrapped: set[tuple[int, int]] = set()
    for item in sorted(items, key=lambda i: i.start):
        if (item.start, item.end) in wrapped:
            continue
        wrapped.add((item.start, item.end))
        # the text child holding the span (the ones before it sharing its offset are empty)
        holder = runs.child_holding(children, item.start, item.end)
        if holder is not None:
            figures.setdefault(holder[0], (holder[1], []))[1].append(item)
    if figures:
        out: list[Token] = []
        for n, child in enumerate(children):
            if n in figures:
                out.extend(_wrapped(child.content, *figures[n]))
            else:
                out.append(child)
        inline.children = out
    return items


def _wrapped(content: str, offset: int, figures: list[Indicator]) -> list[Token]:
    """A text child's content (at ``offset`` in the paragraph's text) as text tokens with each
    of ``figures`` (in order) in ``indicator_open`` / ``indicator_close``."""
    if any(a.end > b.start for a, b in pairwise(figures)):
        return _wrapped_overlapping(content, offset, figures)
    out: list[Token] = []
    pos = 0
    for item in figures:
        start, end = item.start - offset, item.end - offset
        if start > pos:
            out.append(Token("text", "", 0, content=content[pos:start]))
        out += [_opening(item), Token("text", "", 0, content=content[start:end]), Token("indicator_close", "data", -1)]
        pos = end
    if pos < len(content):
        out.append(Token("text", "", 0, content=content[pos:]))
    return out


def _opening(item: Indicator) -> Token:
    # own token types (not html_inline), so plain-text readers such as anchors.plain_text skip them
    return Token("indicator_open", "data", 1, attrs={
        "class": "indicator", "id": item.id, "value": item.data_value, "data-kind": item.kind})


def _wrapped_overlapping(content: str, offset: int, figures: list[Indicator]) -> list[Token]:
    """:func:`_wrapped` for figures whose spans overlap (none do, as extracted today): split
    from the last figure back, each split taking the text before the later one."""
    tokens = [Token("text", "", 0, content=content)]
    for item in sorted(figures, key=lambda i: i.start, reverse=True):
        tokens = _split(tokens, item.start - offset, item.end - offset, item)
    return tokens


def _split(tokens: list[Token], start: int, end: int, item: Indicator) -> list[Token]:
    """``tokens`` starts with a text token holding [start, end) (later figures already split off)."""
    content = tokens[0].content
    new = [Token("text", "", 0, content=content[:start])] if content[:start] else []
    new += [_opening(item), Token("text", "", 0, content=content[start:end]), Token("indicator_close", "data", -1)]
    if content[end:]:
        new.append(Token("text", "", 0, content=content[end:]))
    return new + tokens[1:]
