"""Benchmark figures (printed, never asserted): parser and extractor throughput on the samples,
bare jieba segmentation for comparison. Run with `make bench`."""

from __future__ import annotations

import time
from pathlib import Path

from tasks.extract import numbers
from tasks.extract.facts import extract
from tasks.extract.segment import words
from tasks.read.normalize import normalize

SAMPLES = Path(__file__).resolve().parents[1] / "seeds" / "reports"


def rate(fn, text: str, min_seconds: float = 1.0) -> float:
    """Characters per second of fn(text), repeated for at least min_seconds."""
    fn(text)  # warm caches (seeds, regexes, jieba dictionary)
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < min_seconds:
        fn(text)
        n += 1
    return n * len(text) / (time.perf_counter() - start)


def _fresh_extract(text: str):
    """extract() as on a text it has not seen: the indicator matches of earlier rounds forgotten."""
    from tasks.extract.indicators import _match

    _match.cache_clear()
    return extract("bench.txt", text)


def main() -> None:
    raw = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt")))
    text, _ = normalize(raw)
    figures = {
        "numbers_chars_per_s": rate(numbers.scan, text),
        "normalize_chars_per_s": rate(lambda t: normalize(t), raw),
        "extract_chars_per_s": rate(lambda t: _fresh_extract(t), text),
        "jieba_chars_per_s": rate(words, text),
    }
    for name, value in figures.items():
        print(f"{name:28s} {value / 1e6:8.3f} M")
    print("RESULT " + " ".join(f"{k}={v:.0f}" for k, v in figures.items()) + f" chars={len(text)}")


if __name__ == "__main__":
    main()
