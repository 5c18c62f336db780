"""Time every library query on one engine; one JSON line per query, so a parent can cut off a slow one.

Run as a child of benchmarks/run.py:
    python -m benchmarks.query_bench --build DIR --engine oxigraph|rdflib --reps 20 [--only a,b]
    python -m benchmarks.query_bench --build DIR --engine virtuoso --endpoint URL --timeout 120

Each line also holds a digest of every repetition's rows (in the engines' comparable form, taken
outside the timed part), so the parent can tell whether two engines gave the same answers.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import statistics
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from kg_builder.engines import OxigraphEngine, RdflibEngine, RemoteEngine, ResultTable
from kg_builder.errors import InputError
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


def digest(table: ResultTable) -> str:
    """A short fingerprint of an answer's rows, equal across engines when the rows are (see Term.comparable)."""
    return hashlib.sha256(json.dumps(table.comparable()).encode()).hexdigest()[:16]


def open_engine(args: argparse.Namespace):
    if args.engine == "oxigraph":
        return OxigraphEngine(args.build / "store")
    if args.engine == "rdflib":
        return RdflibEngine(nquads_file(args.build))
    # Through egkg's own remote engine (SPARQL protocol), as `egkg query --endpoint` runs it.
    return RemoteEngine(args.endpoint, timeout=args.timeout)


def timed_runs(engine, texts: list[str], budget: float, limit: float | None = None) -> dict:
    """Run the texts in turn: seconds and a rows digest for each, until `budget` seconds are spent.

    A run that fails at the engine's time `limit` makes the query cut off (as the parent reports a
    child it had to stop), not an error; other failures propagate.
    """
    seconds, rows, digests = [], 0, []
    for text in texts:
        start = time.perf_counter()
        try:
            table = engine.select(text)
        except InputError as exc:
            # By the time taken, not the wording: egkg words a silent server and a slow answer apart.
            if limit is not None and time.perf_counter() - start >= 0.99 * limit:
                return {"timeout": limit, "runs": len(seconds), "detail": exc.problem.message}
            raise
        seconds.append(time.perf_counter() - start)
        rows = len(table.rows)
        digests.append(digest(table))
        if sum(seconds) > budget:  # a slow engine gets fewer runs, not an endless wait
            break
    return {"runs": len(seconds), "rows": rows, "digests": digests, "p50": statistics.median(seconds),
            "p95": percentile(seconds, 0.95), "max": max(seconds)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, required=True)
    parser.add_argument("--engine", choices=("oxigraph", "rdflib", "virtuoso"), default="oxigraph")
    parser.add_argument("--endpoint", help="SPARQL endpoint of the virtuoso engine")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds a remote query may take")
    parser.add_argument("--reps", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", default="", help="comma-separated query names (default: the whole library)")
    parser.add_argument("--budget", type=float, default=30.0, help="stop repeating a query after this many seconds")
    args = parser.parse_args(argv)
    if args.engine == "virtuoso" and not args.endpoint:
        parser.error("--engine virtuoso needs --endpoint")
    library = load_library()
    names = [n for n in args.only.split(",") if n] or sorted(library)
    started = time.perf_counter()
    # Parameters always come from the embedded store, so both engines answer the same questions.
    samples = sample_params(OxigraphEngine(args.build / "store"), args.seed)
    engine = open_engine(args)
    print(json.dumps({"ready": time.perf_counter() - started}), flush=True)
    for name in names:
        try:
            limit = args.timeout if args.engine == "virtuoso" else None
            info = timed_runs(engine, bound_texts(library[name], samples, args.reps), args.budget, limit)
        except InputError as exc:  # a remote engine's refusal: this query has no timing
            info = {"error": exc.problem.message}
        print(json.dumps({"query": name, **info}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
