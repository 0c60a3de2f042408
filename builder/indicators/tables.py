"""The indicators as tables: a report's rows, their share of the open data, the targets-vs-results
table, and the rows as HTML.

A report's rows (:func:`to_row`) become its part of ``data/indicators.json`` and ``.csv``
(:func:`rows_json`, :func:`rows_csv`), its counts per kind, and the few rows the site-wide
targets-vs-results table needs of it (:func:`pair_rows`); the site joins every report's parts.
"""

from __future__ import annotations

import csv
import io
import itertools
import operator
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence

from builder.core import jsonout
from builder.indicators.canonical import LOWER_IS_BETTER, canonical_name
from builder.indicators.extract import ACTUAL, KIND_NAMES, SEVERAL_YEARS, TARGET, Indicator, format_number

#: Fields of a row in indicators.json / indicators.csv, in order.
ROW_FIELDS = ("report", "label", "indicator", "value", "value_normalized", "unit_normalized", "change", "change_unit",
              "qualifier", "kind", "year", "anchor", "span", "url")


def to_row(item: Indicator, page_url: str) -> dict[str, object]:
    """One open-data row; ``page_url`` is the report page's URL relative to the site root."""
    # every field is a str, a number or None: read them directly (``asdict`` deep-copies, 15x slower)
    try:
        row = dict(zip(_ITEM_FIELDS, _item_values(item), strict=True))
    except AttributeError:  # not an Indicator: what it lacks is None
        row = {key: getattr(item, key, None) for key in _ITEM_FIELDS}
    row["indicator"] = canonical_name(str(row["label"]))
    row["url"] = f"{page_url}#{item.anchor}"
    return {key: row[key] for key in ROW_FIELDS}


_ITEM_FIELDS = tuple(key for key in ROW_FIELDS if key not in ("url", "indicator"))
_item_values = operator.attrgetter(*_ITEM_FIELDS)


def to_csv(rows: Sequence[dict[str, object]]) -> bytes:
    """Rows as CSV, UTF-8 with a BOM (so spreadsheet programs read the Chinese right)."""
    return csv_file([csv_lines(rows)])


def csv_lines(rows: Sequence[dict[str, object]]) -> str:
    """The CSV lines of ``rows`` (no header): each report's part of indicators.csv."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows(map(_csv_values, rows))
    return buffer.getvalue()


_ROW_VALUES = operator.itemgetter(*ROW_FIELDS)
#: Values the csv module writes as :func:`csv_lines` wants them (None as "", like "").
_CSV_AS_IS = frozenset((str, int, bool, type(None)))


def _csv_values(row: Mapping[str, object]) -> Sequence[object]:
    """A row's values in ``ROW_FIELDS`` order, ready for ``csv.writer``: missing and None as "",
    floats as :func:`format_number` writes them (5.0 -> "5")."""
    try:
        values = _ROW_VALUES(row)
    except KeyError:
        values = tuple(row.get(k) for k in ROW_FIELDS)
    if _CSV_AS_IS.issuperset(map(type, values)):
        return values
    return [("" if v is None else format_number(v) if isinstance(v, float) else v) for v in values]


def csv_file(parts: Iterable[str | bytes]) -> bytes:
    """indicators.csv from the :func:`csv_lines` of each report (text or UTF-8), in order: BOM,
    header, lines."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(ROW_FIELDS)
    head = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    return head + b"".join(p if isinstance(p, bytes) else p.encode("utf-8") for p in parts)


def measure(row: Row) -> str | None:
    """What a target's figure measures, for pairing like with like: "growth" (a change in %
    with no value: 增长6%), "pp" (a change in percentage points), "rate" (a value in %: 失业率
    4%), "level:<unit>" (a value in 元, 人 …: 192.3亿元; 元 and 美元 are different units)."""
    if row.get("value") is None:
        unit = row.get("change_unit")
        return "growth" if unit == "%" else "pp" if unit == "pp" else None
    unit = row.get("unit_normalized")
    return "rate" if unit == "%" else None if unit in (None, "pp") else f"level:{unit}"


def _measures(row: Row) -> list[str]:
    """Every measure a row states: its value's and, when it has one, its change's
    (“192.3亿元，增长6.2%” is a level and a growth)."""
    out = [m for m in (measure(row),) if m]
    if row.get("value") is not None and row.get("change") is not None:
        out.append("growth" if row.get("change_unit") == "%" else "pp")
    return out


def _number(row: Row, how: str) -> float | None:
    """The figure of ``row`` in measure ``how``."""
    number = row.get("change") if how in ("growth", "pp") else row.get("value_normalized")
    return None if number is None else float(number)  # type: ignore[arg-type]  # a number


#: A target 左右 (about) is met within this many percentage points below it (above it for a
#: ceiling), or, for a level, within this share of it.
ABOUT_PP, ABOUT_SHARE = 0.5, 0.01


