"""The bad-input corpus (tests/bad_inputs/): each case is refused by the real CLI, in one line, changing nothing."""

from __future__ import annotations

import base64
import os
import re
import shutil
import socket
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from .conftest import DATA, missing_locations, run_egkg, tree_digest

CASES_DIR = Path(__file__).parent / "bad_inputs"
CASE_KEYS = {"about", "command", "mutation", "expect_exit", "expect_message", "line_of", "expect_absent", "xfail"}
# Placeholders a case may use besides {tmp}, {data}, {build} and {line}, and the fixture behind each.
PLACEHOLDERS = {"server": "http_stub", "closed_port": "closed_port", "busy_port": "busy_port"}
# The one summary line the CLI prints after the problems it found (kg_builder/cli.py: reports_errors).
SUMMARY = re.compile(r"^1 (problem\(s\)|SHACL violation\(s\)|inconsistency\(ies\)); nothing was written$")
PREFIX = {2: "error: ", 1: ("violation: ", "inconsistent: ")}
STUB_USER, STUB_PASSWORD = "egkg", "secret"
# Paths under /record/ that a request reached: how a test tells whether a SERVICE call left egkg.
RECORDED: list[str] = []
EMPTY_RESULTS = '{"head": {"vars": []}, "results": {"bindings": []}}'


def _cases() -> list:
    params = []
    for path in sorted(CASES_DIR.rglob("*.yaml")):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if "xfail" in case else []
        params.append(pytest.param(path, id=str(path.relative_to(CASES_DIR).with_suffix("")), marks=marks))
    return params


def test_corpus_is_well_formed():
    cases = _cases()
    assert len(cases) >= 40
    for param in cases:
        case = yaml.safe_load(param.values[0].read_text(encoding="utf-8"))
        assert set(case) <= CASE_KEYS and {"about", "command", "expect_exit", "expect_message"} <= set(case), param.id
        # A refusal is the point; exit 0 only in accepted/, where the case argues why.
        assert (case["expect_exit"] == 0) == param.id.startswith("accepted/"), param.id


# --- the stand-ins for remote servers -------------------------------------------------------------


