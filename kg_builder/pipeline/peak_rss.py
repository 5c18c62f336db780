"""This process's peak resident memory since the last reset, from Linux's /proc (nothing elsewhere)."""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["peak_mib", "reset_peak"]

CLEAR_REFS = Path("/proc/self/clear_refs")
STATUS = Path("/proc/self/status")
_HIGH_WATER = re.compile(rb"^VmHWM:\s+(\d+) kB", re.MULTILINE)
# proc(5): writing 5 to clear_refs resets the peak RSS (VmHWM) to the current RSS (Linux >= 4.0).
_RESET_PEAK = b"5"


def reset_peak() -> bool:
    """Start a new high-water mark at the current RSS; False when this system cannot (then no peak is read)."""
    try:
        CLEAR_REFS.write_bytes(_RESET_PEAK)
    except OSError:
        return False
    return True


def peak_mib() -> float | None:
    """The highest resident set since the last reset, in MiB; None when /proc does not say."""
    try:
        found = _HIGH_WATER.search(STATUS.read_bytes())
    except OSError:
        return None
    return int(found.group(1)) / 1024 if found else None
