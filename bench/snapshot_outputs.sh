#!/bin/bash
# Everything the pipeline outputs, as text files to diff before and after a change:
#   bench/snapshot_outputs.sh OUTDIR            (then: diff -r OLD NEW)
# `unionfacts extract` on the samples and the labeled dev reports, `unionfacts numbers` on every line
# of them, and every table and view of a warehouse built from a generated corpus of 200 reports
# (bench/corpus.py), rows sorted, run ids and times left out.
set -e
OUT=$(realpath -m "$1"); mkdir -p "$OUT"
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
EVAL_DOCS=${EVAL_DOCS:-../shared/eval/dev/docs}
CORPUS=${CORPUS:-/tmp/unionfacts-snapshot-corpus}
WORK=/tmp/unionfacts-snapshot-work  # one fixed path: the warehouse records where files were
rm -rf "$WORK" && mkdir -p "$WORK"
trap 'rm -rf "$WORK"' EXIT
"$PY" -m unionfacts.cli extract seeds/reports/*.txt "$EVAL_DOCS"/* > "$OUT"/extract.jsonl
cat seeds/reports/*.txt "$EVAL_DOCS"/*.txt | "$PY" -m unionfacts.cli numbers --lines > "$OUT"/numbers.jsonl
if [ ! -d "$CORPUS" ]; then "$PY" bench/corpus.py 200 "$CORPUS" >/dev/null; fi
cp -r "$CORPUS" "$WORK/inbox"
"$PY" -m unionfacts.cli run --inbox "$WORK/inbox" --warehouse "$WORK/wh.duckdb" --workers 1 --no-report >/dev/null 2>&1
"$PY" - "$WORK/wh.duckdb" "$OUT" <<'PY'
import sys

import duckdb

con = duckdb.connect(sys.argv[1], read_only=True)
out = sys.argv[2]
VOLATILE = ("run_id", "_at", "loaded", "duration", "seconds", "flow_run")  # differ from run to run
readable = {}
for (name,) in con.execute("SELECT table_name FROM information_schema.tables ORDER BY 1").fetchall():
    try:
        readable[name] = [c[0] for c in con.execute(f'DESCRIBE "{name}"').fetchall()]
    except duckdb.Error:  # a view over the run's scratch files, gone after the run
        continue
with open(f"{out}/tables.txt", "w") as f:
    f.writelines(f"{name}: {columns}\n" for name, columns in readable.items())
for name, columns in readable.items():
    kept = [c for c in columns if not any(v in c for v in VOLATILE)]
    rows = con.execute(f'SELECT {", ".join(chr(34) + c + chr(34) for c in kept)} FROM "{name}" ORDER BY ALL').fetchall()
    with open(f"{out}/{name}.txt", "w") as f:
        f.writelines(repr(r) + "\n" for r in rows)
PY
