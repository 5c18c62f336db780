"""Oxigraph quads (or an rdflib dataset) -> sorted N-Quads and TriG, byte-identical for the same input."""

from __future__ import annotations

import heapq
import resource
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from functools import lru_cache
from itertools import groupby
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef

__all__ = ["PREFIXES", "lines_by_graph", "merge_nquads", "merged_files", "ox_term", "sorted_quads", "to_nquads",
           "to_oxigraph", "to_trig", "trig_block", "trig_blocks", "trig_document", "unique_lines"]

PREFIXES = {
    "egkg": "https://w3id.org/egkg/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "https://schema.org/",
    "eli": "http://data.europa.eu/eli/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
}


def ox_term(term: object) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        # Only the ontology's OWL lists use blank nodes, canonically labelled by mapping.py.
        return ox.BlankNode(str(term))
    raise TypeError(f"unexpected RDF term {term!r}")


def to_oxigraph(dataset: Dataset) -> list[ox.Quad]:
    """Every quad of the dataset's named graphs as Oxigraph quads (default graph is unused)."""
    quads = []
    for s, p, o, g in dataset.quads((None, None, None, None)):
        graph = g.identifier if hasattr(g, "identifier") else g
        quads.append(ox.Quad(ox_term(s), ox_term(p), ox_term(o), ox.NamedNode(str(graph))))
    return quads


def sorted_quads(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """Graph, subject, predicate, object order: what TriG groups by."""
    return sorted(quads, key=lambda q: (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object)))


def to_nquads(quads: Iterable[ox.Quad]) -> bytes:
    """N-Quads with lines sorted bytewise and no duplicates."""
    text = ox.serialize(list(quads), format=ox.RdfFormat.N_QUADS)
    lines = sorted(set(text.splitlines(keepends=True)))
    return b"".join(lines)


def merge_nquads(previous: bytes, drop_graphs: set[str], quads: Iterable[ox.Quad] | bytes) -> bytes:
    """Sorted N-Quads: `previous` without the lines of `drop_graphs`, merged with `quads`.

    `quads` are Oxigraph quads, or N-Quads already sorted and duplicate-free (the mapper's lines).
    Both sides are sorted, so one linear merge replaces re-sorting the whole build.
    """
    endings = tuple(f"<{graph}> .".encode() for graph in drop_graphs)
    kept = (line for line in previous.splitlines(keepends=True) if not (endings and line.rstrip(b"\n").endswith(endings)))
    added = (quads if isinstance(quads, bytes) else to_nquads(quads)).splitlines(keepends=True)
    return b"".join(unique_lines(heapq.merge(kept, added)))


def lines_by_graph(lines: Iterable[str]) -> dict[str, list[str]]:
    """N-Quads lines of named graphs grouped by graph IRI; each group keeps the lines' order.

    The graph is the last term and its IRI holds no space, so the last " <" opens it whatever the
    object literal holds (grouped on the line's tail `g> .\n`, cut once per graph: 10 M lines at M).
    """
    groups: dict[str, list[str]] = {}
    find = groups.get
    for line in lines:
        tail = line.rpartition(" <")[2]
        group = find(tail)
        if group is None:
            group = groups[tail] = []
        group.append(line)
    return {tail.rstrip("\n")[:-3]: group for tail, group in groups.items()}


def merged_files(paths: Sequence[Path], scratch: Path) -> Iterator[bytes]:
    """The sorted, duplicate-free union of sorted N-Quads files, read as streams.

    A national build has a share per source (10,000 at M, 100,000 at L): more than a process may
    usually hold open, so they are merged a batch at a time into runs under `scratch` first.
    """
    batch = _open_files_allowed()
    with tempfile.TemporaryDirectory(prefix=".merge-", dir=scratch) as runs_dir:
        while len(paths) > batch:
            runs = []
            for start in range(0, len(paths), batch):
                runs.append(Path(runs_dir) / f"run-{len(paths)}-{start}.nq")
                with runs[-1].open("wb") as out:
                    out.writelines(merged_files(paths[start:start + batch], scratch))
            paths = runs
        with ExitStack() as stack:
            handles = [stack.enter_context(Path(path).open("rb")) for path in paths]
            yield from unique_lines(heapq.merge(*handles))


def _open_files_allowed() -> int:
    """How many files to merge at once: the soft limit raised to the hard one, less some for the rest."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 65536 if hard == resource.RLIM_INFINITY else min(hard, 65536)
    if soft != resource.RLIM_INFINITY and soft < wanted:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
        except (ValueError, OSError):
            pass  # keep the soft limit and merge in more batches
    return max(16, min(soft, 65536) - 256)


def unique_lines(lines: Iterable[bytes]) -> Iterable[bytes]:
    """Sorted lines without repeats (duplicates are adjacent once sorted)."""
    last = None
    for line in lines:
        if line != last:
            yield line
        last = line


def to_trig(quads: Iterable[ox.Quad]) -> bytes:
    """TriG grouped by graph and subject, with the project's prefixes."""
    return trig_document(trig_blocks(quads).values())


def trig_blocks(quads: Iterable[ox.Quad]) -> dict[str, bytes]:
    """One TriG block per graph (without the prefix lines), keyed and ordered by graph IRI.

    A TriG file is the prefix header followed by these blocks in graph order, so an incremental
    build can reuse the blocks of graphs that did not change.
    """
    return {graph.value: _block(list(group)) for graph, group in groupby(sorted_quads(quads), key=lambda q: q.graph_name)}


def trig_block(nquads: bytes) -> bytes:
    """The TriG block of one graph's N-Quads (a build's share of that graph), as trig_blocks writes it."""
    return _block(sorted_quads(ox.parse(nquads, format=ox.RdfFormat.N_QUADS)))


def _block(graph_quads: list[ox.Quad]) -> bytes:
    text = ox.serialize(graph_quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES)
    return text[len(_trig_header()):]


def trig_document(blocks: Iterable[bytes]) -> bytes:
    """The prefix header and the given blocks (already in graph order)."""
    return _trig_header() + b"".join(blocks)


@lru_cache(maxsize=1)
def _trig_header() -> bytes:
    """The @prefix lines Oxigraph writes before any graph (the same for every block)."""
    sample = ox.Quad(ox.NamedNode(PREFIXES["egkg"] + "x"), ox.NamedNode(PREFIXES["rdf"] + "type"),
                     ox.NamedNode(PREFIXES["egkg"] + "x"), ox.NamedNode(PREFIXES["egkg"] + "g"))
    lines = ox.serialize([sample], format=ox.RdfFormat.TRIG, prefixes=PREFIXES).splitlines(keepends=True)
    return b"".join(line for line in lines if line.startswith(b"@prefix "))
