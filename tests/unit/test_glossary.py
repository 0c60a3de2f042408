"""builder.glossary.terms: loading and validation (errors name file and line), find_terms, suggestions;
builder.glossary.pages: pinyin order and letters; builder.text.segment: one quiet jieba."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from builder.core.errors import SourceError
from builder.glossary.pages import glossary_context, letter, report_terms, sort_key
from builder.glossary.terms import (
    Glossary,
    Term,
    find_terms,
    load_glossary,
    parse_glossary,
    suggest_terms,
    suggestion_id,
    suggestions_yaml,
)

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = ROOT / "site_src" / "glossary.yaml"

ENTRY = """\
- id: {id}
  term: {term}
  definition: {definition}
  gloss: g
"""


def glossary(*terms: str, **defs: str) -> Glossary:
    text = "".join(ENTRY.format(id=f"t{i}", term=t, definition="定义。") for i, t in enumerate(terms))
    return parse_glossary(text, "g.yaml")


def spans(g: Glossary, text: str) -> list[tuple[str, str]]:
    return [(s.text, s.term_id) for s in find_terms(g, text)]


# ------------------------------------------------------------------ validation


def error(text: str) -> str:
    with pytest.raises(SourceError) as info:
        parse_glossary(text, "site_src/glossary.yaml")
    return str(info.value)


def test_duplicate_id_names_file_and_line() -> None:
    text = ENTRY.format(id="a", term="甲", definition="x") + ENTRY.format(id="a", term="乙", definition="y")
    assert error(text) == "site_src/glossary.yaml:5: id: duplicate id 'a' (also on line 1)"


def test_duplicate_term_and_alias() -> None:
    text = (ENTRY.format(id="a", term="放管服", definition="x")
            + "- id: b\n  term: 乙\n  aliases: [“放管服”]\n  definition: y\n  gloss: g\n")
    assert error(text) == ("site_src/glossary.yaml:7: duplicate term or alias '“放管服”' "
                           "(also '放管服' on line 2)")


def test_empty_definition() -> None:
    assert error("- id: a\n  term: 甲\n  definition: \"\"\n  gloss: g\n") == \
        "site_src/glossary.yaml:3: definition: empty"


def test_missing_definition() -> None:
    assert error("- id: a\n  term: 甲\n  gloss: g\n") == "site_src/glossary.yaml:1: definition: missing (entry 'a')"


def test_unknown_see_also() -> None:
    text = "- id: a\n  term: 甲\n  definition: x\n  gloss: g\n  see_also: [a, nope]\n"
    assert error(text) == "site_src/glossary.yaml:5: see_also: unknown id 'nope' (in entry 'a')"


def test_non_ascii_id_and_unknown_field() -> None:
    assert error("- id: 放管服\n  term: 甲\n  definition: x\n  gloss: g\n") == \
        "site_src/glossary.yaml:1: id: '放管服' must be ASCII letters, digits, '-' or '_'"
    assert error("- id: a\n  term: 甲\n  definiton: x\n  definition: x\n  gloss: g\n").startswith(
        "site_src/glossary.yaml:3: definiton: unknown field")


def test_several_problems_reported_at_once() -> None:
    text = "- id: a\n  term: 甲\n  definition: \"\"\n  gloss: g\n- id: a\n  term: 甲\n  definition: x\n  gloss: g\n"
    message = error(text)
    assert message.startswith("site_src/glossary.yaml:3: 3 problems: line 3: definition: empty; line 5:")
    assert "duplicate id 'a'" in message and "duplicate term or alias '甲'" in message


def test_invalid_yaml_and_wrong_shape() -> None:
    assert error("- id: [\n").startswith("site_src/glossary.yaml:2: invalid YAML")
    assert error("id: a\n") == ("site_src/glossary.yaml:1: expected a list of glossary entries "
                                "(- id: …, term: …)")


def test_numbers_stay_strings_and_missing_file_is_no_glossary(tmp_path: Path) -> None:
    g = parse_glossary("- id: h\n  term: 12345\n  definition: 热线。\n  gloss: hotline\n", "g.yaml")
    assert g.terms[0].term == "12345"
    assert load_glossary(tmp_path / "absent.yaml") is None
    assert len(parse_glossary("", "g.yaml")) == 0


# ------------------------------------------------------------------ matching


def test_term_inside_a_longer_word_is_not_found() -> None:
    g = glossary("意识", "小康")
    assert spans(g, "意识形态领域") == []
    assert spans(g, "增强忧患意识") == []  # 忧患意识 is a word of its own
    assert spans(g, "提高意识") == [("意识", "t0")]


def test_overlapping_terms_longest_wins() -> None:
    g = glossary("意识", "四个意识")
    assert spans(g, "增强四个意识，提高意识") == [("四个意识", "t1"), ("意识", "t0")]


def test_phrases_with_punctuation_digits_and_latin() -> None:
    g = glossary("双随机、一公开", "331", "P+R", "12345")
    assert spans(g, "“双随机、一公开”，“331”专项，P+R，12345热线") == [
        ("双随机、一公开", "t0"), ("331", "t1"), ("P+R", "t2"), ("12345", "t3")]
    assert spans(g, "1331 3310 123456 AP+RB") == []
    assert spans(g, "双随机一公开") == []


def test_a_phrase_and_a_word_overlapping() -> None:
    g = glossary("一公开", "双随机、一公开")
    assert spans(g, "双随机、一公开和一公开") == [("双随机、一公开", "t1"), ("一公开", "t0")]


def test_find_terms_does_not_change_place_segmentation() -> None:
    from builder.text.segment import cut

    before = cut("长三角一体化和四个意识")
    glossary("长三角一体化", "四个意识").find_terms("长三角一体化和四个意识")
    assert cut("长三角一体化和四个意识") == before


def _reference_find_terms(g: Glossary, text: str) -> list[tuple[int, int, str]]:
    """find_terms the plain way: every phrase with str.find, every run of Han characters cut
    by jieba on its own; the fast one must give exactly this."""
    from builder.glossary.terms import _ASCII_ALNUM, TermSpan, _longest_first
    from builder.text.segment import HAN_BLOCK, cut_block

    found = []
    for phrase, head, tail in g._phrases:
        start = text.find(phrase)
        while start >= 0:
            end = start + len(phrase)
            if not (head and start > 0 and _ASCII_ALNUM.match(text[start - 1])
                    or tail and end < len(text) and _ASCII_ALNUM.match(text[end])):
                found.append(TermSpan(start, end, g._form_ids[phrase], phrase))
            start = text.find(phrase, start + 1)
    if g._word_re is not None:
        for block in HAN_BLOCK.finditer(text):
            if g._word_re.search(block.group()):
                pos = block.start()
                for token in cut_block(block.group(), g._words):
                    if token in g._words:
                        found.append(TermSpan(pos, pos + len(token), g._form_ids[token], token))
                    pos += len(token)
    return [(s.start, s.end, s.term_id) for s in _longest_first(found)]


@pytest.mark.parametrize("terms", [
    ("意识", "四个意识", "一公开", "双随机、一公开", "331", "P+R", "12345", "放管服", "六稳", "双创"),
    # a word with a character jieba does not cut as Han (CJK extension A): runs are searched one by one
    ("意识", "\u3400意", "331", "六稳"),
])
def test_find_terms_is_the_plain_search(terms: tuple[str, ...]) -> None:
    import random

    g = glossary(*terms)
    rng = random.Random(7)
    atoms = [*terms, "增强", "提高", "形态", "1", "3", "A", "、", "，", "。", " ", "\n", "和", "\u3400", "\u9fe0"]
    for _ in range(3000):
        text = "".join(rng.choice(atoms) for _ in range(rng.randrange(14)))
        assert [(s.start, s.end, s.term_id) for s in find_terms(g, text)] == _reference_find_terms(g, text), text


# ------------------------------------------------------------------ the bundled glossary


@pytest.fixture(scope="module")
def bundled() -> Glossary:
    g = load_glossary(BUNDLED)
    assert g is not None
    return g


def test_bundled_glossary_is_valid_and_large(bundled: Glossary) -> None:
    assert len(bundled) >= 60
    for term in bundled.terms:
        assert term.definition.endswith("。"), term.id
        assert 1 <= term.definition.count("。") <= 4, term.id
        assert term.gloss and term.category, term.id
        assert "TODO" not in term.definition and "待补" not in term.definition


@pytest.mark.parametrize("term", ["放管服", "六稳", "三大攻坚战", "双随机、一公开", "四个意识", "四个自信", "两个维护",
                                  "不忘初心、牢记使命", "强富美高", "一岗双责", "八项规定", "证照分离", "三权分置",
                                  "十三五", "一带一路", "长三角一体化", "不见面审批", "12345", "河长制",
                                  "331", "326", "P+R", "两减六治三提升"])
def test_bundled_glossary_has_the_shorthand_of_the_issue(bundled: Glossary, term: str) -> None:
    assert term in {f for t in bundled.terms for f in t.forms}


# ------------------------------------------------------------------ suggestions


def test_suggest_quoted_shorthand_and_formulae_absent_from_the_glossary() -> None:
    g = glossary("放管服")
    blocks = [("r", "p1", "深化“放管服”改革。推进“六个一”走访。"),
              ("r", "p2", "深化两减六治三提升专项行动。落实“六个一”。学习十九届四中全会精神。"),
              ("r", "p3", "“有件必备、有备必审、有错必纠”。这是“一句完整的话，不是简称。”")]
    found = suggest_terms(g, blocks)
    assert [(s.term, s.count) for s in found] == [
        ("六个一", 2), ("有件必备、有备必审、有错必纠", 1), ("两减六治三提升", 1)]
    first = found[0]
    assert (first.report, first.anchor, first.example) == ("r", "p1", "推进“六个一”走访。")
    stubs = suggestions_yaml(found[:1], taken={"liu-ge-yi"})
    assert "- id: liu-ge-yi-2\n  term: 六个一\n  definition: \"\"" in stubs
    assert suggestion_id("P+R") == "p-r" or suggestion_id("P+R") == "pr"


# ------------------------------------------------------------------ glossary page helpers


def test_pinyin_order_and_letters() -> None:
    terms = [Term("a", "放管服", "d", "g"), Term("b", "P+R", "d", "g"), Term("c", "12345", "d", "g"),
             Term("d", "八项规定", "d", "g")]
    assert [t.term for t in sorted(terms, key=sort_key)] == ["八项规定", "放管服", "P+R", "12345"]
    assert [letter(t) for t in terms] == ["F", "P", "#", "B"]


def test_glossary_context_groups_backlinks_by_report() -> None:
    g = glossary("放管服", "六稳")
    context = glossary_context(g, {"t0": [{"report": "r1", "anchor": "s1-p2"}, {"report": "r1", "anchor": "s2"},
                                          {"report": "r2", "anchor": "p1"}]},
                               titles={"r1": "报告一", "r2": "报告二"},
                               urls={"r1": "reports/r1.html", "r2": "reports/r2.html"})
    first = context["entries"][0]
    assert (first["term"], first["count"]) == ("放管服", 3)
    assert first["reports"][0]["anchors"][1] == {"anchor": "s2", "label": "s2", "url": "../reports/r1.html#s2"}
    labelled = glossary_context(g, {"t0": [("r1", "s1-p2")]}, titles={}, urls={},
                                places={"r1": {"s1-p2": "一、回顾 · 第2段"}})
    assert labelled["entries"][0]["reports"][0]["anchors"][0]["label"] == "一、回顾 · 第2段"
    assert [grp["letter"] for grp in context["groups"]] == ["F", "L"]
    assert report_terms(g, ["t1", "t0", "t1"])[0]["term"] == "放管服"


# ------------------------------------------------------------------ one quiet jieba


def test_jieba_loads_quietly_with_its_cache_in_the_given_folder(tmp_path: Path) -> None:
    code = ("import sys; from pathlib import Path; from builder.text import segment; "
            f"segment.use_cache_dir(Path({str(tmp_path)!r})); "
            "print(segment.cut('增强四个意识', ['四个意识'])); "
            "from builder.text.places import find_places; find_places('江苏省苏州市')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert result.stderr == ""
    assert (tmp_path / "jieba.cache").is_file()
    assert json.loads(result.stdout.replace("'", '"')) == ["增强", "四个意识"]


def test_prime_pinyin_computes_the_keys_pinyin_key_would() -> None:
    from builder.glossary import pages as glossary_site

    texts = ["放管服", "双随机、一公开", "P+R", "放管服"]
    saved = dict(glossary_site._PINYIN)
    try:
        glossary_site._PINYIN.clear()
        glossary_site.prime_pinyin(texts)
        primed = {t: glossary_site._PINYIN[t] for t in texts}
        glossary_site._PINYIN.clear()
        assert primed == {t: glossary_site.pinyin_key(t) for t in texts}
    finally:
        glossary_site._PINYIN.clear()
        glossary_site._PINYIN.update(saved)


def test_pinyin_version_is_pypinyins() -> None:
    from importlib.metadata import version

    from builder.glossary.pages import pinyin_version

    assert pinyin_version() == version("pypinyin")
