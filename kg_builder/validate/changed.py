"""SHACL validation of the nodes an incremental build changed, seeing what the previous store says about them."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, URIRef

from ..mapping import GAZETTEER_GRAPH, ONTOLOGY_GRAPH, Origins
from ..outputs.store import open_store
from ..paths import SHAPES_FILE
from .shacl_engine import DEFAULT_ENGINE, Engine, as_text, node_targeted_shapes, rust_results, superclasses
from .violations import Violation, as_violation, in_report_order, shacl_violations

__all__ = ["STATIC_GRAPHS", "changed_violations"]

STATIC_GRAPHS = {str(ONTOLOGY_GRAPH), str(GAZETTEER_GRAPH)}
RDF_TYPE = ox.NamedNode(str(RDF.type))
SUB_CLASS_OF = ox.NamedNode(str(RDFS.subClassOf))


def changed_violations(
    mapped: list[ox.Quad], new_graphs: set[URIRef], stale_graphs: set[str], previous_store: Path | ox.Store, origins: Origins,
    *, engine: Engine = DEFAULT_ENGINE,
) -> list[Violation]:
    """Validate only the nodes of `new_graphs` (of `mapped`, which carries the ontology and gazetteer
    graphs too), seeing what the rest of the build says about them.

    The data graph is the new graphs, the ontology and gazetteer, plus from the previous store
    (minus `stale_graphs`) every triple about those nodes and the types of everything they point
    to: all a one-step shape looks at, so the result equals validating the whole union for them.
    """
    kept_graphs = {str(g) for g in new_graphs} | STATIC_GRAPHS
    quads = [q for q in mapped if q.graph_name.value in kept_graphs]
    data: list[ox.Triple] = []
    focus: set[str] = set()
    objects: set[str] = set()
    for quad in quads:
        data.append(ox.Triple(quad.subject, quad.predicate, quad.object))
        if quad.graph_name.value not in STATIC_GRAPHS:
            focus.add(quad.subject.value)
            if isinstance(quad.object, ox.NamedNode):
                objects.add(quad.object.value)
    skip = stale_graphs | {str(g) for g in new_graphs}
    data += _neighbourhood(previous_store, sorted(focus), sorted(objects | focus), skip)
    if not focus:
        return []
    if engine != "shacl" or any(node.startswith("_:") for node in focus):
        return shacl_violations(data, SHAPES_FILE, origins, focus=sorted(focus), engine=engine)
    # Only the focus nodes are targets: the neighbours read for their types (an election's thousands
    # of evidence nodes at M) fail their shapes, and building those discarded results took seconds.
    members = _instances(data, focus)
    shapes = node_targeted_shapes(SHAPES_FILE, lambda cls: members.get(cls, ()))
    results = rust_results(as_text(data), shapes)
    return in_report_order(as_violation(result, origins) for result in results)


def _instances(data: list[ox.Triple], focus: set[str]) -> dict[str, set[str]]:
    """Class term -> the focus nodes (as <iri> terms) that are its instances in `data` (a type or a subclass of one, SHACL 2.1.3.3)."""
    parents_of: dict[str, set[str]] = {}
    types: dict[str, set[str]] = {}
    for triple in data:
        if triple.predicate == SUB_CLASS_OF:
            parents_of.setdefault(str(triple.subject), set()).add(str(triple.object))
        elif triple.predicate == RDF_TYPE and triple.subject.value in focus and isinstance(triple.subject, ox.NamedNode):
            types.setdefault(str(triple.subject), set()).add(str(triple.object))
    members: dict[str, set[str]] = {}
    for node, classes in types.items():
        for cls in superclasses(classes, parents_of):
            members.setdefault(cls, set()).add(node)  # N-Triples terms, as node_targeted_shapes writes them
    return members


def _neighbourhood(store_or_path: Path | ox.Store, subjects: list[str], objects: list[str], skip: set[str]) -> list[ox.Triple]:
    """Triples about `subjects` and rdf:types of `objects` in the previous store, stated outside `skip`.

    A subject's triples are read from the default graph, which holds each once (an election named
    by 5,800 sources is read once, not 5,800 times); only those a skipped graph states too are
    asked after again, to see whether another graph still states them. A type is read across the
    graphs at once: a node pointed to is typed by one or two graphs, and one lookup beats two.
    """
    store = store_or_path if isinstance(store_or_path, ox.Store) else open_store(store_or_path)
    skipped = [ox.NamedNode(g) for g in sorted(skip) if store.contains_named_graph(ox.NamedNode(g))]
    skipped_names = {g.value for g in skipped}
    found: dict[ox.Triple, None] = {}
    pointed_to = set(objects)
    for node in map(ox.NamedNode, subjects):
        also_skipped = {q.triple for graph in skipped for q in store.quads_for_pattern(node, None, None, graph)}
        for quad in store.quads_for_pattern(node, None, None, ox.DefaultGraph()):
            triple = quad.triple
            if triple not in also_skipped or _stated_outside(store, triple.subject, triple.predicate, triple.object, skipped_names):
                found[triple] = None
                if isinstance(triple.object, ox.NamedNode):
                    pointed_to.add(triple.object.value)  # what other sources say it points to
    for node in sorted(pointed_to):
        for quad in store.quads_for_pattern(ox.NamedNode(node), RDF_TYPE, None, None):
            if isinstance(quad.graph_name, ox.NamedNode) and quad.graph_name.value not in skipped_names:
                found[quad.triple] = None
    return list(found)


def _stated_outside(store: ox.Store, subject, predicate, value, skipped: set[str]) -> bool:
    """Whether a named graph other than the skipped ones states this triple."""
    return any(isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value not in skipped
               for q in store.quads_for_pattern(subject, predicate, value, None))
