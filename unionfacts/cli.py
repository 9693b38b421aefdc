"""The `unionfacts` command: run, extract, numbers, query, correct, export, docs, report.

`extract`, `numbers`, `query`, `correct`, `export`, `docs` and `report` import neither Prefect nor
Great Expectations.
"""

from __future__ import annotations

import argparse
import atexit
import csv
import gc
import json
import os
import sys
import threading
from pathlib import Path
from typing import NoReturn

from tasks.operations.limits import DEFAULT_FILE_BUDGET_S
from tasks.seeds import DEFAULT_WAREHOUSE, PROJECT_ROOT, SAMPLE_REPORTS_DIR


def _prefect_defaults() -> None:
    """Offline, with Prefect's state kept in the project folder; on the project's server when
    `make server` runs (the run then shows in its UI), else on a temporary in-process one."""
    os.environ.setdefault("PREFECT_HOME", str(PROJECT_ROOT / ".prefect"))
    if "PREFECT_API_URL" not in os.environ:
        from unionfacts.server import running_api_url

        url = running_api_url()
        if url:
            os.environ["PREFECT_API_URL"] = url
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def cmd_run(args: argparse.Namespace) -> int:
    _prefect_defaults()
    from unionfacts.temporary_server import start_unless_configured

    gc.disable()  # imports create millions of objects that live as long as the run: no passes over them
    server = start_unless_configured()  # before Prefect is imported: it boots while this process imports
    from flows.ingest import ingest_reports
    from tasks.audit.validate import finish_background_import, import_in_background
    from tasks.operations.runners import task_runner
    from tasks.publish import warehouse  # noqa: F401
    from tasks.report import html_report  # noqa: F401 - the flow's process needs them (its workers do not)

    if server is not None:
        import_in_background()  # Great Expectations' seconds of imports, while the server boots
        try:
            server.wait_until_ready()
        except RuntimeError as exc:
            print(f"run failed: {exc}\nnothing was read or published", file=sys.stderr)
            return 1
    gc.freeze()  # what the imports made stays out of the collector's passes from here on
    gc.enable()
    warehouse_path = Path(args.warehouse).resolve()
    workers = args.workers or _default_workers(Path(args.inbox), args.reprocess)
    flow = ingest_reports.with_options(task_runner=task_runner(workers, args.dask_address))
    try:
        with _heartbeats_unless_temporary(server):
            summary = flow(
                inbox=str(Path(args.inbox).resolve()),
                warehouse_path=str(warehouse_path),
                batch_size=args.batch_size,
                reprocess=args.reprocess,
                sources=str(Path(args.sources).resolve()) if args.sources else None,
                html_report=args.html_report,
                file_budget_s=args.file_budget,
                progress_display="bar" if sys.stderr.isatty() else "lines",
            )
    except Exception as exc:
        print(
            f"run failed: {type(exc).__name__}: {exc}\n"
            f"nothing was published: {warehouse_path} is as it was before the run; run again to retry",
            file=sys.stderr,
        )
        return 1
    finally:
        finish_background_import()  # a run that read nothing never waited for it
        gc.unfreeze()  # a caller of main() exits with a full teardown (DuckDB's bindings check it)
    print("\n".join(summary.lines()))
    return 0


def _heartbeats_unless_temporary(server):
    """A flow run's heartbeats tell a server the run is still alive (to detect crashed runs). The
    command's temporary server ends with the command and nobody watches them there, while a run waits
    at its end for its heartbeat thread's current second of sleep (≈ 0.5 s on average): on a temporary
    server, runs send none. On a configured server (`make server`, a deployment's worker) they do."""
    from contextlib import nullcontext

    if server is None:
        return nullcontext()
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    return temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None})


PARALLEL_FROM_FILES = 200  # below this, a process pool's start-up (~10 s) costs more than it saves


