"""The benchmark's build and reasoning rows, from a stand-in build report (no build is run)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks import run
from benchmarks.measure import Measured

MIB = 1024 * 1024

# What `egkg build --report` writes (kg_builder/cli.py: _write_report), with made-up figures.
REPORT = {
    "incremental": False,
    "counts": {"record_files": 4, "files_redone": 4, "quads": 1_000_000},
    "timings": {"load records": 10.0, "evidence check": 2.0, "map to RDF": 5.0, "SHACL": 20.0, "reason": 40.0,
                "write N-Quads": 4.0, "load store": 8.0},
    "peak_rss_mib": {"load records": 812.5, "map to RDF": 1024.0, "SHACL": 3100.0, "reason": 9876.0,
                     "write N-Quads": 700.0, "load store": 1500.0},
    "inference": {"quads": 123_456, "counts": {"10-union-classes": 456, "40-coordination": 123_000},
                  "timings": {"rules": 35.5, "consistency checks": 4.25}},
}


def _built_with(monkeypatch: pytest.MonkeyPatch, report: dict) -> list[list[str]]:
    """Make `run_measured` a stand-in `egkg build` that writes `report`; the commands it was given."""
    commands: list[list[str]] = []

    def fake_run(command: list[str], **_) -> Measured:
        commands.append(command)
        Path(command[command.index("--report") + 1]).write_text(json.dumps(report))
        return Measured(0, 100.0, 10_000 * MIB, "", "")

    monkeypatch.setattr(run, "run_measured", fake_run)
    return commands


@pytest.mark.parametrize("scale", ["S", "L"])
def test_each_build_stage_row_shows_its_seconds_rate_and_peak_rss(monkeypatch, tmp_path: Path, scale: str):
    _built_with(monkeypatch, REPORT)
    results = run.Results(scale)
    assert run.full_build(tmp_path / "data", tmp_path / "build", results, None).ok
    rows = {row.what: row for row in results.rows if row.area == "build"}
    assert rows["reason"].value == "40.00 s"
    assert "25,000 triples/s" in rows["reason"].detail and "peak RSS 9,876 MiB" in rows["reason"].detail
    assert "peak RSS 3,100 MiB" in rows["SHACL"].detail
    assert "peak RSS" not in rows["evidence check"].detail  # measured inside load records, not on its own
    stages = results.raw["build"]["stages"]
    assert stages["reason"] == {"seconds": 40.0, "triples_per_s": 25_000.0, "peak_rss_mib": 9876.0}
    assert stages["evidence check"]["peak_rss_mib"] is None
    assert set(stages) == set(REPORT["timings"])
    if scale == "L":  # each stage against the 2 GiB target: the table says which stages miss it
        assert rows["reason"].verdict == "missed" and rows["load records"].verdict == "met"
        assert rows["reason"].target == "peak <= 2 GiB at L"
    else:
        assert {row.verdict for what, row in rows.items() if what in REPORT["timings"]} == {""}
    results.raw.update(command="python -m benchmarks.run", total_seconds=60, machine=run.machine())
    text = run.markdown(results)
    assert "| build | reason | 40.00 s | 25,000 triples/s, peak RSS 9,876 MiB |" in text
    # The stages again as a table of their own: seconds, triples/s and peak RSS in columns, pipeline order.
    assert "| stage | seconds | triples/s | peak RSS (MiB) |" in text
    stage_lines = [line for line in text.splitlines() if line.startswith("| ") and line.split(" | ")[0][2:] in stages]
    assert [line.split(" | ")[0][2:] for line in stage_lines] == list(run._stage_figures(REPORT))
    assert "| reason | 40.00 | 25,000 | 9,876 |" in text and "| evidence check | 2.00 | 500,000 | — |" in text


def test_a_report_without_peaks_still_gives_the_stage_rows(monkeypatch, tmp_path: Path):
    older = {key: value for key, value in REPORT.items() if key not in ("peak_rss_mib", "inference")}
    _built_with(monkeypatch, older)
    results = run.Results("S")
    assert run.full_build(tmp_path / "data", tmp_path / "build", results, None).ok
    rows = {row.what: row for row in results.rows if row.area == "build"}
    assert rows["reason"].detail == "25,000 triples/s"
    assert results.raw["build"]["stages"]["reason"]["peak_rss_mib"] is None


def test_at_l_the_rules_are_not_run_again_and_the_builds_reason_stage_is_reported(monkeypatch, tmp_path: Path):
    _built_with(monkeypatch, REPORT)
    results = run.Results("L")
    out = tmp_path / "build"
    run.full_build(tmp_path / "data", out, results, None)

    def no_child(command: list[str], **_) -> Measured:
        raise AssertionError(f"ran {command} at L")

    monkeypatch.setattr(run, "run_measured", no_child)
    run.reasoning(out, results, hermit_timeout=600)
    rows = [row for row in results.rows if row.area == "reasoning"]
    rules = rows[0]
    assert rules.value == "40.0 s" and "not re-run at L" in rules.what
    assert "rules 35.5 s, checks 4.2 s" in rules.detail and "123,456 inferred quads" in rules.detail
    assert "peak RSS 9,876 MiB" in rules.detail
    assert results.raw["rules_in_build"] == REPORT["inference"] | {"seconds": 40.0, "peak_rss_mib": 9876.0}
    assert "rules_in_store" not in results.raw
    assert rows[1].what == "HermiT classification (owlready2)" and rows[1].value == "not run"


def test_at_l_the_report_on_disk_is_read_when_this_run_did_not_build(monkeypatch, tmp_path: Path):
    out = tmp_path / "build"
    (tmp_path / "build-report.json").write_text(json.dumps(REPORT))  # where full_build leaves it
    monkeypatch.setattr(run, "run_measured", lambda command, **_: pytest.fail(f"ran {command} at L"))
    results = run.Results("L")
    run.reasoning(out, results, hermit_timeout=600)
    assert results.rows[0].value == "40.0 s" and results.raw["rules_in_build"]["seconds"] == 40.0


def test_at_l_without_a_build_report_the_row_says_so(monkeypatch, tmp_path: Path):
    monkeypatch.setattr(run, "run_measured", lambda command, **_: pytest.fail(f"ran {command} at L"))
    results = run.Results("L")
    run.reasoning(tmp_path / "build", results, hermit_timeout=600)
    assert results.rows[0].value == "not run" and "no build report" in results.rows[0].detail


def test_at_m_the_rules_still_run_again_in_a_copy_of_the_store(monkeypatch, tmp_path: Path):
    commands: list[list[str]] = []
    answer = {"inferred_quads": 7, "timings": {"rules": 1.0, "consistency checks": 0.5}, "counts": {"40-coordination": 7}}

    def fake_bench(command: list[str], **_) -> Measured:
        commands.append(command)
        return Measured(0, 3.0, 100 * MIB, json.dumps(answer), "")

    monkeypatch.setattr(run, "run_measured", fake_bench)
    results = run.Results("M")
    run.reasoning(tmp_path / "build", results, hermit_timeout=600)
    assert [c[c.index("benchmarks.reason_bench"):] for c in commands] == [
        ["benchmarks.reason_bench", "--build", str(tmp_path / "build"), "--in-store"]]
    assert results.raw["rules_in_store"] == answer
    assert results.rows[0].what == "SPARQL rules + checks inside the on-disk store" and results.rows[0].value == "3.0 s"


def _steps(*argv: str) -> set[str]:
    return run.chosen_steps(run.argument_parser().parse_args(["--scale", *argv]))


@pytest.mark.parametrize(("scale", "virtuoso", "paths"), [("S", False, True), ("M", True, False), ("L", False, False)])
def test_virtuoso_runs_by_default_at_m_only_and_the_old_path_at_s(scale: str, virtuoso: bool, paths: bool):
    steps = _steps(scale)
    assert ("virtuoso" in steps) is virtuoso
    assert ("paths" in steps) is paths
    assert {"build", "incremental", "reasoning", "queries", "network", "views"} <= steps


def test_virtuoso_at_l_when_asked():
    assert "virtuoso" in _steps("L", "--virtuoso", "yes")
    assert _steps("L", "--only", "virtuoso") == {"virtuoso"}


def test_a_bench_that_would_fill_the_disk_stops_before_generating(monkeypatch, tmp_path: Path, capsys):
    free = 54e9
    monkeypatch.setattr(run.shutil, "disk_usage", lambda path: type("Usage", (), {"free": free})())
    monkeypatch.setattr(run, "generate", lambda *a, **k: pytest.fail("generated a corpus the disk cannot hold"))
    assert run.main(["--scale", "L", "--work", str(tmp_path / "work" / "deeper")]) == 2
    message = capsys.readouterr().err.strip()
    assert "\n" not in message and "100,000 meetings need about 130 GB" in message and "54 GB are free" in message
    assert run.disk_shortfall(tmp_path, 10_000) == ""  # M fits in 54 GB
    free = 1e9
    assert "10,000 meetings" in run.disk_shortfall(tmp_path, 10_000)
