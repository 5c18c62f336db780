"""Reasoning: SPARQL rules and HermiT (owlready2) derive the inferred graph, with PROV-O provenance.

The curated graphs are never changed. Rules in ontology/rules/ run first (in file order, each seeing
the ones before); HermiT then classifies individuals with the ontology's class definitions. Every
inferred triple is traced to the rule or class axiom that produced it, and the whole graph is
checked for consistency (HermiT plus queries/checks) before anything is written.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from .coordination import Coordination, FullCount, Patch
from .errors import InputError, Problem
from .paths import PROJECT_ROOT
from .queries import parse_query_file
from .store import with_union

__all__ = [
    "HERMIT_GRAPH",
    "INFERRED_PREFIX",
    "ConsistencyReport",
    "InconsistentGraph",
    "Inference",
    "apply_rules",
    "find_java",
    "hermit_consistency",
    "hermit_fits",
    "infer",
    "infer_in_store",
    "inferred_graph",
    "inferred_graphs",
    "is_inferred",
    "load_rules",
    "run_checks",
]

ID = "https://w3id.org/egkg/id/"
EGKG = "https://w3id.org/egkg/ontology#"
# Each rule's conclusions go into a graph of their own, which names the rule: one quad per
# inferred triple. (A statement per triple cost five more; at 1,000 meetings that was 1.5 M quads.)
INFERRED_PREFIX = ID + "graph/inferred/"
RULES_DIR = PROJECT_ROOT / "ontology" / "rules"
CHECKS_DIR = PROJECT_ROOT / "queries" / "checks"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
RDF_STATEMENT = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement")
RDF_SUBJECT = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#subject")
RDF_PREDICATE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate")
RDF_OBJECT = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#object")
RDFS_LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
RDFS_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
PROV_DERIVED = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
RULE_CLASS = ox.NamedNode(EGKG + "Rule")
RULE_FILE = ox.NamedNode(EGKG + "ruleFile")
# What HermiT does not need to classify: the gazetteer, quotes and page furniture.
SKIPPED_GRAPHS = {ID + "graph/gazetteer"}
SKIPPED_SUBJECTS = (ID + "evidence/", ID + "furniture/")
SKIPPED_PREDICATES = {EGKG + "evidence", EGKG + "quote"}


@dataclass(frozen=True)
class ConsistencyReport:
    """What HermiT said: consistent or not, and the unsatisfiable classes it found."""

    consistent: bool
    unsatisfiable: tuple[str, ...]
    message: str = ""


class InconsistentGraph(Exception):
    """The curated graph plus what follows from it contradicts the ontology or a data-quality rule."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.render() for p in problems))


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


# HermiT took 57 s on about ten synthetic meetings (11,500 quads with the ontology and gazetteer)
# and did not finish S in 10 min (BENCHMARKS.md); the five curated articles are 8,600 quads.
HERMIT_MAX_QUADS = 12_000


def hermit_fits(curated_quads: int) -> bool:
    """Whether HermiT classifies a graph of this many curated quads in about a minute."""
    return curated_quads <= HERMIT_MAX_QUADS


@dataclass
class Inference:
    """The inferred graph's quads, how many triples each rule or axiom gave, and what was left out."""

    quads: list[ox.Quad] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    skipped: str = ""  # why HermiT did not run, when it did not
    coordination: Coordination | None = None  # the pairs' table, kept for the next incremental build


def find_java() -> str:
    """The java executable owlready2 should run; a clear error when there is none."""
    java = shutil.which("java")
    if java is None:
        raise InputError(
            "no Java runtime found; the reasoners (HermiT, Pellet) need Java 11+: "
            "run `make java` (installs default-jre-headless) or use `egkg build --no-reason`",
            file="java",
        )
    return java


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


def infer_in_store(store: ox.Store, origins: dict, curated: list[ox.Quad] | None) -> Inference:
    """`infer` inside a store that holds the curated graphs and their union, which keeps the conclusions.

    A chunked build reasons this way in its on-disk store, so the curated graph is never copied
    into memory. `curated` is given only when it is small enough for HermiT.
    """
    return _reason(store, origins, curated, None, FullCount())


