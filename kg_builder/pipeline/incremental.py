"""What a build keeps beside its outputs so that the next build redoes only the record files that changed.

Each release directory holds `cache/`: a manifest (per record file: a content key, its source
graph, its summary; the entries kept in buckets by file name, so an edit rewrites its bucket and
links the others) plus one origins map per source graph and one share per graph: that graph's
lines of egkg.nq, sorted. An edit rewrites its own share and hard-links the others; egkg.nq is
their merge and TriG is made from them on export. The cache lives inside the release, so it is
switched together with the outputs and can never describe a different build than the one published.
"""

from __future__ import annotations

import hashlib
import os
import gc
import pickle
import time
import zlib
from dataclasses import dataclass, field, replace
from pathlib import Path

from .. import __version__
from ..load.corpus import post_organizations, record_paths
from ..load.loaded import FileSummary
from ..mapping import source_graph_iri
from ..paths import ONTOLOGY_FILE, PROJECT_ROOT, SHAPES_FILE
from .shares import block_name, share_path

__all__ = ["CACHE_DIR", "FileEntry", "Manifest", "Plan", "entry_bucket", "fingerprint", "plan_changes", "read_manifest",
           "save_file_entries", "static_lines", "with_dependants", "write_manifest"]

CACHE_DIR = "cache"
MANIFEST = "manifest.pickle"
FORMAT = 4  # bump when the manifest's layout changes (3: rule 40's share cut into parts; 4: entries in buckets)
# The manifest's per-file entries go in this many files, by a hash of the record file's name: rewriting
# all 10,000 entries took 2.2 s CPU at M on every edit, a bucket of them takes milliseconds.
ENTRY_BUCKETS = 64
# Inferred graphs whose share is cut into parts (a share key is then "<graph IRI> <part>": no IRI holds a space).

# A file changed less than this long before its stamp was taken may change again within the same
# mtime tick, unseen by its stamp (git's "racy" files): it is hashed again by the next build.
RACY_NS = 2_000_000_000

# Above this share of changed files a full build is as quick and simpler to trust.
MAX_CHANGED_SHARE = 0.25


@dataclass(frozen=True)
class FileEntry:
    """One record file as the previous build saw it."""

    key: str  # sha256 of the record file and its archived text
    graph: str  # IRI of its source graph
    summary: FileSummary
    block: str  # file name (without suffix) of its share and origins under cache/
    stamp: tuple | None = None  # file_stamp when the key was taken: unchanged stamp, unchanged file


@dataclass
class Manifest:
    """The record files a release was built from, and how it was built."""

    fingerprint: str
    reasoned: bool
    files: dict[str, FileEntry] = field(default_factory=dict)  # record file name -> entry
    static_blocks: dict[str, str] = field(default_factory=dict)  # graph IRI -> block file (ontology, gazetteer)
    inferred_blocks: dict[str, str] = field(default_factory=dict)  # share key -> block file (reasoning's graphs)
    format: int = FORMAT

    def shares(self) -> dict[str, str]:
        """Share key (a graph IRI, or a graph IRI and a part) -> block name of every share: together they are egkg.nq."""
        found = dict(self.static_blocks) | self.inferred_blocks
        found |= {entry.graph: entry.block for entry in self.files.values()}
        return found


@dataclass(frozen=True)
class Plan:
    """Which record files an incremental build must redo."""

    keys: dict[str, str]  # every current record file name -> its key
    unchanged: dict[str, FileEntry]
    changed: tuple[str, ...]  # new or edited record file names
    removed: tuple[FileEntry, ...]  # files the previous build had and this one has not


def fingerprint(data_dir: Path) -> str:
    """Everything besides the record files that shapes the output: code, ontology, shapes, rules, gazetteer."""
    digest = hashlib.sha256(__version__.encode())
    inputs = sorted((PROJECT_ROOT / "kg_builder").rglob("*.py"))
    inputs += [ONTOLOGY_FILE, SHAPES_FILE, *sorted((PROJECT_ROOT / "ontology" / "rules").glob("*.rq"))]
    inputs += sorted((PROJECT_ROOT / "queries" / "checks").glob("*.rq"))
    inputs += sorted((data_dir / "reference").rglob("*.csv"))
    inputs.append(data_dir / "resolutions.yaml")
    for path in inputs:
        # Named as under the project or data/, so a moved checkout or data dir still matches its builds.
        digest.update(_under(_under(path, data_dir), PROJECT_ROOT).encode())
        digest.update(path.read_bytes() if path.is_file() else b"<absent>")
    return digest.hexdigest()


