"""Operational plumbing of a run, not a stage: the per-file time budget, memory given back
to the system, and failpoints for crash tests. (The Prefect server and the temporary server that
`unionfacts run` starts are in unionfacts/server.py and unionfacts/temporary_server.py.)"""
