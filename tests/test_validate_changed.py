"""The focused SHACL check of an incremental build costs in proportion to the edited file, not to its neighbours."""

import pyoxigraph as ox
from rdflib import URIRef

from kg_builder.outputs.store import create_store, open_store
from kg_builder.validate import changed, shacl_engine
from kg_builder.validate.changed import _neighbourhood, changed_violations

EGKG = "https://w3id.org/egkg/ontology#"
ID = "https://w3id.org/egkg/id/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
EVIDENCE = ox.NamedNode(EGKG + "evidence")
ELECTION = ox.NamedNode(ID + "election/pemilu")
EDITED = ox.NamedNode(ID + "graph/source/edited")


def _old_source(n: int) -> list[ox.Quad]:
    """An unchanged source's evidence for the election: typed, but missing what an Evidence shape asks for."""
    graph, evidence = ox.NamedNode(f"{ID}graph/source/old-{n}"), ox.NamedNode(f"{ID}evidence/old-{n}")
    return [ox.Quad(ELECTION, EVIDENCE, evidence, graph),
            ox.Quad(evidence, RDF_TYPE, ox.NamedNode(EGKG + "Evidence"), graph)]


def _store_with_sources(path, count: int) -> ox.Store:
    create_store(path, [quad for n in range(count) for quad in _old_source(n)])
    return open_store(path)


class CountingStore:
    """A store that counts the lookups made of it."""

    def __init__(self, store: ox.Store):
        self.store, self.lookups = store, 0

    def quads_for_pattern(self, *pattern):
        self.lookups += 1
        return self.store.quads_for_pattern(*pattern)

    def contains_named_graph(self, graph):
        return self.store.contains_named_graph(graph)


def test_the_neighbourhood_asks_the_store_once_per_node_not_once_per_fact(tmp_path, monkeypatch):
    store = CountingStore(_store_with_sources(tmp_path / "store", 40))
    monkeypatch.setattr(changed, "open_store", lambda path: store)
    found = _neighbourhood(tmp_path / "store", [ELECTION.value], [], {f"{ID}graph/source/old-0"})
    assert len(found) == 39 + 39  # the other sources' evidence links and the evidence nodes' types
    # The election's facts once from the default graph and once from the skipped source, one more
    # lookup for the fact that source states (no other does), one per evidence node for its types.
    # Reading every fact's graphs again made 119; reading each node across all graphs repeats a fact
    # once per source that states it (5,800 times for an election at M).
    assert store.lookups == 2 + 1 + 39


def test_only_the_edited_nodes_are_validated_not_the_neighbours_read_for_their_types(tmp_path, monkeypatch):
    store = _store_with_sources(tmp_path / "store", 30)
    judged = []

    def spy(text, compiled):
        results = original(text, compiled)
        judged.extend(result.focus for result in results)
        return results

    original = shacl_engine.rust_results
    monkeypatch.setattr(shacl_engine, "rust_results", spy)
    monkeypatch.setattr(changed, "rust_results", spy, raising=False)
    # The edited source types the election and names it, but gives it no evidence of its own.
    mapped = [ox.Quad(ELECTION, RDF_TYPE, ox.NamedNode(EGKG + "Election"), EDITED)]
    violations = changed_violations(mapped, {URIRef(EDITED.value)}, set(), store, {})
    assert {v.focus for v in violations} == {ELECTION.value}  # its shape still judges it
    assert judged and set(judged) == {ELECTION.value}  # the 30 incomplete evidence nodes were never targets
