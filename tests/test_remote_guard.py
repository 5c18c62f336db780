"""What egkg sends elsewhere: no SERVICE request leaves it, no password shows in its output, no query runs forever."""

from __future__ import annotations

import time

import pytest

from kg_builder.engines import OxigraphEngine, RdflibEngine, RemoteEngine
from kg_builder.errors import InputError

from .conftest import run_egkg
from .test_bad_inputs import RECORDED, http_stub  # noqa: F401 - the stub endpoint fixture and what reached it

SERVICE_QUERIES = [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE SILENT <{url}> {{ ?s ?p ?x }} }} }}",
    "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    "ASK {{ FILTER EXISTS {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
    "select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
]


@pytest.fixture(scope="module")
def engines(good_build):
    return {"oxigraph": OxigraphEngine(good_build.out_dir / "store", time_limit=30),
            "rdflib": RdflibEngine(good_build.out_dir / "egkg.nq", time_limit=30)}


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
@pytest.mark.parametrize("template", SERVICE_QUERIES)
def test_no_service_request_leaves_an_engine(engines, engine, template, http_stub):  # noqa: F811
    url = f"{http_stub}/record/{engine}-{SERVICE_QUERIES.index(template)}"
    with pytest.raises(InputError, match=r"SERVICE <.*> is refused") as refused:
        engines[engine].select(template.format(url=url))
    assert "\n" not in str(refused.value)
    time.sleep(0.2)  # a request in flight would land by now
    assert not [path for path in RECORDED if path.endswith(url.rsplit("/", 1)[1])]


def test_the_word_service_in_strings_comments_and_iris_is_data(engines):
    text = ('PREFIX s: <http://example.org/SERVICE/> SELECT ?x WHERE { # SERVICE <http://127.0.0.1:9/>\n'
            ' BIND("SERVICE <http://127.0.0.1:9/> { }" AS ?x) FILTER(?x != s:SERVICE) }')
    for engine in engines.values():
        assert engine.select(text).rows[0][0].value.startswith("SERVICE")


def test_no_service_request_leaves_for_a_remote_endpoint(http_stub):  # noqa: F811
    url = f"{http_stub}/record/through-remote"
    with pytest.raises(InputError, match="is refused"):
        RemoteEngine(f"{http_stub}/record/endpoint").select(f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
    assert "/record/endpoint" not in RECORDED and "/record/through-remote" not in RECORDED


def test_time_limit_cuts_off_the_embedded_store_and_the_next_query_runs(engines):
    engine = OxigraphEngine(engines["oxigraph"].path, time_limit=1)
    started = time.monotonic()
    with pytest.raises(InputError, match="cut off after 1 s"):
        engine.select("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert time.monotonic() - started < 10
    assert len(engine.select("SELECT ?s WHERE { ?s ?p ?o } LIMIT 3").rows) == 3


def test_a_small_query_costs_little_in_a_child_process(engines):
    # What running each query in a killable child costs (see OxigraphEngine.select): budget 0.5 s.
    engine = engines["oxigraph"]
    started = time.monotonic()
    for _ in range(5):
        assert len(engine.select("SELECT ?m WHERE { ?m a <https://w3id.org/egkg/ontology#Meeting> }").rows) == 6
    assert (time.monotonic() - started) / 5 < 0.5


SECRET = "hunter2-not-to-be-shown"


@pytest.mark.parametrize("args", [
    ["query", "sources", "--endpoint", "http://egkg:{secret}@127.0.0.1:9/query"],
    ["query", "sources", "--endpoint", "http://127.0.0.1:9/query", "--user", "egkg", "--password", "{secret}"],
    ["sparql", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", "ftp://egkg:{secret}@127.0.0.1:9/query"],
    ["sparql", "SELECT * WHERE { ?s ?p ?o }", "--endpoint", "http://egkg:{secret}@[::1/query"],
    ["query", "sources", "--endpoint", "{server}/auth/query", "--user", "egkg", "--password", "{secret}"],
    ["query", "sources", "--endpoint", "http://egkg:{secret}@{host}/error"],
    ["push", "--graph-store", "http://egkg:{secret}@127.0.0.1:9/store"],
    ["push", "--endpoint", "http://egkg:{secret}@{host}/error", "--password", "{secret}", "--user", "egkg"],
], ids=["query-url", "query-password", "not-http", "malformed", "wrong-password", "server-error", "push-url",
        "push-error"])
def test_passwords_are_never_printed(args, http_stub, good_build):  # noqa: F811
    host = http_stub.removeprefix("http://")
    places = {"{secret}": SECRET, "{server}": http_stub, "{host}": host}
    argv = [_filled(arg, places) for arg in args] + ["--build", str(good_build.out_dir)]
    result = run_egkg(*argv, timeout=120)
    assert result.returncode == 2, result.stderr
    assert SECRET not in result.stdout + result.stderr
    assert "error:" in result.stderr and "Traceback" not in result.stderr


def _filled(text: str, places: dict[str, str]) -> str:
    for name, value in places.items():
        text = text.replace(name, value)  # not str.format: the queries hold braces
    return text


def test_push_success_line_hides_the_password(http_stub, good_build):  # noqa: F811
    from .test_bad_inputs import STUB_PASSWORD, STUB_USER

    url = f"http://{STUB_USER}:{STUB_PASSWORD}@{http_stub.removeprefix('http://')}/auth/store"
    result = run_egkg("push", "--graph-store", url, "--build", good_build.out_dir, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "pushed" in result.stdout and f"{STUB_USER}:***@" in result.stdout
    assert STUB_PASSWORD not in result.stdout + result.stderr
