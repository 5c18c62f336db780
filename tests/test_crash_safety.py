"""Crash safety: a build killed at any moment leaves the previous build whole; concurrent builds never mix."""

from __future__ import annotations

import gc
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from kg_builder.engines import OxigraphEngine
from kg_builder.paths import PROJECT_ROOT
from kg_builder.queries import load_library
from kg_builder.run_query import run_library_query

from .conftest import DATA, EGKG
from .test_queries import sample

LIBRARY = load_library()
# Removing this record still validates and changes the graph, so two builds differ and a mix of
# their outputs (new N-Quads beside the old store) is visible; identical builds would hide it.
DROPPED_RECORD = "003-mc-sijunjung-2024-07-05-rakor-kpu-sijunjung.yaml"
WRITE_STAGES = ("write N-Quads", "load store")  # progress lines of the writing phase
SEED = 20241109


@dataclass(frozen=True)
class Snapshot:
    """What a reader of build/ sees: the digest of egkg.nq and the answers of every library query."""

    nquads: str
    store: str

    def describe(self, named: dict[str, Snapshot]) -> str:
        def which(part: str) -> str:
            value = getattr(self, part)
            names = [name for name, other in named.items() if getattr(other, part) == value]
            return "/".join(names) or (value if value.startswith(("missing", "unreadable")) else "neither")

        return f"egkg.nq={which('nquads')} store={which('store')}"


def _digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as exc:
        return f"missing ({exc.strerror})"


def snapshot(out: Path) -> Snapshot:
    """Read build/ through its public paths only, as `egkg query` and `egkg serve` do."""
    try:
        engine = OxigraphEngine(out / "store")
        answers = [(name, run_library_query(engine, query, sample(query)).comparable()) for name, query in LIBRARY.items()]
        store = hashlib.sha256(repr((len(engine.store), answers)).encode()).hexdigest()
    except Exception as exc:  # noqa: BLE001 - any failure to read the store is the finding
        store = f"unreadable ({type(exc).__name__}: {' '.join(str(exc).split())[:200]})"
    finally:
        engine = None
        gc.collect()  # RocksDB lets go of the directory only when the Store is dropped
    return Snapshot(_digest(out / "egkg.nq"), store)


