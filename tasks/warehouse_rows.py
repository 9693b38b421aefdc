"""The rows the warehouse loads, built from processed files: facts, documents, articles, files, periods;
and how a batch gathers them into Arrow tables."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tasks import fact_schema
from tasks.extract.periods import period_bounds
from tasks.read.inbox_files import FileRef, document_id

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from tasks.extract.processing import ProcessedFile


FACT_COLUMNS = fact_schema.COLUMNS  # what a batch's fact rows carry, in the warehouse's order


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
        return pa.concat_tables(self.sealed, promote_options="permissive") if len(self.sealed) > 1 else self.sealed[0]


def observation_id(doc_id: str, start: int) -> str:
    return f"{doc_id}:{start}"


def fact_rows(processed: ProcessedFile, run_id: str) -> list[dict]:
    return [
        fact_schema.fact_row(f, observation_id(processed.document_id, f.start_offset), processed.document_id, run_id)
        for f in processed.facts
    ]


def document_row(processed: ProcessedFile, run_id: str, loaded_at: datetime) -> dict:
    return dict(
        document_id=processed.document_id,
        file_name=processed.ref.file_name,
        sha256=processed.ref.sha256,
        version=1,
        is_current=True,
        title=processed.title,
        encoding=processed.encoding,
        format=processed.format,
        script=processed.script,
        damaged_bytes=processed.damaged_bytes,
        source_text=processed.source_text,
        publisher=processed.publisher,
        published_on=processed.published_on,
        published_on_source=processed.published_on_source,
        char_count=processed.char_count,
        article_count=processed.article_count,
        normalization_steps=",".join(processed.steps),
        numbers_seen=processed.numbers_seen,
        run_id=run_id,
        loaded_at=loaded_at,
        period_anchor_year=processed.period_anchor_year,
        period_anchor_source=processed.period_anchor_source,
    )


def article_rows(processed: ProcessedFile) -> list[dict]:
    """One row per article of a processed report, with how many facts it holds."""
    counts: dict[int, int] = {}
    for f in processed.facts:
        counts[f.article_no] = counts.get(f.article_no, 0) + 1
    return [
        dict(
            document_id=processed.document_id,
            article_no=a.number,
            headline=a.headline,
            dateline=a.dateline,
            start_offset=a.start,
            end_offset=a.end,
            region_code=a.region_code,
            opening_year=a.year or None,
            fact_count=counts.get(a.number, 0),
        )
        for a in processed.articles
    ]


def file_rows(
    run_id: str,
    inbox_refs: list[FileRef],
    reread: list[FileRef],
    processed: list[ProcessedFile],
    known_names: set[str],
    seen_at: datetime,
) -> list[dict]:
    """One etl_file row per inbox file and per re-read document: status new, changed, unchanged,
    reprocessed or failed, with the reason of a failure."""
    error_of = {_key(p.ref): p.error for p in processed}  # results may be copies (process pools, Dask)
    rows = []
    for ref in inbox_refs:
        if _key(ref) not in error_of:
            status = "unchanged"
        else:
            status = "failed" if error_of[_key(ref)] else "changed" if ref.file_name in known_names else "new"
        rows.append(
            _file_row(
                run_id,
                ref,
                status,
                error_of.get(_key(ref)),
                seen_at,
                document_id(ref.file_name, ref.sha256) if ref.sha256 else None,
            )
        )
    for ref in reread:
        status = "failed" if error_of.get(_key(ref)) else "reprocessed"
        rows.append(_file_row(run_id, ref, status, error_of.get(_key(ref)), seen_at, ref.document_id))
    return rows


def _key(ref: FileRef) -> tuple:
    return ref.path, ref.file_name, ref.sha256, ref.document_id


FILE_COLUMNS = ["run_id", "file_name", "path", "sha256", "size_bytes", "status", "reason", "document_id", "seen_at"]


def _file_row(
    run_id: str, ref: FileRef, status: str, reason: str | None, seen_at: datetime, doc_id: str | None
) -> dict:
    return dict(
        run_id=run_id,
        file_name=ref.file_name,
        path=ref.path,
        sha256=ref.sha256,
        size_bytes=ref.size_bytes,
        status=status,
        reason=reason,
        document_id=doc_id,
        seen_at=seen_at,
    )


def period_rows(labels: set[str]) -> list[dict]:
    rows = []
    for label in sorted(labels):
        start, end, granularity = period_bounds(label)
        rows.append(dict(period_id=label, start_date=start, end_date=end, granularity=granularity))
    return rows


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


PERIOD_COLUMNS = ["period_id", "start_date", "end_date", "granularity"]


def file_frame(
    run_id: str,
    inbox_refs: list[FileRef],
    reread: list[FileRef],
    processed: list[ProcessedFile],
    known_names: set[str],
    seen_at: datetime,
) -> "pd.DataFrame":
    """The run's etl_file rows as a frame (an empty inbox has no rows, not no columns)."""
    import pandas as pd

    return pd.DataFrame(file_rows(run_id, inbox_refs, reread, processed, known_names, seen_at), columns=FILE_COLUMNS)
