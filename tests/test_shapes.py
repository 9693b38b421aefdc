"""The same report in the shapes reports arrive in gives the same facts as the clean text.

Each shape is derived from a sample: traditional characters with pinyin noise, GB18030 bytes, a web
page with navigation and footer, PDF-style text hard-wrapped with full-width digits, running headers
and page footers. The facts (value, unit) must match the clean text's facts (F1 ≥ 0.95).
"""

from __future__ import annotations

import html
import re
from collections import Counter
from pathlib import Path

import pytest

from tasks.extract.processing import process_file
from tasks.read.inbox_files import FileRef, sha256_file

SAMPLES = Path(__file__).resolve().parents[1] / "seeds" / "reports"
SHAPED_SAMPLES = ["000_90a44285579183c2.txt", "002_5d2c108e6f589c16.txt"]
FULLWIDTH = str.maketrans({**{str(i): chr(0xFF10 + i) for i in range(10)}, ".": "．", "%": "％"})
PINYIN = {"业": "(yè)", "发": "(fā)", "务": "(wù)", "产": "(chǎn)"}


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def traditional_with_pinyin(text: str) -> bytes:
    import opencc

    converted = opencc.OpenCC("s2t").convert(text)
    for simplified, pinyin in PINYIN.items():
        traditional = opencc.OpenCC("s2t").convert(simplified)
        converted = converted.replace(traditional, traditional + pinyin)
    return converted.encode("utf-8")


def gb18030(text: str) -> bytes:
    return text.encode("gb18030")


def web_page(text: str) -> bytes:
    paras = paragraphs(text)
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paras[1:])
    page = (
        f"<html><head><meta charset='utf-8'><title>{html.escape(paras[0])} - 工会网</title></head><body>"
        "<div class='nav'>首页 | 要闻 | 第3期专题 | 2024年排行</div>"
        f"<div class='content'><h1>{html.escape(paras[0])}</h1>{body}</div>"
        "<div class='sidebar'>热门 阅读 5678次</div><div class='footer'>电话 0532-12345678 © 2024</div>"
        "</body></html>"
    )
    return page.encode("utf-8")


def pdf_style(text: str) -> bytes:
    lines: list[str] = []
    for p in paragraphs(text):
        p = p.translate(FULLWIDTH)
        lines += [p[i : i + 32] for i in range(0, len(p), 32)] + [""]
    pages = [
        "工人日报 2024年12月1日\n" + "\n".join(lines[i : i + 40]) + f"\n— {n} —"
        for n, i in enumerate(range(0, len(lines), 40), 1)
    ]
    return "\f".join(pages).encode("utf-8")


SHAPES = {
    "traditional_pinyin.txt": traditional_with_pinyin,
    "gb18030.txt": gb18030,
    "page.html": web_page,
    "pdf_text.txt": pdf_style,
}


def facts(path: Path) -> Counter:
    processed = process_file(FileRef(str(path), path.name, sha256_file(path), path.stat().st_size))
    assert processed.error is None, processed.error
    return Counter((round(f.value, 4), f.unit) for f in processed.facts)


@pytest.mark.parametrize("sample", SHAPED_SAMPLES, ids=lambda s: s[:3])
@pytest.mark.parametrize("shape", SHAPES, ids=lambda s: s.split(".")[0])
def test_a_report_in_another_shape_gives_the_same_facts(sample, shape, tmp_path):
    clean = SAMPLES / sample
    expected = facts(clean)
    shaped = tmp_path / shape
    shaped.write_bytes(SHAPES[shape](clean.read_text(encoding="utf-8")))
    got = facts(shaped)
    common = sum((got & expected).values())
    precision, recall = common / max(1, sum(got.values())), common / sum(expected.values())
    f1 = 2 * precision * recall / (precision + recall) if common else 0.0
    assert f1 >= 0.95, (f1, sorted((expected - got).elements())[:10], sorted((got - expected).elements())[:10])
