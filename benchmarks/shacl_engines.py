"""SHACL engines side by side: speed on a generated corpus, agreement on the shape fixtures and W3C core tests.

    python -m benchmarks.shacl_engines [--scale S] [--seed 1] [--w3c DIR] [--skip-speed]

Engines: `shacl` (Rust, the build's) and `pyshacl` (the reference). Each runs in its own child
process on the same N-Triples files, so its CPU time and peak RSS are its own; another engine is
one more entry in _ENGINES (pyrudof was measured once, outside the project: see BENCHMARKS.md).
`--w3c` names the W3C data-shapes test suite's `core` folder; without it the suite is
taken from the sdist of the locked pySHACL (`pip download pyshacl==VERSION --no-binary :all:`),
which ships it under test/resources/sht_tests. Only the tests of the constraint components
ontology/shapes.ttl uses are run (and the class-target tests). Prints JSON and a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SH = "http://www.w3.org/ns/shacl#"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
SHT = "http://www.w3.org/ns/shacl-test#"


# --- child side: one engine, nothing else of the project imported -------------------------------

def _child(engine: str, jobs: list[dict]) -> list[dict]:
    """Validate each {data, shapes} pair; results as [focus, path, component] and the timings."""
    out = []
    for job in jobs:
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            conforms, results = _ENGINES[engine](job["data"], job["shapes"])
            error = None
        except Exception as exc:  # an engine that cannot run a test fails that test, not the run
            conforms, results, error = None, [], f"{type(exc).__name__}: {exc}"[:300]
        out.append({"conforms": conforms, "results": sorted(results), "error": error,
                    "cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall})
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec, so it would show the parent's size.
    status = Path("/proc/self/status").read_text()
    rss_kib = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
    return [{**item, "rss_mib": rss_kib / 1024} for item in out]


def _strip(term: str | None) -> str:
    """<iri> -> iri; every blank node -> _: (labels differ between engines and runs)."""
    if not term:
        return ""
    if term.startswith("_:"):
        return "_:"
    return term[1:-1] if term.startswith("<") and term.endswith(">") else term


def _key(term) -> str:
    """An rdflib term as _strip leaves an engine's N-Triples term: IRI bare, literal in N-Triples."""
    from rdflib import BNode, Literal

    if term is None:
        return ""
    if isinstance(term, BNode):
        return "_:"
    return term.n3() if isinstance(term, Literal) else str(term)


def _local(iri: str) -> str:
    return _strip(iri).rsplit("#", 1)[-1]


def _run_shacl(data: str, shapes: str):
    import shacl

    report = shacl.Shapes.from_file(shapes).validate_file(data)
    return report.conforms, [[_strip(r.focus_node), _strip(r.path), _local(r.component)]
                             for r in report.results if r.severity == "Violation"]


def _run_pyshacl(data: str, shapes: str):
    from pyshacl import validate
    from rdflib import Graph, Namespace

    sh = Namespace(SH)
    data_graph = Graph().parse(data)
    shapes_graph = data_graph if shapes == data else Graph().parse(shapes)
    conforms, report, _ = validate(data_graph, shacl_graph=shapes_graph, inference="none", advanced=True)
    results = []
    for result in report.subjects(predicate=sh.resultSeverity, object=sh.Violation):
        focus, path = report.value(result, sh.focusNode), report.value(result, sh.resultPath)
        results.append([_key(focus), _key(path), _local(str(report.value(result, sh.sourceConstraintComponent)))])
    return conforms, results


_ENGINES = {"shacl": _run_shacl, "pyshacl": _run_pyshacl}


def run_engine(engine: str, python: str, jobs: list[dict]) -> list[dict]:
    """`jobs` validated by `engine` in a child process of `python`."""
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as spec:
        json.dump({"engine": engine, "jobs": jobs}, spec)
    try:
        done = subprocess.run([python, __file__, "--child", spec.name], capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(PROJECT)})
    finally:
        os.unlink(spec.name)
    if done.returncode != 0:
        raise RuntimeError(f"{engine} child failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


# --- parent side --------------------------------------------------------------------------------

def corpus_ntriples(scale: str, seed: int, work: Path) -> tuple[Path, int]:
    """The corpus generated at `scale` and mapped as the build maps it, as one N-Triples union file."""
    import pyoxigraph as ox

    from benchmarks.generate import main as generate
    from kg_builder.load.corpus import load_corpus
    from kg_builder.mapping import map_corpus
    from kg_builder.paths import ONTOLOGY_FILE
    from kg_builder.rdf.serialize import to_oxigraph
    from kg_builder.rdf.vocab import load_ontology

    data = work / f"data-{scale}"
    generate(["--scale", scale, "--seed", str(seed), "--out", str(data), "--quiet"])
    ontology = load_ontology(ONTOLOGY_FILE)
    dataset, _ = map_corpus(load_corpus(data, ontology), ontology)
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in to_oxigraph(dataset)}
    path = work / f"union-{scale}.nt"
    ox.serialize(sorted(triples, key=str), str(path), format=ox.RdfFormat.N_TRIPLES)
    return path, len(triples)


