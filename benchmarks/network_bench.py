"""Time the network side over a build: fetch participations, project, measure; prints JSON.

    python -m benchmarks.network_bench --build DIR
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from kg_builder.engines import OxigraphEngine
from kg_builder.network import bipartite_graph, fetch_participations, fetch_posts, institution_graph, measures, person_graph


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, required=True)
    args = parser.parse_args(argv)
    engine = OxigraphEngine(args.build / "store")
    timings: dict[str, float] = {}
    sizes: dict[str, list[int]] = {}

    def timed(stage, call):
        start = time.perf_counter()
        value = call()
        timings[stage] = time.perf_counter() - start
        return value

    participations = timed("fetch participations (SPARQL)", lambda: fetch_participations(engine))
    posts = timed("fetch posts (SPARQL)", lambda: fetch_posts(engine))
    persons = timed("project persons", lambda: person_graph(participations, posts))
    institutions = timed("project institutions", lambda: institution_graph(participations))
    bipartite = timed("project participant-meeting", lambda: bipartite_graph(participations))
    timed("measures on persons (degree, betweenness, Louvain)", lambda: measures(persons))
    for name, graph in (("persons", persons), ("institutions", institutions), ("participant-meeting", bipartite)):
        sizes[name] = [graph.number_of_nodes(), graph.number_of_edges()]
    print(json.dumps({"participations": len(participations), "timings": timings, "sizes": sizes}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
