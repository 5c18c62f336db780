"""Chunked full builds: the same outputs as the in-memory build, and the same verdicts across chunks."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg_builder.pipeline.build import build

from kg_builder.pipeline.stages import ShaclViolations

from .conftest import give_kaltim_meeting_an_end, output_bytes, report_kaltim_meeting_a_day_early
from .test_incremental import edit, store_quads


@pytest.mark.parametrize("reason", [False, True])
def test_chunks_of_two_files_give_the_same_outputs(data_copy: Path, tmp_path: Path, reason: bool):
    whole = build(data_copy, tmp_path / "whole", reason=reason, incremental=False)
    chunked = build(data_copy, tmp_path / "chunked", reason=reason, incremental=False, chunk_files=2)
    assert whole.quad_count is None and chunked.quad_count == len(set(whole.quads))
    for name in ("egkg.nq", "egkg.trig"):
        assert output_bytes(tmp_path / "whole", name) == output_bytes(tmp_path / "chunked", name), name
    assert store_quads(tmp_path / "whole") == store_quads(tmp_path / "chunked")


def test_past_hermits_limit_chunks_reason_in_the_store_like_a_whole_build(data_copy: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setattr("kg_builder.reason.hermit.HERMIT_MAX_QUADS", 100)  # the five articles are ~8,600 quads
    whole = build(data_copy, tmp_path / "whole", reason=True, incremental=False)
    chunked = build(data_copy, tmp_path / "chunked", reason=True, incremental=False, chunk_files=2)
    assert "HermiT skipped" in whole.inference.skipped and "HermiT" not in whole.inference.timings
    assert chunked.inference.skipped == whole.inference.skipped
    assert whole.inference.counts["40-coordination"] > 0  # the rules still ran
    for name in ("egkg.nq", "egkg.trig"):
        assert output_bytes(tmp_path / "whole", name) == output_bytes(tmp_path / "chunked", name), name
    assert store_quads(tmp_path / "whole") == store_quads(tmp_path / "chunked")


def test_a_number_the_store_writes_differently_is_not_a_second_value(data_copy: Path, tmp_path: Path):
    # The store keeps 62.0 as its canonical 62; reading the chunk back from it would give the
    # observation two values (a maxCount violation the in-memory build does not see).
    edit(data_copy, "000", "    value: 62\n", "    value: 62.0\n")
    build(data_copy, tmp_path / "whole", reason=False, incremental=False)
    build(data_copy, tmp_path / "chunked", reason=False, incremental=False, chunk_files=2)
    assert (tmp_path / "whole" / "egkg.nq").read_bytes() == (tmp_path / "chunked" / "egkg.nq").read_bytes()


def test_a_relative_data_path_builds_in_chunks(data_copy: Path, tmp_path: Path, monkeypatch):
    # Found at scale S: `egkg build --data build/bench/S-1/data` refused every archived text.
    monkeypatch.chdir(data_copy.parent)
    result = build(Path(data_copy.name), tmp_path / "out", reason=False, incremental=False, chunk_files=2)
    assert result.quad_count


def test_a_contradiction_between_chunks_is_found(data_copy: Path, tmp_path: Path):
    # 002 and 004 land in different chunks; together their dates put the meeting's end before its start.
    give_kaltim_meeting_an_end(data_copy)
    report_kaltim_meeting_a_day_early(data_copy)
    with pytest.raises(ShaclViolations) as caught:
        build(data_copy, tmp_path / "out", reason=False, chunk_files=1)
    assert "2024-11-13-rakor-forkopimda-kaltim" in str(caught.value)
    assert not (tmp_path / "out").exists()  # a refused first build leaves nothing behind


def test_an_incremental_build_follows_a_chunked_one(data_copy: Path, tmp_path: Path):
    out = tmp_path / "out"
    build(data_copy, out, reason=False, chunk_files=2)
    edit(data_copy, "003", "title: ", "title: (revisi) ")
    result = build(data_copy, out, reason=False, chunk_files=2)
    assert result.changes is not None and len(result.changes.changed) == 1
    fresh = build(data_copy, tmp_path / "fresh", reason=False, incremental=False)
    assert (out / "egkg.nq").read_bytes() == (tmp_path / "fresh" / "egkg.nq").read_bytes()
    assert fresh.quad_count is None


def test_chunks_of_a_synthetic_corpus_give_the_same_outputs(tmp_path: Path):
    # Synthetic articles share persons, posts and regulations across files, so every chunk's
    # validation leans on what the store already holds (literals included).
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    data = tmp_path / "data"
    subprocess.run([sys.executable, str(root / "benchmarks" / "generate.py"), "--scale", "XS", "--meetings", "12",
                    "--seed", "3", "--out", str(data)], check=True, capture_output=True)
    build(data, tmp_path / "whole", reason=False, incremental=False)
    build(data, tmp_path / "chunked", reason=False, incremental=False, chunk_files=4)
    for name in ("egkg.nq", "egkg.trig"):
        assert output_bytes(tmp_path / "whole", name) == output_bytes(tmp_path / "chunked", name), name
