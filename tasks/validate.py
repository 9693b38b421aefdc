"""Great Expectations gate: staged facts are checked before publishing.

The suite lives in expectations/fct_observation.json (reviewable data); each expectation has a
name and a severity. Rows failing a blocking expectation are quarantined with its name and the
observed value; rows failing a warning are published with `has_warning`.
Great Expectations is imported lazily (it takes seconds to import).
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from tasks.seeds import PROJECT_ROOT, regions, units

SUITE_PATH = PROJECT_ROOT / "expectations" / "fct_observation.json"


@dataclass
class ValidationOutcome:
    published: pd.DataFrame
    rejected: pd.DataFrame
    results: list[dict]  # one per expectation: name, severity, success, unexpected_count


def load_suite(path: Path = SUITE_PATH) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["expectations"]


def _fill(kwargs: dict, values: dict[str, list]) -> dict:
    return {k: values[v[1:]] if isinstance(v, str) and v.startswith("$") else v for k, v in kwargs.items()}


def _expectation_class(gx, type_name: str):
    camel = "".join(part.capitalize() for part in type_name.split("_"))
    for name in dir(gx.expectations):
        if name.lower() == camel.lower():
            return getattr(gx.expectations, name)
    raise ValueError(f"unknown expectation type {type_name}")


def validate_facts(facts: pd.DataFrame, document_ids: list[str], suite: list[dict] | None = None
                   ) -> ValidationOutcome:
    """Run the suite on the staged facts; split them into published and rejected rows."""
    suite = suite if suite is not None else load_suite()
    if facts.empty:
        return ValidationOutcome(facts.assign(has_warning=False), _empty_rejected(facts), [])
    import great_expectations as gx

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    frame = facts.reset_index(drop=True).copy()
    frame["value_text"] = frame["value"].map(lambda v: f"{v:.10g}")
    values = {
        "fact_units": sorted({u.unit for u in units().values() if u.is_fact_unit}),
        "region_codes": sorted(regions()),
        "document_ids": sorted(set(document_ids)),
    }
    context = gx.get_context(mode="ephemeral")
    try:
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context.variables.progress_bars = ProgressBarsConfig(globally=False)
    except Exception:  # noqa: BLE001 - progress bars are cosmetic
        pass
    batch = (context.data_sources.add_pandas("staging")
             .add_dataframe_asset("stg_observation")
             .add_batch_definition_whole_dataframe("run")
             .get_batch(batch_parameters={"dataframe": frame}))
    gx_suite = gx.ExpectationSuite(name="fct_observation")
    for exp in suite:
        cls = _expectation_class(gx, exp["type"])
        gx_suite.add_expectation(cls(**_fill(exp["kwargs"], values), meta={"name": exp["name"]}))
    result = batch.validate(gx_suite, result_format={"result_format": "COMPLETE"})

    by_name = {exp["name"]: exp for exp in suite}
    rejected_rows, warned, summary = [], set(), []
    for r in result.results:
        name = r.expectation_config.meta["name"]
        severity = by_name[name]["severity"]
        indexes = r.result.get("unexpected_index_list") or []
        indexes = [i if isinstance(i, int) else next(iter(i.values())) for i in indexes]
        summary.append(dict(name=name, severity=severity, success=bool(r.success),
                            unexpected_count=len(indexes)))
        if r.success:
            continue
        if severity == "blocking":
            column = by_name[name]["kwargs"].get("column") or by_name[name]["kwargs"].get("column_A")
            for i in indexes:
                rejected_rows.append((i, name, str(frame.at[i, column]) if column in frame else None))
        else:
            warned.update(indexes)
    rejected_index = {i for i, _, _ in rejected_rows}
    published = frame.drop(index=list(rejected_index)).drop(columns=["value_text"])
    published["has_warning"] = published.index.isin(list(warned))
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    rejected = pd.DataFrame([
        dict(frame.loc[i].drop(labels=["value_text"]).to_dict(), expectation=name, observed_value=observed,
             rejected_at=now)
        for i, name, observed in rejected_rows
    ]) if rejected_rows else _empty_rejected(facts)
    return ValidationOutcome(published.reset_index(drop=True), rejected, summary)


def _empty_rejected(facts: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(columns=list(facts.columns) + ["expectation", "observed_value", "rejected_at"])
