"""What a run tells its user: the summary printed by the CLI, and the Prefect artifacts shown in the
UI (a table of per-file results and a markdown summary with the validation results)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

FETCH_STATUSES = ("fetched", "not_modified", "unchanged", "failed")


def fetch_counts(fetched: list) -> str:
    """HTTP fetches in words: "3 downloaded, 5 not modified (304), 0 unchanged, 1 failed"."""
    n = {s: sum(1 for f in fetched if f.status == s) for s in FETCH_STATUSES}
    return (
        f"{n['fetched']} downloaded, {n['not_modified']} not modified (304), {n['unchanged']} unchanged, "
        f"{n['failed']} failed"
    )


@dataclass
class RunSummary:
    run_id: str
    files_new: int
    files_changed: int
    files_unchanged: int
    files_failed: int
    facts_published: int
    facts_quarantined: int
    failures: list[tuple[str, str]]
    warehouse: str
    files_reprocessed: int = 0
    facts_warned: int = 0
    documents_rejected: int = 0
    failed_checks: list[tuple[str, str, int]] = ()  # (check, severity, facts or documents failing it)
    data_docs: str | None = None
    report: str | None = None  # the analyst's HTML report, when the run wrote it
    # the corrections ledger's rows after the publish (warehouse/queries/correction_results.sql):
    # (line_no, fact_key, field, status, detail, file_name)
    corrections: list[tuple] = field(default_factory=list)

    @classmethod
    def of(
        cls, run_id: str, warehouse: str, files: pd.DataFrame, outcome, failures: list[tuple[str, str]]
    ) -> "RunSummary":
        """The summary of a run from its etl_file rows and its validation outcome."""
        status = files["status"].value_counts().to_dict() if len(files) else {}
        published = outcome.published
        return cls(
            run_id=run_id,
            files_new=status.get("new", 0),
            files_changed=status.get("changed", 0),
            files_unchanged=status.get("unchanged", 0),
            files_failed=status.get("failed", 0),
            facts_published=len(published),
            facts_quarantined=outcome.facts_quarantined,
            failures=failures,
            warehouse=warehouse,
            files_reprocessed=status.get("reprocessed", 0),
            facts_warned=int(published["has_warning"].sum()) if len(published) else 0,
            documents_rejected=outcome.documents_rejected,
            failed_checks=[
                (f"{r.suite}.{r.name}", r.severity, r.unexpected_count) for r in outcome.results if not r.success
            ],
            data_docs=str(outcome.data_docs) if outcome.data_docs else None,
        )

    def run_row(self, started_at: datetime, finished_at: datetime, inbox: str, reprocess: bool) -> dict:
        """The run's etl_run row."""
        return dict(
            run_id=self.run_id,
            started_at=started_at,
            finished_at=finished_at,
            inbox=inbox,
            files_new=self.files_new + self.files_changed,
            files_unchanged=self.files_unchanged,
            files_failed=self.files_failed,
            facts_published=self.facts_published,
            facts_quarantined=self.facts_quarantined,
            status="completed",
            is_reprocess=reprocess,
            files_reprocessed=self.files_reprocessed,
            facts_warned=self.facts_warned,
            documents_rejected=self.documents_rejected,
            data_docs=self.data_docs,
        )

    def lines(self) -> list[str]:
        out = [
            f"run {self.run_id} → {self.warehouse}",
            f"files: {self.files_new} new, {self.files_changed} changed, "
            + (f"{self.files_reprocessed} reprocessed, " if self.files_reprocessed else "")
            + f"{self.files_unchanged} unchanged, {self.files_failed} failed",
            f"facts: {self.facts_published} published ({self.facts_warned} with warnings), "
            f"{self.facts_quarantined} quarantined"
            + (f"; {self.documents_rejected} reports rejected as a whole" if self.documents_rejected else ""),
        ]
        if not (self.files_new or self.files_changed or self.files_reprocessed or self.files_failed):
            out.append(
                f"nothing new to read ({self.files_unchanged} files unchanged)"
                if self.files_unchanged
                else "nothing new to read: the inbox is empty"
            )
        out += [f"  failed {name}: {reason}" for name, reason in self.failures]
        out += [f"  check {name} ({severity}): {count} failing" for name, severity, count in self.failed_checks]
        out += self.correction_lines()
        if self.data_docs:
            out.append(f"data docs: {self.data_docs}")
        if self.report:
            out.append(f"report: {self.report}")
        return out

    def correction_lines(self, shown: int = 10) -> list[str]:
        """The corrections in a line, then each that was not applied (orphaned, rejected, invalid)."""
        if not self.corrections:
            return []
        counts: dict[str, int] = {}
        for row in self.corrections:
            counts[row[3]] = counts.get(row[3], 0) + 1
        out = ["corrections: " + ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) + " (v_correction)"]
        problems = [row for row in self.corrections if row[3] != "applied"]
        for line_no, key, field_name, status, detail, file_name in problems[:shown]:
            where = f" in {file_name}" if file_name else ""
            why = {
                "orphaned": "no current report holds this span any more",
                "rejected": f"the corrected fact fails {detail}",
                "invalid": detail,
            }.get(status, detail or "")
            out.append(f"  {status} correction (line {line_no}, {field_name}) {key}{where}: {why}")
        if len(problems) > shown:
            out.append(f"  … and {len(problems) - shown} more in v_correction")
        return out