def _default_workers(inbox: Path, reprocess: bool) -> int:
    """All cores for a big inbox (or a reprocess), threads in this process for a small one."""
    if reprocess:
        return os.cpu_count() or 1
    count = 0
    for _, _, files in os.walk(inbox):
        count += len(files)
        if count >= PARALLEL_FROM_FILES:
            return os.cpu_count() or 1
    return 1


def cmd_extract(args: argparse.Namespace) -> int:
    from tasks.extract.processing import process_file
    from tasks.read.inbox_files import FileRef, sha256_file

    status = 0
    for name in args.paths:
        path = Path(name)
        try:
            ref = FileRef(str(path), path.name, sha256_file(path), path.stat().st_size)
        except OSError as exc:
            print(f"{name}: {exc.strerror or exc}", file=sys.stderr)
            status = 1
            continue
        processed = process_file(ref)
        if processed.error:
            print(f"{name}: {processed.error}", file=sys.stderr)
            status = 1
            continue
        for fact in processed.facts:
            print(json.dumps(fact.as_dict(), ensure_ascii=False))
    return status


def cmd_numbers(args: argparse.Namespace) -> int:
    from tasks.extract.bounds import bounds
    from tasks.extract.numbers import QUANTITY_KINDS, scan

    if args.text is not None:
        chunks = [(None, args.text)]
    elif args.lines:
        chunks = [(n, line.rstrip("\n")) for n, line in enumerate(sys.stdin, 1)]
    else:
        chunks = [(None, sys.stdin.read())]
    for line_no, text in chunks:
        for span in scan(text):
            d = span.as_dict()
            if span.kind in QUANTITY_KINDS or span.kind == "number":  # bounds from the qualifier (docs/ARCHITECTURE.md)
                d["value_min"], d["value_max"] = bounds(span.text, span.value, span.value_high, span.qualifier)
            if line_no is not None:
                d["line"] = line_no
            print(json.dumps(d, ensure_ascii=False))
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from tasks.publish.warehouse import query

    if not Path(args.warehouse).exists():
        print(f"no warehouse at {args.warehouse}: run `unionfacts run` first", file=sys.stderr)
        return 2
    try:
        columns, rows = query(args.warehouse, args.sql)
    except Exception as exc:
        print(f"query failed: {exc}", file=sys.stderr)
        return 1
    if args.format == "json":
        for row in rows:
            print(json.dumps(dict(zip(columns, row)), ensure_ascii=False, default=str))
    elif args.format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        print(_table(columns, rows))
    return 0


def cmd_correct(args: argparse.Namespace) -> int:
    """Append a correction of a published fact (or a missed figure) to the corrections ledger."""
    from tasks.corrections import command, ledger
    from tasks.publish.warehouse import read_frames

    if not Path(args.warehouse).exists():
        print(f"no warehouse at {args.warehouse}: run `unionfacts run` first", file=sys.stderr)
        return 2
    requested = {option: getattr(args, option) for option in command.OPTION_FIELDS}
    try:
        names = read_frames(args.warehouse, ["region_names"])["region_names"]
        regions: dict[str, set[str]] = {}
        for name, code in names.itertuples(index=False):
            regions.setdefault(name, set()).add(code)
        if requested["region"] and len(regions.get(requested["region"], ())) > 1:
            codes = ", ".join(sorted(regions[requested["region"]]))
            raise command.CorrectionError(f"region {requested['region']!r} is ambiguous ({codes}): give its code")
        unique_regions = {name: next(iter(codes)) for name, codes in regions.items()}
        if args.add:
            key, fact, found_text = _fact_to_add(args, read_frames)
            requested = {option: getattr(args, option) for option in command.OPTION_FIELDS}  # with the defaults
            field_changes = [command.Change("fact", "", "added"), *command.changes(fact, requested, unique_regions)]
        else:
            key, fact = _fact_to_correct(args.warehouse, args.fact_id, read_frames)
            found_text = fact["text"]
            if args.not_a_fact:
                field_changes = [command.Change("fact", "", "removed")]
            elif args.restore:
                field_changes = [command.Change("fact", "removed", "restored")]
            else:
                field_changes = command.changes(fact, requested, unique_regions)
        if not field_changes:
            raise command.CorrectionError("nothing to change: give a new --value, --unit, … or --not-a-fact")
    except command.CorrectionError as exc:
        print(f"correct: {exc}", file=sys.stderr)
        return 2
    path = ledger.ledger_path(args.warehouse)
    ledger.append(path, command.rows(key, field_changes, args.reason, ledger.who(args.by), ledger.now()))
    for c in field_changes:
        print(f"{key} {found_text}: {c.field} {c.old_value or '—'} → {c.new_value}")
    print(f"recorded in {path}; applied at the next run (`unionfacts run`), which checks it like any fact")
    return 0