def _reason(store: ox.Store, origins: dict, curated: list[ox.Quad] | None, hermit: bool | None,
            coordination: FullCount | Patch) -> Inference:
    """Rules, HermiT when it fits, checks and provenance in `store`, which holds no inferred graph yet."""
    result = Inference()
    rules = load_rules()
    start = time.perf_counter()
    computed: dict[str, Coordination] = {}
    concluded: dict[str, list[ox.Quad]] = {}
    result.counts.update(apply_rules(store, rules, coordination, computed, concluded, result.timings))
    result.coordination = computed.get("40-coordination")
    result.timings["rules"] = time.perf_counter() - start
    if hermit is None:
        hermit = curated is not None and hermit_fits(len(curated))
        if not hermit:
            result.skipped = (f"HermiT skipped: more than {HERMIT_MAX_QUADS:,} curated quads (it would take minutes "
                              "to hours); the SPARQL rules and consistency checks ran")
    classified: dict[ox.Triple, ox.NamedNode] = {}
    if hermit and curated is not None:
        start = time.perf_counter()
        for triple, axiom in _hermit_classify(curated, store, origins).items():
            if ox.Quad(triple.subject, triple.predicate, triple.object) not in store:  # not asserted nor ruled
                classified[triple] = axiom
                name = axiom.value.removeprefix(EGKG)
                result.counts[name] = result.counts.get(name, 0) + 1
        store.bulk_extend(with_union(ox.Quad(t.subject, t.predicate, t.object, HERMIT_GRAPH) for t in classified))
        result.timings["HermiT"] = time.perf_counter() - start
    start = time.perf_counter()
    run_checks(store, origins, result.timings)
    result.timings["consistency checks"] = time.perf_counter() - start
    provenance = _provenance(rules, classified)
    store.bulk_extend(with_union(provenance))
    # The rules' conclusions as concluded (each new to the union, so each once) rather than read back
    # from the store: at 1,000 meetings reading 0.9 M quads back cost 13 s. HermiT's graph, small and
    # written twice (the triple, then its statement with it), is read back.
    result.quads = [*(q for rule in rules for q in concluded[rule.name]),
                    *(q for q in provenance if q.graph_name != HERMIT_GRAPH),
                    *store.quads_for_pattern(None, None, None, HERMIT_GRAPH)]
    return result


