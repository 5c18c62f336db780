"""SHACL validation of a union read chunk by chunk, with the verdicts of validating it whole."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import RDF, RDFS

from ..mapping import Origins
from ..paths import SHAPES_FILE
from .shacl_engine import compiled_shapes, node_targeted_shapes, rust_results, superclasses
from .violations import Violation, as_violation, in_report_order

__all__ = ["ChunkedValidation"]

RDF_TYPE_TERM = f"<{RDF.type}>".encode()
RDFS_SUBCLASS_TERM = f"<{RDFS.subClassOf}>"


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
        return in_report_order(as_violation(result, self.origins) for result in rust_results(text, shapes))

    def _instances(self, types: dict[bytes, set[str]]) -> dict[str, set[str]]:
        """Class term -> the nodes that are its instances (their type or a subclass of it, SHACL 2.1.3.3)."""
        supers = defaultdict(set)
        for quad in ox.parse(self.static_text, format=ox.RdfFormat.N_QUADS):
            if str(quad.predicate) == RDFS_SUBCLASS_TERM:
                supers[str(quad.subject)].add(str(quad.object))
        members: dict[str, set[str]] = defaultdict(set)
        for node, classes in types.items():
            for cls in superclasses(classes, supers):
                members[cls].add(node.decode())
        return members


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
