"""Incremental builds: only changed record files are redone, and the outputs equal a full build's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg_builder.pipeline.build import build

from kg_builder.pipeline.stages import ShaclViolations
from kg_builder.errors import InputErrors

from .conftest import give_kaltim_meeting_an_end, output_bytes, report_kaltim_meeting_a_day_early

RECORDS = "records"


def edit(data: Path, name_start: str, old: str, new: str) -> None:
    """Replace one exact string in one record file (the test fails if it is not there)."""
    path = next((data / RECORDS).glob(f"{name_start}*.yaml"))
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def store_quads(out: Path) -> set[ox.Quad]:
    store = ox.Store.read_only(str(out / "store"))
    quads = set(store.quads_for_pattern(None, None, None, None))
    del store
    return quads


def assert_same_as_full(data: Path, out: Path, tmp_path: Path, *, reason: bool) -> None:
    """The incremental outputs must equal what a fresh full build of the same data writes."""
    fresh = tmp_path / "fresh"
    build(data, fresh, reason=reason, incremental=False)
    for name in ("egkg.nq", "egkg.trig"):
        assert output_bytes(out, name) == output_bytes(fresh, name), name
    assert store_quads(out) == store_quads(fresh)


@pytest.fixture()
def built(data_copy: Path, tmp_path: Path) -> tuple[Path, Path]:
    out = tmp_path / "build"
    first = build(data_copy, out, reason=False)
    assert first.changes is None  # nothing to reuse the first time
    return data_copy, out


def test_one_edited_file_is_the_only_one_redone(built, tmp_path):
    data, out = built
    edit(data, "001", "title: Gubernur Sultra Ali Mazi", "title: (revisi) Gubernur Sultra Ali Mazi")
    result = build(data, out, reason=False)
    assert result.changes is not None
    assert result.changes.changed == ("001-kbrn-2022-11-21-rakor-pemilu-pilkada-sultra.yaml",)
    assert [f.path.name for f in result.corpus.files] == list(result.changes.changed)
    assert "(revisi)" in (out / "egkg.nq").read_text(encoding="utf-8")
    assert_same_as_full(data, out, tmp_path, reason=False)


def test_removed_and_added_files(built, tmp_path):
    data, out = built
    moved = next((data / RECORDS).glob("003*.yaml"))
    parked = tmp_path / moved.name
    shutil.move(moved, parked)
    result = build(data, out, reason=False)
    assert [entry.summary.name for entry in result.changes.removed] == [moved.name]
    assert "mc-sijunjung" not in (out / "egkg.nq").read_text(encoding="utf-8")
    assert_same_as_full(data, out, tmp_path / "a", reason=False)
    shutil.move(parked, moved)
    result = build(data, out, reason=False)
    assert result.changes.changed == (moved.name,)
    assert_same_as_full(data, out, tmp_path / "b", reason=False)


def test_incremental_with_reasoning_equals_full(data_copy, tmp_path):
    out = tmp_path / "build"
    build(data_copy, out, reason=True)
    edit(data_copy, "004", "title: ", "title: (revisi) ")
    result = build(data_copy, out, reason=True)
    assert result.changes is not None and result.inference is not None
    assert_same_as_full(data_copy, out, tmp_path, reason=True)


def test_a_contradiction_with_an_unchanged_file_is_found_and_nothing_is_written(built):
    data, out = built
    give_kaltim_meeting_an_end(data)
    build(data, out, reason=False)
    before = (out / "egkg.nq").read_bytes()
    # Only 004 changes now: it reports the Kaltim meeting a day earlier. The shape (start <= end)
    # fails only together with 002's dates, which the focused validation reads from the store.
    report_kaltim_meeting_a_day_early(data)
    with pytest.raises(ShaclViolations) as caught:
        build(data, out, reason=False)
    assert "2024-11-13-rakor-forkopimda-kaltim" in str(caught.value)
    assert (out / "egkg.nq").read_bytes() == before


def test_a_cross_file_reference_broken_by_an_edit_is_reported(built):
    data, out = built
    # Every file that refers to org/kpu-ri relies on some file declaring it; renaming every
    # declaration makes those references dangle, and the check must see files it did not redo.
    renamed = 0
    for path in sorted((data / RECORDS).glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if "\n  - id: kpu-ri\n" in text:
            path.write_text(text.replace("\n  - id: kpu-ri\n", "\n  - id: kpu-ri-renamed\n"), encoding="utf-8")
            renamed += 1
    assert renamed
    with pytest.raises(InputErrors, match="unknown reference 'org/kpu-ri'"):
        build(data, out, reason=False)


def test_changed_code_or_ontology_means_a_full_build(built, monkeypatch):
    data, out = built
    from kg_builder.pipeline import build as build_module

    monkeypatch.setattr(build_module, "fingerprint", lambda _data: "something else")
    assert build(data, out, reason=False).changes is None


def test_full_flag_redoes_everything(built):
    data, out = built
    assert build(data, out, reason=False, incremental=False).changes is None


def test_files_that_read_a_moved_post_are_mapped_again(data_copy, tmp_path):
    # 001 seats Ali Mazi in post/gubernur-sultra; let only 000 declare that post, so 001's
    # participations take their institution from a post another file declares.
    edit(data_copy, "001", """  - id: gubernur-sultra
    label: Gubernur Sulawesi Tenggara
    office: gubernur
    organization: org/pemprov-sultra
    region: region/74
    evidence: "Gubernur Sulawesi Tenggara (Sultra)"
""", "")
    out = tmp_path / "build"
    build(data_copy, out, reason=False)
    edit(data_copy, "000", "    office: gubernur\n    organization: org/pemprov-sultra",
         "    office: gubernur\n    organization: org/forkopimda-sultra")
    result = build(data_copy, out, reason=False)
    assert result.changes is not None
    assert result.changes.changed == (
        "000-chanetujuh-2024-11-06-rakor-pilkada-sultra.yaml", "001-kbrn-2022-11-21-rakor-pemilu-pilkada-sultra.yaml",
    )
    assert_same_as_full(data_copy, out, tmp_path, reason=False)