def apply_rules(store: ox.Store, rules: list[Rule], coordination: FullCount | Patch | None = None,
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
            if rule.computed:
                found = (coordination or FullCount()).conclude(store, rule.graph)
                conclusions = found.quads
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
        counts[rule.name] = earlier + len(conclusions)
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


def _hermit_input(quads: list[ox.Quad]) -> bytes:
    """The ontology and the curated facts HermiT needs, as N-Triples (owlready2 reads no Turtle)."""
    keep = []
    for quad in quads:
        if quad.graph_name.value in SKIPPED_GRAPHS or quad.predicate.value in SKIPPED_PREDICATES:
            continue
        if isinstance(quad.subject, ox.NamedNode) and quad.subject.value.startswith(SKIPPED_SUBJECTS):
            continue
        keep.append(quad.triple)
    return ox.serialize(sorted(set(keep), key=str), format=ox.RdfFormat.N_TRIPLES)


def _hermit_classify(quads: list[ox.Quad], store: ox.Store, origins: dict) -> dict[ox.Triple, ox.NamedNode]:
    """rdf:type triples HermiT infers for our individuals, each with the class whose axiom fired."""
    import owlready2  # imported here: owlready2 sets up its quadstore at import time

    with tempfile.TemporaryDirectory(prefix="egkg-reason-") as tmp:
        try:
            world, inferred = _run_hermit(_hermit_input(quads), Path(tmp))
        except owlready2.OwlReadyInconsistentOntologyError:
            raise InconsistentGraph(_explain_inconsistency(store, origins)) from None
        candidates = []
        parents: dict[str, set[str]] = {}
        for s, p, o in world.as_rdflib_graph().get_context(inferred):
            subject, predicate, obj = str(s), str(p), str(o)
            if predicate == RDF_TYPE.value and subject.startswith(ID) and obj.startswith(EGKG):
                candidates.append((ox.NamedNode(subject), ox.NamedNode(obj)))
            elif predicate.endswith("#subClassOf") and subject.startswith(EGKG) and obj.startswith(EGKG):
                parents.setdefault(subject, set()).add(obj)
        world.close()
    # owlready2 reports only the most specific types; add the defined superclasses HermiT proved
    # (an acting regional head is an acting official; a regional-head post is a Forkopimda seat).
    for node, cls in list(candidates):
        todo, seen = [cls.value], set()
        while todo:
            for parent in parents.get(todo.pop(), ()):
                if parent not in seen:
                    seen.add(parent)
                    todo.append(parent)
                    candidates.append((node, ox.NamedNode(parent)))
    # Keep what is new: drop types the asserted types already give through rdfs:subClassOf
    # (HermiT saw no gazetteer, so it re-derives "region/74 is a Region" from property ranges).
    known = EXPLAIN_KNOWN_TYPE
    return {
        ox.Triple(node, RDF_TYPE, cls): cls
        for node, cls in candidates
        if not store.query(known, substitutions={ox.Variable("node"): node, ox.Variable("cls"): cls})
    }


EXPLAIN_KNOWN_TYPE = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
ASK { ?node a ?asserted . ?asserted rdfs:subClassOf* ?cls }
"""


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


def _explain_inconsistency(store: ox.Store, origins: dict) -> list[Problem]:
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


def run_checks(store: ox.Store, origins: dict, timings: dict[str, float] | None = None) -> None:
    """queries/checks/*-violation.rq over data plus inferences; any row makes the graph inconsistent.

    `timings` receives each check's seconds as "check <file name>".
    """
    problems = []
    for path in sorted(CHECKS_DIR.glob("*-violation.rq")):
        start = time.perf_counter()
        check = parse_query_file(path)
        solutions = store.query(check.text)
        columns = [v.value for v in solutions.variables]
        for row in solutions:
            values = [row[c].value for c in columns if row[c] is not None]
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


def _run_hermit(ntriples: bytes, tmp: Path, memory_mb: int = 2000):
    """Load N-Triples into a fresh owlready2 world and classify with HermiT; returns (world, inferred).

    Raises owlready2.OwlReadyInconsistentOntologyError (after closing the world) when inconsistent.
    """
    import owlready2

    owlready2.JAVA_EXE = find_java()
    owlready2.reasoning.JAVA_MEMORY = memory_mb
    path = tmp / "input.nt"
    path.write_bytes(ntriples)
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    inferred = world.get_ontology(HERMIT_GRAPH.value)
    try:
        with inferred:
            # xsd:date and xsd:gYear are outside the OWL 2 datatype map; HermiT must skip them.
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0,
                                           ignore_unsupported_datatypes=True)
    except owlready2.OwlReadyInconsistentOntologyError:
        world.close()
        raise
    return world, inferred


def hermit_consistency(graph: Graph, *, memory_mb: int = 2000) -> ConsistencyReport:
    """Load `graph` into a fresh owlready2 world and ask HermiT whether it is consistent."""
    import owlready2

    with tempfile.TemporaryDirectory(prefix="egkg-owl-") as tmp:
        try:
            world, _ = _run_hermit(graph.serialize(format="nt", encoding="utf-8"), Path(tmp), memory_mb)
        except owlready2.OwlReadyInconsistentOntologyError:
            return ConsistencyReport(False, (), "inconsistent")
        unsatisfiable = tuple(sorted(cls.iri for cls in world.inconsistent_classes()))
        world.close()
        return ConsistencyReport(not unsatisfiable, unsatisfiable)
