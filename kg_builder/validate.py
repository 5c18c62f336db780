"""SHACL validation (Rust `shacl` engine; pySHACL as the reference), reported per record file, line and field."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS, Dataset, Graph, Namespace, URIRef

from .errors import Problem
from .mapping import GAZETTEER_GRAPH, ONTOLOGY_GRAPH, Origins
from .outputs.store import open_store
from .paths import SHAPES_FILE
from .rdf.namespace import EGKG
from .rdf.serialize import PREFIXES
from .shacl_engine import (
    DEFAULT_ENGINE,
    Engine,
    ShaclResult,
    as_rdflib,
    class_targets_removed,
    compiled_shapes,
    node_targeted_shapes,
    run_engine,
    rust_results,
)

__all__ = ["ChunkedValidation", "Violation", "changed_violations", "shacl_results", "shacl_violations", "union_graph"]

SH = Namespace("http://www.w3.org/ns/shacl#")
STATIC_GRAPHS = {str(ONTOLOGY_GRAPH), str(GAZETTEER_GRAPH)}
RDF_TYPE_TERM = f"<{RDF.type}>".encode()
RDFS_SUBCLASS_TERM = f"<{RDFS.subClassOf}>"


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


class ChunkedValidation:
    """The SHACL verdicts of a union of N-Quads read chunk by chunk: those of validating it whole.

    Each chunk is validated alone with the static graphs (ontology and gazetteer), which costs
    what validating the union costs, once, and reads nothing back. For a node all of whose
    triples lie in one chunk, finding nothing there is final: the shapes look one step from the
    focus node (ontology/shapes.ttl), its own triples are all there, and what may be missing (the
    types of values stated only in other chunks) can only satisfy a sh:class, never break one.
    So only two kinds of node are validated again, by `finish`, on what the whole union says of
    them: those described by more than one chunk (a second value against sh:maxCount, two dates
    against sh:lessThanOrEquals...) and those their chunk found at fault (a sh:class another chunk
    may satisfy). Their triples are read from the chunks' own N-Quads, not the store, which would
    give 62.0 as its canonical 62 and so merge two values a whole build tells apart.

    Assumes, as the mapper guarantees, that rdfs:subClassOf is stated only in the static graphs
    (a record stating it would change which shapes target another chunk's nodes) and that
    blank nodes occur only there (they cannot be named as targets across documents).
    """

    def __init__(self, static_nquads: bytes, shapes_file: Path = SHAPES_FILE):
        self.shapes_file = shapes_file
        self.static_text = static_nquads.decode("utf-8")
        self.origins: Origins = {}  # the first record to make each node, as a whole build's mapping keeps
        self.seen: set[bytes] = set()  # every subject so far, as an N-Triples term
        self.shared: set[bytes] = set()  # subjects of more than one chunk (the static graphs count as one)
        self.suspects: set[bytes] = set()  # subjects whose chunk found a violation
        self._check(self.static_text, static_nquads)

    def add_chunk(self, nquads: bytes, origins: Origins) -> None:
        """Validate one chunk's N-Quads (its own graphs only) and note what must be seen again."""
        for node, origin in origins.items():
            self.origins.setdefault(node, origin)
        self._check(self.static_text + nquads.decode("utf-8"), nquads)

    def _check(self, text: str, nquads: bytes) -> None:
        subjects = {line.partition(b" ")[0] for line in nquads.splitlines()}
        self.shared |= subjects & self.seen
        self.seen |= subjects
        for result in rust_results(text, compiled_shapes(self.shapes_file)):
            node = _term(result.focus)
            if node in subjects:  # the static graphs' nodes were judged on their own, first
                self.suspects.add(node)

    def finish(self, runs: Iterable[Path]) -> list[Violation]:
        """Every violation of the union, given the N-Quads files of all chunks and static graphs."""
        again = self.shared | self.suspects
        if not again:
            return []
        if any(node.startswith(b"_:") for node in again):  # see the class's assumptions
            raise ValueError("a blank node needs the whole union's verdict; a shapes graph cannot name it as a target")
        runs = list(runs)
        described = _triples_about(runs, again)
        pointed_to = {term for line in described for term in _object_term(line)} - again
        typed = _triples_about(runs, pointed_to, predicate=RDF_TYPE_TERM)
        types = defaultdict(set)
        for line in described:
            subject, predicate, rest = line.split(b" ", 2)
            if predicate == RDF_TYPE_TERM:
                types[subject].add(rest[:rest.index(b" ")].decode())
        members = self._instances(types)
        shapes = node_targeted_shapes(self.shapes_file, lambda cls: members.get(cls, ()))
        text = self.static_text + b"".join(described).decode() + b"".join(typed).decode()
        return _in_report_order(_violation(result, self.origins) for result in rust_results(text, shapes))

    def _instances(self, types: dict[bytes, set[str]]) -> dict[str, set[str]]:
        """Class term -> the nodes that are its instances (their type or a subclass of it, SHACL 2.1.3.3)."""
        supers = defaultdict(set)
        for quad in ox.parse(self.static_text, format=ox.RdfFormat.N_QUADS):
            if str(quad.predicate) == RDFS_SUBCLASS_TERM:
                supers[str(quad.subject)].add(str(quad.object))
        members: dict[str, set[str]] = defaultdict(set)
        for node, classes in types.items():
            for cls in _closure(classes, supers):
                members[cls].add(node.decode())
        return members


def _closure(classes: set[str], supers: dict[str, set[str]]) -> set[str]:
    found, todo = set(classes), list(classes)
    while todo:
        for parent in supers.get(todo.pop(), ()):
            if parent not in found:
                found.add(parent)
                todo.append(parent)
    return found


def _triples_about(runs: list[Path], subjects: set[bytes], *, predicate: bytes | None = None) -> set[bytes]:
    """The N-Triples lines of `runs` (N-Quads files) whose subject is one of `subjects`, each once.

    Each line's graph is dropped: a region named by 180 sources is then one triple, not 180.
    """
    found: set[bytes] = set()
    for run in runs:
        with run.open("rb") as lines:
            for line in lines:
                # partition was the fastest way tried (split, index, a substring test for the predicate)
                subject, _, rest = line.partition(b" ")
                if subject in subjects and (predicate is None or rest.startswith(predicate)):
                    found.add(line[:line.rindex(b" ", 0, line.rindex(b" "))] + b" .\n")
    return found


def _object_term(line: bytes) -> list[bytes]:
    """The object of an N-Triples line when it is a node (an IRI or blank node), for its types."""
    rest = line.split(b" ", 2)[2]
    return [rest[:rest.index(b" ")]] if rest.startswith((b"<", b"_:")) else []


def _term(focus: str) -> bytes:
    """A result's focus (an IRI, or _:label) as the N-Triples term the chunks' lines begin with."""
    return (focus if focus.startswith("_:") else f"<{focus}>").encode()


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
    return _in_report_order(_violation(result, origins) for result in results)


def _in_report_order(violations: Iterable[Violation]) -> list[Violation]:
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


def _violation(result: ShaclResult, origins: Origins) -> Violation:
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
