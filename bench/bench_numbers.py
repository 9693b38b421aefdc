"""Number parser throughput (printed, never asserted), next to JioNLP's extract_money as an anchor.

    make bench                                   # our parser only
    JIONLP_PYTHON=/path/to/python make bench     # also JioNLP, run by that interpreter

JioNLP is not a dependency: install it in a scratch virtual environment and point JIONLP_PYTHON
at that environment's python. Both parsers read the same text (the bundled samples, normalized,
concatenated) for at least one second each; JioNLP only looks for money, we read every number.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from tasks.extract import numbers
from tasks.read.normalize import normalize

SAMPLES = Path(__file__).resolve().parents[1] / "seeds" / "reports"
MIN_SECONDS = 1.0

# run by the JioNLP interpreter: reads the text on stdin, prints chars/s and amounts found
JIONLP_PROBE = """
import json, sys, time
try:
    from jionlp import extract_money
except ImportError:  # jionlp 1.5 keeps it in its NER package
    from jionlp.algorithm.ner import extract_money
text = sys.stdin.read()
found = extract_money(text)
n, start = 0, time.perf_counter()
while time.perf_counter() - start < %(min_seconds)s:
    extract_money(text)
    n += 1
print(json.dumps({"chars_per_s": n * len(text) / (time.perf_counter() - start), "amounts": len(found)}))
"""


def sample_text() -> str:
    raw = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("*.txt")))
    return normalize(raw)[0]


def rate(fn, text: str) -> float:
    fn(text)
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < MIN_SECONDS:
        fn(text)
        n += 1
    return n * len(text) / (time.perf_counter() - start)


def jionlp_figures(python: str, text: str) -> dict | None:
    probe = JIONLP_PROBE % {"min_seconds": MIN_SECONDS}
    done = subprocess.run([python, "-c", probe], input=text, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        print(f"jionlp: failed ({done.stderr.strip().splitlines()[-1:]})", file=sys.stderr)
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    text = sample_text()
    spans = numbers.scan(text)
    money = [s for s in spans if s.kind == "money"]
    print(f"text                         {len(text)} chars, {len(spans)} numbers, {len(money)} money amounts")
    ours = rate(numbers.scan, text)
    print(f"numbers.scan                 {ours / 1e6:8.3f} M chars/s (every number, unit and kind)")
    result = {"numbers_chars_per_s": round(ours)}
    python = os.environ.get("JIONLP_PYTHON")
    if python:
        peer = jionlp_figures(python, text)
        if peer:
            print(
                f"jionlp.extract_money         {peer['chars_per_s'] / 1e6:8.3f} M chars/s "
                f"(money only, {peer['amounts']} amounts)"
            )
            print(f"ratio                        {ours / peer['chars_per_s']:8.2f} x")
            result["jionlp_money_chars_per_s"] = round(peer["chars_per_s"])
    else:
        print("jionlp.extract_money         (set JIONLP_PYTHON to a python with jionlp installed)")
    print("RESULT " + " ".join(f"{k}={v}" for k, v in result.items()))


if __name__ == "__main__":
    main()
