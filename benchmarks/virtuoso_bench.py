"""A throwaway OpenLink Virtuoso for the benchmarks: start it, bulk-load a build's N-Quads, read its peak memory, stop it."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kg_builder.engines import RemoteEngine
from kg_builder.pipeline.release_files import graph_shares

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "virtuoso.sh"
PAGE = 8192  # bytes of one Virtuoso buffer (NumberOfBuffers counts these)
MIN_BUFFERS = 10_000  # the script's default, 80 MiB
# Every quad, whatever graph: the loaded share is the difference from a fresh database (whose
# system graphs hold a few thousand quads of Virtuoso's own).
COUNT_ALL = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
# The bulk loader files a line without a graph here; egkg's N-Quads have none, so it stays empty.
NO_GRAPH = "urn:egkg:bench:no-graph"

__all__ = ["Server", "available", "bulk_load", "buffers_for", "nquads_files", "server"]


def available() -> bool:
    return shutil.which("virtuoso-t") is not None and shutil.which("isql-vt") is not None


def nquads_files(build: Path) -> list[Path]:
    """The build's N-Quads as files to load, without writing into the build.

    egkg.nq when the release has it; else (an incremental build at scale leaves it to be merged on
    first read, which `nquads_file` would write into the build) the per-graph shares under cache/,
    which hold the same lines.
    """
    whole = build / "egkg.nq"
    if whole.is_file():
        return [whole.resolve()]
    shares = graph_shares(build)
    if not shares:
        raise SystemExit(f"{build} has neither egkg.nq nor its shares; run `egkg build --full`")
    return [path.resolve() for _, path in shares]


def buffers_for(files: list[Path]) -> int:
    """Cache pages for a load: as many bytes as the N-Quads (the database comes out smaller, so it
    stays in memory), at most a quarter of the machine's memory."""
    size = sum(path.stat().st_size for path in files)
    quarter = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 4
    return max(MIN_BUFFERS, min(size, quarter) // PAGE)


@dataclass
class Server:
    """A running instance: its database directory, ports, process id and start environment."""

    directory: Path
    http: int
    sql: int
    env: dict[str, str]
    pid: int = 0
    peak: int = 0  # the highest VmHWM of the instances restarted away

    def start(self) -> None:
        """Start virtuoso-t on the database in `directory` (a new one when the directory is empty)."""
        started = subprocess.run(["bash", str(SCRIPT), "start", str(self.directory), str(self.http), str(self.sql)],
                                 capture_output=True, text=True, timeout=300, env=self.env)
        if started.returncode != 0:
            raise RuntimeError(f"virtuoso did not start: {started.stderr.strip()[-1500:]}")
        self.pid = int(started.stdout.split()[-1])

    def restart(self) -> float:
        """Kill the instance and start it again on the same database; seconds taken.

        For a query its client gave up on, which the server would go on running. SIGKILL, not the
        script's stop: its checkpoint and SIGTERM wait for that query. Safe here because the load
        ended with a checkpoint and the queries since only read.
        """
        started = time.perf_counter()
        self.peak = max(self.peak, self.peak_rss() or 0)
        os.kill(self.pid, signal.SIGKILL)
        while Path(f"/proc/{self.pid}").exists() and "Z" not in _state(self.pid):
            time.sleep(0.1)
        for attempt in range(5):  # one trial restart found its port still taken for a moment
            try:
                self.start()
                break
            except RuntimeError:
                if attempt == 4:
                    raise
                time.sleep(2)
        return time.perf_counter() - started

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.http}/sparql"

    def isql(self, script: str, timeout: float) -> str:
        """Run SQL statements through isql-vt (what the bulk loader is driven by); its output."""
        path = self.directory / f"script-{time.monotonic_ns()}.sql"
        path.write_text(script, encoding="utf-8")
        done = subprocess.run(["isql-vt", f"127.0.0.1:{self.sql}", "dba", "dba", str(path)],
                              capture_output=True, text=True, timeout=timeout)
        # isql-vt goes on after a failed statement and still exits 0: its errors are on stdout.
        if done.returncode != 0 or "*** Error" in done.stdout:
            raise RuntimeError(f"isql-vt failed: {(done.stdout + done.stderr).strip()[-1500:]}")
        return done.stdout

    def peak_rss(self) -> int | None:
        """virtuoso-t's peak resident set (VmHWM) in bytes, over restarts too; None when unreadable."""
        try:
            status = Path(f"/proc/{self.pid}/status").read_text()
        except OSError:
            return self.peak or None
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                return max(self.peak, int(line.split()[1]) * 1024)
        return self.peak or None


def _state(pid: int) -> str:
    """The State: line of a process ("" once it is gone)."""
    try:
        return next((line for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                     if line.startswith("State:")), "")
    except OSError:
        return ""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def server(directory: Path, buffers: int, readable: list[Path]) -> Iterator[Server]:
    """A fresh instance in `directory` (emptied first) that may read files under `readable`; always stopped."""
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    http, sql = _free_port(), _free_port()
    env = os.environ | {"VIRTUOSO_BUFFERS": str(buffers),
                        "VIRTUOSO_DIRS_ALLOWED": ", ".join(sorted({str(p) for p in readable}))}
    try:
        running = Server(directory, http, sql, env)
        running.start()
        yield running
    finally:  # also after Ctrl-C, and when the start itself was interrupted (the pid file says what to stop)
        subprocess.run(["bash", str(SCRIPT), "stop", str(directory)], capture_output=True, timeout=600)


def _sql_text(path: Path) -> str:
    """A path as an SQL string literal (our own build's paths, quoted all the same)."""
    return "'" + str(path).replace("'", "''") + "'"


def count_lines(files: list[Path]) -> int:
    total = 0
    for path in files:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 24):
                total += chunk.count(b"\n")
    return total


def bulk_load(target: Server, files: list[Path], timeout: float = 6 * 3600) -> dict:
    """Load `files` with Virtuoso's bulk loader (ld_add, rdf_loader_run, checkpoint), timed.

    Returns seconds for the loader and the checkpoint, the quads in the files and the quads that
    arrived; raises when the loader reports a file it could not load.
    """
    counter = RemoteEngine(target.endpoint, timeout=timeout)
    before = int(counter.select(COUNT_ALL).rows[0][0].value)
    listing = "".join(f"ld_add({_sql_text(path)}, {_sql_text(NO_GRAPH)});\n" for path in files)
    started = time.perf_counter()
    target.isql(listing + "rdf_loader_run();\n", timeout)
    loaded = time.perf_counter()
    target.isql("checkpoint;\n", timeout)
    finished = time.perf_counter()
    failed = target.isql("SELECT ll_file, ll_error FROM DB.DBA.LOAD_LIST WHERE ll_error IS NOT NULL;\n", 600)
    if "0 Rows." not in failed:
        raise RuntimeError(f"the bulk loader reported errors: {failed.strip()[-1500:]}")
    after = int(counter.select(COUNT_ALL).rows[0][0].value)
    return {
        "files": len(files), "bytes": sum(p.stat().st_size for p in files), "input_quads": count_lines(files),
        "quads": after - before, "loader_s": loaded - started, "checkpoint_s": finished - loaded,
        "seconds": finished - started,
    }
