"""Controlled values read from the ontology: concept notations and organisation classes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef

from .namespace import EGKG

__all__ = ["Vocabulary", "load_ontology", "load_vocabulary"]


@dataclass(frozen=True)
class Vocabulary:
    """What the ontology allows: notations per concept class, and organisation subclasses."""

    concepts: dict[str, dict[str, URIRef]]
    org_types: dict[str, URIRef]

    def allowed(self, concept_class: str) -> list[str]:
        """Notations allowed for a concept class, sorted for messages."""
        if concept_class == "OrganizationType":
            return sorted(self.org_types)
        return sorted(self.concepts.get(concept_class, {}))

    def iri(self, concept_class: str, notation: str) -> URIRef:
        """The IRI of a concept (or organisation class) from its notation."""
        if concept_class == "OrganizationType":
            return self.org_types[notation]
        return self.concepts[concept_class][notation]


@lru_cache(maxsize=4)
def load_ontology(path: Path) -> Graph:
    """Parse the ontology once per process; callers must not mutate the returned graph."""
    graph = Graph()
    graph.parse(path, format="turtle")
    return graph


def load_vocabulary(ontology: Graph) -> Vocabulary:
    """Collect every SKOS concept typed with an egkg concept class, keyed by skos:notation."""
    concepts: dict[str, dict[str, URIRef]] = {}
    for concept_class in ontology.subjects(RDFS.subClassOf, SKOS.Concept):
        name = str(concept_class).removeprefix(str(EGKG))
        members = {}
        for concept in ontology.subjects(RDF.type, concept_class):
            notation = ontology.value(concept, SKOS.notation)
            if notation is not None:
                members[str(notation)] = URIRef(concept)
        concepts[name] = members
    org_types = {
        str(cls).removeprefix(str(EGKG)): URIRef(cls)
        for cls in ontology.transitive_subjects(RDFS.subClassOf, EGKG.Organization)
        if (cls, RDF.type, OWL.Class) in ontology and cls != EGKG.Organization
    }
    return Vocabulary(concepts=concepts, org_types=org_types)
