"""The audit step of write–audit–publish: Great Expectations suites gate what a run publishes.

The suites are data, in expectations/<suite>.json; each expectation has a name, a severity
(blocking or warning) and a description, and checks either the staged facts ("observations") or the
staged reports ("documents"). Outcome:
- a fact failing a blocking check is quarantined (rejected_observation: check name, observed value);
- a report failing a blocking document check has all its facts quarantined, and quality = rejected;
- warnings publish, with has_warning and the names of the checks in `warnings`.
A check that cannot run at all (a missing column, a bad suite) fails the run: nothing unchecked is
published. Each validation is also rendered as Great Expectations Data Docs when a folder is given.
Great Expectations is imported lazily (it takes seconds to import).

About 400 lines on purpose: everything that touches Great Expectations' objects (the context, the
expectations, row conditions, results, Data Docs) stays in this one module, so that no other module
imports it; the suites as data are tasks/audit/suites.py, the columns they read tasks/audit/derived.py.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path

import pandas as pd

from tasks.audit import data_docs
from tasks.audit.derived import (
    checked_columns,
    document_frame,
    observation_frame,
    reference_values,
)
from tasks.audit.suites import Check, CheckCouldNotRun, Suite, load_suites, read_columns
from tasks.operations import failpoints

KEEP_RUNS = 100  # runs whose validations the Data Docs keep


@dataclass
class CheckResult:
    suite: str
    name: str
    severity: str
    description: str
    success: bool
    failed_rows: list[int] = field(default_factory=list)  # row positions in the validated frame

    @property
    def unexpected_count(self) -> int:
        return len(self.failed_rows)


@dataclass
class ValidationOutcome:
    published: pd.DataFrame  # facts to publish, with has_warning and warnings
    rejected: pd.DataFrame  # one row per (fact, blocking check it failed)
    documents: pd.DataFrame  # the staged documents with quality and quality_checks
    results: list[CheckResult]
    data_docs: Path | None = None  # the Data Docs' front page, once rendered
    rendering: Future | None = field(default=None, repr=False, compare=False)  # Data Docs still being rendered

    def wait_for_data_docs(self) -> Exception | None:
        """Wait for Data Docs rendered in the background; the error if rendering failed (the run's
        verdicts do not depend on it)."""
        if self.rendering is None:
            return None
        try:
            self.data_docs = self.rendering.result()
        except Exception as exc:
            self.data_docs = None
            return exc
        finally:
            self.rendering = None
        return None

    def without_rows(self) -> "ValidationOutcome":
        """The same outcome without the run's rows (empty frames, same columns): its checks' results
        and Data Docs, for a caller done with the rows."""
        return replace(
            self,
            published=self.published.iloc[:0].copy(),
            rejected=self.rejected.iloc[:0].copy(),
            documents=self.documents.iloc[:0].copy(),
        )

    @property
    def facts_quarantined(self) -> int:
        return int(self.rejected["observation_id"].nunique()) if len(self.rejected) else 0

    @property
    def documents_rejected(self) -> int:
        return int((self.documents["quality"] == "rejected").sum()) if len(self.documents) else 0

    def check_rows(self, run_id: str) -> pd.DataFrame:
        """One row per check for etl_check."""
        return pd.DataFrame(
            [
                dict(
                    run_id=run_id,
                    suite=r.suite,
                    expectation=r.name,
                    severity=r.severity,
                    success=r.success,
                    unexpected_count=r.unexpected_count,
                    description=r.description,
                )
                for r in self.results
            ],
            columns=["run_id", "suite", "expectation", "severity", "success", "unexpected_count", "description"],
        )


_background_import: threading.Thread | None = None


def import_in_background() -> None:
    """Start importing Great Expectations (seconds of one core) on a thread, for a caller about to
    wait: for a server to boot, for files read by other processes. validate() waits for it."""
    global _background_import
    if _background_import is None and "great_expectations" not in sys.modules:
        _background_import = threading.Thread(target=_import_gx, name="import-great-expectations", daemon=True)
        _background_import.start()


def finish_background_import() -> None:
    """Wait for a background import (an interpreter must not exit while a thread imports)."""
    if _background_import is not None:
        _background_import.join()


def _import_gx() -> None:
    import great_expectations  # noqa: F401
    from great_expectations.core.run_identifier import RunIdentifier  # noqa: F401
    from great_expectations.expectations.row_conditions import Column  # noqa: F401


def validate(
    facts: pd.DataFrame,
    documents: pd.DataFrame,
    published: pd.DataFrame | None = None,
    run_id: str = "run",
    docs_dir: Path | None = None,
    suites: list[Suite] | None = None,
    today: date | None = None,
    render_in_background: bool = False,
) -> ValidationOutcome:
    """Check the run's staged facts and documents; split facts into published and quarantined rows.
    With `render_in_background`, the Data Docs are rendered on a thread while the caller publishes:
    outcome.wait_for_data_docs() then waits for them."""
    suites = suites if suites is not None else load_suites()
    documents = (
        documents
        if len(documents)
        else pd.DataFrame(columns=["document_id", "file_name", "source_text", "numbers_seen", "published_on"])
    )
    facts = facts.reset_index(drop=True)
    observations = (
        observation_frame(facts, documents, published, read_columns(suites, "observations")) if len(facts) else None
    )
    doc_frame = document_frame(documents, facts, today) if len(documents) else None
    frames = {"observations": observations, "documents": doc_frame}
    values = reference_values(observations)
    results, render = _run_checks(suites, frames, values, run_id, docs_dir)
    outcome = _split(facts, observations, doc_frame, documents, suites, results)
    if render is not None and render_in_background:
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="data-docs")
        outcome.rendering = pool.submit(render)
        outcome.data_docs = Path(docs_dir).resolve() / "index.html"  # where it will be
        pool.shutdown(wait=False)  # its thread ends once rendered (an exiting interpreter waits for it)
    elif render is not None:
        outcome.data_docs = render()
    elif docs_dir is not None:
        outcome.data_docs = data_docs.front_page(docs_dir)
    return outcome


def check_corrected(facts: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """The gate of corrected facts (tasks/corrections/apply.py): the observation suites that gate
    extracted facts; one row per (fact, blocking check it fails): observation_id, expectation, suite,
    observed_value. No Data Docs: the run's own validation has them."""
    suites = [s for s in load_suites() if s.target == "observations"]
    outcome = validate(facts, documents, None, run_id="corrections", suites=suites)
    return outcome.rejected.reindex(columns=["observation_id", "expectation", "suite", "observed_value"])


