"""A markdown-it plugin: link glossary terms where they occur, record every occurrence.

Shaped like markdown-it's ``linkify`` core rule: walk each block's inline children, skip
text inside links (a heading's ¶ permalink, any other link), and split a ``text`` token
into ``text / link_open / text / link_close / text``.  Matching is
:meth:`builder.glossary.terms.Glossary.find_terms`, once per block on its text outside links;
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

from builder.glossary.terms import Glossary, TermSpan

from .text_runs import text_outside_links

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
    used: dict[str, None] = {}  # term ids in order of first use
    linked: set[str] = set()
    anchor = ""
    for token in state.tokens:
        kind = token.type
        if kind == "inline":
            if token.children:
                by_child = _spans_by_child(token.children, glossary)
                if by_child:
                    token.children = _linked_children(
                        token.children, by_child, glossary, anchor=anchor, every=policy == "every",
                        linked=linked, used=used, occurrences=occurrences, href=href,
                        describedby_prefix=describedby_prefix, css_class=css_class)
            continue
        if kind == "heading_open" and policy == "first-per-section":
            linked = set()
        if kind in ("heading_open", "paragraph_open") and token.attrGet("id"):
            anchor = str(token.attrGet("id"))
    state.env["glossary_occurrences"] = occurrences
    state.env["glossary_terms"] = list(used)


def _spans_by_child(children: list[Token], glossary: Glossary) -> dict[int, list[tuple[TermSpan, int]]]:
    """The glossary's terms in a block, searched once in its text children outside links
    joined (a span that crosses two children, e.g. a line break or a <data> element, stays
    unlinked): child index -> [(span, the child's offset in the joined text)]."""
    runs = text_outside_links(children, separator="\n")  # nothing matches across markup
    spans = glossary.find_terms(runs.text) if runs.text.strip() else []
    by_child: dict[int, list[tuple[TermSpan, int]]] = {}
    for span in spans:
        holder = runs.child_holding(children, span.start, span.end)
        if holder is not None:
            by_child.setdefault(holder[0], []).append((span, holder[1]))
    return by_child


def _linked_children(children: list[Token], by_child: dict[int, list[tuple[TermSpan, int]]],
                     glossary: Glossary, *, anchor: str, every: bool, linked: set[str], used: dict[str, None],
                     occurrences: list[dict[str, object]], href: str, describedby_prefix: str | None,
                     css_class: str) -> list[Token]:
    """``children`` with the spans of ``by_child`` that the policy links split out into links;
    every span is recorded in ``occurrences``."""
    out: list[Token] = []
    for n, child in enumerate(children):
        if n not in by_child:
            out.append(child)
            continue
        pos = 0
        text = child.content
        for span, offset in by_child[n]:
            start, end = span.start - offset, span.end - offset
            make_link = every or span.term_id not in linked
            occurrences.append({"term": span.term_id, "anchor": anchor, "linked": make_link})
            used.setdefault(span.term_id, None)
            if not make_link:
                continue
            linked.add(span.term_id)
            if start > pos:
                out.append(_text(text[pos:start], child))
            term = glossary.by_id[span.term_id]
            attrs = {"class": css_class, "href": f"{href}#{term.id}", "data-term": term.id,
                     "data-definition": term.definition}
            if describedby_prefix is not None:
                attrs["aria-describedby"] = f"{describedby_prefix}{term.id}"
            out.append(Token("link_open", "a", 1, attrs=attrs, level=child.level, markup="glossary", info="auto"))
            out.append(_text(text[start:end], child, level=child.level + 1))
            out.append(Token("link_close", "a", -1, level=child.level, markup="glossary", info="auto"))
            pos = end
        if pos < len(text):
            out.append(_text(text[pos:], child))
    return out


def _text(content: str, like: Token, level: int | None = None) -> Token:
    return Token("text", "", 0, content=content, level=like.level if level is None else level)
