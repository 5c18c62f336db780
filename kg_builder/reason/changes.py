"""Incremental reasoning: the inferred graphs brought up to date in the store after some source graphs changed."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..outputs.store import with_union
from .checks import run_checks
from .coordination import Coordination, Patch, pairs_of_parties, rank_changes
from .rules import ID, RDF_TYPE, Rule, is_inferred, load_rules
from .seeds import EXPANDED, GUARDS, INVERSES, SEEDS, STATIC_PREDICATES, TEMPLATES

__all__ = ["InferenceChange", "reason_changes"]

RDFS_SUB_CLASS_OF = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")


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
        raise ValueError("a static graph changed: rebuild everything")  # pipeline/incremental.py plans a full build then
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
    touched = patch.touched_meetings(fresh)
    before, after = patch.previous.parties_at(touched), table.parties_at(touched)  # not every meeting's
    recount = set()
    for meeting in touched:
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
