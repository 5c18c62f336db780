"""SIGINT and SIGTERM sent to the `egkg build` process alone stop it in one line, leaving the previous build whole."""

from __future__ import annotations

import os
import signal
import time

import pytest

from .conftest import tree_digest
from .test_crash_safety import RunningBuild, _live_members

EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}


@pytest.mark.parametrize("inherited", ["default", "sigint-ignored"])
@pytest.mark.parametrize(("signum", "stage"), [(signal.SIGINT, "SHACL"), (signal.SIGTERM, "SHACL"),
                                               (signal.SIGINT, "reason"), (signal.SIGTERM, "reason")],
                         ids=["SIGINT-checking", "SIGTERM-checking", "SIGINT-in-java", "SIGTERM-in-java"])
def test_a_signal_to_the_build_process_stops_it_and_keeps_the_previous_build(data_copy, previous_build, signum,
                                                                              stage, inherited):
    before = tree_digest(previous_build)
    # --full: the whole pipeline again (SHACL, HermiT), so nothing but the signal stops it before it publishes.
    run = RunningBuild(data_copy, previous_build, full=True, ignore_sigint=inherited == "sigint-ignored")
    assert run.wait_for(lambda seen: seen == stage), run.stderr()
    time.sleep(0.5)  # mid-stage: in Python for SHACL, waiting on HermiT's Java for reason
    os.kill(run.process.pid, signum)  # the process alone, not its group: Java gets no signal of its own
    code = run.finish(seconds=120)
    messages = [line for line in run.stderr().splitlines() if line.strip() and not line.startswith("· ")]
    assert code == EXIT_CODES[signum], run.stderr()
    assert len(messages) == 1 and messages[0].startswith(f"interrupted ({signum.name})"), run.stderr()
    assert tree_digest(previous_build) == before
    deadline = time.monotonic() + 10
    while _live_members(run.process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _live_members(run.process.pid), f"outlived the build: {_live_members(run.process.pid)}"
