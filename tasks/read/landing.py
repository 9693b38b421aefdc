"""The landing area: the raw bytes of every file a run has read, stored by content hash.

`unionfacts run --reprocess` re-extracts published documents from here, so rule changes reach
every report even after its file has left the inbox. Blobs are written once (temp file + rename)
and never changed: `<landing>/<sha256[:2]>/<sha256>`.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def landing_dir(warehouse_path: str | Path) -> Path:
    """The landing area that belongs to a warehouse file: `landing/` beside it."""
    return Path(warehouse_path).resolve().parent / "landing"


def blob_path(landing: Path, sha256: str) -> Path:
    return Path(landing) / sha256[:2] / sha256


def store(landing: Path, sha256: str, data: bytes) -> Path:
    """Keep `data` under its hash; a blob already there is left as it is."""
    path = blob_path(landing, sha256)
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def find(landing: Path, sha256: str) -> Path | None:
    path = blob_path(landing, sha256)
    return path if path.is_file() else None
