"""Shared fixtures: a private copy of data/, a good build made once per session, copies to break, the CLI."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import owlready2.reasoning
import pyoxigraph as ox
import pytest

from kg_builder.engines import OxigraphEngine
from kg_builder.network import fetch_participations
from kg_builder.outputs.export import trig_pieces
from kg_builder.paths import DATA_DIR, PROJECT_ROOT
from kg_builder.pipeline.build import build
from kg_builder.pipeline.release_files import nquads_file

EGKG = Path(sys.executable).parent / "egkg"


def _private_copy_of_data() -> Path:
    """data/ copied once per session: tests read this copy, so a curator's edits in progress never reach them."""
    target = Path(tempfile.mkdtemp(prefix="egkg-test-data-")) / "data"
    shutil.copytree(DATA_DIR, target)
    return target


# The only place the tests touch the checkout's data/ (tests/test_fixtures.py keeps it so).
DATA = _private_copy_of_data()


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(DATA.parent, ignore_errors=True)


class HermitAnswers:
    """owlready2's `subprocess` module, except that HermiT's answer to an input it already classified
    in this test process is given again instead of starting Java (8-12 s of CPU each time).

    In-process builds of the same records hand HermiT byte-identical input (the ontology and curated
    facts, sorted), and HermiT's answer is a function of that input and the command line: both are the
    key, so any difference in what the build feeds HermiT still runs it. The first build in each pytest
    worker and every `egkg` subprocess (kills, signals, timings) run the real Java. An inconsistent
    graph (an error from Java) is never remembered.
    """

    HERMIT = "org.semanticweb.HermiT.cli.CommandLine"

    def __init__(self, real):
        self._real = real
        self._answers: dict[tuple, bytes] = {}

    def __getattr__(self, name: str):
        return getattr(self._real, name)

    def check_output(self, command, **kwargs):
        if self.HERMIT not in command:
            return self._real.check_output(command, **kwargs)
        # owlready2 passes its input file as "file:///" + the temporary file's path, new for each run.
        inputs = [arg for arg in command if arg.startswith("file:")]
        digest = hashlib.sha256(Path(inputs[0].removeprefix("file:///")).read_bytes()).hexdigest()
        key = (tuple(arg for arg in command if arg not in inputs), digest)
        if key not in self._answers:
            self._answers[key] = self._real.check_output(command, **kwargs)
        return self._answers[key]


owlready2.reasoning.subprocess = HermitAnswers(owlready2.reasoning.subprocess)


# Commands that default to the checkout's data/ or build/, and the options that point them elsewhere.
NEEDS = {
    "build": ("--data", "--out"), "validate": ("--data",), "resolve": ("--data",), "eval": ("--data",),
    "site": ("--data", "--build"),
    **{name: ("--build",) for name in ("query", "sparql", "checks", "serve", "push", "export", "viz", "reason", "network",
                                       "tour")},
}


def missing_locations(argv: list[str]) -> list[str]:
    """The options `argv` must add so that egkg never falls back on the checkout's own data/ or build/."""
    command = next((a for a in argv if not a.startswith("-")), "")
    if "--help" in argv or (command == "query" and "list" in argv):
        return []  # help and the list of questions read neither
    return [option for option in NEEDS.get(command, ()) if option not in argv]


def run_egkg(*args: str | Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the installed `egkg` console script, as a user would, on the test's own data and build."""
    argv = [str(a) for a in args]
    missing = missing_locations(argv)
    assert not missing, f"`egkg {' '.join(argv)}` must pass {missing}: tests never use the checkout's data/ or build/"
    return subprocess.run([str(EGKG), *argv], capture_output=True, text=True, timeout=timeout)


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


def output_bytes(out: Path, name: str) -> bytes:
    """A build's egkg.nq (merged first when an incremental build left it to be) or the TriG `egkg export` writes."""
    if name == "egkg.trig":
        return b"".join(trig_pieces(out, nquads_file(out)))
    return nquads_file(out).read_bytes()


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
    return build(DATA, out)


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    """A private copy of data/ that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


@pytest.fixture()
def previous_build(tmp_path: Path, good_build) -> Path:
    """A directory holding a complete earlier build, to check that failures leave it intact."""
    target = tmp_path / "build"
    shutil.copytree(good_build.out_dir, target)
    return target


@pytest.fixture(scope="module")
def engine(good_build) -> OxigraphEngine:
    """The good build's embedded store as a query engine."""
    return OxigraphEngine(good_build.out_dir / "store")


@pytest.fixture(scope="module")
def participations(engine):
    """Every participation of the good build, as the network code reads them."""
    return fetch_participations(engine)


@pytest.fixture(scope="module")
def endpoint(good_build):
    """`egkg serve` on the good build, on a free loopback port: the base URL."""
    from .servers import free_port, wait_for

    port = free_port()
    process = subprocess.Popen(
        [str(EGKG), "serve", "--port", str(port), "--build", str(good_build.out_dir)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/query?query=ASK%7B%7D")
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    assert process.returncode is not None


@pytest.fixture(scope="session")
def generated_build(tmp_path_factory: pytest.TempPathFactory):
    """A generated XS corpus (20 meetings), built with reasoning: the shape of the benchmarks' data.
    Read only: tests that edit a corpus generate their own."""
    root = tmp_path_factory.mktemp("xs")
    subprocess.run([sys.executable, "-m", "benchmarks.generate", "--scale", "XS", "--seed", "1", "--out",
                    str(root / "data"), "--quiet"], check=True, cwd=PROJECT_ROOT, timeout=300)
    return build(root / "data", root / "build")
