"""Bytes of a report file → text, with the encoding that decoded it, or a clear reason why not.

The fast paths come first (a byte-order mark, strict UTF-8, strict GB18030/Big5); then UTF-16
written without a mark (Windows tools); then text with a little damage (a few stray bytes), decoded
with replacement characters and the damaged bytes counted — the `documents.text_decoded_cleanly`
check decides whether the report can be trusted; then charset-normalizer for other encodings. Only
text that is mostly undecodable, or looks like no language at all, is rejected here.
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
MAX_DAMAGED_SHARE = 0.5  # of the bytes: more is "mostly undecodable", rejected outright
SMALL_DAMAGE_SHARE = 0.01  # up to this, a damaged decoding is preferred to a detector's guess
MIN_COMMON_SHARE = 0.5  # of the CJK characters, frequent ones: below it a decoding is mojibake
DETECTOR_SAMPLE = 256 * 1024  # bytes charset-normalizer reads

# what a binary file is, by its first bytes (for the reason recorded in etl_file)
MAGIC = (
    (b"PK\x03\x04", "a ZIP archive (a .docx, .xlsx or .zip file with another name?)"),
    (b"%PDF", "a PDF document with another name"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xd0\xcf\x11\xe0", "an old Office document (.doc, .xls)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "an executable"),
)


class UnreadableFile(Exception):
    """A file that cannot become text; the message is the reason recorded in etl_file."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    damaged_bytes: int = 0  # bytes that decoded to U+FFFD replacement characters


def decode(data: bytes) -> Decoded:
    """Decode a text file's bytes; raise UnreadableFile with the reason when that is impossible.
    (Formats, empty and too large files are told apart before, by tasks.formats.)

    >>> decode("职工".encode("gb18030")).encoding
    'gb18030'
    >>> d = decode("职工书屋".encode() + b"\\xff" + "建成120家".encode())
    >>> d.text, d.encoding, d.damaged_bytes
    ('职工书屋\\ufffd建成120家', 'utf-8', 1)
    >>> decode("职工书屋建成120家".encode("utf-16-le")).encoding
    'utf-16-le'
    """
    if not data.removeprefix(codecs.BOM_UTF8).strip():
        raise UnreadableFile(
            "no text: the file holds only a byte-order mark"
            if data.startswith(codecs.BOM_UTF8)
            else "no text: the file holds only whitespace"
        )
    decoded = _decode(data)
    if not decoded.text.strip("\ufeff \t\r\n\f\v\u3000\xa0"):
        raise UnreadableFile("no text: the file holds only whitespace")
    return decoded


def _decode(data: bytes) -> Decoded:
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return _tolerant(data, encoding)
    if b"\x00" in data:
        return _with_nul_bytes(data)
    strict = _strict(data)
    if strict is not None:
        return strict
    damaged = _least_damaged(data)
    if damaged is not None and damaged.damaged_bytes <= len(data) * SMALL_DAMAGE_SHARE:
        return damaged
    detected = _detected(data)
    if detected is not None:
        return detected
    if damaged is not None and damaged.damaged_bytes <= len(data) * MAX_DAMAGED_SHARE:
        return damaged
    raise UnreadableFile(f"undecodable: not valid UTF-8, GB18030 or Big5 text{_what_binary(data)}")


def _strict(data: bytes) -> Decoded | None:
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
    return None


def _with_nul_bytes(data: bytes) -> Decoded:
    """UTF-16 without a byte-order mark has NUL bytes beside ASCII characters (and beside CJK
    characters such as 一, U+4E00); the byte order whose text reads as a language wins. Any other
    NUL byte means a binary file."""
    odd_first = data[1::2].count(0) >= data[0::2].count(0)
    for encoding in ("utf-16-le", "utf-16-be") if odd_first else ("utf-16-be", "utf-16-le"):
        decoded = _tolerant(data, encoding)
        if _acceptable(decoded, data):
            return decoded
    raise UnreadableFile(f"binary file: contains NUL bytes{_what_binary(data)}")


def _least_damaged(data: bytes) -> Decoded | None:
    """The decoding with the fewest damaged bytes that reads as text; between as few, the one whose
    characters are the frequent ones of its own encoding (Big5 bytes read as GB18030 are mojibake)."""
    best, best_key = None, None
    for encoding in ("utf-8", "gb18030", "big5"):
        decoded = _tolerant(data, encoding)
        if not (_looks_like_text(decoded.text) and _plausible(decoded.text)):
            continue
        key = (decoded.damaged_bytes, -_common_share(decoded.text, encoding) if encoding in COMMON_LEAD_BYTES else 0)
        if best_key is None or key < best_key:
            best, best_key = decoded, key
    return best


def _detected(data: bytes) -> Decoded | None:
    """charset-normalizer's guess from a sample, decoded in full; None when it has none that reads
    as text."""
    import charset_normalizer  # the fallback only: most reports never need it

    match = charset_normalizer.from_bytes(data[:DETECTOR_SAMPLE]).best()
    if match is None:
        return None
    try:
        encoding = codecs.lookup(match.encoding).name
    except LookupError:
        return None
    decoded = _tolerant(data, encoding)
    if _acceptable(decoded, data):
        return decoded
    return None


def _what_binary(data: bytes) -> str:
    for magic, what in MAGIC:
        if data.startswith(magic):
            return f": {what}"
    return ""


_damage = threading.local()  # bytes replaced by the current thread's decoding


def _count_damage(exc: UnicodeDecodeError) -> tuple[str, int]:
    _damage.count = getattr(_damage, "count", 0) + (exc.end - exc.start)
    return "\ufffd", exc.end


codecs.register_error("unionfacts-count-damage", _count_damage)


def _acceptable(decoded: Decoded, data: bytes) -> bool:
    """A decoding to keep: little damage, and text that reads as text."""
    return (
        decoded.damaged_bytes <= len(data) * SMALL_DAMAGE_SHARE
        and _looks_like_text(decoded.text)
        and _plausible(decoded.text)
    )


def _tolerant(data: bytes, encoding: str) -> Decoded:
    """Decode with a replacement character where bytes are damaged, and count those bytes."""
    _damage.count = 0
    text = data.decode(encoding, "unionfacts-count-damage")
    return Decoded(text, encoding, _damage.count)


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
        if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ord(ch) > 0xFFFF:
            cjk += 1
            try:
                lead = ch.encode(encoding)[0]
            except UnicodeEncodeError:  # a character the encoding lacks: not a frequent one
                continue
            common += lo <= lead <= hi
    return common / cjk if cjk else 0.0


CJK_SAMPLE_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]")


def _plausible(text: str, sample: int = 3000) -> bool:
    """Text with Chinese characters is plausible when most of them are frequent ones (in simplified
    or traditional script); random bytes decoded as GB18030 or UTF-16 are not."""
    head = text[:sample]
    if not CJK_SAMPLE_RE.search(head):
        return not any("\ue000" <= ch <= "\uf8ff" or "\uac00" <= ch <= "\ud7af" for ch in head[:500])
    return max(_common_share(head, "gb18030"), _common_share(head, "big5")) >= MIN_COMMON_SHARE


CONTROL_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f]")  # control characters but \t \n \f \r


def _looks_like_text(text: str) -> bool:
    """Control characters other than whitespace betray a binary file decoded by accident."""
    if not text.strip():
        return False
    head = text[:10000]
    return len(CONTROL_RE.findall(head)) <= len(head) * 0.001
