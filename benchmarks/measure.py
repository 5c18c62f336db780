"""Run a command as a child process and measure its wall time and peak memory (RSS)."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Measured", "run_measured"]


@dataclass(frozen=True)
class Measured:
    """What one child process did: exit code, seconds, peak RSS in bytes, its output."""

    returncode: int
    seconds: float
    peak_rss: int
    stdout: str
    stderr: str
    timed_out: bool = False

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    def last_error(self) -> str:
        """The last non-empty line of stderr: the one-line error egkg prints."""
        lines = [line for line in self.stderr.splitlines() if line.strip()]
        return lines[-1] if lines else f"exit {self.returncode}"


def run_measured(command: list[str], *, timeout: float | None = None, cwd: Path | None = None,
                 env: dict[str, str] | None = None) -> Measured:
    """Run `command`; kill its whole process group after `timeout` seconds.

    Peak RSS comes from wait4(), which reports the child's own maximum resident set; a Java
    grandchild (HermiT) is measured by its own JVM heap limit instead, so we say so where it matters.
    """
    out_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"egkg-bench-{os.getpid()}-{time.monotonic_ns()}"
    start = time.perf_counter()
    with open(f"{out_path}.out", "w+b") as out, open(f"{out_path}.err", "w+b") as err:
        child = subprocess.Popen(command, stdout=out, stderr=err, cwd=cwd, env=env, start_new_session=True)
        fired = threading.Event()

        def kill() -> None:
            fired.set()
            try:
                os.killpg(child.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(child.pid, 0)
        if timer:
            timer.cancel()
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    for suffix in (".out", ".err"):
        Path(f"{out_path}{suffix}").unlink(missing_ok=True)
    return Measured(child.returncode, seconds, usage.ru_maxrss * 1024, stdout, stderr, fired.is_set())
