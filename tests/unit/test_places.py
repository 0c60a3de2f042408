"""The gazetteer: loading, resolving, finding and romanizing place names."""

from __future__ import annotations

import pytest

from builder.text import places, segment


def test_table_loads_without_placeholders() -> None:
    table = places.divisions()
    assert len(table) > 3000
    names = {d.name for d in table.values()}
    assert "市辖区" not in names and "县" not in names and "省直辖县级行政区划" not in names
    assert table["150702"].name == "海拉尔区" and table["150702"].level == 3
    assert places.divisions() is table  # cached


@pytest.mark.parametrize(
    "name, path",
    [
        ("海拉尔区", "内蒙古自治区呼伦贝尔市海拉尔区"),
        ("苏州市", "江苏省苏州市"),
        ("北京市", "北京市"),
        ("四川省", "四川省"),
        ("淮安", "江苏省淮安市"),  # short form: the city, not 淮安区
        ("呼伦贝尔市海拉尔区", "内蒙古自治区呼伦贝尔市海拉尔区"),
        ("北京市朝阳区", "北京市朝阳区"),
        ("长春市朝阳区", "吉林省长春市朝阳区"),
        ("仙桃市", "湖北省仙桃市"),  # directly under the province
        ("宁夏回族自治区", "宁夏回族自治区"),
        ("全国", "全国"),
    ],
)
def test_full_path(name: str, path: str) -> None:
    assert places.full_path(name) == path


def test_unknown_name() -> None:
    assert places.full_path("不存在市") is None
    assert places.resolve("") is None


def test_duplicates_resolved_by_context() -> None:
    assert places.full_path("朝阳区", "长春市南关区、宽城区和朝阳区") == "吉林省长春市朝阳区"
    assert places.full_path("朝阳区", "北京市海淀区、朝阳区") == "北京市朝阳区"
    assert places.full_path("鼓楼区", "南京市玄武区、鼓楼区") == "江苏省南京市鼓楼区"
    assert places.full_path("吉林") == "吉林省"  # higher level wins a tie


@pytest.mark.parametrize(
    "name, short",
    [
        ("苏州市", "苏州"), ("内蒙古自治区", "内蒙古"), ("宁夏回族自治区", "宁夏"), ("广西壮族自治区", "广西"),
        ("新疆维吾尔自治区", "新疆"), ("香港特别行政区", "香港"), ("延边朝鲜族自治州", "延边"),
        ("海拉尔区", "海拉尔"), ("城区", "城区"), ("四川省", "四川"),
    ],
)
def test_short_name(name: str, short: str) -> None:
    assert places.short_name(name) == short


@pytest.mark.parametrize(
    "name, slug",
    [
        ("苏州市", "suzhou"), ("淮安市", "huaian"), ("内蒙古自治区", "neimenggu"), ("呼伦贝尔市海拉尔区", "hailaer"),
        ("海拉尔区", "hailaer"), ("北京市", "beijing"), ("重庆市", "chongqing"), ("朝阳区", "chaoyang"),
        ("全国", "quanguo"), ("绿春县", "lvchun"),
        # 陕西 and 山西 are both Shānxī in plain pinyin; the official romanization tells them apart.
        ("陕西省", "shaanxi"), ("山西省", "shanxi"),
    ],
)
def test_place_pinyin(name: str, slug: str) -> None:
    assert places.place_pinyin(name) == slug


def _found(text: str) -> list[tuple[str, bool]]:
    return [(m.text, m.is_short) for m in places.find_places(text)]


def test_find_full_and_short_names() -> None:
    text = "制定《淮安市住宅物业管理条例》，打造淮安人大工作品牌；长江苏州段，呼伦贝尔市海拉尔区"
    assert _found(text) == [
        ("淮安市", False), ("淮安", True), ("苏州", True), ("呼伦贝尔市", False), ("海拉尔区", False),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "新兴产业和新兴市场加快发展",
        "资源节约，合作共赢",
        "城区面貌明显改善，老城区改造",
        "长寿之乡，东方明珠",
        "和平发展，平安建设",
    ],
)
def test_common_words_are_not_places(text: str) -> None:
    assert _found(text) == []


def test_generic_names_need_their_parent() -> None:
    assert _found("西安市新城区") == [("西安市", False), ("新城区", False)]
    mention = places.find_places("西安市新城区")[1]
    assert [d.code for d in mention.candidates] == ["610102"]


def test_mention_offsets() -> None:
    text = "在苏州市工作"
    (mention,) = places.find_places(text)
    assert text[mention.start: mention.end] == "苏州市"


# ------------------------------------------------------------------ speed without changing results (issue 5)


def test_shipped_short_tags_match_jiebas_table() -> None:
    """data/short_tags.tsv is jieba's own part-of-speech tag of every short form it knows."""
    _, short, _ = places._indexes()
    tags = places._word_tags()
    assert places._short_tags() == {s: tags[s] for s in short if s in tags}


