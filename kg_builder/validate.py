"""SHACL validation with pySHACL, reported per record file, line and field instead of per IRI."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import RDF, Dataset, Graph, Namespace, URIRef

from .errors import Problem
from .mapping import Origins
from .namespace import EGKG
from .serialize import PREFIXES

__all__ = ["Violation", "shacl_violations", "union_graph"]

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


def shacl_violations(data: Graph, shapes_file: Path, origins: Origins) -> list[Violation]:
    """Validate `data` against the shapes; return every violation (empty when it conforms)."""
    shapes = Graph().parse(shapes_file, format="turtle")
    conforms, report, _ = shacl_validate(
        data, shacl_graph=shapes, inference="none", allow_warnings=False, advanced=True
    )
    if conforms:
        return []
    violations = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        message = str(report.value(result, SH.resultMessage) or "violates a shape")
        path_iri = str(path) if isinstance(path, URIRef) else ""
        shown = _short_iri(path_iri) if path_iri else "(node)"
        file, line, field = origins.get(str(focus), ("(graph)", None, ""))
        where = f"{field} " if field else ""
        problem = Problem(file, line, f"{where}<{focus}>".strip(), f"{shown}: {message}")
        violations.append(Violation(str(focus), path_iri, message, problem))
    return sorted(violations, key=lambda v: (v.problem.file, v.problem.line or 0, v.focus, v.path, v.message))