def verdict(indicator: str, how: str, target: Row, actual: Row) -> tuple[bool, str] | None:
    """Whether ``actual`` meets ``target`` (same indicator, measure ``how``) and the margin as
    written: (True, "+0.2个百分点").  A target is a floor (the result must reach it) unless the
    indicator is one where less is better (失业率, 居民消费价格, 单位GDP能耗) or it says 以内/以下
    (then a ceiling); 以上/超过/突破 is a floor.  左右 allows 0.5 percentage points (1% of a
    level) on the wrong side."""
    goal, got = _number(target, how), _number(actual, how)
    if goal is None or got is None:
        return None
    qualifier = target.get("qualifier")
    ceiling = qualifier in ("以内", "以下") or (
        indicator in LOWER_IS_BETTER and qualifier not in ("以上", "超过", "突破"))
    percent = how in ("growth", "pp", "rate")
    if how in ("growth", "pp") and goal < 0 and qualifier in ("以上", "超过", "以内", "以下"):
        ceiling = qualifier in ("以上", "超过")  # 下降3%以上: at least 3% down; 下降3%以内: at most
    slack = (ABOUT_PP if percent else abs(goal) * ABOUT_SHARE) if qualifier in ("左右", "上下") else 0.0
    met = got <= goal + slack if ceiling else got >= goal - slack
    diff = got - goal
    if percent:
        margin = f"{round(diff, 2):+g}个百分点" if round(diff, 6) else "持平"
    else:
        margin = f"{diff / goal * 100:+.1f}%" if goal else ""
    return met, margin


def targets_vs_results(rows: Iterable[Row], only: Collection[PairKey] | None = None) -> list[dict[str, object]]:
    """Pairs of a target and a result: same place, same canonical indicator (an unmapped label
    never pairs), same measure (:func:`measure`), and the year rule: the target is set in year Y's
    report for Y, the result stated in Y+1's report for Y.  Rows carry ``place`` and
    ``report_year`` (their report's); the first target and result of each key are kept.  ``rows``
    is read once, in order; ``only``: the keys worth keeping rows of (those with a target and a
    result: :func:`pairs_table`), so that a large site's other rows are not held."""
    targets: dict[PairKey, Row] = {}
    actuals: dict[PairKey, Row] = {}
    for row in rows:
        side, keys = pair_keys(row)
        kept = targets if side == TARGET else actuals if side == ACTUAL else None
        if kept is None:
            continue
        for key in keys:
            if only is None or key in only:
                kept.setdefault(key, row)
    out = []
    for key in sorted(set(targets) & set(actuals), key=lambda k: (str(k[0]), str(k[2]), str(k[1]), str(k[3]))):
        place, indicator, year, how = key
        target, actual = targets[key], actuals[key]
        how = str(how)
        judged = verdict(str(indicator), how, target, actual)
        out.append({"place": place, "indicator": indicator, "label": indicator, "year": year, "measure": how,
                    "target": target, "actual": actual,
                    "target_text": _shown(target, how), "actual_text": _shown(actual, how),
                    "met": None if judged is None else judged[0], "margin": "" if judged is None else judged[1]})
    return out


#: What a target and a result must share to be paired: (place, indicator, year, measure).
PairKey = tuple[object, object, int, str]


def pair_keys(row: Row) -> tuple[str | None, list[PairKey]]:
    """Whether ``row`` may be a target (TARGET) or a result (ACTUAL) of the table, or neither
    (None), and the keys it would be paired under (one per measure it states)."""
    indicator, year, report_year = row.get("indicator"), row.get("year"), row.get("report_year")
    if not indicator or not row.get("place") or not isinstance(year, int) or not isinstance(report_year, int):
        return None, []
    if row["kind"] == TARGET and year == report_year:
        side = TARGET
    elif row["kind"] == ACTUAL and year == report_year - 1:
        side = ACTUAL
    else:
        return None, []
    return side, [(row["place"], indicator, year, m) for m in _measures(row)]


def _shown(row: Row, how: str) -> str:
    """The figure of ``row`` in measure ``how`` as a reader reads it: its span for a value,
    增长6.2% / 下降3% for a change (with the qualifier)."""
    if how not in ("growth", "pp") or row.get("value") is None:
        return str(row["span"])
    change = float(row["change"])  # type: ignore[arg-type]  # a number
    unit = "%" if how == "growth" else "个百分点"
    return f"{'增长' if change >= 0 else '下降'}{abs(change):g}{unit}"


Row = Mapping[str, object]
#: A row of the targets-vs-results table as :func:`pair_rows` keeps it, a tuple of ``_PAIR_FIELDS``.
PairRow = tuple[object, ...]
_PAIR_FIELDS = ("kind", "indicator", "label", "year", "span", "url", "value", "value_normalized",
                "unit_normalized", "change", "change_unit", "qualifier", "place", "report_year")


def report_rows(indicators: Iterable[Indicator], page_url: str) -> list[dict[str, object]]:
    """A report's open-data rows (``page_url``: its page, relative to the site root)."""
    return [to_row(item, page_url) for item in indicators]


def kind_counts(rows: Iterable[Row]) -> dict[str, int]:
    """How many rows of each kind, in the order of ``KIND_NAMES`` (then any other kind)."""
    counts = {kind: 0 for kind in KIND_NAMES}
    for row in rows:
        counts[str(row["kind"])] = counts.get(str(row["kind"]), 0) + 1
    return counts


