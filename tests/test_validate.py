"""The expectation suites as a specification: each case is one staged fact and what the gate does
with it (real Great Expectations, no warehouse)."""

from __future__ import annotations

import json
import re
from datetime import date

import pandas as pd
import pytest
from conftest import CASES, load_cases

from tasks.audit import data_docs, derived, suites, validate
from tasks.warehouse_rows import FACT_COLUMNS

BASE_FACT = dict(
    observation_id="d1:10",
    document_id="d1",
    article_no=1,
    start_offset=10,
    end_offset=13,
    text="12家",
    value=12.0,
    value_high=None,
    unit="家",
    qualifier="exact",
    kind="count",
    subject="职工书屋",
    indicator_code="site_reading_rooms",
    region_code="370200",
    period_id="2024",
    sentence="2024年,青岛市建成职工书屋12家。",
    run_id="t",
    source_start=10,
    source_end=13,
    source_text="12家",
    source_sentence="2024年,青岛市建成职工书屋12家。",
)
SOURCE = "青岛市总工会\n\n2024年,青岛市建成职工书屋12家。"


def document(document_id="d1", file_name="a.txt", source_text=SOURCE, numbers_seen=1, published_on=None):
    return dict(
        document_id=document_id,
        file_name=file_name,
        source_text=source_text,
        numbers_seen=numbers_seen,
        published_on=published_on,
    )


def facts_frame(*facts):
    return pd.DataFrame([dict(BASE_FACT, **f) for f in facts], columns=FACT_COLUMNS)


def observation_id_of(n: int, case: dict) -> str:
    return case["fact"].get("observation_id", f"d1:{n}")


@pytest.fixture(scope="module")
def outcome():
    """Every case's fact validated in one run (each case is its own row, at its own offset)."""
    cases = [case for _, case in load_cases("validate")]
    facts = facts_frame(
        *[dict(case["fact"], observation_id=observation_id_of(n, case), start_offset=n) for n, case in enumerate(cases)]
    )
    return validate.validate(facts, pd.DataFrame([document(numbers_seen=len(cases))]))


@pytest.mark.parametrize(
    "n,case",
    list(enumerate(case for _, case in load_cases("validate"))),
    ids=[case_id for case_id, _ in load_cases("validate")],
)
def test_the_gate_decides_like_the_case_says(outcome, n, case):
    observation_id = observation_id_of(n, case)
    rejected = outcome.rejected[outcome.rejected["observation_id"] == observation_id]
    published = outcome.published[outcome.published["observation_id"] == observation_id]
    assert sorted(rejected["expectation"]) == sorted(case.get("rejected", []))
    assert len(published) == (0 if case.get("rejected") else 1)
    if len(published):
        warnings = published.iloc[0]["warnings"]
        assert sorted(warnings.split(",") if warnings else []) == sorted(case.get("warnings", []))
        assert bool(published.iloc[0]["has_warning"]) == bool(case.get("warnings"))


def test_rejections_name_the_observed_value(outcome):
    row = outcome.rejected[outcome.rejected["expectation"] == "percent_within_0_100"].iloc[0]
    assert row["observed_value"] == "135" and row["suite"] == "units"
    pair = outcome.rejected[outcome.rejected["expectation"] == "unit_fits_indicator"]
    assert "site_stations:money_cny" in set(pair["observed_value"])


def test_a_badly_decoded_report_is_rejected_as_a_whole():
    garbled = "某市总工会\n\n" + "\ufffd" * 30 + "建成职工书屋12家,职工驿站30家。"
    facts = facts_frame(
        dict(observation_id="bad:1", document_id="bad", start_offset=1),
        dict(observation_id="bad:2", document_id="bad", start_offset=2, text="30家", value=30.0),
        dict(observation_id="good:1", document_id="good", start_offset=1),
    )
    documents = pd.DataFrame([document("bad", "bad.txt", garbled, 2), document("good", "good.txt")])
    outcome = validate.validate(facts, documents)
    assert set(outcome.rejected["observation_id"]) == {"bad:1", "bad:2"}
    assert set(outcome.rejected["expectation"]) == {"text_decoded_cleanly"}
    assert list(outcome.published["observation_id"]) == ["good:1"]
    quality = dict(zip(outcome.documents["document_id"], outcome.documents["quality"]))
    assert quality == {"bad": "rejected", "good": "passed"}
    assert outcome.documents_rejected == 1