def _live_members(group: int) -> list[str]:
    """Processes of a process group that are not zombies (the build's Java must not outlive it)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text.rsplit(")", 1)[1].split()
        if int(fields[2]) == group and fields[0] != "Z":
            found.append(text.split(" ", 1)[1].split(")")[0] + ")")
    return found


class RunningBuild:
    """`egkg build` in its own process group, with the arrival time of each progress line."""

    def __init__(self, data: Path, out: Path, *, reason: bool = True, quiet: bool = False, full: bool = False,
                 ignore_sigint: bool = False):
        command = [str(EGKG), "build", "--data", str(data), "--out", str(out)]
        command += [] if reason else ["--no-reason"]
        command += ["--quiet"] if quiet else []
        command += ["--full"] if full else []
        # A shell script's `egkg build &` starts the build with SIGINT ignored.
        ignoring = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if ignore_sigint else None
        self.started = time.monotonic()
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                        start_new_session=True, preexec_fn=ignoring)
        self.lines: list[tuple[float, str]] = []
        self.ended = False
        self.changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stderr:
            with self.changed:
                self.lines.append((time.monotonic() - self.started, line.rstrip("\n")))
                self.changed.notify_all()
        with self.changed:
            self.ended, self.ended_at = True, time.monotonic() - self.started
            self.changed.notify_all()

    def stages(self) -> list[tuple[float, str]]:
        return [(t, line.removeprefix("· ").strip()) for t, line in self.lines if line.startswith("· ")]

    def wait_for(self, wanted, seconds: float = 120) -> bool:
        """Block until a progress stage satisfying `wanted` is printed; False if the build ended first."""
        deadline = time.monotonic() + seconds
        with self.changed:
            while not any(wanted(stage) for _, stage in self.stages()):
                if self.ended or time.monotonic() > deadline:
                    return False
                self.changed.wait(0.05)
            return True

    def kill(self) -> bool:
        """SIGKILL the whole group (the build and its Java); False if it had already exited."""
        alive = self.process.poll() is None
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)
        deadline = time.monotonic() + 10
        while _live_members(self.process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _live_members(self.process.pid), f"survived SIGKILL: {_live_members(self.process.pid)}"
        return alive

    def finish(self, seconds: float = 300) -> int:
        try:
            code = self.process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        with self.changed:
            self.changed.wait_for(lambda: self.ended, timeout=10)
        return code

    def stderr(self) -> str:
        return "\n".join(line for _, line in self.lines)


def _is_writing(stage: str) -> bool:
    return stage in WRITE_STAGES


@dataclass
class References:
    full: Path  # a copy of data/
    small: Path  # the same without DROPPED_RECORD
    states: dict[str, Snapshot]  # "reasoned" (full data), "full" and "small" (both --no-reason)
    dirs: dict[str, Path]
    loading_s: float  # launch to the first progress line (imports and start-up)
    checking_s: float  # first progress line to the first writing stage of a --no-reason build
    writing_s: float  # first writing stage to exit
    reasoning_s: float


@pytest.fixture(scope="module")
def refs(tmp_path_factory: pytest.TempPathFactory, good_build) -> References:
    root = tmp_path_factory.mktemp("crash-refs")
    full, small = root / "data", root / "data-small"
    shutil.copytree(DATA, full)
    shutil.copytree(DATA, small)
    (small / "records" / DROPPED_RECORD).unlink()
    dirs = {"full": root / "full", "small": root / "small"}
    runs = {}
    for name, data in (("full", full), ("small", small)):
        runs[name] = RunningBuild(data, dirs[name], reason=False)
        code = runs[name].finish()
        assert code == 0, f"reference build of {name} data failed:\n{runs[name].stderr()}"
    dirs["reasoned"] = good_build.out_dir
    states = {name: snapshot(path) for name, path in dirs.items()}
    assert len(set(states.values())) == 3, "the reference builds must differ, or a mix of them would go unseen"
    stages = runs["full"].stages()
    first_write = next(t for t, stage in stages if _is_writing(stage))
    return References(full, small, states, dirs, loading_s=stages[0][0], checking_s=first_write - stages[0][0],
                      writing_s=runs["full"].ended_at - first_write, reasoning_s=good_build.timings["reason"])


def _fresh_out(tmp_path: Path, refs: References, state: str) -> Path:
    """A build directory holding the `state` build, made by a real `egkg build --no-reason`."""
    out = tmp_path / "out"
    run = RunningBuild(refs.full if state == "full" else refs.small, out, reason=False, quiet=True)
    assert run.finish() == 0, run.stderr()
    assert snapshot(out) == refs.states[state]
    return out


def _assert_whole(out: Path, refs: References, allowed: tuple[str, ...], what: str) -> str:
    """build/ must be exactly one of the `allowed` builds, never a mix or a half."""
    state = snapshot(out)
    named = {name: refs.states[name] for name in allowed}
    for name, expected in named.items():
        if state == expected:
            return name
    pytest.fail(f"{what}: build/ is not one whole build: {state.describe(named)}")


def test_kills_while_checking_and_reasoning_leave_the_previous_build(tmp_path, refs):
    out = _fresh_out(tmp_path, refs, "full")
    rng = random.Random(SEED)
    # Kills during start-up, during the checks (loading, mapping, SHACL), and while HermiT runs in Java.
    plan = [("start-up", rng.uniform(0.05, refs.loading_s)) for _ in range(3)]
    plan += [("checking", rng.uniform(0.0, refs.checking_s)) for _ in range(3)]
    plan += [("reasoning", rng.uniform(0.0, refs.reasoning_s)) for _ in range(5)]
    anchors = {"checking": lambda stage: True, "reasoning": lambda stage: stage == "reason"}
    outcomes = []
    for phase, delay in plan:
        run = RunningBuild(refs.full, out, reason=True)
        if phase in anchors:
            assert run.wait_for(anchors[phase]), f"no progress line for {phase}:\n{run.stderr()}"
            time.sleep(delay)
        else:
            time.sleep(max(0.0, delay - (time.monotonic() - run.started)))
        killed = run.kill()
        last = run.stages()[-1][1] if run.stages() else "start-up"
        what = f"kill {len(outcomes) + 1} ({phase}, {delay:.2f} s, during '{last}')"
        outcomes.append((what, killed, _assert_whole(out, refs, ("full", "reasoned"), what)))
    print("\n".join(f"{what}: build/ = {state}" for what, _, state in outcomes))  # shown when the test fails
    # A slow machine may shift a kill; the schedule must still hit running builds, not finished ones.
    # Stage times vary with machine load: most kills, not all, must land before the build finished.
    assert sum(killed for _, killed, _ in outcomes) >= len(plan) // 2, outcomes
    again = RunningBuild(refs.full, out, reason=True, quiet=True)
    assert again.finish() == 0, again.stderr()
    assert snapshot(out) == refs.states["reasoned"]


def test_kills_while_writing_and_publishing_leave_one_whole_build(tmp_path, refs):
    out = _fresh_out(tmp_path, refs, "full")
    rng = random.Random(SEED + 1)
    current, outcomes = "full", []
    for number in range(1, 10):  # with the 11 kills above: 20 random kills
        # Each build writes the other graph, so old and new outputs can be told apart.
        target = "small" if current == "full" else "full"
        run = RunningBuild(refs.small if target == "small" else refs.full, out, reason=False)
        assert run.wait_for(_is_writing), f"no writing stage printed:\n{run.stderr()}"
        delay = rng.uniform(0.0, refs.writing_s)  # a few land after the exit: that state must be whole too
        time.sleep(delay)
        killed = run.kill()
        what = f"kill {number} ({delay:.2f} s into writing, {'killed' if killed else 'had exited'})"
        current = _assert_whole(out, refs, (current, target), what)
        outcomes.append((what, current))
    print("\n".join(f"{what}: build/ = {state}" for what, state in outcomes))  # shown when the test fails
    final = "small" if current == "full" else "full"
    run = RunningBuild(refs.small if final == "small" else refs.full, out, reason=False, quiet=True)
    assert run.finish() == 0, run.stderr()
    assert snapshot(out) == refs.states[final]
    # Crashed builds' half-written outputs must not pile up: a good build clears them.
    size, clean = _size(out), _size(refs.dirs[final])
    assert size <= 1.5 * clean, f"{size} bytes in build/ after crashes, {clean} in a clean build: {_listing(out)}"


def _size(path: Path) -> int:
    return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def _listing(path: Path) -> list[str]:
    return sorted(str(p.relative_to(path)) for p in path.iterdir())


# A fork server: loads kg_builder and the new graph once, then for each "K LOG" line on stdin forks
# a child that runs write_outputs() with every file-system step under build/ counted, SIGKILLs
# itself just before step K, and answers with the child's exit code. Each gap between two steps is
# tried once; random kills almost never hit a gap of microseconds. rmtree counts as one step:
# what it deletes is never what readers use.
INJECTOR = r"""
import os, shutil, signal, sys, traceback
from pathlib import Path

