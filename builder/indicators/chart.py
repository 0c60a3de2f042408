"""The growth chart of a report page: which reports have one, and its geometry.

Only a government work report states the year's growth rates as results and targets, so only
its page draws them (:func:`growth_chart` gives the bars' geometry).
"""

from __future__ import annotations

from collections.abc import Sequence

from builder.core.model import GOVERNMENT_WORK_REPORT
from builder.indicators.extract import ACTUAL, QUALIFIERS_AFTER, TARGET, Indicator, format_number

#: the chart's viewBox width; label_w + bar_w + room for a value such as 7.5%左右
WIDTH = 480


def report_chart(kind: str, indicators: Sequence[Indicator]) -> dict[str, object] | None:
    """The growth chart of a report of ``kind`` with ``indicators``; None when it has none."""
    return growth_chart(indicators) if kind == GOVERNMENT_WORK_REPORT else None


def growth_chart(indicators: Sequence[Indicator], limit: int = 12) -> dict[str, object] | None:
    """Geometry of a bar chart of the growth rates (%) a report states, results beside targets.

    One row per label that has a stated growth rate (``change_unit == "%"``) as a result or a
    target, in document order (labels with both first), at most ``limit`` rows.  Returns
    None when there is nothing to draw.  All numbers are pixels in a 480-wide viewBox: narrow, so that
    its 13-unit labels stay at least 11 CSS px in a reading column (the page lets it scroll sideways
    rather than shrink below that on a phone, issue 13).
    """
    rows: dict[str, dict[str, tuple[Indicator, float]]] = {}  # label -> kind -> (first of it, its rate)
    for item in indicators:
        if item.change_unit != "%" or item.change is None or item.kind not in (ACTUAL, TARGET):
            continue
        rows.setdefault(item.label, {}).setdefault(item.kind, (item, float(item.change)))
    if not rows:
        return None
    ordered = sorted(rows.items(), key=lambda row: 0 if len(row[1]) == 2 else 1)[:limit]
    values = [rate for _, kinds in ordered for _, rate in kinds.values()]
    top = max(max(values), 0.0)
    bottom = min(min(values), 0.0)
    label_w, bar_w, row_h, bar_h = 170, 250, 34, 12
    span = (top - bottom) or 1.0
    zero = label_w + bar_w * (-bottom / span)

    def bar(bar_of: tuple[Indicator, float] | None, y: float) -> dict[str, object] | None:
        if bar_of is None:
            return None
        item, value = bar_of
        x1 = label_w + bar_w * ((value - bottom) / span)
        after = item.qualifier if item.qualifier in QUALIFIERS_AFTER else None
        return {"x": round(min(zero, x1), 1), "y": round(y, 1), "w": round(abs(x1 - zero), 1), "h": bar_h,
                "text_x": round(max(zero, x1) + 4, 1), "text_y": round(y + bar_h - 2, 1),
                "text": f"{format_number(item.change)}%{after or ''}", "id": item.id, "year": item.year}

    out_rows = []
    for n, (label, kinds) in enumerate(ordered):
        y = 8 + n * row_h
        out_rows.append({"label": label, "label_y": y + row_h / 2 + 1,
                         "actual": bar(kinds.get(ACTUAL), y), "target": bar(kinds.get(TARGET), y + bar_h + 1)})
    return {"rows": out_rows, "width": WIDTH, "height": 16 + len(out_rows) * row_h, "zero": round(zero, 1),
            "label_w": label_w}
