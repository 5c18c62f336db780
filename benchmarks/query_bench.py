"""Time every library query on one engine; one JSON line per query, so a parent can cut off a slow one.

Run as a child of benchmarks/run.py:
    python -m benchmarks.query_bench --build DIR --engine oxigraph|rdflib --reps 20 [--only a,b]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from kg_builder.engines import OxigraphEngine, RdflibEngine
from kg_builder.pipeline.release_files import nquads_file
from kg_builder.queries import bind, load_library
from kg_builder.run_query import with_limit

# "top 100" is what the issue asks of the pair query; every other query returns all its rows. A query
# with a `top` parameter gets the same number there, so it reads only the pairs ranked that high.
LIMITS = {"who-coordinated-with-whom": 100}
# Parameters drawn from the built graph, so the same harness works on any corpus.
SAMPLES = """
PREFIX egkg: <https://w3id.org/egkg/ontology#>
SELECT ?person (COUNT(DISTINCT ?meeting) AS ?meetings) (SAMPLE(?p) AS ?participation) WHERE {
  ?p egkg:participant ?person ; egkg:meeting ?meeting . ?person a egkg:Person .
} GROUP BY ?person ORDER BY ?person
"""


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (p50, p95) of a list of seconds."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def sample_params(engine, seed: int, persons: int = 20) -> dict:
    """Persons (a seeded sample), a meeting and a participation node to bind required parameters."""
    rows = engine.select(SAMPLES).rows
    if not rows:
        raise SystemExit("the build has no participations to sample parameters from")
    people = [row[0].value for row in rows]
    chosen = random.Random(seed).sample(people, min(persons, len(people)))
    node = rows[0][2].value
    meeting = engine.select(
        f"PREFIX egkg: <https://w3id.org/egkg/ontology#> SELECT ?m WHERE {{ {ox.NamedNode(node)} egkg:meeting ?m }}"
    ).rows[0][0].value
    return {"person": chosen, "meeting": [meeting], "node": [node]}


def bound_texts(query, samples: dict, reps: int) -> list[str]:
    """The query text for each repetition; person queries cycle through the sampled persons."""
    texts = []
    for rep in range(reps):
        values = {}
        for name, param in query.params.items():
            if param.required:
                pool = samples[name]
                values[name] = pool[rep % len(pool)]
        if "top" in query.params and query.name in LIMITS:
            values["top"] = str(LIMITS[query.name])
        texts.append(with_limit(bind(query, values), LIMITS.get(query.name)))
    return texts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, required=True)
    parser.add_argument("--engine", choices=("oxigraph", "rdflib"), default="oxigraph")
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", default="", help="comma-separated query names (default: the whole library)")
    parser.add_argument("--budget", type=float, default=30.0, help="stop repeating a query after this many seconds")
    args = parser.parse_args(argv)
    library = load_library()
    names = [n for n in args.only.split(",") if n] or sorted(library)
    started = time.perf_counter()
    # Parameters always come from the embedded store, so both engines answer the same questions.
    samples = sample_params(OxigraphEngine(args.build / "store"), args.seed)
    engine = OxigraphEngine(args.build / "store") if args.engine == "oxigraph" else RdflibEngine(nquads_file(args.build))
    print(json.dumps({"ready": time.perf_counter() - started}), flush=True)
    for name in names:
        query = library[name]
        seconds, rows = [], 0
        for text in bound_texts(query, samples, args.reps):
            start = time.perf_counter()
            rows = len(engine.select(text).rows)
            seconds.append(time.perf_counter() - start)
            if sum(seconds) > args.budget:  # a slow engine gets fewer runs, not an endless wait
                break
        print(json.dumps({
            "query": name, "runs": len(seconds), "rows": rows,
            "p50": statistics.median(seconds), "p95": percentile(seconds, 0.95), "max": max(seconds),
        }), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
