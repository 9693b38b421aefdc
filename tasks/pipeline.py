"""Per-file processing (discover → decode → normalize → segment → extract) as pure functions,
and the rows the warehouse loads from their results."""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from tasks import landing, limits
from tasks.decode import DEFAULT_MAX_BYTES, UnreadableFile
from tasks.formats import read_document
from tasks.metadata import document_metadata
from tasks.articles import Article
from tasks.extract import Fact, extract_document
from tasks.normalize import normalize, normalize_mapped
from tasks.offsets import OffsetMap, source_span
from tasks.periods import period_bounds
from tasks.segment import blocks

if TYPE_CHECKING:
    import pyarrow as pa
    import pandas as pd


@dataclass(frozen=True)
class FileRef:
    path: str
    file_name: str
    sha256: str | None
    size_bytes: int | None
    error: str | None = None  # unreadable before decoding (permissions, vanished)
    document_id: str | None = None  # set when re-extracting a published document (--reprocess)


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
    text: str = ""
    char_count: int = 0  # of the normalized text
    fact_count: int = 0  # kept when a batch result drops the facts themselves
    steps: list[str] = field(default_factory=list)
    article_count: int = 0
    numbers_seen: int = 0
    facts: list[Fact] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    period_anchor_year: int | None = None  # what 今年/五年来 were resolved against
    period_anchor_source: str | None = None  # published_on or latest_year_in_text
    error: str | None = None


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def discover(inbox: str | Path) -> list[FileRef]:
    """Every regular file under the inbox (hidden files and folders skipped), with its content hash.
    Links to folders are not followed; a link to a file is read only when it points inside the
    inbox (a link elsewhere, such as to /etc/passwd, is recorded with its reason, never read)."""
    refs = []
    root = Path(inbox)
    real_root = root.resolve()
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [Path(folder, f) for f in files if not f.startswith(".")]
    for path in sorted(found):
        name = str(path.relative_to(root))
        try:
            if path.is_symlink() and not path.resolve().is_relative_to(real_root):
                refs.append(FileRef(str(path), name, None, None,
                                    error="symbolic link to a file outside the inbox: not followed"))
                continue
            if not path.is_file():
                continue  # a named pipe, a socket, a device, a dangling link: nothing to read
            refs.append(FileRef(str(path), name, sha256_file(path), path.stat().st_size))
        except OSError as exc:
            refs.append(FileRef(str(path), name, None, None, error=f"unreadable: {exc.strerror or exc}"))
    return refs


def landed_refs(documents: "pd.DataFrame", landing_area: Path) -> list[FileRef]:
    """Refs to re-read published documents: their bytes in the landing area, else the inbox path they
    were last seen at (checked against the hash when read), else an error saying they are gone."""
    refs = []
    for row in documents.itertuples(index=False):
        blob = landing.find(landing_area, row.sha256)
        if blob is not None:
            refs.append(FileRef(str(blob), row.file_name, row.sha256, blob.stat().st_size,
                                document_id=row.document_id))
        elif isinstance(row.path, str) and Path(row.path).is_file():
            refs.append(FileRef(row.path, row.file_name, row.sha256, Path(row.path).stat().st_size,
                                document_id=row.document_id))
        else:
            refs.append(FileRef(row.path or "", row.file_name, row.sha256, None, document_id=row.document_id,
                                error="raw bytes not in the landing area and the file is gone: facts kept as published"))
    return refs


def document_id(file_name: str, sha256: str) -> str:
    return hashlib.sha256(f"{file_name}\0{sha256}".encode()).hexdigest()[:32]


def read_bytes(ref: FileRef, max_bytes: int, landing_area: Path | None = None) -> bytes:
    """The file's bytes, checked against the hash it was discovered with, kept in the landing area."""
    if ref.size_bytes is not None and ref.size_bytes > max_bytes:
        raise UnreadableFile(f"file too large: {ref.size_bytes} bytes > limit {max_bytes}")
    with open(ref.path, "rb") as fh:
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UnreadableFile(f"file too large: more than {max_bytes} bytes")
    if ref.sha256 and hashlib.sha256(data).hexdigest() != ref.sha256:
        raise UnreadableFile("file changed while it was being read (it is read again next run)")
    if landing_area is not None and ref.sha256 and data:
        landing.store(landing_area, ref.sha256, data)
    return data