def _fact_to_correct(warehouse: str, fact_id: str | None, read_frames) -> tuple[str, dict]:
    from tasks.corrections import command

    if not fact_id:
        raise command.CorrectionError("name the fact: FACT_ID (a fact_key of v_observation), or --add FILE")
    short = command.split_id(fact_id) or ("", "")
    params = {"fact_id": fact_id, "key_prefix": short[0] or fact_id, "key_span": short[1] or "-"}
    found = read_frames(warehouse, ["fact_to_correct"], {"fact_to_correct": params})["fact_to_correct"]
    if not len(found):
        raise command.CorrectionError(f"no published fact {fact_id!r} (see fact_key in v_observation)")
    if found["fact_key"].nunique() > 1:
        raise command.CorrectionError(
            f"{fact_id!r} names several facts: " + ", ".join(found["fact_key"].unique()) + "; give more of the key"
        )
    row = found.iloc[0].to_dict()
    row = {k: (None if not isinstance(v, str) and v != v else v) for k, v in row.items()}  # NaN → None
    return row["fact_key"], row


def _fact_to_add(args: argparse.Namespace, read_frames) -> tuple[str, dict, str]:
    from tasks.corrections import command
    from tasks.extract.numbers import quantities
    from tasks.read.inbox_files import sha256_file

    if args.start is None or args.end is None or args.end <= args.start:
        raise command.CorrectionError("--add needs --start N --end M (M > N): the figure's offsets in the report")
    path = Path(args.add)
    sha = sha256_file(path) if path.is_file() else ""
    params = {"sha256": sha, "file_name": path.name}
    found = read_frames(args.warehouse, ["document_to_add_to"], {"document_to_add_to": params})["document_to_add_to"]
    if not len(found):
        raise command.CorrectionError(f"{args.add}: no current report of the warehouse has this content or name")
    doc = found.iloc[0]
    source = doc["source_text"] or ""
    if args.end > len(source):
        raise command.CorrectionError(
            f"--end {args.end} is past the end of {doc['file_name']} ({len(source)} characters)"
        )
    text = source[args.start : args.end]
    spans = quantities(text)
    guess = spans[0] if spans else None  # what the parser reads in the span: the defaults of --value, --unit
    if args.value is None and guess is None:
        raise command.CorrectionError(f"{text!r} holds no figure the parser reads: give --value and --unit")
    if guess is not None and args.value is None:  # the figure as the parser reads it
        args.value, args.qualifier = f"{guess.value:.12g}", args.qualifier or guess.qualifier
    if guess is not None and args.unit is None:
        args.unit = guess.unit
    if args.unit is None:
        raise command.CorrectionError("--add needs --unit (the parser found none in the span)")
    key = f"{doc['sha256']}:{args.start}-{args.end}"
    return key, {}, text


