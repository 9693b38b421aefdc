"""Formats: web pages, Word documents and PDFs become text; damaged ones get a reason."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from tasks.extract.facts import extract
from tasks.read.decode import UnreadableFile
from tasks.read.formats import read_document
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


def _pdf(pages: list[str]) -> bytes:
    """A minimal PDF with one Helvetica text line per page (enough to test the text layer)."""
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
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n{body}\nendobj\n".encode())
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
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