def _run_checks(
    suites: list[Suite], frames: dict[str, pd.DataFrame | None], values: dict, run_id: str, docs_dir: Path | None
) -> tuple[list[CheckResult], Callable[[], Path | None] | None]:
    """The checks' results, and what renders their Data Docs (None without a folder or checks)."""
    active = [s for s in suites if frames[s.target] is not None and len(frames[s.target])]
    skipped = [
        CheckResult(c.suite, c.name, c.severity, c.description, True)
        for s in suites
        if s not in active
        for c in s.checks
    ]
    if not active:
        return skipped, None
    finish_background_import()
    import great_expectations as gx
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier

    logging.getLogger("great_expectations").setLevel(logging.ERROR)
    if docs_dir is not None:
        data_docs.prune(Path(docs_dir).resolve(), KEEP_RUNS - 1)  # room for this run
    context = _context(gx, docs_dir)
    source = context.data_sources.add_pandas("staging")
    batches = {
        target: source.add_dataframe_asset(f"stg_{target}").add_batch_definition_whole_dataframe("run")
        for target in {s.target for s in active}
    }
    results = skipped
    rendered = []  # the validation results and suites of this run, rendered once at the end
    for target, batch in batches.items():  # one checkpoint per frame, one validation per suite
        suites_here = {s.name: s for s in active if s.target == target}
        definitions = [
            context.validation_definitions.add(
                gx.ValidationDefinition(
                    name=suite.name,
                    data=batch,
                    suite=context.suites.add(
                        gx.ExpectationSuite(
                            name=suite.name,
                            meta={"description": suite.description},
                            expectations=[_expectation(gx, check, values) for check in suite.checks],
                        )
                    ),
                )
            )
            for suite in suites_here.values()
        ]
        checkpoint = context.checkpoints.add(
            gx.Checkpoint(
                name=f"ingest-{target}",
                validation_definitions=definitions,
                actions=[],
                # every failing row's index; not the pandas query that would select them (a string as
                # long as the index list, built and stored for each failed check)
                result_format={"result_format": "COMPLETE", "return_unexpected_index_query": False},
            )
        )
        run = checkpoint.run(
            batch_parameters={"dataframe": checked_columns(frames[target], list(suites_here.values()))},
            run_id=RunIdentifier(run_name=run_id),
        )
        for identifier, suite_result in run.run_results.items():
            suite = suites_here[suite_result.suite_name]
            results.extend(_check_result(suite, r) for r in suite_result.results)
            rendered += [identifier, ExpectationSuiteIdentifier(name=suite.name)]
    if docs_dir is None:
        return results, None

    def render() -> Path | None:
        failpoints.hit("render_data_docs")
        context.build_data_docs(site_names=["warehouse"], resource_identifiers=rendered)
        data_docs.add_runs_list(Path(docs_dir).resolve())
        return data_docs.front_page(docs_dir)

    return results, render


