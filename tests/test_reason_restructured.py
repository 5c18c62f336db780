"""Reasoning's costly steps, restructured: the same rows and quads as the plain formulations (their speed is in BENCHMARKS.md)."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg_builder.outputs.store import with_union
from kg_builder.queries import parse_query_file
from kg_builder.reason.checks import CHECKS_DIR, run_checks
from kg_builder.reason.infer import infer, infer_in_store
from kg_builder.reason.rules import is_inferred, load_rules

ID = "https://w3id.org/egkg/id/"
EGKG = "https://w3id.org/egkg/ontology#"
ORG = "http://www.w3.org/ns/org#"
ELI = "http://data.europa.eu/eli/ontology#"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
OWL_CLASS = ox.NamedNode("http://www.w3.org/2002/07/owl#Class")
DANGLING = parse_query_file(CHECKS_DIR / "dangling-reference-violation.rq")
# The check as first written: the namespace tests and the type lookup on every triple of the union.
DANGLING_PER_TRIPLE = """
SELECT DISTINCT ?subject ?predicate ?object WHERE {
  ?subject ?predicate ?object .
  FILTER(isIRI(?object) && STRSTARTS(STR(?object), "https://w3id.org/egkg/id/"))
  FILTER(STRSTARTS(STR(?predicate), "https://w3id.org/egkg/ontology#") || STRSTARTS(STR(?predicate), "http://www.w3.org/ns/org#")
         || STRSTARTS(STR(?predicate), "http://data.europa.eu/eli/ontology#"))
  FILTER NOT EXISTS { ?object a ?type }
}
"""


def rows(store: ox.Store, text: str) -> set[tuple[str, ...]]:
    solutions = store.query(text)
    names = [v.value for v in solutions.variables]
    return {tuple(str(row[name]) for name in names) for row in solutions}


def node(path: str) -> ox.NamedNode:
    return ox.NamedNode(ID + path)


def planted_dangling() -> list[ox.Quad]:
    """Links of every kind the check must tell apart: to typed and untyped nodes, in and out of its namespaces."""
    person, ghost = node("person/known"), node("person/ghost")
    meeting = node("meeting/m")
    return [
        ox.Quad(person, RDF_TYPE, ox.NamedNode(EGKG + "Person")),
        ox.Quad(meeting, RDF_TYPE, ox.NamedNode(EGKG + "Meeting")),
        ox.Quad(node("participation/p"), ox.NamedNode(EGKG + "participant"), person),  # typed: fine
        ox.Quad(node("participation/p"), ox.NamedNode(EGKG + "meeting"), meeting),  # typed: fine
        ox.Quad(node("participation/q"), ox.NamedNode(EGKG + "participant"), ghost),  # dangling
        ox.Quad(node("org/a"), ox.NamedNode(ORG + "subOrganizationOf"), node("org/ghost")),  # dangling
        ox.Quad(node("regulation/r"), ox.NamedNode(ELI + "cites"), node("regulation/ghost")),  # dangling
        ox.Quad(node("person/known"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso"), ghost),  # other ns
        ox.Quad(meeting, ox.NamedNode(EGKG + "sourceUrl"), ox.NamedNode("https://example.org/news")),  # outside id/
        ox.Quad(meeting, ox.NamedNode(EGKG + "title"), ox.Literal(ID + "person/ghost")),  # a literal, not a link
        ox.Quad(meeting, ox.NamedNode(EGKG + "place"), ox.BlankNode("b1")),  # a blank node, not a link
    ]


def test_dangling_check_finds_what_the_per_triple_formulation_finds():
    store = ox.Store()
    store.bulk_extend(planted_dangling())
    found = rows(store, DANGLING.text)
    assert found == rows(store, DANGLING_PER_TRIPLE)
    assert {row[2] for row in found} == {f"<{ID}person/ghost>", f"<{ID}org/ghost>", f"<{ID}regulation/ghost>"}


def test_dangling_check_on_the_articles_with_types_removed(good_build):
    # The articles' union with some nodes' types taken away: every link to them dangles.
    store = ox.Store()
    store.bulk_extend(with_union(good_build.quads))
    untyped = [node("person/edy-suharmanto"), node("org/kpu-ri")]
    for subject in untyped:
        for quad in list(store.quads_for_pattern(subject, RDF_TYPE, None, ox.DefaultGraph())):
            store.remove(quad)
    found = rows(store, DANGLING.text)
    assert {row[2] for row in found} == {f"<{subject.value}>" for subject in untyped}
    assert found == rows(store, DANGLING_PER_TRIPLE)





@pytest.fixture(scope="module")
def curated(good_build) -> list[ox.Quad]:
    return [q for q in good_build.quads if not is_inferred(q.graph_name)]


def test_reasoning_times_each_rule_and_check(curated, good_build):
    timings = infer(curated, good_build.origins, hermit=False).timings
    expected = {f"rule {rule.name}" for rule in load_rules()}
    expected |= {f"check {path.stem}" for path in CHECKS_DIR.glob("*-violation.rq")}
    assert expected <= timings.keys()
    assert all(timings[name] >= 0 for name in expected)


def test_inferred_quads_are_the_rule_graphs_each_once(curated, good_build):
    store = ox.Store()
    store.bulk_extend(with_union(curated))
    inference = infer_in_store(store, good_build.origins, None)
    in_store = [q for q in store.quads_for_pattern(None, None, None, None) if is_inferred(q.graph_name)]
    assert len(inference.quads) == len(set(inference.quads)) == len(in_store)
    assert set(inference.quads) == set(in_store)
    rules = load_rules()
    described = {rule.iri for rule in rules} | {rule.graph for rule in rules}
    for rule in rules:
        concluded = [q for q in in_store if q.graph_name == rule.graph and q.subject not in described]
        assert inference.counts[rule.name] == len(concluded)
    assert inference.counts["40-coordination"] > 0


def test_checks_report_timings_when_asked(good_build):
    store = ox.Store()
    store.bulk_extend(with_union(good_build.quads))
    timings: dict[str, float] = {}
    run_checks(store, good_build.origins, timings)
    assert set(timings) == {f"check {path.stem}" for path in CHECKS_DIR.glob("*-violation.rq")}


EVIDENCE = parse_query_file(CHECKS_DIR / "evidence-from-another-source-violation.rq")
# The check as first written: both IRIs' text compared for every evidence link of every graph.
EVIDENCE_PER_LINK = """
PREFIX egkg: <https://w3id.org/egkg/ontology#>
SELECT DISTINCT ?graph ?node ?source WHERE {
  GRAPH ?graph { ?node egkg:evidence ?evidence . ?evidence egkg:inSource ?source }
  FILTER(STRAFTER(STR(?graph), "/graph/source/") != STRAFTER(STR(?source), "/id/source/"))
}
"""


def test_evidence_check_finds_what_the_per_link_formulation_finds(good_build):
    # The articles, plus a quote of article b given as evidence in article a's graph, and one given
    # in the gazetteer's graph (not a source graph at all).
    store = ox.Store()
    store.bulk_extend(with_union(good_build.quads))
    sources = sorted({q.object for q in store.quads_for_pattern(None, ox.NamedNode(EGKG + "inSource"), None, None)},
                     key=str)
    assert len(sources) >= 2, "the articles name fewer than two sources; the test would prove nothing"
    home = ox.NamedNode(sources[0].value.replace("/id/source/", "/id/graph/source/"))
    foreign_quote, gazetteer_quote = node("evidence/foreign"), node("evidence/gazetteer")
    store.bulk_extend([
        ox.Quad(node("meeting/planted"), ox.NamedNode(EGKG + "evidence"), foreign_quote, home),
        ox.Quad(foreign_quote, ox.NamedNode(EGKG + "inSource"), sources[1], home),
        ox.Quad(node("region/planted"), ox.NamedNode(EGKG + "evidence"), gazetteer_quote, node("graph/gazetteer")),
        ox.Quad(gazetteer_quote, ox.NamedNode(EGKG + "inSource"), sources[0], node("graph/gazetteer")),
    ])
    found = rows(store, EVIDENCE.text)
    assert {row[1] for row in found} == {f"<{ID}meeting/planted>", f"<{ID}region/planted>"}
    assert found == rows(store, EVIDENCE_PER_LINK)
