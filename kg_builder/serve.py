"""Serve the built store over the SPARQL 1.1 Protocol: the `oxigraph` server behind a checking front, and egkg's query page.

oxigraph 0.5.13's server runs SERVICE clauses and has no switch to stop it, so a public read-only
endpoint would fetch any URL a stranger names (server-side request forgery). The server therefore
listens on a private loopback port, and the address the user asked for is held by a small relay
(the standard library's HTTP server) that has rdflib's parser read every query and update first
(kg_builder.sparql_check) and refuses SERVICE and LOAD with 403. The same relay answers `/` and `/ui/...`
with egkg's own query page (kg_builder/serve_page: the library's questions, a vendored editor), so
the browser never loads oxigraph's stock page, which fetches its editor from other hosts.
"""

from __future__ import annotations

import ipaddress
import json
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import requests

from .errors import InputError
from .sparql_check import SERVICE_REFUSED, refusal

__all__ = ["library_document", "oxigraph_binary", "run_server", "server_command"]

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
# Form and query-string fields, and bodies by media type, that carry SPARQL in the 1.1 Protocol.
SPARQL_FIELDS = ("query", "update")
SPARQL_BODIES = {"application/sparql-query": "query", "application/sparql-update": "update"}
# Headers that describe one hop of the connection, not the message (RFC 9110 7.6.1); the relay sets its own.
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "host"}
MAX_BODY = 16 * 1024 * 1024  # far above any query; a larger request is not a query
PAGE_DIR = Path(__file__).parent / "serve_page"
# The page's files by URL path: a fixed list, so no request path ever names a file itself.
PAGE_FILES = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/ui/page.js": ("page.js", "text/javascript; charset=utf-8"),
    "/ui/page.css": ("page.css", "text/css; charset=utf-8"),
    "/ui/vendor/codemirror/codemirror.js": ("vendor/codemirror/codemirror.js", "text/javascript; charset=utf-8"),
    "/ui/vendor/codemirror/codemirror.css": ("vendor/codemirror/codemirror.css", "text/css; charset=utf-8"),
    "/ui/vendor/codemirror/sparql.js": ("vendor/codemirror/sparql.js", "text/javascript; charset=utf-8"),
}
LIBRARY_PATH = "/ui/library.json"
# The page may load nothing from another origin, even if a future edit tried to.
PAGE_POLICY = "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:"


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
    store: Path, bind: str, *, read_write: bool = False, timeout_s: int | None = None, cors: bool = False
) -> list[str]:
    """The command line of the oxigraph server on `bind` (host:port); queries read the default graph, the union."""
    command = [
        oxigraph_binary(), "serve" if read_write else "serve-read-only",
        "--location", str(store), "--bind", bind,  # the default graph already holds the union
    ]
    if timeout_s:
        command += ["--timeout-s", str(timeout_s)]
    if cors:
        command.append("--cors")
    return command


def run_server(
    store: Path, host: str, port: int, *, read_write: bool = False, timeout_s: int | None = None, cors: bool = False,
    say: Callable[[str], None] = print,
) -> int:
    """Serve until the server stops or a signal ends egkg; the exit code a shell expects (128 + N for signal N)."""
    if not (store / "CURRENT").is_file():
        raise InputError("no store here; run `egkg build` first", file=store)
    if not 0 < port < 65536:
        raise InputError(f"port {port} is out of range", field="--port")
    library_document()  # a broken query library is an error now, not a failing page later
    front = _listen(host, port, update_allowed=read_write)
    shown = _host_port(host, port)
    if not _only_loopback(front):
        say(f"warning: --host {host} makes the endpoint reachable from other machines; "
            "anyone who can reach this port can query the whole graph")
    backend_port = _free_loopback_port()
    received: list[int] = []
    started: list[subprocess.Popen] = []

    def stop(signum: int, _frame: object) -> None:
        # The server is egkg's child: a TERM, INT or HUP to egkg alone must not leave it holding the store.
        received.append(signum)
        for child in started:
            child.terminate()

    previous = {signum: signal.signal(signum, stop) for signum in STOP_SIGNALS}
    try:
        started.append(subprocess.Popen(server_command(store, f"127.0.0.1:{backend_port}", read_write=read_write,
                                                       timeout_s=timeout_s, cors=cors)))
        server = started[0]
        if received:
            server.terminate()  # the signal came while it was starting
        elif _wait_listening(backend_port, server):
            front.backend = f"http://127.0.0.1:{backend_port}"
            threading.Thread(target=front.serve_forever, daemon=True).start()
            mode = "read-write" if read_write else "read-only"
            say(f"serving {store} ({mode}): query UI http://{shown}/ , SPARQL endpoint http://{shown}/query ; "
                "Ctrl-C stops")
        else:
            server.terminate()  # not listening after 30 s; if it already exited, its own message says why
            say("error: the oxigraph server did not start")
        code = _wait(server, received)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for child in started:
            if child.poll() is None:
                child.kill()
                child.wait()
        if front.backend:  # shutdown() waits for serve_forever, which only runs once the server is up
            front.shutdown()
        front.server_close()
    if received:
        return 128 + received[0]
    # A server stopped by a signal reports -N; shells expect 128 + N.
    return 128 - code if code < 0 else code


