"""How far a run's reading has come, for the operator: a progress bar on an interactive terminal
(files done of total, facts, failed files, rate, time left), else a log line every N files — in a
worker's logs, in CI, under `nohup`. Files stopped by their time budget are named as they happen.
"""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass, field

LOG_EVERY_FILES = 100  # without a terminal, a progress line each time this many more files are read


@dataclass
class ReadProgress:
    total: int
    done: int = 0
    facts: int = 0
    failed: int = 0
    started: float = field(default_factory=time.monotonic)

    def add(self, files: list) -> None:
        """Count a finished batch's files (tasks.process.ProcessedFile)."""
        self.done += len(files)
        self.facts += sum(p.fact_count for p in files if p.error is None)
        self.failed += sum(1 for p in files if p.error is not None)

    @property
    def rate(self) -> float:
        """Files a second so far."""
        elapsed = time.monotonic() - self.started
        return self.done / elapsed if elapsed > 0 else 0.0

    def seconds_left(self) -> float | None:
        return (self.total - self.done) / self.rate if self.rate else None

    def line(self) -> str:
        """ "read 300 of 1,000 files (30 %), 4,210 facts, 2 failed, 41.2 files/s, about 17 s left" """
        left = self.seconds_left()
        share = 100 * self.done / self.total if self.total else 100.0
        return (
            f"read {self.done:,} of {self.total:,} files ({share:.0f} %), {self.facts:,} facts, "
            f"{self.failed:,} failed, {self.rate:.1f} files/s"
            + (f", about {_duration(left)} left" if left is not None and self.done < self.total else "")
        )


def _duration(seconds: float) -> str:
    """
    >>> _duration(17.2), _duration(125), _duration(7300)
    ('17 s', '2 min 5 s', '2 h 1 min')
    """
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


def timed_out(files: list) -> list:
    """The files of a batch that their time budget stopped."""
    return [p for p in files if p.error and p.error.startswith("timed out")]


class ProgressLog:
    """Progress as log lines: one each LOG_EVERY_FILES files, and one at the end; with `echo`, also
    printed on standard error (the command's own log level hides Prefect's INFO lines)."""

    def __init__(self, progress: ReadProgress, logger, every: int = LOG_EVERY_FILES, echo: bool = False) -> None:
        self.progress, self.logger, self.every, self.echo = progress, logger, every, echo
        self.logged = 0

    def __enter__(self) -> "ProgressLog":
        return self

    def __exit__(self, *exc) -> None:
        pass

    def update(self, files: list) -> None:
        """Count a finished batch, name the files its budget stopped, show the progress."""
        self.progress.add(files)
        for p in timed_out(files):
            self.logger.warning("stopped %s: %s", p.ref.file_name, p.error)
        self.show()

    def show(self) -> None:
        if self.progress.done // self.every > self.logged // self.every or self.progress.done >= self.progress.total:
            self.logger.info(self.progress.line())
            if self.echo:
                print(self.progress.line(), file=sys.stderr, flush=True)
            self.logged = self.progress.done


class ProgressBar(ProgressLog):
    """Progress as a bar on an interactive terminal (rich, installed with Prefect); the run's log
    lines print above it while it is shown."""

    def __init__(self, progress: ReadProgress, logger) -> None:
        super().__init__(progress, logger)
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(
            TextColumn("reading"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files"),
            TextColumn("{task.fields[facts]:,} facts, {task.fields[failed]:,} failed, {task.fields[rate]:.1f} files/s"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self.task = self.bar.add_task("reading", total=progress.total, facts=0, failed=0, rate=0.0)
        self._handlers: list[tuple[logging.Handler, object]] = []

    def __enter__(self) -> "ProgressBar":
        self.bar.start()
        # Prefect's console handler prints through a rich console of its own: while the bar is shown it
        # prints through the bar's, so that its lines go above the bar instead of through it
        for handler in _console_handlers():
            self._handlers.append((handler, handler.console))
            handler.console = self.bar.console
        return self

    def __exit__(self, *exc) -> None:
        self.bar.stop()
        for handler, console in self._handlers:
            handler.console = console

    def show(self) -> None:
        self.bar.update(
            self.task,
            completed=self.progress.done,
            facts=self.progress.facts,
            failed=self.progress.failed,
            rate=self.progress.rate,
        )


def _console_handlers() -> list[logging.Handler]:
    found = []
    for name in ("prefect", "prefect.flow_runs", "prefect.task_runs", ""):
        for handler in logging.getLogger(name).handlers:
            if hasattr(handler, "console") and handler not in found:
                found.append(handler)
    return found


PROGRESS_MODES = ("log", "lines", "bar")


def reporter(total: int, logger, mode: str = "log") -> ProgressLog:
    """How a run shows its reading: `bar` (an interactive terminal), `lines` (progress lines on
    standard error too: the command without a terminal), `log` (the run's log only: a worker)."""
    progress = ReadProgress(total)
    if mode == "bar":
        return ProgressBar(progress, logger)
    return ProgressLog(progress, logger, echo=mode == "lines")
