"""The build pipeline: records -> checks -> RDF -> SHACL -> reasoning -> N-Quads (per graph and whole) and the store.

Outputs are written to a new release directory and switched to with one atomic rename only when
everything succeeded, so a failed, interrupted or killed build leaves the previous build/ as it was.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import heapq
import os
import pickle
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef

from ..errors import InputError, InputErrors, Problem
from ..load.corpus import load_corpus, record_paths
from ..load.loaded import Corpus
from ..mapping import map_corpus_nquads, source_graph_iri
from ..outputs.store import create_store, patch_store
from ..paths import ONTOLOGY_FILE, SHAPES_FILE
from ..rdf.serialize import (
    lines_by_graph,
    merge_nquads,
    merged_files,
    to_nquads,
    unique_lines,
)
from ..rdf.vocab import load_ontology
from ..reason.coordination import Patch, load_participations, save_participations
from ..reason.reason import (
    Inference,
    InferenceChange,
    hermit_fits_shares,
    infer,
    inferred_graphs,
    is_inferred,
    reason_changes,
)
from ..validate.changed import changed_violations
from ..validate.shacl_engine import rdflib_triple
from ..validate.violations import Violation, shacl_violations
from .chunked import build_in_chunks
from .incremental import (
    CACHE_DIR,
    SHARE,
    Manifest,
    Plan,
    block_name,
    fingerprint,
    graph_of_share,
    plan_changes,
    read_manifest,
    save_file_entries,
    share_groups,
    share_path,
    with_dependants,
    write_manifest,
    write_shares,
)

__all__ = ["BuildResult", "ShaclViolations", "build", "check", "graph_shares", "nquads_file", "owning_build", "reason_again",
           "write_outputs"]

NQUADS = "egkg.nq"
TRIG = "egkg.trig"  # written by builds before TriG moved to `egkg export`; the name stays reserved
STORE = "store"
CURRENT = "current"  # symlink to the release the public names point into
RELEASES = ".releases"
LOCK = ".build.lock"
# What a build directory's layout uses: nothing else may be written onto or into these.
OWNED = (NQUADS, TRIG, STORE, CURRENT, RELEASES, LOCK)
PUBLIC = (NQUADS, STORE)  # links into current/
# An incremental build merges egkg.nq from the shares up to this size (the five articles: 2.5 MB;
# 1,000 meetings: 360 MB, 10,000: 2.7 GB); above it the file is merged when first read, so an edit
# costs what the edit costs, not what rewriting the whole graph costs (18.7 s of a 40 s rebuild at M).
WHOLE_NQUADS_MAX = 64 * 2**20

Progress = Callable[[str], None]


class ShaclViolations(Exception):
    """The graph does not conform to ontology/shapes.ttl."""

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        super().__init__("\n".join(v.problem.render() for v in violations))


@dataclass
class BuildResult:
    """What a build produced and how long each stage took."""

    corpus: Corpus
    nquads: bytes = b""  # the mapped graphs as sorted N-Quads (after an incremental build: the changed files' and static ones)
    origins: dict = field(default_factory=dict)
    quads: list[ox.Quad] = field(default_factory=list)  # empty after an incremental build (not re-read)
    timings: dict[str, float] = field(default_factory=dict)
    out_dir: Path | None = None
    inference: Inference | None = None
    changes: Plan | None = None  # set when only changed record files were redone
    quad_count: int | None = None  # set when the quads were streamed, not kept (chunked builds)
    inference_change: InferenceChange | None = None  # set when an incremental build reasoned only what changed

    @cached_property
    def dataset(self) -> Dataset:
        """The mapped graphs as an rdflib Dataset, made only when asked: the build itself never needs one.

        Made from Oxigraph's quads, not rdflib's parser, which would relabel the ontology's blank nodes.
        """
        dataset = Dataset()
        graphs: dict[str, Graph] = {}
        for quad in ox.parse(self.nquads, format=ox.RdfFormat.N_QUADS):
            name = quad.graph_name.value
            graph = graphs.get(name) or graphs.setdefault(name, dataset.graph(URIRef(name)))
            graph.add(rdflib_triple(quad))
        return dataset


def _quiet(_: str) -> None:
    pass


def check(data_dir: Path, progress: Progress = _quiet, timings: dict[str, float] | None = None) -> BuildResult:
    """Load, check, map and validate the records; raise InputErrors or ShaclViolations."""
    timings = {} if timings is None else timings
    with _timed(timings, "load records", progress):
        ontology = load_ontology(ONTOLOGY_FILE)
        corpus = load_corpus(data_dir, ontology, timings=timings)
    timings["load records"] -= timings.get("evidence check", 0.0)  # reported as its own stage
    with _timed(timings, "map to RDF", progress):
        lines, origins = map_corpus_nquads(corpus, ontology)
        nquads = "".join(lines).encode()
        quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))  # for reasoning and TriG
    with _timed(timings, "SHACL", progress):
        violations = shacl_violations(nquads, SHAPES_FILE, origins)  # the Rust engine reads the text as it is
    if violations:
        raise ShaclViolations(violations)
    return BuildResult(corpus=corpus, nquads=nquads, origins=origins, timings=timings, quads=quads)


# Above this many record files a full build goes chunk by chunk (kg_builder/chunked.py).
CHUNK_FILES = 500


def build(
    data_dir: Path, out_dir: Path, progress: Progress = _quiet, *, reason: bool = True, incremental: bool = True,
    chunk_files: int = CHUNK_FILES,
) -> BuildResult:
    """Check everything, reason (unless told not to), then write N-Quads and the store atomically.

    When the previous build in `out_dir` came from the same code, ontology and reference data,
    only record files that changed since are parsed, mapped, validated and loaded again.
    """
    created = _prepare_out_dir(out_dir)
    try:
        with _build_lock(out_dir):
            return _build_locked(data_dir, out_dir, progress, reason=reason, incremental=incremental,
                                 chunk_files=chunk_files)
    except BaseException:
        # A refused first build leaves no trace, not an empty build/ with a lock file; but only when
        # nothing else is there (a second build that lost the race must not remove the first's work).
        if created and _holds_only_lock(out_dir):
            shutil.rmtree(out_dir, ignore_errors=True)
        raise


def _holds_only_lock(out_dir: Path) -> bool:
    entries = set(os.listdir(out_dir)) if out_dir.is_dir() else set()
    releases = out_dir / RELEASES
    if RELEASES in entries and not any(releases.iterdir()):
        entries.discard(RELEASES)
    return entries <= {LOCK}


def _prepare_out_dir(out_dir: Path) -> bool:
    """Create the output directory if needed; return whether this build created it."""
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError("--out names a file; give a directory for the build", file=out_dir)
    created = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the build directory: {exc.strerror}", file=out_dir) from None
    return created


def _build_locked(
    data_dir: Path, out_dir: Path, progress: Progress, *, reason: bool, incremental: bool, chunk_files: int
) -> BuildResult:
    """The build proper, once the lock is held: incremental when the previous release allows it."""
    timings: dict[str, float] = {}
    current_fingerprint = fingerprint(data_dir)
    previous = _current_release(out_dir)
    manifest = read_manifest(previous) if incremental and previous is not None else None
    if manifest is not None and manifest.reasoned == reason:
        with _timed(timings, "find changes", progress):
            plan = plan_changes(data_dir, manifest, current_fingerprint)
        if plan is not None:
            return _build_changes(data_dir, out_dir, previous, manifest, plan, timings, progress, reason=reason)
    if len(record_paths(data_dir)) > chunk_files:
        return _build_chunked(data_dir, out_dir, current_fingerprint, timings, progress, reason=reason,
                              chunk_files=chunk_files)
    result = check(data_dir, progress, timings)
    nquads = result.nquads
    if reason:
        with _timed(timings, "reason", progress):
            result.inference = infer(result.quads, result.origins)
        result.quads = result.quads + result.inference.quads
        with _timed(timings, "write N-Quads", progress):
            nquads = merge_nquads(nquads, set(), result.inference.quads)
    cache = _Cache(Manifest(current_fingerprint, reason), result.corpus, result.origins, data_dir,
                   inference=result.inference)
    _write_release(out_dir, nquads, timings, progress, cache=cache)
    result.out_dir = out_dir
    return result


def _build_chunked(
    data_dir: Path, out_dir: Path, current_fingerprint: str, timings: dict[str, float], progress: Progress,
    *, reason: bool, chunk_files: int,
) -> BuildResult:
    """A full build chunk by chunk into a new release, published like any other."""
    release = _new_release(out_dir)
    try:
        chunked = build_in_chunks(
            data_dir, release, current_fingerprint, reason=reason, chunk_files=chunk_files,
            timed=lambda stage: _timed(timings, stage, progress, add=True), timings=timings,
        )
        if chunked.violations:
            raise ShaclViolations(sorted(chunked.violations, key=_violation_order))
        timings["load records"] -= timings.get("evidence check", 0.0)
        _publish(release, out_dir)
    except BaseException:
        _discard(release, out_dir)
        raise
    _remove_stale_releases(out_dir)
    return BuildResult(corpus=chunked.corpus, timings=timings, out_dir=out_dir,
                       inference=chunked.inference, quad_count=chunked.quad_count)


def _violation_order(v: Violation) -> tuple:
    return (v.problem.file, v.problem.line or 0, v.focus, v.path, v.message)


def _new_release(out_dir: Path) -> Path:
    releases = out_dir / RELEASES
    releases.mkdir(exist_ok=True)
    _remove_stale_releases(out_dir)
    release = releases / f"r{os.getpid()}-{time.monotonic_ns()}"
    release.mkdir()
    return release


def _build_changes(
    data_dir: Path, out_dir: Path, previous: Path, manifest: Manifest, plan: Plan,
    timings: dict[str, float], progress: Progress, *, reason: bool,
) -> BuildResult:
    """Redo only the changed record files and patch the previous release's outputs with them."""
    with _timed(timings, "load records", progress):
        ontology = load_ontology(ONTOLOGY_FILE)
        reuse = {name: entry.summary for name, entry in plan.unchanged.items()}
        corpus = load_corpus(data_dir, ontology, reuse=reuse, timings=timings)
        widened = with_dependants(plan, manifest, corpus.post_orgs)
        if widened is not plan:
            plan = widened
            reuse = {name: entry.summary for name, entry in plan.unchanged.items()}
            corpus = load_corpus(data_dir, ontology, reuse=reuse, timings=timings)
    timings["load records"] -= timings.get("evidence check", 0.0)
    with _timed(timings, "map to RDF", progress):
        lines, origins = map_corpus_nquads(corpus, ontology)  # the static graphs too: SHACL needs the ontology
        mapped = "".join(lines).encode()
        mapped_quads = list(ox.parse(mapped, format=ox.RdfFormat.N_QUADS))
        new_graphs = {source_graph_iri(f.record.source.id) for f in corpus.files}
        new_names = {str(graph) for graph in new_graphs}
        new_quads = [q for q in mapped_quads if q.graph_name.value in new_names]
        new_endings = tuple(f" <{graph}> .\n" for graph in new_names)
        new_nquads = "".join(line for line in lines if line.endswith(new_endings)).encode()
    old_graphs = {manifest.files[name].graph for name in plan.changed if name in manifest.files}
    old_graphs |= {entry.graph for entry in plan.removed}
    with _timed(timings, "SHACL", progress):
        inferred = inferred_graphs()  # replaced whole on every rebuild that reasons
        violations = changed_violations(mapped_quads, new_graphs, old_graphs | inferred, previous / STORE, origins)
    if violations:
        raise ShaclViolations(violations)
    result = BuildResult(corpus=corpus, nquads=mapped, origins=origins, timings=timings, changes=plan)
    changed = old_graphs | {str(g) for g in new_graphs}
    in_store = reason and _reasons_in_store(previous, manifest)
    drop = changed if in_store else changed | inferred
    added, added_nquads = new_quads, new_nquads
    reasoning = None
    if in_store:
        # Past HermiT's size only what the changed sources reach is reasoned again, inside the new
        # release's store (one file at 10,000 meetings: 0.5-0.7 s CPU, where reasoning all took minutes).
        table_patch = _coordination_patch(previous, changed)
        all_origins = _LazyOrigins(origins, lambda: _cached_origins(previous, manifest, plan))

        def reasoning(store: ox.Store) -> InferenceChange:
            with _timed(timings, "reason", progress):
                before = ox.Store.read_only(str(previous / STORE))
                return reason_changes(store, before, changed, all_origins, table_patch)
    elif reason:
        with _timed(timings, "reason", progress):
            curated = list(ox.parse(_curated_nquads(previous, manifest, plan, drop, new_nquads),
                                    format=ox.RdfFormat.N_QUADS))
            all_origins = _cached_origins(previous, manifest, plan) | origins
            result.inference = infer(curated, all_origins, coordination=_coordination_patch(previous, drop))
            added = new_quads + result.inference.quads
            added_nquads = merge_nquads(new_nquads, set(), result.inference.quads)
    cache = _Cache(Manifest(manifest.fingerprint, reason), corpus, origins, data_dir, previous=(previous, manifest, plan),
                   inference=result.inference)
    _write_release(out_dir, added_nquads, timings, progress, cache=cache, patch=(previous, drop, added),
                   reasoning=reasoning)
    result.out_dir = out_dir
    result.inference_change = cache.changed_inference
    return result


