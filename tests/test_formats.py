"""Formats: web pages, Word documents and PDFs become text; damaged ones get a reason."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest

from tasks.extract.facts import extract
from tasks.extract.processing import process_file
from tasks.read.decode import UnreadableFile
from tasks.read.formats import read_document
from tasks.read.inbox_files import FileRef, sha256_file
from tasks.read.metadata import document_metadata
from tasks.read.normalize import normalize

FIXTURES = Path(__file__).parent / "fixtures"


def facts_of(document) -> list[tuple[float, str]]:
    text, _ = normalize(document.text)
    return [(f.value, f.unit) for f in extract("doc", text)]


def test_news_page_keeps_the_article_only():
    doc = read_document((FIXTURES / "news_page.html").read_bytes(), "news_page.html")
    assert (doc.format, doc.encoding, doc.title) == ("html", "gb18030", "杭州市总工会建成职工驿站860家")
    assert doc.text.startswith("杭州市总工会建成职工驿站860家\n\n本报讯")
    for boilerplate in ("首页", "热门排行", "Copyright", "分享到", "访问量", "trackPageView", "color:#c00"):
        assert boilerplate not in doc.text
    assert "\n\n杭州市总工会投入资金1.5亿元，为职工办实事。" in doc.text  # entity decoded, paragraphs kept
    assert "建设。\n力争" in doc.text  # <br> is a line break
    assert facts_of(doc) == [
        (860, "家"),
        (120, "家"),
        (860, "家"),
        (3_000_000, "人次"),
        (150_000_000, "元"),
        (95, "%"),
        (1000, "家"),
    ]


def test_page_title_without_site_name_when_there_is_no_headline():
    page = "<html><head><title>全市工会新建驿站52家 - 某某工会网</title></head><body><div><p>全市工会新建驿站52家，服务职工3000余人次。</p></div></body></html>"
    doc = read_document(page.encode("utf-8"), "p.htm")
    assert doc.title == "全市工会新建驿站52家"
    assert facts_of(doc) == [(52, "家"), (3000, "人次")]


def test_word_document_paragraphs_and_tables():
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.core_properties.title = "2024年工会工作报告"
    document.add_paragraph("2024年，全区工会新发展会员1.2万人。")
    document.add_paragraph("建成职工之家35家。")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "职工书屋"
    table.rows[0].cells[1].text = "48个"
    buffer = io.BytesIO()
    document.save(buffer)
    doc = read_document(buffer.getvalue(), "report.docx")
    assert (doc.format, doc.title) == ("docx", "2024年工会工作报告")
    assert doc.text == "2024年，全区工会新发展会员1.2万人。\n\n建成职工之家35家。\n\n职工书屋 48个"
    assert facts_of(doc) == [(12000, "人"), (35, "家"), (48, "个")]


def _pdf(pages: list[str], info: str = "") -> bytes:
    """A minimal PDF with one Helvetica text line per page (enough to test the text layer), and an
    optional document information dictionary (/ModDate …)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for text in pages:
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream.decode()}\nendstream")
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {len(objects)} 0 R "
            f"/Resources << /Font << /F1 3 0 R >> >> >>"
        )
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    if info:
        objects.append(f"<< {info} >>")
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n{body}\nendobj\n".encode())
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    info_ref = f" /Info {len(objects)} 0 R" if info else ""
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R{info_ref} >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def test_pdf_text_layer_pages_are_separated_by_form_feeds():
    doc = read_document(_pdf(["Members 1200", "Stations 35"]), "r.pdf")
    assert doc.format == "pdf"
    assert doc.text.split("\f") == ["Members 1200", "Stations 35"]


@pytest.mark.parametrize(
    "data, name, reason",
    [
        (b"%PDF-1.4\nthis is not a pdf", "broken.pdf", "unreadable PDF"),
        (b"PK\x03\x04 not a zip", "broken.docx", "unreadable DOCX"),
        (_pdf([""]), "scan.pdf", "no text layer"),
        (b"<html><body><script>var a = 1;</script></body></html>", "empty.html", "no text"),
        (b"abc", "r.exe", "unsupported format: exe"),
        (b"abc", "README", "unsupported format: no extension"),
    ],
)
def test_damaged_or_unsupported_files_have_reasons(data, name, reason):
    with pytest.raises(UnreadableFile, match=reason):
        read_document(data, name)