def process_file(ref: FileRef, max_bytes: int = DEFAULT_MAX_BYTES, landing_area: Path | None = None,
                 budget_s: float | None = limits.DEFAULT_FILE_BUDGET_S) -> ProcessedFile:
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
    meta = document_metadata(text, normalize(document.hints)[0] if document.hints else "")
    out.publisher, out.published_on = meta.publisher, meta.published_on
    first = blocks(text)
    out.title = normalize(document.title)[0] if document.title else (first[0].text[:200] if first else "")
    extraction = extract_document(os.path.basename(ref.file_name), text, meta.published_on)
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
    start, end = source_span(offsets, fact.start, fact.end)
    span = source_span(offsets, fact.sentence_start, fact.sentence_start + len(fact.sentence))
    sentence = sentences.get(span) if sentences is not None else None
    if sentence is None:
        sentence = source_text[span[0]:span[1]]
        if sentences is not None:
            sentences[span] = sentence
    return replace(fact, source_start=start, source_end=end, source_text=source_text[start:end],
                   source_sentence=sentence)


FACT_COLUMNS = ["observation_id", "document_id", "article_no", "start_offset", "end_offset", "text", "value",
                "value_high", "unit", "qualifier", "kind", "subject", "indicator_code", "region_code",
                "period_id", "sentence", "run_id", "source_start", "source_end", "source_text", "source_sentence"]


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


def process_batch(refs: list[FileRef], run_id: str, loaded_at: datetime, max_bytes: int = DEFAULT_MAX_BYTES,
                  landing_area: Path | None = None, budget_s: float | None = limits.DEFAULT_FILE_BUDGET_S
                  ) -> BatchResult:
    """Process the files of a batch into warehouse rows: each file's rows are taken as it is read,
    so a batch never holds more than one file's text and facts, and every ROWS_EVERY files they
    become Arrow data (smaller than the rows as Python objects: a worker on batches of 500 files
    held ~345 MB instead of ~410 MB)."""
    files: list[ProcessedFile] = []
    tables = {"facts": ArrowRows(FACT_COLUMNS), "documents": ArrowRows(), "articles": ArrowRows()}
    warm_up()  # one-time loads are no file's cost: they stay out of the first file's budget
    for n, ref in enumerate(refs, 1):
        p = process_file(ref, max_bytes, landing_area, budget_s)
        if p.error is None:
            tables["facts"].extend(fact_rows(p, run_id))
            tables["documents"].extend([document_row(p, run_id, loaded_at)])
            tables["articles"].extend(article_rows(p))
        files.append(replace(p, text="", offsets=None, source_text="", facts=[], articles=[],
                             fact_count=len(p.facts)))
        if n % ROWS_EVERY == 0:
            for rows in tables.values():
                rows.seal()
    return BatchResult(files, *(rows.table() for rows in tables.values()))


def warm_up() -> None:
    """Load what extraction loads on first use (jieba's dictionary, the seeds)."""
    extract_document("warm-up.txt", "某市总工会\n\n全市新建职工书屋12家,服务职工3万人次。")


class Columns:
    """Rows (dicts with the same keys) gathered column by column, then one Arrow table (several times
    faster than Arrow reading the rows themselves, and without holding the dicts)."""

    def __init__(self, names: list[str] | None = None) -> None:
        self.names = list(names or [])
        self.values: dict[str, list] = {name: [] for name in self.names}

    def __len__(self) -> int:
        return len(next(iter(self.values.values()), []))

    def extend(self, rows: list[dict]) -> None:
        for row in rows:
            if not self.values:
                self.names = list(row)
                self.values = {name: [] for name in self.names}
            for name in self.names:
                self.values[name].append(row[name])

    def table(self) -> "pa.Table":
        """The gathered rows; a column without values has Arrow's null type."""
        import pyarrow as pa

        if not any(self.values.values()):
            return pa.table({name: pa.nulls(0) for name in self.names})
        return pa.Table.from_pydict(self.values)


class ArrowRows:
    """Rows gathered in Columns, sealed into Arrow tables now and then; one table at the end."""

    def __init__(self, names: list[str] | None = None) -> None:
        self.open = Columns(names)
        self.sealed: list["pa.Table"] = []

    def extend(self, rows: list[dict]) -> None:
        self.open.extend(rows)

    def seal(self) -> None:
        """The rows gathered so far become Arrow data."""
        if len(self.open):
            self.sealed.append(self.open.table())
            self.open = Columns(self.open.names)

    def table(self) -> "pa.Table":
        """Every row (a column all empty in one part and not in another takes the other's type)."""
        import pyarrow as pa

        self.seal()
        if not self.sealed:
            return self.open.table()
        return pa.concat_tables(self.sealed, promote_options="permissive") if len(self.sealed) > 1 \
            else self.sealed[0]


