"""Decoding: encodings are detected; unreadable inputs get their own reason."""

from __future__ import annotations

import codecs

import pytest

from tasks.read.decode import UnreadableFile, decode
from tasks.read.formats import read_document

TEXT = "青岛市总工会返还小微企业工会经费1.1亿元。"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        (TEXT.encode("gb18030"), "gb18030"),
        ("濟南市工會職工書屋".encode("big5"), "big5"),
    ],
)
def test_encodings_are_detected(data, encoding):
    decoded = decode(data)
    assert decoded.encoding == encoding
    assert decoded.text.lstrip("\ufeff") in (TEXT, "濟南市工會職工書屋")


@pytest.mark.parametrize(
    "data, name, reason",
    [
        (b"", "r.txt", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "r.txt", "binary file"),
        (b"x" * 2000, "r.txt", "file too large"),
        (b"abc", "r.exe", "unsupported format"),
        (bytes(range(128, 256)) * 4, "r.txt", "undecodable"),
    ],
)
def test_unreadable_inputs_have_reasons(data, name, reason):
    with pytest.raises(UnreadableFile, match=reason):
        read_document(data, name, max_bytes=1000)


REPORT = (
    "某市总工会2024年工作报告\n\n全市新建职工书屋120家，建成工会驿站85个，服务职工3万人次。"
    "各级工会开展技能培训1.2万人次，返还小微企业工会经费1.1亿元。\n"
) * 20


TRADITIONAL_REPORT = (
    "某市總工會2024年工作報告\n\n全市新建職工書屋120家，建成工會驛站85個，服務職工3萬人次。"
    "各級工會開展技能培訓1.2萬人次，返還小微企業工會經費1.1億元。\n"
) * 20


def damaged(data: bytes, stray: bytes, every: int) -> bytes:
    """`stray` inserted every `every` bytes, at character boundaries of UTF-8 or GB18030."""
    out, last = bytearray(), 0
    for n in range(every, len(data), every):
        while n < len(data) and (data[n] >= 0x80):  # a boundary before an ASCII byte is safe in both
            n += 1
        out += data[last:n] + stray
        last = n
    return bytes(out + data[last:])


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "big5"])
def test_a_few_damaged_bytes_are_replaced_and_counted(encoding):
    text = REPORT if encoding != "big5" else TRADITIONAL_REPORT
    raw = text.encode(encoding)
    data = damaged(raw, b"\xff", len(raw) // 3)
    decoded = decode(data)
    assert decoded.encoding.replace("-", "") == encoding.replace("-", "")
    assert 2 <= decoded.damaged_bytes <= 8 and 2 <= decoded.text.count("\ufffd") <= decoded.damaged_bytes
    assert "服务职工3万人次" in decoded.text or "服務職工3萬人次" in decoded.text


def test_mostly_undecodable_text_is_rejected_and_much_damage_is_left_to_the_check():
    raw = REPORT.encode("utf-8")
    much = decode(damaged(raw, b"\xff\xfe", 20))  # ~10 % damaged bytes: decoded, rejected by the check later
    assert much.damaged_bytes >= len(raw) // 20 and much.encoding == "utf-8"
    with pytest.raises(UnreadableFile, match="undecodable"):
        decode(damaged(raw, b"\xff\xfe\xfd" * 10, 3))


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize(
    "text", [REPORT, "一丁七万丈三上下不与丐丑专且丕世丘丙业丛东丝丞两严丧个丫中丰串临丸丹为主举" * 5]
)
def test_utf16_without_a_byte_order_mark_is_detected(encoding, text):
    decoded = decode(text.encode(encoding))
    assert (decoded.encoding, decoded.text, decoded.damaged_bytes) == (encoding, text, 0)


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"  \n\t\r\n ", "no text: the file holds only whitespace"),
        (codecs.BOM_UTF8, "no text: the file holds only a byte-order mark"),
        (codecs.BOM_UTF8 + b"\n\n", "no text: the file holds only a byte-order mark"),
        ("\u3000\n".encode("utf-16"), "no text: the file holds only whitespace"),
        (b"\x00" * 64, "binary file: contains NUL bytes"),
        (b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)), "binary file: contains NUL bytes: a ZIP archive"),
        (bytes(range(128, 256)) * 40, "undecodable"),
    ],
)
def test_files_that_are_no_text_say_what_they_are(data, reason):
    with pytest.raises(UnreadableFile, match=reason.replace("(", r"\(")):
        decode(data)
