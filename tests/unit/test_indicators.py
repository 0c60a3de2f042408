"""Unit tests of builder.indicators.extract: fixture cases (tests/fixtures/indicators.md) and helpers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixture_file import fixture_params
from hypothesis import given, settings
from hypothesis import strategies as st

from builder.indicators.canonical import canonical_name
from builder.indicators.extract import (
    Context,
    Indicator,
    extract_paragraph,
    group_by_section,
    key_indicators,
)
from builder.indicators.labels import balanced, clean, weak
from builder.indicators.tables import csv_lines, targets_vs_results, to_csv, to_row

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "indicators.md"


def _fmt(value) -> str:
    return "-" if value is None else str(value)


def describe(item: Indicator) -> str:
    normalized = "-" if item.value is None else f"{item.value_normalized} {item.unit_normalized}"
    change = "-" if item.change is None else f"{item.change} {item.change_unit}"
    return " | ".join([item.label, _fmt(item.value), normalized, change, _fmt(item.qualifier),
                       f"{item.kind} {item.year}", item.span])


def _run(text: str) -> list[Indicator]:
    lines = text.splitlines()
    sections: tuple[str, ...] = ()
    if lines and lines[0].startswith("§ "):
        sections = (lines[0][2:],)
        lines = lines[1:]
    paragraph = "\n".join(lines)
    items = extract_paragraph(paragraph, "p1", Context(sections=sections, report_year=2020, report="r"))
    for item in items:  # the span is the exact source text at its offsets
        assert paragraph[item.start:item.end] == item.span
    return items


@pytest.mark.parametrize("case", fixture_params(FIXTURES))
def test_fixture(case):
    got = "\n".join(describe(i) for i in _run(case.input))
    assert got == case.expected.strip()


def test_indicator_ids_and_data_values():
    [item] = extract_paragraph("进出口总额达到3141亿美元。", "s1-p2", Context(report_year=2020))
    assert item.id == "i-s1-p2-7"
    assert item.data_value == "314100000000"
    [change] = extract_paragraph("旅游总收入增长8%。", "s1-p3", Context(report_year=2020))
    assert change.data_value == "8"


def test_rows_csv_and_json_are_deterministic():
    items = extract_paragraph("一般公共预算收入2221.8亿元，增长4.8%。", "s1-1-p1",
                              Context(sections=("一、2019年工作回顾",), report_year=2020, report="r"))
    row = to_row(items[0], "reports/r.html")
    assert row["url"] == "reports/r.html#s1-1-p1"
    assert row["value_normalized"] == 222180000000 and row["change"] == 4.8
    assert row["indicator"] == "一般公共预算收入"
    assert list(row) == ["report", "label", "indicator", "value", "value_normalized", "unit_normalized", "change",
                         "change_unit", "qualifier", "kind", "year", "anchor", "span", "url"]
    data = to_csv([row])
    assert data.startswith("\ufeff".encode("utf-8"))
    assert "一般公共预算收入,2221.8亿元,222180000000,元,4.8,%" in data.decode("utf-8")
    assert json.dumps(row, ensure_ascii=False)


def test_key_indicators_prefer_opening_results_and_targets():
    ctx = Context(sections=("一、2019年工作回顾",), report_year=2020)
    opening = extract_paragraph("地区生产总值1.93万亿元。一般公共预算收入2221.8亿元。进出口总额3141亿美元。", "a", ctx)
    later = extract_paragraph("新增医联体26个，专科专病联盟20个。", "b", ctx)
    targets = extract_paragraph("主要预期目标是：地区生产总值增长6%左右，一般公共预算收入增长4%左右，"
                                "城镇登记失业率控制在3%以内。", "c",
                                Context(sections=("二、2020年主要任务",), report_year=2020))
    chosen = key_indicators([*opening, *later, *targets], 6)
    assert [i.anchor for i in chosen] == ["a", "a", "a", "c", "c", "c"]
    assert key_indicators(opening, 0) == []
    groups = group_by_section(chosen)
    assert [g["section"] for g in groups] == ["一、2019年工作回顾", "二、2020年主要任务"]


def test_targets_vs_results_pairs_same_place_indicator_measure_and_year():
    def row(kind, year, report_year, value=None, unit=None, change=None, place="甲市", label="全市生产总值"):
        return {"label": label, "indicator": canonical_name(label), "kind": kind, "year": year,
                "report_year": report_year, "place": place, "value": value, "unit_normalized": unit,
                "value_normalized": None if value is None else 1, "change": change,
                "change_unit": None if change is None else "%", "qualifier": None,
                "span": value or f"增长{change}%", "url": "x"}
    rows = [
        row("target", 2020, 2020, change=6),               # set in 2020's report for 2020
        row("actual", 2020, 2021, value="1亿元", unit="元"),  # a level: not a growth
        row("actual", 2020, 2021, change=6.2, place="乙市"),  # another place
        row("actual", 2020, 2020, change=5.0),             # stated in the same year's report
        row("actual", 2020, 2021, change=6.3, label="投资"),  # unmapped: never pairs
        row("actual", 2020, 2021, value="2亿元", unit="元", change=5.8),
    ]
    [pair] = targets_vs_results(rows)
    assert (pair["place"], pair["indicator"], pair["year"], pair["measure"]) == ("甲市", "地区生产总值", 2020, "growth")
    assert (pair["actual_text"], pair["met"], pair["margin"]) == ("增长5.8%", False, "-0.2个百分点")


def test_config_sidebar_count():
    from builder.core.config import parse_config
    from builder.core.errors import ConfigError

    assert parse_config("", Path("config.yaml")).indicator_count == 12
    assert parse_config("indicators:\n  sidebar_count: 5\n", Path("config.yaml")).indicator_count == 5
    with pytest.raises(ConfigError) as info:
        parse_config("indicators:\n  sidebar_count: many\n", Path("config.yaml"))
    assert "indicators.sidebar_count: expected a whole number (0 or more), got a string" in str(info.value)


# ----------------------------------------------------------------- fast paths give the plain results


@given(st.text(alphabet="、和及与的了，其中实现完成累计共享农庄地区生产总值（）“”《》作坊市县5", max_size=14))
@settings(max_examples=400, deadline=None)
def test_every_cleaned_label_is_balanced_and_starts_with_no_particle(raw):
    """Whatever the words before a figure, the label made of them has balanced brackets and
    quotes and starts with no particle."""
    from builder.indicators.extract import _clean_label

    label = _clean_label(raw)
    assert balanced(label), (raw, label)
    assert not label.startswith(tuple("的了和及与、，")), (raw, label)


#: Words a report puts before and after its figures: light verbs, particles, half and whole pairs.
_WORDS = ["新增", "实现", "完成", "累计", "共", "企业", "（作坊）", "（", "）", "“", "”", "县（市", "的", "了", "和",
          "、", "分别", "增长", "达到", "贷款余额", "服务业", "增加值", "组织", "检查组", "对", "进行", "检查", "列席",
          "代表", "全部", "每万人", "等", "“四好农村路", "关停"]
_CLAUSE = st.tuples(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=5), st.sampled_from(["5", "12.5", "300"]),
                    st.sampled_from(["家", "个", "亿元", "%", "名"]),
                    st.lists(st.sampled_from(_WORDS), max_size=2), st.sampled_from(["，", "。", "、", "；"]))


@given(st.lists(_CLAUSE, min_size=1, max_size=6))
@settings(max_examples=400, deadline=None)
def test_every_extracted_label_is_balanced_and_starts_with_no_particle(clauses):
    """Whatever the words around its figures, every label extracted from a paragraph has balanced
    brackets and quotes, starts with no particle and is not a light word alone."""
    from builder.indicators.labels import LIGHT_LEAD

    text = "".join("".join(before) + num + unit + "".join(after) + end for before, num, unit, after, end in clauses)
    for item in extract_paragraph(text, "p1", Context(report_year=2020)):
        assert item.label and balanced(item.label), (text, item.label)
        assert not item.label.startswith(tuple("的了和及与、，")), (text, item.label)
        assert item.label not in LIGHT_LEAD, (text, item.label)


@pytest.mark.parametrize("raw, label", [
    ("关停低端落后及过剩产能企业（作坊）", "关停低端落后及过剩产能企业（作坊）"),  # a whole pair stays
    ("关停低端落后及过剩产能企业（作坊", "关停低端落后及过剩产能企业"),  # a half pair goes
    ("县（市", "县市"),
    ("建设“四好农村路", "建设四好农村路"),
    ("“三城”建设资金", "“三城”建设资金"),
    ("三城”建设资金", "三城建设资金"),
    ("共享农庄", "共享农庄"),  # 共 is trimmed only as a word of its own
    ("共提出建议", "提出建议"),
    ("农民从集体分得的收入总共只增加了", "农民从集体分得的收入增加"),  # 总共, 只: a total, a small one
    ("实现增加值", "增加值"),
    ("贡献了全国", "贡献全国"),
    ("的有", ""),  # a light word alone names nothing
    ("清产核资后农村集体总资产", "农村集体总资产"),
    ("关停低端落后产能企业", "关停低端落后产能企业"),  # 落后 is no time phrase
    ("进一步停建、缓建大中型项目", "停建、缓建大中型项目"),  # 进一步 only says the government acted further
    ("各种水果", "水果"),  # a determiner of every kind, like 各类
    ("各种形式的成人高等教育在校学生", "成人高等教育在校学生"),
    ("则本年收入", "本年收入"),  # a connective of consequence
    ("保证每年增产原煤", "每年增产原煤"),  # what is guaranteed or striven for
    ("提出居民消费价格涨幅", "居民消费价格涨幅"),  # that a target was set
    ("提出意见建议", "提出意见建议"),  # …but proposals counted as made keep it
    ("争取到上级补助资金", "上级补助资金"),  # the result complement goes with its verb
    ("2024年末存款余额", "存款余额"),  # a leading date says when, not what
    ("年底贷款余额", "贷款余额"),
    ("开展技能培训", "技能培训"),
    ("释放政策红利", "政策红利"),
    ("8个主导产业产值", "主导产业产值"),  # a leading count only delimits the things measured
    ("到位资金", "到位资金"),  # 到 starting a word stays
    ("我们要力争使全国人口增长率", "人口增长率"),  # the speaker, what must be done and its causative
    ("要把商品零售物价上涨幅度", "商品零售物价上涨幅度"),
    ("取得重要科技成果", "重要科技成果"),
    ("推出“高效办成一件事”重点事项", "“高效办成一件事”重点事项"),
    ("使用外资", "使用外资"),  # 使 starting a word stays
    ("化肥（按有效成份计算）", "化肥"),  # a basis note in brackets says how it is counted, not what
])
def test_label_rules(raw, label):
    assert clean(raw) == label
    assert balanced(label)


def test_weak_labels_are_named():
    assert weak("组织") == ["verb"]
    assert weak("的零售额") == ["particle"]
    assert weak("县（市") == ["unbalanced"]
    assert weak("钢") == ["short"]
    assert weak("服务业增加值") == []


def test_normalized_values_are_exact_and_indicators_are_plain_data():
    import pickle
    from dataclasses import FrozenInstanceError, replace
    from decimal import Decimal

    from builder.indicators.extract import MAGNITUDES

    for num in ("0", "7", "0012", "1.5", "1.93", "2.50", "3.0", "１２"):
        for mag in ("", "万", "亿", "万亿"):
            value = Decimal(num).scaleb(MAGNITUDES.get(mag, 0))
            expected = int(value) if value == value.to_integral_value() else float(value)
            [item] = extract_paragraph(f"实现营业收入{num}{mag}元。", "p1", Context(report_year=2020))
            got = item.value_normalized
            assert (got, type(got)) == (expected, type(expected)), (num, mag)
    fields = dict(label="地区生产总值", value="5.0%", value_normalized=5.0, unit_normalized="%", change=None,
                  change_unit=None, qualifier=None, kind="actual", year=2019, anchor="p1", span="5.0%",
                  start=3, end=7)
    item = Indicator(**fields)
    assert (item.change_text, item.report, item.section) == (None, "", "")
    assert hash(item) == hash(Indicator(**fields)) and pickle.loads(pickle.dumps(item)) == item
    with pytest.raises(FrozenInstanceError):
        item.label = "x"  # type: ignore[misc]  # the assignment is the point: indicators are frozen
    changed = replace(item, change=1.5, label="x")
    assert (changed.change, changed.label, changed.value) == (1.5, "x", "5.0%")
    assert (item.value_display, item.change_display, item.kind_name) == ("5.0%", "", "实绩")
    assert replace(item, value=None, change_text="增长6%").value_display == ""
    assert replace(item, change_text="增长6%").change_display == "增长6%"

    class Partial:  # to_row reads any object; what it lacks is None
        anchor, label = "p2", "x"

    rows = [to_row(item, "reports/r.html"), to_row(Partial(), "reports/r.html")]
    assert rows[1]["url"] == "reports/r.html#p2" and rows[1]["value"] is None
    assert list(rows[0]) == list(rows[1])
    # floats as written numbers (5.0 -> 5), None as nothing, quotes and commas quoted
    rows.append({**rows[0], "label": 'a,"b"', "change": float("nan"), "year": True})
    assert csv_lines(rows).splitlines() == [
        ",地区生产总值,地区生产总值,5.0%,5,%,,,,actual,2019,p1,5.0%,reports/r.html#p1",
        ",x,,,,,,,,,,p2,,reports/r.html#p2",
        ',"a,""b""",地区生产总值,5.0%,5,%,nan,,,actual,True,p1,5.0%,reports/r.html#p1']


