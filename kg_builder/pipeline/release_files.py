"""A release's files: egkg.nq, its shares and the store written into a new release; egkg.nq merged from the shares on first read."""

from __future__ import annotations

import heapq
import os
import threading
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError
from ..outputs.store import create_store, patch_store
from ..rdf.serialize import lines_by_graph, merged_files, to_nquads, unique_lines
from ..reason.changes import InferenceChange
from .cache import Cache
from .incremental import CACHE_DIR, Manifest, read_manifest
from .shares import SHARE, block_name, graph_of_share, share_groups, share_path
from .release import NQUADS, STORE, current_release, discard, new_release, publish, remove_stale_releases
from .stages import Progress, timed

__all__ = ["WHOLE_NQUADS_MAX", "graph_shares", "nquads_file", "write_outputs", "write_release"]

# An incremental build merges egkg.nq from the shares up to this size (the five articles: 2.5 MB;
# 1,000 meetings: 360 MB, 10,000: 2.7 GB); above it the file is merged when first read, so an edit
# costs what the edit costs, not what rewriting the whole graph costs (18.7 s of a 40 s rebuild at M).
WHOLE_NQUADS_MAX = 64 * 2**20


def write_outputs(out_dir: Path, quads: list[ox.Quad], timings: dict[str, float], progress: Progress) -> None:
    """Write the N-Quads and the store of `quads` into a new release directory, then switch to it at once."""
    write_release(out_dir, to_nquads(quads), timings, progress)


def write_release(
    out_dir: Path, nquads: bytes, timings: dict[str, float], progress: Progress, *, cache: Cache | None = None,
    patch: tuple[Path, set[str], list[ox.Quad]] | None = None,
    reasoning: Callable[[ox.Store], InferenceChange] | None = None,
) -> None:
    """Write egkg.nq, the shares (with `cache`) and the store into a new release, then switch to it at once.

    `nquads` are sorted N-Quads: the whole graph, or with `patch` (previous release, graphs to drop,
    the new graphs' quads) only the new graphs; then the store is a hard-linked checkpoint of the
    previous one with those graphs replaced, the unchanged shares are hard links, and egkg.nq is
    merged from the shares when it is small (else on first read, see nquads_file). With `reasoning`
    (and `patch`), the store is patched first, keeping the previous inferred graphs, and `reasoning`
    brings them up to date inside it; the inferred graphs it changed get new shares.
    """
    release = new_release(out_dir)
    try:
        groups = share_groups(lines_by_graph(nquads.decode().splitlines(keepends=True)))
        if reasoning is not None and patch is not None and cache is not None:
            with timed(timings, "load store", progress):
                patch_store(patch[0] / STORE, release / STORE, patch[1], patch[2])
            store = ox.Store(str(release / STORE))
            try:
                change = reasoning(store)  # InconsistentGraph: the release is discarded below
                store.flush()
            finally:
                del store
            cache.changed_inference = change
            groups |= _changed_inferred_shares(patch[0], cache.previous[1], change)
        with timed(timings, "write N-Quads", progress, add=True):
            if cache is not None:
                cache.write(release, groups)
            if patch is None:
                (release / NQUADS).write_bytes(nquads)
            elif _shares_within(release, WHOLE_NQUADS_MAX):
                _merge_shares(release)
        with timed(timings, "load store", progress, add=True):  # the in-store path patched the store already
            if patch and reasoning is None:
                patch_store(patch[0] / STORE, release / STORE, patch[1], patch[2])
            elif not patch:
                create_store(release / STORE, nquads)
        publish(release, out_dir)
    except BaseException:
        discard(release, out_dir)
        raise
    remove_stale_releases(out_dir)


