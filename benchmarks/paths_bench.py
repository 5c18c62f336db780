"""The build's old path and its new one side by side on one corpus, in one process: CPU seconds and ratios; prints JSON.

    python -m benchmarks.paths_bench --data DIR [--stages map,shacl]

Old path (what `egkg build` ran until issue 16): records mapped through an rdflib graph, the union
validated by pySHACL. New path (today's): records mapped straight to sorted N-Quads lines by the
metadata-driven mapper, the union validated by the Rust `shacl` engine. Both pairs are run
back to back on the same loaded corpus and the same union, so the ratio is not skewed by the
machine's load drifting between two separate runs. The quad counts of both mappers and the
results of both engines are reported beside the ratio, so a ratio is never of unequal work.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from kg_builder.load.corpus import load_corpus
from kg_builder.mapping import map_corpus, map_corpus_nquads
from kg_builder.paths import ONTOLOGY_FILE, SHAPES_FILE
from kg_builder.rdf.vocab import load_ontology
from kg_builder.validate.shacl_engine import run_engine


def _cpu(action):
    """(result, CPU seconds) of one call."""
    start = time.process_time()
    result = action()
    return result, time.process_time() - start


def _results(found) -> list[tuple[str, str, str]]:
    return sorted({(r.focus, r.path, r.component) for r in found})


def compare(data: Path, stages: set[str]) -> dict:
    """Each stage on the old path and the new one, with the ratio old / new."""
    ontology = load_ontology(ONTOLOGY_FILE)
    corpus, load_s = _cpu(lambda: load_corpus(data, ontology))
    report: dict = {"record_files": len(corpus.files), "load records (either path)": load_s, "stages": {}}
    (lines, _), new_map = _cpu(lambda: map_corpus_nquads(corpus, ontology))
    nquads = "".join(lines)
    if "map" in stages:
        (dataset, _), old_map = _cpu(lambda: map_corpus(corpus, ontology))
        old_quads = sum(1 for _ in dataset.quads((None, None, None, None)))
        del dataset
        report["stages"]["map to RDF"] = {"old": old_map, "new": new_map, "ratio": old_map / max(new_map, 1e-9),
                                          "quads": len(lines), "old_quads": old_quads}
    if "shacl" in stages:
        union = "".join(sorted({f"{q.subject} {q.predicate} {q.object} .\n"
                                for q in ox.parse(nquads, format=ox.RdfFormat.N_QUADS)}))
        new_results, new_shacl = _cpu(lambda: run_engine("shacl", union, SHAPES_FILE))
        old_results, old_shacl = _cpu(lambda: run_engine("pyshacl", union, SHAPES_FILE))
        report["stages"]["SHACL (whole union)"] = {
            "old": old_shacl, "new": new_shacl, "ratio": old_shacl / max(new_shacl, 1e-9),
            "same_results": _results(old_results) == _results(new_results), "violations": len(new_results),
        }
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--stages", default="map,shacl")
    args = parser.parse_args(argv)
    print(json.dumps(compare(args.data, set(args.stages.split(",")))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
