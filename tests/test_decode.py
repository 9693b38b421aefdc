"""Decoding: encodings are detected; unreadable inputs get their own reason."""
from __future__ import annotations

import codecs

import pytest

from tasks.decode import UnreadableFile, decode
from tasks.formats import read_document

TEXT = "青岛市总工会返还小微企业工会经费1.1亿元。"


@pytest.mark.parametrize("data, encoding", [
    (TEXT.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
    (TEXT.encode("utf-16"), "utf-16"),
    (TEXT.encode("gb18030"), "gb18030"),
    ("濟南市工會職工書屋".encode("big5"), "big5"),
])
def test_encodings_are_detected(data, encoding):
    decoded = decode(data)
    assert decoded.encoding == encoding
    assert decoded.text.lstrip("\ufeff") in (TEXT, "濟南市工會職工書屋")


@pytest.mark.parametrize("data, name, reason", [
    (b"", "r.txt", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "r.txt", "binary file"),
    (b"x" * 2000, "r.txt", "file too large"),
    (b"abc", "r.exe", "unsupported format"),
    (bytes(range(128, 256)) * 4, "r.txt", "undecodable"),
])
def test_unreadable_inputs_have_reasons(data, name, reason):
    with pytest.raises(UnreadableFile, match=reason):
        read_document(data, name, max_bytes=1000)
