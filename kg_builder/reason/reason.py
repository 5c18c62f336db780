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

from ..errors import InputError, Problem
from ..outputs.store import with_union
from ..paths import PROJECT_ROOT
from ..queries import parse_query_file
from .coordination import Coordination, FullCount, Patch, pairs_of_parties, rank_changes

__all__ = [
    "HERMIT_GRAPH",
    "INFERRED_PREFIX",
    "ConsistencyReport",
    "InconsistentGraph",
    "Inference",
    "InferenceChange",
    "apply_rules",
    "find_java",
    "hermit_consistency",
    "hermit_fits",
    "hermit_fits_shares",
    "infer",
    "infer_in_store",
    "inferred_graph",
    "inferred_graphs",
    "is_inferred",
    "load_rules",
    "reason_changes",
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
RDFS_SUB_CLASS_OF = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
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


def hermit_fits_shares(shares: list[Path]) -> bool:
    """Whether the curated graphs in these N-Quads files are few enough for HermiT (reads at most that many lines)."""
    lines = 0
    for share in shares:
        with share.open("rb") as handle:
            for _ in handle:
                lines += 1
                if lines > HERMIT_MAX_QUADS:
                    return False
    return True


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
    early = [rule for rule in rules if rule.name not in CONCLUDED_LAST]
    start = time.perf_counter()
    computed: dict[str, Coordination] = {}
    concluded: dict[str, list[ox.Quad]] = {}
    result.counts.update(apply_rules(store, early, coordination, computed, concluded, result.timings))
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
            nodes = {h for holdings in _holdings_of_posts((store,), nodes).values() for h in holdings}
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


# Incremental reasoning. A derivation that uses a changed triple binds the rule's variables to that
# triple's terms where the triple matches one of the rule's patterns, so re-running a rule with those
# variables bound (Oxigraph `substitutions`, pushed into the joins: about a millisecond a query at
# 1,000 meetings) finds every conclusion a change can add or take away. SEEDS says, per rule and per
# predicate its body reads, which variables a triple of that predicate binds (subject, object; None
# where the pattern's term is not a variable of the rule's outer query, e.g. an aggregate's input;
# "=IRI" where the pattern's object is that constant: a triple with another object binds nothing).
# A predicate whose seeds are None makes the rule recomputed whole; EXPANDED rules compute their
# bindings from the changed triples; tests/test_reason_changes.py checks every predicate of every rule is listed.
EGKG_P = EGKG
ORG_P = "http://www.w3.org/ns/org#"
SKOS_NOTATION = "http://www.w3.org/2004/02/skos/core#notation"
TYPE = RDF_TYPE.value
SEEDS: dict[str, dict[str, tuple[tuple[str | None, str | None], ...] | None]] = {
    "10-union-classes": {TYPE: (("node", "type"),)},
    "20-derived-parent-organizations": {
        EGKG_P + "level": (("org", None), ("parent", None)),
        EGKG_P + "jurisdiction": (("org", "region"), ("parent", "province")),
        TYPE: (("org", "class"), ("parent", "class")),
        EGKG_P + "parentRegion": (("region", "province"),),
    },
    # A closure: a changed link inside a chain binds neither end; EXPANDED binds every node below it.
    "30-transitive-sub-organizations": {ORG_P + "subOrganizationOf": (("org", None),)},
    "50-forkopimda-seats": {
        TYPE: (("forum", "=" + EGKG_P + "Forum"), ("post", "=" + EGKG_P + "Post")),
        EGKG_P + "jurisdiction": ((None, "region"),),  # the forum's, the post's, or the post's institution's
        EGKG_P + "postIn": (("post", None),),
        EGKG_P + "officeType": (("post", None),),
    },
    "60-holding-intervals": {EGKG_P + "attestedOn": (("holding", None),)},
    "70-acting-spells": {
        EGKG_P + "post": (("definitiveHolding", "post"), ("actingHolding", "post")),
        EGKG_P + "holder": (("definitiveHolding", "holder"), ("actingHolding", "stand")),
        EGKG_P + "appointmentKind": (("definitiveHolding", None), ("actingHolding", None)),
        EGKG_P + "attestedOn": (("definitiveHolding", None), ("actingHolding", None)),
    },
    "80-inverse-properties": {
        EGKG_P + "holder": (("holding", "person"),),
        EGKG_P + "participant": (("participation", "party"),),
        ORG_P + "subOrganizationOf": (("child", "parent"),),
    },
}
# A variable every branch of a rule's body gives one of a few values of a predicate: a binding of it
# to a node with none of them (before or now) finds nothing, so it is not run. Rule 20 bound to a
# provincial institution as ?parent took 70 ms at 1,000 meetings; to a person, as long for nothing.
LEVEL = "https://w3id.org/egkg/vocab/administrative-level/"
GUARDS: dict[str, dict[str, tuple[str, frozenset[str]]]] = {
    "20-derived-parent-organizations": {
        "org": (EGKG_P + "level", frozenset({LEVEL + "regency", LEVEL + "province"})),
        "parent": (EGKG_P + "level", frozenset({LEVEL + "province", LEVEL + "national"})),
    },
}
# Predicates the rules read that no record file states (the ontology, the vocabularies' notations):
# a change to one of them is a change of the static graphs, which rebuilds everything.
STATIC_PREDICATES = {
    "http://www.w3.org/2002/07/owl#equivalentClass", "http://www.w3.org/2002/07/owl#unionOf",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest", "http://www.w3.org/1999/02/22-rdf-syntax-ns#first",
    "http://www.w3.org/2000/01/rdf-schema#subClassOf", SKOS_NOTATION,
}
# What each rule's template concludes, by predicate: (subject variable, object variable), to ask
# whether a conclusion some change took away still follows another way.
TEMPLATES: dict[str, dict[str, tuple[tuple[str, str], ...]]] = {
    "10-union-classes": {TYPE: (("node", "union"),)},
    "20-derived-parent-organizations": {ORG_P + "subOrganizationOf": (("org", "parent"),)},
    "30-transitive-sub-organizations": {ORG_P + "transitiveSubOrganizationOf": (("org", "ancestor"),)},
    "50-forkopimda-seats": {EGKG_P + "hasSeat": (("forum", "post"),)},
    # The variables the template's are computed from (an aggregate's group, an IF's inputs): a
    # computed variable cannot be bound beforehand.
    "60-holding-intervals": {EGKG_P + "firstAttested": (("holding", None),),
                             EGKG_P + "lastAttested": (("holding", None),)},
    "70-acting-spells": {EGKG_P + "temporarilyReplaces": (("actingHolding", "definitiveHolding"),),
                         EGKG_P + "replaces": (("actingHolding", "definitiveHolding"),)},
    "80-inverse-properties": {EGKG_P + "holds": (("person", "holding"),),
                              EGKG_P + "participatesIn": (("party", "participation"),),
                              ORG_P + "hasSubOrganization": (("parent", "child"),)},
}


# Rules whose body is a UNION of single triple patterns each giving one template triple (inverses).
# Binding a variable of one branch would give the other branches' rows the bound value in the
# template, concluding what no triple says; such a rule's change is read off the changed triples.
INVERSES = {
    "80-inverse-properties": {EGKG_P + "holder": EGKG_P + "holds", EGKG_P + "participant": EGKG_P + "participatesIn",
                              ORG_P + "subOrganizationOf": ORG_P + "hasSubOrganization"},
}


POST = ox.NamedNode(EGKG + "post")


def _holdings_of_posts(stores: tuple[ox.Store, ...], nodes: set) -> dict[ox.Term, set[ox.Term]]:
    """The holdings of every post among `nodes` or held through a holding among them, before and now."""
    posts = {n for n in nodes if any(next(s.quads_for_pattern(None, POST, n, ox.DefaultGraph()), None) for s in stores)}
    posts |= {q.object for s in stores for n in nodes for q in s.quads_for_pattern(n, POST, None, ox.DefaultGraph())}
    return {post: {q.subject for s in stores for q in s.quads_for_pattern(None, POST, post, ox.DefaultGraph())}
            for post in posts}


def _holding_pairs(stores: tuple[ox.Store, ...], read: set[ox.Triple]) -> list[dict[ox.Variable, ox.Term]]:
    """Rule 70 pairs two holdings of one post, and a changed triple of 70's is about a holding (or names
    its post): every ordered pair of holdings sharing a post with one. With both holdings bound Oxigraph
    answers in half a millisecond at 1,000 meetings; with one, its other aggregate ran over every holding (80 ms)."""
    nodes = {t.subject for t in read} | {t.object for t in read if t.predicate == POST}
    return [{ox.Variable("definitiveHolding"): a, ox.Variable("actingHolding"): b, ox.Variable("post"): post}
            for post, holdings in _holdings_of_posts(stores, nodes).items()
            for a in holdings for b in holdings if a != b]


SUB_ORGANIZATION_OF = ox.NamedNode(ORG_P + "subOrganizationOf")


def _below(stores: tuple[ox.Store, ...], read: set[ox.Triple]) -> list[dict[ox.Variable, ox.Term]]:
    """Rule 30's closure through a changed link reaches every institution at or below its lower end, before or now."""
    todo, seen = [t.subject for t in read], set()
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo += [q.subject for s in stores
                     for q in s.quads_for_pattern(None, SUB_ORGANIZATION_OF, node, ox.DefaultGraph())]
    return [{ox.Variable("org"): node} for node in sorted(seen, key=str)]


# Rules whose bindings are computed from the changed triples rather than read off each one.
EXPANDED = {"30-transitive-sub-organizations": _below, "70-acting-spells": _holding_pairs}


@dataclass
class InferenceChange:
    """What an incremental build changes in the inferred graphs: quads taken out and put in."""

    removed: list[ox.Quad] = field(default_factory=list)
    added: list[ox.Quad] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    coordination: Coordination | None = None  # the new participation table, for the next build


def reason_changes(store: ox.Store, previous: ox.Store, changed: set[str], origins: dict,
                   coordination: Patch) -> InferenceChange:
    """Bring the inferred graphs of `store` up to date after the source graphs `changed` were replaced.

    `store` holds the new curated graphs and, still, the previous release's inferred graphs (a patched
    checkpoint: store.patch_store without the inferred graphs in its drop set); `previous` is that
    release's store, read only. Only conclusions a changed triple can reach are recomputed, and only
    the nodes a change touches are checked; raises InconsistentGraph as `infer` does. `coordination`
    holds the previous release's participation table (without one, reason whole). HermiT does not
    run: a graph small enough for it is reasoned whole (`hermit_fits_shares`). The returned change
    is applied to `store` already.
    """
    change = InferenceChange()
    curated_graphs = set(changed)
    removed, added = _curated_changes(store, previous, curated_graphs)
    rules = load_rules()
    for rule in rules:
        start = time.perf_counter()
        if rule.computed:
            gone, new, change.coordination, recounted = _coordination_change(store, rule.graph, coordination)
            _apply(store, rule.graph, gone, new, change)
            moved = _pairs_to_rank(store, rule.graph, recounted, removed | added)
            _apply(store, rule.graph, *rank_changes(store, rule.graph, moved, previous), change)  # a recount moves other pairs' ranks
        else:
            gone, new = _rule_change(store, previous, rule, removed, added)
            _apply(store, rule.graph, gone, new, change)
            removed |= gone
            added |= {q.triple for q in new}
        change.timings[f"rule {rule.name}"] = time.perf_counter() - start
    start = time.perf_counter()
    touched = {term for triple in removed | added for term in (triple.subject, triple.object)
               if isinstance(term, ox.NamedNode) and term.value.startswith(ID)}
    touched |= {ox.NamedNode(graph) for graph in changed}  # for the checks about a source's own graph
    run_checks(store, origins, change.timings, touched=touched)
    change.timings["consistency checks"] = time.perf_counter() - start
    return change


def _curated_changes(store: ox.Store, previous: ox.Store, graphs: set[str]) -> tuple[set[ox.Triple], set[ox.Triple]]:
    """Triples the curated graphs stated before and no longer state, and the reverse."""
    before = {q.triple for g in graphs for q in previous.quads_for_pattern(None, None, None, ox.NamedNode(g))}
    after = {q.triple for g in graphs for q in store.quads_for_pattern(None, None, None, ox.NamedNode(g))}
    removed = {t for t in before - after if not _stated(store, t)}
    added = {t for t in after - before if not _stated(previous, t, skip=graphs)}
    return removed, added


def _stated(store: ox.Store, triple: ox.Triple, skip: set[str] = frozenset()) -> bool:
    """Whether a curated graph of `store` (other than `skip`) states `triple`."""
    return any(isinstance(q.graph_name, ox.NamedNode) and not is_inferred(q.graph_name)
               and q.graph_name.value not in skip
               for q in store.quads_for_pattern(triple.subject, triple.predicate, triple.object, None))


def _rule_change(store: ox.Store, previous: ox.Store, rule: Rule, removed: set[ox.Triple],
                 added: set[ox.Triple]) -> tuple[set[ox.Triple], list[ox.Quad]]:
    """The triples `rule`'s graph loses and the quads it gains, given the union's changes so far."""
    changes = removed | added
    seeds = SEEDS[rule.name]
    if any(t.predicate.value in STATIC_PREDICATES for t in changes):
        raise ValueError("a static graph changed: rebuild everything")  # build.py plans a full build then
    read = {t for t in changes if t.predicate.value in seeds}
    if any(seeds[t.predicate.value] is None for t in read):  # the whole rule again
        held = {q.triple for p in TEMPLATES[rule.name]
                for q in store.quads_for_pattern(None, ox.NamedNode(p), None, rule.graph)
                if q.subject != rule.graph and q.subject != rule.iri}  # the conclusions, not the rule's description
        derived = set(_construct(store, rule.text, None))
        gone = {t for t in held if t not in derived or _earlier(store, t, rule.graph)}
        new = [ox.Quad(t.subject, t.predicate, t.object, rule.graph) for t in sorted(derived - held, key=str)
               if not _earlier(store, t, rule.graph)]
        return gone, new
    if rule.name in INVERSES:
        inverse = INVERSES[rule.name]
        flipped = {t: ox.Triple(t.object, ox.NamedNode(inverse[t.predicate.value]), t.subject) for t in read}
        before = {f for t, f in flipped.items() if ox.Quad(t.subject, t.predicate, t.object) in previous}
        now = {f for t, f in flipped.items() if ox.Quad(t.subject, t.predicate, t.object) in store}
        gone = {t for t in (before - now) | added if _holds(store, t, rule.graph)}
        new = [ox.Quad(t.subject, t.predicate, t.object, rule.graph) for t in sorted(now, key=str)
               if not _holds(store, t, rule.graph) and not _earlier(store, t, rule.graph)]
        return gone, new
    if rule.name in EXPANDED:
        bindings = EXPANDED[rule.name]((previous, store), read)
    else:
        bindings = [b for t in read for b in _bindings(seeds[t.predicate.value], t)]
        bindings = [b for b in bindings if _may_match(rule, b, (previous, store))]
    before = set(_construct(previous, rule.text, bindings))
    now = set(_construct(store, rule.text, bindings))
    # A conclusion found before through a changed triple may still follow through an unchanged one;
    # and a conclusion the union held (stated, or concluded by an earlier rule) and lost may be the rule's now.
    doubtful = (before - now) | {t for t in removed if t.predicate.value in TEMPLATES[rule.name]}
    template = [b for t in doubtful for b in _bindings(TEMPLATES[rule.name].get(t.predicate.value, ()), t)]
    now |= set(_construct(store, rule.text, template)) & (doubtful | now)
    gone = {t for t in (doubtful - now) | added if _holds(store, t, rule.graph)}
    new = [ox.Quad(t.subject, t.predicate, t.object, rule.graph) for t in sorted(now, key=str)
           if not _holds(store, t, rule.graph) and not _earlier(store, t, rule.graph)]
    return gone, new


def _may_match(rule: Rule, binding: dict[ox.Variable, ox.Term], stores: tuple[ox.Store, ...]) -> bool:
    """False when a guarded variable is bound to a node lacking its guard's values in every store."""
    for variable, node in binding.items():
        guard = GUARDS.get(rule.name, {}).get(variable.value)
        if guard and not any(q.object.value in guard[1] for s in stores
                             for q in s.quads_for_pattern(node, ox.NamedNode(guard[0]), None, ox.DefaultGraph())):
            return False
    return True


def _holds(store: ox.Store, triple: ox.Triple, graph: ox.NamedNode) -> bool:
    return ox.Quad(triple.subject, triple.predicate, triple.object, graph) in store


def _bindings(seeds, triple: ox.Triple) -> list[dict[ox.Variable, ox.Term]]:
    found = []
    for subject_var, object_var in seeds:
        if object_var and object_var.startswith("="):
            if triple.object.value != object_var[1:]:
                continue
            object_var = None
        binding = {}
        if subject_var:
            binding[ox.Variable(subject_var)] = triple.subject
        if object_var:
            binding[ox.Variable(object_var)] = triple.object
        found.append(binding)
    return found


def _construct(store: ox.Store, text: str, bindings: list[dict] | None):
    """The rule's conclusions: all of them (None), or those each binding reaches."""
    if bindings is None:
        yield from store.query(text)
        return
    seen = set()
    for binding in bindings:
        key = tuple(sorted((k.value, str(v)) for k, v in binding.items()))
        if key not in seen:
            seen.add(key)
            yield from store.query(text, substitutions=binding)


def _earlier(store: ox.Store, triple: ox.Triple, rule_graph: ox.NamedNode) -> bool:
    """Whether a curated graph or an earlier rule's graph holds `triple` (then the rule does not conclude it).

    Rule graphs are named after the rule files, so name order is rule order; the rules concluded
    last conclude predicates no other rule does, so their place makes no difference here.
    """
    for quad in store.quads_for_pattern(triple.subject, triple.predicate, triple.object, None):
        graph = quad.graph_name
        if isinstance(graph, ox.NamedNode) and (not is_inferred(graph) or graph.value < rule_graph.value):
            return True
    return False


def _apply(store: ox.Store, graph: ox.NamedNode, gone: set[ox.Triple], new: list[ox.Quad],
           change: InferenceChange) -> None:
    """Take `gone` out of `graph` (and of the union where no other graph holds it), put `new` in."""
    for triple in sorted(gone, key=str):
        quad = ox.Quad(triple.subject, triple.predicate, triple.object, graph)
        store.remove(quad)
        change.removed.append(quad)
        if not any(isinstance(q.graph_name, ox.NamedNode)
                   for q in store.quads_for_pattern(triple.subject, triple.predicate, triple.object, None)):
            store.remove(ox.Quad(triple.subject, triple.predicate, triple.object))
    store.extend(with_union(new))
    change.added += new


def _coordination_change(store: ox.Store, graph: ox.NamedNode, patch: Patch):
    """The coordination quads of the pairs a changed source touches: the previous ones out, recounted ones in."""
    from .coordination import (
        COORDINATED_WITH,
        RANKS,
        Participations,
        coordination_quads,
        count_pairs,
        participations_in,
    )

    fresh = participations_in(store, patch.changed)
    table = Participations({g: rows for g, rows in patch.previous.by_graph.items() if g not in patch.changed}
                           | fresh.by_graph)
    before, after = patch.previous.parties_by_meeting(), table.parties_by_meeting()
    recount = set()
    for meeting in patch._touched_meetings(fresh):
        ordered = sorted(before.get(meeting, set()) | after.get(meeting, set()))
        recount.update((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:])
    gone = set()
    for a, b in recount:
        node = ox.NamedNode(f"{ID}coordination/{a.split('/egkg/id/', 1)[-1]}/{b.split('/egkg/id/', 1)[-1]}")
        gone |= {q.triple for q in store.quads_for_pattern(node, None, None, graph)}
        for x, y in ((a, b), (b, a)):
            gone |= {q.triple
                     for q in store.quads_for_pattern(ox.NamedNode(x), COORDINATED_WITH, ox.NamedNode(y), graph)}
    pairs = count_pairs(table, recount)
    gone = {t for t in gone if t.predicate not in RANKS}  # the ranks are redone among all pairs (rank_changes)
    new = [q for q in dict.fromkeys(coordination_quads(pairs.values(), graph, ranked=False))
           if not _earlier(store, q.triple, graph)]
    unchanged = gone & {q.triple for q in new}
    new = [q for q in new if q.triple not in unchanged]
    return gone - unchanged, new, Coordination(new, table, len(recount), len(pairs)), recount


def _pairs_to_rank(store: ox.Store, graph: ox.NamedNode, recounted: set[tuple[str, str]],
                   changes: set[ox.Triple]) -> set[tuple[str, str]] | None:
    """The pairs whose place may have moved: those recounted, and those of a party whose kind may have
    changed (a type of it came or went in the union). None (rank every pair) when a class hierarchy changed."""
    if any(t.predicate == RDFS_SUB_CLASS_OF for t in changes):
        return None
    retyped = {t.subject.value for t in changes if t.predicate == RDF_TYPE and isinstance(t.subject, ox.NamedNode)}
    return recounted | pairs_of_parties(store, graph, retyped)
