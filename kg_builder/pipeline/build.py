"""The build entry: records -> checks -> RDF -> SHACL -> reasoning -> N-Quads (per graph and whole) and the store.

`build` takes the lock and picks a strategy: only the changed files (changes.py), all at once (full.py)
or chunk by chunk (chunked.py); each writes a new release published atomically (release.py).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError
from ..load.corpus import record_paths
from ..reason.infer import Inference, infer
from ..reason.rules import is_inferred
from .changes import build_changes
from .full import build_chunked, build_full
from .incremental import fingerprint, plan_changes, read_manifest
from .release import LOCK, NQUADS, RELEASES, build_lock, current_release
from .release_files import nquads_file, write_outputs
from .stages import BuildResult, Progress, StageTimings, long_lived, outside_collections, quiet, timed

__all__ = ["CHUNK_FILES", "build", "reason_again"]

# Above this many record files a full build goes chunk by chunk (pipeline/chunked.py).
CHUNK_FILES = 500


def build(
    data_dir: Path, out_dir: Path, progress: Progress = quiet, *, reason: bool = True, incremental: bool = True,
    chunk_files: int = CHUNK_FILES,
) -> BuildResult:
    """Check everything, reason (unless told not to), then write N-Quads and the store atomically.

    When the previous build in `out_dir` came from the same code, ontology and reference data,
    only record files that changed since are parsed, mapped, validated and loaded again.
    """
    created = _prepare_out_dir(out_dir)
    try:
        with build_lock(out_dir):
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
    timings: dict[str, float] = StageTimings()
    current_fingerprint = fingerprint(data_dir)
    previous = current_release(out_dir)
    with outside_collections():
        with long_lived():
            manifest = read_manifest(previous) if incremental and previous is not None else None
        if manifest is not None and manifest.reasoned == reason:
            with timed(timings, "find changes", progress):
                plan = plan_changes(data_dir, manifest, current_fingerprint)
            if plan is not None:
                return build_changes(data_dir, out_dir, previous, manifest, plan, timings, progress, reason=reason)
        manifest = None  # a full build follows: the previous manifest may go
    if len(record_paths(data_dir)) > chunk_files:
        return build_chunked(data_dir, out_dir, current_fingerprint, timings, progress, reason=reason,
                             chunk_files=chunk_files)
    return build_full(data_dir, out_dir, current_fingerprint, timings, progress, reason=reason)


def reason_again(out_dir: Path, progress: Progress = quiet) -> tuple[Inference, list[ox.Quad], dict[str, float]]:
    """Recompute the inferred graph of an existing build and rewrite its outputs."""
    if not nquads_file(out_dir).is_file():
        raise InputError("no build here; run `egkg build` first", file=out_dir / NQUADS)
    with build_lock(out_dir):
        nquads = nquads_file(out_dir)  # read before the new release replaces the one it lies in
        timings: dict[str, float] = StageTimings()
        curated = [
            q for q in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS) if not is_inferred(q.graph_name)
        ]
        with timed(timings, "reason", progress):
            inference = infer(curated)
        quads = curated + inference.quads
        write_outputs(out_dir, quads, timings, progress)
        return inference, quads, timings