def cmd_export(args: argparse.Namespace) -> int:
    """The warehouse's views as a workbook, a CSV or a Parquet file (read-only)."""
    from tasks.publish.warehouse import connect_reader
    from tasks.report.export import ExportError, export

    if not Path(args.warehouse).exists():
        print(f"no warehouse at {args.warehouse}: run `unionfacts run` first", file=sys.stderr)
        return 2
    con = connect_reader(args.warehouse)
    try:
        counts = export(con, Path(args.out), args.view, chinese=args.headers == "chinese")
    except ExportError as exc:
        print(f"export: {exc}", file=sys.stderr)
        return 2
    finally:
        con.close()
    print(f"wrote {args.out}: " + ", ".join(f"{sheet} {n:,} rows" for sheet, n in counts.items()))
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    from tasks.audit.data_docs import docs_dir, front_page

    index = front_page(docs_dir(args.warehouse))
    if index is None:
        print(f"no Data Docs in {docs_dir(args.warehouse)}: run `unionfacts run` first", file=sys.stderr)
        return 2
    print(index)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from tasks.report.html_report import write_report

    if not Path(args.warehouse).exists():
        print(f"no warehouse at {args.warehouse}: run `unionfacts run` first", file=sys.stderr)
        return 2
    print(write_report(args.warehouse, args.out))
    return 0