def test_canonical_names_map_only_the_same_thing():
    from builder.indicators.canonical import CANONICAL

    assert canonical_name("全市生产总值") == canonical_name("GDP") == canonical_name("国内生产总值") == "地区生产总值"
    assert canonical_name("全区地区生产总值") == "地区生产总值"  # 全区 is written before the name
    assert canonical_name("公共财政预算收入") == canonical_name("地方一般公共预算收入") == "一般公共预算收入"
    assert canonical_name("农村牧区常住居民人均可支配收入") == "农村居民人均可支配收入"
    assert canonical_name("单位地区生产总值能耗") == "单位GDP能耗"
    assert canonical_name("城镇登记失业率控制到") == "城镇登记失业率"
    # not the same: their own names, or none
    assert canonical_name("农民人均纯收入") == "农民人均纯收入"
    assert canonical_name("地方财政总收入") != canonical_name("财政总收入") != "一般公共预算收入"
    assert canonical_name("全社会固定资产投资") != canonical_name("固定资产投资")
    for ambiguous in ("投资", "地方财政收入", "收入", "增加值", "区本级固定资产投资", "计划投资"):
        assert canonical_name(ambiguous) is None, ambiguous
    assert set(CANONICAL.values()) <= set(CANONICAL)  # every canonical name maps to itself


