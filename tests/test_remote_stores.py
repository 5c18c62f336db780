"""Remote stores: push the build into real servers on loopback and run the whole library there.

The oxigraph server stands for any SPARQL 1.1 store; OpenLink Virtuoso is the engine large public
knowledge graphs run on. Both must answer every library query with the embedded store's rows.
"""

from __future__ import annotations

import os
import socket
import threading

import pytest

from kg_builder.engines import OxigraphEngine, RemoteEngine
from kg_builder.errors import InputError
from kg_builder.queries import load_library
from kg_builder.reason.rules import inferred_graphs
from kg_builder.run_query import run_library_query

from .conftest import run_egkg, source_quads
from .servers import oxigraph_server, virtuoso_available, virtuoso_server
from .test_queries import sample

LIBRARY = load_library()
COUNT_QUADS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'https://w3id.org/egkg/id/graph/')) }"


def assert_library_matches(remote: RemoteEngine, embedded: OxigraphEngine) -> None:
    mismatched = []
    for name, query in sorted(LIBRARY.items()):
        here = run_library_query(embedded, query, sample(query))
        there = run_library_query(remote, query, sample(query))
        if here.comparable() != there.comparable():
            mismatched.append(f"{name}: {len(here.rows)} rows here, {len(there.rows)} there")
    assert not mismatched, mismatched


def quad_count(engine) -> int:
    return int(engine.select(COUNT_QUADS).rows[0][0].value)


@pytest.fixture(scope="module")
def embedded(good_build) -> OxigraphEngine:
    return OxigraphEngine(good_build.out_dir / "store")


def test_oxigraph_server_by_graph_store_protocol(tmp_path, good_build, embedded):
    with oxigraph_server(tmp_path / "remote-store") as base:
        pushed = run_egkg("push", "--graph-store", f"{base}/store", "--build", good_build.out_dir)
        assert pushed.returncode == 0, pushed.stderr
        assert f"in {7 + len(inferred_graphs())} named graphs" in pushed.stdout  # 5 sources, ontology, gazetteer
        remote = RemoteEngine(f"{base}/query")
        assert quad_count(remote) == len(source_quads(embedded.store))
        assert_library_matches(remote, embedded)
        listed = run_egkg("query", "who-coordinated-with", "-p", "person=Edy hermanto", "--format", "csv",
                          "--endpoint", f"{base}/query", "--build", tmp_path / "no-build")  # only the server answers
        assert listed.returncode == 0 and "andap-budhi-revianto" in listed.stdout


def test_oxigraph_server_by_sparql_update_replaces_graphs(tmp_path, good_build, embedded):
    with oxigraph_server(tmp_path / "remote-store") as base:
        for _ in range(2):  # pushing twice must replace, not duplicate
            pushed = run_egkg("push", "--endpoint", f"{base}/update", "--build", good_build.out_dir)
            assert pushed.returncode == 0, pushed.stderr
        assert quad_count(RemoteEngine(f"{base}/query")) == len(source_quads(embedded.store))


needs_virtuoso = pytest.mark.skipif(
    not virtuoso_available() and os.environ.get("EGKG_SKIP_VIRTUOSO") == "1",
    reason="EGKG_SKIP_VIRTUOSO=1 and no virtuoso-t (make test installs it)",
)


@needs_virtuoso
def test_virtuoso_by_graph_store_protocol_and_update(tmp_path, good_build, embedded):
    with virtuoso_server(tmp_path / "virtuoso") as base:
        pushed = run_egkg("push", "--graph-store", f"{base}/sparql-graph-crud-auth", "--user", "dba",
                          "--password", "dba", "--build", good_build.out_dir)
        assert pushed.returncode == 0, pushed.stderr
        remote = RemoteEngine(f"{base}/sparql")
        assert quad_count(remote) == len(source_quads(embedded.store))
        assert_library_matches(remote, embedded)
        again = run_egkg("push", "--endpoint", f"{base}/sparql-auth", "--user", "dba", "--password", "dba",
                         "--build", good_build.out_dir)
        assert again.returncode == 0, again.stderr
        assert quad_count(remote) == len(source_quads(embedded.store))
        wrong = run_egkg("push", "--endpoint", f"{base}/sparql-auth", "--user", "dba", "--password", "nope",
                         "--build", good_build.out_dir)
        assert wrong.returncode == 2 and "refused the credentials (HTTP 401)" in wrong.stderr
        assert "Traceback" not in wrong.stderr


def test_a_server_that_never_answers_times_out():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    held = []
    stop = threading.Event()

    def accept_and_hold():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])  # accept, never answer
            except OSError:
                continue

    thread = threading.Thread(target=accept_and_hold, daemon=True)
    thread.start()
    try:
        with pytest.raises(InputError, match=r"did not answer within 1 s"):
            RemoteEngine(f"http://127.0.0.1:{port}/sparql", timeout=1).select("ASK {}")
    finally:
        stop.set()
        thread.join(timeout=5)
        for connection in held:
            connection.close()
        listener.close()
