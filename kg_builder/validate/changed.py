"""SHACL validation of the nodes an incremental build changed, seeing what the previous store says about them."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, URIRef

from ..mapping import GAZETTEER_GRAPH, ONTOLOGY_GRAPH, Origins
from ..outputs.store import open_store
from ..paths import SHAPES_FILE
from .shacl_engine import DEFAULT_ENGINE, Engine
from .violations import Violation, shacl_violations

__all__ = ["STATIC_GRAPHS", "changed_violations"]

STATIC_GRAPHS = {str(ONTOLOGY_GRAPH), str(GAZETTEER_GRAPH)}


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
    return shacl_violations(data, SHAPES_FILE, origins, focus=sorted(focus), engine=engine)


def _neighbourhood(store_or_path: Path | ox.Store, subjects: list[str], objects: list[str], skip: set[str]) -> list[ox.Triple]:
    """Triples about `subjects` and rdf:types of `objects` in the previous store, stated outside `skip`.

    They are read from the default graph, which holds each triple once; reading the named graphs
    instead returned one copy per source (a region named by 180 sources, 180 times).
    """
    store = store_or_path if isinstance(store_or_path, ox.Store) else open_store(store_or_path)
    skipped = {g for g in skip if store.contains_named_graph(ox.NamedNode(g))}
    found: list[ox.Triple] = []
    pointed_to = set(objects)
    for node in subjects:
        for quad in store.quads_for_pattern(ox.NamedNode(node), None, None, ox.DefaultGraph()):
            if _stated_outside(store, quad, skipped):
                found.append(quad.triple)
                if isinstance(quad.object, ox.NamedNode):
                    pointed_to.add(quad.object.value)  # what other sources say it points to
    rdf_type = ox.NamedNode(str(RDF.type))
    for node in sorted(pointed_to):
        for quad in store.quads_for_pattern(ox.NamedNode(node), rdf_type, None, ox.DefaultGraph()):
            if _stated_outside(store, quad, skipped):
                found.append(quad.triple)
    return found


def _stated_outside(store: ox.Store, quad: ox.Quad, skipped: set[str]) -> bool:
    """Whether a named graph other than the skipped ones states this default-graph triple."""
    if not skipped:
        return True  # the default graph is the union of the named graphs
    return any(isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value not in skipped
               for q in store.quads_for_pattern(quad.subject, quad.predicate, quad.object, None))
