"""`egkg serve` as a public endpoint: no SERVICE calls, IPv6, a warning when reachable from elsewhere, clean stops."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from .conftest import EGKG
from .servers import free_port
from .test_bad_inputs import RECORDED, http_stub  # noqa: F401 - the stub endpoint fixture and what reached it

RESULTS_JSON = "application/sparql-results+json"


def start(build_dir, *args: str) -> subprocess.Popen:
    # Its own session, so a stray child can be found and killed by the test, never by name.
    return subprocess.Popen([str(EGKG), "serve", "--build", str(build_dir), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True)


def wait_up(base: str, process: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read()
        try:
            if requests.get(f"{base}/query", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise AssertionError(f"{base} did not come up")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)
    for pid in session_members(process.pid):  # what a failed test left behind: only this test's own processes
        os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def served(good_build):
    port = free_port()
    process = start(good_build.out_dir, "--port", str(port))
    base = f"http://127.0.0.1:{port}"
    try:
        wait_up(base, process)
        yield base
    finally:
        stop(process)


@pytest.mark.parametrize("how", ["get", "form", "body"])
def test_serve_refuses_service_and_sends_nothing(served, http_stub, how):  # noqa: F811
    target = f"{http_stub}/record/serve-{how}"
    text = f"SELECT * WHERE {{ ?s ?p ?o . SERVICE <{target}> {{ ?s ?p ?x }} }} LIMIT 1"
    if how == "get":
        response = requests.get(f"{served}/query", params={"query": text}, headers={"Accept": RESULTS_JSON}, timeout=30)
    elif how == "form":
        response = requests.post(f"{served}/query", data={"query": text}, headers={"Accept": RESULTS_JSON}, timeout=30)
    else:
        response = requests.post(f"{served}/query", data=text.encode(), timeout=30,
                                 headers={"Accept": RESULTS_JSON, "Content-Type": "application/sparql-query"})
    assert response.status_code == 403 and "SERVICE" in response.text, (response.status_code, response.text[:300])
    time.sleep(0.2)
    assert f"/record/serve-{how}" not in RECORDED


def test_serve_still_answers_queries_and_serves_the_ui(served):
    text = "PREFIX egkg: <https://w3id.org/egkg/ontology#> SELECT ?m WHERE { ?m a egkg:Meeting }"
    response = requests.post(f"{served}/query", data={"query": text}, headers={"Accept": RESULTS_JSON}, timeout=30)
    assert response.status_code == 200 and len(response.json()["results"]["bindings"]) == 6
    page = requests.get(f"{served}/", timeout=10)
    assert page.status_code == 200 and "<html" in page.text.lower()


def test_serve_listens_on_ipv6_loopback(good_build):
    port = free_port()
    process = start(good_build.out_dir, "--host", "::1", "--port", str(port))
    try:
        wait_up(f"http://[::1]:{port}", process)
    finally:
        stop(process)
    assert "warning" not in process.stderr.read()


def test_serve_warns_when_reachable_from_other_machines(good_build):
    port = free_port()
    process = start(good_build.out_dir, "--host", "0.0.0.0", "--port", str(port))
    try:
        wait_up(f"http://127.0.0.1:{port}", process)
    finally:
        stop(process)
    lines = process.stderr.read().splitlines()
    assert any(line.startswith("warning: ") and "other machines" in line for line in lines), lines


def session_members(session: int) -> dict[int, str]:
    """pid -> command name of every live process in a session (Linux /proc; field 6 of stat is the session)."""
    members = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # it ended meanwhile
        name, fields = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :].split()
        if int(fields[3]) == session and fields[0] != "Z":
            members[int(stat.parent.name)] = name
    return members


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        # As a new server would: closed connections linger in TIME_WAIT, a listener blocks the bind.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=["TERM", "INT", "HUP"])
def test_a_signal_to_egkg_stops_the_oxigraph_child(good_build, signum):
    port = free_port()
    process = start(good_build.out_dir, "--port", str(port))
    try:
        wait_up(f"http://127.0.0.1:{port}", process)
        assert "oxigraph" in session_members(process.pid).values()
        os.kill(process.pid, signum)  # egkg only, not its process group
        assert process.wait(timeout=20) == 128 + signum
        deadline = time.monotonic() + 10
        while session_members(process.pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert session_members(process.pid) == {}, "left running"
        assert _port_is_free(port)
    finally:
        stop(process)


def test_read_write_serve_runs_updates_but_not_service_or_load(previous_build, http_stub):  # noqa: F811
    port = free_port()
    process = start(previous_build, "--port", str(port), "--read-write")
    base = f"http://127.0.0.1:{port}"
    update = {"Content-Type": "application/sparql-update"}
    try:
        wait_up(base, process)
        fine = requests.post(f"{base}/update", data="INSERT DATA { <urn:egkg:a> <urn:egkg:b> <urn:egkg:c> }",
                             headers=update, timeout=30)
        assert fine.status_code in (200, 204), fine.text
        for text in (f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{http_stub}/record/rw-service> {{ ?s ?p ?o }} }}",
                     f"LOAD <{http_stub}/record/rw-load>"):
            refused = requests.post(f"{base}/update", data={"update": text}, timeout=30)
            assert refused.status_code == 403, refused.text
        ask = requests.get(f"{base}/query", params={"query": "ASK { <urn:egkg:a> <urn:egkg:b> <urn:egkg:c> }"},
                           headers={"Accept": RESULTS_JSON}, timeout=30)
        assert ask.json()["boolean"] is True
    finally:
        stop(process)
    assert not [path for path in RECORDED if path.startswith("/record/rw-")]
