"""The stages every build strategy shares: their timing, the check stage (load, map, SHACL) and the result type."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph, URIRef

from ..errors import InputError, InputErrors, Problem
from ..load.corpus import load_corpus
from ..load.loaded import Corpus
from ..mapping import map_corpus_nquads
from ..paths import ONTOLOGY_FILE, SHAPES_FILE
from ..rdf.vocab import load_ontology
from ..reason.changes import InferenceChange
from ..reason.infer import Inference
from ..validate.shacl_engine import rdflib_triple
from ..validate.violations import Violation, shacl_violations
from .incremental import Plan
from .peak_rss import PeakWatch

__all__ = ["BuildResult", "Progress", "ShaclViolations", "StageTimings", "check", "long_lived", "outside_collections",
           "problems_of", "quiet", "timed"]

Progress = Callable[[str], None]


class StageTimings(dict):
    """Seconds per stage (the mapping itself, as every caller reads it) and each stage's peak resident memory.

    `peak_rss_mib` is the highest RSS seen while the stage ran, in MiB (memory held from earlier
    stages included); a stage entered many times keeps its highest. Empty where Linux's /proc is missing.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.peak_rss_mib: dict[str, float] = {}


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


def quiet(_: str) -> None:
    pass


def check(data_dir: Path, progress: Progress = quiet, timings: dict[str, float] | None = None) -> BuildResult:
    """Load, check, map and validate the records; raise InputErrors or ShaclViolations."""
    timings = StageTimings() if timings is None else timings
    with timed(timings, "load records", progress):
        ontology = load_ontology(ONTOLOGY_FILE)
        corpus = load_corpus(data_dir, ontology, timings=timings)
    timings["load records"] -= timings.get("evidence check", 0.0)  # reported as its own stage
    with timed(timings, "map to RDF", progress):
        lines, origins = map_corpus_nquads(corpus, ontology)
        nquads = "".join(lines).encode()
        quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))  # for reasoning and TriG
    with timed(timings, "SHACL", progress):
        violations = shacl_violations(nquads, SHAPES_FILE, origins)  # the Rust engine reads the text as it is
    if violations:
        raise ShaclViolations(violations)
    return BuildResult(corpus=corpus, nquads=nquads, origins=origins, timings=timings, quads=quads)


@contextmanager
def timed(timings: dict[str, float], stage: str, progress: Progress, *, add: bool = False) -> Iterator[None]:
    """Time `stage` into `timings` (added to earlier runs with `add`); with StageTimings also its peak RSS."""
    progress(stage)
    peaks = getattr(timings, "peak_rss_mib", None)
    watch = PeakWatch.start() if peaks is not None else None
    start = time.perf_counter()
    try:
        yield
    finally:
        peak = watch.stop() if watch is not None else None
    timings[stage] = (timings.get(stage, 0.0) if add else 0.0) + time.perf_counter() - start
    if peak is not None:
        peaks[stage] = max(peaks.get(stage, 0.0), round(peak, 1))


@contextmanager
def outside_collections() -> Iterator[None]:
    """Within: what `long_lived` made is left out of the garbage collector's scans; after, scanned again."""
    theirs = gc.get_freeze_count() > 0  # a caller froze objects of its own: it unfreezes them
    try:
        yield
    finally:
        if not theirs:
            gc.unfreeze()


@contextmanager
def long_lived() -> Iterator[None]:
    """Make objects that live to the end of the build (within `outside_collections`): no collection while they
    are made, and none of them (nor anything else alive then) scanned by later collections.

    An incremental build holds the previous manifest and participation table (millions of small
    objects at 10,000 meetings) to its end: scanning them again and again took 1.4 s CPU of an edit.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
        gc.freeze()


def problems_of(exc: InputError | InputErrors) -> list[Problem]:
    """The problems an input exception carries, as a list."""
    return [exc.problem] if isinstance(exc, InputError) else exc.problems