def observation_id(doc_id: str, start: int) -> str:
    return f"{doc_id}:{start}"


def fact_rows(processed: ProcessedFile, run_id: str) -> list[dict]:
    return [dict(
        observation_id=observation_id(processed.document_id, f.start), document_id=processed.document_id,
        article_no=f.article, start_offset=f.start, end_offset=f.end, text=f.text, value=float(f.value),
        value_high=None if f.value_high is None else float(f.value_high), unit=f.unit,
        qualifier=f.qualifier, kind=f.kind, subject=f.subject, indicator_code=f.indicator,
        region_code=f.region_code, period_id=f.period, sentence=f.sentence, run_id=run_id,
        source_start=f.source_start, source_end=f.source_end, source_text=f.source_text,
        source_sentence=f.source_sentence,
    ) for f in processed.facts]


def document_row(processed: ProcessedFile, run_id: str, loaded_at: datetime) -> dict:
    return dict(
        document_id=processed.document_id, file_name=processed.ref.file_name, sha256=processed.ref.sha256,
        version=1, is_current=True, title=processed.title, encoding=processed.encoding,
        format=processed.format, script=processed.script, damaged_bytes=processed.damaged_bytes, source_text=processed.source_text,
        publisher=processed.publisher, published_on=processed.published_on,
        char_count=processed.char_count, article_count=processed.article_count,
        normalization_steps=",".join(processed.steps), numbers_seen=processed.numbers_seen,
        run_id=run_id, loaded_at=loaded_at,
        period_anchor_year=processed.period_anchor_year, period_anchor_source=processed.period_anchor_source,
    )


def article_rows(processed: ProcessedFile) -> list[dict]:
    """One row per article of a processed report, with how many facts it holds."""
    counts: dict[int, int] = {}
    for f in processed.facts:
        counts[f.article] = counts.get(f.article, 0) + 1
    return [dict(
        document_id=processed.document_id, article_no=a.number, headline=a.headline, dateline=a.dateline,
        start_offset=a.start, end_offset=a.end, region_code=a.region_code, opening_year=a.year or None,
        fact_count=counts.get(a.number, 0),
    ) for a in processed.articles]


def file_rows(run_id: str, inbox_refs: list[FileRef], reread: list[FileRef], processed: list[ProcessedFile],
              known_names: set[str], seen_at: datetime) -> list[dict]:
    """One etl_file row per inbox file and per re-read document: status new, changed, unchanged,
    reprocessed or failed, with the reason of a failure."""
    error_of = {_key(p.ref): p.error for p in processed}  # results may be copies (process pools, Dask)
    rows = []
    for ref in inbox_refs:
        if _key(ref) not in error_of:
            status = "unchanged"
        else:
            status = "failed" if error_of[_key(ref)] else "changed" if ref.file_name in known_names else "new"
        rows.append(_file_row(run_id, ref, status, error_of.get(_key(ref)), seen_at,
                              document_id(ref.file_name, ref.sha256) if ref.sha256 else None))
    for ref in reread:
        status = "failed" if error_of.get(_key(ref)) else "reprocessed"
        rows.append(_file_row(run_id, ref, status, error_of.get(_key(ref)), seen_at, ref.document_id))
    return rows


def _key(ref: FileRef) -> tuple:
    return ref.path, ref.file_name, ref.sha256, ref.document_id


FILE_COLUMNS = ["run_id", "file_name", "path", "sha256", "size_bytes", "status", "reason", "document_id", "seen_at"]


def _file_row(run_id: str, ref: FileRef, status: str, reason: str | None, seen_at: datetime,
              doc_id: str | None) -> dict:
    return dict(run_id=run_id, file_name=ref.file_name, path=ref.path, sha256=ref.sha256, size_bytes=ref.size_bytes,
                status=status, reason=reason, document_id=doc_id, seen_at=seen_at)


def period_rows(labels: set[str]) -> list[dict]:
    rows = []
    for label in sorted(labels):
        start, end, granularity = period_bounds(label)
        rows.append(dict(period_id=label, start_date=start, end_date=end, granularity=granularity))
    return rows


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
