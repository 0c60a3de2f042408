"""A markdown-it plugin: ids and permalinks on headings and paragraphs, the TOC in ``env``.

Use after ``attrs_block_plugin`` (which turns a ``{#id}`` line into the ``id`` of the
block below it)::

    md = MarkdownIt("commonmark").use(attrs_block_plugin).use(anchors_plugin)
    env = {}
    html = md.render(text, env)
    env["toc"]              # [{"id": "s1", "title": "一、2019年工作回顾", "level": 1}, ...]
    env["paragraph_count"]  # 42

Every heading and (visible) paragraph ends up with an id: its own ``{#id}`` when it has
one, else a generated one from its position (``x-h3`` = the third heading, ``x-p7`` =
the seventh paragraph), so a hand-edited file stays linkable.  No id is ever used twice:
a generated or repeated id that is already taken gets a ``-2``, ``-3`` ... suffix.
Each of them gets a permalink ``<a class="permalink" href="#ID" aria-label="…">¶</a>``
at its end.

Side results travel back through ``env`` (as ``mdit_py_plugins.wordcount`` does), never
through module state.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

#: Markdown ``##`` is the top level of a report's structure (``#`` is the page title).
TOP_HEADING_TAG_LEVEL = 2
#: The text of a permalink (plugins that read a heading's text drop it).
PERMALINK_SYMBOL = "¶"


def anchors_plugin(
    md: MarkdownIt,
    *,
    permalink_symbol: str = PERMALINK_SYMBOL,
    heading_label: str = "本节链接",
    paragraph_label: str = "本段链接",
    id_prefix: str = "x-",
    reserved_ids: Iterable[str] = (),
) -> None:
    """Add the ``anchors`` core rule (at the end of the core chain, after ``attr``).

    :param permalink_symbol: the text of the permalink.
    :param heading_label: the permalink's ``aria-label`` on headings.
    :param paragraph_label: the permalink's ``aria-label`` on paragraphs.
    :param id_prefix: prefix of generated ids (``x-h3``, ``x-p7``).
    :param reserved_ids: ids the page template uses itself; the body never gets them.
    """
    reserved = frozenset(reserved_ids)
    labels = {"heading": heading_label, "paragraph": paragraph_label}

    def _anchors(state: StateCore) -> None:
        _add_anchors(state, symbol=permalink_symbol, labels=labels, prefix=id_prefix, reserved=reserved)

    md.core.ruler.push("anchors", _anchors)


def _add_anchors(
    state: StateCore, *, symbol: str, labels: dict[str, str], prefix: str, reserved: frozenset[str]
) -> None:
    tokens = state.tokens
    # Explicit ids (on any block) are taken up front, so a generated id never collides
    # with one that stands further down.
    explicit: set[str] = {str(t.attrGet("id")) for t in tokens if t.attrGet("id")}
    used: set[str] = set(reserved)
    toc: list[dict[str, object]] = []
    counts = {"heading": 0, "paragraph": 0}
    for token, inline, kind in _blocks(tokens, counts):
        generated = f"{prefix}{'h' if kind == 'heading' else 'p'}{counts[kind]}"
        anchor = _assign_id(token, generated, used, explicit)
        if kind == "heading":
            toc.append({"id": anchor, "title": plain_text(inline), "level": heading_level(token)})
        inline.children = [*(inline.children or []), *_permalink(anchor, labels[kind], symbol)]
    state.env["toc"] = toc
    state.env["paragraph_count"] = counts["paragraph"]


def _blocks(tokens: list[Token], counts: dict[str, int]) -> Iterator[tuple[Token, Token, str]]:
    """Each heading and visible paragraph with its inline token and its kind; ``counts`` counts
    the blocks of each kind so far (tight-list paragraphs render no tag, so they cannot carry an id)."""
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            kind = "heading"
        elif token.type == "paragraph_open" and not token.hidden:
            kind = "paragraph"
        else:
            continue
        counts[kind] += 1
        inline = tokens[index + 1] if index + 1 < len(tokens) else None
        if inline is not None and inline.type == "inline":
            yield token, inline, kind


def _assign_id(token: Token, generated: str, used: set[str], explicit: set[str]) -> str:
    """Give ``token`` its own id, or (when it has none or a repeated one) one derived from it or
    ``generated`` that is neither ``used`` nor claimed by an explicit id further down."""
    own = token.attrGet("id")
    wanted = str(own) if own else generated
    anchor = wanted if own and wanted not in used else _unique(wanted, used | explicit)
    used.add(anchor)
    token.attrSet("id", anchor)
    return anchor


def _permalink(anchor: str, label: str, symbol: str) -> list[Token]:
    """``<a class="permalink" href="#anchor" aria-label="label">symbol</a>`` as tokens."""
    link_open = Token("link_open", "a", 1)
    link_open.attrSet("class", "permalink")
    link_open.attrSet("href", f"#{anchor}")
    link_open.attrSet("aria-label", label)
    return [link_open, Token("text", "", 0, content=symbol), Token("link_close", "a", -1)]


def heading_level(token: Token) -> int:
    """TOC level of a ``heading_open`` token: ``##`` = 1, ``###`` = 2 ... (``#`` counts as 1)."""
    return max(1, int(token.tag[1]) - TOP_HEADING_TAG_LEVEL + 1)


def plain_text(inline: Token) -> str:
    """The text of an inline token, markup dropped (soft breaks join lines without a space)."""
    parts: list[str] = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type == "hardbreak":
            parts.append(" ")
        elif child.type == "image":
            parts.append(plain_text(child))
    return "".join(parts).strip()


def _unique(wanted: str, taken: set[str]) -> str:
    anchor = wanted
    n = 2
    while anchor in taken:
        anchor = f"{wanted}-{n}"
        n += 1
    return anchor
