"""rdflib dataset -> Oxigraph quads -> sorted N-Quads and TriG, byte-identical for the same input."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef

__all__ = ["PREFIXES", "sorted_quads", "to_nquads", "to_oxigraph", "to_trig"]

PREFIXES = {
    "egkg": "https://w3id.org/egkg/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "https://schema.org/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
}


def _term(term: object) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        # Only the ontology's OWL lists use blank nodes, canonically labelled by mapping.py.
        return ox.BlankNode(str(term))
    raise TypeError(f"unexpected RDF term {term!r}")


def to_oxigraph(dataset: Dataset) -> list[ox.Quad]:
    """Every quad of the dataset's named graphs as Oxigraph quads (default graph is unused)."""
    quads = []
    for s, p, o, g in dataset.quads((None, None, None, None)):
        graph = g.identifier if hasattr(g, "identifier") else g
        quads.append(ox.Quad(_term(s), _term(p), _term(o), ox.NamedNode(str(graph))))
    return quads


def sorted_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Graph, subject, predicate, object order: what TriG groups by."""
    return sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))


def to_nquads(quads: Iterable[ox.Quad]) -> bytes:
    """N-Quads with lines sorted bytewise and no duplicates."""
    text = ox.serialize(list(quads), format=ox.RdfFormat.N_QUADS)
    lines = sorted(set(text.splitlines(keepends=True)))
    return b"".join(lines)


def to_trig(quads: Iterable[ox.Quad]) -> bytes:
    """TriG grouped by graph and subject, with the project's prefixes."""
    return ox.serialize(sorted_quads(quads), format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
