"""The SPARQL rules: loading ontology/rules/, running them in a store, and the inferred graphs they write."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from ..errors import InputError
from ..outputs.store import with_union
from ..paths import PROJECT_ROOT
from ..queries import parse_query_file
from .coordination import Coordination, FullCount, Patch

if TYPE_CHECKING:
    from .coordination_lines import StreamedCount

__all__ = [
    "COMPUTED",
    "CONCLUDED_LAST",
    "EGKG",
    "HERMIT_GRAPH",
    "ID",
    "INFERRED_PREFIX",
    "RDF_TYPE",
    "RULES_DIR",
    "Rule",
    "apply_rules",
    "inferred_graph",
    "inferred_graphs",
    "is_inferred",
    "load_rules",
    "parse_header",
]

ID = "https://w3id.org/egkg/id/"
EGKG = "https://w3id.org/egkg/ontology#"
# Each rule's conclusions go into a graph of their own, which names the rule: one quad per
# inferred triple. (A statement per triple cost five more; at 1,000 meetings that was 1.5 M quads.)
INFERRED_PREFIX = ID + "graph/inferred/"
RULES_DIR = PROJECT_ROOT / "ontology" / "rules"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@dataclass(frozen=True)
class Rule:
    """One SPARQL CONSTRUCT rule file."""

    name: str
    path: Path
    summary: str
    description: str
    text: str
    computed: str = ""  # the header's `computed`: the module that concludes what the text states

    @property
    def iri(self) -> ox.NamedNode:
        return ox.NamedNode(f"{ID}rule/{self.name}")

    @property
    def graph(self) -> ox.NamedNode:
        return inferred_graph(self.name)


def inferred_graph(name: str) -> ox.NamedNode:
    """The graph holding what rule `name` (or "hermit") concluded."""
    return ox.NamedNode(INFERRED_PREFIX + name)


# HermiT's classifications: few, and only at small scale, so each keeps a statement naming its axiom.
HERMIT_GRAPH = inferred_graph("hermit")


def is_inferred(graph: ox.NamedNode | ox.DefaultGraph | str) -> bool:
    """True for the graphs reasoning writes (never a curated source's graph)."""
    name = graph if isinstance(graph, str) else getattr(graph, "value", "")
    return name.startswith(INFERRED_PREFIX)


def inferred_graphs() -> set[str]:
    """Every graph reasoning can write with the current rules: what a rebuild replaces."""
    return {rule.graph.value for rule in load_rules()} | {HERMIT_GRAPH.value}


def load_rules(directory: Path = RULES_DIR) -> list[Rule]:
    """Rule files in name order; a bad header is an error naming the file."""
    rules = []
    for path in sorted(directory.glob("*.rq")):
        parsed = parse_query_file(path, required=("summary", "description", "implements"))
        computed = str(parse_header(path).get("computed") or "")
        if computed and path.stem not in COMPUTED:
            raise InputError(f"no Python computation for this rule (only {', '.join(COMPUTED)})", file=path,
                             field="computed")
        rules.append(Rule(path.stem, path, parsed.summary, parsed.description, parsed.text, computed))
    return rules


# Rules concluded after every other rule, HermiT and the checks, though their files come earlier: no
# later rule or check reads what they conclude (tests/test_reason_order.py), and 40's conclusions are
# most of the inferred graph (4.5 M of 10.6 M quads at 10,000 meetings). Written first, they left the
# store's fresh files unmerged under every later query (rules 50-80 and the checks took 3-10 times
# their read-only CPU at 1,000 meetings) and doubled what the dangling-reference check scans. A
# dangling object of theirs is a party or meeting, the object of a curated participation triple that
# the check reports already.
CONCLUDED_LAST = ("40-coordination",)

# Rules whose conclusions Python computes (the file's text stays their specification, checked by the tests).
COMPUTED = ("40-coordination",)


def parse_header(path: Path) -> dict:
    """The `#+` YAML header of a rule file (parse_query_file has already refused a malformed one)."""
    import yaml

    lines = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#+"):
            break
        lines.append(line[2:].removeprefix(" "))
    return yaml.safe_load("\n".join(lines)) or {}


def apply_rules(store: ox.Store, rules: list[Rule], coordination: FullCount | Patch | StreamedCount | None = None,
                computed: dict[str, Coordination] | None = None, concluded: dict[str, list[ox.Quad]] | None = None,
                timings: dict[str, float] | None = None) -> dict[str, int]:
    """Run `rules` in order inside `store` (in memory or on disk); return new triples per rule.

    The store's default graph must hold the union (store.with_union). Each rule's conclusions that
    the union does not hold yet go into the rule's graph and the union, and into `concluded` under
    the rule's name. A rule marked `computed` is concluded in Python by `coordination`
    (kg_builder/coordination.py), in its place in the order; `computed` receives what that
    computation found. `timings` receives each rule's seconds as "rule <name>".
    """
    counts = {}
    for rule in rules:
        start = time.perf_counter()
        earlier = _count(store, rule.graph) if store.contains_named_graph(rule.graph) else 0
        try:
            written = 0
            if rule.computed:
                found = (coordination or FullCount()).conclude(store, rule.graph)
                conclusions, written = found.quads, found.written  # written: in the store already
                if computed is not None:
                    computed[rule.name] = found
            else:
                conclusions = _new_conclusions(store, store.query(rule.text), rule.graph)
            # Held in memory (the rules but 40 conclude a few per cent of the graph, and 40's are in
            # memory already) and loaded as they are: a spool file, parsed again, cost more.
            conclusions = list(dict.fromkeys(conclusions))  # a CONSTRUCT may give a triple twice
        except SyntaxError as exc:
            raise InputError(f"rule is not valid SPARQL: {exc}", file=rule.path) from None
        store.bulk_extend(with_union(conclusions))
        # None was in the union, so none was in the rule's graph: counting them is counting the graph
        # (which, read back quad by quad, cost 17 s for rule 40 at 1,000 meetings).
        counts[rule.name] = earlier + len(conclusions) + written
        if concluded is not None:
            concluded[rule.name] = conclusions
        if timings is not None:
            timings[f"rule {rule.name}"] = time.perf_counter() - start
    return counts


def _count(store: ox.Store, graph: ox.NamedNode) -> int:
    return sum(1 for _ in store.quads_for_pattern(None, None, None, graph))


def _new_conclusions(store: ox.Store, triples, graph: ox.NamedNode):
    for triple in triples:
        if ox.Quad(triple.subject, triple.predicate, triple.object) not in store:
            yield ox.Quad(triple.subject, triple.predicate, triple.object, graph)
