"""Asking questions the way people name things: parts of names, region abbreviations, bare prefixes, any query form."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from kg_builder.engines import OxigraphEngine, RdflibEngine
from kg_builder.queries import load_library
from kg_builder.run_query import run_library_query

from .conftest import run_egkg

ID = "https://w3id.org/egkg/id/"


def answer(build, *args: str) -> list[dict[str, str]]:
    result = run_egkg(*args, "--format", "json", "--build", build)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    return [{k: v["value"] for k, v in b.items()} for b in document["results"]["bindings"]]


def refused(build, *args: str) -> str:
    result = run_egkg(*args, "--build", build)
    assert result.returncode == 2 and not result.stdout and "Traceback" not in result.stderr, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("spelling", ["Suharmanto", "suharmanto", "EDY SUHAR", "Édy Suhármanto", "edy hermanto"])
def test_a_person_is_found_by_any_part_of_a_name_or_alias(spelling, good_build):
    rows = answer(good_build.out_dir, "query", "who-coordinated-with", "-p", f"person={spelling}")
    assert rows and {r["person"] for r in rows} == {ID + "person/edy-suharmanto"}


def test_an_ambiguous_or_unknown_person_gets_a_did_you_mean_list(good_build):
    several = refused(good_build.out_dir, "query", "who-coordinated-with", "-p", "person=an")
    assert "matches" in several and "Andap Budhi Revianto" in several and "Bambang Arwanto" in several
    typo = refused(good_build.out_dir, "query", "who-coordinated-with", "-p", "person=Suharmnto")
    assert "no person named 'Suharmnto'; did you mean: Edy Suharmanto" in typo


@pytest.mark.parametrize(("spelling", "code"), [
    ("Sultra", "74"), ("sulawesi tenggara", "74"), ("Kaltim", "64"), ("Kukar", "64.02"),
    ("Kutai Kartanegara", "64.02"), ("Kabupaten Kutai Kartanegara", "64.02"), ("Kota Kendari", "74.71"),
])
def test_a_region_is_found_by_name_or_abbreviation(spelling, code, good_build):
    build = good_build.out_dir
    by_name = answer(build, "query", "meetings-in-region", "-p", f"region={spelling}")
    by_code = answer(build, "query", "meetings-in-region", "-p", f"region={code}")
    assert by_name == by_code and by_code


def test_an_ambiguous_or_unknown_region_is_refused_with_candidates(good_build):
    several = refused(good_build.out_dir, "query", "meetings-in-region", "-p", "region=Sulawesi")
    assert "matches 5 regions" in several and "Sulawesi Tenggara (74)" in several
    unknown = refused(good_build.out_dir, "query", "meetings-in-region", "-p", "region=Kaltin")
    assert "no region named 'Kaltin'" in unknown and "did you mean" in unknown


def test_sparql_has_the_project_prefixes_declared(good_build):
    build = good_build.out_dir
    rows = answer(build, "sparql", "SELECT ?m WHERE { ?m a egkg:Meeting ; egkg:inRegion/rdfs:label ?where }")
    assert len(rows) == 6
    # A user's own declaration of a predeclared name wins and is not declared twice.
    own = answer(build, "sparql", "PREFIX egkg: <https://w3id.org/egkg/ontology#>\nSELECT ?m WHERE { ?m a egkg:Meeting }")
    assert len(own) == 6


@pytest.mark.parametrize(("text", "message"), [
    ("SELECT ?s WHERE { ?s nope:thing ?o }", "unknown prefix 'nope:' at 1:22 (line:column)"),
    ("SELECT ?s\nWHERE { ?s ?p }", "SPARQL syntax error at 2:9 (line:column)"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", "SERVICE <http://127.0.0.1:9/x> is refused"),
    ("ASK { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", "SERVICE <http://127.0.0.1:9/x> is refused"),
    ("DESCRIBE ?s WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", "SERVICE <http://127.0.0.1:9/x> is refused"),
    ("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "only queries are run"),
])
def test_sparql_errors_are_one_readable_line_with_the_position(text, message, good_build):
    line = refused(good_build.out_dir, "sparql", text)
    assert message in line and len(line) < 300, line


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_ask_answers_yes_or_no_and_exits_0(engine, good_build):
    build = good_build.out_dir
    runs = {fmt: run_egkg("sparql", text, "--engine", engine, "--format", fmt, "--build", build)
            for fmt in ("table", "csv", "json") for text in ["ASK { ?m a egkg:Meeting }"]}
    assert all(r.returncode == 0 for r in runs.values()), [r.stderr for r in runs.values()]
    assert runs["table"].stdout == "yes\n" and runs["csv"].stdout == "true\n"
    assert json.loads(runs["json"].stdout) == {"head": {}, "boolean": True}
    no = run_egkg("sparql", "ASK { ?m a egkg:Nothing }", "--engine", engine, "--build", build)
    assert no.returncode == 0 and no.stdout == "no\n"


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_construct_and_describe_write_turtle_or_ntriples(engine, good_build):
    build = good_build.out_dir
    text = "CONSTRUCT { ?m rdfs:label ?l } WHERE { ?m a egkg:Meeting ; rdfs:label ?l }"
    as_turtle = run_egkg("sparql", text, "--engine", engine, "--build", build)
    as_nt = run_egkg("sparql", text, "--engine", engine, "--format", "nt", "--build", build)
    assert as_turtle.returncode == 0 and as_nt.returncode == 0, as_turtle.stderr + as_nt.stderr
    from_turtle = set(ox.parse(as_turtle.stdout.encode(), format=ox.RdfFormat.TURTLE))
    from_nt = set(ox.parse(as_nt.stdout.encode(), format=ox.RdfFormat.N_TRIPLES))
    assert from_turtle == from_nt and len(from_nt) >= 6
    assert "@prefix rdfs:" in as_turtle.stdout
    described = run_egkg("sparql", f"DESCRIBE <{ID}person/edy-suharmanto>", "--engine", engine, "--format", "nt",
                         "--build", build)
    assert described.returncode == 0 and f"<{ID}person/edy-suharmanto>" in described.stdout, described.stderr
    assert "as a graph" not in described.stderr
    csv = refused(build, "sparql", text, "--format", "csv")
    assert "use --format ttl" in csv


@pytest.fixture(scope="module")
def engines(good_build):
    return OxigraphEngine(good_build.out_dir / "store"), RdflibEngine(good_build.out_dir / "egkg.nq")


@pytest.mark.parametrize("kind", ["person", "institution"])
def test_pair_question_keeps_one_kind_of_party(kind, engines):
    oxigraph, rdflib_engine = engines
    pairs = load_library()["who-coordinated-with-whom"]
    found = run_library_query(oxigraph, pairs, {"kind": kind})
    assert found.comparable() == run_library_query(rdflib_engine, pairs, {"kind": kind}).comparable()
    everyone = run_library_query(oxigraph, pairs, {})
    assert 0 < len(found.rows) < len(everyone.rows)
    persons = {r[0].value for r in oxigraph.select(
        "SELECT ?p WHERE { ?p a <https://w3id.org/egkg/ontology#Person> }").rows}
    groups = {r[0].value for r in oxigraph.select(
        "SELECT ?g WHERE { ?g a <https://w3id.org/egkg/ontology#OfficeHolderGroup> }").rows}
    parties = {row["a"] for row in found.as_dicts()} | {row["b"] for row in found.as_dicts()}
    if kind == "person":
        assert parties <= persons
    else:
        assert not parties & (persons | groups)


def test_pair_kind_outside_its_values_is_refused(good_build):
    line = refused(good_build.out_dir, "query", "who-coordinated-with-whom", "-p", "kind=people")
    assert "'people' is not one of person, institution" in line


def test_titles_say_what_the_rows_are(engines):
    """A Forkopimda row is attendance of the forum: the title must not call it meeting the police."""
    oxigraph, _ = engines
    query = load_library()["acting-heads-met-security"]
    forum_rows = [r for r in run_library_query(oxigraph, query, {}).as_dicts() if r["securityType"] == "Forum"]
    assert forum_rows, "the data has Forkopimda rows; the title must cover them"
    english = query.summary.split(" / ", 1)[1]
    assert "met police" not in english and "Forkopimda" in english
    assert "not a meeting with the police" in query.description


def test_every_parameter_example_runs(engines):
    """The examples `--describe` prints are copied by users: each must bind and find rows."""
    oxigraph, _ = engines
    for query in load_library().values():
        for param in query.params.values():
            assert param.example is not None, f"{query.name}: give param {param.name} an example"
            values = {p.name: p.example for p in query.params.values() if p.required}
            values[param.name] = param.example
            assert run_library_query(oxigraph, query, values).rows, f"{query.name} -p {param.name}={param.example}"
