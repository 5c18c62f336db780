"""Two SHACL engines behind one result type: the Rust `shacl` engine the build uses, pySHACL the reference."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal as Choice

import pyoxigraph as ox
import shacl
from pyshacl import validate as pyshacl_validate
from rdflib import RDF, BNode, Dataset, Graph, Literal, Namespace, URIRef

from ..rdf.serialize import ox_term

__all__ = [
    "DEFAULT_ENGINE",
    "ENGINES",
    "Engine",
    "ShaclResult",
    "as_rdflib",
    "as_text",
    "class_targets_removed",
    "compiled_shapes",
    "node_targeted_shapes",
    "rdflib_triple",
    "run_engine",
    "rust_results",
    "superclasses",
]

SH = Namespace("http://www.w3.org/ns/shacl#")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
Engine = Choice["shacl", "pyshacl"]
ENGINES: tuple[Engine, ...] = ("shacl", "pyshacl")
# The Rust engine validated the 1,000-meeting union in ~2 s where pySHACL took ~80 s
# (benchmarks/shacl_engines.py); pySHACL stays as the reference the differential test compares with.
DEFAULT_ENGINE: Engine = "shacl"

# What each constraint component the shapes use means, for results whose shape has no sh:message.
# pySHACL writes its own sentence; the Rust engine leaves the message empty.
COMPONENT_TEXT = {
    "ClassConstraintComponent": "the value is not an instance of the required class (sh:class)",
    "DatatypeConstraintComponent": "the value is not a well-formed literal of the required datatype (sh:datatype)",
    "LanguageInConstraintComponent": "the value's language tag is not one of those allowed (sh:languageIn)",
    "LessThanConstraintComponent": "the value is not less than the other property's (sh:lessThan)",
    "LessThanOrEqualsConstraintComponent": "the value is after the other property's (sh:lessThanOrEquals)",
    "MaxCountConstraintComponent": "more values than allowed (sh:maxCount)",
    "MinCountConstraintComponent": "fewer values than required (sh:minCount)",
    "MinInclusiveConstraintComponent": "the value is below the minimum (sh:minInclusive)",
    "MinLengthConstraintComponent": "the value is shorter than allowed (sh:minLength)",
    "OrConstraintComponent": "the value matches none of the alternatives (sh:or)",
    "PatternConstraintComponent": "the value does not match the pattern (sh:pattern)",
    "UniqueLangConstraintComponent": "two values share a language tag (sh:uniqueLang)",
}


@dataclass(frozen=True, order=True)
class ShaclResult:
    """One sh:ValidationResult: what the differential test compares and the build reports."""

    focus: str  # an IRI, or _:label for a blank node
    path: str  # the predicate IRI, or "" for a node-level constraint
    component: str  # local name, e.g. "MinCountConstraintComponent"
    message: str
    value: str | None = None  # the offending value in N-Triples syntax, when the constraint names one


def run_engine(engine: Engine, data: object, shapes_file: Path, *, shapes: Graph | None = None) -> list[ShaclResult]:
    """Validate `data` (see `as_text` / `as_rdflib`) with `engine`; every result, sorted.

    `shapes` replaces the parsed shapes file for pySHACL (the focused path rewrites its targets).
    """
    if engine == "shacl":
        return _run_rust(as_text(data), shapes_file)
    if engine == "pyshacl":
        return _run_pyshacl(as_rdflib(data), shapes if shapes is not None else Graph().parse(shapes_file, format="turtle"))
    raise ValueError(f"unknown SHACL engine {engine!r}; choose one of {', '.join(ENGINES)}")


@lru_cache(maxsize=4)
def _compiled(shapes_file: str, modified_ns: int) -> shacl.Shapes:
    """Shapes compiled once per file version: a chunked build validates hundreds of times."""
    del modified_ns  # part of the cache key only: an edited shapes file compiles again
    return shacl.Shapes.from_file(shapes_file)


def compiled_shapes(shapes_file: Path) -> shacl.Shapes:
    """The Rust engine's compiled form of `shapes_file`, compiled again only when the file changes."""
    return _compiled(str(shapes_file), shapes_file.stat().st_mtime_ns)


def node_targeted_shapes(shapes_file: Path, instances: Callable[[str], Iterable[str]]) -> shacl.Shapes:
    """The shapes with each sh:targetClass C replaced by sh:targetNode for every node of `instances(C)`.

    `instances` takes and gives N-Triples terms (<iri>). The data handed to these shapes may
    then hold nodes seen only in part (typed for a neighbour's sh:class) without making them
    targets: the engine builds every result it finds, ~50 us each, and such nodes fail by the thousand.
    """
    shapes = Graph().parse(shapes_file, format="turtle")
    targets: set[str] = set()  # a set: a node of two classes one shape targets is one focus node
    for shape, target in class_targets_removed(shapes):
        targets.update(f"{shape.n3()} <{SH.targetNode}> {node} .\n" for node in instances(target.n3()))
    # rdflib writes blank nodes as _:<id>, the label n3() gives, so the added lines name the same shapes.
    return shacl.Shapes.from_text(shapes.serialize(format="nt") + "".join(sorted(targets)), format="ntriples")