def test_report_warnings_mark_the_document_not_its_facts():
    facts = facts_frame(dict(observation_id="d1:1"))
    documents = pd.DataFrame(
        [document("d1", numbers_seen=40, published_on=date(2031, 1, 1)), document("empty", "empty.txt")]
    )
    outcome = validate.validate(facts, documents, today=date(2026, 11, 21))
    checks = dict(zip(outcome.documents["document_id"], outcome.documents["quality_checks"]))
    assert checks == {"d1": "facts_match_numbers,published_on_not_in_future", "empty": "document_has_facts"}
    assert set(outcome.documents["quality"]) == {"warning"}
    assert outcome.published["has_warning"].tolist() == [False] and outcome.rejected.empty


def test_reports_that_disagree_are_flagged_not_blocked():
    facts = facts_frame(
        dict(observation_id="a:1", document_id="a", value=120.0),
        dict(observation_id="b:1", document_id="b", value=135.0),
        dict(observation_id="c:1", document_id="c", value=120.0, period_id="2023"),
    )
    documents = pd.DataFrame([document("a", "a.txt"), document("b", "b.txt"), document("c", "c.txt")])
    published = pd.DataFrame(
        [
            dict(
                document_id="old",
                file_name="c.txt",
                indicator_code="site_reading_rooms",
                region_code="370200",
                period_id="2023",
                unit="家",
                value=99.0,
            )
        ]
    )
    outcome = validate.validate(facts, documents, published)
    warned = dict(zip(outcome.published["observation_id"], outcome.published["warnings"]))
    assert warned["a:1"] == warned["b:1"] == "agrees_with_other_reports"
    assert warned["c:1"] is None  # the published 99 is an older version of the same file
    assert outcome.rejected.empty


def test_a_check_that_cannot_run_stops_the_run():
    broken = suites.Suite(
        "broken",
        "observations",
        "",
        (
            suites.Check(
                "broken", "no_such_column", "blocking", "", "expect_column_values_to_not_be_null", {"column": "nope"}
            ),
        ),
    )
    with pytest.raises(suites.CheckCouldNotRun, match="no_such_column"):
        validate.validate(facts_frame({}), pd.DataFrame([document()]), suites=[broken])


def test_suites_name_every_check_with_a_severity_and_description():
    loaded = suites.load_suites()
    names = [c.name for s in loaded for c in s.checks]
    assert len(names) == len(set(names))
    assert {s.name for s in loaded} == {"units", "structure", "documents", "conflicts"}
    assert all(c.severity in ("blocking", "warning") and c.description for s in loaded for c in s.checks)
    required = {
        "unit_known",
        "unit_fits_indicator",
        "percent_within_0_100",
        "percentage_points_within_100",
        "persons_non_negative",
        "persons_below_population",
        "money_non_negative",
        "money_below_1e13",
        "persons_whole_numbers",
        "qualifier_in_set",
        "kind_in_set",
        "value_high_not_below_value",
        "region_code_known",
        "period_start_not_after_end",
        "fact_has_document",
        "document_start_unique",
        "document_has_facts",
        "facts_match_numbers",
        "agrees_with_other_reports",
    }
    assert required <= set(names)
    for path in sorted((CASES.parent.parent / "expectations").glob("*.json")):
        assert json.loads(path.read_text(encoding="utf-8"))["suite"] == path.stem


def test_data_docs_are_written_for_the_run(tmp_path):
    outcome = validate.validate(
        facts_frame({}), pd.DataFrame([document()]), run_id="run-42", docs_dir=tmp_path / "data_docs"
    )
    assert outcome.data_docs == (tmp_path / "data_docs" / "index.html").resolve()
    index = outcome.data_docs.read_text(encoding="utf-8")
    assert "run-42" in index and "units" in index
    assert list((tmp_path / "data_docs" / "validations" / "units").glob("run-42/*/*.html"))
    validate.validate(
        facts_frame(dict(value=135.0, unit="%", kind="rate", indicator_code="org_coverage_rate")),
        pd.DataFrame([document()]),
        run_id="run-43",
        docs_dir=tmp_path / "data_docs",
    )
    plain = outcome.data_docs.read_text(encoding="utf-8")  # readable without the CDN scripts
    runs = plain[plain.index("<!-- unionfacts:runs -->") :]
    assert runs.index("run run-43") < runs.index("run run-42")
    assert "failed: percent_within_0_100" in runs and plain.count("<!-- unionfacts:runs -->") == 1
    for href in re.findall(r'href="([^"]+)"', runs):
        assert (tmp_path / "data_docs" / href).is_file()


