"""Where a warehouse's Great Expectations Data Docs live, and a plain list of every validation on
their front page.

Great Expectations draws its index table with scripts and styles from public CDNs; on a machine
without internet the front page shows no runs. This adds a static list (no scripts, no external
files) of every run's validations, newest first, with the failed checks named, so the Data Docs can
be browsed anywhere. It is rebuilt after each run, since Great Expectations rewrites index.html.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from pathlib import Path

START, END = "<!-- unionfacts:runs -->", "<!-- /unionfacts:runs -->"


def docs_dir(warehouse_path: str | Path) -> Path:
    """The Data Docs of a warehouse: `data_docs/` beside it."""
    return Path(warehouse_path).resolve().parent / "data_docs"


def front_page(folder: str | Path) -> Path | None:
    """The Data Docs' index.html, once there is one."""
    index = Path(folder).resolve() / "index.html"
    return index if index.exists() else None


@dataclass(frozen=True)
class Validation:
    run: str
    suite: str
    time: str  # 20261121T173444.523892Z
    success: bool
    evaluated: int
    failed_checks: tuple[str, ...]
    href: str  # relative to the Data Docs folder


def validations(docs_dir: Path) -> list[Validation]:
    """Every stored validation result, newest first."""
    found = []
    for path in Path(docs_dir).glob(".validation_results/*/*/*/*.json"):
        suite, run, time = path.parts[-4:-1]
        data = json.loads(path.read_text(encoding="utf-8"))
        failed = tuple(
            r["expectation_config"]["meta"].get("name", r["expectation_config"]["type"])
            for r in data.get("results", [])
            if not r.get("success")
        )
        found.append(
            Validation(
                run,
                suite,
                time,
                bool(data.get("success")),
                int(data.get("statistics", {}).get("evaluated_expectations", 0)),
                failed,
                f"validations/{suite}/{run}/{time}/{path.stem}.html",
            )
        )
    return sorted(found, key=lambda v: (v.time, v.suite), reverse=True)


def runs_html(items: list[Validation]) -> str:
    """The static list: one line per validation, grouped by run."""
    out = [
        START,
        '<section style="margin:70px 20px 60px;font-family:sans-serif">',
        "<h2>Runs of ingest-reports</h2>",
        "<p>Every validation of every run, newest first (plain list, readable without internet).</p><ul>",
    ]
    seen_runs: list[str] = []
    for v in items:
        if v.run not in seen_runs:
            if seen_runs:
                out.append("</ul></li>")
            seen_runs.append(v.run)
            out.append(f"<li><b>run {html.escape(v.run)}</b> ({html.escape(_when(v.time))})<ul>")
        verdict = "passed" if v.success else "failed: " + ", ".join(v.failed_checks)
        out.append(
            f'<li><a href="{html.escape(v.href)}">{html.escape(v.suite)}</a> — {v.evaluated} checks, '
            f"{html.escape(verdict)}</li>"
        )
    if seen_runs:
        out.append("</ul></li>")
    out += ["</ul></section>", END]
    return "\n".join(out)


def _when(stamp: str) -> str:
    """20261121T173444.523892Z → 2026-11-21 17:34:44 UTC"""
    return f"{stamp[0:4]}-{stamp[4:6]}-{stamp[6:8]} {stamp[9:11]}:{stamp[11:13]}:{stamp[13:15]} UTC"


def prune(docs_dir: Path, keep_runs: int) -> list[str]:
    """Forget all but the newest `keep_runs` runs (their stored results and pages), so the Data Docs
    stay quick to rebuild however many runs there were. Returns the runs removed."""
    import shutil

    newest: dict[str, str] = {}
    for v in validations(docs_dir):
        newest[v.run] = max(newest.get(v.run, ""), v.time)
    old = sorted(newest, key=newest.get, reverse=True)[keep_runs:]
    for run in old:
        for folder in (
            *Path(docs_dir).glob(f".validation_results/*/{run}"),
            *Path(docs_dir).glob(f"validations/*/{run}"),
        ):
            shutil.rmtree(folder, ignore_errors=True)
    return old


def add_runs_list(docs_dir: Path) -> None:
    """Put the static list of runs on the Data Docs front page (replacing an earlier one)."""
    index = Path(docs_dir) / "index.html"
    if not index.exists():
        return
    page = index.read_text(encoding="utf-8")
    if START in page:
        page = page[: page.index(START)] + page[page.index(END) + len(END) :]
    block = runs_html(validations(docs_dir))
    page = page.replace("</body>", block + "\n</body>", 1) if "</body>" in page else page + block
    index.write_text(page, encoding="utf-8")
