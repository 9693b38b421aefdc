"""The inbox: which files are there (with their content hashes), the published documents to read again
(--reprocess), and a file's bytes, checked against its hash and kept in the landing area."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tasks.read import landing
from tasks.read.decode import UnreadableFile

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class FileRef:
    path: str
    file_name: str
    sha256: str | None
    size_bytes: int | None
    error: str | None = None  # unreadable before decoding (permissions, vanished)
    document_id: str | None = None  # set when re-extracting a published document (--reprocess)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def discover(inbox: str | Path) -> list[FileRef]:
    """Every regular file under the inbox (hidden files and folders skipped), with its content hash.
    Links to folders are not followed; a link to a file is read only when it points inside the
    inbox (a link elsewhere, such as to /etc/passwd, is recorded with its reason, never read)."""
    refs = []
    root = Path(inbox)
    real_root = root.resolve()
    found = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found += [Path(folder, f) for f in files if not f.startswith(".")]
    for path in sorted(found):
        name = str(path.relative_to(root))
        try:
            if path.is_symlink() and not path.resolve().is_relative_to(real_root):
                refs.append(
                    FileRef(
                        str(path), name, None, None, error="symbolic link to a file outside the inbox: not followed"
                    )
                )
                continue
            if not path.is_file():
                continue  # a named pipe, a socket, a device, a dangling link: nothing to read
            refs.append(FileRef(str(path), name, sha256_file(path), path.stat().st_size))
        except OSError as exc:
            refs.append(FileRef(str(path), name, None, None, error=f"unreadable: {exc.strerror or exc}"))
    return refs


def landed_refs(documents: "pd.DataFrame", landing_area: Path) -> list[FileRef]:
    """Refs to re-read published documents: their bytes in the landing area, else the inbox path they
    were last seen at (checked against the hash when read), else an error saying they are gone."""
    refs = []
    for row in documents.itertuples(index=False):
        blob = landing.find(landing_area, row.sha256)
        if blob is not None:
            refs.append(FileRef(str(blob), row.file_name, row.sha256, blob.stat().st_size, document_id=row.document_id))
        elif isinstance(row.path, str) and Path(row.path).is_file():
            refs.append(
                FileRef(row.path, row.file_name, row.sha256, Path(row.path).stat().st_size, document_id=row.document_id)
            )
        else:
            refs.append(
                FileRef(
                    row.path or "",
                    row.file_name,
                    row.sha256,
                    None,
                    document_id=row.document_id,
                    error="raw bytes not in the landing area and the file is gone: facts kept as published",
                )
            )
    return refs


def document_id(file_name: str, sha256: str) -> str:
    return hashlib.sha256(f"{file_name}\0{sha256}".encode()).hexdigest()[:32]


def read_bytes(ref: FileRef, max_bytes: int, landing_area: Path | None = None) -> bytes:
    """The file's bytes, checked against the hash it was discovered with, kept in the landing area."""
    if ref.size_bytes is not None and ref.size_bytes > max_bytes:
        raise UnreadableFile(f"file too large: {ref.size_bytes} bytes > limit {max_bytes}")
    with open(ref.path, "rb") as fh:
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise UnreadableFile(f"file too large: more than {max_bytes} bytes")
    if ref.sha256 and hashlib.sha256(data).hexdigest() != ref.sha256:
        raise UnreadableFile("file changed while it was being read (it is read again next run)")
    if landing_area is not None and ref.sha256 and data:
        landing.store(landing_area, ref.sha256, data)
    return data