def file_key(record: Path, data_dir: Path, source_text: str | None) -> str:
    """sha256 of a record file and (when known) the archived text it names."""
    if not (record.resolve().is_relative_to(data_dir.resolve()) and record.resolve().is_file()):
        # A link out of data/ (perhaps to /dev/zero) is never read: the full check refuses it.
        return "outside-data"
    digest = hashlib.sha256(record.read_bytes())
    if source_text is not None:
        text = (data_dir / source_text).resolve()
        # Outside data/ or missing: the full check reports it; here it only makes the key unique.
        digest.update(text.read_bytes() if text.is_relative_to(data_dir.resolve()) and text.is_file() else b"<none>")
    return digest.hexdigest()


def file_stamp(record: Path, data_dir: Path, source_text: str | None) -> tuple | None:
    """Size, mtime, ctime and inode of a record file and its archived text; None when they cannot vouch for it.

    Comparing stamps instead of hashing every file saves reading 10,000 record files and texts
    (4.2 s CPU at M) on each incremental build. ctime changes on any write, rename or `touch -m`
    back, so an edit that restores size and mtime is still seen; a file written within RACY_NS of
    being stamped is not trusted (its edit may share the mtime tick).
    """
    parts = []
    now = time.time_ns()
    for path in (record, None if source_text is None else data_dir / source_text):
        if path is None:
            continue
        try:
            found = path.stat()
        except OSError:
            return None
        if max(found.st_mtime_ns, found.st_ctime_ns) > now - RACY_NS:
            return None
        # The path under data/: a data dir moved whole (same inodes, same ctimes) keeps its stamps.
        parts.append((_under(path, data_dir), found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino,
                      found.st_dev))
    return tuple(parts)


def _under(path: Path | str, root: Path) -> str:
    """`path` relative to `root` when it lies under it, else as given (on the text: pathlib took 0.3 ms a call)."""
    text, prefix = str(path), os.path.join(root, "")
    return text[len(prefix):] if text.startswith(prefix) else text


def plan_changes(data_dir: Path, manifest: Manifest, current_fingerprint: str) -> Plan | None:
    """The files to redo since `manifest`, or None when a full build is needed."""
    if manifest.format != FORMAT or manifest.fingerprint != current_fingerprint:
        return None
    paths = record_paths(data_dir)
    keys: dict[str, str] = {}
    unchanged: dict[str, FileEntry] = {}
    changed: list[str] = []
    for path in paths:
        entry = manifest.files.get(path.name)
        stamp = file_stamp(path, data_dir, entry.summary.source_text) if entry is not None else None
        if stamp is not None and stamp == entry.stamp:
            keys[path.name] = entry.key
            unchanged[path.name] = entry
            continue
        keys[path.name] = file_key(path, data_dir, entry.summary.source_text if entry else None)
        if entry is not None and entry.key == keys[path.name]:
            # Hashed once, vouched for by its stamp from now on (a copied data dir or one touched whole
            # rehashed all 10,000 files, 12-18 s at M, on every build until then).
            unchanged[path.name] = replace(entry, stamp=stamp)
        else:
            changed.append(path.name)
    removed = tuple(entry for name, entry in sorted(manifest.files.items()) if name not in keys)
    if len(changed) + len(removed) > MAX_CHANGED_SHARE * max(len(paths), 1):
        return None
    return Plan(keys, unchanged, tuple(changed), removed)


def with_dependants(plan: Plan, manifest: Manifest, post_orgs_now: dict[str, str]) -> Plan:
    """`plan` plus the unchanged files whose mapping read a post whose organisation changed.

    A participant's institution comes from the post's organisation, which may be declared in
    another record file; such files are mapped again so they never keep a stale institution.
    """
    before = post_organizations(entry.summary for _, entry in sorted(manifest.files.items()))
    moved = {post for post in before.keys() | post_orgs_now.keys() if before.get(post) != post_orgs_now.get(post)}
    if not moved:
        return plan  # most edits move no post: no need to walk every unchanged file's references (0.3 s at M)
    stale = sorted(
        name for name, entry in plan.unchanged.items() if any(ref in moved for ref, _, _ in entry.summary.references)
    )
    if not stale:
        return plan
    unchanged = {name: entry for name, entry in plan.unchanged.items() if name not in stale}
    return Plan(plan.keys, unchanged, tuple(sorted({*plan.changed, *stale})), plan.removed)


