"""An incremental build hashes a record file again only when its stamp cannot vouch for it, and then once."""

from __future__ import annotations

import shutil

import pytest

from kg_builder.pipeline import incremental
from kg_builder.pipeline.build import build
from kg_builder.pipeline.incremental import fingerprint, plan_changes, read_manifest


@pytest.fixture()
def hashed(monkeypatch):
    """The names of the record files hashed, as plan_changes reads them."""
    monkeypatch.setattr(incremental, "RACY_NS", 0)  # the files are seconds old: trust their stamps at once
    names: list[str] = []
    original = incremental.file_key

    def counting(record, data_dir, source_text):
        names.append(record.name)
        return original(record, data_dir, source_text)

    monkeypatch.setattr(incremental, "file_key", counting)
    return names


def test_a_copied_data_dir_is_hashed_once_then_vouched_for_by_fresh_stamps(data_copy, tmp_path, hashed):
    out = tmp_path / "build"
    build(data_copy, out, reason=False)
    hashed.clear()  # the build hashed each file once to key it
    copied = tmp_path / "copied"
    shutil.copytree(data_copy, copied)  # new inodes and ctimes: no stamp matches
    manifest = read_manifest((out / "current").resolve())
    first = plan_changes(copied, manifest, fingerprint(copied))
    files = len(first.unchanged)
    assert first.changed == () and len(hashed) == files > 0
    manifest.files.update(first.unchanged)  # as the build writes its manifest
    hashed.clear()
    second = plan_changes(copied, manifest, fingerprint(copied))
    assert second.changed == () and hashed == []  # the stamps taken while hashing vouch for every file now


def test_a_data_dir_moved_whole_keeps_its_stamps_and_its_fingerprint(data_copy, tmp_path, hashed):
    out = tmp_path / "build"
    build(data_copy, out, reason=False)
    hashed.clear()  # the build hashed each file once to key it
    manifest = read_manifest((out / "current").resolve())
    moved = tmp_path / "moved"
    data_copy.rename(moved)  # same inodes and ctimes of the files, another path
    assert fingerprint(moved) == manifest.fingerprint
    plan = plan_changes(moved, manifest, fingerprint(moved))
    assert plan is not None and plan.changed == () and hashed == []
