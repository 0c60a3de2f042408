"""Canonical indicator names: what reports write, mapped to one name so that a target and a
result can be matched across reports (``canonical_name("全区生产总值") == "地区生产总值"``).

Only labels that mean the same thing are mapped, each with the reason; a label that may mean
several things (投资, 收入, 地方财政收入) stays unmapped (None) and never pairs.  The label a
report writes is kept as it is; the canonical name is an extra field of the row (``indicator``).
"""

from __future__ import annotations

import re

from builder.text.shadow import shadow

#: written label -> canonical name, each with its evidence.
CANONICAL: dict[str, str] = {
    # GDP is the abbreviation of 国内/地区生产总值; a local report's 全市/全区/全省/全县/全旗生产总值
    # is its area's 地区生产总值 (the statistical bulletins call it 地区生产总值); 国内生产总值
    # is the national report's 地区生产总值 (one place: 全国).
    "地区生产总值": "地区生产总值",
    "GDP": "地区生产总值",
    "国内生产总值": "地区生产总值",
    "全市生产总值": "地区生产总值",
    "全区生产总值": "地区生产总值",
    "全省生产总值": "地区生产总值",
    "全县生产总值": "地区生产总值",
    "全旗生产总值": "地区生产总值",
    # 2015 budget law renamed 公共财政预算收入 to 一般公共预算收入 (same item); 地方 names the
    # level that keeps it, which is what a local report's 一般公共预算收入 is anyway.
    "一般公共预算收入": "一般公共预算收入",
    "地方一般公共预算收入": "一般公共预算收入",
    "公共财政预算收入": "一般公共预算收入",
    "地方公共财政预算收入": "一般公共预算收入",
    "一般公共财政预算收入": "一般公共预算收入",  # the transitional name (2016-2017 reports)
    # 财政总收入 is all revenue collected in the area, including the taxes passed up to higher
    # levels: a larger item than 一般公共预算收入, so its own name.  地方财政总收入 is not the same
    # either (海拉尔区 2012: 财政总收入完成29亿元 … 地方财政总收入完成16亿元): its own name too.
    # 地方财政收入 alone is left unmapped: reports use it for any of these.
    "财政总收入": "财政总收入",
    "地方财政总收入": "地方财政总收入",
    # the same statistical item in every report
    "社会消费品零售总额": "社会消费品零售总额",
    "固定资产投资": "固定资产投资",
    # 全社会 includes rural households' investment, which 固定资产投资 (since 2011: projects of
    # 500万元 and more) leaves out: its own name.
    "全社会固定资产投资": "全社会固定资产投资",
    # 常住 names the survey population the income series has used since the 2013 integrated survey
    "城镇居民人均可支配收入": "城镇居民人均可支配收入",
    "城镇常住居民人均可支配收入": "城镇居民人均可支配收入",
    "城镇人均可支配收入": "城镇居民人均可支配收入",  # 居民 left out (海拉尔区 2012), the same survey item
    "农村居民人均可支配收入": "农村居民人均可支配收入",
    "农村常住居民人均可支配收入": "农村居民人均可支配收入",
    # 农村牧区 is Inner Mongolia's 农村 (pastoral areas included)
    "农村牧区居民人均可支配收入": "农村居民人均可支配收入",
    "农村牧区常住居民人均可支配收入": "农村居民人均可支配收入",
    "农牧民人均可支配收入": "农村居民人均可支配收入",
    # 纯收入 is the pre-2013 series (net of production costs), not 可支配收入: its own name
    "农民人均纯收入": "农民人均纯收入",
    "农牧民人均纯收入": "农民人均纯收入",
    "农村居民人均纯收入": "农民人均纯收入",
    "城镇调查失业率": "城镇调查失业率",
    "城镇登记失业率": "城镇登记失业率",
    # a price index's rise is stated as 居民消费价格 / 居民消费价格涨幅 / CPI
    "居民消费价格": "居民消费价格",
    "居民消费价格涨幅": "居民消费价格",
    "居民消费价格指数": "居民消费价格",
    "CPI": "居民消费价格",
    "单位GDP能耗": "单位GDP能耗",
    "单位地区生产总值能耗": "单位GDP能耗",
    "单位国内生产总值能耗": "单位GDP能耗",
    "万元GDP能耗": "单位GDP能耗",
    "规模以上工业增加值": "规模以上工业增加值",
    "规上工业增加值": "规模以上工业增加值",
    "规模以上工业总产值": "规模以上工业总产值",
    "进出口总额": "进出口总额",
    "外贸进出口总额": "进出口总额",
    "货物进出口总额": "进出口总额",
}

#: Written before a name without changing it (全年, 全区 …): removed before the look-up.
_PLACE_PREFIX = re.compile(r"^(?:全年|全市|全区|全省|全县|全旗|全盟|全州|我市|我区|我省|我县|我旗)")
#: Written after it (预计 left by a clause's end, a control verb): removed before the look-up.
_SUFFIX = re.compile(r"(?:预计|控制到|控制在|增速|增幅)$")


def canonical_name(label: str) -> str | None:
    """The canonical name of ``label``, or None when it is not in the table (then it never pairs).
    A label in traditional characters (地區生產總值) is matched by its simplified shadow."""
    label = shadow(label.strip())
    if label in CANONICAL:
        return CANONICAL[label]
    return CANONICAL.get(_SUFFIX.sub("", _PLACE_PREFIX.sub("", label)))


#: Indicators where less is better (a target is a ceiling): the result meets it by staying under.
LOWER_IS_BETTER = frozenset({"城镇调查失业率", "城镇登记失业率", "居民消费价格", "单位GDP能耗"})
