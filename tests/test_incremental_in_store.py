"""An incremental build of a graph past HermiT's size reasons only what changed, inside its store."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kg_builder.paths import PROJECT_ROOT
from kg_builder.pipeline.build import build
from kg_builder.reason.reason import HERMIT_MAX_QUADS

from .test_incremental import assert_same_as_full

MEETINGS = 30  # ~590 quads each: past HermiT's limit, so the build reasons with the rules alone


@pytest.fixture()
def generated(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    subprocess.run([sys.executable, "-m", "benchmarks.generate", "--scale", "XS", "--meetings", str(MEETINGS),
                    "--seed", "1", "--out", str(data), "--quiet"], check=True, cwd=PROJECT_ROOT, timeout=300)
    return data


def edited_meeting(data: Path) -> Path:
    """One record file with a participant taken out and its meeting a day earlier (pairs, counts, dates, ranks move)."""
    path = sorted((data / "records").glob("*.yaml"))[MEETINGS // 2]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("    start: "))
    year, month, day = lines[start].split(": ", 1)[1].strip().split("-")
    lines[start] = f"    start: {year}-{month}-{int(day) - 1:02d}\n" if int(day) > 1 else lines[start].replace(day, "02")
    who = next(i for i, line in enumerate(lines) if line.startswith("      - who: ") and i > start + 8)
    end = next(i for i in range(who + 1, len(lines)) if not lines[i].startswith("        "))
    del lines[who:end]
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_an_edit_past_hermits_size_is_reasoned_in_the_store_as_a_full_build_would(generated, tmp_path):
    out = tmp_path / "build"
    first = build(generated, out, reason=True)
    assert first.quad_count is None or first.quad_count > HERMIT_MAX_QUADS
    edited = edited_meeting(generated)
    again = build(generated, out, reason=True)
    assert again.changes is not None and again.changes.changed == (edited.name,)
    # The whole graph was not reasoned again in memory (that path sets result.inference): the store was.
    assert again.inference is None and again.inference_change is not None and "reason" in again.timings
    assert_same_as_full(generated, out, tmp_path, reason=True)