def _reasons_in_store(previous: Path, manifest: Manifest) -> bool:
    """Whether an incremental build reasons only what changed, in its store: the previous release kept its
    participation table and the curated graphs are past what HermiT classifies (HermiT reasons whole)."""
    if load_participations(previous / CACHE_DIR) is None:
        return False
    shares = manifest.shares()
    return not hermit_fits_shares([share_path(previous / CACHE_DIR, shares[g]) for g in sorted(shares)
                                   if not is_inferred(g)])


def _curated_nquads(previous: Path, manifest: Manifest, plan: Plan, drop: set[str], new_nquads: bytes) -> bytes:
    """The curated graphs of the new build as sorted N-Quads: the previous shares kept, and the new lines."""
    shares = manifest.shares()
    kept = [share_path(previous / CACHE_DIR, shares[graph]) for graph in sorted(shares)
            if graph not in drop and not is_inferred(graph)]
    with tempfile.TemporaryDirectory(prefix="egkg-curated-") as scratch:
        fresh = Path(scratch) / "new.nq"
        fresh.write_bytes(new_nquads)
        return b"".join(merged_files([*kept, fresh], Path(scratch)))


def _coordination_patch(previous: Path, changed_graphs: set[str]) -> Patch | None:
    """Patch the previous release's coordination pairs where the changed sources touch them (None: count all)."""
    table = load_participations(previous / CACHE_DIR)
    if table is None:
        return None
    return Patch(table, previous / STORE, {g for g in changed_graphs if not is_inferred(g)})


