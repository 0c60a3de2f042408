"""A markdown-it plugin: wrap every extracted figure in ``<data value="…">``.

Use after the anchors plugin (it needs every paragraph's id)::

    md = MarkdownIt("commonmark").use(attrs_block_plugin).use(anchors_plugin).use(indicators_plugin)
    env = {"report_year": 2020, "report": "2020-suzhou-zfgzbg"}
    html = md.render(text, env)
    env["indicators"]   # [Indicator, ...] in document order

For each paragraph the rule joins the text of its inline children (the permalink the
anchors plugin appended is skipped), runs :func:`builder.indicators.extract_paragraph`
with the headings above it as context, and splits the ``text`` token that holds each
figure's span into ``text / <data …> / text / </data> / text``.  A span that crosses
markup (rare: half in a bold lead-in) stays unwrapped but is still reported.  Nothing of
the text is dropped or changed; the attribute values are escaped.

Side results travel back through ``env``, never module state.
"""

from __future__ import annotations

from html import escape

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from builder.indicators import Context, Indicator, extract_paragraph
from builder.mdit.anchors import heading_level, plain_text


def indicators_plugin(md: MarkdownIt) -> None:
    """Add the ``indicators`` core rule at the end of the core chain."""
    md.core.ruler.push("indicators", _indicators)
    md.add_render_rule("indicator_open", _render_open)
    md.add_render_rule("indicator_close", lambda self, tokens, idx, options, env: "</data>")


def _render_open(self, tokens: list[Token], idx: int, options, env) -> str:
    attrs = tokens[idx].attrs
    return "<data" + "".join(f' {escape(str(k))}="{escape(str(v))}"' for k, v in attrs.items()) + ">"


def _indicators(state: StateCore) -> None:
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
            headings = [h for h in headings if h[0] < level] + [(level, plain_text(inline).rstrip("¶").strip())]
        elif token.type == "paragraph_open" and token.attrGet("id"):
            context = Context(sections=tuple(t for _, t in headings), report_year=base.report_year,
                              report=base.report)
            found.extend(_wrap(inline, str(token.attrGet("id")), context))
    state.env["indicators"] = found


def _wrap(inline: Token, anchor: str, context: Context) -> list[Indicator]:
    children = inline.children or []
    pieces: list[tuple[int, int]] = []  # (child index, offset in the joined text)
    text = ""
    depth = 0
    for n, child in enumerate(children):
        if child.type == "link_open":
            depth += 1
        elif child.type == "link_close":
            depth -= 1
        elif child.type == "text" and depth == 0:
            pieces.append((n, len(text)))
            text += child.content
    items = extract_paragraph(text, anchor, context)
    if not items:
        return items
    # split text children from the last figure back, so earlier offsets stay valid
    replacements: dict[int, list[Token]] = {}
    wrapped: set[tuple[int, int]] = set()
    for item in sorted(items, key=lambda i: i.start, reverse=True):
        if (item.start, item.end) in wrapped:
            continue  # one span, several indicators (“城镇…、农村…均增长8%”)
        wrapped.add((item.start, item.end))
        for n, offset in pieces:
            content = children[n].content
            if offset <= item.start and item.end <= offset + len(content):
                current = replacements.get(n) or [children[n]]
                replacements[n] = _split(current, item.start - offset, item.end - offset, item)
                break
    out: list[Token] = []
    for n, child in enumerate(children):
        out.extend(replacements.get(n, [child]))
    inline.children = out
    return items


def _split(tokens: list[Token], start: int, end: int, item: Indicator) -> list[Token]:
    """``tokens`` starts with a text token holding [start, end) (later figures already split off)."""
    head, rest = tokens[0], tokens[1:]
    content = head.content
    # own token types (not html_inline), so plain-text readers such as anchors.plain_text skip them
    opening = Token("indicator_open", "data", 1)
    for name, value in (("class", "indicator"), ("id", item.id), ("value", item.data_value),
                        ("data-kind", item.kind)):
        opening.attrSet(name, value)
    closing = Token("indicator_close", "data", -1)
    new = []
    if content[:start]:
        new.append(Token("text", "", 0, content=content[:start]))
    new += [opening, Token("text", "", 0, content=content[start:end]), closing]
    if content[end:]:
        new.append(Token("text", "", 0, content=content[end:]))
    return new + rest
