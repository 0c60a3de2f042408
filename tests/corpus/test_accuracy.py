"""Attribution accuracy on every labelled real document in ../shared/corpus (files: and series:),
and on a simulated scraper export of them: rows ``title,url,year,content`` whose content is the
report's body without its title, date, session and speaker lines (the form in which exports
of the national reports 1954-2025 come)."""

from __future__ import annotations

import csv
import io

import pytest
import yaml
from shared_corpus import CORPUS

from builder.commands.ingest import reports_from_page
from builder.core.config import parse_config
from builder.ingest.clean import clean_document
from builder.ingest.read import parse_source, read_source
from builder.ingest.split import split_document

pytestmark = pytest.mark.skipif(not (CORPUS / "manifest.yaml").exists(),
                                reason=f"the shared corpus is not here ({CORPUS})")
FIELDS = ("kind", "issuer", "place", "year")


def labelled() -> list[dict]:
    manifest = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))
    return [*manifest["files"], *manifest.get("series", [])]


def expected(entry: dict) -> dict:
    return {"kind": entry["kind"], "issuer": str(entry["issuer"]).split(" ")[0],
            "place": str(entry["place"]).split(" ")[0], "year": entry["year"]}


def score(rows: list[tuple[str, dict | None, dict]], title: str) -> list[str]:
    """Print one line per document (its fields, wrong ones with what was wanted) and the totals;
    return the names of the documents with a wrong field."""
    wrong, right_fields, lines = [], 0, []
    for name, got, want in rows:
        marks = {f: got is not None and got[f] == want[f] for f in FIELDS}
        right_fields += sum(marks.values())
        if not all(marks.values()):
            wrong.append(name)
        shown = ", ".join(f"{f}={(got or {}).get(f)}" + ("" if marks[f] else f" (want {want[f]})") for f in FIELDS)
        lines.append(f"  {'ok ' if all(marks.values()) else 'BAD'} {name}: {shown}")
    print(f"\n{title}")
    print("\n".join(lines))
    print(f"  documents right: {len(rows) - len(wrong)}/{len(rows)}; "
          f"fields right: {right_fields}/{len(rows) * len(FIELDS)} "
          + ", ".join(f"{f} {sum(1 for _, g, w in rows if g is not None and g[f] == w[f])}/{len(rows)}"
                      for f in FIELDS))
    return wrong


def test_every_labelled_document_is_attributed_right(tmp_path, capsys) -> None:
    config = parse_config("", tmp_path / "config.yaml")
    rows = []
    for entry in labelled():
        reports = reports_from_page(CORPUS / entry["file"], config, set())
        got = {f: getattr(reports[0], f) for f in FIELDS} if len(reports) == 1 else None
        rows.append((entry["file"], got, expected(entry)))
    with capsys.disabled():
        wrong = score(rows, "corpus (files: and series:), as built")
    assert wrong == []


# --------------------------------------------------------------------------- a simulated export

#: How exports name the rows, in turn.
TITLE_FORMS = ("{year}年政府工作报告", "政府工作报告（{year}年）", "{year}年国务院政府工作报告")


def _body(entry: dict) -> str:
    """The cleaned report body as an export's content column holds it: from the salutation
    on, without the title, date, session and speaker lines."""
    [document, *_] = read_source(CORPUS / entry["file"])
    [draft] = split_document(clean_document(document))
    return "\n".join(line.text for line in draft.body)


@pytest.fixture(scope="module")
def bodies() -> list[tuple[dict, str]]:
    return [(entry, _body(entry)) for entry in labelled()]


def _export(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["title", "url", "year", "content"])
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _attribute_export(data: bytes) -> list[list]:
    return [[d.attribution for d in split_document(clean_document(document))]
            for document in parse_source(data, "export.csv")]


@pytest.mark.parametrize("columns", ["title,url,year", "year", "title"])
def test_simulated_export_is_attributed_right(bodies, columns: str, capsys) -> None:
    rows = []
    for n, (entry, body) in enumerate(bodies):
        national = str(entry["place"]).startswith("全国")
        title = TITLE_FORMS[n % len(TITLE_FORMS)] if national else "{year}年政府工作报告"
        rows.append({
            "title": title.format(year=entry["year"]) if "title" in columns else "",
            "url": (f"http://www.gov.cn/test/{entry['year']}.htm" if national else f"http://example.org/{n}.htm")
            if "url" in columns else "",
            "year": str(entry["year"]) if "year" in columns else "",
            "content": body,
        })
    results = _attribute_export(_export(rows))
    scored = []
    for (entry, _), attributions in zip(bodies, results, strict=True):
        got = {f: getattr(attributions[0], f) for f in FIELDS} if len(attributions) == 1 else None
        scored.append((entry["file"], got, expected(entry)))
    with capsys.disabled():
        wrong = score(scored, f"simulated export, columns {columns},content (no title or date lines)")
    assert wrong == []


