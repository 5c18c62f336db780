"""Coordination pairs counted in Python from the participation table, and patched when a few sources change.

ontology/rules/40-coordination.rq states what is concluded (and tests/test_coordination.py checks that
this module concludes exactly that); running it as SPARQL joins every participation with every other
one of the same meeting, which at 10,000 meetings took minutes, where counting pairs here takes about
a second. The conclusions keep the rule's graph, IRIs and shape, so the outputs are the same bytes.
"""

from __future__ import annotations

import pickle
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

__all__ = [
    "TOP_RANKED",
    "Coordination",
    "FullCount",
    "Kinds",
    "Pair",
    "Participations",
    "Patch",
    "coordination_quads",
    "count_pairs",
    "kinds_in",
    "kinds_of",
    "known_triples",
    "load_participations",
    "pairs_of_parties",
    "participations_in",
    "rank_changes",
    "ranks",
    "save_participations",
    "share_part",
]

ID = "https://w3id.org/egkg/id/"
EGKG = "https://w3id.org/egkg/ontology#"
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
MEETING = ox.NamedNode(EGKG + "meeting")
PARTICIPANT = ox.NamedNode(EGKG + "participant")
START_DATE = ox.NamedNode(EGKG + "startDate")
COORDINATION = ox.NamedNode(EGKG + "Coordination")
COORDINATED_WITH = ox.NamedNode(EGKG + "coordinatedWith")
PARTY = ox.NamedNode(EGKG + "party")
SHARED_COUNT = ox.NamedNode(EGKG + "sharedCount")
FIRST_DATE = ox.NamedNode(EGKG + "firstDate")
LAST_DATE = ox.NamedNode(EGKG + "lastDate")
SHARED_MEETING = ox.NamedNode(EGKG + "sharedMeeting")
PERSON = ox.NamedNode(EGKG + "Person")
ORGANIZATION = ox.NamedNode(EGKG + "Organization")
OFFICE_HOLDER_GROUP = ox.NamedNode(EGKG + "OfficeHolderGroup")
SUB_CLASS_OF = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#subClassOf")
# A pair's place in the pair question's order (most shared meetings first, then a, then b), among all
# pairs and among pairs of its kind: the question keeps rank <= its limit before it labels anything.
RANK = ox.NamedNode(EGKG + "rankAmongPairs")
PERSON_RANK = ox.NamedNode(EGKG + "rankAmongPersonPairs")
INSTITUTION_RANK = ox.NamedNode(EGKG + "rankAmongInstitutionPairs")
RANKS = (RANK, PERSON_RANK, INSTITUTION_RANK)
TOP_RANKED = 1000  # places kept exactly; the header of who-coordinated-with-whom allows top up to this
CONCLUDED_PREDICATES = (COORDINATED_WITH, PARTY, SHARED_COUNT, FIRST_DATE, LAST_DATE, SHARED_MEETING, *RANKS)
SHARE_PARTS = 512  # the rule's share of egkg.nq is cut into this many parts (and one for the top's places)
RANK_TEXTS = tuple(f"<{ranking.value}>" for ranking in RANKS)
TABLE_FILE = "coordination.pickle"  # in a release's cache/, read by the next incremental build


@dataclass(frozen=True)
class SourceRows:
    """What one source graph says that coordination depends on: who took part in which meeting, and when it began."""

    attended: frozenset[tuple[str, str]]  # (meeting IRI, party IRI)
    dated: frozenset[tuple[str, ox.Literal]]  # (meeting IRI, start date)


@dataclass
class Participations:
    """The participation table, kept per source graph so that changed sources can be swapped out."""

    by_graph: dict[str, SourceRows] = field(default_factory=dict)

    def parties_by_meeting(self) -> dict[str, set[str]]:
        """Each meeting's parties."""
        return self._parties_where(lambda meeting, party: True)

    def dates_by_meeting(self, meetings: set[str] | None = None) -> dict[str, set[ox.Literal]]:
        """Each meeting's start dates (only those of `meetings` when given)."""
        dates: dict[str, set[ox.Literal]] = {}
        for rows in self.by_graph.values():
            for meeting, date in rows.dated:
                if meetings is None or meeting in meetings:
                    dates.setdefault(meeting, set()).add(date)
        return dates

    def parties_at(self, meetings: set[str]) -> dict[str, set[str]]:
        """The parties of `meetings` only: what a recount needs, without a set per meeting of the whole table."""
        return self._parties_where(lambda meeting, party: meeting in meetings)

    def meetings_with(self, parties: set[str]) -> dict[str, set[str]]:
        """Meeting -> those of `parties` that took part in it, for the meetings any of them took part in."""
        return self._parties_where(lambda meeting, party: party in parties)

    def _parties_where(self, keep: Callable[[str, str], bool]) -> dict[str, set[str]]:
        """Meeting -> its parties, of the (meeting, party) rows `keep` accepts."""
        found: dict[str, set[str]] = {}
        for rows in self.by_graph.values():
            for meeting, party in rows.attended:
                if keep(meeting, party):
                    found.setdefault(meeting, set()).add(party)
        return found