def fixture_jobs(work: Path) -> tuple[list[dict], list[dict]]:
    """The tests' shape fixtures on the five articles, written as N-Triples; and what each must report."""
    from kg_builder.load.corpus import load_corpus
    from kg_builder.mapping import map_corpus
    from kg_builder.paths import ONTOLOGY_FILE, SHAPES_FILE
    from kg_builder.rdf.vocab import load_ontology
    from kg_builder.validate.shacl_engine import as_text
    from kg_builder.validate.violations import union_graph
    from tests.shape_fixtures import DATE_DISAGREEMENTS, all_fixtures, odd_date

    ontology = load_ontology(ONTOLOGY_FILE)
    union = union_graph(map_corpus(load_corpus(PROJECT / "data", ontology), ontology)[0])
    cases = [("real graph", as_text(union), None, None, True)]
    cases += [(f.name, as_text(f.graph), f.focus, f.path, False) for f in all_fixtures(union)]
    for lexical, valid in DATE_DISAGREEMENTS.items():
        text, focus, path = odd_date(union, lexical)
        cases.append((f"xsd:date {lexical!r}", text, focus, path, valid))
    jobs, expected = [], []
    for number, (name, text, focus, path, conforms) in enumerate(cases):
        file = work / f"fixture-{number}.nt"
        file.write_text(text)
        jobs.append({"data": str(file), "shapes": str(SHAPES_FILE)})
        expected.append({"name": name, "focus": focus, "path": path, "conforms": conforms})
    return jobs, expected


def _fixture_passes(result: dict, expected: dict) -> bool:
    if result["error"]:
        return False
    if expected["focus"] is None or expected["conforms"]:
        # the real graph conforms; a valid XSD 1.1 date must not be reported at its node
        return not any(focus == expected["focus"] for focus, _, _ in result["results"]) if expected["focus"] else result["conforms"]
    return any(focus == expected["focus"] and path == expected["path"] for focus, path, _ in result["results"])


# Constraint components ontology/shapes.ttl uses, as the W3C suite names its test files.
def components_used() -> set[str]:
    from rdflib import Graph

    from kg_builder.paths import SHAPES_FILE

    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    names = {str(p).removeprefix(SH) for p in shapes.predicates() if str(p).startswith(SH)}
    return names - {"path", "property", "message", "targetClass"} | {"targetClass"}


def w3c_suite(work: Path) -> Path:
    """The suite's core folder from the locked pySHACL's sdist."""
    import pyshacl

    version = pyshacl.__version__
    subprocess.run([sys.executable, "-m", "pip", "download", f"pyshacl=={version}", "--no-binary", ":all:",
                    "--no-deps", "-d", str(work), "-q"], check=True)
    with tarfile.open(next(work.glob("pyshacl-*.tar.gz"))) as sdist:
        members = [m for m in sdist.getmembers() if "/test/resources/sht_tests/" in m.name]
        sdist.extractall(work, members=members, filter="data")
    return next(work.glob("pyshacl-*/test/resources/sht_tests/core"))