def test_measure_is_growth_rate_or_level_in_a_unit():
    from builder.indicators.tables import measure

    def row(value=None, unit=None, change=None, change_unit=None):
        return {"value": value, "unit_normalized": unit, "change": change, "change_unit": change_unit}

    assert measure(row(change=6, change_unit="%")) == "growth"          # 增长6%
    assert measure(row(change=-0.5, change_unit="pp")) == "pp"         # 下降0.5个百分点
    assert measure(row("4%", "%")) == "rate"                           # 失业率4%
    assert measure(row("192.3亿元", "元", 6.0, "%")) == "level:元"      # a level (its growth is a second measure)
    assert measure(row("3亿美元", "美元")) != measure(row("3亿元", "元"))
    assert measure(row("5700人", "人")) == "level:人"


def test_verdict_rules():
    from builder.indicators.tables import verdict

    def row(change=None, value=None, qualifier=None):
        return {"change": change, "value_normalized": value, "qualifier": qualifier}

    growth = "growth"
    assert verdict("地区生产总值", growth, row(6, qualifier="左右"), row(6.2)) == (True, "+0.2个百分点")
    assert verdict("地区生产总值", growth, row(6, qualifier="左右"), row(5.6)) == (True, "-0.4个百分点")
    assert verdict("地区生产总值", growth, row(6, qualifier="左右"), row(5.4)) == (False, "-0.6个百分点")
    assert verdict("地区生产总值", growth, row(6), row(5.9)) == (False, "-0.1个百分点")
    assert verdict("地区生产总值", growth, row(6, qualifier="以上"), row(6)) == (True, "持平")
    # ceilings: 以内, and the indicators where less is better
    assert verdict("城镇登记失业率", "rate", row(value=4, qualifier="以内"), row(value=3.79)) == (True, "-0.21个百分点")
    assert verdict("城镇调查失业率", "rate", row(value=5.5, qualifier="左右"), row(value=6.1))[0] is False
    assert verdict("居民消费价格", growth, row(3, qualifier="左右"), row(3.4))[0] is True
    # 下降3%以上: at least 3% down
    assert verdict("单位GDP能耗", growth, row(-3, qualifier="以上"), row(-3.5)) == (True, "-0.5个百分点")
    assert verdict("单位GDP能耗", growth, row(-3), row(-2))[0] is False
    # levels: the margin as a share of the target; 左右 allows 1%
    assert verdict("地区生产总值", "level:元", row(value=240e8), row(value=235.2e8)) == (False, "-2.0%")
    assert verdict("地区生产总值", "level:元", row(value=240e8, qualifier="左右"), row(value=238e8))[0] is True


