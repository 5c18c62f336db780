"""Records -> RDF: the rdflib mapping (the reference) and the metadata-driven N-Quads mapper."""

from .graph import (
           GAZETTEER_GRAPH,
           ONTOLOGY_GRAPH,
           Origins,
           map_corpus,
           ref_iri,
           source_graph_iri,
)
from .nquads import map_corpus_nquads, nquads_to_quads

__all__ = ["GAZETTEER_GRAPH", "ONTOLOGY_GRAPH", "Origins", "map_corpus", "map_corpus_nquads", "nquads_to_quads",
           "ref_iri", "source_graph_iri"]
