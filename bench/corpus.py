"""A benchmark corpus of N reports generated from the samples, each one different, so that nothing
is served from a cache: paragraphs shuffled, figures changed, cities swapped for others, about a
fifth in traditional characters, about a tenth as HTML pages and a tenth encoded in GB18030.

    python bench/corpus.py N FOLDER
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

from tasks.read.normalize import normalize
from tasks.seeds import SAMPLE_REPORTS_DIR, read_csv

NUMBER_RE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)(?![\d.]*\s*[年月日号时])(%|％)?")


def samples() -> list[list[str]]:
    """The sample reports as lists of paragraphs (simplified, noise removed)."""
    out = []
    for path in sorted(SAMPLE_REPORTS_DIR.glob("*.txt")):
        text, _ = normalize(path.read_text(encoding="utf-8"))
        out.append([p.strip() for p in text.split("\n") if p.strip()])
    return out


def prefectures() -> list[str]:
    return [
        r["short_name"] for r in read_csv("regions.csv") if r["level"] == "prefecture" and len(r["short_name"]) >= 2
    ]


def vary_figures(text: str, rng: random.Random) -> str:
    def change(m: re.Match) -> str:
        digits = m.group(1)
        if len(digits) == 4 and digits.startswith(("19", "20")):
            return digits  # a year
        factor = rng.uniform(0.5, 1.5)
        percent = m.group(2) or ""
        value = float(digits) * factor
        if percent:
            value = min(value, 99.0)  # a share stays a share
        if "." in digits:
            return f"{value:.{len(digits.split('.')[1])}f}{percent}"
        return f"{max(1, round(value))}{percent}"

    return NUMBER_RE.sub(change, text)


def swap_cities(text: str, cities: list[str], rng: random.Random) -> str:
    present = sorted({c for c in cities if c in text}, key=lambda c: (-len(c), c))  # not set order: reproducible
    mapping = {c: rng.choice(cities) for c in present}
    if not mapping:
        return text
    return re.sub("|".join(map(re.escape, present)), lambda m: mapping[m.group(0)], text)


def as_html(title: str, paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>\n" for p in paragraphs)
    return (
        f'<html><head><meta charset="utf-8"><title>{title}</title></head><body>'
        f'<div class="nav">首页 | 工会新闻 | 工作动态</div><h1>{title}</h1>\n{body}'
        f'<div class="footer">版权所有 工人日报社</div></body></html>'
    )


def report(n: int, sources: list[list[str]], cities: list[str], to_traditional) -> tuple[str, bytes]:
    """The n-th report: (file name, bytes)."""
    rng = random.Random(n)
    paragraphs = list(sources[n % len(sources)])
    title, body = paragraphs[0], paragraphs[1:]
    rng.shuffle(body)
    body = body[: max(3, int(len(body) * rng.uniform(0.6, 1.0)))]
    text = swap_cities(vary_figures("\n".join([title, *body]), rng), cities, rng)
    lines = text.split("\n")
    kind = rng.random()
    if kind < 0.1:
        return f"r{n:06d}.html", as_html(lines[0], lines[1:]).encode("utf-8")
    if kind < 0.3:
        return f"r{n:06d}.txt", to_traditional("\n\n".join(lines)).encode("utf-8")
    if kind < 0.4:
        return f"r{n:06d}.txt", "\n\n".join(lines).encode("gb18030")
    return f"r{n:06d}.txt", "\n\n".join(lines).encode("utf-8")


def generate(count: int, folder: Path) -> int:
    """Write `count` reports into `folder`; returns the characters written (before encoding)."""
    from opencc import OpenCC

    folder.mkdir(parents=True, exist_ok=True)
    sources, cities, converter = samples(), prefectures(), OpenCC("s2t")
    written = 0
    for n in range(count):
        name, data = report(n, sources, cities, converter.convert)
        (folder / name).write_bytes(data)
        written += len(data.decode("gb18030" if data[:1] != b"<" and not _is_utf8(data) else "utf-8"))
    return written


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


if __name__ == "__main__":
    print(generate(int(sys.argv[1]), Path(sys.argv[2])))
