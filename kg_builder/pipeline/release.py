"""A build directory's releases: the lock, a new release, the atomic switch to it, and clearing what is stale.

Outputs are written to a new release directory and switched to with one atomic rename only when
everything succeeded, so a failed, interrupted or killed build leaves the previous build/ as it was.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError

__all__ = ["CURRENT", "LOCK", "NQUADS", "OWNED", "PUBLIC", "RELEASES", "STORE", "TRIG", "build_lock", "current_release",
           "discard", "new_release", "owning_build", "publish", "remove_stale_releases"]

NQUADS = "egkg.nq"
TRIG = "egkg.trig"  # written by builds before TriG moved to `egkg export`; the name stays reserved
STORE = "store"
CURRENT = "current"  # symlink to the release the public names point into
RELEASES = ".releases"
LOCK = ".build.lock"
# What a build directory's layout uses: nothing else may be written onto or into these.
OWNED = (NQUADS, TRIG, STORE, CURRENT, RELEASES, LOCK)
PUBLIC = (NQUADS, STORE)  # links into current/


def new_release(out_dir: Path) -> Path:
    releases = out_dir / RELEASES
    releases.mkdir(exist_ok=True)
    remove_stale_releases(out_dir)
    release = releases / f"r{os.getpid()}-{time.monotonic_ns()}"
    release.mkdir()
    return release


def current_release(out_dir: Path) -> Path | None:
    """The release directory build/current points at, when there is one."""
    current = out_dir / CURRENT
    return current.resolve() if current.is_symlink() and current.resolve().is_dir() else None


def discard(release: Path, out_dir: Path) -> None:
    """Remove a release that failed or was interrupted, unless it is already the published one."""
    current = out_dir / CURRENT
    if not (current.is_symlink() and Path(os.readlink(current)).name == release.name):
        shutil.rmtree(release, ignore_errors=True)


def publish(release: Path, out_dir: Path) -> None:
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


def remove_stale_releases(out_dir: Path) -> None:
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
def build_lock(out_dir: Path) -> Iterator[None]:
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
