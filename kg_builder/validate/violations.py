"""SHACL validation (Rust `shacl` engine; pySHACL as the reference), reported per record file, line and field."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, RDFS, Dataset, Graph, Namespace, URIRef

from ..errors import Problem
from ..mapping import Origins
from ..rdf.namespace import EGKG
from ..rdf.serialize import PREFIXES
from .shacl_engine import (
    DEFAULT_ENGINE,
    Engine,
    ShaclResult,
    as_rdflib,
    class_targets_removed,
    run_engine,
)

__all__ = ["Violation", "as_violation", "in_report_order", "shacl_results", "shacl_violations", "union_graph"]

SH = Namespace("http://www.w3.org/ns/shacl#")


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


def shacl_violations(
    data: object, shapes_file: Path, origins: Origins, *, focus: list | None = None, engine: Engine = DEFAULT_ENGINE,
) -> list[Violation]:
    """Validate `data` against the shapes (only `focus` nodes when given); return every violation.

    `data` is the union to validate: an rdflib Graph or Dataset, Oxigraph quads or triples, or
    N-Quads text (see shacl_engine.as_text). `engine` is "shacl" (Rust, the build's) or "pyshacl"
    (the reference). They differ only on the lexical space of xsd:date, where the Rust engine
    follows XSD 1.1 as SHACL requires: pySHACL passes "2024-07-01T10:00:00"^^xsd:date (rdflib
    shortens it to a date) and refuses years 0000, negative or of five digits. The build never
    writes such literals: the record loader refuses any date that is not a real YYYY-MM-DD with a
    one-line message (tests/bad_inputs/records/date-time-as-date.yaml, five-digit-year.yaml).
    """
    results = shacl_results(data, shapes_file, focus=focus, engine=engine)
    return in_report_order(as_violation(result, origins) for result in results)


def in_report_order(violations: Iterable[Violation]) -> list[Violation]:
    return sorted(violations, key=lambda v: (v.problem.file, v.problem.line or 0, v.focus, v.path, v.message))


def shacl_results(data: object, shapes_file: Path, *, focus: list | None = None, engine: Engine = DEFAULT_ENGINE) -> list[ShaclResult]:
    """Every violation result of `engine` on `data`, restricted to `focus` nodes when given."""
    shapes = None
    if focus is not None and engine == "pyshacl":
        # pySHACL's own focus_nodes option tests membership in a list (quadratic: a 500-file chunk
        # did not finish in 10 minutes). Class targets would also select every neighbour read only
        # for its type, and building their discarded results cost 110 of 155 s per file at M.
        data = as_rdflib(data)
        shapes = Graph().parse(shapes_file, format="turtle")
        _target_only(shapes, data, focus)
    # The Rust engine validates every node it is given and the results are filtered: the
    # neighbours read only for their types fail their shapes, but that costs milliseconds there.
    results = run_engine(engine, data, shapes_file, shapes=shapes)
    if focus is None:
        return results
    wanted = {str(node) for node in focus}
    # A neighbour seen only in part (read for its type) is validated where it is described in full.
    return [result for result in results if result.focus in wanted]


def as_violation(result: ShaclResult, origins: Origins) -> Violation:
    """The result located at the record that made its focus node."""
    shown = _short_iri(result.path) if result.path else "(node)"
    file, line, field = origins.get(result.focus, ("(graph)", None, ""))
    where = f"{field} " if field else ""
    problem = Problem(file, line, f"{where}<{result.focus}>".strip(), f"{shown}: {result.message}")
    return Violation(result.focus, result.path, result.message, problem)


def _target_only(shapes: Graph, data: Graph, focus: list) -> None:
    """Turn each shape's class targets into node targets: the focus nodes that are instances in `data`.

    A node is a target of sh:targetClass C when it has rdf:type C or a subclass of C in the data
    graph (SHACL 2.1.3.3), so this selects exactly the focus nodes the class targets would.
    """
    focus_types = {node: set(data.objects(node, RDF.type)) for node in map(URIRef, focus)}
    for shape, target in class_targets_removed(shapes):
        classes = set(data.transitive_subjects(RDFS.subClassOf, target))
        for node, types in focus_types.items():
            if types & classes:
                shapes.add((shape, SH.targetNode, node))
