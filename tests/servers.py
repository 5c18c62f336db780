"""Real SPARQL servers on loopback for the tests: the oxigraph server and OpenLink Virtuoso."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
OXIGRAPH = Path(sys.executable).parent / "oxigraph"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up within {seconds} s")


@contextmanager
def running(command: list[str], url: str):
    """Start a server process, wait until `url` answers, and always stop it."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        wait_for(url)
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)


@contextmanager
def oxigraph_server(store_dir: Path):
    """A read-write oxigraph server on an empty store: the stand-in for an institution's server."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    command = [str(OXIGRAPH), "serve", "--location", str(store_dir), "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    with running(command, f"{base}/query?query=ASK%7B%7D"):
        yield base


def virtuoso_available() -> bool:
    return shutil.which("virtuoso-t") is not None


@contextmanager
def virtuoso_server(workdir: Path):
    """A throwaway Virtuoso started by scripts/virtuoso.sh; dba/dba; Digest auth for writes."""
    http, sql = free_port(), free_port()
    script = ROOT / "scripts" / "virtuoso.sh"
    started = subprocess.run(["bash", str(script), "start", str(workdir), str(http), str(sql)],
                             capture_output=True, text=True, timeout=120)
    if started.returncode != 0:
        raise RuntimeError(f"virtuoso did not start: {started.stderr[-2000:]}")
    try:
        yield f"http://127.0.0.1:{http}"
    finally:
        subprocess.run(["bash", str(script), "stop", str(workdir)], capture_output=True, timeout=120)