def rows_json(rows: list[dict[str, object]]) -> bytes:
    """A report's rows as they stand in ``data/indicators.json``, between its brackets."""
    return jsonout.array_items(rows)


def rows_csv(rows: Sequence[dict[str, object]]) -> bytes:
    """A report's rows as lines of ``data/indicators.csv``."""
    return csv_lines(rows).encode("utf-8")


def data_json(parts: Iterator[bytes]) -> Iterator[bytes]:
    """``data/indicators.json`` from every report's :func:`rows_json`, piece by piece:
    = ``json.dumps(all rows, ensure_ascii=False, indent=2)`` and a newline."""
    return jsonout.join_array(parts)


def data_csv(parts: Iterable[bytes]) -> Iterator[bytes]:
    """``data/indicators.csv`` from every report's :func:`rows_csv`: BOM, header, lines."""
    yield csv_file(())
    yield from parts




def pair_rows(rows: Iterable[Row], place: str = "", report_year: int | None = None,
              change_texts: Iterable[str | None] | None = None) -> tuple[PairRow, ...]:
    """The targets and results of a report with a canonical indicator, as tuples of
    ``_PAIR_FIELDS`` (its ``place`` and ``report_year`` added): all :func:`pairs_table` needs of
    a report, cheap to keep in its part.  ``change_texts``: each row's change as written (the
    indicators' ``change_text``); a change over several years (年均 …) is left out of the pair."""
    extra: dict[str, object] = {"place": place, "report_year": report_year}
    out = []
    for row, text in zip(rows, change_texts if change_texts is not None else itertools.repeat(None), strict=False):
        if row["kind"] not in (TARGET, ACTUAL) or not row.get("indicator"):
            continue
        kept = row
        if text and SEVERAL_YEARS.search(text):  # (年均增长12.2%, 比2010年增长…: never paired)
            if row.get("value") is None:
                continue
            kept = {**row, "change": None, "change_unit": None}
        out.append(tuple(extra[k] if k in extra else kept.get(k) for k in _PAIR_FIELDS))
    return tuple(out)


def pair_dicts(pairs: Iterable[PairRow]) -> list[dict[str, object]]:
    """:func:`pair_rows` as rows again (dicts of ``_PAIR_FIELDS``)."""
    return [dict(zip(_PAIR_FIELDS, pair, strict=True)) for pair in pairs]


def pairs_table(pairs: Callable[[], Iterable[PairRow]]) -> list[dict[str, object]]:
    """:func:`targets_vs_results` over every report's :func:`pair_rows` (``pairs()`` gives them,
    and is read twice): first the keys of every target and result, then only the rows whose key
    has both are kept.  At N=10,000 holding every row, or the first of each key, took 170 MiB."""
    sides: dict[str, set[PairKey]] = {TARGET: set(), ACTUAL: set()}
    for pair in pairs():
        side, keys = pair_keys(dict(zip(_PAIR_FIELDS, pair, strict=True)))
        if side is not None:
            sides[side].update(keys)
    both = sides[TARGET] & sides[ACTUAL]
    del sides
    return targets_vs_results((dict(zip(_PAIR_FIELDS, pair, strict=True)) for pair in pairs()), only=both)


def rows_html(rows: Sequence[Row], *, root: str, kind_labels: Mapping[str, str], show_report: bool,
              titles: Mapping[str, str]) -> str:
    """Exactly what the bundled ``templates/_indicator_rows.html`` renders (a test compares them),
    several times faster: one report's table has hundreds of rows of seven cells."""
    e = _escape_html
    href = e(root)
    out: list[str] = []
    for row in rows:
        report, kind, value, qualifier, change, year = (
            row["report"], row["kind"], row["value"], row["qualifier"], row["change"], row["year"])
        out.append(f'<tr data-report="{e(str(report))}" data-kind="{e(str(kind))}">\n')
        if show_report:
            out.append(f"<td>{e(str(titles.get(str(report), report)))}</td>\n")
        shown_value = e(str(value)) if value is not None else ""
        if qualifier:
            shown_value += f" <small>{e(str(qualifier))}</small>"
        shown_change = (f"{float(change):+g}" + ("个百分点" if row["change_unit"] == "pp" else "%")  # type: ignore[arg-type]  # (a number)
                        if change is not None else "")
        out.append(f'<th scope="row">{e(str(row["label"]))}</th>\n<td>{shown_value}</td>\n<td>{e(shown_change)}</td>\n'
                   f'<td>{e(str(kind_labels.get(str(kind), kind)))}</td>\n'
                   f'<td>{"" if year is None else e(str(year))}</td>\n'
                   f'<td><a href="{href}{e(str(row["url"]))}">{e(str(row["span"]))}</a></td>\n</tr>\n')
    return "".join(out)


_HTML_SPECIAL = re.compile("[&<>\"']")


def _escape_html(text: str) -> str:
    """``str(markupsafe.escape(text))`` (what Jinja's autoescape writes), without making a
    ``Markup`` of every cell."""
    if _HTML_SPECIAL.search(text) is None:
        return text
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&#34;").replace("'", "&#39;"))
