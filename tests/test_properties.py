"""Properties that hold for any input (Hypothesis): decoding, reading, normalization, the number
parser and extraction never raise on arbitrary bytes or text (a bad file is an UnreadableFile with
a reason, nothing else); offsets always point back into the original; values are finite; and a
batch's rows do not depend on how the files were cut into batches."""

from __future__ import annotations

import hashlib
import math
import os
from datetime import datetime

from conftest import SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tasks.extract import numbers
from tasks.extract.facts import extract_document
from tasks.read.decode import UnreadableFile, decode
from tasks.read.formats import read_document
from tasks.read.normalize import normalize_mapped
from tasks.read.offsets import source_span

# pieces of union reports and of what breaks parsers: numerals, units, qualifiers, marks, noise
PIECES = [
    "全市",
    "新建",
    "工会",
    "驿站",
    "职工",
    "书屋",
    "会员",
    "120",
    "1.1",
    "9000",
    "个",
    "家",
    "名",
    "人次",
    "万",
    "亿",
    "元",
    "余",
    "多",
    "近",
    "超过",
    "以上",
    "%",
    "个百分点",
    "增长",
    "-",
    "~",
    "至",
    "—",
    "、",
    ",",
    "，",
    "。",
    "；",
    "\n",
    "\n\n",
    "\f",
    "\r\n",
    " ",
    "\u3000",
    "\t",
    "１２３",
    "．",
    "年",
    "月",
    "日",
    "2024",
    "2024年",
    "今年",
    "第",
    "“",
    "”",
    "(",
    ")",
    "（",
    "）",
    "<p>",
    "</div>",
    "&amp;",
    "&#12;",
    "十",
    "百",
    "千",
    "零",
    "两",
    "点",
    "分之",
    "三分之一",
    "翻一番",
    "成",
    "折",
    "/",
    "１",
    "壹佰",
    "萬",
    "\ufffd",
    "\u200b",
    "\ue000",
    "青岛市",
    "即墨区",
    "总工会",
    "本报讯",
    "图为",
    "相关新闻",
    "五年来",
    "截至",
    "年底",
    "上半年",
    "1-10月",
    "e",
    "9" * 40,
]
report_like = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=80).map("".join)
any_text = st.one_of(report_like, st.text(max_size=400))
EXAMPLES = int(os.environ.get("HYPOTHESIS_EXAMPLES", "150"))  # more for a longer hunt: HYPOTHESIS_EXAMPLES=5000
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(
    st.one_of(
        st.binary(max_size=600),
        report_like.map(lambda t: t.encode("utf-8")),
        report_like.map(lambda t: t.encode("gb18030", "replace")),
        report_like.map(lambda t: t.encode("utf-16-le")),
    )
)
def test_decoding_any_bytes_gives_text_or_a_reason(data):
    try:
        decoded = decode(data)
    except UnreadableFile as exc:
        assert str(exc)
        return
    assert isinstance(decoded.text, str) and decoded.text.strip()
    assert 0 <= decoded.damaged_bytes <= len(data)


@SETTINGS
@given(st.binary(max_size=600), st.sampled_from(["r.txt", "r.html", "r.docx", "r.pdf", "r.md", "r.xlsx"]))
def test_reading_any_file_gives_a_document_or_a_reason(data, name):
    try:
        document = read_document(data, name)
    except UnreadableFile as exc:
        assert str(exc)
        return
    assert document.text.strip()


@SETTINGS
@given(any_text)
def test_normalized_offsets_point_back_into_the_original(text):
    normalized = normalize_mapped(text)
    ends = [source_span(normalized.offsets, i, i + 1) for i in range(len(normalized.text))]
    assert all(0 <= start <= end <= len(text) for start, end in ends)
    starts = [start for start, _ in ends]
    assert starts == sorted(starts)  # reading order is kept
    whole = source_span(normalized.offsets, 0, len(normalized.text))
    assert 0 <= whole[0] <= whole[1] <= len(text)


@SETTINGS
@given(any_text)
def test_every_number_span_is_the_text_it_covers_with_a_finite_value(text):
    spans = numbers.scan(text)
    for span in spans:
        assert text[span.start : span.end] == span.text
        for value in (span.value, span.value_high):
            assert value is None or (math.isfinite(value) and abs(value) <= numbers.MAX_MAGNITUDE)
    assert [s.start for s in spans] == sorted(s.start for s in spans)


@SETTINGS
@given(any_text)
def test_extraction_of_any_text_gives_facts_that_point_at_their_text(text):
    normalized = normalize_mapped(text).text
    extraction = extract_document("r.txt", normalized)
    for fact in extraction.facts:
        assert normalized[fact.start_offset : fact.end_offset] == fact.text
        assert math.isfinite(fact.value) and abs(fact.value) <= numbers.MAX_MAGNITUDE
        assert fact.sentence and fact.sentence in normalized


REPORTS = sorted(SAMPLES.glob("*.txt"))


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.integers(min_value=1, max_value=len(REPORTS)), min_size=1, max_size=len(REPORTS)))
def test_rows_do_not_depend_on_how_files_are_cut_into_batches(tmp_path_factory, cuts):
    """The same files read as one batch and as batches cut at arbitrary places give the same rows."""
    from tasks.extract.processing import process_batch
    from tasks.read.inbox_files import FileRef

    folder = tmp_path_factory.mktemp("batches")
    refs = []
    for path in REPORTS:
        data = path.read_bytes()
        (folder / path.name).write_bytes(data)
        refs.append(FileRef(str(folder / path.name), path.name, hashlib.sha256(data).hexdigest(), len(data)))
    loaded_at = datetime(2026, 1, 1)
    whole = process_batch(refs, "run", loaded_at)
    bounds = sorted(set(cuts) | {0, len(refs)})
    parts = [process_batch(refs[a:b], "run", loaded_at) for a, b in zip(bounds, bounds[1:]) if a < b]
    for table in ("facts", "documents", "articles"):
        assert sum((getattr(p, table).to_pylist() for p in parts), []) == getattr(whole, table).to_pylist()