@dataclass(frozen=True)
class Pair:
    """Two parties (a before b by IRI) and the meetings both took part in."""

    a: str
    b: str
    meetings: tuple[str, ...]  # every shared meeting, dated or not (as the rule's sharedMeeting)
    count: int  # shared meetings that have a start date (as the rule's COUNT over dated meetings)
    first: ox.Literal
    last: ox.Literal

    @property
    def node(self) -> ox.NamedNode:
        # The rule's IRI: coordination/<a's path under id/>/<b's path under id/>.
        return ox.NamedNode(f"{ID}coordination/{_under_id(self.a)}/{_under_id(self.b)}")


def _under_id(iri: str) -> str:
    return iri.split("/egkg/id/", 1)[1] if "/egkg/id/" in iri else ""  # SPARQL STRAFTER


def participations_in(store: ox.Store, graphs: Iterable[str] | None = None) -> Participations:
    """The participation table of `graphs` (default: every named graph that is not inferred) in `store`."""
    wanted = None if graphs is None else set(graphs)
    meeting_of: dict[tuple[str, str], str] = {}  # (graph, participation) -> meeting
    for quad in _named_quads(store, MEETING, wanted):
        meeting_of[(quad.graph_name.value, quad.subject.value)] = quad.object.value
    attended: dict[str, set[tuple[str, str]]] = {}
    for quad in _named_quads(store, PARTICIPANT, wanted):
        graph = quad.graph_name.value
        meeting = meeting_of.get((graph, quad.subject.value))
        if meeting is not None:
            attended.setdefault(graph, set()).add((meeting, quad.object.value))
    dated: dict[str, set[tuple[str, ox.Literal]]] = {}
    for quad in _named_quads(store, START_DATE, wanted):
        dated.setdefault(quad.graph_name.value, set()).add((quad.subject.value, quad.object))
    return Participations({
        graph: SourceRows(frozenset(attended.get(graph, ())), frozenset(dated.get(graph, ())))
        for graph in sorted(attended.keys() | dated.keys())
    })


def _named_quads(store: ox.Store, predicate: ox.NamedNode, graphs: set[str] | None):
    from .rules import is_inferred  # rules imports this module

    if graphs is None:
        for quad in store.quads_for_pattern(None, predicate, None, None):
            if isinstance(quad.graph_name, ox.NamedNode) and not is_inferred(quad.graph_name):
                yield quad
        return
    for graph in sorted(graphs):
        yield from store.quads_for_pattern(None, predicate, None, ox.NamedNode(graph))


def count_pairs(table: Participations, only: set[tuple[str, str]] | None = None) -> dict[tuple[str, str], Pair]:
    """Every pair of parties sharing a dated meeting (or only the pairs in `only`), with counts and dates."""
    if only is None:
        parties_of = table.parties_by_meeting()
        dates_of = table.dates_by_meeting()
    else:
        # Only the meetings of the recounted pairs' parties, seen through those parties: an edit
        # recounts a few hundred pairs, and pairing every meeting's parties at M took 1.2 s.
        parties_of = table.meetings_with({party for pair in only for party in pair})
        dates_of = table.dates_by_meeting(set(parties_of))
    shared: dict[tuple[str, str], list[str]] = {}
    for meeting, parties in parties_of.items():
        ordered = sorted(parties)  # code-point order, as the rule's STR(?a) < STR(?b)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                if only is None or (a, b) in only:
                    shared.setdefault((a, b), []).append(meeting)
    pairs = {}
    for (a, b), meetings in shared.items():
        dates = [date for meeting in meetings for date in dates_of.get(meeting, ())]
        if dates:  # the rule counts dated meetings only: a pair with none is no pair
            count = sum(1 for meeting in meetings if meeting in dates_of)
            pairs[(a, b)] = Pair(a, b, tuple(sorted(meetings)), count, min(dates, key=_date_order),
                                 max(dates, key=_date_order))
    return pairs


