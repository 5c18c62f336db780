"""What kind of thing a network node is, and the Indonesian / English words for kinds and sectors."""

from __future__ import annotations

from functools import lru_cache

from rdflib import RDFS

from .paths import ONTOLOGY_FILE
from .rdf.namespace import EGKG
from .rdf.vocab import load_ontology

__all__ = ["KINDS", "kind_words", "node_kind", "sector_words"]

# Shape follows the kind of node, colour its sector: a reader tells a person from an institution,
# a group ("Ketua KPU se-Sultra") and an unnamed post without reading a label.
KINDS = ("Person", "Institution", "Group", "Post", "Meeting")
# The ontology class whose labels name each kind.
KIND_CLASSES = {"Person": "Person", "Institution": "Organization", "Group": "OfficeHolderGroup", "Post": "Post",
                "Meeting": "Meeting"}
UNKNOWN = "tidak diketahui / unknown"


def node_kind(data: dict) -> str:
    """One of KINDS, from the `type` the projections give each node."""
    kind = data.get("type", "")
    if kind in ("Person", "Post", "Meeting"):
        return kind
    return "Group" if kind == "OfficeHolderGroup" else "Institution"


@lru_cache(maxsize=1)
def _class_words() -> dict[str, str]:
    """Ontology class local name -> "Indonesian / English" from its rdfs:labels."""
    ontology = load_ontology(ONTOLOGY_FILE)
    labels: dict[str, dict[str, str]] = {}
    for cls, label in ontology.subject_objects(RDFS.label):
        if str(cls).startswith(str(EGKG)) and getattr(label, "language", None) in ("id", "en"):
            labels.setdefault(str(cls)[len(str(EGKG)):], {})[label.language] = str(label)
    return {name: f"{words['id']} / {words['en']}" for name, words in labels.items() if len(words) == 2}


def kind_words(kind: str) -> str:
    """"Orang / Person", "Lembaga / Organization", ... for one of KINDS."""
    return _class_words().get(KIND_CLASSES.get(kind, ""), kind)


def sector_words(sector: str) -> str:
    """"Kepolisian / Police" for Police; never a bare class name."""
    return _class_words().get(sector, UNKNOWN)
