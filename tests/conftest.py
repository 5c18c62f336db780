"""Shared fixtures: a good build made once per session, copies of data/ to break, the CLI."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg_builder.build import build
from kg_builder.paths import DATA_DIR

EGKG = Path(sys.executable).parent / "egkg"


def run_egkg(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the installed `egkg` console script, as a user would."""
    return subprocess.run([str(EGKG), *map(str, args)], capture_output=True, text=True, timeout=timeout)


KALTIM_002 = "002-kutipopini-2024-11-13-rakor-forkopimda-kaltim.yaml"
KALTIM_004 = "004-eksposisi-2024-11-18-rakor-pilkada-kukar.yaml"


def give_kaltim_meeting_an_end(data: Path) -> None:
    """002 ends the Kaltim meeting on its start day (harmless alone)."""
    path = data / "records" / KALTIM_002
    text = path.read_text(encoding="utf-8")
    assert "start: 2024-11-13" in text
    path.write_text(text.replace("start: 2024-11-13", "start: 2024-11-13\n    end: 2024-11-13", 1), encoding="utf-8")


def report_kaltim_meeting_a_day_early(data: Path) -> None:
    """004 also reports the Kaltim meeting, a day earlier: with 002's end date the sources contradict."""
    path = data / "records" / KALTIM_004
    text = path.read_text(encoding="utf-8")
    extra = (
        "  - id: 2024-11-13-rakor-forkopimda-kaltim\n"
        "    kind: rakor\n"
        "    title: Rakor Kelancaran Penyelenggaraan Pilkada Serentak 2024\n"
        "    start: 2024-11-12\n"
        "    end: 2024-11-12\n"
        "    evidence: \"Rakor Kelancaran Penyelenggaraan Pilkada Serentak 2024\"\n"
    )
    assert "\nmeetings:\n" in text
    path.write_text(text.replace("\nmeetings:\n", "\nmeetings:\n" + extra, 1), encoding="utf-8")


def source_quads(store: ox.Store) -> list[ox.Quad]:
    """The store's quads in named graphs: what the N-Quads hold, without the union default graph."""
    return [q for q in store.quads_for_pattern(None, None, None, None) if isinstance(q.graph_name, ox.NamedNode)]


def tree_digest(path: Path) -> dict[str, str]:
    """sha256 of every file under `path` (relative names), to prove a directory did not change."""
    return {
        str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*"))
        if p.is_file() and p.name not in {"LOCK", ".build.lock"}
    }


@pytest.fixture(scope="session")
def good_build(tmp_path_factory: pytest.TempPathFactory):
    """The real data built once into a temporary directory (the build result object)."""
    out = tmp_path_factory.mktemp("build")
    return build(DATA_DIR, out)


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.fixture()
def previous_build(tmp_path: Path, good_build) -> Path:
    """A directory holding a complete earlier build, to check that failures leave it intact."""
    target = tmp_path / "build"
    shutil.copytree(good_build.out_dir, target)
    return target
