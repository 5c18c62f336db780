"""The data-quality checks (queries/checks/*-violation.rq) and what makes a graph inconsistent, explained."""

from __future__ import annotations

import time

import pyoxigraph as ox

from ..errors import Problem
from ..paths import PROJECT_ROOT
from ..queries import parse_query_file
from .rules import EGKG, ID

__all__ = ["CHECKS_DIR", "CHECK_SEEDS", "POST", "InconsistentGraph", "explain_inconsistency", "holdings_of_posts",
           "run_checks"]

CHECKS_DIR = PROJECT_ROOT / "queries" / "checks"


class InconsistentGraph(Exception):
    """The curated graph plus what follows from it contradicts the ontology or a data-quality rule."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.render() for p in problems))


EXPLAIN_DISJOINT = """
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?node ?first ?second ?graph WHERE {
  ?first owl:disjointWith ?second .
  ?node a/rdfs:subClassOf* ?first .
  ?node a/rdfs:subClassOf* ?second .
  OPTIONAL { GRAPH ?graph { ?node a ?type } }
}
ORDER BY ?node ?graph
"""


def explain_inconsistency(store: ox.Store, origins: dict) -> list[Problem]:
    """Name what HermiT's 'inconsistent' is about: individuals in two disjoint classes."""
    problems = []
    for row in store.query(EXPLAIN_DISJOINT):
        node = row["node"].value
        graph = row["graph"].value if row["graph"] is not None else ""
        problems.append(_problem(node, graph, origins,
                                 f"<{node}> is both {_short(row['first'].value)} and {_short(row['second'].value)}, "
                                 "which the ontology declares disjoint"))
    if not problems:
        problems.append(Problem("(graph)", None, "", "HermiT found the graph inconsistent; no disjointness clash "
                                "explains it (run `egkg reason` on a smaller selection to isolate it)"))
    return problems


# For a check after an incremental change: the variables that bind the nodes a violation is about.
# A violation none of whose nodes a change touched was there before, and the previous release had none.
# A dangling row is new only if its triple was added (its object is touched) or its object lost its
# types (touched again): binding the object suffices (0.2 ms a query; the subject bound, 190 ms).
CHECK_SEEDS = {
    "dangling-reference-violation": ("object",),
    "evidence-from-another-source-violation": ("graph",),
    "fact-without-evidence-violation": ("node",),
    "meeting-ends-before-start-violation": ("meeting",),
    "person-with-two-names-violation": ("person",),
    # Bound as holding1 only (0.3 ms; as holding2, 120 ms), over every holding sharing a post with a
    # touched one: a touched holding2 is found from its partner.
    "two-definitive-holders-violation": ("holding1",),
    "undeclared-concept-violation": ("node", "concept"),
}


def run_checks(store: ox.Store, origins: dict, timings: dict[str, float] | None = None, *,
               touched: set[ox.NamedNode] | None = None) -> None:
    """queries/checks/*-violation.rq over data plus inferences; any row makes the graph inconsistent.

    `timings` receives each check's seconds as "check <file name>". With `touched`, a check listed in
    CHECK_SEEDS looks only at violations about those nodes (the others run whole).
    """
    problems = []
    for path in sorted(CHECKS_DIR.glob("*-violation.rq")):
        start = time.perf_counter()
        check = parse_query_file(path)
        seeds = CHECK_SEEDS.get(path.stem) if touched is not None else None
        nodes = touched or set()
        if path.stem == "two-definitive-holders-violation" and seeds:
            nodes = {h for holdings in holdings_of_posts((store,), nodes).values() for h in holdings}
        bindings = [None] if seeds is None else [
            {ox.Variable(var): node} for var in seeds for node in sorted(nodes, key=str)]
        rows: dict[tuple, None] = {}  # each violation once, though several touched nodes find it
        for binding in bindings:
            solutions = store.query(check.text, substitutions=binding)
            columns = [v.value for v in solutions.variables]
            rows.update((tuple(row[c].value for c in columns if row[c] is not None), None) for row in solutions)
        for values in rows:
            values = list(values)
            node = next((v for v in values if v in origins), values[0] if values else "")
            others = [v for v in values if v != node and v in origins]
            where = "; also " + ", ".join(f"{origins[o][0]}:{origins[o][1]} {origins[o][2]}" for o in others) if others else ""
            problems.append(_problem(node, "", origins, f"{check.summary.split(' / ')[-1]}: "
                                     + ", ".join(_short(v) for v in values) + where))
        if timings is not None:
            timings[f"check {path.stem}"] = time.perf_counter() - start
    if problems:
        raise InconsistentGraph(problems)


def _problem(node: str, graph: str, origins: dict, message: str) -> Problem:
    if node in origins:
        file, line, path = origins[node]
        return Problem(file, line, path, message)
    return Problem(graph or "(graph)", None, "", message)


def _short(iri: str) -> str:
    for prefix, short in ((EGKG, "egkg:"), (ID, "id:")):
        if iri.startswith(prefix):
            return short + iri.removeprefix(prefix)
    return iri


POST = ox.NamedNode(EGKG + "post")


def holdings_of_posts(stores: tuple[ox.Store, ...], nodes: set) -> dict[ox.Term, set[ox.Term]]:
    """The holdings of every post among `nodes` or held through a holding among them, before and now."""
    posts = {n for n in nodes if any(next(s.quads_for_pattern(None, POST, n, ox.DefaultGraph()), None) for s in stores)}
    posts |= {q.object for s in stores for n in nodes for q in s.quads_for_pattern(n, POST, None, ox.DefaultGraph())}
    return {post: {q.subject for s in stores for q in s.quads_for_pattern(None, POST, post, ox.DefaultGraph())}
            for post in posts}
