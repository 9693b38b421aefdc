"""Named points where a test (or an operator rehearsing a crash) can make a run fail or pause.

Set UNIONFACTS_FAILPOINT to `<point>` to raise InjectedFailure there, or to `<point>:pause` to stop
there until released: the run writes `<point>.reached` into UNIONFACTS_FAILPOINT_DIR and waits for
`<point>.release` (at most UNIONFACTS_FAILPOINT_TIMEOUT seconds, default 300). Unset, every point
is a no-op. Points: after_staging, before_swap (tasks/publish/warehouse.py), before_publish (flows/ingest.py),
render_data_docs (tasks/audit/validate.py).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

ENV = "UNIONFACTS_FAILPOINT"
DIR_ENV = "UNIONFACTS_FAILPOINT_DIR"
TIMEOUT_ENV = "UNIONFACTS_FAILPOINT_TIMEOUT"


class InjectedFailure(RuntimeError):
    """A failure asked for by UNIONFACTS_FAILPOINT."""


def hit(point: str) -> None:
    """Fail or pause here if UNIONFACTS_FAILPOINT names this point."""
    name, _, action = os.environ.get(ENV, "").partition(":")
    if name != point:
        return
    if action == "pause":
        _pause(point)
        return
    raise InjectedFailure(f"failure injected at {point} ({ENV})")


def _pause(point: str) -> None:
    folder = Path(os.environ.get(DIR_ENV, "."))
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{point}.reached").write_text(str(os.getpid()), encoding="utf-8")
    deadline = time.monotonic() + float(os.environ.get(TIMEOUT_ENV, "300"))
    release = folder / f"{point}.release"
    while not release.exists():
        if time.monotonic() > deadline:
            raise InjectedFailure(f"paused at {point} and never released")
        time.sleep(0.05)
