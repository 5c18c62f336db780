"""Time reasoning over a build: the SPARQL rules alone, or rules plus HermiT classification; prints JSON.

    python -m benchmarks.reason_bench --build DIR [--hermit]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from kg_builder.reason import infer, is_inferred


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, required=True)
    parser.add_argument("--hermit", action="store_true", help="also classify with HermiT (owlready2, Java)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    quads = [q for q in ox.parse(path=str(args.build / "egkg.nq"), format=ox.RdfFormat.N_QUADS)
             if not is_inferred(q.graph_name)]
    loaded = time.perf_counter() - start
    inference = infer(quads, hermit=args.hermit)
    print(json.dumps({
        "curated_quads": len(quads), "inferred_quads": len(inference.quads), "parse": loaded,
        "timings": inference.timings, "counts": inference.counts,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