class _Stub(BaseHTTPRequestHandler):
    """A SPARQL endpoint that misbehaves in the ways the cases name by path."""

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        path = self.path.split("?")[0]
        if path.startswith("/auth/"):
            expected = "Basic " + base64.b64encode(f"{STUB_USER}:{STUB_PASSWORD}".encode()).decode()
            if self.headers.get("Authorization") != expected:
                return self._send(401, "text/plain", "unauthorised", {"WWW-Authenticate": 'Basic realm="egkg"'})
            return self._send(200, "application/sparql-results+json", EMPTY_RESULTS)
        if path.startswith("/record/"):
            RECORDED.append(path)
            return self._send(200, "application/sparql-results+json", EMPTY_RESULTS)
        if path == "/stream":
            return self._stream_forever()
        if path == "/slow":
            time.sleep(2)
        pages = {
            "/html": (200, "text/html", "<html><body>It works!</body></html>"),
            "/list": (200, "application/sparql-results+json", "[1, 2, 3]"),
            "/error": (500, "text/plain", "boom: the store is on fire"),
        }
        self._send(*pages.get(path, (404, "text/plain", "no such page")))

    def _send(self, status: int, kind: str, body: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in {"Content-Type": kind, **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body.encode())

    def _stream_forever(self) -> None:
        """A 200 answer whose bindings never end, a row every 10 ms: no single read ever waits long."""
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(b'{"head": {"vars": ["x"]}, "results": {"bindings": [')
        row = b'{"x": {"type": "literal", "value": "again"}},'
        while True:
            try:
                self.wfile.write(row)
                self.wfile.flush()
            except OSError:
                return  # the client hung up, as it should
            time.sleep(0.01)

    do_GET = do_POST = do_PUT = _answer

    def log_message(self, *args: object) -> None:
        pass


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # the client hung up on /slow, as intended


@pytest.fixture(scope="module")
def http_stub():
    server = _QuietServer(("127.0.0.1", 0), _Stub)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def closed_port() -> str:
    with socket.socket() as probe:  # a port the system just handed out and nobody listens on
        probe.bind(("127.0.0.1", 0))
        return str(probe.getsockname()[1])


@pytest.fixture(scope="module")
def busy_port():
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        held.listen()
        yield str(held.getsockname()[1])


# --- applying a case -----------------------------------------------------------------------------


def _fill(text: str, places: dict[str, str]) -> str:
    # Plain replacement, not str.format: cases hold JSON and SPARQL braces.
    for name, value in places.items():
        text = text.replace("{" + name + "}", value)
    return text


def _content(step: dict, places: dict[str, str]) -> bytes:
    """`text` is written as UTF-8; `latin1` maps each character to one byte (for invalid UTF-8, NUL, a BOM)."""
    data = _fill(step["text"], places).encode("utf-8") if "text" in step else step["latin1"].encode("latin-1")
    return data * step.get("repeat", 1)


def _writable(path: Path) -> Path:
    if path.exists():
        path.chmod(path.stat().st_mode | 0o200)  # archived texts are read-only in the repository
    return path


def _mutate(steps: list[dict], places: dict[str, str], cleanup: list[Path]) -> None:
    for step in steps:
        (op, args), = step.items()

        def path(key: str, args: dict = args) -> Path:
            return Path(_fill(args[key], places))

        if op == "replace":
            target = _writable(path("file"))
            old = args["old"].encode("utf-8")
            new = _fill(args["new"], places).encode("utf-8") if "new" in args else args["new_latin1"].encode("latin-1")
            data = target.read_bytes()
            assert old in data, f"{args['old']!r} is not in {target.name}; update the case"
            target.write_bytes(data.replace(old, new, args.get("count", 1)))
        elif op in ("write", "append", "prepend"):
            target = _writable(path("file"))
            target.parent.mkdir(parents=True, exist_ok=True)
            old = target.read_bytes() if op != "write" and target.exists() else b""
            target.write_bytes(old + _content(args, places) if op != "prepend" else _content(args, places) + old)
            if target.stat().st_size > 10_000_000:
                cleanup.append(target)  # pytest keeps recent temporary directories; not 50 MB of them
        elif op == "line_endings":
            target = _writable(path("file"))
            lines = target.read_bytes().split(b"\n")
            count = args.get("count", len(lines) - 1)
            head = args["newline"].encode("ascii").join(lines[: count + 1])
            target.write_bytes(b"\n".join([head, *lines[count + 1 :]]))
        elif op == "copy":
            path("to").write_bytes(path("from").read_bytes())
        elif op == "mkdir":
            path("dir").mkdir(parents=True)
        elif op == "symlink":
            path("link").symlink_to(_fill(args["target"], places))
        else:
            raise AssertionError(f"unknown mutation {op!r}")


def _line_of(spec: dict, places: dict[str, str]) -> str:
    """1-based line of a text in a mutated file, counting line breaks as YAML does (CRLF, LF or CR)."""
    data = Path(_fill(spec["file"], places)).read_bytes()
    for number, line in enumerate(re.split(rb"\r\n|\r|\n", data), start=1):
        if spec["text"].encode("utf-8") in line:
            return str(number)
    raise AssertionError(f"{spec['text']!r} not in {spec['file']}")


@dataclass
class Prepared:
    """A case with its copies made and mutations applied, ready to run."""

    argv: list[str]
    places: dict[str, str]
    kept: dict[str, Path]  # data/ and build/ copies that must come out unchanged
    before: dict[str, dict[str, str]]
    cleanup: list[Path]


def _prepare(path: Path, request: pytest.FixtureRequest, tmp: Path) -> Prepared:
    """Copy data/ and the good build only when the case names them (like conftest's data_copy and previous_build)."""
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    places = {"tmp": str(tmp)}
    for name, fixture in PLACEHOLDERS.items():
        if "{" + name + "}" in text:
            places[name] = str(request.getfixturevalue(fixture))
    if "{data}" in text:
        shutil.copytree(DATA, tmp / "data")
        places["data"] = str(tmp / "data")
    if "{build}" in text:
        # Keep the build's relative symlinks (current -> .releases/...): a faithful copy, a third the size.
        shutil.copytree(request.getfixturevalue("good_build").out_dir, tmp / "build", symlinks=True)
        links = [os.readlink(link) for link in (tmp / "build").rglob("*") if link.is_symlink()]
        assert not any(os.path.isabs(target) for target in links), "a copy would share files with the good build"
        places["build"] = str(tmp / "build")
    cleanup: list[Path] = []
    _mutate(case.get("mutation") or [], places, cleanup)
    if "line_of" in case:
        places["line"] = _line_of(case["line_of"], places)
    argv = [_fill(str(arg), places) for arg in case["command"]]
    assert not missing_locations(argv), f"the case must pass {missing_locations(argv)} explicitly"
    kept = {name: Path(places[name]) for name in ("data", "build") if name in places}
    return Prepared(argv, places, kept, {name: tree_digest(where) for name, where in kept.items()}, cleanup)


def _run(prepared: Prepared):
    try:
        result = run_egkg(*prepared.argv, timeout=120)
        after = {name: tree_digest(where) for name, where in prepared.kept.items()}
        return result, after
    finally:
        for big in prepared.cleanup:
            big.unlink(missing_ok=True)  # pytest keeps recent temporary directories; not 50 MB files


@pytest.fixture(scope="module")
def started(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """Every selected case prepared, then run as many at a time as there are cores.

    An `egkg` process spends most of its second importing; the cases are independent, so running
    them side by side halves the wall time on two cores.
    """
    pool = ThreadPoolExecutor(max_workers=os.cpu_count() or 2)
    jobs: dict[Path, tuple[Prepared, Future] | BaseException] = {}
    for item in request.session.items:
        if getattr(item, "originalname", "") != "test_bad_input_is_refused_in_one_line":
            continue
        path = item.callspec.params["path"]
        try:
            prepared = _prepare(path, request, tmp_path_factory.mktemp(path.stem))
        except Exception as exc:  # noqa: BLE001 - reported by the case's own test
            jobs[path] = exc
            continue
        jobs[path] = (prepared, pool.submit(_run, prepared))
    yield jobs
    pool.shutdown(wait=True, cancel_futures=True)


@pytest.mark.parametrize("path", _cases())
def test_bad_input_is_refused_in_one_line(path: Path, started):
    job = started[path]
    if isinstance(job, BaseException):
        raise job
    prepared, future = job
    result, after = future.result()
    case = yaml.safe_load(path.read_text(encoding="utf-8"))
    places = prepared.places

    shown = f"$ egkg {' '.join(prepared.argv)}\n--- stdout\n{result.stdout[-2000:]}\n--- stderr\n{result.stderr[-2000:]}"
    assert "Traceback" not in result.stdout + result.stderr, shown
    assert result.returncode == case["expect_exit"], shown
    message = _fill(case["expect_message"], places)
    # Progress lines ("· stage") are not messages.
    lines = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("· ")]
    if case["expect_exit"] == 0:
        assert message in result.stdout and not any(line.startswith("error") for line in lines), shown
    else:
        assert result.stdout == "", shown
        assert len(lines) in (1, 2) and lines[0].startswith(PREFIX[case["expect_exit"]]), shown
        assert len(lines) == 1 or SUMMARY.match(lines[1]), shown
        assert message in lines[0], shown
    for name in prepared.kept:
        assert after[name] == prepared.before[name], f"{name}/ changed: {shown}"
    for absent in case.get("expect_absent", []):
        assert not Path(_fill(absent, places)).exists(), f"{absent} was created: {shown}"
    for where in prepared.kept.values():
        shutil.rmtree(where)  # passed; pytest keeps recent temporary directories, not 7 MB per case
