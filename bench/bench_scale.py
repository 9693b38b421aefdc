"""The scale benchmark (figures printed, never asserted): `make bench` runs it, `BENCH_DOCS=N` sizes it.

On a generated corpus of N reports (bench/corpus.py), with the same cores:
- floor: bare `jieba.lcut` over the corpus' decoded text in a process pool over all cores;
- startup: a trivial Prefect flow in the same mode (the fixed cost: Prefect, its temporary server,
  imports, pool), started, run and ended as `unionfacts run` does; the median of three starts;
- pipeline: `unionfacts run` end to end into a fresh warehouse; peak resident memory of its whole
  process tree;
- no-op: `unionfacts run` again (nothing new), against the trivial flow;
- query: an aggregate over v_observation after the facts are repeated to BENCH_FACTS (1,000,000).
Last line: RESULT docs=… chars_per_s=… jieba_chars_per_s=… ratio=… noop_ratio=… peak_rss_mb=…
startup_s=… query_s=…
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TRIVIAL_FLOW = """
import sys

from unionfacts.temporary_server import start_unless_configured


def main(workers):
    server = start_unless_configured()  # as `unionfacts run` starts: before Prefect is imported
    from prefect import flow, task
    from tasks.operations.runners import task_runner

    @task
    def nothing(x):
        return x

    @flow(name="trivial")
    def trivial():
        return [f.result() for f in nothing.map([1])]

    if server is not None:
        server.wait_until_ready()
    with _heartbeats_unless_temporary(server):  # as the command runs its flow, and exits
        trivial.with_options(task_runner=task_runner(workers))()
    exit_promptly(0)


if __name__ == "__main__":
    from unionfacts.cli import _heartbeats_unless_temporary, exit_promptly

    main(int(sys.argv[1]))
"""


def decoded_chars_and_lcut(paths: list[str]) -> int:
    import jieba

    from tasks.read.formats import read_document

    jieba.setLogLevel(60)
    chars = 0
    for path in paths:
        text = read_document(Path(path).read_bytes(), path).text
        jieba.lcut(text)
        chars += len(text)
    return chars


def jieba_floor(files: list[Path], workers: int) -> tuple[int, float]:
    """(characters, seconds) of bare jieba.lcut over the corpus on `workers` processes."""
    chunks = [[str(p) for p in files[i :: workers * 8]] for i in range(workers * 8)]
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(decoded_chars_and_lcut, [chunks[0][:1]] * workers))  # start the workers, load jieba
        start = time.perf_counter()
        chars = sum(pool.map(decoded_chars_and_lcut, chunks))
        return chars, time.perf_counter() - start


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            p = int(stat.parent.name)
            children.setdefault(int(fields[1]), []).append(p)
            rss[p] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        total += rss.get(p, 0)
        todo += children.get(p, [])
    return total / 1e6


def timed(args: list[str], env: dict) -> tuple[float, float, str]:
    """(seconds, peak MB of the process tree, output) of a command."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0.0]

    def watch():
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_rss_mb(proc.pid))
            time.sleep(0.2)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    out, _ = proc.communicate()
    seconds = time.perf_counter() - start
    watcher.join()
    if proc.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{out[-3000:]}")
    return seconds, peak[0], out


