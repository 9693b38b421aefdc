"""One file, then a batch of files, end to end as pure functions: bytes → decoded → normalized →
extracted facts with their offsets into the original, and the batch's rows as Arrow tables."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tasks import warehouse_rows
from tasks.extract.articles import Article
from tasks.extract.facts import Fact, extract_document
from tasks.extract.segment import blocks
from tasks.operations import limits
from tasks.read.decode import DEFAULT_MAX_BYTES, UnreadableFile
from tasks.read.formats import read_document
from tasks.read.inbox_files import FileRef, document_id, read_bytes
from tasks.read.metadata import PAGE_DATE_SOURCES, document_metadata
from tasks.read.normalize import normalize, normalize_mapped
from tasks.read.offsets import OffsetMap, source_span

if TYPE_CHECKING:
    import pyarrow as pa


@dataclass
class ProcessedFile:
    ref: FileRef
    document_id: str | None = None
    encoding: str | None = None
    format: str | None = None
    title: str = ""
    source_text: str = ""  # the decoded original, before normalization
    offsets: OffsetMap = None  # normalized position → position in source_text
    script: str | None = None
    damaged_bytes: int = 0  # of the file's bytes, decoded to replacement characters
    publisher: str | None = None
    published_on: object = None  # datetime.date
    published_on_source: str | None = None  # how the publication date was found (metadata.Metadata)
    text: str = ""
    char_count: int = 0  # of the normalized text
    fact_count: int = 0  # kept when a batch result drops the facts themselves
    steps: list[str] = field(default_factory=list)
    article_count: int = 0
    numbers_seen: int = 0
    facts: list[Fact] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    period_anchor_year: int | None = None  # what 今年/五年来 were resolved against
    period_anchor_source: str | None = None  # published_on, latest_year_in_text or file_properties
    error: str | None = None


def process_file(
    ref: FileRef,
    max_bytes: int = DEFAULT_MAX_BYTES,
    landing_area: Path | None = None,
    budget_s: float | None = limits.DEFAULT_FILE_BUDGET_S,
) -> ProcessedFile:
    """Decode, normalize and extract one file within its time budget; a failure is recorded, never
    raised (past the budget: "timed out in <stage> after N s")."""
    out = ProcessedFile(ref)
    if ref.error:
        out.error = ref.error
        return out
    try:
        with limits.file_budget(budget_s):
            return _process(ref, max_bytes, landing_area, out)
    except (UnreadableFile, limits.OverBudget) as exc:
        return ProcessedFile(ref, error=str(exc))
    except OSError as exc:
        return ProcessedFile(ref, error=f"unreadable: {exc.strerror or exc}")


def _process(ref: FileRef, max_bytes: int, landing_area: Path | None, out: ProcessedFile) -> ProcessedFile:
    limits.stage("read")
    data = read_bytes(ref, max_bytes, landing_area)
    limits.stage("decode")
    document = read_document(data, ref.file_name, max_bytes)
    limits.stage("normalize")
    normalized = normalize_mapped(document.text)
    text, steps = normalized.text, normalized.steps
    if not text.strip():
        raise UnreadableFile("no text after normalization")
    limits.stage("extract")
    out.document_id = document_id(ref.file_name, ref.sha256 or "")
    out.encoding, out.format, out.text, out.steps = document.encoding, document.format, text, steps
    out.damaged_bytes = document.damaged_bytes
    out.char_count = len(text)
    out.source_text, out.offsets = document.text, normalized.offsets
    out.script = "traditional" if "to_simplified" in steps else "simplified"
    meta = document_metadata(
        text, normalize(document.hints)[0] if document.hints else "", ref.file_name, document.file_date
    )
    out.publisher, out.published_on, out.published_on_source = (
        meta.publisher,
        meta.published_on,
        meta.published_on_source,
    )
    first = blocks(text)
    out.title = normalize(document.title)[0] if document.title else (first[0].text[:200] if first else "")
    stated = meta.published_on if meta.published_on_source != "file_properties" else None
    web_page = meta.published_on_source in PAGE_DATE_SOURCES
    extraction = extract_document(os.path.basename(ref.file_name), text, stated, document.file_date, web_page)
    out.article_count, out.numbers_seen = extraction.article_count, extraction.numbers_seen
    out.articles = list(extraction.articles)
    if extraction.anchor:
        out.period_anchor_year, out.period_anchor_source = extraction.anchor.year, extraction.anchor.source
    limits.stage("provenance")
    sentences: dict[tuple[int, int], str] = {}  # the facts of a sentence share its original
    out.facts = [with_source(f, out.source_text, out.offsets, sentences) for f in extraction.facts]
    return out


def with_source(fact: Fact, source_text: str, offsets: OffsetMap, sentences: dict | None = None) -> Fact:
    """The fact with its offsets into the original text, and the number and its sentence as the
    report wrote them (traditional characters and noise included). `sentences` keeps one copy of
    each original sentence for all its facts."""
    start, end = source_span(offsets, fact.start_offset, fact.end_offset)
    span = source_span(offsets, fact.sentence_start, fact.sentence_start + len(fact.sentence))
    sentence = sentences.get(span) if sentences is not None else None
    if sentence is None:
        sentence = source_text[span[0] : span[1]]
        if sentences is not None:
            sentences[span] = sentence
    # a copy with four fields set (dataclasses.replace re-runs __init__: 7× slower, 5 % of extraction)
    located = object.__new__(Fact)
    located.__dict__.update(
        fact.__dict__, source_start=start, source_end=end, source_text=source_text[start:end], source_sentence=sentence
    )
    return located


@dataclass
class BatchResult:
    """What a batch of files gives the warehouse: rows as Arrow tables (compact to send between
    processes or machines, and to hold; no pandas needed where batches run), and each file's
    outcome without its text or facts."""

    files: list[ProcessedFile]
    facts: "pa.Table"
    documents: "pa.Table"
    articles: "pa.Table"


ROWS_EVERY = 50  # files whose rows a batch gathers as Python objects before they become Arrow data


def process_batch(
    refs: list[FileRef],
    run_id: str,
    loaded_at: datetime,
    max_bytes: int = DEFAULT_MAX_BYTES,
    landing_area: Path | None = None,
    budget_s: float | None = limits.DEFAULT_FILE_BUDGET_S,
) -> BatchResult:
    """Process the files of a batch into warehouse rows: each file's rows are taken as it is read,
    so a batch never holds more than one file's text and facts, and every ROWS_EVERY files they
    become Arrow data (smaller than the rows as Python objects: a worker on batches of 500 files
    held ~345 MB instead of ~410 MB)."""
    files: list[ProcessedFile] = []
    tables = {
        "facts": warehouse_rows.ArrowRows(warehouse_rows.FACT_COLUMNS),
        "documents": warehouse_rows.ArrowRows(),
        "articles": warehouse_rows.ArrowRows(),
    }
    warm_up()  # one-time loads are no file's cost: they stay out of the first file's budget
    for n, ref in enumerate(refs, 1):
        p = process_file(ref, max_bytes, landing_area, budget_s)
        if p.error is None:
            tables["facts"].extend(warehouse_rows.fact_rows(p, run_id))
            tables["documents"].extend([warehouse_rows.document_row(p, run_id, loaded_at)])
            tables["articles"].extend(warehouse_rows.article_rows(p))
        files.append(replace(p, text="", offsets=None, source_text="", facts=[], articles=[], fact_count=len(p.facts)))
        if n % ROWS_EVERY == 0:
            for gathered in tables.values():
                gathered.seal()
    return BatchResult(files, *(gathered.table() for gathered in tables.values()))


def warm_up() -> None:
    """Load what extraction loads on first use (jieba's dictionary, the seeds)."""
    extract_document("warm-up.txt", "某市总工会\n\n全市新建职工书屋12家,服务职工3万人次。")