def _table(columns: list[str], rows: list[tuple]) -> str:
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([_width(c)] + [_width(r[i]) for r in cells]) for i, c in enumerate(columns)]
    pad = lambda s, w: s + " " * (w - _width(s))
    lines = [" | ".join(pad(c, w) for c, w in zip(columns, widths)), "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(pad(v, w) for v, w in zip(r, widths)) for r in cells]
    lines.append(f"({len(rows)} rows)")
    return "\n".join(lines)


def _width(s: str) -> int:
    return sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in s)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="unionfacts", description="Statistics from Chinese trade-union reports.")
    sub = p.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run the ingest-reports flow (no server needed)")
    run.add_argument("--inbox", default=str(SAMPLE_REPORTS_DIR))
    run.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE))
    run.add_argument("--batch-size", type=int, default=0, help="files per task (default: about 4 batches a worker)")
    run.add_argument(
        "--workers",
        type=int,
        default=None,
        help="processes reading files in parallel (default: all cores; 1: threads in this process)",
    )
    run.add_argument(
        "--dask-address",
        metavar="tcp://HOST:PORT",
        help="read files on this Dask cluster instead (prefect-dask); DuckDB is still written here",
    )
    run.add_argument(
        "--sources",
        metavar="YAML",
        help="first fetch what is new from these HTTP sources into <inbox>/http/ (seeds/sources.yaml)",
    )
    run.add_argument(
        "--reprocess",
        action="store_true",
        help="also re-extract every published document from the landing area (after a rules change)",
    )
    run.add_argument(
        "--file-budget",
        type=float,
        default=DEFAULT_FILE_BUDGET_S,
        metavar="SECONDS",
        help="time one file may take to read and extract; a file past it is recorded as failed "
        f"and the run goes on (default {DEFAULT_FILE_BUDGET_S:g}; 0: no budget)",
    )
    run.add_argument(
        "--no-report",
        dest="html_report",
        action="store_false",
        help="do not rewrite the HTML report beside the warehouse after publishing",
    )
    run.set_defaults(fn=cmd_run)
    ex = sub.add_parser("extract", help="facts of report files as JSON lines (no warehouse)")
    ex.add_argument("paths", nargs="+")
    ex.set_defaults(fn=cmd_extract)
    nu = sub.add_parser("numbers", help="every numeric expression of a text as JSON lines")
    nu.add_argument("text", nargs="?")
    nu.add_argument("--lines", action="store_true", help="parse each stdin line on its own")
    nu.set_defaults(fn=cmd_numbers)
    q = sub.add_parser("query", help="read-only SQL on the warehouse")
    q.add_argument("sql")
    q.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE))
    q.add_argument("--format", choices=["table", "csv", "json"], default="table")
    q.set_defaults(fn=cmd_query)
    cor = sub.add_parser(
        "correct",
        help="record a correction of a published fact in corrections.csv beside the warehouse",
        description="FACT_ID is a fact_key of v_observation (or its short form: the sha256's first 8+ "
        "characters and the span, 52836323:154-158) or an observation_id. The correction is appended to "
        "corrections.csv beside the warehouse and applied at the next run.",
    )
    cor.add_argument("fact_id", nargs="?", metavar="FACT_ID")
    cor.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE))
    cor.add_argument("--reason", required=True, help="why: kept in the ledger and shown with the fact")
    cor.add_argument("--by", help="who corrects (default: $UNIONFACTS_USER, else the login name)")
    cor.add_argument("--value", help="the value in base units (12000, or as written: 1.2万)")
    cor.add_argument("--value-high", help="a range's upper end ('' removes it)")
    cor.add_argument("--unit", help="a unit of dim_unit (人, 元, % …)")
    cor.add_argument("--qualifier", help="exact, approx, more_than, less_than, at_least")
    cor.add_argument("--region", help="a region's name or code ('' removes it)")
    cor.add_argument("--period", help="a period label (2024, 2021-2025)")
    cor.add_argument("--indicator", help="an indicator code of dim_indicator")
    cor.add_argument("--subject", help="what is counted")
    cor.add_argument("--measure", help="level, total, average, share, change")
    cor.add_argument("--status", help="reported or target")
    cor.add_argument("--not-a-fact", action="store_true", help="remove the fact from v_observation")
    cor.add_argument("--restore", action="store_true", help="undo --not-a-fact")
    cor.add_argument("--add", metavar="FILE", help="add a figure the extractor missed: a report file (or its name)")
    cor.add_argument("--start", type=int, help="with --add: the figure's start offset in the report's text")
    cor.add_argument("--end", type=int, help="with --add: its end offset")
    cor.set_defaults(fn=cmd_correct)
    exp = sub.add_parser(
        "export",
        help="the views as a file people open: .xlsx (a sheet per view), .csv (UTF-8 with BOM) or .parquet",
        description="A workbook holds series, observations (with their sentences), conflicts, quarantine, "
        "corrections, rollups and documents; a .csv or .parquet file one view (default: series).",
    )
    exp.add_argument("--out", required=True, metavar="FILE", help="x.xlsx, x.csv or x.parquet")
    exp.add_argument(
        "--view", action="append", metavar="NAME", help="series, observations, conflicts, quarantine, … (repeatable)"
    )
    exp.add_argument("--headers", choices=["chinese", "sql"], default="chinese", help="column headers (not in Parquet)")
    exp.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE))
    exp.set_defaults(fn=cmd_export)
    docs = sub.add_parser("docs", help="path of the Great Expectations Data Docs of the last validations")
    docs.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE))
    docs.set_defaults(fn=cmd_docs)
    rep = sub.add_parser("report", help="write the HTML report of the published warehouse (self-contained)")
    rep.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE))
    rep.add_argument("--out", metavar="DIR", help="folder for index.html (default: report/ beside the warehouse)")
    rep.set_defaults(fn=cmd_report)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.fn(args)
    except BrokenPipeError:  # `unionfacts extract … | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def console(argv: list[str] | None = None) -> NoReturn:
    """The `unionfacts` command: main(), then exit_promptly()."""
    code = main(argv)
    exit_promptly(code)


def exit_promptly(code: int) -> NoReturn:
    """Exit as the interpreter would, without its teardown. After a run, freeing the heap object by
    object (pandas, Great Expectations, DuckDB, Prefect) takes the interpreter a second or more, for
    nothing: the run's files are written and closed, its connections closed, its outcome printed.
    What an exit does besides comes first, in the interpreter's order: non-daemon threads are joined
    (thread pools shut down), exit handlers run (Prefect's log and event flush, the temporary
    server's stop, logging's flush), standard streams are flushed. (A program calling main() keeps
    its interpreter.)"""
    threading._shutdown()  # what the interpreter runs first on exit: joins threads, shuts pools down
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # closed, or a reader that went away
            pass
    os._exit(code)


if __name__ == "__main__":
    console()
