"""The embedded Oxigraph store: create it from quads, open it for queries."""

from __future__ import annotations

import gc
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from .errors import InputError

__all__ = ["create_store", "open_store", "patch_store"]


def create_store(path: Path, quads: Iterable[ox.Quad]) -> None:
    """Write a new on-disk store at `path` (which must not exist) holding `quads`, then close it."""
    store = ox.Store(str(path))
    store.bulk_extend(quads)
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
    for graph in sorted(drop_graphs):
        store.remove_graph(ox.NamedNode(graph))
    store.bulk_extend(quads)
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
