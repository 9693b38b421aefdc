"""The corrections ledger: a CSV file beside the warehouse, one row per change an analyst made to a
fact, so that corrections are reviewed in a diff and kept in version control like code.

A fact is keyed by what does not change when the extraction rules change: its report's sha256 and
its span in the decoded original (`source_start`, `source_end`), written `<sha256>:<start>-<end>`.
Rows are only ever appended; the latest row of a (fact, field) wins. The warehouse reloads the whole
file at every publish (warehouse/corrections/*.sql), so corrections survive `--reprocess` and new
versions of other reports.

| field | new_value |
| --- | --- |
| value, value_high | a number in base units (1.1亿 → 110000000) |
| unit, qualifier, measure, status, subject | as in fct_observation |
| region_code, period_id, indicator_code | a code of dim_region, a period label (2024), a code of dim_indicator |
| fact | `removed` (not a fact), `added` (a figure the extractor missed), `restored` (undo removed) |
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

FILE_NAME = "corrections.csv"
COLUMNS = ["fact_key", "field", "old_value", "new_value", "reason", "by", "at"]
FIELDS = (
    "value",
    "value_high",
    "unit",
    "qualifier",
    "measure",
    "status",
    "subject",
    "region_code",
    "period_id",
    "indicator_code",
    "fact",
)
NUMBER_FIELDS = frozenset({"value", "value_high"})
FACT_CHANGES = ("removed", "added", "restored")
KEY_RE = re.compile(r"([0-9a-f]{64}):([0-9]+)-([0-9]+)")
SHORT_KEY_RE = re.compile(r"([0-9a-f]{8,64}):([0-9]+)-([0-9]+)")


@dataclass(frozen=True)
class FactKey:
    sha256: str
    source_start: int
    source_end: int

    def __str__(self) -> str:
        return f"{self.sha256}:{self.source_start}-{self.source_end}"


def parse_key(text: str) -> FactKey | None:
    """'<sha256>:<start>-<end>' → FactKey; None when it is not one."""
    m = KEY_RE.fullmatch(text.strip())
    return FactKey(m.group(1), int(m.group(2)), int(m.group(3))) if m else None


def ledger_path(warehouse_path: str | Path) -> Path:
    """The corrections file of a warehouse: corrections.csv in the warehouse's folder."""
    return Path(warehouse_path).resolve().with_name(FILE_NAME)


def now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def who(explicit: str | None = None) -> str:
    """Who corrects: --by, else UNIONFACTS_USER, else the login name."""
    if explicit:
        return explicit
    for name in ("UNIONFACTS_USER", "USER", "LOGNAME", "USERNAME"):
        if os.environ.get(name):
            return os.environ[name]
    return "unknown"


def append(path: Path, rows: list[dict]) -> None:
    """Append rows (dicts of COLUMNS) to the ledger, creating it with its header; flushed to disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists() or path.stat().st_size == 0
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    if new:
        writer.writeheader()
    for row in rows:
        writer.writerow({c: "" if row.get(c) is None else str(row[c]) for c in COLUMNS})
    with open(path, "a", encoding="utf-8", newline="") as fh:
        fh.write(buffer.getvalue())
        fh.flush()
        os.fsync(fh.fileno())


def read(path: Path) -> pd.DataFrame:
    """The ledger as rows for the warehouse: its columns, the key's parts, the row's line number, and
    `problem` (why a row cannot be applied: a malformed key, an unknown field, a value that is no
    number), so that a hand-edited file never stops a run."""
    columns = ["line_no", *COLUMNS, "sha256", "source_start", "source_end", "problem"]
    if not path.exists():
        return _typed(pd.DataFrame(columns=columns))
    rows = []
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            for line_no, row in enumerate(csv.DictReader(fh), start=2):
                row = {c: (row.get(c) or "").strip() for c in COLUMNS}
                key = parse_key(row["fact_key"])
                rows.append(
                    dict(
                        line_no=line_no,
                        **row,
                        sha256=key.sha256 if key else None,
                        source_start=key.source_start if key else None,
                        source_end=key.source_end if key else None,
                        problem=problem(row, key),
                    )
                )
    except (UnicodeDecodeError, csv.Error) as exc:  # the whole file is unreadable: nothing applies, and says so
        rows = [dict(dict.fromkeys(COLUMNS, ""), line_no=0, problem=f"{path.name} cannot be read: {exc}")]
    return _typed(pd.DataFrame(rows, columns=columns))


def problem(row: dict, key: FactKey | None) -> str | None:
    """Why a ledger row cannot be applied, or None."""
    if key is None:
        return f"malformed fact key {row['fact_key']!r} (want <sha256>:<start>-<end>)"
    if key.source_end <= key.source_start:
        return "the span ends before it starts"
    if row["field"] not in FIELDS:
        return f"unknown field {row['field']!r}"
    if row["field"] in NUMBER_FIELDS and not _is_number(row["new_value"]):
        return f"{row['field']} {row['new_value']!r} is no number"
    if row["field"] == "fact" and row["new_value"] not in FACT_CHANGES:
        return f"fact {row['new_value']!r} is none of {', '.join(FACT_CHANGES)}"
    return None


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype(dict.fromkeys(COLUMNS, "str") | {"sha256": "object", "problem": "object"}).copy()
    for c in ("line_no", "source_start", "source_end"):
        frame[c] = pd.array(frame[c], dtype="Int64")
    return frame
