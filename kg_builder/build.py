"""The build pipeline: records -> checks -> RDF -> SHACL -> reasoning -> N-Quads, TriG and the store.

Outputs are written to a staging directory and moved into place only when everything succeeded,
so a failed or interrupted build leaves the previous build/ as it was.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from .errors import InputError, InputErrors, Problem
from .mapping import map_corpus
from .paths import ONTOLOGY_FILE, SHAPES_FILE
from .reason import INFERRED_GRAPH, Inference, infer
from .records import Corpus, load_corpus
from .serialize import to_nquads, to_oxigraph, to_trig
from .store import create_store
from .validate import Violation, shacl_violations, union_graph
from .vocab import load_ontology

__all__ = ["BuildResult", "ShaclViolations", "build", "check", "reason_again", "write_outputs"]

NQUADS = "egkg.nq"
TRIG = "egkg.trig"
STORE = "store"

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
    dataset: Dataset
    origins: dict = field(default_factory=dict)
    quads: list[ox.Quad] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    out_dir: Path | None = None
    inference: Inference | None = None


def _quiet(_: str) -> None:
    pass


def check(data_dir: Path, progress: Progress = _quiet, timings: dict[str, float] | None = None) -> BuildResult:
    """Load, check, map and validate the records; raise InputErrors or ShaclViolations."""
    timings = {} if timings is None else timings
    with _timed(timings, "load records", progress):
        ontology = load_ontology(ONTOLOGY_FILE)
        corpus = load_corpus(data_dir, ontology)
    with _timed(timings, "map to RDF", progress):
        dataset, origins = map_corpus(corpus, ontology)
    with _timed(timings, "SHACL", progress):
        violations = shacl_violations(union_graph(dataset), SHAPES_FILE, origins)
    if violations:
        raise ShaclViolations(violations)
    return BuildResult(corpus=corpus, dataset=dataset, origins=origins, timings=timings)


def build(data_dir: Path, out_dir: Path, progress: Progress = _quiet, *, reason: bool = True) -> BuildResult:
    """Check everything, reason (unless told not to), then write N-Quads, TriG and the store atomically."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with _build_lock(out_dir):
        result = check(data_dir, progress)
        timings = result.timings
        result.quads = to_oxigraph(result.dataset)
        if reason:
            with _timed(timings, "reason", progress):
                result.inference = infer(result.quads, result.origins)
            result.quads = result.quads + result.inference.quads
        write_outputs(out_dir, result.quads, timings, progress)
        result.out_dir = out_dir
        return result


def reason_again(out_dir: Path, progress: Progress = _quiet) -> tuple[Inference, list[ox.Quad], dict[str, float]]:
    """Recompute the inferred graph of an existing build and rewrite its outputs."""
    nquads = out_dir / NQUADS
    if not nquads.is_file():
        raise InputError("no build here; run `egkg build` first", file=nquads)
    out_dir.mkdir(parents=True, exist_ok=True)
    with _build_lock(out_dir):
        timings: dict[str, float] = {}
        curated = [
            q for q in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS) if q.graph_name != INFERRED_GRAPH
        ]
        with _timed(timings, "reason", progress):
            inference = infer(curated)
        quads = curated + inference.quads
        write_outputs(out_dir, quads, timings, progress)
        return inference, quads, timings


def write_outputs(out_dir: Path, quads: list[ox.Quad], timings: dict[str, float], progress: Progress) -> None:
    """Serialise and load into a staging directory, then move everything into place."""
    with _timed(timings, "serialise", progress):
        nquads = to_nquads(quads)
        trig = to_trig(quads)
    staging = out_dir / f".staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        (staging / NQUADS).write_bytes(nquads)
        (staging / TRIG).write_bytes(trig)
        with _timed(timings, "load store", progress):
            create_store(staging / STORE, quads)
        _publish(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _publish(staging: Path, out_dir: Path) -> None:
    """Move staged outputs into place; files by atomic rename, the store by a quick swap."""
    for name in (NQUADS, TRIG):
        os.replace(staging / name, out_dir / name)
    target = out_dir / STORE
    retired = staging / "previous-store"
    if target.exists():
        os.replace(target, retired)
    os.replace(staging / STORE, target)


@contextmanager
def _build_lock(out_dir: Path) -> Iterator[None]:
    """One build at a time per output directory; a second one is refused, never interleaved."""
    lock_path = out_dir / ".build.lock"
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
def _timed(timings: dict[str, float], stage: str, progress: Progress) -> Iterator[None]:
    progress(stage)
    start = time.perf_counter()
    yield
    timings[stage] = time.perf_counter() - start


def problems_of(exc: InputError | InputErrors) -> list[Problem]:
    """The problems an input exception carries, as a list."""
    return [exc.problem] if isinstance(exc, InputError) else exc.problems
