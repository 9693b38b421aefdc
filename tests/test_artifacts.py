"""What the Prefect UI shows of a run: a progress artifact, a table of per-file results and a
markdown summary with the validation results and the Data Docs path (real engine and server)."""

from __future__ import annotations

import json
import shutil

from conftest import SAMPLES


def artifacts_of(flow_run_id) -> dict[str, object]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    return {a.type: a for a in found}


def test_a_run_shows_progress_per_file_results_and_a_summary(prefect_harness, tmp_path):
    from flows.ingest import ingest_reports

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(sorted(SAMPLES.glob("*.txt"))[0], inbox / "report.txt")
    (inbox / "empty.txt").write_bytes(b"")
    (inbox / "rate.txt").write_text(
        "某市总工会报告\n\n某市总工会推动建会率达到135%,建成职工书屋12家。\n", encoding="utf-8"
    )
    state = ingest_reports(inbox=str(inbox), warehouse_path=str(tmp_path / "w.duckdb"), return_state=True)
    summary = state.result()
    artifacts = artifacts_of(state.state_details.flow_run_id)
    assert set(artifacts) == {"progress", "table", "markdown"}
    assert artifacts["progress"].data == 100.0

    table = artifacts["table"].data
    rows = {r["file"]: r for r in (json.loads(table) if isinstance(table, str) else table)}
    assert rows["empty.txt"]["status"] == "failed" and rows["empty.txt"]["reason"] == "empty file"
    assert rows["rate.txt"]["quarantined"] == 1 and rows["rate.txt"]["facts published"] == 1
    assert rows["report.txt"]["facts published"] == summary.facts_published - 1

    markdown = artifacts["markdown"].data
    assert f"run `{summary.run_id}`" in markdown
    assert "| units | percent_within_0_100 | blocking | FAILED | 1 |" in markdown
    assert f"Data Docs: `{summary.data_docs}`" in markdown and "`empty.txt`: empty file" in markdown