def class_targets_removed(shapes: Graph) -> list[tuple]:
    """Take every sh:targetClass out of `shapes`; the (shape, class) pairs, for node targets to replace them."""
    pairs = list(shapes.subject_objects(SH.targetClass))
    for shape, target in pairs:
        shapes.remove((shape, SH.targetClass, target))
    return pairs


def rust_results(text: str, compiled: shacl.Shapes) -> list[ShaclResult]:
    """Every violation the Rust engine finds in N-Quads `text` (the union of its graphs), sorted."""
    report = compiled.validate_text(text, format="nquads", inference="none", allow_warnings=False)
    return sorted(
        ShaclResult(_plain(r.focus_node), _plain(r.path) if r.path else "", r.component,
                    r.message or COMPONENT_TEXT.get(r.component, "violates a shape"), r.value)
        for r in report.results if r.severity == "Violation"
    )


def _run_rust(text: str, shapes_file: Path) -> list[ShaclResult]:
    # N-Quads: the engine validates the union of all graphs, which is the data graph the shapes expect.
    return rust_results(text, compiled_shapes(shapes_file))


def _plain(term: str) -> str:
    """<iri> -> iri; blank nodes and complex paths stay as the engine wrote them."""
    return term[1:-1] if term.startswith("<") and term.endswith(">") and " " not in term else term


def _run_pyshacl(data: Graph, shapes: Graph) -> list[ShaclResult]:
    _, report, _ = pyshacl_validate(data, shacl_graph=shapes, inference="none", allow_warnings=False, advanced=True)
    results = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        component = report.value(result, SH.sourceConstraintComponent)
        value = report.value(result, SH.value)
        results.append(ShaclResult(
            f"_:{focus}" if isinstance(focus, BNode) else str(focus),
            str(path) if isinstance(path, URIRef) else "",
            str(component).removeprefix(str(SH)),
            str(report.value(result, SH.resultMessage) or "violates a shape"),
            value.n3() if value is not None else None,
        ))
    return sorted(results)


def as_text(data: object) -> str:
    """N-Quads (or N-Triples, a subset) text for the Rust engine, from whatever the caller holds.

    Accepted: N-Quads/N-Triples as str or bytes, an rdflib Graph or Dataset, or Oxigraph quads/triples.
    """
    if isinstance(data, bytes):
        return data.decode("utf-8")
    if isinstance(data, str):
        return data
    if isinstance(data, Graph):  # a Dataset is a Graph too: its quads, every named graph
        quads = data.quads((None, None, None, None)) if isinstance(data, Dataset) else ((*t, None) for t in data)
        return _ntriples([_ox_triple(s, p, o) for s, p, o, _ in quads])
    items = list(data)
    if all(isinstance(item, ox.Quad) for item in items):
        # N-Quads as they are: the engine reads every graph into one, and nothing is copied in Python
        return ox.serialize(items, format=ox.RdfFormat.N_QUADS).decode("utf-8")
    return _ntriples([_as_triple(item) for item in items])


def _ntriples(triples: list[ox.Triple]) -> str:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


def as_rdflib(data: object) -> Graph:
    """An rdflib Graph (the union of every graph) for pySHACL, from whatever the caller holds."""
    if isinstance(data, Dataset):
        union = Graph()
        for s, p, o, _ in data.quads((None, None, None, None)):
            union.add((s, p, o))
        return union
    if isinstance(data, Graph):
        return data
    if isinstance(data, (str, bytes)):
        return _rdflib_from(ox.parse(data, format=ox.RdfFormat.N_QUADS))
    return _rdflib_from(data)


def _rdflib_from(items: Iterable) -> Graph:
    graph = Graph()
    for item in items:
        graph.add(rdflib_triple(item))
    return graph


def _as_triple(item: ox.Quad | ox.Triple) -> ox.Triple:
    return item if isinstance(item, ox.Triple) else ox.Triple(item.subject, item.predicate, item.object)


def _ox_triple(s, p, o) -> ox.Triple:
    return ox.Triple(ox_term(s), ox_term(p), ox_term(o))


def rdflib_triple(item: ox.Quad | ox.Triple) -> tuple:
    """An Oxigraph quad or triple as an rdflib triple (its graph dropped)."""
    return (_rdflib_term(item.subject), _rdflib_term(item.predicate), _rdflib_term(item.object))


def _rdflib_term(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == XSD_STRING:
        # rdflib tells "x" from "x"^^xsd:string (RDF 1.1 makes them one); the mapping writes the former.
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def superclasses(classes: set[str], parents_of: dict[str, set[str]]) -> set[str]:
    """`classes` and every class they are (transitively) subclasses of: what a class target reaches (SHACL 2.1.3.3)."""
    found, todo = set(classes), list(classes)
    while todo:
        for parent in parents_of.get(todo.pop(), ()):
            if parent not in found:
                found.add(parent)
                todo.append(parent)
    return found
