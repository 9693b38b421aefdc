"""A fact's fields, declared once. Their names are the warehouse's column names: the row builder
(tasks/warehouse_rows.py), the audit (the columns it reads and their types), the batch store, and
the DDL of `fct_observation` and `rejected_observation` derive from this declaration, and
tests/test_fact_schema.py compares it with `DESCRIBE fct_observation` on a fresh DuckDB.

Where a field comes from: `row` (the row builder: the fact's identity and run), `fact` (an attribute
of the extractor's Fact of the same name), `audit` (the verdict of validation: published rows only),
`rejection` (the failed check: quarantined rows only). `label`: the name in `unionfacts extract`'s
JSON lines, the vocabulary of the labeling spec (../shared/eval/FACTS.md), where it differs.

The tables' DDL is rendered from the declaration (the one place SQL is built in Python: from these
constants, never from input); a column added here is added to an existing warehouse by
`ALTER TABLE … ADD COLUMN IF NOT EXISTS` at the next run.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str
    source: str  # row, fact, audit, rejection
    required: bool = False  # NOT NULL in fct_observation
    doc: str = ""
    default: str | None = None  # SQL default in fct_observation
    label: str | None = None  # its name in `unionfacts extract` output, where it differs

    @property
    def python_type(self) -> type:
        return {"DOUBLE": float, "INTEGER": int, "BOOLEAN": bool}.get(self.sql_type, str)


# in the order of fct_observation's columns
FACT = (
    Column("observation_id", "VARCHAR", "row", True, "document_id and start offset"),
    Column("document_id", "VARCHAR", "row", True, "the report version (dim_document)"),
    Column("article_no", "INTEGER", "fact", True, "the article of the page (dim_article)", label="article"),
    Column("start_offset", "INTEGER", "fact", True, "in the normalized text", label="start"),
    Column("end_offset", "INTEGER", "fact", True, "", label="end"),
    Column("text", "VARCHAR", "fact", True, "the number as written: 9000余名"),
    Column("value", "DOUBLE", "fact", True, "in base units: 1.1亿元 → 110000000"),
    Column("value_high", "DOUBLE", "fact", False, "ranges only"),
    Column(
        "value_min", "DOUBLE", "fact", False, "lower bound from the qualifier (tasks/extract/bounds.py); null: open"
    ),
    Column("value_max", "DOUBLE", "fact", False, "upper bound from the qualifier; null: open (超3000)"),
    Column("unit", "VARCHAR", "fact", True),
    Column("qualifier", "VARCHAR", "fact", True, "exact, approx, more_than, less_than, at_least"),
    Column("kind", "VARCHAR", "fact", True, "count, money, rate, change, range"),
    Column("measure", "VARCHAR", "fact", True, "level, total, average, share, change (tasks/extract/measures.py)"),
    Column("status", "VARCHAR", "fact", True, "reported or target (a plan or goal)"),
    Column("subject", "VARCHAR", "fact"),
    Column("indicator_code", "VARCHAR", "fact", True, "dim_indicator", label="indicator"),
    Column("region_code", "VARCHAR", "fact", False, "dim_region"),
    Column("period_id", "VARCHAR", "fact", True, "dim_period", label="period"),
    Column(
        "period_source",
        "VARCHAR",
        "fact",
        False,
        "where the period came from: sentence, previous_sentence, paragraph, section, headline, title, publication, rate",
    ),
    Column("sentence", "VARCHAR", "fact", True),
    Column("run_id", "VARCHAR", "row", True, "the run that extracted it"),
    Column("has_warning", "BOOLEAN", "audit", True, "failed a warning check", default="false"),
    Column("source_start", "INTEGER", "fact", False, "in the decoded original (dim_document.source_text)"),
    Column("source_end", "INTEGER", "fact"),
    Column("source_text", "VARCHAR", "fact", False, "the number as the report wrote it: 4.3萬余項"),
    Column("source_sentence", "VARCHAR", "fact", False, "the sentence as the report wrote it"),
    Column("warnings", "VARCHAR", "audit", False, "the warning checks it failed, ','-separated"),
)
REJECTION = (
    Column("expectation", "VARCHAR", "rejection", True, "the failing check"),
    Column("observed_value", "VARCHAR", "rejection"),
    Column("rejected_at", "TIMESTAMP", "rejection", True),
    Column("suite", "VARCHAR", "rejection", False, "the expectation suite of the check (units, structure, documents)"),
)

# what a batch's rows carry: everything known before the audit
EXTRACTED = tuple(c for c in FACT if c.source in ("row", "fact"))
COLUMNS = [c.name for c in EXTRACTED]
# attributes of a Fact that are no column: the file name, the region's display name (dim_region has
# it), where the sentence starts
FACT_ONLY_ATTRIBUTES = ("doc", "region", "sentence_start")
# rejected_observation: the fact's columns (only its identity required) with the check that failed
# and the warnings, in the order its columns were added (the failed check came before provenance)
_BY_NAME = {c.name: c for c in (*FACT, *REJECTION)}
REJECTED = tuple(
    _BY_NAME[name]
    for name in (
        *(c.name for c in FACT[: FACT.index(_BY_NAME["run_id"]) + 1]),
        "expectation",
        "observed_value",
        "rejected_at",
        "source_start",
        "source_end",
        "source_text",
        "source_sentence",
        "suite",
        "warnings",
    )
)
REJECTED_REQUIRED = ("observation_id", "document_id", "run_id", "expectation", "rejected_at")


def fact_row(fact, observation_id: str, document_id: str, run_id: str) -> dict:
    """A fact's row in the warehouse's names (floats as floats, as Arrow types them)."""
    row = {"observation_id": observation_id, "document_id": document_id, "run_id": run_id}
    for c in EXTRACTED:
        if c.source == "fact":
            v = getattr(fact, c.name)
            row[c.name] = float(v) if c.sql_type == "DOUBLE" and v is not None else v
    return {name: row[name] for name in COLUMNS}


def labelled(fields: dict) -> dict:
    """A Fact's fields under the names of `unionfacts extract` output (the labeling spec's)."""
    labels = {c.name: c.label for c in FACT if c.label}
    return {labels.get(k, k): v for k, v in fields.items()}


def _definition(c: Column, required: bool, with_default: bool) -> str:
    return (
        f"{c.name} {c.sql_type}"
        + (" NOT NULL" if required else "")
        + (f" DEFAULT {c.default}" if with_default and c.default else "")
    )


def ddl() -> list[str]:
    """CREATE TABLE IF NOT EXISTS for fct_observation and rejected_observation, then ADD COLUMN IF
    NOT EXISTS for each column (a warehouse created before a column existed gets it; nullable, as
    DuckDB adds columns)."""
    fct = ",\n    ".join(_definition(c, c.required, True) for c in FACT)
    rejected = ",\n    ".join(_definition(c, c.name in REJECTED_REQUIRED, False) for c in REJECTED)
    out = [
        f"CREATE TABLE IF NOT EXISTS fct_observation (\n    {fct},\n    PRIMARY KEY (observation_id)\n)",
        f"CREATE TABLE IF NOT EXISTS rejected_observation (\n    {rejected}\n)",
    ]
    out += [f"ALTER TABLE fct_observation ADD COLUMN IF NOT EXISTS {_definition(c, False, True)}" for c in FACT]
    out += [
        f"ALTER TABLE rejected_observation ADD COLUMN IF NOT EXISTS {_definition(c, False, False)}" for c in REJECTED
    ]
    return out
