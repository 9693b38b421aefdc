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
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from tasks import fact_schema
from tasks.audit import data_docs
from tasks.extract.periods import period_bounds
from tasks.operations import failpoints
from tasks.seeds import PROJECT_ROOT, indicators, regions, unit_dimensions, units

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

SUITES_DIR = PROJECT_ROOT / "expectations"
TARGETS = ("observations", "documents")
KEEP_RUNS = 100  # runs whose validations the Data Docs keep
CONFLICT_KEY = ["indicator_code", "region_code", "period_id", "unit"]
UNDECODABLE = "[\ufffd\ue000-\uf8ff]"  # replacement and private-use characters: what a wrong decoding leaves


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


def reference_values(observations: pd.DataFrame | None = None) -> dict[str, list]:
    """What `$name` in a suite stands for: sets read from seeds/ and the run.

    The large sets (3,400 region codes, indicator:dimension pairs) are cut to the members the run's
    facts use: the verdicts are the same, and Great Expectations copies every value set many times.
    """
    fact_dimensions = sorted({u.dimension for u in units().values() if u.is_fact_unit})
    pairs = {f"{i.code}:{d}" for i in indicators() for d in i.dimensions}
    pairs |= {f"unclassified:{d}" for d in fact_dimensions}
    codes = set(regions())
    if observations is not None:  # it holds the columns the checks read
        codes &= set(observations["region_code"].dropna().unique()) if "region_code" in observations else set()
        pairs &= set(observations["indicator_dimension"].unique())
    return {
        "fact_units": sorted({u.unit for u in units().values() if u.is_fact_unit}),
        "region_codes": sorted(codes),
        "indicator_codes": sorted({i.code for i in indicators()} | {"unclassified"}),
        "indicator_dimensions": sorted(pairs),
    }


def conflicting_values(facts: pd.DataFrame, documents: pd.DataFrame, published: pd.DataFrame | None) -> pd.Series:
    """For each staged fact, how many different values other current reports give for its indicator,
    region, period and unit (published reports of other files, and the run's other documents).

    Linear in the number of facts: per key, the distinct values (D), and for each file the values
    only it states (E); a fact's conflicts are D − 1 − (E − [its own value is only its file's]).
    """
    out = pd.Series(0, index=facts.index, dtype="int64")
    eligible = facts[
        (facts["indicator_code"] != "unclassified") & (facts["period_id"] != "") & facts["region_code"].notna()
    ]
    if eligible.empty:
        return out
    file_of = dict(zip(documents["document_id"], documents["file_name"])) if len(documents) else {}
    staged = eligible.assign(file_name=eligible["document_id"].map(file_of)).dropna(subset=["file_name"])
    pool = [staged[[*CONFLICT_KEY, "value", "file_name"]]]
    if published is not None and len(published):
        pool.append(
            published.loc[~published["file_name"].isin(set(file_of.values())), [*CONFLICT_KEY, "value", "file_name"]]
        )
    pool = pd.concat(pool, ignore_index=True).drop_duplicates()
    values = (
        pool.groupby([*CONFLICT_KEY, "value"], dropna=False)["file_name"]
        .agg(file_count="nunique", only_file="first")
        .reset_index()
    )
    values["only_file"] = values["only_file"].where(values["file_count"] == 1)
    distinct = values.groupby(CONFLICT_KEY, dropna=False).size().rename("distinct_values").reset_index()
    exclusive = (
        values.dropna(subset=["only_file"])
        .groupby([*CONFLICT_KEY, "only_file"], dropna=False)
        .size()
        .rename("exclusive_values")
        .reset_index()
        .rename(columns={"only_file": "file_name"})
    )
    rows = (
        staged.reset_index()[["index", *CONFLICT_KEY, "value", "file_name"]]
        .merge(distinct, on=CONFLICT_KEY, how="left")
        .merge(exclusive, on=[*CONFLICT_KEY, "file_name"], how="left")
        .merge(values[[*CONFLICT_KEY, "value", "only_file"]], on=[*CONFLICT_KEY, "value"], how="left")
    )
    own_exclusive = (rows["only_file"] == rows["file_name"]).astype("int64")
    conflicts = rows["distinct_values"] - 1 - (rows["exclusive_values"].fillna(0).astype("int64") - own_exclusive)
    out.loc[rows["index"].to_numpy()] = conflicts.to_numpy()
    return out


def observation_frame(
    facts: pd.DataFrame, documents: pd.DataFrame, published: pd.DataFrame | None, columns: set[str]
) -> pd.DataFrame:
    """The staged facts' `columns` (those the checks read), with the derived ones; row labels kept.
    (No copy of the facts' columns: pandas copies on write, and they are only read.)"""
    frame = facts[[c for c in facts.columns if c in columns]]
    frame["unit_dimension"] = facts["unit"].map(unit_dimensions())
    frame["indicator_dimension"] = facts["indicator_code"] + ":" + frame["unit_dimension"].fillna("unknown")
    frame["value_fraction"] = (facts["value"] - facts["value"].round()).abs()
    frame["value_magnitude"] = value_magnitudes(facts["value"], facts["value_high"])
    bounds = {label: period_bounds(label) for label in facts["period_id"].dropna().unique()}
    frame["period_start"] = pd.to_datetime(facts["period_id"].map({p: b[0] for p, b in bounds.items()}))
    frame["period_end"] = pd.to_datetime(facts["period_id"].map({p: b[1] for p, b in bounds.items()}))
    _add_text_measures(frame, facts, FACT_TEXT_MEASURES)
    frame["conflicting_values"] = conflicting_values(facts, documents, published)
    # a set of every staged document id in the suite would be copied by each of its metrics
    frame["document_staged"] = facts["document_id"].isin(set(documents["document_id"]))
    return frame


