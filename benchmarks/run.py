"""`make bench SCALE=S|M|L`: generate a synthetic corpus, run the whole pipeline on it, print one table.

Every step runs as a child process (the real `egkg` commands where there is one), so times
include what a user waits for and peak RSS is the child's own (each build stage's peak comes from the
build's `--report`, measured inside the build). Results also go to
build/bench/results-<scale>.json; BENCHMARKS.md quotes them with the command that made them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import queue
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks.generate import SCALES
from benchmarks.measure import Measured, run_measured

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
EGKG = [str(Path(sys.executable).parent / "egkg")]  # the console script, as a user runs it
console = Console(stderr=True)

# Targets from issue 8; each row of the table says met or missed against one of these.
TARGET_TRIPLES_PER_S = 150_000  # end-to-end build at M
TARGET_RSS_L = 2 * 1024**3
TARGET_INCREMENTAL_S = 5.0  # at M
TARGET_EGO_P50 = {"M": 0.020, "L": 0.050}
TARGET_PAIRS_TOP100 = 1.0  # at M
TARGET_RATIO = 20.0  # embedded store vs rdflib, every query, at S
TARGET_VIEW_WRITE_S = 10.0
TARGET_VIEW_INTERACTIVE_S = 5.0
REASONER_BUDGET_S = 60.0
# Disk a bench run takes per meeting, measured at M (session 12, 10,000 meetings): a release holds the
# store 3.9 GB, the shares in cache/ 3.1 GB and egkg.nq 2.8 GB; the corpus 0.2 GB; at the peak, the
# incremental step's new release adds its own egkg.nq (2.8 GB) before the old release goes (the full
# build's scratch copy of the chunks, 1.5 GB, is gone by then): 12.8 GB.
DISK_PER_MEETING = 1.3e6


@dataclass
class Row:
    """One line of the results table."""

    area: str
    what: str
    value: str
    detail: str = ""
    target: str = ""
    verdict: str = ""  # met / missed / ""


@dataclass
class Results:
    scale: str
    rows: list[Row] = field(default_factory=list)
    raw: dict = field(default_factory=dict)

    def add(self, *args, **kwargs) -> None:
        row = Row(*args, **kwargs)
        self.rows.append(row)
        verdict = f" [{row.verdict}]" if row.verdict else ""
        console.print(f"  {row.area}: {row.what} = {row.value} {row.detail}{verdict}", markup=False)


def mib(n: int) -> str:
    return f"{n / 1024**2:,.0f} MiB"


def verdict(ok: bool) -> str:
    return "met" if ok else "missed"


def step(title: str) -> None:
    console.print(f"[bold]· {title}[/bold]")


def disk_shortfall(work: Path, meetings: int) -> str:
    """Why the run would fill the disk under `work` (checked before hours of building), or "" when it fits."""
    needed = meetings * DISK_PER_MEETING
    existing = work
    while not existing.exists():
        existing = existing.parent
    free = shutil.disk_usage(existing).free
    if free >= needed:
        return ""
    return (f"{meetings:,} meetings need about {needed / 1e9:,.0f} GB free under {work} (measured at M: "
            f"{DISK_PER_MEETING / 1e6:.2f} MB a meeting for the store, egkg.nq, the shares, the build's scratch and "
            f"the incremental step's new release); {free / 1e9:,.0f} GB are free: free space, pass --work on a "
            "larger disk, or --ignore-disk to try anyway")


def generate(scale: str, seed: int, data: Path, meetings: int | None, results: Results) -> None:
    """Generate the corpus once per scale and seed; a stamp file says it is complete."""
    stamp = data / ".generated"
    wanted = f"{scale} {seed} {meetings}"
    if stamp.is_file() and stamp.read_text() == wanted:
        results.add("generate", "corpus", "reused", str(data))
        return
    shutil.rmtree(data, ignore_errors=True)
    command = [PYTHON, str(ROOT / "benchmarks" / "generate.py"), "--scale", scale, "--seed", str(seed), "--out", str(data)]
    if meetings:
        command += ["--meetings", str(meetings)]
    measured = run_measured(command)
    if not measured.ok:
        raise SystemExit(f"generator failed: {measured.last_error()}")
    files = len(list((data / "records").glob("*.yaml")))
    results.add("generate", "record files", f"{files:,}", f"in {measured.seconds:.1f} s, peak {mib(measured.peak_rss)}")
    stamp.write_text(wanted)


def full_build(data: Path, out: Path, results: Results, timeout: float | None) -> Measured:
    """A cold `egkg build --full`, reasoning included (the queries below need its coordination pairs):
    every stage timed by the build itself."""
    shutil.rmtree(out, ignore_errors=True)
    report = _build_report(out)
    measured = run_measured([*EGKG, "build", "--data", str(data), "--out", str(out), "--full",
                             "--quiet", "--report", str(report)], timeout=timeout)
    if not measured.ok:
        why = "timed out" if measured.timed_out else measured.last_error()
        results.add("build", "full build", "failed", why, verdict="missed")
        return measured
    info = json.loads(report.read_text())
    results.raw["build"] = info | {"wall": measured.seconds, "peak_rss": measured.peak_rss,
                                   "stages": _stage_figures(info)}
    for stage, figures in results.raw["build"]["stages"].items():
        _stage_row(results, stage, figures)
    quads = info["counts"]["quads"]
    rate = quads / measured.seconds
    results.add("build", "end to end (records -> reasoned store)", f"{measured.seconds:.1f} s",
                f"{quads:,} quads, {rate:,.0f} triples/s, peak RSS {mib(measured.peak_rss)}",
                target=f">= {TARGET_TRIPLES_PER_S:,} triples/s at M" if results.scale == "M" else "",
                verdict=verdict(rate >= TARGET_TRIPLES_PER_S) if results.scale == "M" else "")
    if results.scale == "L":
        results.add("build", "peak RSS", mib(measured.peak_rss), target="<= 2 GiB at L",
                    verdict=verdict(measured.peak_rss <= TARGET_RSS_L))
    return measured


STAGES = ("find changes", "load records", "evidence check", "map to RDF", "SHACL", "reason", "write N-Quads",
          "load store")


def _stage_order(stage: str) -> int:
    return STAGES.index(stage) if stage in STAGES else len(STAGES)


def _build_report(out: Path) -> Path:
    """Where the full build's `--report` goes, beside its build directory."""
    return out.parent / f"{out.name}-report.json"


