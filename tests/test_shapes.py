"""SHACL: the real graph conforms, and for every shape and constraint component a node broken on purpose is reported."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from kg_builder.errors import Problem
from kg_builder.rdf.namespace import EGKG
from kg_builder.paths import SHAPES_FILE
from kg_builder.rdf.serialize import to_oxigraph
from kg_builder.validate.violations import shacl_violations, union_graph
from tests.shape_fixtures import COMPONENT_BREAKS, SH, SHAPES, broken_shape, component_fixture, instance, odd_date, shapes


@pytest.fixture(scope="module")
def union(good_build) -> Graph:
    return union_graph(good_build.dataset)


def test_the_real_graph_conforms(union, good_build):
    assert shacl_violations(union, SHAPES_FILE, {}) == []
    assert shacl_violations(good_build.dataset, SHAPES_FILE, {}) == []  # the dataset itself, as the build may pass it


def test_every_shape_is_exercised(union):
    for shape in shapes():
        instance(union, shape)


@pytest.mark.parametrize("shape", shapes(), ids=lambda s: str(s).rsplit("#", 1)[-1])
def test_a_broken_node_is_reported(union, shape):
    broken = broken_shape(union, shape)
    violations = shacl_violations(broken.graph, SHAPES_FILE, {})
    assert any(v.focus == broken.focus and v.path == broken.path for v in violations), violations[:5]


def test_every_constraint_component_the_shapes_use_has_a_fixture():
    used = {str(p).removeprefix(str(SH)) for p in SHAPES.predicates() if str(p).startswith(str(SH))}
    parameters = used - {"path", "property", "message", "targetClass"}
    assert parameters <= {name.split("-")[0] for name in COMPONENT_BREAKS}, parameters


@pytest.mark.parametrize("name", COMPONENT_BREAKS)
def test_each_constraint_component_is_enforced(union, name):
    broken = component_fixture(union, name)
    violations = shacl_violations(broken.graph, SHAPES_FILE, {})
    assert any(v.focus == broken.focus and v.path == broken.path for v in violations), violations[:5]


def test_an_ill_typed_date_is_a_violation(union):
    """SHACL's sh:datatype refuses "2024-07-01T10:00:00"^^xsd:date (pySHACL, the reference, misses it)."""
    text, focus, path = odd_date(union, "2024-07-01T10:00:00")
    violations = shacl_violations(text, SHAPES_FILE, {})
    assert [(v.focus, v.path) for v in violations] == [(focus, path)]


def test_a_violation_points_at_the_record_that_made_the_node(union):
    broken = component_fixture(union, "pattern")
    origins = {broken.focus: ("data/records/x.yaml", 12, "regions[0]")}
    [violation] = [v for v in shacl_violations(broken.graph, SHAPES_FILE, origins) if v.focus == broken.focus]
    assert violation.problem == Problem(
        "data/records/x.yaml", 12, f"regions[0] <{broken.focus}>",
        "egkg:kemendagriCode: the value does not match the pattern (sh:pattern)")


def test_the_reference_engine_is_still_there(union):
    broken = component_fixture(union, "lessThan")
    violations = shacl_violations(broken.graph, SHAPES_FILE, {}, engine="pyshacl")
    assert any(v.focus == broken.focus and v.path == broken.path for v in violations)
    with pytest.raises(ValueError, match="unknown SHACL engine"):
        shacl_violations(broken.graph, SHAPES_FILE, {}, engine="jena")


def test_the_focused_check_sees_only_its_nodes(union):
    broken = component_fixture(union, "lessThan")
    other = URIRef(component_fixture(union, "pattern").focus)
    broken.graph.remove((other, None, None))  # a second broken node, outside the focus
    everywhere = shacl_violations(broken.graph, SHAPES_FILE, {})
    focused = shacl_violations(broken.graph, SHAPES_FILE, {}, focus=[broken.focus])
    assert {v.focus for v in everywhere} > {broken.focus}
    assert {v.focus for v in focused} == {broken.focus}


def test_quads_are_validated_as_their_union(good_build):
    """The build may pass its quads: one fact stated by two sources is one value, not two."""
    quads = to_oxigraph(good_build.dataset)
    name = next(q for q in quads if q.predicate.value == str(EGKG.name) and "/person/" in q.subject.value)
    second_source = ox.NamedNode("https://w3id.org/egkg/id/graph/another-source")
    restated = ox.Quad(name.subject, name.predicate, name.object, second_source)
    assert shacl_violations([*quads, restated], SHAPES_FILE, {}) == []
    renamed = ox.Quad(name.subject, name.predicate, ox.Literal("Someone Else"), second_source)
    violations = shacl_violations([*quads, renamed], SHAPES_FILE, {})
    assert [(v.focus, v.path) for v in violations] == [(name.subject.value, str(EGKG.name))]
