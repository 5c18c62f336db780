"""The benchmark's Virtuoso step: a bulk load of a tiny build, the library there, the same rows as the embedded store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.run import Results, _virtuoso_row

from .servers import virtuoso_available

ROOT = Path(__file__).resolve().parent.parent

needs_virtuoso = pytest.mark.skipif(
    not virtuoso_available() and os.environ.get("EGKG_SKIP_VIRTUOSO") == "1",
    reason="EGKG_SKIP_VIRTUOSO=1 and no virtuoso-t (make test installs it)",
)


@needs_virtuoso
def test_virtuoso_step_loads_every_quad_and_answers_like_the_embedded_store(tmp_path: Path):
    command = [sys.executable, "-m", "benchmarks.run", "--scale", "XS", "--meetings", "4", "--work", str(tmp_path),
               "--reps", "1", "--only", "build,virtuoso", "--virtuoso", "yes"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads((tmp_path / "results-XS-1-4.json").read_text())
    load = results["virtuoso_load"]
    assert load["quads"] == load["input_quads"] == results["build"]["counts"]["quads"]
    assert load["peak_rss"] > 0
    oxigraph, virtuoso = results["queries_oxigraph"], results["queries_virtuoso"]
    assert set(virtuoso) == set(oxigraph) and len(virtuoso) > 20  # the whole library
    for name, there in virtuoso.items():
        assert there["digests"] == oxigraph[name]["digests"], name
        assert there["rows"] == oxigraph[name]["rows"], name
    assert oxigraph["who-coordinated-with-whom"]["rows"] > 0  # a question with answers was compared
    rows = [row for row in results["rows"] if row["area"] == "virtuoso"]
    assert rows[0]["what"] == "load" and {row["verdict"] for row in rows} == {"met"}
    assert "| virtuoso | who-coordinated-with |" in (tmp_path / "results-XS-1-4.md").read_text()
    # The instance was stopped: its pid file is gone.
    assert not (tmp_path / "XS-1-4" / "virtuoso" / "virtuoso.pid").exists()


def test_a_query_whose_rows_differ_on_virtuoso_is_flagged():
    results = Results("XS")
    here = {"p50": 0.010, "p95": 0.012, "rows": 3, "digests": ["a", "b"]}
    _virtuoso_row("same", {"p50": 0.020, "p95": 0.030, "rows": 3, "digests": ["a", "b"]}, here, results)
    _virtuoso_row("differs", {"p50": 0.020, "p95": 0.030, "rows": 4, "digests": ["a", "c"]}, here, results)
    _virtuoso_row("cut", {"error": "cut off at 120 s"}, here, results)
    same, differs, cut = results.rows
    assert same.verdict == "met" and "oxigraph p50 10.0 ms = 2.0x" in same.detail
    assert differs.verdict == "missed" and "DIFFERENT ROWS" in differs.detail and "(oxigraph 3)" in differs.detail
    assert cut.verdict == "missed" and cut.value == "failed" and "cut off" in cut.detail


# A stand-in for `python -m benchmarks.query_bench`: answers every query in --only at once, except
# "slow", which it reports cut off (as the remote engine's time limit does) before going on.
FAKE_CHILD = """
import json, sys
names = sys.argv[sys.argv.index("--only") + 1].split(",")
with open({log!r}, "a") as log:
    log.write(",".join(names) + "\\n")
print(json.dumps({{"ready": 0}}), flush=True)
for name in names:
    if name == "slow":
        print(json.dumps({{"query": name, "timeout": 1, "runs": 0}}), flush=True)
    else:
        print(json.dumps({{"query": name, "runs": 1, "rows": 0, "digests": [], "p50": 0.001, "p95": 0.001}}), flush=True)
"""


def test_after_a_cut_off_query_the_server_restarts_before_the_next_query(tmp_path: Path, monkeypatch):
    from benchmarks import run

    log = tmp_path / "children.log"
    fake = tmp_path / "fake_python"
    fake.write_text(f"#!{sys.executable}\n" + FAKE_CHILD.format(log=str(log)))
    fake.chmod(0o755)
    monkeypatch.setattr(run, "PYTHON", str(fake))
    monkeypatch.setattr(run, "_library_names", lambda: ["a", "slow", "z"])
    restarts = []
    found = run.query_runs(tmp_path, "virtuoso", 1, cap=30, logs=tmp_path,
                           after_cut_off=lambda: restarts.append(log.read_text().splitlines()))
    assert found["slow"]["timeout"] == 1 and found["a"]["p50"] and found["z"]["p50"]
    # One restart, right after the first child reached "slow"; "z" then ran in a second child.
    assert restarts == [["a,slow,z"]]
    assert log.read_text().splitlines() == ["a,slow,z", "z"]


@pytest.mark.parametrize("failing", ["virtuoso", "network"])
def test_a_step_that_fails_is_a_row_and_the_results_are_still_written(tmp_path: Path, monkeypatch, failing):
    from benchmarks import run

    def broken(*args, **kwargs):
        raise RuntimeError("the server went away")

    monkeypatch.setattr(run, failing, broken)
    earlier = tmp_path / "earlier.json"
    earlier.write_text(json.dumps({"queries_oxigraph": {"q": {"p50": 0.001, "p95": 0.002, "rows": 1}}}))
    assert run.main(["--scale", "XS", "--build", str(tmp_path), "--work", str(tmp_path / "work"), "--only", failing,
                     "--virtuoso", "yes", "--oxigraph-results", str(earlier)]) == 0
    results = json.loads((tmp_path / "work" / "results-XS-1.json").read_text())
    assert results["queries_oxigraph"]["q"]["rows"] == 1  # the earlier run's figures were kept
    failed = [row for row in results["rows"] if row["value"] == "failed"]
    assert [(row["area"], row["verdict"]) for row in failed] == [(failing, "missed")]
    assert "RuntimeError: the server went away" in failed[0]["detail"]


def test_without_oxigraph_digests_only_the_same_runs_row_counts_are_compared():
    results = Results("M")
    there = {"p50": 0.020, "p95": 0.030, "rows": 51, "runs": 3, "digests": ["a", "b", "c"]}
    # An earlier egkg's results: no digests; a parameterised query's last run had other parameters.
    _virtuoso_row("other-runs", there, {"p50": 0.010, "p95": 0.012, "rows": 62, "runs": 20}, results)
    _virtuoso_row("same-runs", there, {"p50": 0.010, "p95": 0.012, "rows": 51, "runs": 3}, results)
    _virtuoso_row("fewer", there, {"p50": 0.010, "p95": 0.012, "rows": 50, "runs": 3}, results)
    other, same, fewer = results.rows
    assert other.verdict == "" and "not compared" in other.detail
    assert same.verdict == "met" and "row counts only" in same.detail
    assert fewer.verdict == "missed" and "DIFFERENT ROW COUNT" in fewer.detail
