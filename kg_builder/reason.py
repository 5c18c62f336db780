"""OWL reasoning with owlready2 and HermiT: consistency of the ontology (and, later, the data)."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from .errors import InputError

__all__ = ["ConsistencyReport", "find_java", "hermit_consistency"]


@dataclass(frozen=True)
class ConsistencyReport:
    """What HermiT said: consistent or not, and the unsatisfiable classes it found."""

    consistent: bool
    unsatisfiable: tuple[str, ...]
    message: str = ""


def find_java() -> str:
    """The java executable owlready2 should run; a clear error when there is none."""
    java = shutil.which("java")
    if java is None:
        raise InputError(
            "no Java runtime found; the reasoners (HermiT, Pellet) need Java 11+: "
            "run `make java` or `apt-get install default-jre-headless`",
            file="java",
        )
    return java


def hermit_consistency(graph: Graph, *, memory_mb: int = 2000) -> ConsistencyReport:
    """Load `graph` into a fresh owlready2 world and ask HermiT whether it is consistent."""
    import owlready2  # imported here: owlready2 sets up its quadstore at import time

    owlready2.JAVA_EXE = find_java()
    owlready2.reasoning.JAVA_MEMORY = memory_mb
    with tempfile.TemporaryDirectory(prefix="egkg-owl-") as tmp:
        # owlready2 reads RDF/XML, OWL/XML and N-Triples, not Turtle.
        path = Path(tmp) / "input.nt"
        graph.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        ontology = world.get_ontology(path.as_uri()).load()
        try:
            with ontology:
                # xsd:date and xsd:gYear are outside the OWL 2 datatype map; HermiT must skip them.
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0,
                                               ignore_unsupported_datatypes=True)
        except owlready2.OwlReadyInconsistentOntologyError as exc:
            return ConsistencyReport(False, (), str(exc).strip().splitlines()[-1] if str(exc).strip() else "inconsistent")
        unsatisfiable = tuple(sorted(cls.iri for cls in world.inconsistent_classes()))
        world.close()
        return ConsistencyReport(not unsatisfiable, unsatisfiable)
