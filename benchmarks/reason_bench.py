"""Time reasoning over a build: the SPARQL rules alone, rules plus HermiT, or the rules inside the store; prints JSON.

    python -m benchmarks.reason_bench --build DIR [--hermit | --in-store]

`--in-store` is the path past what fits in memory: a hard-linked checkpoint of the build's on-disk
store gets the same rules (`apply_rules`) and consistency checks, and nothing is parsed into Python.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from kg_builder.outputs.store import union_missing
from kg_builder.pipeline.release_files import nquads_file
from kg_builder.reason.checks import run_checks
from kg_builder.reason.infer import infer
from kg_builder.reason.rules import apply_rules, is_inferred, load_rules


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, required=True)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--hermit", action="store_true", help="also classify with HermiT (owlready2, Java)")
    mode.add_argument("--in-store", action="store_true", help="run the rules in a copy of the on-disk store")
    args = parser.parse_args(argv)
    if args.in_store:
        print(json.dumps(in_store(args.build / "store")))
        return 0
    start = time.perf_counter()
    quads = [q for q in ox.parse(path=str(nquads_file(args.build)), format=ox.RdfFormat.N_QUADS)
             if not is_inferred(q.graph_name)]
    loaded = time.perf_counter() - start
    inference = infer(quads, hermit=args.hermit)
    print(json.dumps({
        "curated_quads": len(quads), "inferred_quads": len(inference.quads), "parse": loaded,
        "timings": inference.timings, "counts": inference.counts,
    }))
    return 0


def in_store(store_dir: Path) -> dict:
    """Rules and checks inside a checkpoint of `store_dir`; the build's own store is not touched."""
    with tempfile.TemporaryDirectory(prefix="reason-bench-", dir=store_dir.parent.parent) as scratch:
        start = time.perf_counter()
        ox.Store.read_only(str(store_dir)).backup(f"{scratch}/store")
        store = ox.Store(f"{scratch}/store")
        if union_missing(store):
            raise SystemExit(f"{store_dir}: no union default graph (built by an older egkg); rebuild it")
        copied = time.perf_counter() - start
        start = time.perf_counter()
        counts = apply_rules(store, load_rules())
        rules = time.perf_counter() - start
        start = time.perf_counter()
        run_checks(store, {})
        checks = time.perf_counter() - start
        del store
    return {"inferred_quads": sum(counts.values()), "parse": 0.0, "copy": copied,
            "timings": {"rules": rules, "consistency checks": checks}, "counts": counts}


if __name__ == "__main__":
    sys.exit(main())
