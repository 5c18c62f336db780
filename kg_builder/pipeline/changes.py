"""The incremental strategy: redo only the changed record files and patch the previous release with them."""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

import pyoxigraph as ox

from ..load.corpus import load_corpus
from ..mapping import map_corpus_nquads, source_graph_iri
from ..paths import ONTOLOGY_FILE
from ..rdf.serialize import merge_nquads, merged_files
from ..rdf.vocab import load_ontology
from ..reason.coordination import Participations, Patch, load_participations
from ..reason.changes import InferenceChange, reason_changes
from ..reason.hermit import hermit_fits_shares
from ..reason.infer import infer
from ..reason.rules import inferred_graphs, is_inferred
from ..validate.changed import changed_violations
from .cache import Cache
from .incremental import CACHE_DIR, Manifest, Plan, static_lines, with_dependants
from .shares import share_path
from .release import STORE
from .release_files import write_release
from .stages import BuildResult, Progress, ShaclViolations, long_lived, timed

__all__ = ["build_changes"]

def build_changes(
    data_dir: Path, out_dir: Path, previous: Path, manifest: Manifest, plan: Plan,
    timings: dict[str, float], progress: Progress, *, reason: bool,
) -> BuildResult:
    """Redo only the changed record files and patch the previous release's outputs with them."""
    # The corpus lives to the end of the build too: its checks across 10,000 files (declarations) made
    # 400,000 objects that the collector scanned five times over (0.2 s at M).
    with timed(timings, "load records", progress), long_lived():
        ontology = load_ontology(ONTOLOGY_FILE)
        reuse = {name: entry.summary for name, entry in plan.unchanged.items()}
        corpus = load_corpus(data_dir, ontology, reuse=reuse, timings=timings)
        widened = with_dependants(plan, manifest, corpus.post_orgs)
        if widened is not plan:
            plan = widened
            reuse = {name: entry.summary for name, entry in plan.unchanged.items()}
            corpus = load_corpus(data_dir, ontology, reuse=reuse, timings=timings)
    timings["load records"] -= timings.get("evidence check", 0.0)
    with timed(timings, "map to RDF", progress):
        # The static graphs too (SHACL needs the ontology), as the previous release holds them: the
        # fingerprint proves them unchanged, and canonicalising the ontology again took 1.7 s at M.
        lines, origins = map_corpus_nquads(corpus, ontology, static=False)
        lines = sorted({*lines, *static_lines(previous, manifest)})
        mapped = "".join(lines).encode()
        mapped_quads = list(ox.parse(mapped, format=ox.RdfFormat.N_QUADS))
        new_graphs = {source_graph_iri(f.record.source.id) for f in corpus.files}
        new_names = {str(graph) for graph in new_graphs}
        new_quads = [q for q in mapped_quads if q.graph_name.value in new_names]
        new_endings = tuple(f" <{graph}> .\n" for graph in new_names)
        new_nquads = "".join(line for line in lines if line.endswith(new_endings)).encode()
    old_graphs = {manifest.files[name].graph for name in plan.changed if name in manifest.files}
    old_graphs |= {entry.graph for entry in plan.removed}
    with timed(timings, "SHACL", progress):
        inferred = inferred_graphs()  # replaced whole on every rebuild that reasons
        violations = changed_violations(mapped_quads, new_graphs, old_graphs | inferred, previous / STORE, origins)
    if violations:
        raise ShaclViolations(violations)
    result = BuildResult(corpus=corpus, nquads=mapped, origins=origins, timings=timings, changes=plan)
    changed = old_graphs | {str(g) for g in new_graphs}
    with long_lived():  # the table, like the manifest, lives to the end of the build
        table = load_participations(previous / CACHE_DIR) if reason else None  # read once: 1.5 s at 10,000 meetings
    in_store = table is not None and _reasons_in_store(previous, manifest)
    drop = changed if in_store else changed | inferred
    added, added_nquads = new_quads, new_nquads
    reasoning = None
    if in_store:
        # Past HermiT's size only what the changed sources reach is reasoned again, inside the new
        # release's store (one file at 10,000 meetings: 0.5-0.7 s CPU, where reasoning all took minutes).
        table_patch = _coordination_patch(previous, table, changed)
        all_origins = _LazyOrigins(origins, lambda: _cached_origins(previous, manifest, plan))

        def reasoning(store: ox.Store) -> InferenceChange:
            with timed(timings, "reason", progress):
                before = ox.Store.read_only(str(previous / STORE))
                return reason_changes(store, before, changed, all_origins, table_patch)
    elif reason:
        with timed(timings, "reason", progress):
            curated = list(ox.parse(_curated_nquads(previous, manifest, plan, drop, new_nquads),
                                    format=ox.RdfFormat.N_QUADS))
            all_origins = _cached_origins(previous, manifest, plan) | origins
            result.inference = infer(curated, all_origins, coordination=_coordination_patch(previous, table, drop))
            added = new_quads + result.inference.quads
            added_nquads = merge_nquads(new_nquads, set(), result.inference.quads)
    cache = Cache(Manifest(manifest.fingerprint, reason), corpus, origins, data_dir, previous=(previous, manifest, plan),
                  inference=result.inference)
    cache.previous_table = table
    write_release(out_dir, added_nquads, timings, progress, cache=cache, patch=(previous, drop, added),
                  reasoning=reasoning)
    result.out_dir = out_dir
    result.inference_change = cache.changed_inference
    return result


def _reasons_in_store(previous: Path, manifest: Manifest) -> bool:
    """Whether an incremental build whose previous release kept its participation table reasons only what
    changed, in its store: the curated graphs are past what HermiT classifies (HermiT reasons whole)."""
    shares = manifest.shares()
    # Lazily: the first few shares already hold more than HermiT takes, and 10,000 paths cost 0.2 s at M.
    return not hermit_fits_shares(share_path(previous / CACHE_DIR, shares[g]) for g in sorted(shares)
                                  if not is_inferred(g))


def _curated_nquads(previous: Path, manifest: Manifest, plan: Plan, drop: set[str], new_nquads: bytes) -> bytes:
    """The curated graphs of the new build as sorted N-Quads: the previous shares kept, and the new lines."""
    shares = manifest.shares()
    kept = [share_path(previous / CACHE_DIR, shares[graph]) for graph in sorted(shares)
            if graph not in drop and not is_inferred(graph)]
    with tempfile.TemporaryDirectory(prefix="egkg-curated-") as scratch:
        fresh = Path(scratch) / "new.nq"
        fresh.write_bytes(new_nquads)
        return b"".join(merged_files([*kept, fresh], Path(scratch)))


def _coordination_patch(previous: Path, table: Participations | None, changed_graphs: set[str]) -> Patch | None:
    """Patch the previous release's coordination pairs where the changed sources touch them (None: count all)."""
    if table is None:
        return None
    return Patch(table, previous / STORE, {g for g in changed_graphs if not is_inferred(g)})


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
