"""builder.ingest.read: decoding, format detection, HTML main content, export records and line numbers,
problems reported per record."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from builder.core.errors import InputError, Problem
from builder.ingest.read import parse_documents, parse_source, read_documents, read_source

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"
EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
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


@pytest.mark.parametrize("data", [bytes(range(256)) * 4, b"PK\x03\x04" + b"\x00" * 20, "abc text".encode("utf-16-le")])
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
    data = "正文".encode() + b"\xff\xfe" + b"abc"
    with pytest.raises(InputError) as error:
        parse_source(data, "bad.txt")
    message = str(error.value)
    assert message.startswith("bad.txt: cannot decode: neither UTF-8, GB18030 nor Big5 (first bad byte at offset ")
    assert "\n" not in message


TRADITIONAL = ("各位代表：現在，我代表市人民政府，向大會報告工作，請予審議。全區實現地區生產總值3104億元，"
               "增長6.5%。過去一年，我們堅持穩中求進工作總基調，推動經濟社會發展。")


def test_a_big5_page_is_read_as_big5():
    """Big5 bytes also decode as GB18030, into nonsense (瞷иカチ現┎…): of the two readings the
    one made of Chinese prose's frequent characters is taken; GBK pages stay GB18030."""
    [doc] = parse_source(TRADITIONAL.encode("big5"), "hk.txt")
    assert doc.lines == (TRADITIONAL,)
    [doc] = parse_source(TEXT.encode("gbk"), "cn.txt")
    assert "\n".join(doc.lines) == TEXT.replace("\r\n", "\n").rstrip("\n")


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_a_utf16_file_with_a_byte_order_mark_is_text_not_binary(codec: str):
    """Excel's “Unicode text” and Notepad's “Unicode” save UTF-16 with a byte order mark (its NUL
    bytes made the file look binary)."""
    data = TEXT.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data
    [doc] = parse_source(data, "a.txt")
    assert doc.lines == ("政府工作报告", "各位代表：", "现在，我代表市人民政府向大会报告工作。")
    export = "title,content\n政府工作报告,各位代表：现在，我代表市人民政府向大会报告工作。\n".encode("utf-16")
    [row] = parse_source(export, "export.csv")
    assert row.format == "csv" and row.lines == ("各位代表：现在，我代表市人民政府向大会报告工作。",)


@pytest.mark.parametrize("declared", ["big5", "BIG5-HKSCS", "cp950"])
def test_the_charset_a_page_declares_is_used(declared: str):
    html = f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={declared}"></head>' \
           f"<body><p>{TRADITIONAL}</p></body></html>"
    [doc] = parse_source(html.encode("big5"), "hk.html")
    assert doc.lines == (TRADITIONAL,)


