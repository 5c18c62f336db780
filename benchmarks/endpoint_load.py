"""Endpoint load benchmark: concurrent clients send library queries to `egkg serve` and check every answer."""

# .venv/bin/python benchmarks/endpoint_load.py --clients 50 --queries 200 --build build
#
# Starts `egkg serve` (read-only) on loopback, cycles every client through the query library
# (parameterised queries with valid values), compares each answer with the embedded store's answer
# to the same text, and prints p50 / p95 / max latency, throughput, errors and the server's CPU
# time. A global deadline stops the clients by themselves if the server stalls.

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from kg_builder.engines import OxigraphEngine, Term  # noqa: E402
from kg_builder.queries import bind, load_library  # noqa: E402
from kg_builder.run_query import person_resolver  # noqa: E402

__all__ = ["LoadReport", "Request", "egkg_command", "free_port", "main", "run_load", "server_cpu_seconds", "serving", "workload"]

# Valid values for the library's parameters; optional ones are also sent unbound.
PARAM_VARIANTS: dict[str, list[dict[str, str]]] = {
    "who-coordinated-with": [{"person": "Edy Suharmanto"}, {"person": "person/andap-budhi-revianto"}],
    "meeting-detail": [{"meeting": "meeting/2024-11-06-rakor-pilkada-sultra"}],
    "fact-sources": [{"node": "participation/2024-11-06-rakor-pilkada-sultra/person-edy-suharmanto"}],
    "meetings-in-region": [{}, {"region": "74"}, {"from": "2024-11-01", "to": "2024-11-30"}],
    "acting-heads-met-security": [{"days": "10"}, {"days": "30"}],
    "regulation-chain": [{}, {"regulation": "regulation/uu/2016/10"}],
}
RESULTS_JSON = "application/sparql-results+json"


@dataclass(frozen=True)
class Request:
    """One query text as sent, with the rows the embedded store gives for it."""

    label: str
    text: str
    expected: tuple[tuple[str, ...], ...]


@dataclass
class LoadReport:
    """Latencies of the answered requests, the failures, and what was left undone at the deadline."""

    clients: int
    planned: int
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    compared: int = 0
    not_sent: int = 0
    seconds: float = 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] if ordered else float("nan")

    def summary(self) -> str:
        done = len(self.latencies)
        return (f"{self.clients} clients, {done}/{self.planned} answered in {self.seconds:.1f} s "
                f"({done / self.seconds if self.seconds else 0:.0f} queries/s); latency p50 {self.percentile(50) * 1000:.0f} ms, "
                f"p95 {self.percentile(95) * 1000:.0f} ms, max {max(self.latencies, default=0) * 1000:.0f} ms; "
                f"{len(self.errors)} error(s), {self.not_sent} not sent, {self.compared} answers compared row by row")


def workload(store: Path) -> list[Request]:
    """Every library query (checks included) with valid parameters, and its rows from the embedded store."""
    engine = OxigraphEngine(store)
    resolve = person_resolver(engine)
    requests_: list[Request] = []
    for name, query in sorted(load_library().items()):
        for values in PARAM_VARIANTS.get(name, [{}]):
            text = bind(query, values, resolve_person=resolve)
            label = name + "".join(f" {k}={v}" for k, v in values.items())
            requests_.append(Request(label, text, tuple(engine.select(text).comparable())))
    return requests_


def _term(binding: dict | None) -> Term | None:
    if binding is None:
        return None
    if binding["type"] == "uri":
        return Term("iri", binding["value"])
    if binding["type"] == "bnode":
        return Term("bnode", binding["value"])
    if binding.get("xml:lang"):
        return Term("literal", binding["value"], language=binding["xml:lang"])
    return Term("literal", binding["value"], datatype=binding.get("datatype", "http://www.w3.org/2001/XMLSchema#string"))


def _rows(document: dict) -> tuple[tuple[str, ...], ...]:
    columns = document["head"]["vars"]
    rows = [tuple("" if t is None else t.comparable() for t in (_term(b.get(c)) for c in columns))
            for b in document["results"]["bindings"]]
    return tuple(sorted(rows))


