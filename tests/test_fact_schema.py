"""One declaration of a fact's fields (tasks/fact_schema.py): the warehouse's tables, the extractor's
Fact, the batch rows and the extract output all agree with it."""

from __future__ import annotations

import dataclasses

import duckdb
import pytest

from tasks import fact_schema, warehouse_rows
from tasks.extract.facts import Fact, extract_document
from tasks.publish import warehouse


@pytest.fixture()
def fresh(tmp_path):
    con = duckdb.connect(str(tmp_path / "fresh.duckdb"))
    warehouse.ensure_schema(con)
    yield con
    con.close()


def described(con, table: str) -> list[tuple[str, str, bool]]:
    return [(name, sql_type, null == "NO") for name, sql_type, null, *_ in con.execute(f"DESCRIBE {table}").fetchall()]


@pytest.mark.parametrize(
    "table, columns, required",
    [
        ("fct_observation", fact_schema.FACT, lambda c: c.required),
        ("rejected_observation", fact_schema.REJECTED, lambda c: c.name in fact_schema.REJECTED_REQUIRED),
    ],
)
def test_a_fresh_warehouse_has_exactly_the_declared_columns(fresh, table, columns, required):
    assert described(fresh, table) == [(c.name, c.sql_type, required(c)) for c in columns]


def test_a_warehouse_made_before_a_column_existed_gets_it(tmp_path):
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    con.execute("CREATE TABLE fct_observation (observation_id VARCHAR PRIMARY KEY, document_id VARCHAR NOT NULL)")
    warehouse.ensure_schema(con)
    assert [name for name, *_ in described(con, "fct_observation")] == [c.name for c in fact_schema.FACT]
    con.close()


def test_the_fact_carries_every_extracted_column_and_only_a_few_of_its_own():
    fields = [f.name for f in dataclasses.fields(Fact)]
    extracted = [c.name for c in fact_schema.EXTRACTED if c.source == "fact"]
    assert set(extracted) <= set(fields)
    assert set(fields) - set(extracted) == set(fact_schema.FACT_ONLY_ATTRIBUTES)


def test_fact_rows_are_the_declared_columns_with_their_types():
    facts = extract_document("schema.txt", "某市总工会\n\n全市新建职工书屋12家,发放资金3.5万元。").facts
    assert facts
    row = fact_schema.fact_row(facts[0], "d:1", "d", "run")
    assert list(row) == warehouse_rows.FACT_COLUMNS == [c.name for c in fact_schema.EXTRACTED]
    for c in fact_schema.EXTRACTED:
        assert row[c.name] is None or isinstance(row[c.name], c.python_type), (c.name, row[c.name])


def test_extract_output_uses_the_labeling_specs_names():
    fact = extract_document("schema.txt", "某市总工会\n\n全市新建职工书屋12家。").facts[0]
    out = fact.as_dict()
    assert {"doc", "article", "start", "end", "indicator", "period", "region"} <= set(out)
    assert not {"article_no", "start_offset", "end_offset", "indicator_code", "period_id"} & set(out)
    assert (out["start"], out["period"]) == (fact.start_offset, fact.period_id)
