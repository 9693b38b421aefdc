"""Linearity of the per-file pipeline (printed, never asserted): characters per second of read →
decode → normalize → segment → extract on hostile, sentence-less text from 1 KB to 10 MB. Each
shape's rate should stay flat (within 2×) as the text grows: a stage that is quadratic in a
sentence, a line or a run of digits shows as a rate falling with size.

    make bench                                      # every shape, 1 KB … 10 MB
    BENCH_LINEARITY_MAX=1000000 python bench/bench_linearity.py   # up to 1 MB only
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.extract.processing import process_file
from tasks.operations import limits
from tasks.read.inbox_files import FileRef

# the stages' own cost is measured: neither the time budget nor the fact ceiling stops a file here
limits.MAX_FACTS_PER_FILE = 10**9

SIZES = (1_000, 10_000, 100_000, 1_000_000, 10_000_000)
HEAD = "某市总工会工作报告\n\n"

# name → the repeated unit of a text of that shape (no sentence end anywhere but the last character)
SHAPES = {
    "clauses": "全市新建工会驿站120个,",  # one sentence of repeated clauses
    "digits": "1234567890",  # a table's figures run together
    "fullwidth digits": "１２３４５６７８９０",
    "table rows": "涧西区  新建工会 112  新发展会员 6350  驿站 41  ",  # a PDF table, spaces only
    "words": "职工书屋建设工会驿站服务",  # prose without any punctuation
    "broken lines": "全市新建工会驿站\n",  # a paragraph wrapped every few characters
    "wrapped prose": "全市新建工会驿站120个,服务职工3万人次,建成职工之家\n",  # lines that continue
    "spaces": "          职",  # long runs of spaces
    "list marks": "、12家",  # an enumeration without end
    "pages": "第3页\n正文\f",  # a PDF of many tiny pages
    "headlines": "青岛市总工会\n\n",  # short lines that look like headlines
    "open quotes": "“职工书屋12家",  # quotes that never close
    "tags": "<a href=职工",  # HTML residue that never closes
    "dashes": "——12",  # ranges that never end
}


def text_of(shape: str, size: int) -> str:
    unit = SHAPES[shape]
    body = (unit * (size // len(unit) + 1))[: max(0, size - len(HEAD) - 1)]
    return HEAD + body + "。"


def seconds_for(text: str, folder: Path) -> tuple[float, int]:
    data = text.encode("utf-8")
    path = folder / "report.txt"
    path.write_bytes(data)
    ref = FileRef(str(path), "report.txt", hashlib.sha256(data).hexdigest(), len(data))
    start = time.perf_counter()
    processed = process_file(ref, max_bytes=64 * 1024 * 1024, budget_s=None)
    elapsed = time.perf_counter() - start
    if processed.error:
        raise RuntimeError(processed.error)
    return elapsed, len(processed.facts)


def main() -> None:
    largest = int(os.environ.get("BENCH_LINEARITY_MAX", SIZES[-1]))
    sizes = [s for s in SIZES if s <= largest]
    with tempfile.TemporaryDirectory() as scratch:
        seconds_for(text_of("clauses", 10_000), Path(scratch))  # warm: jieba's dictionary, the seeds
        print(f"{'shape':18s}" + "".join(f"{s:>12,d}" for s in sizes) + "   chars/s; spread (max/min)")
        worst = 1.0
        for shape in SHAPES:
            rates = []
            for size in sizes:
                elapsed, _ = seconds_for(text_of(shape, size), Path(scratch))
                rates.append(size / elapsed)
            # the smallest texts are dominated by fixed costs: the spread is taken from 10 KB on
            steady = rates[1:] if len(rates) > 2 else rates
            spread = max(steady) / min(steady)
            worst = max(worst, spread)
            print(f"{shape:18s}" + "".join(f"{r / 1e3:>11,.0f}k" for r in rates) + f"   {spread:.2f}×")
    print(f"RESULT linearity_worst_spread={worst:.2f}")


if __name__ == "__main__":
    main()
