"""Graphs that break ontology/shapes.ttl on purpose, one per shape and per constraint component it uses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef

from kg_builder.paths import SHAPES_FILE
from kg_builder.rdf.namespace import EGKG
from kg_builder.validate.shacl_engine import as_text

SH = Namespace("http://www.w3.org/ns/shacl#")
SKOS = Namespace("http://www.w3.org/2004/02/skos/core#")
SHAPES = Graph().parse(SHAPES_FILE, format="turtle")
A_REGENCY = URIRef("https://w3id.org/egkg/id/region/74")


@dataclass(frozen=True)
class Fixture:
    """A broken copy of a graph and the (focus node, path) its report must hold."""

    name: str
    graph: Graph
    focus: str
    path: str


def shapes() -> list[URIRef]:
    return sorted(SHAPES.subjects(RDF.type, SH.NodeShape))


def targets(shape: URIRef) -> list[URIRef]:
    return sorted(SHAPES.objects(shape, SH.targetClass))


def required_paths(shape: URIRef) -> list[URIRef]:
    paths = []
    for prop in SHAPES.objects(shape, SH.property):
        minimum = SHAPES.value(prop, SH.minCount)
        if minimum is not None and int(minimum) >= 1:
            paths.append(SHAPES.value(prop, SH.path))
    return sorted(paths)


def instances(union: Graph, cls: URIRef) -> list[URIRef]:
    """Nodes of class `cls` or a subclass (as SHACL targets them), in IRI order."""
    classes = {cls} | set(union.transitive_subjects(RDFS.subClassOf, cls))
    return sorted(n for c in classes for n in union.subjects(RDF.type, c) if isinstance(n, URIRef))


def instance(union: Graph, shape: URIRef) -> URIRef:
    """A real node the shape targets (subclass instances count, as in SHACL)."""
    for cls in targets(shape):
        nodes = instances(union, cls)
        if nodes:
            return nodes[0]
    raise AssertionError(f"{shape} targets nothing in the graph: add a record that exercises it")


def _copy(union: Graph) -> Graph:
    broken = Graph()
    broken += union
    return broken


def broken_shape(union: Graph, shape: URIRef) -> Fixture:
    """`union` where a node the shape targets lacks a required value (or has a forbidden one)."""
    node = instance(union, shape)
    broken = _copy(union)
    required = required_paths(shape)
    if required:
        path = required[0]
        broken.remove((node, path, None))
    else:  # shapes with only upper bounds (a province has no parent): add what is forbidden
        path = EGKG.parentRegion
        broken.add((node, path, A_REGENCY))
    return Fixture(_shape_name(shape), broken, str(node), str(path))


def _first(union: Graph, cls: URIRef) -> URIRef:
    nodes = instances(union, cls)
    assert nodes, f"no {cls} in the graph"
    return nodes[0]


def _replace(union: Graph, cls: URIRef, path: URIRef, *values: object) -> tuple[Graph, str, str]:
    """A copy where the first `cls` node's `path` values are replaced by `values`."""
    node = _first(union, cls)
    broken = _copy(union)
    broken.remove((node, path, None))
    for value in values:
        broken.add((node, path, value))
    return broken, str(node), str(path)


def _add(union: Graph, cls: URIRef, path: URIRef, value: object) -> tuple[Graph, str, str]:
    node = _first(union, cls)
    broken = _copy(union)
    broken.add((node, path, value))
    return broken, str(node), str(path)


def _drop(union: Graph, cls: URIRef, path: URIRef) -> tuple[Graph, str, str]:
    node = _first(union, cls)
    broken = _copy(union)
    broken.remove((node, path, None))
    return broken, str(node), str(path)


