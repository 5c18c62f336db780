"""SHACL: the real graph conforms, and for every shape a node broken on purpose is reported."""

from __future__ import annotations

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef

from kg_builder.namespace import EGKG
from kg_builder.paths import SHAPES_FILE
from kg_builder.validate import shacl_violations, union_graph

SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPES = Graph().parse(SHAPES_FILE, format="turtle")


def _shapes() -> list[URIRef]:
    return sorted(SHAPES.subjects(RDF.type, SH.NodeShape))


def _targets(shape: URIRef) -> list[URIRef]:
    return sorted(SHAPES.objects(shape, SH.targetClass))


def _required_paths(shape: URIRef) -> list[URIRef]:
    paths = []
    for prop in SHAPES.objects(shape, SH.property):
        minimum = SHAPES.value(prop, SH.minCount)
        if minimum is not None and int(minimum) >= 1:
            paths.append(SHAPES.value(prop, SH.path))
    return sorted(paths)


@pytest.fixture(scope="module")
def union(good_build) -> Graph:
    return union_graph(good_build.dataset)


def _instance(union: Graph, shape: URIRef) -> URIRef:
    """A real node the shape targets (subclass instances count, as in SHACL)."""
    for cls in _targets(shape):
        classes = {cls} | set(union.transitive_subjects(URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"), cls))
        nodes = sorted(n for c in classes for n in union.subjects(RDF.type, c) if isinstance(n, URIRef))
        if nodes:
            return nodes[0]
    raise AssertionError(f"{shape} targets nothing in the build: add a record that exercises it")


def _break(union: Graph, shape: URIRef, node: URIRef) -> tuple[Graph, str]:
    """A copy of the graph where `node` violates `shape`; and the path the report must name."""
    broken = Graph()
    broken += union
    required = _required_paths(shape)
    if required:
        path = required[0]
        broken.remove((node, path, None))
        return broken, str(path)
    # Shapes with only upper bounds (a province has no parent): add what is forbidden.
    path = EGKG.parentRegion
    broken.add((node, path, URIRef("https://w3id.org/egkg/id/region/74")))
    return broken, str(path)


def test_the_real_graph_conforms(union, good_build):
    assert shacl_violations(union, SHAPES_FILE, {}) == []


def test_every_shape_is_exercised(union):
    for shape in _shapes():
        _instance(union, shape)


@pytest.mark.parametrize("shape", _shapes(), ids=lambda s: str(s).rsplit("#", 1)[-1])
def test_a_broken_node_is_reported(union, shape):
    node = _instance(union, shape)
    broken, path = _break(union, shape, node)
    violations = shacl_violations(broken, SHAPES_FILE, {})
    assert any(v.focus == str(node) and v.path == path for v in violations), violations[:5]


def test_language_tags_are_enforced(union):
    broken = Graph()
    broken += union
    org = URIRef("https://w3id.org/egkg/id/org/kpu-ri")
    broken.add((org, EGKG.name, Literal("Election Commission", lang="en")))
    violations = shacl_violations(broken, SHAPES_FILE, {})
    assert any(v.focus == str(org) and v.path == str(EGKG.name) for v in violations)


@pytest.mark.parametrize("path, bad", [
    (EGKG.advertorial, Literal("yes")),  # a flag is xsd:boolean, not a word
    (EGKG.advertorial, Literal(True)),  # a second value beside the curated one: the flag said twice
    (EGKG.retrieved, Literal("10 Juli 2024")),  # a retrieval day is an xsd:date
])
def test_a_sources_provenance_fields_are_typed_and_single(union, path, bad):
    source = URIRef("https://w3id.org/egkg/id/source/chanetujuh-2024-11-06-rakor-pilkada-sultra")
    broken = Graph()
    broken += union
    if path == EGKG.advertorial and bad == Literal(True):
        broken.add((source, path, Literal(False)))
    broken.add((source, path, bad))
    violations = shacl_violations(broken, SHAPES_FILE, {})
    assert any(v.focus == str(source) and v.path == str(path) for v in violations), violations[:5]