@pytest.mark.parametrize(
    "statements,expected",
    [
        ([("a", 120), ("b", 135), ("c", 120)], [1, 1, 1]),
        ([("a", 9097), ("a", 30), ("b", 9097)], [0, 1, 1]),  # a's own two values do not conflict
        ([("a", 5), ("a", 5), ("b", 5)], [0, 0, 0]),
        ([("a", 1), ("b", 2), ("c", 3), ("c", 1)], [2, 2, 2, 1]),
    ],
)
def test_conflicts_count_the_other_values_of_other_reports(statements, expected):
    facts = facts_frame(
        *[
            dict(observation_id=f"{doc}:{n}", document_id=doc, start_offset=n, value=float(value))
            for n, (doc, value) in enumerate(statements)
        ]
    )
    documents = pd.DataFrame([document(doc, f"{doc}.txt") for doc in sorted({d for d, _ in statements})])
    assert derived.conflicting_values(facts, documents, None).tolist() == expected


def test_data_docs_keep_the_newest_runs(tmp_path, monkeypatch):
    monkeypatch.setattr(validate, "KEEP_RUNS", 2)
    docs = tmp_path / "data_docs"
    for run in ("run-a", "run-b", "run-c"):
        validate.validate(facts_frame({}), pd.DataFrame([document()]), run_id=run, docs_dir=docs)
    assert sorted({v.run for v in data_docs.validations(docs)}) == ["run-b", "run-c"]
    assert not list(docs.glob("validations/*/run-a")) and not list(docs.glob(".validation_results/*/run-a"))
    index = (docs / "index.html").read_text(encoding="utf-8")
    assert "run-c" in index and "run-a" not in index


def test_data_docs_can_render_while_the_caller_goes_on(tmp_path):
    outcome = validate.validate(
        facts_frame({}),
        pd.DataFrame([document()]),
        run_id="run-44",
        docs_dir=tmp_path / "data_docs",
        render_in_background=True,
    )
    assert outcome.rendering is not None and [r.name for r in outcome.results if not r.success] == []
    assert outcome.wait_for_data_docs() is None and outcome.rendering is None
    assert outcome.data_docs == (tmp_path / "data_docs" / "index.html").resolve()
    assert "run run-44" in outcome.data_docs.read_text(encoding="utf-8")


def test_great_expectations_imported_on_a_thread_is_used_by_validation(tmp_path):
    """A fresh interpreter starts the import on a thread and validates at once: the checks wait
    for the import and give their usual verdicts."""
    import subprocess
    import sys

    from tasks.seeds import PROJECT_ROOT

    script = f"""
import sys, threading
sys.path.insert(0, {str(PROJECT_ROOT)!r})
sys.path.insert(0, {str(PROJECT_ROOT / "tests")!r})
from tasks.audit import validate
from test_validate import facts_frame, document
import pandas as pd
validate.import_in_background()
assert "import-great-expectations" in [t.name for t in threading.enumerate()] or "great_expectations" in sys.modules
out = validate.validate(facts_frame(dict(value=135.0, unit="%", kind="rate", indicator_code="org_coverage_rate")),
                        pd.DataFrame([document()]))
print(sorted(r.name for r in out.results if not r.success), len(out.rejected))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split("\n")[-2] == "['percent_within_0_100'] 1"


def test_an_outcome_without_its_rows_keeps_its_verdicts_summary(outcome):
    """After publishing, the flow keeps the checks' results, not the run's rows."""
    slim = outcome.without_rows()
    assert slim.results == outcome.results and len(outcome.published) and len(outcome.rejected)
    for name in ("published", "rejected", "documents"):
        assert len(getattr(slim, name)) == 0
        assert list(getattr(slim, name).columns) == list(getattr(outcome, name).columns)


def test_the_magnitude_check_and_the_number_parser_share_their_bound():
    from tasks.extract.numbers import MAX_MAGNITUDE

    suite = json.loads((CASES.parents[1] / "expectations" / "units.json").read_text(encoding="utf-8"))
    check = next(e for e in suite["expectations"] if e["name"] == "value_finite_and_bounded")
    assert check["kwargs"]["max_value"] == MAX_MAGNITUDE


@pytest.mark.parametrize("status, warned", [("reported", True), ("target", False)])
def test_a_figure_for_a_period_after_the_report_was_published_is_a_plan(status, warned):
    facts = facts_frame(dict(period_id="2025", status=status, measure="total"))
    outcome = validate.validate(facts, pd.DataFrame([document(published_on=date(2024, 3, 1))]))
    warnings = outcome.published.iloc[0]["warnings"] or ""
    assert ("reported_not_ahead_of_publication" in warnings.split(",")) is warned