def test_export_with_reports_a_resolution_and_a_garbage_row(bodies) -> None:
    """Rows that are not reports become documents of their own genre; nothing raises."""
    entry, body = next((e, b) for e, b in bodies if e["year"] == 2018 and str(e["place"]).startswith("全国"))
    rows = [
        {"title": "2018年政府工作报告", "url": "http://www.gov.cn/a.htm", "year": "2018", "content": body},
        {"title": "第十三届全国人民代表大会第一次会议关于政府工作报告的决议", "url": "", "year": "2018",
         "content": "第十三届全国人民代表大会第一次会议听取和审议了国务院总理所作的政府工作报告。"
                    "会议充分肯定国务院过去五年的工作，同意报告提出的今年工作部署，决定批准这个报告。"},
        {"title": "", "url": "", "year": "", "content": "<div>加载中…</div>\n请稍候"},
    ]
    report, resolution, garbage = (found for [found] in _attribute_export(_export(rows)))
    assert (report.kind, report.year, report.issuer) == ("government_work_report", 2018, "国务院")
    assert (resolution.kind, resolution.genre) == ("other", "resolution")
    assert (resolution.year, resolution.place) == (2018, "全国")
    assert resolution.title == "第十三届全国人民代表大会第一次会议关于政府工作报告的决议"
    assert (garbage.kind, garbage.genre) == ("other", "unknown") and garbage.review


def test_simulated_export_without_metadata(bodies, capsys) -> None:
    """Content alone (no title, year or url): kind, issuer and place still all right; the year
    then rests on weak clues in the body (the year under review plus one, the year planned for)
    or on the session the delegation sentence names, and is measured, not required."""
    results = _attribute_export(_export([{"title": "", "url": "", "year": "", "content": body} for _, body in bodies]))
    scored = []
    for (entry, _), attributions in zip(bodies, results, strict=True):
        got = {f: getattr(attributions[0], f) for f in FIELDS} if len(attributions) == 1 else None
        scored.append((entry["file"], got, expected(entry)))
    with capsys.disabled():
        score(scored, "simulated export, content only (no metadata)")
    for f in ("kind", "issuer", "place"):
        assert all(got is not None and got[f] == want[f] for _, got, want in scored), f
    right_years = sum(1 for _, got, want in scored if got is not None and got["year"] == want["year"])
    assert right_years >= 0.85 * len(scored)
    # a year that rests on clues alone is flagged for review, so every wrong one is
    wrong_years = [attributions[0] for (entry, _), attributions in zip(bodies, results, strict=True)
                   if attributions[0].year != entry["year"]]
    assert all(a.review for a in wrong_years)


def test_partly_traditional_export_rows(bodies, capsys) -> None:
    """The same rows with every other line of the content in traditional characters (OpenCC
    s2t): the text reaches the report as published, attribution works on the shadow."""
    import opencc

    to_traditional = opencc.OpenCC("s2t")
    rows = []
    for entry, body in bodies:
        lines = body.split("\n")
        mixed = [to_traditional.convert(line) if n % 2 == 0 else line for n, line in enumerate(lines)]
        rows.append({"title": f"{entry['year']}年政府工作报告", "url": "", "year": str(entry["year"]),
                     "content": "\n".join(mixed)})
    documents = parse_source(_export(rows), "export.csv")
    scored = []
    for (entry, _), document in zip(bodies, documents, strict=True):
        drafts = split_document(clean_document(document))
        got = {f: getattr(drafts[0].attribution, f) for f in FIELDS} if len(drafts) == 1 else None
        scored.append((entry["file"], got, expected(entry)))
        assert drafts[0].body[0].text == clean_document(document).lines[0].text  # as published
    with capsys.disabled():
        wrong = score(scored, "simulated export, every other line in traditional characters")
    assert wrong == []