def _find_unpruned(text: str) -> list[places.PlaceMention]:
    """The scan as first written: every run of up to 8 tokens tried, jieba's full tag table."""
    full, short, longest = places._indexes()
    tokens, tags, mentions, i = places._tokens(text), places._word_tags(), [], 0
    while i < len(tokens):
        start, token = tokens[i]
        found, combined = None, ""
        for j in range(i, min(len(tokens), i + 8)):
            combined += tokens[j][1]
            if len(combined) > longest:
                break
            if combined in full:
                found = (j, combined)
        if found:
            j, name = found
            candidates = full[name]
            if places._is_generic(name):
                candidates = places._with_parent_before(candidates, text, start)
            if candidates:
                mentions.append(places.PlaceMention(start, start + len(name), name, candidates, False))
            i = j + 1
            continue
        if token in short:
            after = text[start + len(token): start + len(token) + 2]
            standalone = token not in places._COMMON_WORD_SHORTS and tags.get(token, "ns") in places._PLACE_TAGS
            if places._SHORT_CONTEXT_RE.match(after) or standalone:
                mentions.append(places.PlaceMention(start, start + len(token), token, short[token], True))
        i += 1
    return mentions


def _page_texts() -> list[str]:
    """The bundled page, the shared corpus (when present) and a few hard cases."""
    from pathlib import Path

    from builder.ingest.read import read_source

    root = Path(__file__).resolve().parents[2]
    paths = [root / "site_src/scraped/000_8b8113f56c6b1839.txt", *sorted((root.parent / "shared/corpus").glob("*.txt"))]
    texts = ["\n".join(doc.lines) for path in paths for doc in read_source(path, path.name)]
    return texts + ["制定《淮安市住宅物业管理条例》，打造淮安人大工作品牌；长江苏州段，呼伦贝尔市海拉尔区",
                    "西安市新城区、内蒙古自治区呼伦贝尔市、新兴市场、长寿之乡、北京市朝阳区和朝阳",
                    "西安市\n新城区；淮安\n人大；苏州\n\n籍贯"]


def test_prefix_pruned_scan_finds_what_the_full_scan_finds() -> None:
    for text in _page_texts():
        assert places._find_places(text) == _find_unpruned(text)


def test_texts_joined_by_a_line_break_are_searched_apart() -> None:
    """jieba never cuts across a line break, so the places in a report are those in its head
    and those in its body (what split.attribute relies on)."""
    for text in _page_texts():
        lines = text.split("\n")
        assert segment.cut(text) == [token for line in lines for token in [*segment.cut(line), "\n"]][:-1]
        for k in sorted({0, 1, 3, len(lines) // 2, len(lines)}):
            head, body = "\n".join(lines[:k]), "\n".join(lines[k:])
            shift = len(head) + 1
            apart = places._find_places(head) + [
                places.PlaceMention(m.start + shift, m.end + shift, m.text, m.candidates, m.is_short)
                for m in places._find_places(body)]
            expected = apart if k else places._find_places(body)
            assert places._find_places(text) == expected


def test_shipped_pinyin_table_matches_pypinyin() -> None:
    """data/place_pinyin.tsv is what pypinyin gives for every division's name."""
    names = {div.name for div in places.divisions().values()}
    assert places._pinyin_table() == {name: places.romanize(name) for name in names}


def test_hierarchy_goes_from_the_nation_down_to_the_reports_place() -> None:
    chain = places.hierarchy("内蒙古自治区呼伦贝尔市海拉尔区")
    assert [(step.name, step.level_name) for step in chain] == [
        ("全国", "全国"), ("内蒙古自治区", "省级"), ("呼伦贝尔市", "地级"), ("海拉尔区", "县级")]
    assert [step.slug for step in chain] == ["quanguo", "neimenggu-150000", "hulunbeier-150700", "hailaer-150702"]


def test_hierarchy_of_a_municipality_district_skips_the_placeholder_prefecture() -> None:
    assert [step.name for step in places.hierarchy("北京市朝阳区")] == ["全国", "北京市", "朝阳区"]


def test_hierarchy_of_national_reports_and_of_unknown_places() -> None:
    assert places.hierarchy("全国") == (places.NATION,)
    assert places.hierarchy("") == ()
    assert places.hierarchy("火星") == ()


@pytest.mark.parametrize("written, full", [
    ("景宁县", "景宁畲族自治县"), ("浙江省景宁县", "景宁畲族自治县"), ("长阳县", "长阳土家族自治县"),
    ("鄂伦春旗", "鄂伦春自治旗"), ("宁县", "宁县"), ("甘肃省庆阳市宁县", "宁县"), ("呼伦贝尔市海拉尔区", "海拉尔区"),
])
def test_a_short_form_with_its_level_word_is_that_division(written, full):
    """景宁县 is 景宁畲族自治县 (its short form and 县), not the 宁县 that stands inside it."""
    div = places.resolve(written)
    assert div is not None and div.name == full