def _date_order(date: ox.Literal) -> tuple[str, str]:
    # xsd:date values in ISO form (what the mapping writes) sort as their text does.
    return (date.value, date.datatype.value)


@dataclass(frozen=True)
class Kinds:
    """Which parties are persons and which institutions, as the pair question's `kind` tells them apart."""

    persons: frozenset[str]
    institutions: frozenset[str]  # typed as egkg:Organization or a subclass, and not a group of office holders

    def rankings(self, pair: Pair) -> tuple[ox.NamedNode, ...]:
        """The rankings `pair` takes a place in: all pairs, and the pairs of its kind."""
        both = {pair.a, pair.b}
        return (RANK, *((PERSON_RANK,) if both <= self.persons else ()),
                *((INSTITUTION_RANK,) if both <= self.institutions else ()))


def kinds_in(store: ox.Store) -> Kinds:
    """The parties' kinds from the union graph (the rule's `a egkg:Person` and `a/rdfs:subClassOf* egkg:Organization`)."""
    organizations = set().union(*(_typed(store, cls) for cls in _organization_classes(store)))
    return Kinds(frozenset(_typed(store, PERSON)), frozenset(organizations - _typed(store, OFFICE_HOLDER_GROUP)))


def _organization_classes(store: ox.Store) -> set[ox.NamedNode]:
    """egkg:Organization and its subclasses in the union (the rule's `rdfs:subClassOf*`)."""
    organization_classes, frontier = {ORGANIZATION}, [ORGANIZATION]
    while frontier:
        for quad in store.quads_for_pattern(None, SUB_CLASS_OF, frontier.pop(), ox.DefaultGraph()):
            if isinstance(quad.subject, ox.NamedNode) and quad.subject not in organization_classes:
                organization_classes.add(quad.subject)
                frontier.append(quad.subject)
    return organization_classes


def kinds_of(store: ox.Store, parties: set[str]) -> Kinds:
    """The kinds of `parties` alone, as `kinds_in` tells them: a few lookups each, not every typed node."""
    organization_classes = _organization_classes(store)
    persons, institutions = set(), set()
    for party in parties:
        types = {quad.object for quad in store.quads_for_pattern(ox.NamedNode(party), RDF_TYPE, None, ox.DefaultGraph())}
        if PERSON in types:
            persons.add(party)
        if types & organization_classes and OFFICE_HOLDER_GROUP not in types:
            institutions.add(party)
    return Kinds(frozenset(persons), frozenset(institutions))


def _typed(store: ox.Store, cls: ox.NamedNode) -> set[str]:
    return {quad.subject.value for quad in store.quads_for_pattern(None, RDF_TYPE, cls, ox.DefaultGraph())}


def ranks(pairs: Iterable[Pair], kinds: Kinds) -> dict[tuple[str, str], list[tuple[ox.NamedNode, int]]]:
    """Each pair's place (from 1) in every ranking it belongs to, ordered as the pair question's ORDER BY.

    Places after TOP_RANKED are all TOP_RANKED + 1 ("further down"): a question reads at most that
    many, and an edit then moves only the ranks near the top (exact ranks moved 88 k rank triples
    at 1,000 meetings when one participant was taken out of one meeting).
    """
    order = sorted(pairs, key=_order)
    taken = dict.fromkeys(RANKS, 0)
    placed: dict[tuple[str, str], list[tuple[ox.NamedNode, int]]] = {}
    for pair in order:
        for ranking in kinds.rankings(pair):
            taken[ranking] += 1
            placed.setdefault((pair.a, pair.b), []).append((ranking, min(taken[ranking], TOP_RANKED + 1)))
    return placed


