"""Bytes of a report file → text, with the encoding that decoded it, or a clear reason why not."""
from __future__ import annotations

import codecs
from dataclasses import dataclass

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
SUPPORTED_SUFFIXES = (".txt", ".md", ".text")
CANDIDATE_ENCODINGS = ("utf-8", "gb18030", "big5")


class UnreadableFile(Exception):
    """A file that cannot become text; the message is the reason recorded in etl_file."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def decode(data: bytes, file_name: str = "", max_bytes: int = DEFAULT_MAX_BYTES) -> Decoded:
    """Decode a report's bytes; raise UnreadableFile with the reason when that is impossible.

    >>> decode("职工".encode("gb18030")).encoding
    'gb18030'
    """
    if file_name and not file_name.lower().endswith(SUPPORTED_SUFFIXES):
        raise UnreadableFile(f"unsupported format: {file_name.rsplit('.', 1)[-1] if '.' in file_name else 'no extension'}")
    if len(data) == 0:
        raise UnreadableFile("empty file")
    if len(data) > max_bytes:
        raise UnreadableFile(f"file too large: {len(data)} bytes > limit {max_bytes}")
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return Decoded(data.decode(encoding), encoding)
    if b"\x00" in data:
        raise UnreadableFile("binary file: contains NUL bytes")
    for encoding in CANDIDATE_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return Decoded(text, encoding)
    raise UnreadableFile("undecodable: not valid UTF-8, GB18030 or Big5 text")


def _looks_like_text(text: str) -> bool:
    """Control characters other than whitespace betray a binary file decoded by accident."""
    if not text.strip():
        return False
    controls = sum(1 for ch in text[:10000] if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls <= len(text[:10000]) * 0.001