def run_load(endpoint: str, work: list[Request], clients: int, queries: int, *, deadline_s: float = 120,
             timeout_s: float = 30, compare_every: int = 1) -> LoadReport:
    """`clients` threads, each with its own HTTP session, send `queries` requests cycling through `work`.

    Every answer must be HTTP 200 SPARQL JSON with the expected number of rows; every
    `compare_every`-th one is also compared row by row. Clients stop at the deadline.
    """
    report = LoadReport(clients, clients * queries)
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    deadline = [0.0]

    def client(index: int) -> None:
        session = requests.Session()
        latencies, errors, compared, not_sent = [], [], 0, 0
        start.wait()
        for step in range(queries):
            if time.monotonic() > deadline[0]:
                not_sent = queries - step
                break
            # Clients start at different places in the library, so the server sees a mix at once.
            request = work[(index * 7 + step) % len(work)]
            sent = time.perf_counter()
            try:
                response = session.post(endpoint, data={"query": request.text}, headers={"Accept": RESULTS_JSON},
                                        timeout=timeout_s)
                latency = time.perf_counter() - sent
                if response.status_code != 200:
                    raise ValueError(f"HTTP {response.status_code}: {' '.join(response.text.split())[:120]}")
                document = response.json()
                count = len(document["results"]["bindings"])
                if count != len(request.expected):
                    raise ValueError(f"{count} rows, the embedded store gives {len(request.expected)}")
                if step % compare_every == 0:
                    compared += 1
                    if _rows(document) != request.expected:
                        raise ValueError("rows differ from the embedded store's")
                latencies.append(latency)
            except (requests.RequestException, ValueError, KeyError) as exc:
                errors.append(f"client {index} {request.label}: {type(exc).__name__}: {exc}")
        session.close()
        with lock:
            report.latencies += latencies
            report.errors += errors
            report.compared += compared
            report.not_sent += not_sent

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    began = time.monotonic()
    deadline[0] = began + deadline_s
    start.wait()
    for thread in threads:
        thread.join(max(0.0, deadline[0] + timeout_s + 5 - time.monotonic()))
    report.seconds = time.monotonic() - began
    stuck = sum(thread.is_alive() for thread in threads)
    if stuck:
        report.errors.append(f"{stuck} client(s) still running after the deadline")
    return report


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def egkg_command() -> str:
    beside = Path(sys.executable).parent / "egkg"
    return str(beside) if beside.is_file() else "egkg"


@contextmanager
def serving(build_dir: Path, port: int | None = None, *, timeout_s: int | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """`egkg serve` on loopback until the block ends; yields the base URL and the process."""
    port = port or free_port()
    command = [egkg_command(), "serve", "--port", str(port), "--build", str(build_dir)]
    command += ["--timeout-s", str(timeout_s)] if timeout_s else []
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        up_by = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"egkg serve exited with {process.returncode}: {process.stderr.read().decode()[-500:]}")
            try:
                if requests.get(f"{base}/query", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > up_by:
                raise RuntimeError(f"egkg serve did not answer on {base} within 30 s")
            time.sleep(0.1)
        yield base, process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=20)


def server_cpu_seconds(process: subprocess.Popen) -> float:
    """CPU time used so far by `egkg serve` and the oxigraph server it started (Linux /proc)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid, rest = stat.read_text().split(" ", 1)
        except OSError:
            continue
        fields = rest.rsplit(")", 1)[1].split()
        if int(pid) == process.pid or int(fields[1]) == process.pid:
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (threads)")
    parser.add_argument("--queries", type=int, default=200, help="queries per client")
    parser.add_argument("--build", type=Path, default=ROOT / "build", help="a build directory (with store/)")
    parser.add_argument("--port", type=int, default=None, help="port for egkg serve (default: a free one)")
    parser.add_argument("--deadline", type=float, default=600, help="stop sending after this many seconds")
    parser.add_argument("--compare-every", type=int, default=1, help="compare every n-th answer row by row")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.queries < 1 or args.compare_every < 1:
        parser.error("--clients, --queries and --compare-every must be at least 1")
    work = workload(args.build / "store")
    print(f"{len(work)} distinct requests from the query library", flush=True)
    with serving(args.build, args.port) as (base, process):
        cpu = server_cpu_seconds(process)
        report = run_load(f"{base}/query", work, args.clients, args.queries, deadline_s=args.deadline,
                          compare_every=args.compare_every)
        cpu = server_cpu_seconds(process) - cpu
    print(report.summary())
    print(f"server CPU {cpu:.1f} s ({cpu / max(1, len(report.latencies)) * 1000:.1f} ms per query) on {os.cpu_count()} core(s)")
    for error in report.errors[:10]:
        print(f"error: {error}")
    return 1 if report.errors or report.not_sent else 0


if __name__ == "__main__":
    sys.exit(main())