def reason_again(out_dir: Path, progress: Progress = _quiet) -> tuple[Inference, list[ox.Quad], dict[str, float]]:
    """Recompute the inferred graph of an existing build and rewrite its outputs."""
    if not nquads_file(out_dir).is_file():
        raise InputError("no build here; run `egkg build` first", file=out_dir / NQUADS)
    with _build_lock(out_dir):
        nquads = nquads_file(out_dir)  # read before the new release replaces the one it lies in
        timings: dict[str, float] = {}
        curated = [
            q for q in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS) if not is_inferred(q.graph_name)
        ]
        with _timed(timings, "reason", progress):
            inference = infer(curated)
        quads = curated + inference.quads
        write_outputs(out_dir, quads, timings, progress)
        return inference, quads, timings


def write_outputs(out_dir: Path, quads: list[ox.Quad], timings: dict[str, float], progress: Progress) -> None:
    """Write the N-Quads and the store of `quads` into a new release directory, then switch to it at once."""
    _write_release(out_dir, to_nquads(quads), timings, progress)


def _write_release(
    out_dir: Path, nquads: bytes, timings: dict[str, float], progress: Progress, *, cache: _Cache | None = None,
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
    release = _new_release(out_dir)
    try:
        groups = share_groups(lines_by_graph(nquads.decode().splitlines(keepends=True)))
        if reasoning is not None and patch is not None and cache is not None:
            with _timed(timings, "load store", progress):
                patch_store(patch[0] / STORE, release / STORE, patch[1], patch[2])
            store = ox.Store(str(release / STORE))
            try:
                change = reasoning(store)  # InconsistentGraph: the release is discarded below
                store.flush()
            finally:
                del store
            cache.changed_inference = change
            groups |= _changed_inferred_shares(patch[0], cache.previous[1], change)
        with _timed(timings, "write N-Quads", progress, add=True):
            if cache is not None:
                cache.write(release, groups)
            if patch is None:
                (release / NQUADS).write_bytes(nquads)
            elif _shares_size(release) <= WHOLE_NQUADS_MAX:
                _merge_shares(release)
        with _timed(timings, "load store", progress, add=True):  # the in-store path patched the store already
            if patch and reasoning is None:
                patch_store(patch[0] / STORE, release / STORE, patch[1], patch[2])
            elif not patch:
                create_store(release / STORE, nquads)
        _publish(release, out_dir)
    except BaseException:
        _discard(release, out_dir)
        raise
    _remove_stale_releases(out_dir)


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


def _shares_size(release: Path) -> int:
    """The size egkg.nq will have: the shares hold its lines, each graph's in one share."""
    return sum(path.stat().st_size for path in (release / CACHE_DIR).glob(f"*{SHARE}"))


def _merge_shares(release: Path) -> Path:
    """Write the release's egkg.nq: its shares merged; atomically, as readers may be waiting for it."""
    manifest = read_manifest(release)
    if manifest is None:
        raise InputError("this build has neither egkg.nq nor the parts to make it; run `egkg build --full`",
                         file=release / NQUADS)
    shares = manifest.shares()
    paths = [share_path(release / CACHE_DIR, shares[graph]) for graph in sorted(shares)]
    target = release / NQUADS
    partial = release / f".{NQUADS}.{os.getpid()}.{threading.get_ident()}"
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
        release = _current_release(build_dir)
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
    release = _current_release(build_dir)
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
        partial = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}")
        try:
            with partial.open("wb") as out:
                out.writelines(merged_files(paths, release))
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    return target


