"""How a run's processes give memory back.

A run holds large frames for a few seconds at a time (the facts while they are validated, the
report's query results); freed, their memory should leave the process, not wait in an allocator's
free lists for data that never comes:
- pyarrow's default allocator (mimalloc) keeps the pages of freed Arrow data for reuse: a run reading
  its batches' Parquet files back held ≈ 260 MB more than the data it kept (≈ 140 MB with the C
  library's allocator, which returns large blocks at once). A run's Arrow data are a few large
  buffers per column: the system allocator costs no measurable time here.
- the C library's allocator returns its heap's free pages only when asked (malloc_trim): after
  validation and after publishing ≈ 100 MB each at 10,000 reports.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc


def use_system_allocator() -> None:
    """Arrow's later allocations in this process come from the C library's allocator (the memory of
    data already allocated is unaffected). Idempotent."""
    import pyarrow as pa

    if pa.default_memory_pool().backend_name != "system":
        pa.set_memory_pool(pa.system_memory_pool())


def give_back_freed_memory() -> None:
    """Collect unreachable objects, then return the C heap's free pages to the system (glibc only;
    elsewhere just the collection)."""
    gc.collect()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _malloc_trim():
    name = ctypes.util.find_library("c")
    try:
        return ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # not glibc
        return None
