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

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from builder.core.config import GLOSSARY_LINK, LINK_POLICIES
from builder.glossary.pages import GLOSSARY_PAGE
from builder.glossary.terms import Glossary, TermSpan
from builder.mdit.text_runs import text_outside_links

#: The link policies: which occurrences of a term become links.
POLICIES = LINK_POLICIES
DEFAULT_POLICY = GLOSSARY_LINK


def glossary_links_plugin(
    md: MarkdownIt,
    *,
    glossary: Glossary,
    policy: str = DEFAULT_POLICY,
    href: str = GLOSSARY_PAGE,
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
        (The page's list of terms gives each definition the id ``term-def-<id>``.)
    :param css_class: the class of the links.
    """
    if policy not in POLICIES:
        raise ValueError(f"policy must be one of {', '.join(POLICIES)}, got {policy!r}")

    def _rule(state: StateCore) -> None:
        linker = _Linker(glossary, policy, href, describedby_prefix, css_class)
        linker.link_terms(state.tokens)
        state.env["glossary_occurrences"] = linker.occurrences
        state.env["glossary_terms"] = list(linker.used)

    md.core.ruler.push("glossary_links", _rule)


@dataclass
class _Linker:
    """The linking of one page (internal): the plugin's options, and what it has linked so far."""

    glossary: Glossary
    policy: str
    href: str
    describedby_prefix: str | None
    css_class: str
    linked: set[str] = field(default_factory=set)
    """The terms linked in the current section (``first-per-section``) or page."""
    used: dict[str, None] = field(default_factory=dict)
    """The ids of the terms used, in order of first use."""
    occurrences: list[dict[str, object]] = field(default_factory=list)
    """Every occurrence: {"term", "anchor", "linked"}."""

    def link_terms(self, tokens: list[Token]) -> None:
        """Link the terms of every block of ``tokens``, recording each occurrence under the id
        of its block."""
        anchor = ""
        for token in tokens:
            kind = token.type
            if kind == "inline":
                if token.children:
                    self._link_block(token, anchor)
                continue
            if kind == "heading_open" and self.policy == "first-per-section":
                self.linked = set()
            if kind in ("heading_open", "paragraph_open") and token.attrGet("id"):
                anchor = str(token.attrGet("id"))

    def _link_block(self, inline: Token, anchor: str) -> None:
        children = inline.children or []
        by_child = _spans_by_child(children, self.glossary)
        if not by_child:
            return
        out: list[Token] = []
        for n, child in enumerate(children):
            if n in by_child:
                out += self._split(child, by_child[n], anchor)
            else:
                out.append(child)
        inline.children = out

    def _split(self, child: Token, spans: list[tuple[TermSpan, int]], anchor: str) -> list[Token]:
        """A text child with the ``spans`` in it (each with the child's offset) that the policy
        links split out into links; every span is recorded."""
        out: list[Token] = []
        pos = 0
        text = child.content
        for span, offset in spans:
            start, end = span.start - offset, span.end - offset
            make_link = self.policy == "every" or span.term_id not in self.linked
            self.occurrences.append({"term": span.term_id, "anchor": anchor, "linked": make_link})
            self.used.setdefault(span.term_id, None)
            if not make_link:
                continue
            self.linked.add(span.term_id)
            if start > pos:
                out.append(_text(text[pos:start], child))
            out += self._link(span.term_id, text[start:end], child)
            pos = end
        if pos < len(text):
            out.append(_text(text[pos:], child))
        return out

    def _link(self, term_id: str, text: str, like: Token) -> list[Token]:
        term = self.glossary.by_id[term_id]
        attrs: dict[str, str | int | float] = {"class": self.css_class, "href": f"{self.href}#{term.id}",
                                               "data-term": term.id, "data-definition": term.definition}
        if self.describedby_prefix is not None:
            attrs["aria-describedby"] = f"{self.describedby_prefix}{term.id}"
        return [Token("link_open", "a", 1, attrs=attrs, level=like.level, markup="glossary", info="auto"),
                _text(text, like, level=like.level + 1),
                Token("link_close", "a", -1, level=like.level, markup="glossary", info="auto")]


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


def _text(content: str, like: Token, level: int | None = None) -> Token:
    return Token("text", "", 0, content=content, level=like.level if level is None else level)
