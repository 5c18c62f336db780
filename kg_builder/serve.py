"""Serve the built store over the SPARQL 1.1 Protocol with the `oxigraph` server (and its query UI)."""

from __future__ import annotations

import shutil
import socket
import sys
from pathlib import Path

from .errors import InputError

__all__ = ["oxigraph_binary", "server_command"]


def oxigraph_binary() -> str:
    """The `oxigraph` CLI installed beside this Python (the PyPI `oxigraph` package), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise InputError("the `oxigraph` server is not installed; run `make run` (it installs oxigraph==0.5.13)", file="oxigraph")
    return found


def server_command(
    store: Path, host: str, port: int, *, read_write: bool = False, timeout_s: int | None = None, cors: bool = False
) -> list[str]:
    """The command line that serves `store`: read-only unless asked; queries read the default graph, the union."""
    if not (store / "CURRENT").is_file():
        raise InputError("no store here; run `egkg build` first", file=store)
    if not 0 < port < 65536:
        raise InputError(f"port {port} is out of range", field="--port")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise InputError(f"cannot listen on {host}:{port} ({exc.strerror}); choose another --port", field="--port") from None
    command = [
        oxigraph_binary(), "serve" if read_write else "serve-read-only",
        "--location", str(store), "--bind", f"{host}:{port}",  # the default graph already holds the union
    ]
    if timeout_s:
        command += ["--timeout-s", str(timeout_s)]
    if cors:
        command.append("--cors")
    return command