def _current_release(out_dir: Path) -> Path | None:
    """The release directory build/current points at, when there is one."""
    current = out_dir / CURRENT
    return current.resolve() if current.is_symlink() and current.resolve().is_dir() else None


def _cached_origins(previous: Path, manifest: Manifest, plan: Plan) -> dict:
    """Origins of the unchanged files, for messages about the whole graph (reasoning)."""
    origins: dict = {}
    for name in plan.unchanged:
        with (previous / CACHE_DIR / f"{manifest.files[name].block}.origins").open("rb") as handle:
            origins.update(pickle.load(handle))
    return origins


class _LazyOrigins(Mapping):
    """The changed files' origins, then the unchanged files' ones, read from the cache only when a node is
    not among the first: only a reported problem asks (reading all at 10,000 files cost a pickle each)."""

    def __init__(self, fresh: dict, cached: Callable[[], dict]):
        self.fresh = fresh
        self._cached = cached
        self._all: dict | None = None

    def _every(self) -> dict:
        if self._all is None:
            self._all = self._cached() | self.fresh
        return self._all

    def __getitem__(self, node):
        return self.fresh[node] if node in self.fresh else self._every()[node]

    def __contains__(self, node) -> bool:
        return node in self.fresh or node in self._every()

    def __iter__(self):
        return iter(self._every())

    def __len__(self) -> int:
        return len(self._every())