def test_a_change_over_several_years_says_so_and_never_pairs():
    from builder.indicators.tables import pair_rows, report_rows

    context = Context(sections=("一、2012年工作回顾",), report_year=2013)
    items = extract_paragraph("进出口总额年均增长12.2%。地区生产总值1000亿元，年均增长8%。", "p1", context)
    # the yearly average is a statement of its own, named like the level, never that year's change
    assert [(i.label, i.value, i.change_text) for i in items] == [
        ("进出口总额", None, "年均增长12.2%"), ("地区生产总值", "1000亿元", None), ("地区生产总值", None, "年均增长8%")]
    rows = report_rows(items, "reports/r.html")
    kept = pair_rows(rows, "全国", 2013, [i.change_text for i in items])
    assert len(kept) == 1 and kept[0][9] is None  # the level stays, without its five-year growth


@pytest.mark.parametrize("written", ["平均每年增长9%", "每年平均增长9%", "年平均增长9%"])
def test_an_average_yearly_change_written_out_never_pairs_as_one_years_growth(written):
    from builder.indicators.tables import pair_rows, report_rows

    context = Context(sections=("一、过去五年工作回顾",), report_year=2013)
    items = extract_paragraph(f"地区生产总值1000亿元，{written}。", "p1", context)
    rows = report_rows(items, "reports/r.html")
    kept = pair_rows(rows, "全国", 2013, [i.change_text for i in items])
    assert all(row[9] is None for row in kept)  # no growth is paired, whatever the level does


def test_a_label_in_traditional_characters_has_its_canonical_name():
    from builder.indicators.canonical import canonical_name

    assert canonical_name("地區生產總值") == canonical_name("地区生产总值") == "地区生产总值"
