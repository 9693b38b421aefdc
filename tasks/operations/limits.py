"""What one file may cost a run: a time budget and a ceiling on the facts it yields.

Every stage is linear in its input, so no file should need long; the budget makes sure none can
hold a run whatever it holds. It is cooperative: the stages name themselves (`stage("extract")`)
and the loops over a file's parts call `check()`, which raises `OverBudget` once the file's time is
up — in a thread, a process of the run's pool and a Dask worker alike (nothing here needs signals
or the main thread). Between two checks a stage does a bounded amount of work (a sentence, one
decoding of at most `max_bytes`), so a file stops soon after its budget.

    with file_budget(60):
        stage("decode"); ...
        for sentence in ...:
            check()
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

DEFAULT_FILE_BUDGET_S = 60.0
# a report states hundreds of figures, a long one a few thousand: more is a data table or a dump,
# whose rows (each with its sentence) would take gigabytes
MAX_FACTS_PER_FILE = 20_000


class OverBudget(Exception):
    """A file past its time budget or its fact ceiling; the message is the reason in etl_file."""


@dataclass
class _Budget:
    seconds: float
    deadline: float
    stage: str = "reading"


_current: ContextVar[_Budget | None] = ContextVar("unionfacts_file_budget", default=None)


@contextmanager
def file_budget(seconds: float | None):
    """Run the body under a budget of `seconds` (None or 0: no budget)."""
    if not seconds or seconds <= 0:
        yield
        return
    token = _current.set(_Budget(seconds, time.monotonic() + seconds))
    try:
        yield
    finally:
        _current.reset(token)


def stage(name: str) -> None:
    """The file's processing enters stage `name` (named in the reason if its time runs out there)."""
    budget = _current.get()
    if budget is not None:
        budget.stage = name
        check()


def check() -> None:
    """Raise OverBudget when the current file's time is up; nearly free otherwise."""
    budget = _current.get()
    if budget is not None and time.monotonic() > budget.deadline:
        raise OverBudget(f"timed out in {budget.stage} after {budget.seconds:g} s")


def check_facts(count: int) -> None:
    """Raise OverBudget when a file yields more facts than any report states."""
    if count > MAX_FACTS_PER_FILE:
        raise OverBudget(f"more than {MAX_FACTS_PER_FILE:,} facts: a data table or a dump, not a report")