def _stage_figures(info: dict) -> dict[str, dict]:
    """Each stage of a build report, in pipeline order: seconds, triples/s and peak RSS in MiB (None where
    the report has none: a build before peaks were measured, no /proc, or "evidence check", which is
    measured inside "load records")."""
    quads = info["counts"]["quads"]
    peaks = info.get("peak_rss_mib", {})
    return {
        stage: {"seconds": seconds, "triples_per_s": quads / seconds if seconds else None, "peak_rss_mib": peaks.get(stage)}
        for stage, seconds in sorted(info["timings"].items(), key=lambda item: _stage_order(item[0]))
    }


def _stage_row(results: Results, stage: str, figures: dict) -> None:
    """One build stage's row; at L its peak is held against the 2 GiB target, so the table names the stage that misses."""
    rate, peak = figures["triples_per_s"], figures["peak_rss_mib"]
    detail = ", ".join(([f"{rate:,.0f} triples/s"] if rate else []) + ([f"peak RSS {peak:,.0f} MiB"] if peak else []))
    at_l = results.scale == "L" and peak is not None
    results.add("build", stage, f"{figures['seconds']:.2f} s", detail, target="peak <= 2 GiB at L" if at_l else "",
                verdict=verdict(peak * 1024**2 <= TARGET_RSS_L) if at_l else "")


