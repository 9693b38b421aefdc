"""Shared test harness: one Prefect test server for the session, paths to the sample reports."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CASES = ROOT / "tests" / "cases"
SAMPLES = ROOT / "seeds" / "reports"
SHARED_EVAL = ROOT.parent / "shared" / "eval"

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def load_cases(folder: str) -> list[tuple[str, dict]]:
    """(id, case) pairs of every JSON case file in tests/cases/<folder>."""
    out = []
    for path in sorted((CASES / folder).glob("*.json")):
        for n, case in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            out.append((f"{path.stem}-{n}-{case['text'][:12]}", case))
    return out


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory):
    """A real Prefect engine with a temporary server and database, started once and stopped after."""
    os.environ["PREFECT_HOME"] = str(tmp_path_factory.mktemp("prefect_home"))
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture
def cli_env(prefect_harness, tmp_path) -> dict:
    """Environment for `unionfacts` subprocesses: the test's Prefect server, failpoint files in tmp."""
    from prefect.settings import PREFECT_API_URL

    return dict(
        os.environ,
        PREFECT_API_URL=PREFECT_API_URL.value(),
        UNIONFACTS_FAILPOINT_DIR=str(tmp_path / "fp"),
        PREFECT_LOGGING_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
