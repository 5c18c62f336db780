"""The embedded Oxigraph store: create it from quads, open it for queries.

Every named-graph quad is also written, once, to the store's default graph, which therefore holds
the set union of the sources. Queries read that default graph. Oxigraph's own "union default graph"
is a bag: a triple stated by 180 sources matches 180 times, and a two-pattern join over such
entities returns 180² rows before DISTINCT can shrink them (measured: 666 s against 0.2 s).
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError

__all__ = ["create_store", "load_nquads", "open_store", "patch_store", "union_missing", "with_union"]


def with_union(quads: Iterable[ox.Quad]) -> Iterator[ox.Quad]:
    """Each quad followed by its copy in the default graph; the store keeps one copy of each."""
    for quad in quads:
        yield quad
        if not isinstance(quad.graph_name, ox.DefaultGraph):
            yield ox.Quad(quad.subject, quad.predicate, quad.object)


def load_nquads(store: ox.Store, nquads: bytes) -> None:
    """Load N-Quads of named graphs and their triples into the default graph, bulk-loading the text itself.

    Measured at S (2.7 M quads with the union): the same CPU as parsing into Python quads and
    `bulk_extend(with_union(...))`, but no Python object per quad (1.2-1.9 GB peak against 3.2 GB)
    and Oxigraph's loader threads. The bulk loader relabels blank nodes, so the few lines that hold
    one (the ontology's OWL lists) are parsed, which keeps their labels, as the mapper made them.
    """
    labelled, plain = [], []
    for line in nquads.splitlines(keepends=True):
        (labelled if b"_:" in line else plain).append(line)  # "_:" inside a literal only takes the slow way
    store.bulk_load(input=b"".join(plain), format=ox.RdfFormat.N_QUADS)
    store.bulk_load(input=b"".join(_as_triple(line) for line in plain), format=ox.RdfFormat.N_QUADS)
    if labelled:
        store.bulk_extend(with_union(ox.parse(b"".join(labelled), format=ox.RdfFormat.N_QUADS)))


def _as_triple(line: bytes) -> bytes:
    """The line without its graph, so it lands in the default graph (the graph is the last term and its
    IRI holds no space, see serialize.lines_by_graph)."""
    return line[:line.rfind(b" <")] + b" .\n"


def create_store(path: Path, quads: Iterable[ox.Quad] | bytes) -> None:
    """Write a new on-disk store at `path` (which must not exist) holding `quads` (or N-Quads text), then close it."""
    store = ox.Store(str(path))
    if isinstance(quads, bytes):
        load_nquads(store, quads)
    else:
        store.bulk_extend(with_union(quads))
    store.flush()
    store.optimize()
    del store
    gc.collect()  # RocksDB releases its lock only when the Store object is dropped


def patch_store(previous: Path, path: Path, drop_graphs: set[str], quads: Iterable[ox.Quad]) -> None:
    """Write a new store at `path`: the previous one without `drop_graphs`, plus `quads`.

    The checkpoint hard-links the previous store's immutable files, so this costs what the
    change costs, not what the whole graph costs.
    """
    old = ox.Store.read_only(str(previous))
    old.backup(str(path))
    del old
    store = ox.Store(str(path))
    dropped: set[ox.Triple] = set()
    for graph in sorted(drop_graphs):
        dropped.update(q.triple for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
        store.remove_graph(ox.NamedNode(graph))
    store.bulk_extend(with_union(quads))
    for triple in dropped:
        # The union keeps a triple while any source still states it.
        if not any(isinstance(q.graph_name, ox.NamedNode)
                   for q in store.quads_for_pattern(triple.subject, triple.predicate, triple.object, None)):
            store.remove(ox.Quad(triple.subject, triple.predicate, triple.object))
    store.flush()
    del store
    gc.collect()


def open_store(path: Path, *, read_only: bool = True) -> ox.Store:
    """Open a built store; a missing store is an input error that says how to build one."""
    if not (path / "CURRENT").is_file():
        raise InputError("no store here; run `egkg build` first", file=path)
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        raise InputError(f"cannot open the store: {exc}", file=path) from exc


def union_missing(store: ox.Store) -> bool:
    """True for a store with named graphs but an empty default graph (an older egkg's): queries would find nothing."""
    empty_default = next(store.quads_for_pattern(None, None, None, ox.DefaultGraph()), None) is None
    return empty_default and next(store.quads_for_pattern(None, None, None, None), None) is not None