class _Cache:
    """Writes a release's cache/: the manifest, one share of egkg.nq per graph and one origins map per source graph."""

    def __init__(self, manifest: Manifest, corpus: Corpus, origins: dict, data_dir: Path,
                 previous: tuple[Path, Manifest, Plan] | None = None, inference: Inference | None = None):
        self.inference = inference  # its coordination table is kept for the next build to patch
        self.changed_inference: InferenceChange | None = None  # set when only what changed was reasoned, in the store
        self.manifest = manifest
        self.corpus = corpus
        self.origins = origins
        self.data_dir = data_dir
        self.previous = previous

    def write(self, release: Path, groups: dict[str, list[str]]) -> None:
        """Save the shares of the graphs in `groups` and carry the unchanged ones over as hard links."""
        cache = release / CACHE_DIR
        cache.mkdir()
        if self.previous is not None:
            old_release, old_manifest, plan = self.previous
            old_cache = old_release / CACHE_DIR
            self.manifest.files.update(plan.unchanged)
            self.manifest.static_blocks = dict(old_manifest.static_blocks)
            for name in [entry.block for entry in plan.unchanged.values()] + list(old_manifest.static_blocks.values()):
                for path in (share_path(old_cache, name), old_cache / f"{name}.origins"):
                    if path.exists():
                        _link_or_copy(path, cache / path.name)
        summaries = {s.name: s for s in self.corpus.summaries}
        save_file_entries(cache, self.corpus.files, summaries, self.origins, self.manifest, self.data_dir)
        graphs_of_files = {entry.graph for entry in self.manifest.files.values()}
        written = write_shares(cache, groups)
        self.manifest.inferred_blocks = {graph: name for graph, name in written.items() if is_inferred(graph)}
        if self.changed_inference is not None and self.previous is not None:
            # Reasoned in the store: the inferred graphs the change left alone keep their shares.
            old_release, old_manifest, _ = self.previous
            for graph, name in old_manifest.inferred_blocks.items():
                if graph not in written:
                    _link_or_copy(share_path(old_release / CACHE_DIR, name), share_path(cache, name))
                    self.manifest.inferred_blocks[graph] = name
        self.manifest.static_blocks |= {graph: name for graph, name in written.items()
                                        if graph not in graphs_of_files and not is_inferred(graph)}
        concluded = self.changed_inference or self.inference
        if concluded is not None and concluded.coordination is not None:
            save_participations(cache, concluded.coordination.table)
        write_manifest(release, self.manifest)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)  # blocks never change once written, so releases can share them
    except OSError:
        shutil.copyfile(source, target)