def _context(gx, docs_dir: Path | None):
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
    )
    if docs_dir is not None:
        docs_dir = Path(docs_dir).resolve()
        config.stores["validation_results_store"] = {  # on disk, so Data Docs list every run
            "class_name": "ValidationResultsStore",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(docs_dir / ".validation_results"),
            },
        }
        config.data_docs_sites = {
            "warehouse": {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
            }
        }
    return gx.get_context(mode="ephemeral", project_config=config)


def _expectation(gx, check: Check, values: dict):
    kwargs = {k: values[v[1:]] if isinstance(v, str) and v.startswith("$") else v for k, v in check.kwargs.items()}
    if check.where:
        kwargs["row_condition"] = _condition(check.where)
    camel = "".join(part.capitalize() for part in check.type.split("_"))
    cls = next((getattr(gx.expectations, n) for n in dir(gx.expectations) if n.lower() == camel.lower()), None)
    if cls is None:
        raise ValueError(f"{check.suite}.{check.name}: unknown expectation type {check.type}")
    # notes show in the suite's Data Docs page (GX 1.24 cannot render meta properties as columns)
    return cls(
        **kwargs,
        notes=f"{check.name} ({check.severity}): {check.description}",
        meta={"name": check.name, "severity": check.severity, "suite": check.suite},
    )


def _condition(where: tuple):
    from great_expectations.expectations.row_conditions import Column

    parts = []
    for column, op, value in where:
        col = Column(column)
        parts.append(
            {
                "==": col.__eq__,
                "!=": col.__ne__,
                "<": col.__lt__,
                "<=": col.__le__,
                ">": col.__gt__,
                ">=": col.__ge__,
                "in": col.is_in,
                "not in": col.is_not_in,
            }[op](value)
        )
    condition = parts[0]
    for part in parts[1:]:
        condition = condition & part
    return condition


def _check_result(suite: Suite, r) -> CheckResult:
    meta = r.expectation_config.meta
    check = next(c for c in suite.checks if c.name == meta["name"])
    info = r.exception_info or {}
    raised = [info] if "raised_exception" in info else [v for v in info.values() if isinstance(v, dict)]
    for exc in raised:
        if exc.get("raised_exception"):
            raise CheckCouldNotRun(f"check {suite.name}.{check.name} could not run: {exc.get('exception_message')}")
    indexes = r.result.get("unexpected_index_list") or []
    rows = sorted({i if isinstance(i, int) else int(next(iter(i.values()))) for i in indexes})
    if not r.success and not rows:  # every check here judges rows: failing without naming any is a fault
        raise CheckCouldNotRun(f"check {suite.name}.{check.name} failed without naming its rows")
    return CheckResult(suite.name, check.name, check.severity, check.description, bool(r.success), rows)


