"""The peak resident memory of this process while a stretch of code runs, from Linux's /proc (nothing elsewhere).

Not by resetting the high-water mark (writing 5 to /proc/self/clear_refs): that also erases the peak
the parent reads when the process ends (wait4's ru_maxrss, `/usr/bin/time -v`, the benchmark's
whole-build figure). Instead: when the process's high-water mark (VmHWM) rose while the code ran,
that is its peak, exactly; otherwise the highest of VmRSS sampled every INTERVAL_S by a thread,
which misses a rise and fall shorter than a sample (or made while native code holds the GIL).
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

__all__ = ["INTERVAL_S", "PeakWatch"]

STATUS = Path("/proc/self/status")
INTERVAL_S = 0.05
_FIELD = re.compile(rb"^(VmHWM|VmRSS):\s+(\d+) kB", re.MULTILINE)

_lock = threading.Lock()
_open: list[PeakWatch] = []  # the watches running now (stages nest)
_stop_sampling: threading.Event | None = None  # set to stop the running sampler thread


def _memory_mib() -> dict[bytes, float] | None:
    """VmHWM and VmRSS in MiB; None when /proc does not say."""
    try:
        fields = {name: int(kib) / 1024 for name, kib in _FIELD.findall(STATUS.read_bytes())}
    except OSError:
        return None
    return fields if len(fields) == 2 else None


class PeakWatch:
    """The highest RSS from `start()` to `stop()`."""

    def __init__(self, memory: dict[bytes, float]):
        self._high_water_before = memory[b"VmHWM"]
        self.sampled = memory[b"VmRSS"]

    @classmethod
    def start(cls) -> PeakWatch | None:
        """A running watch, or None where /proc cannot be read (then nothing is measured)."""
        memory = _memory_mib()
        if memory is None:
            return None
        watch = cls(memory)
        with _lock:
            _open.append(watch)
            if _stop_sampling is None:
                _start_sampler()
        return watch

    def stop(self) -> float | None:
        """The peak in MiB since start(); None if /proc stopped answering."""
        global _stop_sampling
        memory = _memory_mib()
        with _lock:
            _open.remove(self)
            if not _open and _stop_sampling is not None:
                _stop_sampling.set()
                _stop_sampling = None
        if memory is None:
            return None
        if memory[b"VmHWM"] > self._high_water_before:
            return memory[b"VmHWM"]  # the process's peak rose during the watch: it is the watch's peak
        return max(self.sampled, memory[b"VmRSS"])


def _start_sampler() -> None:
    """One daemon thread samples VmRSS for every open watch until the last one stops (call with _lock held)."""
    global _stop_sampling
    stop = _stop_sampling = threading.Event()
    threading.Thread(target=_sample_until, args=(stop,), name="peak-rss", daemon=True).start()


def _sample_until(stop: threading.Event) -> None:
    while not stop.wait(INTERVAL_S):
        memory = _memory_mib()
        if memory is None:
            return
        with _lock:
            for watch in _open:
                watch.sampled = max(watch.sampled, memory[b"VmRSS"])
