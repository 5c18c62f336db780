"""Reasoning: SPARQL rules and HermiT (owlready2) derive the inferred graph, with PROV-O provenance.

The curated graphs are never changed. Rules in ontology/rules/ run first (in file order, each seeing
the ones before); HermiT then classifies individuals with the ontology's class definitions. Every
inferred triple is traced to the rule or class axiom that produced it, and the whole graph is
checked for consistency (HermiT plus queries/checks) before anything is written.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..outputs.store import with_union
from ..paths import PROJECT_ROOT
from . import hermit as hermit_reasoner
from .checks import run_checks
from .coordination import Coordination, FullCount, Patch
from .coordination_lines import LineSpool, StreamedCount
from .hermit import hermit_classify, hermit_fits
from .rules import (
    CONCLUDED_LAST,
    EGKG,
    HERMIT_GRAPH,
    ID,
    RDF_TYPE,
    Rule,
    apply_rules,
    load_rules,
)

__all__ = ["Inference", "infer", "infer_in_store"]

RDF_STATEMENT = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement")
RDF_SUBJECT = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject")
RDF_PREDICATE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate")
RDF_OBJECT = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#object")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
PROV_DERIVED = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
RULE_CLASS = ox.NamedNode(EGKG + "Rule")
RULE_FILE = ox.NamedNode(EGKG + "ruleFile")


@dataclass
class Inference:
    """The inferred graph's quads, how many triples each rule or axiom gave, and what was left out."""

    quads: list[ox.Quad] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    skipped: str = ""  # why HermiT did not run, when it did not
    coordination: Coordination | None = None  # the pairs' table, kept for the next incremental build


def infer(quads: list[ox.Quad], origins: dict | None = None, *, hermit: bool | None = None,
          coordination: FullCount | Patch | None = None) -> Inference:
    """Everything that follows from `quads`; raise InconsistentGraph when something contradicts.

    HermiT runs when `hermit` is True, or when it is None and the graph is small enough for it.
    `coordination` says how the coordination pairs are found: all counted (the default), or a
    previous release's pairs patched where changed sources touch them.
    """
    store = ox.Store()
    store.bulk_extend(with_union(quads))
    return _reason(store, origins or {}, quads, hermit, coordination or FullCount())


def infer_in_store(store: ox.Store, origins: dict, curated: list[ox.Quad] | None,
                   spool: LineSpool | None = None) -> Inference:
    """`infer` inside a store that holds the curated graphs and their union, which keeps the conclusions.

    A chunked build reasons this way in its on-disk store, so the curated graph is never copied
    into memory. `curated` is given only when it is small enough for HermiT. With `spool`, rule 40's
    conclusions go to it (its share parts and the store) and are not in the result's quads.
    """
    return _reason(store, origins, curated, None, StreamedCount(spool) if spool is not None else FullCount())


def _reason(store: ox.Store, origins: dict, curated: list[ox.Quad] | None, hermit: bool | None,
            coordination: FullCount | Patch | StreamedCount) -> Inference:
    """Rules, HermiT when it fits, checks and provenance in `store`, which holds no inferred graph yet."""
    result = Inference()
    rules = load_rules()
    early = [rule for rule in rules if rule.name not in CONCLUDED_LAST]
    start = time.perf_counter()
    computed: dict[str, Coordination] = {}
    concluded: dict[str, list[ox.Quad]] = {}
    result.counts.update(apply_rules(store, early, coordination, computed, concluded, result.timings))
    result.timings["rules"] = time.perf_counter() - start
    if hermit is None:
        hermit = curated is not None and hermit_fits(len(curated))
        if not hermit:  # the limit read from its module when used: the tests lower it there
            result.skipped = (f"HermiT skipped: more than {hermit_reasoner.HERMIT_MAX_QUADS:,} curated quads "
                              "(it would take minutes to hours); the SPARQL rules and consistency checks ran")
    classified: dict[ox.Triple, ox.NamedNode] = {}
    if hermit and curated is not None:
        start = time.perf_counter()
        for triple, axiom in hermit_classify(curated, store, origins).items():
            if ox.Quad(triple.subject, triple.predicate, triple.object) not in store:  # not asserted nor ruled
                classified[triple] = axiom
                name = axiom.value.removeprefix(EGKG)
                result.counts[name] = result.counts.get(name, 0) + 1
        store.bulk_extend(with_union(ox.Quad(t.subject, t.predicate, t.object, HERMIT_GRAPH) for t in classified))
        result.timings["HermiT"] = time.perf_counter() - start
    start = time.perf_counter()
    run_checks(store, origins, result.timings)
    result.timings["consistency checks"] = time.perf_counter() - start
    start = time.perf_counter()
    last = [rule for rule in rules if rule.name in CONCLUDED_LAST]
    result.counts.update(apply_rules(store, last, coordination, computed, concluded, result.timings))
    result.coordination = computed.get("40-coordination")
    result.timings["rules"] += time.perf_counter() - start
    result.counts = {rule.name: result.counts[rule.name] for rule in rules} | result.counts  # in file order
    provenance = _provenance(rules, classified)
    store.bulk_extend(with_union(provenance))
    # The rules' conclusions as concluded (each new to the union, so each once) rather than read back
    # from the store: at 1,000 meetings reading 0.9 M quads back cost 13 s. HermiT's graph, small and
    # written twice (the triple, then its statement with it), is read back.
    result.quads = [*(q for rule in rules for q in concluded[rule.name]),
                    *(q for q in provenance if q.graph_name != HERMIT_GRAPH),
                    *store.quads_for_pattern(None, None, None, HERMIT_GRAPH)]
    return result


def _provenance(rules: list[Rule], classified: dict[ox.Triple, ox.NamedNode]) -> list[ox.Quad]:
    """Each rule described in its own graph; HermiT's triples each with a statement naming the axiom."""
    quads = []
    for rule in rules:
        quads += [
            ox.Quad(rule.graph, PROV_DERIVED, rule.iri, rule.graph),
            ox.Quad(rule.iri, RDF_TYPE, RULE_CLASS, rule.graph),
            *(ox.Quad(rule.iri, RDFS_LABEL, ox.Literal(text.strip(), language=lang), rule.graph)
              for text, lang in zip(rule.summary.split(" / ", 1), ("id", "en"))),
            ox.Quad(rule.iri, RDFS_COMMENT, ox.Literal(rule.description, language="en"), rule.graph),
            ox.Quad(rule.iri, RULE_FILE, ox.Literal(str(rule.path.relative_to(PROJECT_ROOT))), rule.graph),
        ]
    for triple, axiom in classified.items():
        quads.append(ox.Quad(triple.subject, triple.predicate, triple.object, HERMIT_GRAPH))
        # A content hash of the triple: the same inference always gets the same statement IRI.
        digest = hashlib.sha256(f"{triple.subject} {triple.predicate} {triple.object}".encode()).hexdigest()[:24]
        statement = ox.NamedNode(f"{ID}inference/{digest}")
        quads += [
            ox.Quad(statement, RDF_TYPE, RDF_STATEMENT, HERMIT_GRAPH),
            ox.Quad(statement, RDF_SUBJECT, triple.subject, HERMIT_GRAPH),
            ox.Quad(statement, RDF_PREDICATE, triple.predicate, HERMIT_GRAPH),
            ox.Quad(statement, RDF_OBJECT, triple.object, HERMIT_GRAPH),
            ox.Quad(statement, PROV_DERIVED, axiom, HERMIT_GRAPH),
        ]
    return quads