@pytest.mark.parametrize("depth", [300, 1_500, 50_000])
def test_a_deeply_nested_page_keeps_its_article_text(depth):
    """Past Python's recursion limit (1,000) and libxml2's nesting limit (2,048) the text is still read."""
    article = "某市总工会今年新建职工书屋120家,服务职工3万人次。"
    page = (
        f"<html><head><title>职工书屋</title></head><body>{'<div class=x>' * depth}<p>{article}</p>"
        f"{'</div>' * depth}<div class='footer'>版权所有</div></body></html>"
    )
    doc = read_document(page.encode("utf-8"), "deep.html")
    assert article in doc.text


def test_a_damaged_page_is_read_with_its_damage_counted():
    page = "<html><body><p>某市总工会今年新建职工书屋120家。</p><p>建成工会驿站85个。</p></body></html>".encode()
    at = page.index("<p>建成".encode())
    doc = read_document(page[:at] + b"\xff\xfe" + page[at:], "damaged.html")
    assert "建成工会驿站85个" in doc.text and doc.damaged_bytes == 2


def test_a_word_file_that_would_unpack_to_gigabytes_is_refused_before_unpacking():
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"<w:p>" + b" " * (300 * 1024 * 1024))  # deflates to ~300 KB
    with pytest.raises(UnreadableFile, match="unpack to .* a zip bomb"):
        read_document(buffer.getvalue(), "bomb.docx")


PROSE = "<p>" + "今年以来，全市工会新建驿站120个，服务职工30万人次。" * 3 + "</p>"


@pytest.mark.parametrize(
    "head, body, published",
    [
        (
            "",
            '<article><h1>某市工会召开大会</h1><time datetime="2023-11-08T09:00">11月8日</time>' + PROSE + "</article>",
            date(2023, 11, 8),
        ),
        (
            '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2022-06-01T10:00:00+08:00"}</script>',
            "<h1>标题</h1>" + PROSE,
            date(2022, 6, 1),
        ),
        ('<meta name="PubDate" content="2021-03-05 08:00">', "<h1>标题</h1>" + PROSE, date(2021, 3, 5)),
        ("", "<h1>标题</h1>" + PROSE, None),
    ],
    ids=["time element", "JSON-LD", "meta tag", "no date"],
)
def test_a_page_is_dated_by_its_markup(head, body, published):
    doc = read_document(f"<html><head>{head}</head><body>{body}</body></html>".encode(), "page.html")
    assert document_metadata(doc.text, doc.hints).published_on == published


def _docx_saved(day: datetime, paragraph: str) -> bytes:
    docx = pytest.importorskip("docx")
    document = docx.Document()
    document.core_properties.modified = day
    document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "name, data, year",
    [
        ("saved.docx", lambda: _docx_saved(datetime(2024, 6, 30, 9), "今年以来，全区工会新建驿站12个。"), "2024"),
        ("saved.pdf", lambda: _pdf(["Stations 35 this year"], "/ModDate (D:20230415120000+08'00')"), None),
    ],
    ids=["docx", "pdf"],
)
def test_word_and_pdf_files_are_dated_by_their_properties(tmp_path, name, data, year):
    path = tmp_path / name
    path.write_bytes(data())
    processed = process_file(FileRef(str(path), name, sha256_file(path), path.stat().st_size))
    assert processed.error is None
    assert processed.published_on_source == "file_properties"
    assert processed.published_on == (date(2024, 6, 30) if name.endswith("docx") else date(2023, 4, 15))
    if year:  # 今年 in a text with no year of its own is the year the file was saved
        assert [f.period_id for f in processed.facts] == [year]
        assert processed.period_anchor_source == "file_properties"


def test_a_files_saved_date_does_not_override_the_years_its_text_states(tmp_path):
    path = tmp_path / "resaved.docx"
    path.write_bytes(_docx_saved(datetime(2025, 3, 1), "2023年，全区工会新建驿站12个；今年还将建成职工之家5家。"))
    processed = process_file(FileRef(str(path), path.name, sha256_file(path), path.stat().st_size))
    assert processed.period_anchor_source == "latest_year_in_text"
    assert processed.period_anchor_year == 2023


def test_a_dated_web_page_speaks_as_of_its_publication(tmp_path):
    page = (
        '<html><head><meta name="publishdate" content="2023-06-12"></head><body><div><h1>泉州工会驿站建设提速</h1>'
        "<p>泉州市总工会持续推进工会驿站建设，全市驿站总数达到420个，覆盖主要商圈和物流园区。</p>"
        "<p>晋江市建成驿站98个，石狮市建成驿站45个。</p></div></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    processed = process_file(FileRef(str(path), path.name, sha256_file(path), path.stat().st_size))
    assert [(f.text, f.period_id, f.period_source) for f in processed.facts] == [
        ("420个", "2023", "publication"),
        ("98个", "2023", "publication"),
        ("45个", "2023", "publication"),
    ]