def _wait(server: subprocess.Popen, received: list[int], grace_s: float = 10) -> int:
    """The server's exit code; once a stop signal came, the server has `grace_s` to end before it is killed."""
    stop_by = None
    while True:
        try:
            return server.wait(timeout=0.5)
        except subprocess.TimeoutExpired:
            if received and stop_by is None:
                stop_by = time.monotonic() + grace_s
            if stop_by is not None and time.monotonic() > stop_by:
                server.kill()


def _listen(host: str, port: int, *, update_allowed: bool) -> _Front:
    """The front server bound to host:port (IPv4 or IPv6, as the host resolves), or a one-line error."""
    try:
        family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError(f"cannot use {host!r} as an address to listen on ({exc})", field="--host") from None
    try:
        return _Front(address, family, update_allowed=update_allowed)
    except OSError as exc:
        raise InputError(f"cannot listen on {_host_port(host, port)} ({exc.strerror}); choose another --port",
                         field="--port") from None


def _host_port(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"  # IPv6 addresses go in brackets in URLs


def _only_loopback(front: _Front) -> bool:
    return ipaddress.ip_address(front.server_address[0].split("%")[0]).is_loopback


def _free_loopback_port() -> int:
    with socket.socket() as probe:  # the system's pick; the server takes it a moment later
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_listening(port: int, server: subprocess.Popen, seconds: float = 30) -> bool:
    """True once the server accepts connections; False if it exits first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and server.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            time.sleep(0.05)
    return False


class _Front(ThreadingHTTPServer):
    """The public address: checks each request, then relays it to the oxigraph server."""

    daemon_threads = True
    # socketserver's default backlog of 5 resets connections when fifty clients arrive at once.
    request_queue_size = socket.SOMAXCONN

    def __init__(self, address: tuple, family: int, *, update_allowed: bool):
        self.address_family = family  # read by the base class when it makes the socket
        self.update_allowed = update_allowed
        self.backend = ""
        super().__init__(address[:2] if family == socket.AF_INET else address, _Relay)

    def server_bind(self) -> None:
        if self.address_family == socket.AF_INET6:
            self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)  # "::1" means IPv6 loopback only
        super().server_bind()


class _Relay(BaseHTTPRequestHandler):
    """One request: refuse what must not run, relay the rest and stream the answer back."""

    server: _Front
    # HTTP/1.0: each answer ends when the connection closes, so oxigraph's streamed answers pass
    # through as they come without re-chunking them.
    protocol_version = "HTTP/1.0"

    def _handle(self) -> None:
        if self.command in ("GET", "HEAD") and self._page():
            return
        if self.headers.get("Transfer-Encoding"):
            return self._refuse(411, "send the request with a Content-Length")
        length = int(self.headers.get("Content-Length") or 0)
        if not 0 <= length <= MAX_BODY:
            return self._refuse(413, "request too large")
        body = self.rfile.read(length)
        reason = self._refusal(body)
        if reason:
            return self._refuse(403 if reason.endswith(SERVICE_REFUSED) else 400, reason)
        self._relay(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = do_PATCH = _handle

    def _refusal(self, body: bytes) -> str | None:
        """Why this request must not reach the server, or None."""
        try:
            texts = _sparql_texts(self.command, self.path, self.headers.get_content_type(), body)
        except UnicodeDecodeError:
            return "the request is not UTF-8"
        if texts is None:
            where = urlsplit(self.path).path
            return f"a {self.command} to {where} must be a form, application/sparql-query or sparql-update"
        for kind, text in texts:
            reason = refusal(text, update_allowed=kind == "update")
            if reason:
                return reason
        return None

    def _relay(self, body: bytes) -> None:
        headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
        try:
            answer = requests.request(self.command, self.server.backend + self.path, data=body, headers=headers,
                                      stream=True, allow_redirects=False, timeout=(10, None))
        except requests.RequestException:
            return self._refuse(502, "the SPARQL server is not answering")
        try:
            self.send_response(answer.status_code, answer.reason)
            for name, value in answer.raw.headers.items():
                if name.lower() not in HOP_BY_HOP and name.lower() not in ("server", "date"):
                    self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                for chunk in answer.raw.stream(64 * 1024, decode_content=False):
                    self.wfile.write(chunk)
        except OSError:
            pass  # the client hung up; nothing to tell it
        finally:
            answer.close()

    def _page(self) -> bool:
        """Answer a request for the query page or one of its files; False for anything else."""
        where = urlsplit(self.path).path
        if where == LIBRARY_PATH:
            body, kind = library_document(), "application/json; charset=utf-8"
        elif where in PAGE_FILES:
            name, kind = PAGE_FILES[where]
            body = (PAGE_DIR / name).read_bytes()
        else:
            return False
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Content-Security-Policy", PAGE_POLICY)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        return True

    def _refuse(self, status: int, reason: str) -> None:
        body = (" ".join(reason.split()) + "\n").encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass  # oxigraph's server logs nothing per request either


def _sparql_texts(method: str, target: str, content_type: str, body: bytes) -> list[tuple[str, str]] | None:
    """("query" | "update", text) for every SPARQL text in a request; None for a POST to the SPARQL
    paths in a form the check cannot read (the server would refuse it, but it is not relayed unread)."""
    url = urlsplit(target)
    texts = _fields(url.query)
    if method == "POST":
        if content_type == "application/x-www-form-urlencoded":
            texts += _fields(body.decode("utf-8"))
        elif content_type in SPARQL_BODIES:
            texts.append((SPARQL_BODIES[content_type], body.decode("utf-8")))
        elif url.path.rstrip("/") in ("/query", "/update"):
            return None
    return texts


def _fields(encoded: str) -> list[tuple[str, str]]:
    # parse_qs decodes names too, so "qu%65ry=" is read as "query", as the server reads it.
    fields = parse_qs(encoded, keep_blank_values=True, errors="strict")
    return [(name, text) for name in SPARQL_FIELDS for text in fields.get(name, [])]


_LIBRARY_CACHE: list[bytes] = []


def library_document() -> bytes:
    """The query library as the page reads it: questions (data-quality rules last) and the declared prefixes."""
    if not _LIBRARY_CACHE:
        from .output import QUERY_PREFIXES
        from .queries import load_library

        questions = [
            {
                "name": item.name, "topic": item.topic, "summary": item.summary, "description": item.description,
                "params": [{"name": p.name, "type": p.type, "description": p.description, "example": p.example}
                           for p in item.params.values()],
                # The #+ header is shown as the description; the editor gets the SPARQL itself.
                "text": "\n".join(line for line in item.text.splitlines() if not line.startswith("#+")).strip() + "\n",
            }
            for item in sorted(load_library().values(), key=lambda q: (q.is_check, q.topic, q.name))
        ]
        _LIBRARY_CACHE.append(json.dumps({"questions": questions, "prefixes": QUERY_PREFIXES}).encode("utf-8"))
    return _LIBRARY_CACHE[0]
