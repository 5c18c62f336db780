"""Per-graph shares of egkg.nq: an edit rewrites its own source's share; TriG is written by `egkg export` only."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from kg_builder.outputs.export import export_rdf
from kg_builder.pipeline.build import build, reason_again
from kg_builder.pipeline.release_files import nquads_file

from .test_incremental import edit

GOLDENS = Path(__file__).parent / "goldens" / "digests.json"


def _golden(name: str) -> str:
    return json.loads(GOLDENS.read_text())["outputs"][name]["sha256"]


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _shares(out: Path) -> dict[str, Path]:
    return {p.name: p for p in (out / "current" / "cache").glob("*.nq")}


def test_a_build_writes_no_trig(good_build):
    assert not (good_build.out_dir / "egkg.trig").exists()
    assert not (good_build.out_dir / "current" / "egkg.trig").exists()
    assert not list((good_build.out_dir / "current" / "cache").glob("*.trig"))


def test_export_trig_from_the_shares_of_a_chunked_build_is_the_golden_trig(data_copy, tmp_path):
    out = tmp_path / "chunked"
    build(data_copy, out, chunk_files=2)
    export_rdf(out, "trig", tmp_path / "out.trig")
    assert _sha((tmp_path / "out.trig").read_bytes()) == _golden("egkg.trig")
    assert _sha((out / "egkg.nq").read_bytes()) == _golden("egkg.nq")


def test_export_trig_without_shares_reads_the_nquads(data_copy, tmp_path):
    out = tmp_path / "b"
    build(data_copy, out)
    reason_again(out)  # writes no cache/: the export falls back to egkg.nq
    assert not (out / "current" / "cache").exists()
    export_rdf(out, "trig", tmp_path / "out.trig")
    assert _sha((tmp_path / "out.trig").read_bytes()) == _golden("egkg.trig")


def test_an_edit_rewrites_its_share_and_links_the_others(data_copy, tmp_path):
    out = tmp_path / "build"
    build(data_copy, out, reason=False, chunk_files=2)
    before = {name: path.stat().st_ino for name, path in _shares(out).items()}
    edit(data_copy, "001", "title: Gubernur Sultra Ali Mazi", "title: (revisi) Gubernur Sultra Ali Mazi")
    result = build(data_copy, out, reason=False, chunk_files=2)
    assert result.changes is not None
    after = {name: path.stat().st_ino for name, path in _shares(out).items()}
    assert before.keys() == after.keys()
    rewritten = sorted(name for name in after if after[name] != before[name])
    assert len(rewritten) == 1 and "sultra" in rewritten[0], rewritten
    assert "(revisi)" in (out / "current" / "cache" / rewritten[0]).read_text(encoding="utf-8")


def test_a_large_incremental_build_leaves_egkg_nq_to_its_first_reader(data_copy, tmp_path, monkeypatch):
    monkeypatch.setattr("kg_builder.pipeline.release_files.WHOLE_NQUADS_MAX", 0)  # the five articles as if they were 10,000
    out = tmp_path / "build"
    build(data_copy, out, reason=False, chunk_files=2)
    edit(data_copy, "001", "title: Gubernur Sultra Ali Mazi", "title: (revisi) Gubernur Sultra Ali Mazi")
    build(data_copy, out, reason=False, chunk_files=2)
    assert not (out / "current" / "egkg.nq").exists(), "a large incremental build must not rewrite the whole graph"
    merged = nquads_file(out)
    fresh = tmp_path / "fresh"
    build(data_copy, fresh, reason=False, incremental=False)
    assert merged.read_bytes() == (fresh / "egkg.nq").read_bytes()
    assert (out / "egkg.nq").read_bytes() == merged.read_bytes(), "the public link reaches the merged file"
    export_rdf(out, "trig", tmp_path / "inc.trig")
    export_rdf(fresh, "trig", tmp_path / "fresh.trig")
    assert (tmp_path / "inc.trig").read_bytes() == (tmp_path / "fresh.trig").read_bytes()


def test_a_small_incremental_build_still_writes_egkg_nq(data_copy, tmp_path):
    out = tmp_path / "build"
    build(data_copy, out, reason=False, chunk_files=2)
    edit(data_copy, "001", "title: Gubernur Sultra Ali Mazi", "title: (revisi) Gubernur Sultra Ali Mazi")
    assert build(data_copy, out, reason=False, chunk_files=2).changes is not None
    assert "(revisi)" in (out / "current" / "egkg.nq").read_text(encoding="utf-8")


def test_an_older_builds_trig_link_is_removed(data_copy, tmp_path):
    out = tmp_path / "build"
    build(data_copy, out, reason=False)
    os.symlink("current/egkg.trig", out / "egkg.trig")  # what builds before TriG moved to export left
    build(data_copy, out, reason=False, incremental=False)
    assert not os.path.lexists(out / "egkg.trig")


@pytest.mark.parametrize("fmt", ["nq", "trig"])
def test_export_of_a_large_incremental_build(data_copy, tmp_path, fmt, monkeypatch):
    monkeypatch.setattr("kg_builder.pipeline.release_files.WHOLE_NQUADS_MAX", 0)
    out = tmp_path / "build"
    build(data_copy, out, reason=False, chunk_files=2)
    edit(data_copy, "001", "title: Gubernur Sultra Ali Mazi", "title: (revisi) Gubernur Sultra Ali Mazi")
    build(data_copy, out, reason=False, chunk_files=2)
    export_rdf(out, fmt, tmp_path / f"out.{fmt}")
    assert "(revisi)" in (tmp_path / f"out.{fmt}").read_text(encoding="utf-8")


def test_find_changes_trusts_stamps_but_sees_an_edit_that_restores_size_and_mtime(data_copy, tmp_path, monkeypatch):
    from kg_builder.pipeline import incremental

    monkeypatch.setattr(incremental, "RACY_NS", 0)  # the copy is seconds old: trust its stamps at once
    out = tmp_path / "build"
    build(data_copy, out, reason=False)
    hashed: list[str] = []
    real_key = incremental.file_key
    monkeypatch.setattr(incremental, "file_key", lambda record, *rest: hashed.append(record.name) or real_key(record, *rest))
    assert build(data_copy, out, reason=False).changes.changed == ()
    assert hashed == [], "unchanged files were read again"
    record = next((data_copy / "records").glob("001*.yaml"))
    before = record.stat()
    record.write_text(record.read_text(encoding="utf-8").replace("Ali Mazi", "Ali Maza", 1), encoding="utf-8")
    os.utime(record, ns=(before.st_atime_ns, before.st_mtime_ns))  # same size, same mtime: only ctime moved
    assert record.stat().st_size == before.st_size
    result = build(data_copy, out, reason=False)
    assert result.changes.changed == (record.name,)
    assert "Ali Maza" in (out / "egkg.nq").read_text(encoding="utf-8")


def test_loading_the_text_keeps_blank_node_labels(tmp_path):
    import pyoxigraph as ox

    from kg_builder.outputs.store import load_nquads, with_union

    nquads = (b'<http://x/a> <http://x/p> "a _: b" <http://x/g> .\n'
              b'<http://x/a> <http://x/p> _:list1 <http://x/g> .\n'
              b'_:list1 <http://x/p> <http://x/b> <http://x/g> .\n')
    store = ox.Store(str(tmp_path / "store"))
    load_nquads(store, nquads)
    assert set(store) == set(with_union(ox.parse(nquads, format=ox.RdfFormat.N_QUADS)))


def test_more_shares_than_open_files_allowed_are_merged_in_runs(tmp_path, monkeypatch):
    from kg_builder.rdf import serialize

    monkeypatch.setattr(serialize, "_open_files_allowed", lambda: 2)  # as if 10,000 shares met a limit of 1,024
    texts = [b"<a> <p> <o> <g1> .\n<c> <p> <o> <g1> .\n", b"<b> <p> <o> <g2> .\n", b"<a> <p> <o> <g1> .\n",
             b"<d> <p> <o> <g3> .\n<e> <p> <o> <g3> .\n", b"<0> <p> <o> <g4> .\n"]
    paths = []
    for number, text in enumerate(texts):
        paths.append(tmp_path / f"{number}.nq")
        paths[-1].write_bytes(text)
    merged = b"".join(serialize.merged_files(paths, tmp_path))
    assert merged.splitlines(keepends=True) == sorted(set(b"".join(texts).splitlines(keepends=True)))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in paths), "runs are removed"
