"""Each build stage's peak resident memory: measured per stage (not the process's whole peak) and put in the build report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg_builder.pipeline import peak_rss
from kg_builder.pipeline.stages import StageTimings, timed

from .conftest import DATA, run_egkg

MIB = 1024 * 1024
MACHINE_MIB = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / MIB
# Timed inside "load records" by the record loader itself, not by `timed`: its memory is load records'.
UNTIMED = {"evidence check"}

needs_proc = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")


def _quiet(_: str) -> None:
    pass


def _allocate(mib: int) -> bytes:
    """`mib` MiB actually written (a zero-filled buffer can stay unmapped and never count as resident), held
    for a few samples: this test process's high-water mark may be higher already, from earlier tests."""
    held = b"\x01" * (mib * MIB)
    time.sleep(5 * peak_rss.INTERVAL_S)
    return held


@pytest.fixture()
def high_water_raised() -> None:
    """The process's high-water mark above what the test allocates: only the samples can see its stages."""
    spike = b"\x01" * (500 * MIB)
    del spike


def _assert_plausible(peaks: dict[str, float], timings: dict[str, float]) -> None:
    assert set(peaks) == set(timings) - UNTIMED, (sorted(peaks), sorted(timings))
    for stage, mib in peaks.items():
        assert 0 < mib < MACHINE_MIB, (stage, mib)


@needs_proc
def test_a_stage_that_allocates_peaks_higher_than_the_idle_stages_before_and_after_it(high_water_raised):
    timings = StageTimings()
    with timed(timings, "idle before", _quiet):
        pass
    with timed(timings, "allocates", _quiet):
        held = _allocate(200)
        del held
    with timed(timings, "idle after", _quiet):  # only a reset high-water mark lets this one read low
        pass
    peaks = timings.peak_rss_mib
    assert peaks["allocates"] >= peaks["idle before"] + 150, peaks
    assert peaks["allocates"] >= peaks["idle after"] + 150, peaks


@needs_proc
def test_a_stage_entered_many_times_keeps_its_highest_peak(high_water_raised):
    timings = StageTimings()
    with timed(timings, "chunked", _quiet, add=True):
        held = _allocate(200)
        del held
    with timed(timings, "chunked", _quiet, add=True):
        pass
    with timed(timings, "idle", _quiet):
        pass
    assert timings.peak_rss_mib["chunked"] >= timings.peak_rss_mib["idle"] + 150, timings.peak_rss_mib


@needs_proc
def test_a_stage_nested_in_another_does_not_hide_the_outer_stages_peak(high_water_raised):
    timings = StageTimings()
    with timed(timings, "outer", _quiet):
        held = _allocate(200)
        del held
        with timed(timings, "inner", _quiet):  # measured on its own: the outer's peak must not be lost to it
            pass
    assert timings.peak_rss_mib["outer"] >= timings.peak_rss_mib["inner"] + 150, timings.peak_rss_mib


# A fresh process: one stage holds 300 MiB for an instant, the next stage is idle. It prints what its
# own report says and its parent reads the whole process's peak from wait4 (as the bench and time -v do).
SPIKE_THEN_IDLE = """
import json
from kg_builder.pipeline.stages import StageTimings, timed
timings = StageTimings()
with timed(timings, "spike", print):
    held = b"\\x01" * (300 * 1024 * 1024)
    del held
with timed(timings, "idle", print):
    pass
print(json.dumps(timings.peak_rss_mib))
"""


@needs_proc
def test_measuring_stages_leaves_the_whole_process_peak_that_outside_tools_read_intact():
    child = subprocess.Popen([sys.executable, "-c", SPIKE_THEN_IDLE], stdout=subprocess.PIPE, text=True)
    output = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert usage.ru_maxrss / 1024 >= 300, usage.ru_maxrss  # resetting VmHWM (clear_refs) would lose this
    peaks = json.loads(output.splitlines()[-1])
    # Too brief for a sample, but the process's own high-water mark rose during the stage: exact.
    assert peaks["spike"] >= peaks["idle"] + 250, peaks


def test_without_proc_no_peak_is_recorded_and_the_stage_still_runs(monkeypatch, tmp_path: Path):
    monkeypatch.setattr(peak_rss, "STATUS", tmp_path / "missing" / "status")
    timings = StageTimings()
    with timed(timings, "stage", _quiet):
        pass
    assert "stage" in timings and timings.peak_rss_mib == {}


def test_a_plain_dict_of_timings_still_works():
    timings: dict[str, float] = {}
    with timed(timings, "stage", _quiet):
        pass
    assert list(timings) == ["stage"]


@needs_proc
def test_an_in_memory_build_has_a_peak_for_every_timed_stage(good_build):
    _assert_plausible(good_build.timings.peak_rss_mib, good_build.timings)
    assert "reason" in good_build.timings.peak_rss_mib


@needs_proc
def test_the_build_report_holds_a_peak_for_every_timed_stage_of_a_chunked_build(tmp_path: Path):
    report = tmp_path / "report.json"
    done = run_egkg("build", "--data", DATA, "--out", tmp_path / "build", "--full", "--quiet",
                    "--chunk-files", "2", "--report", report)
    assert done.returncode == 0, done.stderr
    info = json.loads(report.read_text())
    _assert_plausible(info["peak_rss_mib"], info["timings"])
    assert {"load records", "map to RDF", "SHACL", "reason", "load store", "write N-Quads"} <= set(info["peak_rss_mib"])
    # The reasoner's own figures, for a benchmark that does not run the rules again.
    assert info["inference"]["quads"] > 0 and info["inference"]["counts"]["40-coordination"] > 0
    assert info["inference"]["timings"]["rules"] > 0