def w3c_jobs(core: Path) -> tuple[list[dict], list[dict]]:
    """Every W3C core test of a component the shapes use: the files to validate and the expected report."""
    from rdflib import Graph, Namespace

    sh, mf, sht = Namespace(SH), Namespace(MF), Namespace(SHT)
    wanted = components_used()
    jobs, expected = [], []
    for file in sorted(core.glob("*/*.ttl")):
        if file.stem.split("-")[0] not in wanted or file.name == "manifest.ttl" or file.stem.endswith(("-data", "-shapes")):
            continue
        manifest = Graph().parse(file, format="turtle")
        for test in sorted(manifest.subjects(predicate=None, object=sht.Validate)):
            action, report = manifest.value(test, mf.action), manifest.value(test, mf.result)
            data = _local_file(manifest.value(action, sht.dataGraph), file)
            shapes = _local_file(manifest.value(action, sht.shapesGraph), file)
            results = sorted([_key(manifest.value(r, sh.focusNode)), _key(manifest.value(r, sh.resultPath)),
                              _local(str(manifest.value(r, sh.sourceConstraintComponent)))]
                             for r in manifest.objects(report, sh.result))
            jobs.append({"data": data, "shapes": shapes})
            expected.append({"name": f"{file.parent.name}/{file.stem}",
                             "conforms": manifest.value(report, sh.conforms).toPython(), "results": results})
    return jobs, expected


def _local_file(iri, manifest_file: Path) -> str:
    name = str(iri).rsplit("/", 1)[-1]
    return str(manifest_file.parent / name) if name else str(manifest_file)


def _w3c_passes(result: dict, expected: dict) -> bool:
    return (not result["error"] and result["conforms"] == expected["conforms"]
            and sorted(map(list, {tuple(r) for r in result["results"]})) == sorted(map(list, {tuple(r) for r in expected["results"]})))


def licences() -> dict[str, str]:
    from importlib import metadata

    found = {}
    for name in ("shacl", "pyshacl"):
        meta = metadata.metadata(name)
        licence = meta.get("License-Expression") or (meta.get("License") or "").splitlines()[0]
        found[name] = f"{meta['Version']}, {licence}"
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--scale", default="S")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--w3c", type=Path, help="the data-shapes test suite's tests/core folder")
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args(argv)
    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)  # a traceback per ill-typed test literal
    if args.child:
        spec = json.loads(Path(args.child).read_text())
        print(json.dumps(_child(spec["engine"], spec["jobs"])))
        return 0
    pythons = {engine: sys.executable for engine in _ENGINES}
    table: dict[str, dict] = {engine: {} for engine in pythons}
    with tempfile.TemporaryDirectory(prefix="shacl-engines-") as scratch:
        work = Path(scratch)
        if not args.skip_speed:
            union, triples = corpus_ntriples(args.scale, args.seed, work)
            for engine, python in pythons.items():
                [run] = run_engine(engine, python, [{"data": str(union), "shapes": str(PROJECT / "ontology/shapes.ttl")}])
                table[engine]["speed"] = {"triples": triples, "cpu_s": round(run["cpu"], 2), "wall_s": round(run["wall"], 2),
                                          "peak_rss_mib": round(run["rss_mib"]), "conforms": run["conforms"],
                                          "results": len(run["results"]), "error": run["error"]}
        jobs, expected = fixture_jobs(work)
        core = args.w3c or w3c_suite(work / "w3c")
        w3c, w3c_expected = w3c_jobs(core)
        for engine, python in pythons.items():
            runs = run_engine(engine, python, jobs)
            table[engine]["fixtures"] = {"passed": sum(map(_fixture_passes, runs, expected)), "total": len(jobs),
                                         "failed": [e["name"] for r, e in zip(runs, expected) if not _fixture_passes(r, e)]}
            runs = run_engine(engine, python, w3c)
            table[engine]["w3c"] = {"passed": sum(map(_w3c_passes, runs, w3c_expected)), "total": len(w3c),
                                    "failed": [e["name"] for r, e in zip(runs, w3c_expected) if not _w3c_passes(r, e)]}
    table["licences"] = licences()
    print(json.dumps(table, indent=1))
    print(markdown(table, args.scale))
    return 0


def markdown(table: dict, scale: str) -> str:
    rows = [f"| engine | {scale} CPU s | wall s | peak RSS MiB | shape fixtures | W3C core tests (components used) |",
            "| --- | ---: | ---: | ---: | --- | --- |"]
    for engine, found in table.items():
        if engine == "licences":
            continue
        speed = found.get("speed", {})
        rows.append(f"| {engine} | {speed.get('cpu_s', '')} | {speed.get('wall_s', '')} | {speed.get('peak_rss_mib', '')} "
                    f"| {found['fixtures']['passed']}/{found['fixtures']['total']} "
                    f"{', '.join(found['fixtures']['failed'])} | {found['w3c']['passed']}/{found['w3c']['total']} "
                    f"{', '.join(found['w3c']['failed'])} |")
    return "\n".join(rows)


if __name__ == "__main__":
    sys.exit(main())