def test_a_declared_charset_the_bytes_do_not_follow_loses_to_the_reading_that_is_chinese():
    html = f'<html><head><meta charset="big5"></head><body><p>{TEXT.splitlines()[0]}</p></body></html>'
    [doc] = parse_source(html.encode("gb18030"), "cn.html")
    assert doc.lines == (TEXT.splitlines()[0],)


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
    assert tuple(line for n, line in enumerate(doc.lines, 1) if n not in doc.outside) == (
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
    # the rest is page chrome by the page's markup, every line of it kept for the cleaning log
    chrome = {doc.lines[n - 1]: rule for n, rule in doc.outside.items()}
    assert chrome == {
        "某市人民政府门户网站": "html-header",
        "首页 新闻中心": "html-nav",
        "当前位置：首页 > 政务公开": "html-chrome:breadcrumb",
        "热点专题": "html-chrome:sidebar", "专题一": "html-chrome:sidebar", "专题二": "html-chrome:sidebar",
        "分享到：微信 微博": "html-chrome:share",
        "相关阅读": "html-chrome:related", "某市召开人代会": "html-chrome:related",
        "代表热议政府工作报告": "html-chrome:related",
        "版权所有：某市人民政府 备案号": "html-footer",
    }
    assert not any("脚本" in line or "广告" in line or "注释" in line for line in doc.lines)  # no one reads those
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
    assert doc.lines == ("各位代表：", "现在开始报告。") and not doc.outside


def test_html_densest_block_when_nothing_is_marked():
    body = "".join(f"<p>第{i}段：我们坚持以人民为中心的发展思想，推动高质量发展。</p>" for i in range(5))
    html = f"<html><body><div><a>首页</a><a>新闻</a></div><div>{body}</div><div>友情链接</div></body></html>"
    [doc] = parse_source(html.encode("gbk"), "p.html")
    body = [line for n, line in enumerate(doc.lines, 1) if n not in doc.outside]
    assert len(body) == 5 and body[0].startswith("第0段")
    assert [doc.lines[n - 1] for n in sorted(doc.outside)] == ["首页新闻", "友情链接"]


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
    result = parse_documents(CSV.encode("utf-8"), "export.csv")
    docs = result.documents
    assert [d.index for d in docs] == [1, 2]
    assert [str(p) for p in result.problems] == ["export.csv:8: row 3: no text in column “full_text”"]
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
    assert docs[0].lines == ("正文一",) and docs[0].metadata == {"Title": "a", "title": "a"}


def test_csv_without_text_reports_every_row():
    result = parse_documents(b"title,full_text\na,\nb,  \n", "x.csv")
    assert result.documents == ()
    assert [str(p) for p in result.problems] == ["x.csv:2: row 1: no text in column “full_text”",
                                                 "x.csv:3: row 2: no text in column “full_text”"]
    with pytest.raises(InputError, match="x.csv:2: row 1: no text"):
        parse_source(b"title,full_text\na,\nb,  \n", "x.csv")


def test_malformed_csv_names_the_line():
    data = 'title,full_text\na,"正文第一行"\nb,"broken"here\n'.encode()
    with pytest.raises(InputError) as error:
        parse_source(data, "x.csv")
    assert str(error.value).startswith("x.csv:3: malformed CSV")
    result = parse_documents(data, "x.csv")
    assert [d.lines for d in result.documents] == [("正文第一行",)]
    assert str(result.problems[0]).endswith("the rows before it were read, the rest of the file was not")


def test_csv_row_with_wrong_field_count_does_not_sink_the_others():
    result = parse_documents("title,full_text\na,正文,多余\nb,第二行正文\n".encode(), "x.csv")
    assert [str(p) for p in result.problems] == ["x.csv:2: malformed CSV: row has 3 fields, the header has 2"]
    assert [(d.index, d.lines) for d in result.documents] == [(2, ("第二行正文",))]


def test_text_pages_never_load_beautifulsoup(tmp_path: Path):
    import subprocess
    import sys

    page = tmp_path / "p.txt"
    page.write_text("各位代表：\n现在，我代表市人民政府向大会报告工作。\n", encoding="utf-8")
    code = ("import sys; from builder.ingest.read import read_source; read_source(sys.argv[1]); "
            "assert 'bs4' not in sys.modules")
    subprocess.run([sys.executable, "-c", code, str(page)], check=True, cwd=Path(__file__).resolve().parents[2])


def test_csv_with_no_text_column_names_its_columns():
    data = "id,title,url\n1,2020年某市政府工作报告,https://a.cn/1\n2,2021年某市政府工作报告,https://a.cn/2\n"
    result = parse_documents(data.encode(), "x.csv")
    assert result.documents == ()
    assert [str(p) for p in result.problems] == [
        "x.csv: CSV has no text column: its columns are id, title, url, and none holds the text"]


def test_csv_text_column_is_the_one_holding_chinese_prose():
    prose = "我们坚持以人民为中心的发展思想，推动经济社会高质量发展。"
    data = f"标题,说明,摘录\n2020年某市政府工作报告,短,{prose}\n".encode()
    [doc] = parse_source(data, "x.csv")
    assert doc.lines == (prose,)
    assert doc.metadata == {"标题": "2020年某市政府工作报告", "说明": "短", "title": "2020年某市政府工作报告"}


@pytest.mark.parametrize("cell, reason", [
    ("Page not found", "holds no Chinese text"),
    ("\x01\x02\x03\ufffd\ufffd abc 中", "holds binary or garbled data instead of text"),
])
def test_csv_junk_row_is_a_problem(cell: str, reason: str):
    data = f'title,content\na,"{cell}"\nb,各位代表：现在我代表市人民政府向大会报告工作。\n'.encode()
    result = parse_documents(data, "x.csv")
    assert [str(p) for p in result.problems] == [f"x.csv:2: row 1: column “content” {reason}"]
    assert [d.index for d in result.documents] == [2]


def test_html_fragment_in_a_text_cell_becomes_block_lines():
    cell = "<p>各位代表：</p><p>现在，我代表市人民政府<strong>向大会</strong>报告工作。</p><script>x()</script>"
    data = ("title,content\n" + f'a,"{cell}"\n').encode()
    [doc] = parse_source(data, "x.csv")
    assert doc.lines == ("各位代表：", "现在，我代表市人民政府向大会报告工作。")


# ---------------------------------------------------------------- JSON Lines and JSON

REPORT = "各位代表：\n现在，我代表市人民政府，向大会报告工作，请予审议。"


def jsonl(*records: object) -> bytes:
    import json

    return "".join(json.dumps(r, ensure_ascii=False) + "\n" if not isinstance(r, str) else r + "\n"
                   for r in records).encode()


def test_jsonl_one_document_per_record():
    data = jsonl({"title": "2020年某市政府工作报告", "url": "https://a.cn/1", "year": 2020, "content": REPORT},
                 {"title": "t2", "content": "第二份：我代表县人民政府报告工作。", "tags": ["a", "b"], "ok": True})
    result = parse_documents(data, "feed.jsonl")
    assert result.problems == ()
    first, second = result.documents
    assert (first.format, first.index, first.start_line) == ("jsonl", 1, 1)
    assert first.lines == ("各位代表：", "现在，我代表市人民政府，向大会报告工作，请予审议。")
    assert first.metadata == {"title": "2020年某市政府工作报告", "url": "https://a.cn/1", "year": "2020",
                              "source_url": "https://a.cn/1"}
    assert (second.index, second.start_line) == (2, 2)
    assert second.metadata == {"title": "t2", "tags": '["a","b"]', "ok": "true"}


def test_jsonl_is_never_read_as_plain_text():
    """The issue's case: a .jsonl export became 38 "reports" of raw JSON lines."""
    data = jsonl({"title": "1958年国务院政府工作报告", "url": "https://a.cn/1", "content": REPORT})
    for name in ("feed.jsonl", "feed.ndjson", "feed.txt", "feed"):
        [doc] = parse_source(data, name)
        assert doc.format == "jsonl" and doc.lines[0] == "各位代表：", name


def test_jsonl_bad_lines_are_problems_the_rest_is_read():
    data = jsonl({"content": REPORT}, "", "{\"content\": \"未闭合", "[1, 2]", "\"一个字符串\"", "null",
                 {"title": "无正文"}, {"content": ""}, {"content": 42}, {"content": REPORT, "title": "最后"})
    result = parse_documents(data, "f.jsonl")
    assert [d.start_line for d in result.documents] == [1, 10]
    assert [str(p) for p in result.problems] == [
        "f.jsonl:3: not valid JSON: Unterminated string starting at (column 13)",
        "f.jsonl:4: record 3 is a list, not a JSON object",
        "f.jsonl:5: record 4 is a string, not a JSON object",
        "f.jsonl:6: record 5 is null, not a JSON object",
        "f.jsonl:7: record 6: no text in field “content”",
        "f.jsonl:8: record 7: no text in field “content”",
        "f.jsonl:9: record 8: field “content” is a number, not text",
    ]


@pytest.mark.parametrize("key", ["content", "text", "body", "正文", "内容", "Full_Text", "article"])
def test_json_text_field_by_name(key: str):
    import json

    data = json.dumps([{"title": "某县报告", key: REPORT}], ensure_ascii=False).encode()
    [doc] = parse_source(data, "a.json")
    assert doc.lines[0] == "各位代表：" and doc.metadata["title"] == "某县报告"


def test_json_text_field_by_prose_when_no_name_matches():
    import json

    records = [{"名称": "2020年某市政府工作报告", "摘要文字": REPORT, "来源网址": "https://a.cn/x"}]
    [doc] = parse_source(json.dumps(records, ensure_ascii=False).encode(), "a.json")
    assert doc.lines[1].startswith("现在")
    assert doc.metadata == {"名称": "2020年某市政府工作报告", "来源网址": "https://a.cn/x",
                            "title": "2020年某市政府工作报告", "source_url": "https://a.cn/x"}


def test_json_array_records_know_their_lines():
    data = ('[\n  {"title": "a",\n   "content": "各位代表：我代表市人民政府报告工作。"},\n'
            '  {"title": "b", "content": null},\n  {"title": "c", "content": "第三份报告：我代表县政府。"}\n]\n')
    result = parse_documents(data.encode(), "a.json")
    assert [(d.index, d.start_line, d.format) for d in result.documents] == [(1, 2, "json"), (3, 5, "json")]
    assert [str(p) for p in result.problems] == ["a.json:4: record 2: no text in field “content”"]


def test_json_syntax_error_keeps_the_records_before_it():
    data = '[{"content": "各位代表：我代表市人民政府报告工作。"},\n {"content": "坏的" "x"}]'.encode()
    result = parse_documents(data, "a.json")
    assert len(result.documents) == 1
    [problem] = result.problems
    assert str(problem).startswith("a.json:2: not valid JSON: ")
    assert str(problem).endswith("; the rest of the file was not read")


@pytest.mark.parametrize("data, message", [
    (b"[]", "a.json:1: no records (the JSON array is empty)"),
    (b'{"items": []}', "a.json: no text field: the records have the fields items, and none holds the text"),
    (b'[{"id": 1, "title": "t"}]', "a.json: no text field: the records have the fields id, title, and none holds "
                                   "the text"),
    (b'{"a": ', "a.json:1: not valid JSON: Expecting value (column 7)"),
])
def test_json_without_records_or_text(data: bytes, message: str):
    result = parse_documents(data, "a.json")
    assert result.documents == ()
    assert [str(p) for p in result.problems] == [message]


def test_json_single_object_and_wrapper_object():
    import json

    [doc] = parse_source(json.dumps({"title": "t", "content": REPORT}, ensure_ascii=False).encode(), "a.json")
    assert doc.index == 1
    wrapped = {"total": 2, "data": [{"content": REPORT}, {"content": "第二：我代表县人民政府报告。"}]}
    docs = parse_source(json.dumps(wrapped, ensure_ascii=False).encode(), "a.json")
    assert [d.index for d in docs] == [1, 2]


def test_json_lines_saved_as_json():
    docs = parse_source(jsonl({"content": REPORT}, {"content": REPORT}), "feed.json")
    assert [(d.format, d.start_line) for d in docs] == [("jsonl", 1), ("jsonl", 2)]


def test_a_text_page_starting_with_a_brace_stays_text():
    [doc] = parse_source("{温馨提示}\n各位代表：\n".encode(), "a.txt")
    assert doc.format == "text"


# ---------------------------------------------------------------- whole files as problems


@pytest.mark.parametrize("data, message", [
    (b"", "empty page (nothing to ingest)"),
    (b"\x00\x01PK" * 10, "binary file, not a text, HTML or CSV page"),
])
def test_unreadable_file_is_one_problem(data: bytes, message: str):
    result = parse_documents(data, "feed.jsonl")
    assert result.documents == ()
    assert result.problems == (Problem("feed.jsonl", message),)
    assert str(result.problems[0]) == f"feed.jsonl: {message}"


def test_read_documents_never_raises_for_a_missing_file(tmp_path: Path):
    result = read_documents(tmp_path / "nope.jsonl", "nope.jsonl")
    assert result.documents == () and str(result.problems[0]).startswith("nope.jsonl: cannot read")


# ---------------------------------------------------------------- the hand-written exports


@pytest.mark.parametrize("name, fmt, garbage", [
    ("reports.csv", "csv", "reports.csv:39: row 4: no text in column “content”"),
    ("reports.jsonl", "jsonl", "reports.jsonl:4: record 4: field “content” holds binary or garbled data instead of "
                               "text"),
    ("reports.json", "json", "reports.json:24: record 4: no text in field “text”"),
])
def test_hand_written_exports(name: str, fmt: str, garbage: str):
    result = read_documents(EXPORTS / name, name)
    assert [str(p) for p in result.problems] == [garbage]
    assert [d.format for d in result.documents] == [fmt] * 4
    assert [d.index for d in result.documents] == [1, 2, 3, 5]
    assert [d.metadata["year"] for d in result.documents] == ["2015", "2021", "2021", "2009"]
    assert [d.metadata["source_url"][:22] for d in result.documents] == ["http://www.example-cou",
                                                                          "http://www.example-fj.",
                                                                          "http://www.example-fj.",
                                                                          "http://www.example-far"]
    texts = ["\n".join(d.lines) for d in result.documents]
    assert texts[0].startswith("2015年安吉县人民政府工作报告\n")
    assert "\u200b" in texts[1]  # kept raw: removing it is repair's job, and it is logged there
    assert "所作的\n政府工作报告\n。会议" in texts[2]
    assert texts[3].endswith("鲁ICP备12345678号")
    if fmt == "json":
        assert result.documents[0].metadata["province"] == "浙江省"