def _changed_inferred_shares(previous: Path, manifest: Manifest, change: InferenceChange) -> dict[str, list[str]]:
    """The lines of each inferred graph `change` touched: its previous share without what was taken out, plus what was put in."""
    removed = share_groups(lines_by_graph(to_nquads(change.removed).decode().splitlines(keepends=True)))
    added = share_groups(lines_by_graph(to_nquads(change.added).decode().splitlines(keepends=True)))
    groups = {}
    for key in sorted(removed.keys() | added.keys()):
        block = manifest.inferred_blocks.get(key)
        gone = set(removed.get(key, ()))
        # The share is sorted already: merged with the (sorted) additions, not sorted again. Rule 40's
        # graph is cut into parts (share_groups), so only the parts the change reaches are read.
        with share_path(previous / CACHE_DIR, block).open(encoding="utf-8") if block else nullcontext(()) as old:
            kept = (line for line in old if line not in gone)
            groups[key] = list(unique_lines(heapq.merge(kept, added.get(key, []))))
    return groups


def _shares_within(release: Path, limit: int) -> bool:
    """Whether egkg.nq will be at most `limit` bytes: the shares hold its lines, each graph's in one share.

    Stops at the first share past the limit: at 10,000 meetings stat-ing all 10,500 shares took 0.2 s.
    """
    size = 0
    with os.scandir(release / CACHE_DIR) as entries:
        for entry in entries:
            if entry.name.endswith(SHARE) and not entry.name.startswith("."):  # as glob("*.nq")
                size += entry.stat().st_size
                if size > limit:
                    return False
    return True


def _merge_shares(release: Path) -> Path:
    """Write the release's egkg.nq: its shares merged; atomically, as readers may be waiting for it."""
    manifest = read_manifest(release)
    if manifest is None:
        raise InputError("this build has neither egkg.nq nor the parts to make it; run `egkg build --full`",
                         file=release / NQUADS)
    shares = manifest.shares()
    paths = [share_path(release / CACHE_DIR, shares[graph]) for graph in sorted(shares)]
    return _merge_into(release / NQUADS, paths, release)


def _merge_into(target: Path, paths: list[Path], release: Path) -> Path:
    """The sorted merge of `paths` written to `target` atomically: readers may race to merge it."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}")
    try:
        with partial.open("wb") as out:
            out.writelines(merged_files(paths, release))
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def nquads_file(build_dir: Path) -> Path:
    """build_dir/egkg.nq, merged from the current release's shares first when an incremental build left it to be.

    Readers (export, push, `query --engine rdflib`, `egkg reason`) call this rather than opening the
    link: at national scale an incremental build does not rewrite the whole graph's file.
    """
    public = build_dir / NQUADS
    if public.is_file() or not public.is_symlink():
        return public  # present, or no build here: the caller says so
    for _ in range(3):  # a build may publish a newer release and remove this one meanwhile
        release = current_release(build_dir)
        if release is None:
            return public
        try:
            merged = _merge_shares(release)
        except FileNotFoundError:
            continue
        # The merged file is read through the release: the public link may already point to a newer one.
        return public if public.is_file() and public.resolve() == merged.resolve() else merged
    return public


def graph_shares(build_dir: Path) -> list[tuple[str, Path]] | None:
    """(graph IRI, its share of egkg.nq) for every graph of the current release, in graph IRI order (a graph
    cut into parts has them merged into one file).

    None when the release keeps no shares (a build by an older egkg, or by `egkg reason`).
    """
    release = current_release(build_dir)
    manifest = read_manifest(release) if release is not None else None
    if manifest is None:
        return None
    parts: dict[str, list[Path]] = {}
    for key, block in manifest.shares().items():
        parts.setdefault(graph_of_share(key), []).append(share_path(release / CACHE_DIR, block))
    if not all(path.is_file() for paths in parts.values() for path in paths):
        return None
    return [(graph, paths[0] if len(paths) == 1 else _merged_parts(release, graph, paths))
            for graph, paths in sorted(parts.items())]


def _merged_parts(release: Path, graph: str, paths: list[Path]) -> Path:
    """One file of a graph whose share is cut into parts, merged when first asked (atomically: readers may race)."""
    target = share_path(release / CACHE_DIR, block_name(graph))
    if not target.is_file():
        _merge_into(target, paths, release)
    return target
