"""Traditional → simplified: OpenCC's t2s dictionaries, phrases before characters, position for position."""

from __future__ import annotations

import pytest
from conftest import SAMPLES

from tasks.read.t2s import to_simplified

CASES = [
    ("職工服務中心", "职工服务中心"),  # characters one by one
    ("乾淨", "干净"),  # an ambiguous character: its first candidate, no "干 乾"
    ("儘管", "尽管"),
    ("情有獨鍾", "情有独钟"),  # a phrase of TSPhrases
    ("工會經費1.1億元", "工会经费1.1亿元"),  # digits and simplified text untouched
    ("", ""),
]


@pytest.mark.parametrize("traditional,simplified", CASES)
def test_converts(traditional, simplified):
    assert to_simplified(traditional) == simplified


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.name[:3])
def test_agrees_with_opencc_on_the_samples(path):
    import opencc

    text = path.read_text(encoding="utf-8")
    assert to_simplified(text) == opencc.OpenCC("t2s").convert(text)