def incremental_build(data: Path, out: Path, results: Results) -> None:
    """Change one record file and build again, reasoning included: only that file should be redone."""
    record = sorted((data / "records").glob("*.yaml"))[len(list((data / "records").glob("*.yaml"))) // 2]
    original = record.read_bytes()
    report = out.parent / f"{out.name}-incremental.json"
    try:
        # A curator's edit that changes the graph: the source's title gains a word.
        text = original.decode()
        marker = "\n  title: "
        at = text.index(marker) + len(marker)
        record.write_text(text[:at] + "(diperbarui) " + text[at:], encoding="utf-8")
        measured = run_measured([*EGKG, "build", "--data", str(data), "--out", str(out), "--quiet",
                                 "--report", str(report)])
    finally:
        record.write_bytes(original)
    if not measured.ok:
        results.add("incremental", "rebuild after one edit", "failed", measured.last_error(), verdict="missed")
        return
    info = json.loads(report.read_text())
    results.raw["incremental"] = info | {"wall": measured.seconds}
    stages = ", ".join(f"{k} {v:.2f}" for k, v in sorted(info["timings"].items(), key=lambda i: _stage_order(i[0])))
    at_m = results.scale == "M"
    results.add("incremental", "rebuild after editing one record file (reasoning included)", f"{measured.seconds:.2f} s",
                f"{info['counts']['files_redone']} file redone ({stages})",
                target="<= 5 s at M" if at_m else "", verdict=verdict(measured.seconds <= TARGET_INCREMENTAL_S) if at_m else "")


def reasoning(out: Path, results: Results, hermit_timeout: float) -> None:
    """The rules inside the store (the path that scales); at XS and S also in memory, then with HermiT.

    At L the build's own reason stage is reported instead: it ran the same rules in the same kind of
    store, and running them again on a copy would add about an hour to learn the same figures.
    """
    if results.scale == "L":
        _rules_in_build(out, results)
    else:
        _rules(out, results, "rules_in_store", "SPARQL rules + checks inside the on-disk store", "--in-store")
    if results.scale in ("M", "L"):
        # In memory every quad becomes a Python object (2.1 GB at S), and HermiT stops under 60 s
        # at about ten meetings: neither is worth hours at these scales.
        results.add("reasoning", "HermiT classification (owlready2)", "not run",
                    "under 60 s only up to about 10 meetings (BENCHMARKS.md)", target=f"< {REASONER_BUDGET_S:.0f} s",
                    verdict="missed")
        return
    _rules(out, results, "rules", "SPARQL rules + consistency checks")
    hermit = run_measured([PYTHON, "-m", "benchmarks.reason_bench", "--build", str(out), "--hermit"],
                          cwd=ROOT, timeout=hermit_timeout)
    if hermit.ok:
        info = json.loads(hermit.stdout)
        results.raw["hermit"] = info
        seconds = info["timings"].get("HermiT", 0.0)
        results.add("reasoning", "HermiT classification (owlready2)", f"{seconds:.1f} s",
                    f"whole reasoning {hermit.seconds:.1f} s", target=f"< {REASONER_BUDGET_S:.0f} s",
                    verdict=verdict(seconds < REASONER_BUDGET_S))
    else:
        why = f"stopped after {hermit_timeout:.0f} s" if hermit.timed_out else hermit.last_error()
        results.add("reasoning", "HermiT classification (owlready2)", "did not finish", why,
                    target=f"< {REASONER_BUDGET_S:.0f} s", verdict="missed")


def _rules(out: Path, results: Results, key: str, what: str, *flags: str) -> None:
    """One reason_bench run of the rules and checks, as a row and under results.raw[key]."""
    measured = run_measured([PYTHON, "-m", "benchmarks.reason_bench", "--build", str(out), *flags], cwd=ROOT)
    if not measured.ok:
        results.add("reasoning", what, "failed", measured.last_error())
        return
    info = json.loads(measured.stdout)
    results.raw[key] = info
    results.add("reasoning", what, f"{measured.seconds:.1f} s",
                f"rules {info['timings']['rules']:.1f} s, checks {info['timings']['consistency checks']:.1f} s, "
                f"{info['inferred_quads']:,} inferred quads, peak RSS {mib(measured.peak_rss)}")


def _rules_in_build(out: Path, results: Results) -> None:
    """The full build's reason stage as the reasoning row, from this run's build report or the one left on disk."""
    what = "SPARQL rules + checks in the build's store (not re-run at L)"
    report = _build_report(out)
    info = results.raw.get("build") or (json.loads(report.read_text()) if report.is_file() else None)
    if info is None or "reason" not in info["timings"]:
        results.add("reasoning", what, "not run", f"no build report with a reason stage at {report}")
        return
    seconds, peak = info["timings"]["reason"], info.get("peak_rss_mib", {}).get("reason")
    inference = info.get("inference", {})
    results.raw["rules_in_build"] = inference | {"seconds": seconds, "peak_rss_mib": peak}
    parts = [f"rules {inference['timings']['rules']:.1f} s, checks {inference['timings']['consistency checks']:.1f} s"
             if inference else "",
             f"{inference['quads']:,} inferred quads" if inference else "",
             f"peak RSS {peak:,.0f} MiB" if peak else "",
             "the build's own reason stage: running the rules again on a copy of the store would repeat it"]
    results.add("reasoning", what, f"{seconds:.1f} s", ", ".join(part for part in parts if part))


def _child_json(results: Results, area: str, what: str, key: str, *module_args: str) -> dict | None:
    """Run a benchmarks module in a child process: its JSON, kept under results.raw[key], or a failed row."""
    measured = run_measured([PYTHON, "-m", *module_args], cwd=ROOT)
    if not measured.ok:
        results.add(area, what, "failed", measured.last_error())
        return None
    results.raw[key] = json.loads(measured.stdout)
    return results.raw[key]


def paths(data: Path, results: Results) -> None:
    """The old build path and the new one, stage by stage in one child process (benchmarks/paths_bench.py)."""
    info = _child_json(results, "old vs new path", "map and SHACL", "paths", "benchmarks.paths_bench", "--data", str(data))
    if info is None:
        return
    for stage, seen in info["stages"].items():
        same = "" if seen.get("same_results", True) else "; DIFFERENT RESULTS"
        results.add("old vs new path", stage, f"{seen['ratio']:.1f}x",
                    f"old {seen['old']:.2f} s CPU, new {seen['new']:.2f} s CPU{same}")


def query_runs(out: Path, engine: str, reps: int, cap: float, budget: float = 30.0,
               extra: tuple[str, ...] = (), logs: Path | None = None,
               after_cut_off: Callable[[], None] | None = None) -> dict[str, dict]:
    """Library queries in a child process; a single run over `cap` seconds is cut off and the rest go on.

    `extra` goes to benchmarks/query_bench.py as it is (the virtuoso engine's --endpoint); the
    child's stderr goes to a file in `logs` (default: beside the build). With `after_cut_off` (a
    server's restart), a query without a timing stops the child, the callback runs, and the rest go
    on in a new child: a server keeps working on a query its client gave up, and the next queries
    would share the machine with it.
    """
    names = sorted(_library_names())
    found: dict[str, dict] = {}
    while True:
        remaining = [n for n in names if n not in found]
        if not remaining:
            return found
        errors = (logs or out.parent) / f"query-bench-{engine}.err"
        child = subprocess.Popen(
            [PYTHON, "-m", "benchmarks.query_bench", "--build", str(out), "--engine", engine, "--reps", str(reps),
             "--only", ",".join(remaining), "--budget", str(budget), *extra], cwd=ROOT, stdout=subprocess.PIPE,
            stderr=errors.open("a"), text=True,  # "a": a restarted child keeps the earlier ones' errors
        )
        lines: queue.Queue = queue.Queue()
        def pump(source=child.stdout, sink=lines) -> None:  # bound now: the loop rebinds child and lines
            for line in source:
                sink.put(line)
            sink.put(None)

        threading.Thread(target=pump, daemon=True).start()
        ready = lines.get(timeout=max(cap, 600))  # rdflib parses the N-Quads first
        if ready is None:
            last = (errors.read_text().strip().splitlines() or ["no output"])[-1]
            raise SystemExit(f"query bench on {engine} failed to start: {last}")
        current = 0
        while current < len(remaining):
            try:
                line = lines.get(timeout=cap + budget)
            except queue.Empty:
                child.kill()
                found[remaining[current]] = {"timeout": cap, "runs": 0}
                break
            if line is None:
                for name in remaining[current:]:
                    found.setdefault(name, {"error": True})
                break
            info = json.loads(line)
            found[info["query"]] = info
            current += 1
            if after_cut_off is not None:  # a long remote run: its figures in the log as they come
                console.print(f"  {engine} {info['query']}: " + (f"p50 {info['p50'] * 1000:,.1f} ms, {info['rows']:,} rows"
                                                                 if "p50" in info else " ".join(_no_timing(info))))
            if after_cut_off is not None and "p50" not in info:
                child.kill()  # it may have sent the next query already: the restart drops that one too
                break
        child.wait()
        cut = any(name in found and "p50" not in found[name] for name in remaining)
        if after_cut_off is not None and cut and len(found) < len(names):
            after_cut_off()


def _library_names() -> list[str]:
    from kg_builder.queries import load_library

    return list(load_library())


def queries(out: Path, results: Results, reps: int, compare_rdflib: bool, rdflib_cap: float,
            logs: Path | None = None) -> None:
    oxigraph = query_runs(out, "oxigraph", reps, cap=120, logs=logs)
    results.raw["queries_oxigraph"] = oxigraph
    slow = None
    if compare_rdflib:
        slow = query_runs(out, "rdflib", max(3, reps // 5), cap=rdflib_cap, budget=rdflib_cap / 2, logs=logs)
        results.raw["queries_rdflib"] = slow
    for name in sorted(oxigraph):
        info = oxigraph[name]
        if "p50" not in info:
            results.add("query", name, *_no_timing(info), verdict="missed")
            continue
        detail = f"p95 {info['p95'] * 1000:,.1f} ms, {info['rows']:,} rows"
        target, ok = "", None
        if name == "who-coordinated-with" and results.scale in TARGET_EGO_P50:
            target = f"p50 <= {TARGET_EGO_P50[results.scale] * 1000:.0f} ms at {results.scale}"
            ok = info["p50"] <= TARGET_EGO_P50[results.scale]
        if name == "who-coordinated-with-whom" and results.scale == "M":
            target, ok = "top 100 <= 1 s at M", info["p50"] <= TARGET_PAIRS_TOP100
        if slow is not None:
            other = slow.get(name, {})
            if "p50" in other:
                ratio = other["p50"] / max(info["p50"], 1e-9)
                detail += f"; rdflib p50 {other['p50'] * 1000:,.0f} ms = {ratio:,.0f}x"
                target, ok = ">= 20x rdflib at S", ratio >= TARGET_RATIO
            else:
                # Only a lower bound is known: the cap over our p50. It shows the target only when >= 20x.
                bound = other.get("timeout", rdflib_cap) / max(info["p50"], 1e-9)
                detail += f"; rdflib did not answer within {other.get('timeout', rdflib_cap):.0f} s (>= {bound:,.0f}x)"
                target, ok = ">= 20x rdflib at S", (True if bound >= TARGET_RATIO else None)
        results.add("query", name, f"p50 {info['p50'] * 1000:,.1f} ms", detail, target=target,
                    verdict="" if ok is None else verdict(ok))


def _no_timing(info: dict) -> tuple[str, str]:
    """Value and detail of a row for a query that has no timing: cut off, or an error message."""
    if "error" in info:
        return "failed", str(info["error"]) if info["error"] is not True else "the query process ended"
    return "cut off", f"over {info.get('timeout', '?')} s"


def virtuoso(out: Path, scratch: Path, results: Results, reps: int, cap: float = 120.0) -> None:
    """The library on OpenLink Virtuoso beside the embedded store: a bulk load of the build's N-Quads,
    then every query as on Oxigraph, through egkg's remote engine over loopback; rows compared."""
    from benchmarks import virtuoso_bench

    if not virtuoso_bench.available():
        results.add("virtuoso", "load", "not run", "virtuoso-t / isql-vt not found (`make services` installs them)")
        return
    if "queries_oxigraph" not in results.raw:  # --only virtuoso: the embedded store's figures to compare with
        results.raw["queries_oxigraph"] = query_runs(out, "oxigraph", reps, cap=120, logs=scratch.parent)
    oxigraph = results.raw["queries_oxigraph"]
    files = virtuoso_bench.nquads_files(out)
    restarts: list[float] = []
    with virtuoso_bench.server(scratch, virtuoso_bench.buffers_for(files), [f.parent for f in files]) as server:
        load = virtuoso_bench.bulk_load(server, files)
        load["peak_rss_load"] = server.peak_rss()
        step(f"Virtuoso loaded {load['quads']:,} quads in {load['seconds']:.0f} s; queries, cut off at {cap:g} s")
        found = query_runs(out, "virtuoso", reps, cap=cap,
                           extra=("--endpoint", server.endpoint, "--timeout", str(cap)), logs=scratch.parent,
                           after_cut_off=lambda: restarts.append(server.restart()))
        load["peak_rss"] = server.peak_rss()
    load["restarts_s"] = restarts
    results.raw["virtuoso_load"] = load
    results.raw["queries_virtuoso"] = found
    complete = load["quads"] == load["input_quads"]
    rss = f", peak RSS {mib(load['peak_rss_load'])} at the load" if load["peak_rss_load"] else ""
    results.add("virtuoso", "load", f"{load['seconds']:.1f} s",
                f"{load['quads']:,} of {load['input_quads']:,} quads, {load['quads'] / load['seconds']:,.0f} quads/s "
                f"(bulk loader {load['loader_s']:.1f} s + checkpoint {load['checkpoint_s']:.1f} s){rss}",
                target="every quad loaded", verdict=verdict(complete))
    if restarts:
        results.add("virtuoso", "restarts", f"{len(restarts)}",
                    f"after each cut-off query, on the loaded database ({sum(restarts):.0f} s in all), "
                    f"so the next query starts on an idle server; peak RSS {mib(load['peak_rss'] or 0)} overall")
    for name in sorted(found):
        _virtuoso_row(name, found[name], oxigraph.get(name, {}), results)


def _virtuoso_row(name: str, there: dict, here: dict, results: Results) -> None:
    """One query on Virtuoso: p50 beside Oxigraph's, and whether both gave the same rows."""
    if "p50" not in there:
        results.add("virtuoso", name, *_no_timing(there), verdict="missed")
        return
    runs = min(len(there["digests"]), len(here.get("digests", [])))
    same = runs > 0 and there["digests"][:runs] == here["digests"][:runs]
    target = "same rows as oxigraph"
    detail = f"p95 {there['p95'] * 1000:,.1f} ms, {there['rows']:,} rows"
    if "p50" in here:
        detail = (f"oxigraph p50 {here['p50'] * 1000:,.1f} ms = {there['p50'] / max(here['p50'], 1e-9):,.1f}x; "
                  f"{detail} (oxigraph {here['rows']:,})")
    if "p50" in here and "digests" not in here:  # results of an egkg before the digests: counts only
        # `rows` is the last run's; a parameterised query's last run after another number of runs had
        # other parameters, so only equal runs make the counts comparable.
        if here.get("runs") != there["runs"]:
            results.add("virtuoso", name, f"p50 {there['p50'] * 1000:,.1f} ms",
                        detail + "; rows not compared (oxigraph results without digests, after other runs)")
            return
        target, same = "as many rows as oxigraph", there["rows"] == here["rows"]
        detail += "; DIFFERENT ROW COUNT" if not same else "; row counts only (no oxigraph digests)"
    elif not same:
        detail += "; DIFFERENT ROWS" if runs else "; no oxigraph answer to compare"
    results.add("virtuoso", name, f"p50 {there['p50'] * 1000:,.1f} ms", detail, target=target, verdict=verdict(same))


def network(out: Path, results: Results) -> None:
    info = _child_json(results, "network", "projection and measures", "network", "benchmarks.network_bench", "--build", str(out))
    if info is None:
        return
    for stage, seconds in info["timings"].items():
        results.add("network", stage, f"{seconds:.2f} s")
    sizes = ", ".join(f"{k} {v[0]:,} nodes / {v[1]:,} edges" for k, v in info["sizes"].items())
    results.add("network", "graphs", f"{info['participations']:,} participations", sizes)


def views(out: Path, results: Results, browser: bool) -> Path | None:
    """`egkg viz` on the build; page sizes; the largest page's time to interactive in Chromium."""
    target = out.parent / f"{out.name}-views"
    shutil.rmtree(target, ignore_errors=True)
    measured = run_measured([*EGKG, "viz", "--build", str(out), "--views", str(target)], cwd=ROOT)
    if not measured.ok:
        results.add("views", "egkg viz", "failed", measured.last_error())
        return None
    pages = sorted(target.glob("*.html"), key=lambda p: p.stat().st_size, reverse=True)
    sizes = ", ".join(f"{p.name} {p.stat().st_size / 1e6:.1f} MB" for p in pages)
    results.add("views", "egkg viz (all pages)", f"{measured.seconds:.1f} s", sizes)
    if browser and pages:
        from benchmarks.view_bench import interactive_seconds

        visit = interactive_seconds(pages[0])
        results.raw["largest_view_browser"] = visit
        results.add("views", f"{pages[0].name} interactive in Chromium", f"{visit['interactive_s']:.2f} s",
                    f"ready {visit['ready_s']:.2f} s, page CPU {visit['cpu_s']:.2f} s, "
                    f"{len(visit['external_requests'])} requests to other hosts")
    return target


def synthetic_views(results: Results, browser: bool) -> None:
    """The issue's 10,000-node / 50,000-edge page, and two smaller ones to show growth is linear."""
    from benchmarks import view_bench

    sizes = [(2_500, 12_500), (5_000, 25_000), (10_000, 50_000)]
    rows = view_bench.sweep(sizes, ROOT / "build" / "bench" / "synthetic-views", browser=browser, repeat=2)
    results.raw["synthetic_views"] = rows
    for row in rows:
        big = row["nodes"] == 10_000
        results.add("views", f"synthetic {row['nodes']:,} nodes / {row['edges']:,} edges written",
                    f"{row['seconds']:.1f} s", f"{row['bytes'] / 1e6:.1f} MB, {row['us_per_edge']:.0f} us/edge "
                    f"(x{row['per_edge_ratio']:.2f} of the smallest)",
                    target="<= 10 s" if big else "", verdict=verdict(row["seconds"] <= TARGET_VIEW_WRITE_S) if big else "")
        visit = row.get("browser")
        if visit:
            results.add("views", f"synthetic {row['nodes']:,} nodes interactive in Chromium", f"{visit['interactive_s']:.2f} s",
                        f"ready {visit['ready_s']:.2f} s, page CPU {visit['cpu_s']:.2f} s, "
                        f"{len(visit['external_requests'])} requests to other hosts",
                        target="<= 5 s" if big else "",
                        verdict=verdict(visit["interactive_s"] <= TARGET_VIEW_INTERACTIVE_S) if big else "")


def table(results: Results) -> Table:
    out = Table(title=f"egkg benchmark, scale {results.scale}")
    for column in ("area", "what", "value", "detail", "target", "verdict"):
        out.add_column(column, overflow="fold")
    for row in results.rows:
        style = {"met": "green", "missed": "red"}.get(row.verdict, "")
        out.add_row(row.area, row.what, row.value, row.detail, row.target, row.verdict, style=style)
    return out


def markdown(results: Results) -> str:
    """The results as a Markdown section for BENCHMARKS.md."""
    info = results.raw["machine"]
    packages = ", ".join(f"{k} {v}" for k, v in info["packages"].items())
    lines = [
        f"### Scale {results.scale}", "",
        f"Command: `{results.raw['command']}` ({results.raw['total_seconds'] / 60:.0f} min in all). "
        f"Machine: {info['cpus']} CPUs, {info['memory_gib']} GiB, Python {info['python']}; {packages}.", "",
        "| area | what | value | detail | target | verdict |", "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in results.rows:
        cells = [row.area, row.what, row.value, row.detail, row.target, f"**{row.verdict}**" if row.verdict else ""]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines + _stage_table(results.raw.get("build", {}).get("stages", {}))) + "\n"


def _stage_table(stages: dict[str, dict]) -> list[str]:
    """The full build's stages as a Markdown table of their own (none when the run did not build)."""
    if not stages:
        return []
    lines = ["", "Full build, stage by stage (peak RSS: the highest resident memory while the stage ran):", "",
             "| stage | seconds | triples/s | peak RSS (MiB) |", "| --- | ---: | ---: | ---: |"]
    for stage, figures in stages.items():
        rate, peak = figures["triples_per_s"], figures["peak_rss_mib"]
        lines.append(f"| {stage} | {figures['seconds']:.2f} | {f'{rate:,.0f}' if rate else '—'} | "
                     f"{f'{peak:,.0f}' if peak is not None else '—'} |")
    return lines


def machine() -> dict:
    packages = ("rdflib", "pyoxigraph", "pyshacl", "owlready2", "networkx", "pyvis", "playwright")
    return {
        "python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3, 1),
        "packages": {name: version(name) for name in packages},
    }


def guarded(results: Results, area: str, measure: Callable[..., None], *args, **kwargs) -> None:
    """Run one measuring step; its failure becomes a "failed" row, not the end of the run.

    An M run takes over an hour: a browser that hangs in the views step (seen at M) must not lose
    the figures of the steps before it. Steps stop with SystemExit too (query_runs, nquads_files);
    Ctrl-C still ends the run.
    """
    try:
        measure(*args, **kwargs)
    except (Exception, SystemExit) as exc:  # noqa: BLE001
        results.add(area, "step", "failed", f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}",
                    verdict="missed")


def chosen_steps(args: argparse.Namespace) -> set[str]:
    """The steps a run takes: those named in --only, or every step that is worth its time at the scale."""
    steps = set(args.only.split(",")) if args.only else {"build", "incremental", "reasoning", "paths", "queries",
                                                         "virtuoso", "network", "views", "synthetic"}
    # Virtuoso beside the embedded store at M, as issue 16 asks: at L its load alone would take over an
    # hour (443 s at M), and the scale-out comparison is made at M.
    if args.virtuoso == "no" or (args.virtuoso == "auto" and not args.only and args.scale != "M"):
        steps.discard("virtuoso")
    if args.build:  # someone else's build: only the steps that merely read it (and write under --work)
        steps &= {"queries", "virtuoso", "network"}
    if not args.only and args.scale not in ("XS", "S"):
        steps.discard("paths")  # pySHACL on the whole union: ~80 s at S, hours at M
    return steps


def argument_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("XS", "S", "M", "L"), default="S")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--meetings", type=int, help="override the scale's meeting count")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "bench")
    parser.add_argument("--reps", type=int, default=20, help="runs per library query")
    parser.add_argument("--rdflib", choices=("auto", "yes", "no"), default="auto", help="compare with rdflib (auto: at XS and S)")
    parser.add_argument("--rdflib-cap", type=float, default=60, help="seconds before an rdflib query is cut off")
    parser.add_argument("--virtuoso", choices=("auto", "yes", "no"), default="auto",
                        help="load into OpenLink Virtuoso and run the library there (auto: at M, or named in --only)")
    parser.add_argument("--virtuoso-cap", type=float, default=120, help="seconds before a Virtuoso query is cut off")
    parser.add_argument("--build", type=Path,
                        help="measure this existing build (read only) instead of generating and building one")
    parser.add_argument("--oxigraph-results", type=Path,
                        help="with --build: take the library's Oxigraph figures from this earlier results JSON "
                             "(of the same build) instead of running them again")
    parser.add_argument("--hermit-timeout", type=float, default=600)
    parser.add_argument("--build-timeout", type=float, default=None)
    parser.add_argument("--ignore-disk", action="store_true", help="build even when the disk looks too small")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    parser.add_argument("--no-synthetic-views", action="store_true", help="skip the 10,000-node page")
    parser.add_argument("--only", default="", help="comma-separated steps: build,incremental,reasoning,paths,queries,virtuoso,network,views,synthetic")
    parser.add_argument("--markdown-from", type=Path, help="print the Markdown section of an earlier results JSON and stop")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = argument_parser()
    args = parser.parse_args(argv)
    if args.markdown_from:
        raw = json.loads(args.markdown_from.read_text())
        earlier = Results(raw["rows"][0]["area"] and args.markdown_from.stem.split("-")[1], [Row(**r) for r in raw["rows"]], raw)
        print(markdown(earlier))
        return 0
    if args.oxigraph_results and not args.build:
        parser.error("--oxigraph-results needs --build (the build those results were measured on)")
    steps = chosen_steps(args)
    name = f"{args.scale}-{args.seed}" + (f"-{args.meetings}" if args.meetings else "")
    if not args.build and "build" in steps and not args.ignore_disk:
        short = disk_shortfall(args.work, args.meetings or SCALES[args.scale])
        if short:
            print(f"bench: {short}", file=sys.stderr)  # one line, not wrapped at the terminal width
            return 2
    data, out = args.work / name / "data", args.work / name / "build"
    out.parent.mkdir(parents=True, exist_ok=True)
    results = Results(args.scale)
    results.raw["machine"] = machine()
    results.raw["command"] = "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:])
    started = time.perf_counter()
    if args.build:
        out = args.build.resolve()
        results.add("build", "existing build", "reused", str(out))
    else:
        step(f"generate {name}")
        generate(args.scale, args.seed, data, args.meetings, results)
    if not args.build and ("build" in steps or not (out / "store").exists()):
        step("full build")
        if not full_build(data, out, results, args.build_timeout).ok:
            console.print(table(results))
            return 1
    if "incremental" in steps:
        step("incremental rebuild")
        incremental_build(data, out, results)
    if "reasoning" in steps:
        step("reasoning")
        reasoning(out, results, args.hermit_timeout)
    if "paths" in steps:
        step("old path and new path side by side")
        paths(data, results)
    if "queries" in steps:
        step("query library")
        compare = args.rdflib == "yes" or (args.rdflib == "auto" and args.scale in ("XS", "S"))
        guarded(results, "query", queries, out, results, args.reps, compare, args.rdflib_cap, logs=args.work / name)
    if args.oxigraph_results and "queries" not in steps:
        results.raw["queries_oxigraph"] = json.loads(args.oxigraph_results.read_text())["queries_oxigraph"]
        results.raw["queries_oxigraph_from"] = str(args.oxigraph_results.resolve())
    if "virtuoso" in steps:
        step("query library on Virtuoso")
        guarded(results, "virtuoso", virtuoso, out, args.work / name / "virtuoso", results, args.reps, args.virtuoso_cap)
    if "network" in steps:
        step("network")
        guarded(results, "network", network, out, results)
    if "views" in steps:
        step("views")
        guarded(results, "views", views, out, results, browser=not args.no_browser)
    if "synthetic" in steps and not args.no_synthetic_views:
        step("synthetic 10,000-node view")
        guarded(results, "synthetic", synthetic_views, results, browser=not args.no_browser)
    results.raw["total_seconds"] = time.perf_counter() - started
    results.raw["rows"] = [row.__dict__ for row in results.rows]
    report = args.work / f"results-{name}.json"
    report.write_text(json.dumps(results.raw, indent=2, sort_keys=True, default=str))
    (args.work / f"results-{name}.md").write_text(markdown(results))
    Console(width=200).print(table(results))
    console.print(f"results: {report} ({results.raw['total_seconds']:.0f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