import pyoxigraph as ox
from kg_builder.pipeline.release_files import write_outputs

out = os.path.abspath(sys.argv[1])
quads = list(ox.parse(path=sys.argv[2], format=ox.RdfFormat.N_QUADS))

def _under(arg):
    try:
        path = os.path.abspath(os.fspath(arg))
    except TypeError:
        return False
    return path == out or path.startswith(out + os.sep)

def _install(kill_at, log):
    state = {"count": 0, "inside": False}
    def wrap(module, name):
        original = getattr(module, name)
        def step(*args, **kwargs):
            if state["inside"] or not any(_under(a) for a in args[:2]):
                return original(*args, **kwargs)
            state["count"] += 1
            with open(log, "a") as f:
                shown = ", ".join(os.path.relpath(os.fspath(a), out) for a in args[:2] if _under(a))
                f.write(f"{state['count']} {name}({shown})\n")
            if state["count"] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            state["inside"] = name == "rmtree"
            try:
                return original(*args, **kwargs)
            finally:
                state["inside"] = False
        setattr(module, name, step)
    for name in ("replace", "rename", "symlink", "link", "unlink", "remove", "rmdir", "mkdir"):
        wrap(os, name)
    wrap(shutil, "rmtree")

for line in sys.stdin:
    kill_at, log = line.split(" ", 1)
    log = log.strip()
    child = os.fork()
    if child == 0:
        code = 0
        try:
            _install(int(kill_at), log)
            Path(out).mkdir(parents=True, exist_ok=True)
            write_outputs(Path(out), quads, {}, lambda stage: None)
        except BaseException:
            with open(log, "a") as f:
                f.write("error: " + traceback.format_exc())
            code = 1
        os._exit(code)
    _, status = os.waitpid(child, 0)
    print(os.waitstatus_to_exitcode(status), flush=True)