def value_magnitudes(value: pd.Series, value_high: pd.Series) -> np.ndarray:
    """The larger absolute value of a fact's value and upper end; infinite when either is missing
    (a fact always has a value), infinite or not a number — so that no check can skip it as null.

    >>> value_magnitudes(pd.Series([3.0, -5.0, float("inf"), float("nan")]), pd.Series([4.0, None, None, None])).tolist()
    [4.0, 5.0, inf, inf]
    """
    import numpy as np

    low = value.to_numpy(dtype="float64", na_value=np.nan)
    high = value_high.to_numpy(dtype="float64", na_value=np.nan)
    magnitude = np.where(np.isfinite(low), np.abs(low), np.inf)
    return np.where(np.isnan(high), magnitude, np.where(np.isfinite(high), np.maximum(magnitude, np.abs(high)), np.inf))


def text_lengths(texts: pa.ChunkedArray) -> np.ndarray:
    """Each text's length in characters (0 for none), of an Arrow column.

    >>> import pyarrow as pa
    >>> text_lengths(pa.chunked_array([["职工驿站", None, ""]])).tolist()
    [4, 0, 0]
    """
    import pyarrow.compute as pc

    return pc.fill_null(pc.utf8_length(texts), 0).to_numpy().astype("int64")


def undecodable_shares(texts: pa.ChunkedArray) -> np.ndarray:
    """For each text of an Arrow column, the share of replacement (U+FFFD) and private-use characters
    (0 for none or empty): what a wrong decoding leaves.

    >>> import pyarrow as pa
    >>> undecodable_shares(pa.chunked_array([["职工\\ufffd驿站", None, "", "\\ue000"]])).tolist()
    [0.2, 0.0, 0.0, 1.0]
    """
    import numpy as np
    import pyarrow.compute as pc

    lengths = text_lengths(texts)
    found = pc.fill_null(pc.count_substring_regex(texts, UNDECODABLE), 0).to_numpy().astype("float64")
    return np.divide(found, lengths, out=np.zeros(len(lengths)), where=lengths > 0)


# the checks read measures of long texts, never the texts: the flow takes them where the texts are
# stored ({column the checks read: (text column, measure)}); a caller holding the texts gets them
# computed from its frames
FACT_TEXT_MEASURES = {"sentence_length": ("sentence", text_lengths)}
DOCUMENT_TEXT_MEASURES = {"undecodable_share": ("source_text", undecodable_shares)}


def document_frame(documents: pd.DataFrame, facts: pd.DataFrame, today: date | None = None) -> pd.DataFrame:
    """The staged reports with the measures the document checks read."""
    today = today or date.today()
    frame = documents.reset_index(drop=True).copy()
    counts = facts.groupby("document_id").size() if len(facts) else pd.Series(dtype="int64")
    frame["fact_count"] = frame["document_id"].map(counts).fillna(0).astype("int64")
    _add_text_measures(frame, frame, DOCUMENT_TEXT_MEASURES)
    seen = frame["numbers_seen"].astype("float64")
    frame["fact_share"] = (frame["fact_count"] / seen).where(seen > 0)
    frame["published_days_ahead"] = (
        frame["published_on"].map(lambda d: (d - today).days if isinstance(d, date) else None).astype("float64")
    )
    return frame


def _add_text_measures(frame: pd.DataFrame, rows: pd.DataFrame, measures: dict) -> None:
    """The measures of texts the checks read, for a caller that holds the texts (the flow reads the
    measures only: it has them already)."""
    import pyarrow as pa

    for name, (text, measure) in measures.items():
        if name not in frame and text in rows:
            frame[name] = measure(pa.chunked_array([pa.array(rows[text], type=pa.string(), from_pandas=True)]))


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
        *CONFLICT_KEY,
    }
    return [c for c in fact_schema.COLUMNS if c in needed]


def checked_columns(frame: pd.DataFrame, suites: list[Suite]) -> pd.DataFrame:
    """The columns of `frame` the suites read (a missing one still fails its check), texts as
    categories. Great Expectations copies the frame for every row condition: long texts it does not
    read would be copied dozens of times, and Arrow strings are slow to copy (categories: small codes)."""
    wanted = read_columns(suites)
    narrow = frame[[c for c in frame.columns if c in wanted]]
    return narrow.astype({c: "category" for c in narrow.columns if pd.api.types.is_string_dtype(narrow[c])})


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
