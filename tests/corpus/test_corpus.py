"""Every real report in ../shared/corpus goes through ingest: once, attributed right, no sentence lost."""


import pytest
import yaml
from shared_corpus import CORPUS

from builder.commands.ingest import reports_from_page
from builder.core.config import parse_config
from builder.ingest.clean import clean_document
from builder.ingest.read import read_source
from builder.ingest.textcheck import split_sentences

pytestmark = pytest.mark.skipif(not (CORPUS / "manifest.yaml").exists(),
                                reason=f"the shared corpus is not here ({CORPUS})")


#: The longest paragraph a report may hold (a page whose paragraphs are glued on one line must be split).
PARAGRAPH_MAX = 2500


def manifest_entries() -> list[dict]:
    """Every labelled document of the corpus (``files:`` and the gov.cn ``series:``)."""
    if not (CORPUS / "manifest.yaml").exists():
        return []
    manifest = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))
    return [*manifest["files"], *manifest.get("series", [])]


def entry_id(entry: dict) -> str:
    return entry["file"]


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    return parse_config("", tmp_path_factory.mktemp("site") / "config.yaml")


def report_text(report) -> str:
    parts = [report.title, report.scraped_title, *report.preamble, *(s.title for s in report.all_sections()),
             *(p.text for p in report.all_paragraphs())]
    return "".join("".join(part.split()) for part in parts)


@pytest.mark.parametrize("entry", manifest_entries(), ids=entry_id)
def test_corpus_file_yields_its_report_once_and_attributed(entry: dict, config):
    reports = reports_from_page(CORPUS / entry["file"], config, set())
    assert len(reports) == 1, [r.title for r in reports]
    [report] = reports
    assert report.year == entry["year"]
    expected_place = entry["place"].split(" ")[0]
    assert report.place == expected_place, (report.place, entry["place"])
    assert report.issuer == entry["issuer"].split(" ")[0], (report.issuer, entry["issuer"])
    assert report.kind == entry["kind"]


@pytest.mark.parametrize("entry", manifest_entries(), ids=entry_id)
def test_corpus_file_loses_no_sentence(entry: dict, config):
    path = CORPUS / entry["file"]
    [report] = reports_from_page(path, config, set())
    text = report_text(report)
    kept_lines = [line.text for document in read_source(path) for line in clean_document(document).lines]
    lost = [s for line in kept_lines for s in split_sentences(line) if s not in text]
    assert lost == []


@pytest.mark.parametrize("entry", manifest_entries(), ids=entry_id)
def test_corpus_file_has_no_paragraph_over_the_limit(entry: dict, config):
    [report] = reports_from_page(CORPUS / entry["file"], config, set())
    longest = max((len(p.text) for p in report.all_paragraphs()), default=0)
    assert longest <= PARAGRAPH_MAX


CHROME_LINE = [
    r"^(下载|打印|全屏|收藏|加大|还原|减小|大|中|小|分享|分享到.*|打印本页|关闭窗口|相关报道|相关链接.*|相关附件.*|相关文档.*)[:：]?$",
    r"^【?字[号体][:：]", r"^(来源|时间|发表时间|阅读量|责任编辑|编辑)[:：]", r"^(当前位置|您的位置)[:：]",
    r"扫一扫在手机打开当前页", r"^[0-9a-f]{32}", r"function\s*\w*\(", r"^<!--|^-->$", r"上一页.*下一页",
    r"中央政府门户网站", r"^首页\s*>",
]


@pytest.mark.parametrize("entry", manifest_entries(), ids=entry_id)
def test_corpus_file_keeps_no_site_chrome(entry: dict, config):
    import re

    [report] = reports_from_page(CORPUS / entry["file"], config, set())
    texts = [*report.preamble, *(s.title for s in report.all_sections()), *(p.text for p in report.all_paragraphs())]
    leftovers = [t for t in texts if any(re.search(pattern, t.strip()) for pattern in CHROME_LINE)]
    assert leftovers == []


@pytest.mark.parametrize("entry", manifest_entries(), ids=entry_id)
def test_corpus_file_glued_on_one_line_is_split_again(entry: dict):
    """The page with its body glued onto one line by 　　 (as some scrapers give it) cleans into
    lines no longer than a paragraph may be, and is attributed as before."""
    import dataclasses

    from builder.ingest.split import split_document

    [document] = read_source(CORPUS / entry["file"])
    lines = [line for line in document.lines if line.strip()]
    opening = next(i for i, line in enumerate(lines) if "各位代表" in line or "我代表" in line or "我受" in line)
    glued = (*lines[:opening], "　　" + "　　".join(line.strip() for line in lines[opening:]))
    cleaned = clean_document(dataclasses.replace(document, lines=glued))
    assert max(len(line.text) for line in cleaned.lines) <= PARAGRAPH_MAX
    [draft] = split_document(cleaned)
    attribution = draft.attribution
    assert (attribution.kind, attribution.issuer, attribution.year) == (
        entry["kind"], entry["issuer"].split(" ")[0], entry["year"])