def query_seconds(warehouse: Path, target_facts: int) -> tuple[int, float]:
    """Repeat the published facts up to `target_facts` in a copy; time an aggregate over v_observation."""
    import duckdb

    copy = warehouse.with_name("query.duckdb")
    shutil.copyfile(warehouse, copy)
    con = duckdb.connect(str(copy))
    have = con.execute("SELECT count(*) FROM fct_observation").fetchone()[0]
    copies = max(0, -(-target_facts // max(1, have)) - 1)
    con.execute(
        """INSERT INTO fct_observation BY NAME
                   SELECT o.* REPLACE (o.observation_id || '#' || c.i AS observation_id)
                   FROM fct_observation o, range(1, ? + 1) c(i)""",
        [copies],
    )
    facts = con.execute("SELECT count(*) FROM fct_observation").fetchone()[0]
    con.close()
    con = duckdb.connect(str(copy), read_only=True)
    sql = (
        "SELECT indicator, region, period, count(*) AS facts, sum(value) AS total "
        "FROM v_observation GROUP BY ALL ORDER BY facts DESC LIMIT 20"
    )
    con.execute(sql).fetchall()  # warm
    start = time.perf_counter()
    con.execute(sql).fetchall()
    seconds = time.perf_counter() - start
    con.close()
    return facts, seconds


def main() -> None:
    docs = int(os.environ.get("BENCH_DOCS", "10000"))
    workers = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 1)))
    target_facts = int(os.environ.get("BENCH_FACTS", "1000000"))
    sys.path.insert(0, str(ROOT))
    from bench.corpus import generate

    work = Path(tempfile.mkdtemp(prefix="unionfacts-bench-"))
    try:
        corpus = work / "corpus"
        start = time.perf_counter()
        generate(docs, corpus)
        print(f"corpus        {docs} reports generated in {time.perf_counter() - start:.1f} s ({corpus})")
        files = sorted(corpus.iterdir())
        chars, floor_s = jieba_floor(files, workers)
        jieba_rate = chars / floor_s
        print(
            f"jieba.lcut    {chars / 1e6:.1f} M chars in {floor_s:.1f} s on {workers} processes: "
            f"{jieba_rate / 1e6:.3f} M chars/s"
        )

        env = dict(
            os.environ,
            PREFECT_HOME=str(work / "prefect"),
            PREFECT_SERVER_ANALYTICS_ENABLED="false",
            GX_ANALYTICS_ENABLED="false",
            PREFECT_LOGGING_LEVEL="WARNING",
            PYTHONPATH=str(ROOT),
        )
        env.pop("PREFECT_API_URL", None)
        (work / "trivial.py").write_text(TRIVIAL_FLOW, encoding="utf-8")
        trivial = [sys.executable, str(work / "trivial.py"), str(workers)]
        timed(trivial, env)  # the first start creates Prefect's database
        starts = sorted(timed(trivial, env)[0] for _ in range(3))
        startup_s = starts[1]  # the median: one start varies by seconds on a shared machine
        print(
            f"startup       {startup_s:.1f} s (a trivial flow with one task on {workers} workers; median of "
            f"{', '.join(f'{s:.1f}' for s in starts)})"
        )

        warehouse = work / "warehouse" / "w.duckdb"
        run = [
            str(BIN / "unionfacts"),
            "run",
            "--inbox",
            str(corpus),
            "--warehouse",
            str(warehouse),
            "--workers",
            str(workers),
        ]
        run_s, peak_mb, out = timed(run, env)
        rate = chars / max(1e-9, run_s - startup_s)
        print(
            f"pipeline      {run_s:.1f} s end to end, {rate / 1e6:.3f} M chars/s without start-up, "
            f"peak {peak_mb:.0f} MB"
        )
        print("              " + "\n              ".join(out.strip().splitlines()[-4:]))
        noop_s, _, _ = timed(run, env)
        print(f"no-op rerun   {noop_s:.1f} s (trivial flow {startup_s:.1f} s)")
        facts, query_s = query_seconds(warehouse, target_facts)
        print(f"query         {query_s * 1000:.0f} ms for an aggregate over v_observation with {facts:,} facts")
        print(
            f"RESULT docs={docs} chars_per_s={rate:.0f} jieba_chars_per_s={jieba_rate:.0f} "
            f"ratio={rate / jieba_rate:.2f} noop_ratio={noop_s / startup_s:.2f} peak_rss_mb={peak_mb:.0f} "
            f"startup_s={startup_s:.1f} query_s={query_s:.3f}"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