"""


@pytest.mark.parametrize("layout", ["built", "copied"])
def test_a_kill_between_any_two_publishing_steps_leaves_one_whole_build(tmp_path, refs, layout):
    """`built`: build/ made by egkg; `copied`: a cp -r of one (plain files where links were)."""
    injector = tmp_path / "inject.py"
    injector.write_text(INJECTOR)
    out = tmp_path / "out"

    def reset() -> None:
        shutil.rmtree(out, ignore_errors=True)
        if layout == "copied":
            shutil.copytree(refs.dirs["full"], out)  # follows links, as cp -r does
        else:
            shutil.copytree(refs.dirs["full"], out, symlinks=True)
            outside = [p.name for p in out.iterdir() if not p.resolve().is_relative_to(out.resolve())]
            assert not outside, f"links that leave build/ tie it to where it was built: {outside}"

    reset()
    assert snapshot(out) == refs.states["full"]
    server = subprocess.Popen([sys.executable, str(injector), str(out), str(refs.dirs["small"] / "egkg.nq")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=tmp_path,
                              env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    steps, log = [], tmp_path / "steps.log"
    try:
        for kill_at in range(1, 80):
            log.unlink(missing_ok=True)
            server.stdin.write(f"{kill_at} {log}\n")
            server.stdin.flush()
            code = int(server.stdout.readline() or "-1000")
            done = log.read_text().splitlines() if log.exists() else []
            if code == 0:
                break
            assert code == -signal.SIGKILL, "\n".join(done)[-2000:]
            steps.append(done[-1])
            state = _assert_whole(out, refs, ("full", "small"), f"killed before step {done[-1]} ({layout} build/)")
            if state == "small" or layout == "copied":
                reset()
        else:
            pytest.fail("write_outputs did not finish within 79 steps")
    finally:
        server.stdin.close()
        server.wait(timeout=60)
    assert steps, "no file-system step under build/ was seen"
    assert snapshot(out) == refs.states["small"]


def test_concurrent_builds_never_mix(tmp_path, refs):
    out = tmp_path / "out"
    first = RunningBuild(refs.full, out, reason=True)
    assert first.wait_for(lambda stage: True), first.stderr()  # it holds the lock before its first stage
    second = RunningBuild(refs.small, out, reason=False)
    second_code = second.finish()
    first_code = first.finish()
    assert first_code == 0, first.stderr()
    if second_code == 0:  # it waited for the first one: its own graph is the last word
        expected = "small"
    else:
        lines = second.stderr().strip().splitlines()
        assert second_code == 2 and len(lines) == 1, second.stderr()
        assert "another build is writing here" in lines[0] and str(out) in lines[0], lines[0]
        expected = "reasoned"
    assert _assert_whole(out, refs, ("reasoned", "small"), "after two concurrent builds") == expected

    # Both started at once: whichever takes the lock builds, the other refuses or waits.
    shutil.rmtree(out)
    racers = [RunningBuild(refs.full, out, reason=False), RunningBuild(refs.small, out, reason=False)]
    codes = [run.finish() for run in racers]
    assert sorted(codes) in ([0, 0], [0, 2]), [run.stderr() for run in racers]
    winners = [name for name, code in zip(("full", "small"), codes) if code == 0]
    final = _assert_whole(out, refs, ("full", "small"), "after two builds started together")
    assert final in winners