def rank_changes(store: ox.Store, graph: ox.NamedNode, changed: set[tuple[str, str]] | None = None,
                 previous: ox.Store | None = None) -> tuple[set[ox.Triple], list[ox.Quad]]:
    """The rank triples to take out of `graph` and the quads to put in, so each of its pairs holds its place.

    For an incremental build, after the recounted pairs replaced theirs. `changed` holds the pairs
    (a, b) whose count, existence or kind may have changed since the ranks were right, and `previous`
    is the store whose counts those ranks were made from. Every other pair kept its place in the
    order, so only the top of each ranking can move: it is read by value (ranks 1..TOP_RANKED, index
    lookups), merged with the changed pairs, and a pair leaving the top is replaced from the pairs
    further down, read count by count from the old last place's down. Without `changed`, every pair
    is ranked again (linear in the pairs: 442,880 at 10,000 meetings).
    """
    if changed is None or previous is None:
        return _rank_all(store, graph)
    nodes = {_pair_node(a, b): (a, b) for a, b in changed}
    now = {}
    for node, (a, b) in nodes.items():
        count = _count_of(store, node, graph)
        if count is not None:  # a pair no longer shared has no count
            now[node] = Pair(a, b, (), count, None, None)
    kinds = kinds_of(store, {party for pair in now.values() for party in (pair.a, pair.b)})
    held: set[ox.Triple] = set()
    wanted: set[ox.Triple] = set()
    for ranking in RANKS:
        top = _held_top(store, graph, ranking)
        kept = {node: _pair_of(store, node, graph) for node in top if node not in nodes}
        members = {node: pair for node, pair in now.items() if ranking in kinds.rankings(pair)} | kept
        if len(top) == TOP_RANKED and len(kept) < TOP_RANKED:
            # Pairs further down sort after the old last place (their order is unchanged): at most
            # TOP_RANKED - len(kept) of them rise into the top, none with more than its old count.
            last = _count_of(store if top[-1] in kept else previous, top[-1], graph)
            members |= _best_further_down(store, graph, ranking, last, nodes.keys() | members.keys(),
                                          TOP_RANKED - len(kept))
        order = sorted(members, key=lambda node: _order(members[node]))
        wanted |= {ox.Triple(node, ranking, _integer(min(place, TOP_RANKED + 1)))
                   for place, node in enumerate(order, start=1)}
        held |= {quad.triple for node in {*top, *nodes, *members}
                 for quad in store.quads_for_pattern(node, ranking, None, graph)}
    return held - wanted, [ox.Quad(t.subject, t.predicate, t.object, graph) for t in sorted(wanted - held, key=str)]


def _order(pair: Pair) -> tuple:
    return (-pair.count, pair.a, pair.b)  # the pair question's ORDER BY DESC(?count) ?a ?b, in code-point order


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=XSD_INTEGER)


def _pair_node(a: str, b: str) -> ox.NamedNode:
    return Pair(a, b, (), 0, None, None).node


def _count_of(store: ox.Store, node: ox.NamedNode, graph: ox.NamedNode) -> int | None:
    quad = next(store.quads_for_pattern(node, SHARED_COUNT, None, graph), None)
    return None if quad is None else int(quad.object.value)


def _pair_of(store: ox.Store, node: ox.NamedNode, graph: ox.NamedNode) -> Pair:
    a, b = sorted(quad.object.value for quad in store.quads_for_pattern(node, PARTY, None, graph))
    return Pair(a, b, (), _count_of(store, node, graph), None, None)


def _held_top(store: ox.Store, graph: ox.NamedNode, ranking: ox.NamedNode) -> list[ox.NamedNode]:
    """The pairs holding places 1, 2, ... of `ranking` (up to TOP_RANKED), each found by its rank's value."""
    top = []
    for place in range(1, TOP_RANKED + 1):
        quad = next(store.quads_for_pattern(None, ranking, _integer(place), graph), None)
        if quad is None:
            break  # fewer pairs than places: every pair of the ranking is placed
        top.append(quad.subject)
    return top


def _best_further_down(store: ox.Store, graph: ox.NamedNode, ranking: ox.NamedNode, highest: int,
                       skip: set[ox.NamedNode], wanted: int) -> dict[ox.NamedNode, Pair]:
    """The `wanted` first unchanged pairs placed after the top of `ranking`, read count by count from `highest` down.

    Each count's pairs are found by value (an index lookup); a whole count is read before stopping,
    since ties are ordered by the parties.
    """
    further = _integer(TOP_RANKED + 1)
    found: dict[ox.NamedNode, Pair] = {}
    for count in range(highest, 0, -1):
        for quad in store.quads_for_pattern(None, SHARED_COUNT, _integer(count), graph):
            node = quad.subject
            if node not in skip and ox.Quad(node, ranking, further, graph) in store:
                found[node] = _pair_of(store, node, graph)
        if len(found) >= wanted:
            break
    best = sorted(found, key=lambda node: _order(found[node]))[:wanted]
    return {node: found[node] for node in best}


