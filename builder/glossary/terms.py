"""The glossary of political shorthand: load and validate it, find its terms in text.

The source is a YAML list (``site_src/glossary.yaml``, config key ``paths.glossary``)::

    - id: fangguanfu            # ASCII, stable: the entry's anchor on glossary/index.html
      term: 放管服
      aliases: [简政放权、放管结合、优化服务]   # optional
      definition: 简政放权、放管结合、优化服务的简称。…   # Chinese, 1-4 sentences
      gloss: Streamline administration, delegate power, improve regulation and services
      category: 改革             # optional
      see_also: [zhengzhao-fenli]  # optional, ids of other entries

:func:`parse_glossary` reads it from the YAML node tree (so every error names its line)
and fails on duplicate ids, terms or aliases, empty definitions and unknown ``see_also``
ids.  :func:`find_terms` is pure: text in, non-overlapping spans out.

Matching respects Chinese word boundaries: terms made only of Chinese characters are
added to a jieba tokenizer and count only when jieba cuts them out as one word, so a term
inside a longer word is not found.  Terms jieba cannot hold as one word (with
punctuation, digits or Latin letters: 双随机、一公开, 331, P+R) are matched as phrases; a
phrase that starts or ends with a digit or letter must not touch another one there
(331 is not found in 1331).  Of overlapping matches the longest wins (四个意识 over 意识).

:func:`suggest_terms` finds shorthand in report text that the glossary lacks.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import yaml

from builder.core.errors import SourceError
from builder.text.segment import HAN_BLOCK, cut_block

FIELDS = ("id", "term", "aliases", "definition", "gloss", "category", "see_also")
REQUIRED = ("id", "term", "definition", "gloss")
ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_HAN_ONLY = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")
_QUOTES = "“”‘’\"'「」『』"


@dataclass(frozen=True)
class Term:
    """One glossary entry."""

    id: str
    """ASCII, stable: the anchor of the entry on the glossary page."""
    term: str
    """The term as it stands in the text, without quotation marks."""
    definition: str
    """Chinese, 1-4 factual sentences."""
    gloss: str
    """A short English rendering."""
    aliases: tuple[str, ...] = ()
    """Other spellings that link to this entry."""
    category: str = ""
    see_also: tuple[str, ...] = ()
    """Ids of related entries."""
    line: int = 0
    """The line of the YAML file where the entry starts."""

    @property
    def forms(self) -> tuple[str, ...]:
        """The term and its aliases: every string that links to the entry."""
        return (self.term, *self.aliases)


@dataclass(frozen=True)
class TermSpan:
    """An occurrence of a glossary term in a text."""

    start: int
    end: int
    term_id: str
    text: str
    """The matched text (the term or one of its aliases)."""


@dataclass(frozen=True, eq=False)
class Glossary:
    """The validated glossary; hashable by identity (parsers are cached per glossary)."""

    terms: tuple[Term, ...]
    path: str = ""

    def __len__(self) -> int:
        return len(self.terms)

    @cached_property
    def by_id(self) -> dict[str, Term]:
        return {t.id: t for t in self.terms}

    @cached_property
    def _form_ids(self) -> dict[str, str]:
        return {form: t.id for t in self.terms for form in t.forms}

    @cached_property
    def _words(self) -> frozenset[str]:
        return frozenset(f for f in self._form_ids if _HAN_ONLY.fullmatch(f))

    @cached_property
    def _phrases(self) -> tuple[tuple[str, bool, bool], ...]:
        """Phrase forms, longest first, with whether their first/last character is a letter or digit."""
        phrases = sorted((f for f in self._form_ids if f not in self._words), key=lambda f: (-len(f), f))
        return tuple((p, bool(_ASCII_ALNUM.match(p[0])), bool(_ASCII_ALNUM.match(p[-1]))) for p in phrases)

    @cached_property
    def _word_re(self) -> re.Pattern[str] | None:
        words = sorted(self._words, key=lambda f: (-len(f), f))
        return re.compile(_alternation(words)) if words else None

    @cached_property
    def _phrase_re(self) -> re.Pattern[str] | None:
        """Any phrase (an alternation of literals: the engine skips every character no
        alternative starts with)."""
        return re.compile(_alternation([p for p, _, _ in self._phrases])) if self._phrases else None

    def _phrase_starts(self, text: str) -> Iterator[int]:
        """Every offset in ``text`` where some phrase starts, in order."""
        phrase_re = self._phrase_re
        if phrase_re is None:
            return
        hit = phrase_re.search(text)
        while hit is not None:
            yield hit.start()
            hit = phrase_re.search(text, hit.start() + 1)  # phrases may overlap

    @cached_property
    def _words_within_blocks(self) -> bool:
        """Whether every word is made of characters jieba cuts as one block (so none spans two)."""
        return all(HAN_BLOCK.fullmatch(word) for word in self._words)

    def _candidate_blocks(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of the runs of ``text`` that jieba cuts on their own (``HAN_BLOCK``)
        and that hold a word of the glossary, in order."""
        word_re = self._word_re
        if word_re is None or not word_re.search(text):
            return []
        if not self._words_within_blocks:
            return [b.span() for b in HAN_BLOCK.finditer(text) if word_re.search(b.group())]
        # one scan for the words: every match lies inside one run, and every run that holds a
        # word holds a match (no match can reach into a run from outside it)
        spans: list[tuple[int, int]] = []
        backwards = ""
        for hit in word_re.finditer(text):
            at = hit.start()
            if spans and at < spans[-1][1]:
                continue
            backwards = backwards or text[::-1]  # the run's start: the run read backwards from ``at``
            run_back = HAN_BLOCK.match(backwards, len(text) - 1 - at)
            run_on = HAN_BLOCK.match(text, at)
            assert run_back is not None and run_on is not None  # ``at`` starts a word: a run character
            spans.append((at + 1 - len(run_back.group()), run_on.end()))
        return spans

    def find_terms(self, text: str) -> list[TermSpan]:
        """Occurrences of the glossary's terms in ``text``: in order, never overlapping."""
        found: list[TermSpan] = []
        phrases_found = False
        # every occurrence of every phrase, overlapping ones too: at each place where some
        # phrase starts, each phrase that starts there
        for at in self._phrase_starts(text):
            for phrase, alnum_head, alnum_tail in self._phrases:
                if not text.startswith(phrase, at):
                    continue
                end = at + len(phrase)
                if not (alnum_head and at > 0 and _ASCII_ALNUM.match(text[at - 1])
                        or alnum_tail and end < len(text) and _ASCII_ALNUM.match(text[end])):
                    found.append(TermSpan(at, end, self._form_ids[phrase], phrase))
                    phrases_found = True
        if self._word_re is not None:
            # jieba cuts each run of Han characters (and letters/digits) on its own, so only
            # the runs holding a candidate need cutting: same result, a fraction of the work
            for start, end in self._candidate_blocks(text):
                pos = start
                for token in cut_block(text[start:end], self._words):
                    if token in self._words:
                        found.append(TermSpan(pos, pos + len(token), self._form_ids[token], token))
                    pos += len(token)
        # jieba's words never overlap one another, and come in order: only phrases need sorting out
        return _longest_first(found) if phrases_found else found