def _discard(release: Path, out_dir: Path) -> None:
    """Remove a release that failed or was interrupted, unless it is already the published one."""
    current = out_dir / CURRENT
    if not (current.is_symlink() and Path(os.readlink(current)).name == release.name):
        shutil.rmtree(release, ignore_errors=True)


def _publish(release: Path, out_dir: Path) -> None:
    """Point out_dir/current at the new release with one atomic rename.

    egkg.nq and store/ are fixed symlinks into current/, so readers see either the
    whole previous build or the whole new one, even if the process is killed at any instant.
    """
    with _signals_deferred():
        _adopt_plain_layout(out_dir)
        _point_current(out_dir, release)
        _ensure_public_links(out_dir)


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while the layout changes step by step, and honour them once it is whole.

    An interrupt between two steps would leave the links half switched for the next build to mend;
    publishing takes milliseconds, so the user waits no longer for it.
    """
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers; a signal reaches Python there anyway
        return
    caught: list[int] = []
    held = {signum: signal.signal(signum, lambda number, _frame: caught.append(number))
            for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in held.items():
            signal.signal(signum, handler)
        if caught:
            signal.raise_signal(caught[0])


def owning_build(path: Path, also: tuple[str, ...] = ()) -> tuple[Path, str] | None:
    """The build directory whose own entry (egkg.nq, store/, current/, .releases/... and `also`) `path` is or lies in.

    Returns (build directory, entry) or None. Other paths inside a build directory (build/exports/)
    are nobody's: a build neither reads nor removes them.
    """
    absolute = Path(os.path.abspath(path))
    for candidate in (absolute, absolute.resolve()):  # resolved: egkg.nq -> current/... -> .releases/...
        build_dir = next((parent for parent in candidate.parents if _is_build_dir(parent)), None)
        if build_dir is None:
            continue
        entry = candidate.relative_to(build_dir).parts[0]
        if entry in OWNED + also or entry.startswith(".current-"):
            return build_dir, entry
    return None


def _is_build_dir(directory: Path) -> bool:
    return (directory / LOCK).is_file() or ((directory / CURRENT).is_symlink() and (directory / RELEASES).is_dir())


def _point_current(out_dir: Path, release: Path) -> None:
    pointer = out_dir / f".current-{os.getpid()}"
    pointer.unlink(missing_ok=True)
    pointer.symlink_to(Path(RELEASES) / release.name)
    os.replace(pointer, out_dir / CURRENT)


def _adopt_plain_layout(out_dir: Path) -> None:
    """Turn a build whose outputs are plain files (a copy, or an older layout) into a release first.

    The previous build becomes a release that current/ points at, and each public name becomes a
    link to the same content, one atomic step at a time; only then may current/ switch to the new
    release. A kill at any step leaves readers the whole previous build.
    """
    current = out_dir / CURRENT
    if (out_dir / TRIG).is_file() and not (out_dir / TRIG).is_symlink():
        # An older egkg's TriG, plain: it would describe the previous build forever, so it goes aside.
        os.replace(out_dir / TRIG, out_dir / RELEASES / f"legacy-{TRIG}-{time.monotonic_ns()}")
    plain = [name for name in PUBLIC if (out_dir / name).exists() and not (out_dir / name).is_symlink()]
    if not plain and not (current.exists() and not current.is_symlink()):
        return
    legacy = out_dir / RELEASES / f"legacy-{time.monotonic_ns()}"
    legacy.mkdir()
    for name in plain:
        if name == STORE:
            old = ox.Store.read_only(str(out_dir / STORE))
            old.backup(str(legacy / STORE))  # hard links to the store's immutable files
            del old
        else:
            os.link(out_dir / name, legacy / name)
    if current.exists() and not current.is_symlink():
        # A copy turns current/ into a plain directory; readers never go through it, so move it aside.
        os.replace(current, out_dir / RELEASES / f"legacy-{CURRENT}-{time.monotonic_ns()}")
    _point_current(out_dir, legacy)
    _ensure_public_links(out_dir)


def _ensure_public_links(out_dir: Path) -> None:
    """Make egkg.nq and store symlinks into current/, each replaced in one atomic step."""
    stale = out_dir / TRIG
    if stale.is_symlink() and Path(os.readlink(stale)) == Path(CURRENT) / TRIG:
        stale.unlink()  # an older egkg's link; TriG is written by `egkg export` now
    for name in PUBLIC:
        public = out_dir / name
        target = Path(CURRENT) / name
        if public.is_symlink() and Path(os.readlink(public)) == target:
            continue
        link = out_dir / f".{name}-{os.getpid()}.link"
        link.unlink(missing_ok=True)
        link.symlink_to(target)
        if public.is_dir() and not public.is_symlink():
            # rename() cannot put a link over a directory; swap the two names atomically instead.
            _exchange(link, public)
            os.replace(link, out_dir / RELEASES / f"legacy-{name}-{time.monotonic_ns()}")
        else:
            os.replace(link, public)


def _exchange(first: Path, second: Path) -> None:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); two renames where it is missing."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is not None:
        at_fdcwd, rename_exchange = -100, 2
        if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange) == 0:
            return
        error = ctypes.get_errno()
        if error not in (errno.ENOSYS, errno.EINVAL):
            raise OSError(error, os.strerror(error), str(second))
    aside = second.with_name(f".{second.name}-{os.getpid()}.aside")
    os.replace(second, aside)
    os.replace(first, second)
    os.replace(aside, first)


def _remove_stale_releases(out_dir: Path) -> None:
    """Delete releases that current/ no longer points at (left by earlier builds or by a crash)."""
    releases = out_dir / RELEASES
    current = out_dir / CURRENT
    keep = os.readlink(current) if current.is_symlink() else None
    for entry in releases.iterdir() if releases.is_dir() else ():
        if keep is None or Path(keep).name != entry.name:
            shutil.rmtree(entry, ignore_errors=True)
    for leftover in out_dir.glob(".current-*"):
        leftover.unlink(missing_ok=True)
    for leftover in out_dir.glob(".*.link"):
        leftover.unlink(missing_ok=True)


@contextmanager
def _build_lock(out_dir: Path) -> Iterator[None]:
    """One build at a time per output directory; a second one is refused, never interleaved."""
    lock_path = out_dir / LOCK
    with lock_path.open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise InputError("another build is writing here; wait for it to finish", file=out_dir) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextmanager
def _timed(timings: dict[str, float], stage: str, progress: Progress, *, add: bool = False) -> Iterator[None]:
    progress(stage)
    start = time.perf_counter()
    yield
    timings[stage] = (timings.get(stage, 0.0) if add else 0.0) + time.perf_counter() - start


def problems_of(exc: InputError | InputErrors) -> list[Problem]:
    """The problems an input exception carries, as a list."""
    return [exc.problem] if isinstance(exc, InputError) else exc.problems
