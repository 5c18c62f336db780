"""An edit costs what it changes: what the previous release proves unchanged is linked or reused, not rewritten or recomputed."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from kg_builder.load.corpus import post_organizations, record_paths
from kg_builder.mapping import ONTOLOGY_GRAPH
from kg_builder.mapping import nquads as nquads_module
from kg_builder.pipeline import incremental
from kg_builder.pipeline.build import build
from kg_builder.pipeline.incremental import CACHE_DIR, read_manifest, with_dependants
from kg_builder.reason.coordination import TABLE_FILE, load_participations

from .test_incremental import edit
from .test_incremental_in_store import edited_meeting, generated  # noqa: F401 (a fixture)

EDITED = "001-kbrn-2022-11-21-rakor-pemilu-pilkada-sultra.yaml"


def bucket_inodes(release: Path) -> dict[str, int]:
    """Each file of the manifest's per-file entries and its inode: a linked bucket keeps it."""
    return {path.name: path.stat().st_ino for path in (release / CACHE_DIR).glob("entries-*.pickle")}


def test_an_edit_rewrites_only_the_manifest_bucket_of_its_file(data_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(incremental, "RACY_NS", 0)  # the files are seconds old: trust their stamps at once
    out = tmp_path / "build"
    build(data_copy, out, reason=False)
    before = read_manifest(out / "current")
    buckets_before = bucket_inodes(out / "current")
    edit(data_copy, "001", "title: Gubernur Sultra Ali Mazi", "title: (revisi) Gubernur Sultra Ali Mazi")
    build(data_copy, out, reason=False)
    after = read_manifest(out / "current")
    buckets_after = bucket_inodes(out / "current")
    # Read back whole and equal, but for the edited file's entry.
    assert after.files.keys() == before.files.keys() and len(after.files) > 3
    assert {n: e for n, e in after.files.items() if n != EDITED} == {n: e for n, e in before.files.items() if n != EDITED}
    assert after.files[EDITED].key != before.files[EDITED].key
    assert (after.fingerprint, after.static_blocks, after.inferred_blocks) == (
        before.fingerprint, before.static_blocks, before.inferred_blocks)
    rewritten = {bucket for bucket, inode in buckets_after.items() if buckets_before.get(bucket) != inode}
    assert len(buckets_after) > 1 and len(rewritten) == 1


def test_an_edit_takes_the_ontology_lines_from_the_previous_release(data_copy, tmp_path, monkeypatch):
    out = tmp_path / "build"
    full = build(data_copy, out, reason=False)
    made = []
    original = nquads_module._ontology_lines
    monkeypatch.setattr(nquads_module, "_ontology_lines", lambda ontology: made.append(1) or original(ontology))
    edit(data_copy, "001", "title: Gubernur Sultra Ali Mazi", "title: (revisi) Gubernur Sultra Ali Mazi")
    again = build(data_copy, out, reason=False)
    assert again.changes is not None and made == []
    ontology_of = lambda nquads: [line for line in nquads.splitlines() if line.endswith(f"<{ONTOLOGY_GRAPH}> .".encode())]
    assert ontology_of(again.nquads) == ontology_of(full.nquads) and ontology_of(full.nquads)


def test_an_edit_that_moves_no_participation_keeps_the_table_file(generated, tmp_path):  # noqa: F811
    out = tmp_path / "build"
    build(generated, out, reason=True)
    table = out / "current" / CACHE_DIR / TABLE_FILE
    first = table.stat().st_ino
    record = sorted((generated / "records").glob("*.yaml"))[3]
    record.write_text(record.read_text(encoding="utf-8").replace("\n  title: ", "\n  title: (revisi) ", 1),
                      encoding="utf-8")
    again = build(generated, out, reason=True)
    assert again.inference_change is not None  # reasoned in the store, the table patched
    assert table.stat().st_ino == first
    edited_meeting(generated)  # a participant leaves: the table moves and is written anew
    build(generated, out, reason=True)
    assert table.stat().st_ino != first
    fresh = tmp_path / "fresh"
    build(generated, fresh, reason=True, incremental=False)
    assert load_participations(out / "current" / CACHE_DIR) == load_participations(fresh / "current" / CACHE_DIR)


def test_record_files_are_listed_as_pathlib_names_them(tmp_path):
    # Listed from names, not Paths (0.4 s at 10,000 files): the same files, in the same order, as before.
    records = tmp_path / "records"
    records.mkdir()
    names = ["b.yaml", "a.yml", "C.json", "x.tar.yaml", ".yaml", "a.", "notes.txt", "z.YAML", "é.yaml", "0.yaml"]
    for name in names:
        (records / name).write_text("", encoding="utf-8")
    (records / "dir.yaml").mkdir()
    expected = sorted(p for p in records.iterdir() if p.suffix in (".yaml", ".yml", ".json"))
    assert record_paths(tmp_path) == expected and len(expected) == 7


class Unread(tuple):
    """References that fail the test when walked."""

    def __iter__(self):
        raise AssertionError("an unchanged file's references were walked")


def test_an_edit_that_moves_no_post_walks_no_unchanged_files_references(data_copy, tmp_path):
    out = tmp_path / "build"
    build(data_copy, out, reason=False)
    manifest = read_manifest(out / "current")
    edit(data_copy, "001", "title: Gubernur Sultra Ali Mazi", "title: (revisi) Gubernur Sultra Ali Mazi")
    plan = incremental.plan_changes(data_copy, manifest, manifest.fingerprint)
    unread = {name: dataclasses.replace(entry, summary=dataclasses.replace(entry.summary, references=Unread()))
              for name, entry in plan.unchanged.items()}
    plan = dataclasses.replace(plan, unchanged=unread)
    posts = post_organizations(entry.summary for _, entry in sorted(manifest.files.items()))
    assert posts and with_dependants(plan, manifest, posts) is plan


def test_egkg_nq_is_merged_at_once_only_within_its_limit(good_build, tmp_path):
    from kg_builder.pipeline.release_files import _shares_within

    release = (good_build.out_dir / "current").resolve()
    size = sum(path.stat().st_size for path in (release / CACHE_DIR).glob("*.nq"))
    assert size > 0 and _shares_within(release, size) and not _shares_within(release, size - 1)


def test_an_edit_leaves_the_previous_manifest_out_of_garbage_collections(data_copy, tmp_path, monkeypatch):
    import gc

    from kg_builder.pipeline import build as build_module

    out = tmp_path / "build"
    build(data_copy, out, reason=False)
    entries = len(read_manifest(out / "current").files)
    frozen = []
    original = build_module.build_changes
    monkeypatch.setattr(build_module, "build_changes", lambda *a, **k: frozen.append(gc.get_freeze_count()) or original(*a, **k))
    edit(data_copy, "001", "title: Gubernur Sultra Ali Mazi", "title: (revisi) Gubernur Sultra Ali Mazi")
    assert build(data_copy, out, reason=False).changes is not None
    assert frozen and frozen[0] > 100 * entries  # the manifest's objects, and all else alive then
    assert gc.get_freeze_count() == 0  # scanned again once the build is over


def test_an_edit_checks_its_corpus_without_collections(data_copy, tmp_path, monkeypatch):
    import gc

    from kg_builder.pipeline import changes as changes_module

    out = tmp_path / "build"
    build(data_copy, out, reason=False)
    collecting = []
    original = changes_module.load_corpus
    monkeypatch.setattr(changes_module, "load_corpus", lambda *a, **k: collecting.append(gc.isenabled()) or original(*a, **k))
    edit(data_copy, "001", "title: Gubernur Sultra Ali Mazi", "title: (revisi) Gubernur Sultra Ali Mazi")
    assert build(data_copy, out, reason=False).changes is not None
    assert collecting == [False] and gc.isenabled()
