"""Bytes of a report file → text, with the encoding that decoded it, or a clear reason why not."""
from __future__ import annotations

import re

import codecs
from dataclasses import dataclass

DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class UnreadableFile(Exception):
    """A file that cannot become text; the message is the reason recorded in etl_file."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def decode(data: bytes) -> Decoded:
    """Decode a text file's bytes; raise UnreadableFile with the reason when that is impossible.
    (Formats, empty and too large files are told apart before, by tasks.formats.)

    >>> decode("职工".encode("gb18030")).encoding
    'gb18030'
    """
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return Decoded(data.decode(encoding), encoding)
    if b"\x00" in data:
        raise UnreadableFile("binary file: contains NUL bytes")
    try:
        text = data.decode("utf-8")
        if _looks_like_text(text):
            return Decoded(text, "utf-8")
    except UnicodeDecodeError:
        pass
    candidates = []
    for encoding in ("gb18030", "big5"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            candidates.append((_common_share(text, encoding), encoding, text))
    if candidates:
        _, encoding, text = max(candidates, key=lambda c: c[0])
        return Decoded(text, encoding)
    raise UnreadableFile("undecodable: not valid UTF-8, GB18030 or Big5 text")


# the lead bytes of each encoding's frequent characters: GB2312 level 1, Big5 frequent characters
COMMON_LEAD_BYTES = {"gb18030": (0xB0, 0xD7), "big5": (0xA4, 0xC6)}


def _common_share(text: str, encoding: str, sample: int = 3000) -> float:
    """Share of the CJK characters that are frequent ones in `encoding`: mojibake scores low.

    >>> raw = "濟南市工會職工書屋".encode("big5")
    >>> _common_share(raw.decode("big5"), "big5") > _common_share(raw.decode("gb18030"), "gb18030")
    True
    """
    lo, hi = COMMON_LEAD_BYTES[encoding]
    cjk = common = 0
    for ch in text[:sample]:
        if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ord(ch) > 0xffff:
            cjk += 1
            lead = ch.encode(encoding)[0]
            common += lo <= lead <= hi
    return common / cjk if cjk else 0.0


CONTROL_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f]")  # control characters but \t \n \f \r


def _looks_like_text(text: str) -> bool:
    """Control characters other than whitespace betray a binary file decoded by accident."""
    if not text.strip():
        return False
    head = text[:10000]
    return len(CONTROL_RE.findall(head)) <= len(head) * 0.001
