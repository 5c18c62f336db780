"""The full strategy: every record file checked, mapped, reasoned and written at once, or chunk by chunk past a size."""

from __future__ import annotations

from pathlib import Path

from ..rdf.serialize import merge_nquads
from ..reason.infer import infer
from ..validate.violations import Violation
from .cache import Cache
from .chunked import build_in_chunks
from .incremental import Manifest
from .release import discard, new_release, publish, remove_stale_releases
from .release_files import write_release
from .stages import BuildResult, Progress, ShaclViolations, check, timed

__all__ = ["build_chunked", "build_full"]


def build_full(
    data_dir: Path, out_dir: Path, current_fingerprint: str, timings: dict[str, float], progress: Progress,
    *, reason: bool,
) -> BuildResult:
    """A full build in memory into a new release, published like any other."""
    result = check(data_dir, progress, timings)
    nquads = result.nquads
    if reason:
        with timed(timings, "reason", progress):
            result.inference = infer(result.quads, result.origins)
        result.quads = result.quads + result.inference.quads
        with timed(timings, "write N-Quads", progress):
            nquads = merge_nquads(nquads, set(), result.inference.quads)
    cache = Cache(Manifest(current_fingerprint, reason), result.corpus, result.origins, data_dir,
                  inference=result.inference)
    write_release(out_dir, nquads, timings, progress, cache=cache)
    result.out_dir = out_dir
    return result


def build_chunked(
    data_dir: Path, out_dir: Path, current_fingerprint: str, timings: dict[str, float], progress: Progress,
    *, reason: bool, chunk_files: int,
) -> BuildResult:
    """A full build chunk by chunk into a new release, published like any other."""
    release = new_release(out_dir)
    try:
        chunked = build_in_chunks(
            data_dir, release, current_fingerprint, reason=reason, chunk_files=chunk_files,
            timed=lambda stage: timed(timings, stage, progress, add=True), timings=timings,
        )
        if chunked.violations:
            raise ShaclViolations(sorted(chunked.violations, key=_violation_order))
        timings["load records"] -= timings.get("evidence check", 0.0)
        publish(release, out_dir)
    except BaseException:
        discard(release, out_dir)
        raise
    remove_stale_releases(out_dir)
    return BuildResult(corpus=chunked.corpus, timings=timings, out_dir=out_dir,
                       inference=chunked.inference, quad_count=chunked.quad_count)


def _violation_order(v: Violation) -> tuple:
    return (v.problem.file, v.problem.line or 0, v.focus, v.path, v.message)
