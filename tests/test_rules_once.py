"""Rules the audit applies in Python to a run's staged rows and the warehouse applies in SQL to the
published ones are one rule: which facts can be compared across reports, how a region is named."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from tasks.audit import derived
from tasks.extract import regions
from tasks.publish import warehouse

CASES = [  # indicator_code, region_code, period_id, current version
    ("site_stations", "370200", "2024", True),  # comparable
    ("unclassified", "370200", "2024", True),  # not classified
    ("site_stations", None, "2024", True),  # no region
    ("site_stations", "370200", "", True),  # no stated period
    ("site_stations", "370215", "2023", False),  # an older version of its report
]


@pytest.fixture()
def con(tmp_path):
    con = duckdb.connect(str(tmp_path / "rules.duckdb"))
    warehouse.ensure_schema(con)
    warehouse.refresh_dimensions(con)
    yield con
    con.close()


def test_the_audit_and_the_warehouse_compare_the_same_facts(con):
    for n, (indicator, region, period, current) in enumerate(CASES):
        con.execute(
            "INSERT INTO dim_document (document_id, file_name, sha256, version, is_current, run_id, loaded_at) "
            "VALUES (?, ?, 'x', 1, ?, 'run', now())",
            [f"d{n}", f"f{n}.txt", current],
        )
        con.execute(
            "INSERT INTO fct_observation (observation_id, document_id, article_no, start_offset, end_offset, text, "
            "value, unit, qualifier, kind, measure, status, indicator_code, region_code, period_id, sentence, run_id) "
            "VALUES (?, ?, 1, 0, 2, '2家', 2, '家', 'exact', 'count', 'total', 'reported', ?, ?, ?, 's', 'run')",
            [f"d{n}:0", f"d{n}", indicator, region, period],
        )
    in_view = {r[0] for r in con.execute("SELECT observation_id FROM v_comparable_fact").fetchall()}
    staged = pd.DataFrame(
        [
            dict(observation_id=f"d{n}:0", indicator_code=i, region_code=r, period_id=p)
            for n, (i, r, p, _) in enumerate(CASES)
        ]
    )
    current = [c[3] for c in CASES]
    by_audit = set(staged.loc[derived.comparable(staged) & pd.Series(current), "observation_id"])
    assert in_view == by_audit == {"d0:0"}


def test_the_warehouse_names_regions_as_facts_do(con):
    rows = con.execute("SELECT region_code, display_name FROM dim_region").fetchall()
    assert len(rows) > 3000
    assert all(name == regions.display_name(code) for code, name in rows)
    assert dict(rows)["370215"] == "青岛市即墨区"