def _rank_all(store: ox.Store, graph: ox.NamedNode) -> tuple[set[ox.Triple], list[ox.Quad]]:
    """Every pair of `graph` ranked again from its counts; only the ranks that moved are written."""
    parties: dict[ox.NamedNode, list[str]] = {}
    for quad in store.quads_for_pattern(None, PARTY, None, graph):
        parties.setdefault(quad.subject, []).append(quad.object.value)
    counts = {quad.subject: int(quad.object.value) for quad in store.quads_for_pattern(None, SHARED_COUNT, None, graph)}
    pairs, nodes = [], {}
    for node, count in counts.items():
        a, b = sorted(parties[node])
        nodes[(a, b)] = node
        pairs.append(Pair(a, b, (), count, None, None))  # dates and meetings play no part in the order
    wanted = {ox.Triple(nodes[key], ranking, _integer(rank))
              for key, placed in ranks(pairs, kinds_in(store)).items() for ranking, rank in placed}
    held = {quad.triple for ranking in RANKS for quad in store.quads_for_pattern(None, ranking, None, graph)}
    return held - wanted, [ox.Quad(t.subject, t.predicate, t.object, graph) for t in sorted(wanted - held, key=str)]


def pairs_of_parties(store: ox.Store, graph: ox.NamedNode, parties: set[str]) -> set[tuple[str, str]]:
    """Every pair in `graph` one of `parties` belongs to (whose kind-rankings move when a party's kind does)."""
    found = set()
    for party in sorted(parties):
        for quad in store.quads_for_pattern(None, PARTY, ox.NamedNode(party), graph):
            pair = _pair_of(store, quad.subject, graph)
            found.add((pair.a, pair.b))
    return found


def coordination_quads(pairs: Iterable[Pair], graph: ox.NamedNode, store: ox.Store | None = None,
                       kinds: Kinds | None = None, *, ranked: bool = True) -> list[ox.Quad]:
    """The rule's conclusions for `pairs` in `graph`, leaving out triples `store`'s union already holds.

    The pairs' ranks need the parties' `kinds`, read from `store` when not given; `ranked=False`
    leaves the ranks out (a patch of some pairs, ranked afterwards among all by `rank_changes`).
    """
    pairs = list(pairs)
    if kinds is None and ranked:
        kinds = kinds_in(store) if store is not None else Kinds(frozenset(), frozenset())
    placed = ranks(pairs, kinds) if ranked else {}
    quads = []
    for pair in pairs:
        a, b, node = ox.NamedNode(pair.a), ox.NamedNode(pair.b), pair.node
        quads += [
            ox.Quad(a, COORDINATED_WITH, b, graph), ox.Quad(b, COORDINATED_WITH, a, graph),
            ox.Quad(node, RDF_TYPE, COORDINATION, graph), ox.Quad(node, PARTY, a, graph), ox.Quad(node, PARTY, b, graph),
            ox.Quad(node, SHARED_COUNT, ox.Literal(str(pair.count), datatype=XSD_INTEGER), graph),
            ox.Quad(node, FIRST_DATE, pair.first, graph), ox.Quad(node, LAST_DATE, pair.last, graph),
            *(ox.Quad(node, SHARED_MEETING, ox.NamedNode(meeting), graph) for meeting in pair.meetings),
            *(ox.Quad(node, ranking, ox.Literal(str(rank), datatype=XSD_INTEGER), graph)
              for ranking, rank in placed.get((pair.a, pair.b), ())),
        ]
    if store is None:
        return quads
    known = known_triples(store)
    return [q for q in quads if q.triple not in known] if known else quads


def known_triples(store: ox.Store) -> set[ox.Triple]:
    """Triples of the rule's shape the union already holds (asserted or ruled earlier): never concluded again."""
    known = {q.triple for p in CONCLUDED_PREDICATES for q in store.quads_for_pattern(None, p, None, ox.DefaultGraph())}
    known |= {q.triple for q in store.quads_for_pattern(None, RDF_TYPE, COORDINATION, ox.DefaultGraph())}
    return known


@dataclass
class Coordination:
    """What one computation concluded: the quads, the table it counted from, and how much it recounted."""

    quads: list[ox.Quad]
    table: Participations
    recounted: int  # pairs counted afresh (every pair on a full count)
    pairs: int
    written: int = 0  # conclusions written straight to disk and the store, not in `quads` (coordination_lines)


