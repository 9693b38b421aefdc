"""The suites of the audit, as data: expectations/<suite>.json read into checks (name, severity,
description, Great Expectations type and arguments, `where` conditions), and the columns they read."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from tasks import fact_schema
from tasks.seeds import PROJECT_ROOT

TARGETS = ("observations", "documents")
# facts that state the same thing: the conflicts suite compares their values
CONFLICT_KEY = ["indicator_code", "region_code", "period_id", "unit"]
SUITES_DIR = PROJECT_ROOT / "expectations"


@dataclass(frozen=True)
class Check:
    suite: str
    name: str
    severity: str  # blocking or warning
    description: str
    type: str  # a Great Expectations expectation type: expect_column_values_to_be_between …
    kwargs: dict
    where: tuple = ()  # ((column, operator, value), …): the rows the check is about

    @property
    def columns(self) -> list[str]:
        k = self.kwargs
        return k.get("column_list") or [c for c in (k.get("column"), k.get("column_A"), k.get("column_B")) if c]


@dataclass(frozen=True)
class Suite:
    name: str
    target: str  # observations or documents
    description: str
    checks: tuple[Check, ...]


class CheckCouldNotRun(RuntimeError):
    """An expectation raised instead of judging the data: the run must not publish unchecked rows."""


def load_suites(folder: Path = SUITES_DIR) -> list[Suite]:
    suites = []
    for path in sorted(folder.glob("*.json")):
        spec = json.loads(path.read_text(encoding="utf-8"))
        if spec["target"] not in TARGETS:
            raise ValueError(f"{path.name}: target must be one of {TARGETS}")
        checks = []
        for exp in spec["expectations"]:
            if exp["severity"] not in ("blocking", "warning"):
                raise ValueError(f"{path.name}: {exp['name']} has severity {exp['severity']!r}")
            checks.append(
                Check(
                    spec["suite"],
                    exp["name"],
                    exp["severity"],
                    exp.get("description", ""),
                    exp["type"],
                    exp["kwargs"],
                    tuple(tuple(w) for w in exp.get("where", ())),
                )
            )
        suites.append(Suite(spec["suite"], spec["target"], spec.get("description", ""), tuple(checks)))
    return suites


def read_columns(suites: list[Suite], target: str | None = None) -> set[str]:
    """The columns the checks read (of one target's suites, when given)."""
    return {
        c
        for s in suites
        if target in (None, s.target)
        for check in s.checks
        for c in [*check.columns, *(w[0] for w in check.where)]
    }


def fact_columns(suites: list[Suite] | None = None) -> list[str]:
    """The columns of the staged facts validation reads: what the checks read, what the derived
    columns and the conflict count are computed from, and the fact's identity."""
    needed = read_columns(suites if suites is not None else load_suites(), "observations") | {
        "observation_id",
        "document_id",
        "start_offset",
        "value",
        "status",  # reported_ahead_of_publication
        *CONFLICT_KEY,
    }
    return [c for c in fact_schema.COLUMNS if c in needed]