def read_manifest(release: Path) -> Manifest | None:
    """The manifest of a release, or None when it has none or cannot be read (a full build follows)."""
    cache = release / CACHE_DIR
    collecting = gc.isenabled()
    gc.disable()  # unpickling 10,000 entries made the collector walk them again and again
    try:
        manifest = _unpickled(cache / MANIFEST)
        if not isinstance(manifest, Manifest) or manifest.format != FORMAT:
            return manifest if isinstance(manifest, Manifest) else None  # an older layout: plan_changes refuses it
        for bucket in range(ENTRY_BUCKETS):
            entries = _unpickled(cache / _bucket_file(bucket))
            if not isinstance(entries, dict):
                return None
            manifest.files.update(entries)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
        return None
    finally:
        if collecting:
            gc.enable()
    return manifest


def _unpickled(path: Path):
    with path.open("rb") as handle:
        return pickle.load(handle)  # written by us into our own build directory


def entry_bucket(name: str) -> int:
    """The bucket of a record file's manifest entry (stable across runs, unlike hash())."""
    return zlib.crc32(name.encode()) % ENTRY_BUCKETS


def _bucket_file(bucket: int) -> str:
    return f"entries-{bucket:03d}.pickle"


def write_manifest(release: Path, manifest: Manifest, previous: tuple[Path, Manifest] | None = None) -> None:
    """Write the manifest: its head, then its entries bucket by bucket.

    With `previous` (the release the build started from, and its manifest), a bucket whose entries
    are the very ones read from it is hard-linked from there: releases never change once published.
    """
    cache = release / CACHE_DIR
    cache.mkdir(exist_ok=True)
    buckets: list[dict[str, FileEntry]] = [{} for _ in range(ENTRY_BUCKETS)]
    for name, entry in manifest.files.items():
        buckets[entry_bucket(name)][name] = entry
    if previous is not None:
        old_buckets: list[dict[str, FileEntry]] = [{} for _ in range(ENTRY_BUCKETS)]
        for name, entry in previous[1].files.items():
            old_buckets[entry_bucket(name)][name] = entry
    for bucket, entries in enumerate(buckets):
        target = cache / _bucket_file(bucket)
        if previous is not None and _same_entries(entries, old_buckets[bucket]):
            try:
                os.link(previous[0] / CACHE_DIR / target.name, target)
                continue
            except OSError:
                pass  # another file system, or the file is gone: written anew below
        _write_pickle(target, entries)
    _write_pickle(cache / MANIFEST, replace(manifest, files={}))  # last: a manifest without it is never read


def _same_entries(entries: dict[str, FileEntry], old: dict[str, FileEntry]) -> bool:
    """Whether `entries` are the very objects read from `old` (identity: comparing 10,000 summaries costs)."""
    return entries.keys() == old.keys() and all(entry is old[name] for name, entry in entries.items())


def _write_pickle(path: Path, value) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    with temporary.open("wb") as handle:
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, path)


def save_file_entries(cache: Path, files, summaries: dict[str, FileSummary], origins: dict, manifest: Manifest,
                      data_dir: Path) -> None:
    """Manifest entries and origins maps of freshly mapped record files (the caller writes their shares)."""
    by_display: dict[str, dict] = {}
    for iri, origin in origins.items():
        by_display.setdefault(origin[0], {})[iri] = origin
    for loaded in files:
        summary = summaries[loaded.path.name]
        graph = str(source_graph_iri(summary.source_id))
        name = block_name(graph)
        stamp = file_stamp(loaded.path, data_dir, summary.source_text)  # before the key: a later edit changes it
        key = file_key(loaded.path, data_dir, summary.source_text)
        manifest.files[summary.name] = FileEntry(key, graph, summary, name, stamp)
        with (cache / f"{name}.origins").open("wb") as handle:
            pickle.dump(by_display.get(summary.display, {}), handle, protocol=pickle.HIGHEST_PROTOCOL)


def static_lines(release: Path, manifest: Manifest) -> list[str]:
    """The lines of the graphs no record file makes (ontology, gazetteer) as `release` holds them.

    Only an incremental build reads them: its fingerprint equals the release's, so the code, ontology
    and reference data that made these lines are unchanged, and the new release links the same shares.
    """
    lines: list[str] = []
    for block in manifest.static_blocks.values():
        with share_path(release / CACHE_DIR, block).open(encoding="utf-8", newline="\n") as handle:
            lines += handle
    return lines
