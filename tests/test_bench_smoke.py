"""The benchmark harness works end to end on a tiny synthetic corpus (a smoke test, not a measurement)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_harness_runs_on_a_tiny_corpus(tmp_path: Path):
    command = [
        sys.executable, "-m", "benchmarks.run", "--scale", "XS", "--meetings", "12", "--work", str(tmp_path),
        "--reps", "2", "--rdflib", "yes", "--rdflib-cap", "5", "--hermit-timeout", "5",
        "--only", "build,incremental,reasoning,paths,queries,network,views", "--no-browser",
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads((tmp_path / "results-XS-1-12.json").read_text())
    areas = {row["area"] for row in results["rows"]}
    assert {"generate", "build", "incremental", "reasoning", "old vs new path", "query", "network", "views"} <= areas
    # The incremental step edits one record file: exactly that one is redone.
    assert results["incremental"]["counts"]["files_redone"] == 1
    assert results["build"]["counts"]["record_files"] == 12
    # Every stage the build timed has its own peak RSS from the build's report, in the JSON and the table.
    stages = results["build"]["stages"]
    assert {"load records", "map to RDF", "SHACL", "reason", "write N-Quads", "load store"} <= set(stages)
    assert all(figures["peak_rss_mib"] > 0 for stage, figures in stages.items() if stage != "evidence check")
    assert "peak RSS" in next(row["detail"] for row in results["rows"] if row["what"] == "reason")
    queried = {row["what"] for row in results["rows"] if row["area"] == "query"}
    assert "who-coordinated-with" in queried and "who-coordinated-with-whom" in queried
    assert "egkg benchmark, scale XS" in done.stdout
    # The build the queries run on has reasoned: the coordination questions have answers to time.
    assert results["queries_oxigraph"]["who-coordinated-with-whom"]["rows"] > 0
    assert results["queries_oxigraph"]["who-coordinated-with"]["rows"] > 0
    # The old path and the new one did the same work: the same quads, the same SHACL results.
    stages = results["paths"]["stages"]
    assert stages["map to RDF"]["quads"] == stages["map to RDF"]["old_quads"] > 0
    assert stages["SHACL (whole union)"]["same_results"] is True
    # The rules ran inside the built store and concluded something (coordination at least).
    assert results["rules_in_store"]["counts"]["40-coordination"] > 0
    assert results["rules_in_store"]["inferred_quads"] == sum(results["rules_in_store"]["counts"].values())