def file_results(
    files: pd.DataFrame, documents: pd.DataFrame, published: pd.DataFrame, rejected: pd.DataFrame
) -> list[dict]:
    """One row per file the run read (unchanged files left out): what became of it."""
    published_per_doc = published.groupby("document_id").size().to_dict() if len(published) else {}
    warned_per_doc = (
        published[published["has_warning"]].groupby("document_id").size().to_dict() if len(published) else {}
    )
    rejected_per_doc = rejected.groupby("document_id")["observation_id"].nunique().to_dict() if len(rejected) else {}
    quality = dict(zip(documents["document_id"], documents["quality"])) if len(documents) else {}
    checks = dict(zip(documents["document_id"], documents["quality_checks"])) if len(documents) else {}
    rows = []
    for f in files[files["status"] != "unchanged"].itertuples(index=False):
        doc = f.document_id
        rows.append(
            {
                "file": f.file_name,
                "status": f.status,
                "facts published": int(published_per_doc.get(doc, 0)),
                "with warnings": int(warned_per_doc.get(doc, 0)),
                "quarantined": int(rejected_per_doc.get(doc, 0)),
                "report quality": quality.get(doc, "") or "",
                "reason": f.reason or checks.get(doc) or "",
            }
        )
    return rows


def summary_markdown(summary: RunSummary, checks: pd.DataFrame, fetched: list | None = None) -> str:
    """The run in a page: counts, every check with its result, failures, where the Data Docs are."""
    lines = [
        f"# ingest-reports run `{summary.run_id}`",
        "",
        f"Warehouse: `{summary.warehouse}`",
        "",
        "| files | |",
        "|---|---|",
        f"| new | {summary.files_new} |",
        f"| changed | {summary.files_changed} |",
        f"| reprocessed | {summary.files_reprocessed} |",
        f"| unchanged | {summary.files_unchanged} |",
        f"| failed | {summary.files_failed} |",
        "",
        "| facts | |",
        "|---|---|",
        f"| published | {summary.facts_published} |",
        f"| with warnings | {summary.facts_warned} |",
        f"| quarantined | {summary.facts_quarantined} |",
        f"| reports rejected as a whole | {summary.documents_rejected} |",
        "",
    ]
    if fetched:
        lines += ["## HTTP sources", "", fetch_counts(fetched), ""]
        lines += [f"- {f.url}: {f.reason}" for f in fetched if f.status == "failed"]
        lines.append("")
    lines += ["## Validation (Great Expectations)", ""]
    if len(checks):
        lines += ["| suite | check | severity | result | failing |", "|---|---|---|---|---|"]
        for c in checks.sort_values(["success", "suite", "expectation"]).itertuples(index=False):
            lines.append(
                f"| {c.suite} | {c.expectation} | {c.severity} | {'passed' if c.success else 'FAILED'} "
                f"| {c.unexpected_count} |"
            )
    else:
        lines.append("Nothing new to check.")
    lines += ["", f"Data Docs: `{summary.data_docs}`" if summary.data_docs else "No Data Docs yet."]
    if summary.report:
        lines += [
            "",
            "## Report",
            "",
            f"[HTML report]({Path(summary.report).as_uri()}) (open in a browser on this machine): `{summary.report}`",
        ]
    if summary.failures:
        lines += ["", "## Files that could not be read", ""]
        lines += [f"- `{name}`: {reason}" for name, reason in summary.failures]
    if summary.corrections:
        lines += ["", "## Corrections (corrections.csv, `v_correction`)", ""]
        lines += [f"- {line.strip()}" for line in summary.correction_lines()]
    return "\n".join(lines) + "\n"
