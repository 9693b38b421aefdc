"""A bounded soak: runs one after another with files arriving between them, a reader querying the
warehouse all the while, one run killed with SIGKILL in the middle of publishing. No fact is lost,
no read fails, and the warehouse ends equal to one clean run over the same files."""

from __future__ import annotations

import signal
import threading
import time

import duckdb
from conftest import SAMPLES
from test_publish import cli, run, start_paused_run, state

REPORTS = sorted(SAMPLES.glob("*.txt"))


def arrivals(inbox, wave: int) -> None:
    """Wave n brings sample n and a second version of an earlier report under a new name."""
    inbox.mkdir(exist_ok=True)
    source = REPORTS[wave % len(REPORTS)]
    (inbox / source.name).write_bytes(source.read_bytes())
    earlier = REPORTS[(wave + 2) % len(REPORTS)]
    (inbox / f"reprint {wave} {earlier.name}").write_bytes(earlier.read_bytes() + f"\n\n（第{wave}版）\n".encode())


class Reader(threading.Thread):
    """Queries the published warehouse in a loop, read-only, as an analyst would."""

    def __init__(self, db) -> None:
        super().__init__(daemon=True)
        self.db, self.stop = db, threading.Event()
        self.counts: list[int] = []
        self.errors: list[str] = []

    def run(self) -> None:
        while not self.stop.is_set():
            if self.db.exists():
                try:
                    con = duckdb.connect(str(self.db), read_only=True)
                    try:
                        self.counts.append(con.execute("SELECT count(*) FROM v_observation").fetchone()[0])
                    finally:
                        con.close()
                except duckdb.Error as exc:
                    self.errors.append(f"{type(exc).__name__}: {exc}")
            time.sleep(0.05)


def test_runs_with_arrivals_a_reader_and_a_killed_run_converge_to_one_clean_run(cli_env, tmp_path):
    from tasks.operations import failpoints

    db, inbox = tmp_path / "w.duckdb", tmp_path / "inbox"
    reader = Reader(db)
    reader.start()
    published = []  # the facts after each completed run
    try:
        for wave in range(4):
            arrivals(inbox, wave)
            if wave == 2:  # killed while publishing: the new warehouse written, not yet swapped in
                proc = start_paused_run(inbox, db, "before_swap", cli_env)
                proc.send_signal(signal.SIGKILL)
                proc.communicate(timeout=60)
            answer = cli("run", "--inbox", str(inbox), "--warehouse", str(db), "--no-report", env=cli_env)
            assert answer.returncode == 0, answer.stderr[-3000:]
            published.append(state(db)["facts"])
        again = cli("run", "--inbox", str(inbox), "--warehouse", str(db), "--no-report", env=cli_env)
        assert again.returncode == 0 and "nothing new to read" in again.stdout
    finally:
        reader.stop.set()
        reader.join(timeout=30)
    assert failpoints.ENV not in cli_env
    assert reader.errors == [] and len(reader.counts) > 20
    assert reader.counts == sorted(reader.counts)  # no published fact ever went missing
    for before, after in zip(published, published[1:]):  # a later run may flag a fact, never drop it
        assert {fact[0] for fact in before} <= {fact[0] for fact in after}
    clean = tmp_path / "clean.duckdb"
    run(inbox, clean)
    assert state(db) == state(clean)