def _observed(frame: pd.DataFrame, i: int, check: Check) -> str:
    values = [frame.at[i, c] for c in check.columns if c in frame]
    return " / ".join("" if pd.isna(v) else f"{v:.10g}" if isinstance(v, float) else str(v) for v in values)


def _split(
    facts: pd.DataFrame,
    observations: pd.DataFrame | None,
    doc_frame: pd.DataFrame | None,
    documents: pd.DataFrame,
    suites: list[Suite],
    results: list[CheckResult],
) -> ValidationOutcome:
    checks = {(c.suite, c.name): c for s in suites for c in s.checks}
    target = {s.name: s.target for s in suites}
    rejected: list[tuple[int, Check, str]] = []  # (fact row, check, observed value)
    warned: dict[int, list[str]] = {}
    doc_failures: dict[str, list[str]] = {}
    doc_rejects: dict[str, list[tuple[Check, str]]] = {}
    # document ids by row label, read once (a cell lookup per failing row: 0.1 s at 2,000 reports)
    document_ids = dict(zip(doc_frame.index, doc_frame["document_id"].tolist())) if doc_frame is not None else {}
    for result in results:
        if result.success:
            continue
        check = checks[(result.suite, result.name)]
        if target[result.suite] == "documents":
            for i in result.failed_rows:
                document_id = document_ids[i]
                doc_failures.setdefault(document_id, []).append(check.name)
                if check.severity == "blocking":
                    doc_rejects.setdefault(document_id, []).append((check, _observed(doc_frame, i, check)))
            continue
        for i in result.failed_rows:
            if check.severity == "blocking":
                rejected.append((i, check, _observed(observations, i, check)))
            else:
                warned.setdefault(i, []).append(check.name)
    if observations is not None and doc_rejects:
        for i in observations.index[observations["document_id"].isin(list(doc_rejects))]:
            rejected += [(i, check, observed) for check, observed in doc_rejects[observations.at[i, "document_id"]]]

    documents = documents.copy()
    if len(documents):
        documents["quality"] = documents["document_id"].map(
            lambda d: "rejected" if d in doc_rejects else "warning" if d in doc_failures else "passed"
        )
        documents["quality_checks"] = pd.Series(
            [",".join(doc_failures.get(d, [])) or None for d in documents["document_id"]],
            index=documents.index,
            dtype=object,
        )
    if observations is None:
        empty = facts.assign(has_warning=pd.Series(dtype=bool), warnings=pd.Series(dtype=object))
        return ValidationOutcome(empty, _empty_rejected(facts), documents, results)
    rejected_index = sorted({i for i, _, _ in rejected})
    published = facts.drop(index=rejected_index) if rejected_index else facts.copy(deep=False)
    warnings = pd.Series({i: ",".join(names) for i, names in warned.items()}, dtype=object)
    published["warnings"] = warnings.reindex(published.index).astype(object).where(lambda w: w.notna(), None)
    published["has_warning"] = published["warnings"].notna()
    now = datetime.now(UTC).replace(tzinfo=None)
    rejected_frame = (
        pd.DataFrame(
            [
                dict(
                    facts.loc[i].to_dict(),
                    expectation=check.name,
                    suite=check.suite,
                    observed_value=observed,
                    rejected_at=now,
                    warnings=",".join(warned.get(i, [])) or None,
                )
                for i, check, observed in rejected
            ]
        )
        if rejected
        else _empty_rejected(facts)
    )
    return ValidationOutcome(published.reset_index(drop=True), rejected_frame, documents, results)


def _empty_rejected(facts: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        columns=list(facts.columns) + ["expectation", "suite", "observed_value", "rejected_at", "warnings"]
    )
