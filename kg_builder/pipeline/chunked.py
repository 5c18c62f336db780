"""A full build of a large corpus in chunks of record files, so memory is bounded by a chunk, not the corpus.

The in-memory build holds every record and every quad (it once also held an rdflib graph of
everything: about 5 KB per triple, 30 GB at 10,000 meetings). Here record files are first only
summarised (for the checks across files), then parsed again, mapped, validated and loaded one
chunk at a time into the on-disk store. SHACL validates each chunk alone, then once more the
nodes that several chunks describe (validate.ChunkedValidation), so a contradiction between two
chunks is found: the same verdicts as validating the whole union at once.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from ..load.corpus import load_corpus, record_paths
from ..load.loaded import Corpus
from ..load.record_file import load_record_file
from ..mapping import map_corpus_nquads
from ..outputs.store import load_nquads
from ..paths import ONTOLOGY_FILE
from ..rdf.serialize import lines_by_graph, merged_files, to_nquads
from ..rdf.vocab import load_ontology
from ..reason.coordination import save_participations
from ..reason.coordination_lines import LineSpool
from ..reason.hermit import hermit_fits
from ..reason.infer import Inference, infer_in_store
from ..reason.rules import inferred_graph
from ..validate.chunked import ChunkedValidation
from ..validate.violations import Violation
from .incremental import CACHE_DIR, Manifest, save_file_entries, write_manifest
from .shares import share_groups, share_path, write_shares

__all__ = ["ChunkedResult", "build_in_chunks"]

Timer = Callable[[str], "object"]  # stages.timed bound to the build's timings and progress


@dataclasses.dataclass
class ChunkedResult:
    corpus: Corpus
    quad_count: int
    inference: Inference | None
    violations: list[Violation]


def build_in_chunks(
    data_dir: Path, release: Path, fingerprint: str, *, reason: bool, chunk_files: int, timed: Timer,
    timings: dict[str, float],
) -> ChunkedResult:
    """Write egkg.nq, store/ and cache/ (with every graph's share) of a full build into `release`, chunk by chunk."""
    with timed("load records"):
        ontology = load_ontology(ONTOLOGY_FILE)
        corpus = load_corpus(data_dir, ontology, keep_files=False, timings=timings)
    cache = release / CACHE_DIR
    cache.mkdir()
    manifest = Manifest(fingerprint, reason)
    store = ox.Store(str(release / "store"))
    with timed("map to RDF"):
        static_lines, _ = map_corpus_nquads(corpus, ontology)  # the corpus keeps no files: only the static graphs
        static_nquads = "".join(static_lines).encode()
    with timed("load store"):
        load_nquads(store, static_nquads)
    curated_quads = len(static_lines)
    with timed("write N-Quads"):
        manifest.static_blocks = write_shares(cache, lines_by_graph(static_lines))
    summaries = {s.name: s for s in corpus.summaries}
    with timed("SHACL"):
        validation = ChunkedValidation(static_nquads)
    with tempfile.TemporaryDirectory(prefix=".chunks-", dir=release) as scratch:
        runs = [Path(scratch) / "static.nq"]
        runs[0].write_bytes(static_nquads)  # the mapper's lines are sorted and unique, as to_nquads writes them
        paths = record_paths(data_dir)
        for start in range(0, len(paths), chunk_files):
            chunk = paths[start:start + chunk_files]
            with timed("load records"):
                # Checked when summarised (the same text, by its digest): read again without the checks of a
                # file alone and without walking lines (origins find theirs when a message needs one).
                loaded = [load_record_file(p, data_dir, corpus.vocabulary, corpus.regions, timings, lines=False,
                                           checked=summaries.get(p.name))[0] for p in chunk]
            with timed("map to RDF"):
                lines, origins = map_corpus_nquads(dataclasses.replace(corpus, files=tuple(loaded)), ontology, static=False)
                nquads = "".join(lines).encode()
            with timed("SHACL"):
                # From the chunk's own text: parsing nothing again, reading nothing back from the store.
                validation.add_chunk(nquads, origins)
            with timed("load store"):
                load_nquads(store, nquads)  # from the text: no Python object per quad
            curated_quads += len(lines)
            with timed("write N-Quads"):
                runs.append(Path(scratch) / f"chunk-{start:09d}.nq")
                runs[-1].write_bytes(nquads)
                write_shares(cache, lines_by_graph(lines))
                save_file_entries(cache, loaded, summaries, origins, manifest, data_dir)
        with timed("SHACL"):
            violations = validation.finish(runs)
        if violations:
            return ChunkedResult(corpus, 0, None, violations)
        inference = None
        if reason:
            with timed("reason"):
                # In the on-disk store, which keeps the conclusions: the curated graph is read into
                # memory only when it is small enough for HermiT.
                small = hermit_fits(curated_quads)
                merged = b"".join(merged_files(runs, release)) if small else None
                curated = list(ox.parse(merged, format=ox.RdfFormat.N_QUADS)) if small else None
                # The first record to make each node, as a whole build's mapping names it in messages.
                # Rule 40's conclusions (most of the inferred graph) go as text to their share parts and the
                # store, never held as Python quads; its sorted parts are runs of the egkg.nq merge below.
                spool = LineSpool(Path(scratch) / "coordination", store, inferred_graph("40-coordination"))
                inference = infer_in_store(store, validation.origins, curated, spool)
                if inference.coordination is not None:
                    save_participations(cache, inference.coordination.table)
                runs.append(Path(scratch) / "inferred.nq")
                inferred = to_nquads(inference.quads)
                runs[-1].write_bytes(inferred)
                groups = share_groups(lines_by_graph(inferred.decode().splitlines(True)))
                streamed = spool.finish(cache, {key: groups.pop(key) for key in list(groups) if spool.holds(key)})
                manifest.inferred_blocks = write_shares(cache, groups) | streamed
                runs += [share_path(cache, block) for block in streamed.values()]
        with timed("write N-Quads"):
            count = 0
            with (release / "egkg.nq").open("wb") as out:
                for line in merged_files(runs, release):
                    out.write(line)
                    count += 1
    with timed("load store"):
        store.flush()
        store.optimize()
        del store
    write_manifest(release, manifest)
    return ChunkedResult(corpus, count, inference, [])

