"""The indicators as tables: a report's rows, their share of the open data, the targets-vs-results
table, and the rows as HTML.

A report's rows (:func:`to_row`) become its part of ``data/indicators.json`` and ``.csv``
(:func:`rows_json`, :func:`rows_csv`), its counts per kind, and the few rows the site-wide
targets-vs-results table needs of it (:func:`pair_rows`); the site joins every report's parts.
"""

from __future__ import annotations

import csv
import io
import operator
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence

from builder.core import jsonout
from builder.indicators.extract import ACTUAL, KIND_NAMES, TARGET, Indicator, format_number

#: Fields of a row in indicators.json / indicators.csv, in order.
ROW_FIELDS = ("report", "label", "value", "value_normalized", "unit_normalized", "change", "change_unit",
              "qualifier", "kind", "year", "anchor", "span", "url")


def to_row(item: Indicator, page_url: str) -> dict[str, object]:
    """One open-data row; ``page_url`` is the report page's URL relative to the site root."""
    # every field is a str, a number or None: read them directly (``asdict`` deep-copies, 15x slower)
    try:
        row = dict(zip(_ITEM_FIELDS, _item_values(item), strict=True))
    except AttributeError:  # not an Indicator: what it lacks is None
        row = {key: getattr(item, key, None) for key in _ITEM_FIELDS}
    row["url"] = f"{page_url}#{item.anchor}"
    return row


_ITEM_FIELDS = tuple(key for key in ROW_FIELDS if key != "url")
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


def targets_vs_results(rows: Sequence[dict[str, object]]) -> list[dict[str, object]]:
    """Pairs of a target and a result for the same label and year (any reports)."""
    targets: dict[tuple[object, object], dict[str, object]] = {}
    actuals: dict[tuple[object, object], dict[str, object]] = {}
    for row in rows:
        key = (row["label"], row["year"])
        if row["kind"] == TARGET:
            targets.setdefault(key, row)
        elif row["kind"] == ACTUAL:
            actuals.setdefault(key, row)
    return [{"label": k[0], "year": k[1], "target": targets[k], "actual": actuals[k]}
            for k in sorted(set(targets) & set(actuals), key=lambda k: (str(k[1]), str(k[0])))]


Row = Mapping[str, object]
#: A row of the targets-vs-results table as :func:`pair_rows` keeps it: (kind, label, year, span, url).
PairRow = tuple[object, ...]
_PAIR_FIELDS = ("kind", "label", "year", "span", "url")


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


def pair_rows(rows: Iterable[Row]) -> tuple[PairRow, ...]:
    """The first target and the first result of each (label, year), in order, as tuples
    (kind, label, year, span, url): all :func:`pairs_table` needs of a report, cheap to keep."""
    seen: set[tuple[object, ...]] = set()
    out = []
    for row in rows:
        if row["kind"] in (TARGET, ACTUAL):
            key = (row["kind"], row["label"], row["year"])
            if key not in seen:
                seen.add(key)
                out.append(tuple(row[k] for k in _PAIR_FIELDS))
    return tuple(out)


def pairs_table(pairs: Iterable[PairRow]) -> list[dict[str, object]]:
    """:func:`targets_vs_results` over every report's :func:`pair_rows`: only the first
    target and result of each (label, year) become dicts."""
    first: dict[tuple[object, ...], PairRow] = {}
    for pair in pairs:
        first.setdefault((pair[0], pair[1], pair[2]), pair)
    return targets_vs_results([dict(zip(_PAIR_FIELDS, pair, strict=True)) for pair in first.values()])


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
