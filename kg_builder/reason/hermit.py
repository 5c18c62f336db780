"""HermiT through owlready2 (and the Java it needs): classifying individuals and asking for consistency."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from ..errors import InputError
from .checks import InconsistentGraph, explain_inconsistency
from .rules import EGKG, HERMIT_GRAPH, ID, RDF_TYPE

__all__ = ["HERMIT_MAX_QUADS", "ConsistencyReport", "find_java", "hermit_classify", "hermit_consistency", "hermit_fits",
           "hermit_fits_shares"]

# What HermiT does not need to classify: the gazetteer, quotes and page furniture.
SKIPPED_GRAPHS = {ID + "graph/gazetteer"}
SKIPPED_SUBJECTS = (ID + "evidence/", ID + "furniture/")
SKIPPED_PREDICATES = {EGKG + "evidence", EGKG + "quote"}


@dataclass(frozen=True)
class ConsistencyReport:
    """What HermiT said: consistent or not, and the unsatisfiable classes it found."""

    consistent: bool
    unsatisfiable: tuple[str, ...]
    message: str = ""


# HermiT took 57 s on about ten synthetic meetings (11,500 quads with the ontology and gazetteer)
# and did not finish S in 10 min (BENCHMARKS.md); the five curated articles are 8,600 quads.
HERMIT_MAX_QUADS = 12_000


def hermit_fits(curated_quads: int) -> bool:
    """Whether HermiT classifies a graph of this many curated quads in about a minute."""
    return curated_quads <= HERMIT_MAX_QUADS


def hermit_fits_shares(shares: list[Path]) -> bool:
    """Whether the curated graphs in these N-Quads files are few enough for HermiT (reads at most that many lines)."""
    lines = 0
    for share in shares:
        with share.open("rb") as handle:
            for _ in handle:
                lines += 1
                if lines > HERMIT_MAX_QUADS:
                    return False
    return True


def find_java() -> str:
    """The java executable owlready2 should run; a clear error when there is none."""
    java = shutil.which("java")
    if java is None:
        raise InputError(
            "no Java runtime found; the reasoners (HermiT, Pellet) need Java 11+: "
            "run `make java` (installs default-jre-headless) or use `egkg build --no-reason`",
            file="java",
        )
    return java


def _hermit_input(quads: list[ox.Quad]) -> bytes:
    """The ontology and the curated facts HermiT needs, as N-Triples (owlready2 reads no Turtle)."""
    keep = []
    for quad in quads:
        if quad.graph_name.value in SKIPPED_GRAPHS or quad.predicate.value in SKIPPED_PREDICATES:
            continue
        if isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(SKIPPED_SUBJECTS):
            continue
        keep.append(quad.triple)
    return ox.serialize(sorted(set(keep), key=str), format=ox.RdfFormat.N_TRIPLES)


def hermit_classify(quads: list[ox.Quad], store: ox.Store, origins: dict) -> dict[ox.Triple, ox.NamedNode]:
    """rdf:type triples HermiT infers for our individuals, each with the class whose axiom fired."""
    import owlready2  # imported here: owlready2 sets up its quadstore at import time

    with tempfile.TemporaryDirectory(prefix="egkg-reason-") as tmp:
        try:
            world, inferred = _run_hermit(_hermit_input(quads), Path(tmp))
        except owlready2.OwlReadyInconsistentOntologyError:
            raise InconsistentGraph(explain_inconsistency(store, origins)) from None
        candidates = []
        parents: dict[str, set[str]] = {}
        for s, p, o in world.as_rdflib_graph().get_context(inferred):
            subject, predicate, obj = str(s), str(p), str(o)
            if predicate == RDF_TYPE.value and subject.startswith(ID) and obj.startswith(EGKG):
                candidates.append((ox.NamedNode(subject), ox.NamedNode(obj)))
            elif predicate.endswith("#subClassOf") and subject.startswith(EGKG) and obj.startswith(EGKG):
                parents.setdefault(subject, set()).add(obj)
        world.close()
    # owlready2 reports only the most specific types; add the defined superclasses HermiT proved
    # (an acting regional head is an acting official; a regional-head post is a Forkopimda seat).
    for node, cls in list(candidates):
        todo, seen = [cls.value], set()
        while todo:
            for parent in parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
                    candidates.append((node, ox.NamedNode(parent)))
    # Keep what is new: drop types the asserted types already give through rdfs:subClassOf
    # (HermiT saw no gazetteer, so it re-derives "region/74 is a Region" from property ranges).
    known = EXPLAIN_KNOWN_TYPE
    return {
        ox.Triple(node, RDF_TYPE, cls): cls
        for node, cls in candidates
        if not store.query(known, substitutions={ox.Variable("node"): node, ox.Variable("cls"): cls})
    }


EXPLAIN_KNOWN_TYPE = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
ASK { ?node a ?asserted . ?asserted rdfs:subClassOf* ?cls }
"""


def _run_hermit(ntriples: bytes, tmp: Path, memory_mb: int = 2000):
    """Load N-Triples into a fresh owlready2 world and classify with HermiT; returns (world, inferred).

    Raises owlready2.OwlReadyInconsistentOntologyError (after closing the world) when inconsistent.
    """
    import owlready2

    owlready2.JAVA_EXE = find_java()
    owlready2.reasoning.JAVA_MEMORY = memory_mb
    path = tmp / "input.nt"
    path.write_bytes(ntriples)
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    inferred = world.get_ontology(HERMIT_GRAPH.value)
    try:
        with inferred:
            # xsd:date and xsd:gYear are outside the OWL 2 datatype map; HermiT must skip them.
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0,
                                           ignore_unsupported_datatypes=True)
    except owlready2.OwlReadyInconsistentOntologyError:
        world.close()
        raise
    return world, inferred


def hermit_consistency(graph: Graph, *, memory_mb: int = 2000) -> ConsistencyReport:
    """Load `graph` into a fresh owlready2 world and ask HermiT whether it is consistent."""
    import owlready2

    with tempfile.TemporaryDirectory(prefix="egkg-owl-") as tmp:
        try:
            world, _ = _run_hermit(graph.serialize(format="nt", encoding="utf-8"), Path(tmp), memory_mb)
        except owlready2.OwlReadyInconsistentOntologyError:
            return ConsistencyReport(False, (), "inconsistent")
        unsatisfiable = tuple(sorted(cls.iri for cls in world.inconsistent_classes()))
        world.close()
        return ConsistencyReport(not unsatisfiable, unsatisfiable)
