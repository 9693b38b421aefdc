"""Provenance: every fact points back into the decoded original, as the report wrote it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.extract.processing import process_file
from tasks.read.inbox_files import FileRef, sha256_file
from tasks.read.normalize import halfwidth_numbers, normalize_mapped, remove_pinyin_annotations
from tasks.read.offsets import source_span
from tasks.read.t2s import to_simplified

SAMPLES = sorted((Path(__file__).resolve().parents[1] / "seeds" / "reports").glob("*.txt"))


def as_normalized(original: str, traditional: bool) -> str:
    text = remove_pinyin_annotations(original)
    return halfwidth_numbers(to_simplified(text) if traditional else text)


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name[:3] for p in SAMPLES])
def test_every_fact_of_the_samples_points_at_the_number_as_written(path):
    processed = process_file(FileRef(str(path), path.name, sha256_file(path), path.stat().st_size))
    assert processed.facts
    traditional = processed.script == "traditional"
    for fact in processed.facts:
        written = processed.source_text[fact.source_start : fact.source_end]
        assert written == fact.source_text
        assert as_normalized(written, traditional) == fact.text, (fact.text, written)
        assert as_normalized(fact.source_sentence, traditional).replace("\n", "").startswith(fact.sentence[:10])


def test_traditional_sample_shows_its_own_characters():
    path = next(p for p in SAMPLES if p.name.startswith("003"))
    processed = process_file(FileRef(str(path), path.name, sha256_file(path), path.stat().st_size))
    assert processed.script == "traditional"
    written = {f.text: f.source_text for f in processed.facts}
    assert written["4.3万余项"] == "4.3萬余項"
    assert written["60多万名"] == "60多萬名"


@pytest.mark.parametrize(
    "original, number",
    [
        ("職工(zhí)書屋新增１２０家,會(huì)員達(dá)５萬余名。", "５萬余名"),
        ("获奖&nbsp;</span>名单:共1285名。", "1285名"),
        ("全市\u3000共有会员\u200b1200\n人,同比增长。", "1200\n人"),
        ("报告\n— 1 —\f报告\n服务职工3000人次。\n第2页\f报告\n结尾。", "3000人次"),
    ],
)
def test_offsets_survive_every_normalization_step(original, number):
    result = normalize_mapped(original)
    start = original.index(number)
    normalized_number = as_normalized(number, True).replace("\n", "")
    at = result.text.index(normalized_number)
    assert source_span(result.offsets, at, at + len(normalized_number)) == (start, start + len(number))