class FullCount:
    """Count every pair from the store's participation table (full builds, `egkg reason`)."""

    def conclude(self, store: ox.Store, graph: ox.NamedNode) -> Coordination:
        table = participations_in(store)
        pairs = count_pairs(table)
        return Coordination(coordination_quads(pairs.values(), graph, store), table, len(pairs), len(pairs))


@dataclass
class Patch:
    """Recount only the pairs that share a meeting some changed source mentions; keep every other pair as it was.

    `previous` is the table the previous release counted from, `previous_store` that release's store
    (holding its pairs), `changed` the source graphs edited, added or removed since.
    """

    previous: Participations
    previous_store: Path
    changed: set[str]

    def conclude(self, store: ox.Store, graph: ox.NamedNode) -> Coordination:
        fresh = participations_in(store, self.changed)
        table = Participations(
            {g: rows for g, rows in self.previous.by_graph.items() if g not in self.changed} | fresh.by_graph)
        touched = self.touched_meetings(fresh)
        before, after = self.previous.parties_at(touched), table.parties_at(touched)
        recount = set()
        for meeting in touched:
            ordered = sorted(before.get(meeting, set()) | after.get(meeting, set()))
            recount.update((a, b) for i, a in enumerate(ordered) for b in ordered[i + 1:])
        kept = [pair for key, pair in _pairs_in_store(self.previous_store, graph).items() if key not in recount]
        recounted = count_pairs(table, recount)
        pairs = kept + list(recounted.values())
        return Coordination(coordination_quads(pairs, graph, store), table, len(recount), len(pairs))

    def touched_meetings(self, fresh: Participations) -> set[str]:
        """Meetings whose parties or dates a changed source gave before or gives now."""
        touched = set()
        for rows in [*(self.previous.by_graph.get(g) for g in self.changed), *fresh.by_graph.values()]:
            if rows is not None:
                touched |= {meeting for meeting, _ in rows.attended} | {meeting for meeting, _ in rows.dated}
        return touched


def _pairs_in_store(path: Path, graph: ox.NamedNode) -> dict[tuple[str, str], Pair]:
    """The pairs a previous release concluded, read back from its store's coordination graph."""
    store = ox.Store.read_only(str(path))
    nodes: dict[str, dict] = {}
    for quad in store.quads_for_pattern(None, None, None, graph):
        if quad.subject.value.startswith(ID + "coordination/"):
            nodes.setdefault(quad.subject.value, {}).setdefault(quad.predicate.value, []).append(quad.object)
    del store
    pairs = {}
    for facts in nodes.values():
        a, b = sorted(party.value for party in facts[PARTY.value])
        meetings = tuple(sorted(m.value for m in facts.get(SHARED_MEETING.value, ())))
        pairs[(a, b)] = Pair(a, b, meetings, int(facts[SHARED_COUNT.value][0].value),
                             facts[FIRST_DATE.value][0], facts[LAST_DATE.value][0])
    return pairs


def share_part(line: str) -> str:
    """The part of the rule's share an N-Quads line of its graph goes to, so an edit rewrites a few parts, not 4.5 M lines.

    A pair's lines go with the first party's own (keyed on the party's <kind>/<slug> after id/ or
    id/coordination/): an edited meeting's pairs share few first parties. Keying on the first 12
    characters put every org/bawaslu-* party in one part (368 of 512 parts used at M, the largest
    rewritten by most edits). The places in the top, which one edit can shift by the hundred, have
    a part of their own.
    """
    subject, predicate, rest = line.split(" ", 2)
    if predicate in RANK_TEXTS and not rest.startswith(f'"{TOP_RANKED + 1}"'):
        return "top"
    tail = subject.rpartition("/egkg/id/")[2].removeprefix("coordination/").rstrip(">")
    first_party = "/".join(tail.split("/", 2)[:2])
    return f"{zlib.crc32(first_party.encode()) % SHARE_PARTS:03d}"


def save_participations(cache: Path, table: Participations) -> None:
    """Keep the table beside a release's outputs, for the next incremental build to patch."""
    with (cache / TABLE_FILE).open("wb") as handle:
        pickle.dump(table, handle, protocol=pickle.HIGHEST_PROTOCOL)


def load_participations(cache: Path) -> Participations | None:
    """The table a release counted from; None when it has none (the next build then counts everything)."""
    try:
        with (cache / TABLE_FILE).open("rb") as handle:
            table = pickle.load(handle)  # written by us into our own build directory
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError):
        return None
    return table if isinstance(table, Participations) else None
