"""SHACL validation with pySHACL, reported per record file, line and field instead of per IRI."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import RDF, RDFS, BNode, Dataset, Graph, Literal, Namespace, URIRef

from .errors import Problem
from .mapping import GAZETTEER_GRAPH, ONTOLOGY_GRAPH, Origins
from .paths import SHAPES_FILE
from .store import open_store
from .namespace import EGKG
from .serialize import PREFIXES

__all__ = ["Violation", "changed_violations", "shacl_violations", "union_graph"]

SH = Namespace("http://www.w3.org/ns/shacl#")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
STATIC_GRAPHS = {str(ONTOLOGY_GRAPH), str(GAZETTEER_GRAPH)}


@dataclass(frozen=True)
class Violation:
    """One SHACL result, with the record it points back to when known."""

    focus: str
    path: str
    message: str
    problem: Problem


def union_graph(dataset: Dataset) -> Graph:
    """All quads as one graph: SHACL needs the ontology's subclass triples beside the data."""
    union = Graph()
    union.bind("egkg", EGKG)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        union.add((s, p, o))
    return union


def _short_iri(iri: str) -> str:
    """egkg:startDate instead of the full IRI in messages."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri.removeprefix(namespace)}"
    return f"<{iri}>"


def changed_violations(
    dataset: Dataset, new_graphs: set[URIRef], stale_graphs: set[str], previous_store: Path | ox.Store, origins: Origins,
    *, static: Graph | None = None,
) -> list[Violation]:
    """Validate only the nodes of `new_graphs`, seeing what the rest of the build says about them.

    The data graph is the new graphs, the ontology and gazetteer, plus from the previous store
    (minus `stale_graphs`) every triple about those nodes and the types of everything they point
    to: all a one-step shape looks at, so the result equals validating the whole union for them.
    """
    data = Graph()
    for triple in static if static is not None else ():
        data.add(triple)  # the ontology and gazetteer, when the dataset does not carry them
    focus: set[URIRef] = set()
    objects: set[URIRef] = set()
    for graph in dataset.graphs():
        name = graph.identifier
        if name in new_graphs or str(name) in STATIC_GRAPHS:
            for s, p, o in graph:
                data.add((s, p, o))
                if name in new_graphs:
                    focus.add(s)
                    if isinstance(o, URIRef):
                        objects.add(o)
    skip = stale_graphs | {str(g) for g in new_graphs}
    for triple in _neighbourhood(previous_store, sorted(focus), sorted(objects | focus), skip):
        data.add(triple)
    return shacl_violations(data, SHAPES_FILE, origins, focus=sorted(focus)) if focus else []


def _neighbourhood(store_or_path: Path | ox.Store, subjects: list, objects: list, skip: set[str]) -> Graph:
    """Triples about `subjects` and rdf:types of `objects` in the previous store, stated outside `skip`.

    They are read from the default graph, which holds each triple once; reading the named graphs
    instead returned one copy per source (a region named by 180 sources, 180 times).
    """
    store = store_or_path if isinstance(store_or_path, ox.Store) else open_store(store_or_path)
    skipped = {g for g in skip if store.contains_named_graph(ox.NamedNode(g))}
    found = Graph()
    objects = set(objects)
    for node in subjects:
        for quad in store.quads_for_pattern(ox.NamedNode(str(node)), None, None, ox.DefaultGraph()):
            if _stated_outside(store, quad, skipped):
                found.add(_to_rdflib(quad))
                if isinstance(quad.object, ox.NamedNode):
                    objects.add(URIRef(quad.object.value))  # what other sources say it points to
    rdf_type = ox.NamedNode(str(RDF.type))
    for node in sorted(objects):
        for quad in store.quads_for_pattern(ox.NamedNode(str(node)), rdf_type, None, ox.DefaultGraph()):
            if _stated_outside(store, quad, skipped):
                found.add(_to_rdflib(quad))
    return found


def _stated_outside(store: ox.Store, quad: ox.Quad, skipped: set[str]) -> bool:
    """Whether a named graph other than the skipped ones states this default-graph triple."""
    if not skipped:
        return True  # the default graph is the union of the named graphs
    return any(isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value not in skipped
               for q in store.quads_for_pattern(quad.subject, quad.predicate, quad.object, None))


def _to_rdflib(quad: ox.Quad) -> tuple:
    return (_rdflib_term(quad.subject), _rdflib_term(quad.predicate), _rdflib_term(quad.object))


def _rdflib_term(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:
        # rdflib tells "x" from "x"^^xsd:string (RDF 1.1 makes them one); the mapping writes the former.
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def shacl_violations(data: Graph, shapes_file: Path, origins: Origins, *, focus: list | None = None) -> list[Violation]:
    """Validate `data` against the shapes (only `focus` nodes when given); return every violation."""
    shapes = Graph().parse(shapes_file, format="turtle")
    if focus is not None:
        # pySHACL's own focus_nodes option tests membership in a list (quadratic: a 500-file chunk
        # did not finish in 10 minutes). Class targets would also select every neighbour read only
        # for its type, and building their discarded results cost 110 of 155 s per file at M.
        _target_only(shapes, data, focus)
    conforms, report, _ = shacl_validate(data, shacl_graph=shapes, inference="none", allow_warnings=False, advanced=True)
    wanted = None if focus is None else {str(node) for node in focus}
    if conforms:
        return []
    violations = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus_node = report.value(result, SH.focusNode)
        if wanted is not None and str(focus_node) not in wanted:
            continue  # a neighbour seen only in part, validated where it is described in full
        path = report.value(result, SH.resultPath)
        message = str(report.value(result, SH.resultMessage) or "violates a shape")
        path_iri = str(path) if isinstance(path, URIRef) else ""
        shown = _short_iri(path_iri) if path_iri else "(node)"
        file, line, field = origins.get(str(focus_node), ("(graph)", None, ""))
        where = f"{field} " if field else ""
        problem = Problem(file, line, f"{where}<{focus_node}>".strip(), f"{shown}: {message}")
        violations.append(Violation(str(focus_node), path_iri, message, problem))
    return sorted(violations, key=lambda v: (v.problem.file, v.problem.line or 0, v.focus, v.path, v.message))


def _target_only(shapes: Graph, data: Graph, focus: list) -> None:
    """Turn each shape's class targets into node targets: the focus nodes that are instances in `data`.

    A node is a target of sh:targetClass C when it has rdf:type C or a subclass of C in the data
    graph (SHACL 2.1.3.3), so this selects exactly the focus nodes the class targets would.
    """
    focus_types = {node: set(data.objects(node, RDF.type)) for node in map(URIRef, focus)}
    for shape, target in list(shapes.subject_objects(SH.targetClass)):
        shapes.remove((shape, SH.targetClass, target))
        classes = set(data.transitive_subjects(RDFS.subClassOf, target))
        for node, types in focus_types.items():
            if types & classes:
                shapes.add((shape, SH.targetNode, node))
