"""builder.ingest.read: decoding, format detection, HTML main content, CSV rows and line numbers."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from builder.core.errors import InputError
from builder.ingest.read import parse_source, read_source

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
TEXT = "政府工作报告\n各位代表：\n现在，我代表市人民政府向大会报告工作。\n"


def test_utf8_text_page():
    [doc] = parse_source(TEXT.encode("utf-8"), "a.txt")
    assert doc.format == "text" and doc.index == 0 and doc.start_line == 1
    assert doc.lines == ("政府工作报告", "各位代表：", "现在，我代表市人民政府向大会报告工作。")
    assert doc.sha256 == hashlib.sha256(TEXT.encode("utf-8")).hexdigest()
    assert doc.path == "a.txt"


def test_utf8_with_bom():
    [doc] = parse_source(b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "a.txt")
    assert doc.lines[0] == "政府工作报告"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030"])
def test_gbk_page(encoding: str):
    [doc] = parse_source(TEXT.encode(encoding), "a.txt")
    assert doc.lines[1] == "各位代表："


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_line_endings(newline: str):
    [doc] = parse_source(TEXT.replace("\n", newline).encode("gbk"), "a.txt")
    assert len(doc.lines) == 3
    assert all("\r" not in line and "\n" not in line for line in doc.lines)


def test_lines_are_kept_raw():
    [doc] = parse_source("　　各位代表:  \n\n  <U+00A0>x\n".encode(), "a.txt")
    assert doc.lines == ("　　各位代表:  ", "", "  <U+00A0>x")


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t", "\u3000\n".encode()])
def test_empty_page_is_refused(data: bytes):
    with pytest.raises(InputError, match="empty page") as error:
        parse_source(data, "site_src/scraped/e.txt")
    assert str(error.value) == "site_src/scraped/e.txt: empty page (nothing to ingest)"


@pytest.mark.parametrize("data", [bytes(range(256)) * 4, b"PK\x03\x04" + b"\x00" * 20, "abc text".encode("utf-16")])
def test_binary_file_is_refused(data: bytes):
    with pytest.raises(InputError) as error:
        parse_source(data, "b.txt")
    assert str(error.value) == "b.txt: binary file, not a text, HTML or CSV page"


@pytest.mark.parametrize("data, binary", [
    (b"a" * 90 + b"\x01" * 10, False), (b"a" * 89 + b"\x01" * 11, True), (b"a" * 89 + b"\x7f" * 11, True),
    (b"\t\n\x0c\r\x1b" * 20, False), (b"a" * 90 + b"\x1f\x7f" * 6, True),
])
def test_binary_means_more_than_a_tenth_control_characters(data: bytes, binary: bool):
    from builder.ingest.read import looks_binary

    assert looks_binary(data) is binary


def test_undecodable_file_is_refused():
    data = "正文".encode("utf-8") + b"\xff\xfe" + b"abc"
    with pytest.raises(InputError) as error:
        parse_source(data, "bad.txt")
    message = str(error.value)
    assert message.startswith("bad.txt: cannot decode: neither UTF-8 nor GB18030 (first bad byte at offset ")
    assert "\n" not in message


def test_read_source_reports_a_missing_file(tmp_path: Path):
    with pytest.raises(InputError, match="nope.txt: cannot read"):
        read_source(tmp_path / "nope.txt", "nope.txt")


def test_read_source_uses_display_path(tmp_path: Path):
    (tmp_path / "a.txt").write_bytes(TEXT.encode("gbk"))
    [doc] = read_source(tmp_path / "a.txt", "site_src/scraped/a.txt")
    assert doc.path == "site_src/scraped/a.txt"
    [doc] = read_source(tmp_path / "a.txt")
    assert doc.path == str(tmp_path / "a.txt")


# ---------------------------------------------------------------- HTML


def test_html_main_content_without_chrome():
    data = (PAGES / "article.html").read_bytes()
    [doc] = parse_source(data, "article.html")
    assert doc.format == "html"
    assert doc.lines == (
        "2020年某市政府工作报告",
        "各位代表：",
        "现在，我代表市人民政府，向大会报告工作，请予审议。",
        "一、2019年工作回顾",
        "过去一年，全市经济稳中有进，地区生产总值增长6%。",
        "城乡居民收入稳步增长。",
        "我们坚持以人民为中心的发展思想。",
        "指标",
        "增长",
        "稳增长",
        "促改革",
    )
    assert doc.metadata == {
        "title": "2020年某市政府工作报告_某市人民政府",
        "source_url": "https://www.example.gov.cn/zwgk/2020/report.html",
        "site_name": "某市人民政府",
        "publish_date": "2020-01-15 09:30",
    }


def test_html_is_sniffed_in_a_text_file():
    data = "\n  <!DOCTYPE html><html><body><p>各位代表：</p><p>现在开始报告。</p></body></html>".encode()
    [doc] = parse_source(data, "page.txt")
    assert doc.format == "html"
    assert doc.lines == ("各位代表：", "现在开始报告。")


def test_html_densest_block_when_nothing_is_marked():
    body = "".join(f"<p>第{i}段：我们坚持以人民为中心的发展思想，推动高质量发展。</p>" for i in range(5))
    html = f"<html><body><div><a>首页</a><a>新闻</a></div><div>{body}</div><div>友情链接</div></body></html>"
    [doc] = parse_source(html.encode("gbk"), "p.html")
    assert len(doc.lines) == 5 and doc.lines[0].startswith("第0段")


def test_html_og_url_and_published_time():
    html = ('<html><head><meta property="og:url" content="https://x.cn/a"><meta property="article:published_time"'
            ' content="2026-02-02T08:00:00+08:00"></head><body><p>各位代表：</p></body></html>')
    [doc] = parse_source(html.encode(), "p.htm")
    assert doc.metadata == {"source_url": "https://x.cn/a", "publish_date": "2026-02-02T08:00:00+08:00"}


# ---------------------------------------------------------------- CSV

CSV = (
    "\ufeffprovince,year,title,source_url,publish_date,full_text\n"
    '某省,2026,"2026年某省政府工作报告","https://a.cn/1","2026-02-02","下载\n各位代表：\n现在，我代表省人民政府。"\n'
    '"另一省\n（简称）",2025,t2,https://a.cn/2,2025-01-01,"第一行\r\n第二行"\n'
    "空省,2024,t3,,,\n"
)


def test_csv_rows_metadata_and_start_lines():
    docs = parse_source(CSV.encode("utf-8"), "export.csv")
    assert [d.index for d in docs] == [1, 2]
    first, second = docs
    assert first.format == "csv"
    assert first.lines == ("下载", "各位代表：", "现在，我代表省人民政府。")
    assert first.start_line == 2
    assert first.metadata == {"province": "某省", "year": "2026", "title": "2026年某省政府工作报告",
                              "source_url": "https://a.cn/1", "publish_date": "2026-02-02"}
    assert second.lines == ("第一行", "第二行")
    assert second.start_line == 6  # row 2 starts on line 5, its province cell holds a line break
    assert first.sha256 == second.sha256 == hashlib.sha256(CSV.encode("utf-8")).hexdigest()


def test_csv_text_column_by_length_when_no_known_name():
    data = "id,说明\n1,我们坚持以人民为中心的发展思想，推动高质量发展。\n2,第二份报告的正文比编号长得多。\n"
    docs = parse_source(data.encode("gbk"), "x.csv")
    assert [d.lines[0][:4] for d in docs] == ["我们坚持", "第二份报"]
    assert docs[0].metadata == {"id": "1"}
    assert docs[1].start_line == 3


def test_csv_text_column_name_is_case_insensitive():
    docs = parse_source("Title,Content\na,正文一\n".encode(), "x.csv")
    assert docs[0].lines == ("正文一",) and docs[0].metadata == {"Title": "a"}


def test_csv_without_text_is_refused():
    with pytest.raises(InputError, match="x.csv: CSV has no text in column"):
        parse_source("title,full_text\na,\nb,  \n".encode(), "x.csv")


def test_malformed_csv_names_the_line():
    data = 'title,full_text\na,"ok"\nb,"broken"here\n'.encode()
    with pytest.raises(InputError) as error:
        parse_source(data, "x.csv")
    assert str(error.value).startswith("x.csv:3: malformed CSV")


def test_csv_row_with_wrong_field_count():
    with pytest.raises(InputError) as error:
        parse_source("title,full_text\na,正文,多余\n".encode(), "x.csv")
    assert str(error.value) == "x.csv:2: malformed CSV: row has 3 fields, the header has 2"


def test_text_pages_never_load_beautifulsoup(tmp_path: Path):
    import subprocess
    import sys

    page = tmp_path / "p.txt"
    page.write_text("各位代表：\n现在，我代表市人民政府向大会报告工作。\n", encoding="utf-8")
    code = ("import sys; from builder.ingest.read import read_source; read_source(sys.argv[1]); "
            "assert 'bs4' not in sys.modules")
    subprocess.run([sys.executable, "-c", code, str(page)], check=True, cwd=Path(__file__).resolve().parents[2])