def _alternation(forms: Sequence[str]) -> str:
    """A regex for any of ``forms`` (at one place the first in order that matches there), grouped
    by first character (放(?:管服|…)|…): the engine then tries only the forms starting with the
    character it stands at."""
    groups: dict[str, list[str]] = {}
    for form in forms:
        groups.setdefault(form[0], []).append(re.escape(form[1:]))
    return "|".join(f"{re.escape(first)}(?:{'|'.join(rests)})" for first, rests in groups.items())


def find_terms(glossary: Glossary, text: str) -> list[TermSpan]:
    """Occurrences of ``glossary``'s terms in ``text`` (see :meth:`Glossary.find_terms`)."""
    return glossary.find_terms(text)


def _longest_first(spans: Iterable[TermSpan]) -> list[TermSpan]:
    chosen: list[TermSpan] = []
    for span in sorted(spans, key=lambda s: (-(s.end - s.start), s.start)):
        if all(span.end <= c.start or span.start >= c.end for c in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


# --------------------------------------------------------------------------- loading


def load_glossary(path: Path, display: str | None = None) -> Glossary | None:
    """Read and validate the glossary file; None when the file does not exist."""
    display = display or str(path)
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot read glossary: {exc}", path=display) from None
    return parse_glossary(text, display)


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _scalar(node: yaml.Node) -> str | None:
    return node.value.strip() if isinstance(node, yaml.ScalarNode) else None


def _strings(node: yaml.Node, key: str, errors: list[tuple[int, str]]) -> list[tuple[str, int]]:
    if isinstance(node, yaml.ScalarNode):
        if node.value.strip() in ("", "~", "null"):
            return []
        return [(node.value.strip(), _line(node))]
    if not isinstance(node, yaml.SequenceNode):
        errors.append((_line(node), f"{key}: expected a list of strings"))
        return []
    out = []
    for item in node.value:
        value = _scalar(item)
        if not value:
            errors.append((_line(item), f"{key}: expected a non-empty string"))
        else:
            out.append((value, _line(item)))
    return out


def _normal(form: str) -> str:
    return re.sub(r"\s+", "", form.strip(_QUOTES + " \t"))


def parse_glossary(text: str, display: str) -> Glossary:
    """Parse and validate glossary YAML; every problem is collected and raised at once.

    One problem: ``FILE:LINE: message``; several: ``FILE:LINE: N problems: line A: …; line B: …``
    (LINE being the first problem's).
    """
    root = _compose(text, display)
    if root is None:
        return Glossary((), display)
    if not isinstance(root, yaml.SequenceNode):
        raise SourceError("expected a list of glossary entries (- id: …, term: …)", path=display, line=_line(root))
    checks = _Checks()
    terms = [term for term in (_entry(item, checks) for item in root.value) if term is not None]
    checks.check_see_also()
    checks.raise_problems(display)
    return Glossary(tuple(terms), display)


def _compose(text: str, display: str) -> yaml.Node | None:
    """The YAML node tree of ``text`` (None for an empty file), so every problem can name its line."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SourceError(f"invalid YAML: {problem}", path=display, line=mark.line + 1 if mark else None) from None


@dataclass
class _Checks:
    """What validating the entries collects (internal): the problems, and what every entry is
    checked against (the ids, terms and aliases of the entries before it)."""

    problems: list[tuple[int, str]] = field(default_factory=list)
    """(line, message) of each problem."""
    ids: dict[str, int] = field(default_factory=dict)
    """Each id -> the line it stands on."""
    forms: dict[str, tuple[str, int]] = field(default_factory=dict)
    """Each term and alias, normalized -> (as written, its line)."""
    see_also: list[tuple[str, str, int]] = field(default_factory=list)
    """(referenced id, the entry's id, line) of each ``see_also`` reference."""

    def add(self, line: int, message: str) -> None:
        self.problems.append((line, message))

    def register_id(self, entry_id: str, line: int) -> None:
        """A new entry's id: well-formed and not taken."""
        if not ID_RE.fullmatch(entry_id):
            self.add(line, f"id: {entry_id!r} must be ASCII letters, digits, '-' or '_'")
        elif entry_id in self.ids:
            self.add(line, f"id: duplicate id {entry_id!r} (also on line {self.ids[entry_id]})")
        else:
            self.ids[entry_id] = line

    def register_forms(self, forms: Iterable[tuple[str, int]]) -> None:
        """An entry's term and aliases: none may be another entry's (or its own other) form."""
        for form, line in forms:
            key = _normal(form)
            if key in self.forms:
                other, other_line = self.forms[key]
                self.add(line, f"duplicate term or alias {form!r} (also {other!r} on line {other_line})")
            else:
                self.forms[key] = (form, line)

    def check_see_also(self) -> None:
        """Every ``see_also`` names an entry's id (any entry's: checked once all are read)."""
        for ref, owner, line in self.see_also:
            if ref not in self.ids:
                self.add(line, f"see_also: unknown id {ref!r}" + (f" (in entry {owner!r})" if owner else ""))

    def raise_problems(self, display: str) -> None:
        """Raise the problems found, if any, as one SourceError, in line order."""
        if not self.problems:
            return
        problems = sorted(self.problems)
        if len(problems) == 1:
            raise SourceError(problems[0][1], path=display, line=problems[0][0])
        listed = "; ".join(f"line {line}: {message}" for line, message in problems)
        raise SourceError(f"{len(problems)} problems: {listed}", path=display, line=problems[0][0])


def _entry(item: yaml.Node, checks: _Checks) -> Term | None:
    """One entry of the list, checked; None when it lacks a required field (the problem is noted)."""
    start = _line(item)
    if not isinstance(item, yaml.MappingNode):
        checks.add(start, "expected an entry (a mapping with id, term, definition, gloss)")
        return None
    values, key_lines = _fields(item, checks)
    scalars = _scalar_fields(values, key_lines, start, checks)
    entry_id = scalars.get("id", "")
    if entry_id:
        checks.register_id(entry_id, key_lines["id"])
    aliases = _strings(values["aliases"], "aliases", checks.problems) if "aliases" in values else []
    see_also = _strings(values["see_also"], "see_also", checks.problems) if "see_also" in values else []
    checks.register_forms(([(scalars["term"], key_lines["term"])] if scalars.get("term") else []) + aliases)
    checks.see_also.extend((ref, entry_id, line) for ref, line in see_also)
    if not all(k in scalars for k in REQUIRED):
        return None
    return Term(
        id=entry_id, term=_normal(scalars["term"]), definition=scalars["definition"],
        gloss=scalars["gloss"], aliases=tuple(_normal(a) for a, _ in aliases),
        category=scalars.get("category", ""), see_also=tuple(r for r, _ in see_also), line=start,
    )


def _fields(item: yaml.MappingNode, checks: _Checks) -> tuple[dict[str, yaml.Node], dict[str, int]]:
    """An entry's known fields: key -> value node, and key -> the line of the key."""
    values: dict[str, yaml.Node] = {}
    key_lines: dict[str, int] = {}
    for key_node, value_node in item.value:
        key = str(key_node.value)
        if key not in FIELDS:
            checks.add(_line(key_node), f"{key}: unknown field (expected one of {', '.join(FIELDS)})")
            continue
        values[key] = value_node
        key_lines[key] = _line(key_node)
    return values, key_lines


def _scalar_fields(values: Mapping[str, yaml.Node], key_lines: Mapping[str, int], start: int,
                   checks: _Checks) -> dict[str, str]:
    """An entry's string fields (id, term, definition, gloss, category) that are present and
    valid; a required one missing or empty is a problem."""
    scalars: dict[str, str] = {}
    for key in ("id", "term", "definition", "gloss", "category"):
        if key not in values:
            if key in REQUIRED:
                checks.add(start, f"{key}: missing" + (f" (entry {scalars['id']!r})" if "id" in scalars else ""))
            continue
        value = _scalar(values[key])
        if value is None:
            checks.add(key_lines[key], f"{key}: expected a string")
        elif not value and key in REQUIRED:
            checks.add(key_lines[key], f"{key}: empty")
        else:
            scalars[key] = value
    return scalars


# --------------------------------------------------------------------------- suggestions


@dataclass(frozen=True)
class Suggestion:
    """A candidate term found in the reports but absent from the glossary."""

    term: str
    count: int
    example: str
    """One sentence where it occurs."""
    report: str
    """The report's slug."""
    anchor: str
    """The id of the paragraph or heading of the example."""
    kinds: tuple[str, ...] = field(default=())
    """"quoted" and/or "formula"."""


_QUOTED_RE = re.compile(r"“([^“”\n]{1,16})”")
#: Numbered formulae: two or more numeral + word groups, such as 两减六治三提升, 五聚焦五自觉.
_NUM = "一二两三四五六七八九十百千双"
#: Session and date numbering (十九届四中全会, 十三届七次全会, 二期) is not a formula.
_NOT_FORMULA = "届次全中期会年月日号省市县区院角批级"
_FORMULA_RE = re.compile(
    rf"(?<![{_NUM}第])(?:[{_NUM}][^{_NUM}{_NOT_FORMULA}\W\dA-Za-z]{{1,2}}){{2,5}}(?![{_NUM}])")
_SENTENCE_RE = re.compile(r"[^。！？；]*[。！？；]?")
#: Quoted text that is a sentence or a title, not shorthand.
_NOT_SHORTHAND = re.compile(r"[，。：；！？《》]")


def _sentence_around(text: str, index: int) -> str:
    for match in _SENTENCE_RE.finditer(text):
        if match.start() <= index < max(match.end(), match.start() + 1):
            return match.group().strip()
    return text.strip()


def suggest_terms(glossary: Glossary | None, blocks: Iterable[tuple[str, str, str]]) -> list[Suggestion]:
    """Candidate shorthand in ``blocks`` ((report slug, anchor, text) of each paragraph or
    heading) that the glossary lacks, most frequent first.

    Candidates are quoted short strings (“六个一”) and numbered formulae (两减六治三提升);
    a candidate's count is how often it occurs anywhere in the text, quoted or not.
    """
    known = {_normal(f) for t in (glossary.terms if glossary else ()) for f in t.forms}
    blocks = list(blocks)
    first: dict[str, tuple[str, str, str, int]] = {}
    kinds: dict[str, set[str]] = {}
    for slug, anchor, text in blocks:
        for kind, regex in (("quoted", _QUOTED_RE), ("formula", _FORMULA_RE)):
            for match in regex.finditer(text):
                candidate = match.group(1) if kind == "quoted" else match.group()
                candidate = candidate.strip()
                if (len(candidate) < 2 or _normal(candidate) in known or _NOT_SHORTHAND.search(candidate)
                        or candidate.isdigit() and len(candidate) >= 4 and candidate.startswith(("19", "20"))):
                    continue
                kinds.setdefault(candidate, set()).add(kind)
                first.setdefault(candidate, (slug, anchor, text, match.start()))
    # a formula that is only part of a quoted candidate, or of a known term, is not separate
    quoted = [c for c, k in kinds.items() if "quoted" in k]
    for candidate in [c for c, k in kinds.items() if k == {"formula"}]:
        if any(candidate in q and candidate != q for q in quoted) or any(candidate in k for k in known):
            del kinds[candidate]
    counts: Counter[str] = Counter()
    for candidate in kinds:
        counts[candidate] = sum(text.count(candidate) for _, _, text in blocks)
    out = []
    for candidate in sorted(kinds, key=lambda c: (-counts[c], "quoted" not in kinds[c], c)):
        slug, anchor, text, index = first[candidate]
        out.append(Suggestion(candidate, counts[candidate], _sentence_around(text, index), slug, anchor,
                              tuple(sorted(kinds[candidate]))))
    return out


def suggestion_id(term: str, taken: Iterable[str] = ()) -> str:
    """An ASCII id for a new entry: the term's toneless pinyin joined by '-' (放管服 -> fang-guan-fu)."""
    from pypinyin import lazy_pinyin

    base = "-".join(p for p in (re.sub(r"[^a-z0-9]+", "", s.lower()) for s in lazy_pinyin(term)) if p) or "term"
    taken = set(taken)
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def suggestions_yaml(suggestions: Sequence[Suggestion], taken: Iterable[str] = ()) -> str:
    """YAML stubs for ``suggestions``, ready to paste into glossary.yaml and complete.

    The definition and gloss are left empty on purpose: the build refuses the file until
    someone writes them.
    """
    taken = set(taken)
    lines = []
    for s in suggestions:
        entry_id = suggestion_id(s.term, taken)
        taken.add(entry_id)
        lines += [
            f"# {s.count}× — {s.report}#{s.anchor}: {s.example}",
            f"- id: {entry_id}",
            f"  term: {_yaml_str(s.term)}",
            "  definition: \"\"",
            "  gloss: \"\"",
            "  category: \"\"",
            "",
        ]
    return "\n".join(lines)


def _yaml_str(value: str) -> str:
    dumped = yaml.safe_dump(value, allow_unicode=True, default_style=None).strip()
    return dumped[:-4].strip() if dumped.endswith("\n...") else dumped.removesuffix("...").strip()


def glossary_json(glossary: Glossary,
                  occurrences: Mapping[str, Sequence[Mapping[str, str]]]) -> list[dict[str, object]]:
    """The entries of ``data/glossary.json``: each term with its occurrences [{report, anchor}]."""
    return [
        {
            "id": t.id, "term": t.term, "aliases": list(t.aliases), "definition": t.definition,
            "gloss": t.gloss, "category": t.category, "see_also": list(t.see_also),
            "occurrences": [{"report": o["report"], "anchor": o["anchor"]} for o in occurrences.get(t.id, ())],
        }
        for t in glossary.terms
    ]