# One mutation per constraint component ontology/shapes.ttl uses; the name says which.
COMPONENT_BREAKS: dict[str, Callable[[Graph], tuple[Graph, str, str]]] = {
    "class": lambda u: _replace(u, EGKG.Meeting, EGKG.venue, _first(u, EGKG.Person)),
    "datatype": lambda u: _replace(u, EGKG.Person, EGKG.name, Literal("Budi", lang="id")),
    "datatype-boolean": lambda u: _replace(u, EGKG.Source, EGKG.advertorial, Literal("yes")),
    "datatype-plain-date": lambda u: _replace(u, EGKG.Source, EGKG.retrieved, Literal("10 Juli 2024")),
    "datatype-impossible-date": lambda u: _replace(u, EGKG.Source, EGKG.retrieved, Literal("2024-02-30", datatype=XSD.date)),
    "languageIn": lambda u: _add(u, EGKG.Organization, EGKG.name, Literal("Election Commission", lang="en")),
    "lessThan": lambda u: _replace(u, EGKG.Evidence, EGKG.startOffset, Literal(10**9)),
    "lessThanOrEquals": lambda u: _replace(u, EGKG.Meeting, EGKG.startDate, Literal("2999-01-01", datatype=XSD.date)),
    "maxCount": lambda u: _replace(u, EGKG.Source, EGKG.advertorial, Literal(True), Literal(False)),
    "minCount": lambda u: _drop(u, EGKG.Post, EGKG.officeType),
    "minInclusive": lambda u: _replace(u, EGKG.Evidence, EGKG.startOffset, Literal(-1)),
    "minLength": lambda u: _replace(u, EGKG.Evidence, EGKG.quote, Literal("")),
    "or": lambda u: _replace(u, EGKG.Participation, EGKG.participant, _first(u, EGKG.Region)),
    "pattern": lambda u: _replace(u, EGKG.Region, EGKG.kemendagriCode, Literal("7x")),
    "uniqueLang": lambda u: _add(u, EGKG.MeetingKind, SKOS.prefLabel, Literal("rapat lain", lang="id")),
}


def component_fixture(union: Graph, name: str) -> Fixture:
    broken, focus, path = COMPONENT_BREAKS[name](union)
    return Fixture(name, broken, focus, path)


# Where the engines disagree, on purpose: the lexical space of xsd:date (XSD 1.1, which SHACL uses).
# The Rust engine follows it; pySHACL (through rdflib's lenient date parser) accepts a date-time or an
# out-of-range time zone written as a date, and refuses years XSD 1.1 allows (0000, negative, five
# digits). The build never writes any of these: records hold Python dates (years 1-9999, written
# YYYY-MM-DD) and the record loader refuses anything else with a one-line message.
DATE_DISAGREEMENTS = {
    # lexical form: whether it is a valid xsd:date (what SHACL, and the Rust engine, say)
    "2024-07-01T10:00:00": False,
    "2024-07-01+25:00": False,
    "0000-01-01": True,
    "-2024-07-01": True,
    "99999-01-01": True,
}


def odd_date(union: Graph, lexical: str) -> tuple[str, str, str]:
    """N-Triples of `union` where a source was retrieved on `lexical`^^xsd:date; its focus and path.

    Text, not a Graph: rdflib rewrites a date literal it can parse into its canonical form
    ("2024-07-01T10:00:00" becomes "2024-07-01"), which is how pySHACL misses the ill-typed ones.
    """
    broken, focus, path = _drop(union, EGKG.Source, EGKG.retrieved)
    line = f'<{focus}> <{path}> "{lexical}"^^<{XSD.date}> .\n'
    return as_text(broken) + line, focus, path


def fixture_names() -> list[str]:
    """Every fixture where the engines must agree: one per shape, then one per constraint component."""
    return [_shape_name(shape) for shape in shapes()] + list(COMPONENT_BREAKS)


def fixture(union: Graph, name: str) -> Fixture:
    """The fixture called `name` (see fixture_names) made from `union`."""
    if name in COMPONENT_BREAKS:
        return component_fixture(union, name)
    return broken_shape(union, next(shape for shape in shapes() if _shape_name(shape) == name))


def all_fixtures(union: Graph) -> list[Fixture]:
    return [fixture(union, name) for name in fixture_names()]


def _shape_name(shape: URIRef) -> str:
    return str(shape).rsplit("#", 1)[-1]
