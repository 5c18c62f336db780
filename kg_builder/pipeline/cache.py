"""A release's cache/: the manifest, one share of egkg.nq per graph and one origins map per source graph."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from ..load.loaded import Corpus
from ..reason.coordination import TABLE_FILE, Participations, save_participations
from ..reason.changes import InferenceChange
from ..reason.infer import Inference
from ..reason.rules import is_inferred
from .incremental import CACHE_DIR, Manifest, Plan, save_file_entries, write_manifest
from .shares import SHARE, share_path, write_shares

__all__ = ["Cache"]

class Cache:
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
        self.previous_table: Participations | None = None  # the table the previous release kept, when it was read

    def _kept_table(self, cache: Path, table: Participations) -> bool:
        """Link the previous release's participation table when `table` says the same (1.2 s to write at M).

        Most edits (a title, a quote) move no participation: then every source's rows are the previous ones.
        """
        if self.previous is None or self.previous_table is None:
            return False
        old, new = self.previous_table.by_graph, table.by_graph
        if old.keys() != new.keys() or any(rows is not old[g] and rows != old[g] for g, rows in new.items()):
            return False
        try:
            os.link(self.previous[0] / CACHE_DIR / TABLE_FILE, cache / TABLE_FILE)
        except OSError:
            return False
        return True

    def write(self, release: Path, groups: dict[str, list[str]]) -> None:
        """Save the shares of the graphs in `groups` and carry the unchanged ones over as hard links."""
        cache = release / CACHE_DIR
        cache.mkdir()
        if self.previous is not None:
            old_release, old_manifest, plan = self.previous
            old_cache = old_release / CACHE_DIR
            self.manifest.files.update(plan.unchanged)
            self.manifest.static_blocks = dict(old_manifest.static_blocks)
            blocks = [entry.block for entry in plan.unchanged.values()] + list(old_manifest.static_blocks.values())
            _link_all(old_cache, cache, [f"{name}{suffix}" for name in blocks for suffix in (SHARE, ".origins")])
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
            if not self._kept_table(cache, concluded.coordination.table):
                save_participations(cache, concluded.coordination.table)
        write_manifest(release, self.manifest, self.previous[:2] if self.previous is not None else None)


def _link_all(old_cache: Path, cache: Path, file_names: list[str]) -> None:
    """Link each of `file_names` that `old_cache` holds into `cache` (on strings: 20,000 Paths cost 0.3 s at M)."""
    old, new = os.fspath(old_cache), os.fspath(cache)
    for file_name in file_names:
        try:
            _link_or_copy(os.path.join(old, file_name), os.path.join(new, file_name))
        except FileNotFoundError:
            continue  # the static graphs have no origins


def _link_or_copy(source: Path | str, target: Path | str) -> None:
    try:
        os.link(source, target)  # blocks never change once written, so releases can share them
    except OSError:
        shutil.copyfile(source, target)
