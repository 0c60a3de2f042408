"""A markdown-it plugin: link glossary terms where they occur, record every occurrence.

Shaped like markdown-it's ``linkify`` core rule: walk each block's inline children, skip
text inside links (a heading's ¶ permalink, any other link), and split a ``text`` token
into ``text / link_open / text / link_close / text``.  Matching is
:meth:`builder.glossary.Glossary.find_terms`, once per block on its text outside links;
a match that crosses two tokens (a line break, an emphasis boundary) is dropped, so a
term never spans two blocks, lines or markup.

Use after ``anchors_plugin`` (the occurrences are recorded against the ids it assigns)::

    md.use(anchors_plugin).use(glossary_links_plugin, glossary=g, policy="first-per-section",
                                 href="../glossary/index.html")
    env = {}
    md.render(text, env)
    env["glossary_occurrences"]  # [{"term": "fangguanfu", "anchor": "s1-2-p3", "linked": True}, ...]
    env["glossary_terms"]        # ids of the terms used, in order of first use

A link::

    <a class="term" href="../glossary/index.html#fangguanfu" data-term="fangguanfu"
       data-definition="简政放权、…" aria-describedby="term-def-fangguanfu">放管服</a>

``data-definition`` feeds a CSS tooltip (hover and keyboard focus; no text is added to the
page); ``aria-describedby`` points at the definition in the page's list of terms (the
report template prints it), so screen readers announce the definition too.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from builder.glossary import Glossary

POLICIES = ("first-per-section", "first-per-page", "every")
DEFAULT_POLICY = "first-per-section"


def glossary_links_plugin(
    md: MarkdownIt,
    *,
    glossary: Glossary,
    policy: str = DEFAULT_POLICY,
    href: str = "glossary/index.html",
    describedby_prefix: str | None = "term-def-",
    css_class: str = "term",
) -> None:
    """Add the ``glossary_links`` core rule at the end of the core chain (so after ``anchors``,
    and after any rule that reads the plain text of a block, such as ``indicators``).

    :param glossary: the terms to link.
    :param policy: which occurrences become links: ``first-per-section`` (a heading starts a
        section), ``first-per-page`` or ``every``.  Every occurrence is recorded either way.
    :param href: the glossary page, relative to the rendered page; ``#<id>`` is appended.
    :param describedby_prefix: links get ``aria-describedby="<prefix><id>"``; None for none.
    """
    if policy not in POLICIES:
        raise ValueError(f"policy must be one of {', '.join(POLICIES)}, got {policy!r}")

    def _rule(state: StateCore) -> None:
        _link_terms(state, glossary, policy, href, describedby_prefix, css_class)

    md.core.ruler.push("glossary_links", _rule)


def _link_terms(state: StateCore, glossary: Glossary, policy: str, href: str,
                describedby_prefix: str | None, css_class: str) -> None:
    occurrences: list[dict[str, object]] = []
    used: list[str] = []
    linked: set[str] = set()
    anchor = ""
    for token in state.tokens:
        if token.type == "heading_open" and policy == "first-per-section":
            linked = set()
        if token.type in ("heading_open", "paragraph_open") and token.attrGet("id"):
            anchor = str(token.attrGet("id"))
        if token.type != "inline" or not token.children:
            continue
        # the text children outside links, joined: one search per block (a span that crosses
        # two children, e.g. a line break or a <data> element, stays unlinked)
        pieces: dict[int, int] = {}  # child index -> offset in the joined text
        joined = ""
        depth = 0
        for n, child in enumerate(token.children):
            if child.type == "link_open":
                depth += 1
            elif child.type == "link_close":
                depth -= 1
            elif child.type == "text" and depth == 0 and child.content:
                pieces[n] = len(joined)
                joined += child.content
            elif depth == 0:
                joined += "\n"  # markup between two texts: nothing matches across it
        spans = glossary.find_terms(joined) if joined.strip() else []
        if not spans:
            continue
        by_child: dict[int, list] = {}
        for span in spans:
            for n, offset in pieces.items():
                if offset <= span.start and span.end <= offset + len(token.children[n].content):
                    by_child.setdefault(n, []).append((span, offset))
                    break
        children: list[Token] = []
        for n, child in enumerate(token.children):
            if n not in by_child:
                children.append(child)
                continue
            pos = 0
            text = child.content
            for span, offset in by_child[n]:
                start, end = span.start - offset, span.end - offset
                make_link = policy == "every" or span.term_id not in linked
                occurrences.append({"term": span.term_id, "anchor": anchor, "linked": make_link})
                if span.term_id not in used:
                    used.append(span.term_id)
                if not make_link:
                    continue
                linked.add(span.term_id)
                if start > pos:
                    children.append(_text(text[pos:start], child))
                term = glossary.by_id[span.term_id]
                link_open = Token("link_open", "a", 1)
                link_open.attrSet("class", css_class)
                link_open.attrSet("href", f"{href}#{term.id}")
                link_open.attrSet("data-term", term.id)
                link_open.attrSet("data-definition", term.definition)
                if describedby_prefix is not None:
                    link_open.attrSet("aria-describedby", f"{describedby_prefix}{term.id}")
                link_open.markup = "glossary"
                link_open.info = "auto"
                link_open.level = child.level
                children.append(link_open)
                children.append(_text(text[start:end], child, level=child.level + 1))
                link_close = Token("link_close", "a", -1)
                link_close.markup = "glossary"
                link_close.info = "auto"
                link_close.level = child.level
                children.append(link_close)
                pos = end
            if pos < len(text):
                children.append(_text(text[pos:], child))
        token.children = children
    state.env["glossary_occurrences"] = occurrences
    state.env["glossary_terms"] = used


def _text(content: str, like: Token, level: int | None = None) -> Token:
    token = Token("text", "", 0, content=content)
    token.level = like.level if level is None else level
    return token
