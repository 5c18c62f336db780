"""RDF -> networkx: coordination projections built from SPARQL results, and their measures."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import networkx as nx

from .engines import Engine

__all__ = ["PROJECTIONS", "Participation", "StatsTable", "bipartite_graph", "bridges", "brokers", "community_names",
           "fetch_participations", "fetch_posts", "institution_graph", "measures", "party_graph", "person_graph",
           "projection", "stats_tables", "typed_graph"]

ID = "https://w3id.org/egkg/id/"
# Participations come from six plain queries joined here, not one query with OPTIONALs: Oxigraph
# 0.5 evaluates those OPTIONALs so slowly that the single query did not finish in 5 min at 1,000
# meetings, where these take seconds. tests/test_network.py checks both give the same rows.
PREFIXES = """PREFIX egkg: <https://w3id.org/egkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
PARTICIPATION_CORE = PREFIXES + """
SELECT ?participation ?meeting ?meetingLabel ?date ?party ?partyLabel ?partyType ?source ?sourceTitle ?quote
WHERE {
  ?participation egkg:meeting ?meeting ; egkg:participant ?party ; egkg:evidence ?evidence .
  ?evidence egkg:inSource ?source ; egkg:quote ?quote .
  ?source egkg:headline ?sourceTitle .
  ?meeting rdfs:label ?meetingLabel ; egkg:startDate ?date .
  ?party rdfs:label ?partyLabel ; a ?type .
  FILTER(?type IN (egkg:Person, egkg:Post) || EXISTS { ?type rdfs:subClassOf egkg:Organization })
  BIND(STRAFTER(STR(?type), "#") AS ?partyType)
}
"""
MEETING_PLACES = PREFIXES + "SELECT ?meeting ?where ?place WHERE { ?p egkg:meeting ?meeting . ?meeting egkg:inRegion ?where . ?where rdfs:label ?place }"
PROVINCES = PREFIXES + "SELECT ?where ?province WHERE { ?where egkg:parentRegion/rdfs:label ?province }"
CAPACITIES = PREFIXES + "SELECT ?participation ?post WHERE { ?participation egkg:meeting ?m ; egkg:inCapacityOf ?post }"
KINDS = PREFIXES + "SELECT ?participation ?kind WHERE { ?participation egkg:meeting ?m ; egkg:appointmentKind/skos:notation ?kind }"
HOLDING_KINDS = PREFIXES + "SELECT ?holder ?post ?kind WHERE { ?holding egkg:holder ?holder ; egkg:post ?post ; egkg:appointmentKind/skos:notation ?kind }"
INSTITUTIONS = PREFIXES + """
SELECT ?participation ?institution ?institutionLabel ?institutionType WHERE {
  ?participation egkg:meeting ?m ; egkg:institution ?institution . ?institution a ?itype ; rdfs:label ?institutionLabel .
  FILTER EXISTS { ?itype rdfs:subClassOf egkg:Organization }
  BIND(STRAFTER(STR(?itype), "#") AS ?institutionType)
}
"""
POSTS = """
PREFIX egkg: <https://w3id.org/egkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?holder ?postLabel ?kind WHERE {
  ?holding egkg:holder ?holder ; egkg:post/rdfs:label ?postLabel ; egkg:appointmentKind/skos:notation ?kind .
}
"""
ACTING = {"Pj", "Pjs", "Plh", "Plt"}
ELECTION_TYPES = {"ElectionCommission", "ElectionSupervisor", "EthicsCouncil"}
SECURITY_TYPES = {"Police", "Military", "Prosecution"}


@dataclass(frozen=True)
class Participation:
    """One party at one meeting, with what the graph says about the occasion and the evidence."""

    meeting: str
    meeting_label: str
    date: str
    place: str
    province: str
    party: str
    party_label: str
    party_type: str
    institution: str
    institution_label: str
    institution_type: str
    kind: str
    source: str
    source_title: str
    quote: str


def fetch_participations(engine: Engine, date_from: str | None = None, date_to: str | None = None) -> list[Participation]:
    """Every participation (optionally within a date window) from the store, one per evidence quote."""
    places = _grouped(engine, MEETING_PLACES, "meeting", "where", "place")
    provinces = _grouped(engine, PROVINCES, "where", "province")
    capacities = _grouped(engine, CAPACITIES, "participation", "post")
    kinds = _grouped(engine, KINDS, "participation", "kind")
    held = _grouped(engine, HOLDING_KINDS, "holder", "post", "kind")
    institutions = _grouped(engine, INSTITUTIONS, "participation", "institution", "institutionLabel", "institutionType")
    found = set()
    for row in engine.select(PARTICIPATION_CORE).as_dicts():
        date = row["date"]
        if (date_from and date < date_from) or (date_to and date > date_to):
            continue
        # Each OPTIONAL of the one-query form: no match keeps the row with the value unbound ("").
        where = [(place, province) for region, place in places.get(row["meeting"], [])
                 for (province,) in provinces.get(region, [("",)])] or [("", "")]
        party_kinds = _kinds(row["party"], capacities.get(row["participation"], [("",)]),
                             kinds.get(row["participation"], [("",)]), held.get(row["party"], []))
        for (place, province) in where:
            for kind in party_kinds:
                for institution, label, kind_of_institution in institutions.get(row["participation"], [("", "", "")]):
                    found.add(Participation(
                        meeting=row["meeting"], meeting_label=row["meetingLabel"], date=date, place=place,
                        province=province, party=row["party"], party_label=row["partyLabel"],
                        party_type=row["partyType"], institution=institution, institution_label=label,
                        institution_type=kind_of_institution, kind=kind, source=row["source"],
                        source_title=row["sourceTitle"], quote=row["quote"],
                    ))
    return sorted(found, key=lambda p: (p.date, p.meeting, p.party, p.institution, p.source, p.quote))


def _kinds(party: str, posts: list[tuple[str]], kinds: list[tuple[str]], held: list[tuple[str, str]]) -> set[str]:
    """The appointment kind of a participation: its own, else that of the party's holding of the post.

    This is what `OPTIONAL { ?holding egkg:holder ?party ; egkg:post ?post ; ...kind }` gave after
    the post and kind OPTIONALs: a holding must agree with whichever of the two is already bound.
    """
    result = set()
    for (post,) in posts:
        for (kind,) in kinds:
            agreeing = [k for p, k in held if (not post or p == post) and (not kind or k == kind)]
            result.update(agreeing or [kind])
    return result


def _grouped(engine: Engine, query: str, key: str, *columns: str) -> dict[str, list[tuple[str, ...]]]:
    """Rows of `query` as key -> distinct value tuples (sorted, so output never depends on engine order)."""
    grouped: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for row in engine.select(query).as_dicts():
        grouped[row[key]].add(tuple(row[c] for c in columns))
    return {k: sorted(v) for k, v in grouped.items()}


def fetch_posts(engine: Engine) -> dict[str, list[tuple[str, str]]]:
    """Person IRI -> [(post label, appointment kind)]."""
    posts: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for holder, label, kind in engine.select(POSTS).rows:
        posts[holder.value].append((label.value, kind.value))
    return {k: sorted(set(v)) for k, v in posts.items()}


def _meeting_record(p: Participation) -> dict[str, str]:
    return {"meeting": p.meeting, "label": p.meeting_label, "date": p.date, "place": p.place,
            "source": p.source_title, "quote": p.quote}


def _pair_graph(participations: list[Participation], key, label, kind) -> nx.Graph:
    """Nodes are what `key` maps a participation to; edges join nodes that shared a meeting."""
    graph = nx.Graph()
    by_meeting: dict[str, dict[str, Participation]] = defaultdict(dict)
    for p in participations:
        node = key(p)
        if not node:
            continue
        if node not in graph:
            graph.add_node(node, label=label(p), type=kind(p), institution_type=p.institution_type,
                           provinces=set(), kinds=set(), posts=[])
        if p.province or p.place:
            graph.nodes[node]["provinces"].add(p.province or p.place)
        if p.kind:
            graph.nodes[node]["kinds"].add(p.kind)
        by_meeting[p.meeting].setdefault(node, p)
    for meeting, present in by_meeting.items():
        nodes = sorted(present)
        for i, a in enumerate(nodes):
            for b in nodes[i + 1:]:
                if not graph.has_edge(a, b):
                    graph.add_edge(a, b, weight=0, meetings=[], first=None, last=None)
                edge = graph.edges[a, b]
                record = _meeting_record(present[a])
                edge["meetings"].append(record)
                edge["weight"] = len({m["meeting"] for m in edge["meetings"]})
                edge["first"] = min(filter(None, (edge["first"], record["date"])))
                edge["last"] = max(filter(None, (edge["last"], record["date"])))
    for node in graph.nodes:
        data = graph.nodes[node]
        data["provinces"] = sorted(data["provinces"])
        data["kinds"] = sorted(data["kinds"])
        data["acting"] = bool(set(data["kinds"]) & ACTING)
    return graph


def _institution_types(participations: list[Participation]) -> dict[str, set[str]]:
    """Party -> the types of the institutions it was present for (one pass, not one per node)."""
    found: dict[str, set[str]] = defaultdict(set)
    for p in participations:
        if p.institution_type:
            found[p.party].add(p.institution_type)
    return found


def person_graph(participations: list[Participation], posts: dict[str, list[tuple[str, str]]] | None = None) -> nx.Graph:
    """Persons who sat in the same meetings, weighted by the number of shared meetings."""
    persons = [p for p in participations if p.party_type == "Person"]
    graph = _pair_graph(persons, key=lambda p: p.party, label=lambda p: p.party_label, kind=lambda p: "Person")
    institution_types = _institution_types(persons)
    for node in graph.nodes:
        graph.nodes[node]["posts"] = [f"{label} ({kind})" for label, kind in (posts or {}).get(node, [])]
        types = sorted(institution_types.get(node, ()))
        graph.nodes[node]["institution_type"] = types[0] if types else "Unknown"
    return graph


def party_graph(participations: list[Participation], posts: dict[str, list[tuple[str, str]]] | None = None) -> nx.Graph:
    """Every party (person, institution, post without a named holder) linked by shared meetings."""
    graph = _pair_graph(participations, key=lambda p: p.party, label=lambda p: p.party_label,
                        kind=lambda p: p.party_type)
    institution_types = _institution_types(participations)
    for node in graph.nodes:
        data = graph.nodes[node]
        data["posts"] = [f"{label} ({kind})" for label, kind in (posts or {}).get(node, [])]
        if data["type"] == "Person" or data["type"] == "Post":
            types = sorted(institution_types.get(node, ()))
            data["institution_type"] = types[0] if types else "Unknown"
        else:
            data["institution_type"] = data["type"]
    return graph


def institution_graph(participations: list[Participation]) -> nx.Graph:
    """Institutions present (directly or through representatives) at the same meetings."""
    return _pair_graph(participations, key=lambda p: p.institution,
                       label=lambda p: p.institution_label, kind=lambda p: p.institution_type or "Organization")


def bipartite_graph(participations: list[Participation]) -> nx.Graph:
    """Participants on one side, meetings on the other."""
    graph = nx.Graph()
    for p in participations:
        graph.add_node(p.meeting, bipartite=1, label=p.meeting_label, type="Meeting", date=p.date, place=p.place)
        if p.party not in graph:
            graph.add_node(p.party, bipartite=0, label=p.party_label, type=p.party_type,
                           institution_type=p.institution_type or p.party_type, kinds=set())
        if p.kind:
            graph.nodes[p.party]["kinds"].add(p.kind)
        if not graph.has_edge(p.party, p.meeting):
            graph.add_edge(p.party, p.meeting, sources=[])
        graph.edges[p.party, p.meeting]["sources"].append({"source": p.source_title, "quote": p.quote})
    for node, data in graph.nodes(data=True):
        if "kinds" in data:
            data["kinds"] = sorted(data["kinds"])
            data["acting"] = bool(set(data["kinds"]) & ACTING)
    return graph


def typed_graph(engine: Engine) -> nx.MultiDiGraph:
    """Every link between things under https://w3id.org/egkg/id/ (not evidence), typed by predicate."""
    rows = engine.select("""
        SELECT ?s ?p ?o ?sType ?oType WHERE {
          ?s ?p ?o . FILTER(isIRI(?o) && STRSTARTS(STR(?s), "https://w3id.org/egkg/id/")
                            && STRSTARTS(STR(?o), "https://w3id.org/egkg/id/")
                            && !CONTAINS(STR(?s), "/evidence/") && !CONTAINS(STR(?o), "/evidence/")
                            && !CONTAINS(STR(?s), "/inference/") && !CONTAINS(STR(?o), "/graph/"))
          OPTIONAL { ?s a ?sType } OPTIONAL { ?o a ?oType }
        }""")
    graph = nx.MultiDiGraph()
    for s, p, o, s_type, o_type in rows.rows:
        for node, kind in ((s, s_type), (o, o_type)):
            if node.value not in graph:
                graph.add_node(node.value, type=kind.value.rsplit("#", 1)[-1] if kind else "")
        if not graph.has_edge(s.value, o.value, key=p.value):
            graph.add_edge(s.value, o.value, key=p.value, predicate=p.value)
    return graph


# Exact betweenness costs one shortest-path search per node (hours at 10,000 persons); above this
# many nodes it is estimated from a fixed, seeded sample of sources, which is linear in edges.
EXACT_BETWEENNESS_NODES = 1000
BETWEENNESS_SAMPLE = 64


def measures(graph: nx.Graph, seed: int = 0) -> dict[str, dict[str, float]]:
    """Degree, weighted degree, betweenness (estimated on large graphs) and Louvain community of every node."""
    sample = BETWEENNESS_SAMPLE if graph.number_of_nodes() > EXACT_BETWEENNESS_NODES else None
    betweenness = (
        nx.betweenness_centrality(graph, k=sample, weight=None, normalized=True, seed=seed) if graph.number_of_nodes() else {}
    )
    communities = nx.community.louvain_communities(graph, weight="weight", seed=seed) if graph.number_of_edges() else []
    community_of = {node: index for index, members in enumerate(sorted(communities, key=lambda c: sorted(c))) for node in members}
    return {
        node: {
            "degree": graph.degree(node),
            "weighted_degree": graph.degree(node, weight="weight"),
            "betweenness": betweenness.get(node, 0.0),
            "community": community_of.get(node, -1),
        }
        for node in graph.nodes
    }


PROJECTIONS = ("persons", "institutions", "all")


def projection(participations: list[Participation], posts: dict[str, list[tuple[str, str]]] | None,
               which: str) -> nx.Graph:
    """The named projection: persons, institutions, or all parties (persons, institutions, groups, posts)."""
    if which == "persons":
        return person_graph(participations, posts)
    if which == "institutions":
        graph = institution_graph(participations)
        for _, data in graph.nodes(data=True):
            data["institution_type"] = data["type"]  # an institution's sector is its own type
        return graph
    if which == "all":
        return party_graph(participations, posts)
    raise ValueError(f"unknown graph {which!r}; use one of {', '.join(PROJECTIONS)}")


def bridges(graph: nx.Graph, top: int = 10) -> list[tuple[str, str, int]]:
    """Nodes that bring election bodies and security/legal bodies together across separate meetings.

    Every meeting joins all its participants, so the projection is a union of cliques: cut vertices
    and betweenness mostly vanish, and "whose removal disconnects them" finds no one. Brokerage is
    defined instead on open two-steps (Burt's structural holes): node v bridges the pair (e, s) when
    e is an election body (KPU, Bawaslu, DKPP), s a security or legal body (Polri, TNI, Kejaksaan) --
    each by the node's `institution_type`, so persons count for the body they represented --, v shared
    a meeting with e and one with s, and e and s never shared a meeting. A node's score is the number
    of such pairs; it is non-zero only when v sat in at least two meetings. Returns (node, label,
    pairs bridged), largest first, ties by label.
    """
    sector = {node: data.get("institution_type") or data.get("type", "") for node, data in graph.nodes(data=True)}
    scores = []
    for node in graph.nodes:
        election = [n for n in graph[node] if sector[n] in ELECTION_TYPES]
        security = [n for n in graph[node] if sector[n] in SECURITY_TYPES]
        bridged = sum(1 for e in election for s in security if not graph.has_edge(e, s))
        if bridged:
            scores.append((node, graph.nodes[node].get("label", node), bridged))
    return sorted(scores, key=lambda s: (-s[2], s[1], s[0]))[:top]


def brokers(participations: list[Participation], top: int = 10) -> list[tuple[str, str, int]]:
    """`bridges` on the graph of all parties (persons, institutions, groups, posts), each counted for
    the body it represented (its participation's institution), else for its own type."""
    graph = _pair_graph(participations, key=lambda p: p.party, label=lambda p: p.party_label,
                        kind=lambda p: p.institution_type or p.party_type)
    return bridges(graph, top)


@dataclass(frozen=True)
class StatsTable:
    """One table of `egkg network stats`: what it is, its rows (strings) and a line saying how to read it."""

    key: str
    title: str
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]
    explanation: str


def community_names(graph: nx.Graph, scores: dict[str, dict[str, float]], size: int = 3) -> dict[int, str]:
    """Community number -> its `size` most central members' labels (weighted degree, then betweenness)."""
    members: dict[int, list[str]] = defaultdict(list)
    for node, m in scores.items():
        members[m["community"]].append(node)
    names = {}
    for community, nodes in members.items():
        ranked = sorted(nodes, key=lambda n: (-scores[n]["weighted_degree"], -scores[n]["betweenness"],
                                              graph.nodes[n].get("label", n), n))
        names[community] = ", ".join(graph.nodes[n].get("label", n) for n in ranked[:size])
    return names


def stats_tables(participations: list[Participation], posts: dict[str, list[tuple[str, str]]] | None, which: str,
                 top: int = 15) -> list[StatsTable]:
    """The measures, communities and brokers tables of one projection, each with its explanation."""
    from .node_kinds import kind_words, node_kind

    graph = projection(participations, posts, which)
    scores = measures(graph)
    names = community_names(graph, scores)
    label = {n: graph.nodes[n].get("label", n) for n in graph}
    ranked = sorted(graph, key=lambda n: (-scores[n]["weighted_degree"], -scores[n]["betweenness"], label[n], n))
    measure_rows = [(label[n], kind_words(node_kind(graph.nodes[n])), str(scores[n]["degree"]),
                     str(scores[n]["weighted_degree"]), f"{scores[n]['betweenness']:.3f}",
                     names.get(scores[n]["community"], "")) for n in ranked[:top]]
    meetings: dict[int, set[str]] = defaultdict(set)
    sizes: dict[int, int] = defaultdict(int)
    for node, m in scores.items():
        sizes[m["community"]] += 1
    for left, right, data in graph.edges(data=True):
        meetings[scores[left]["community"]].update(m["meeting"] for m in data.get("meetings", []))
    communities = sorted(sizes, key=lambda c: (-sizes[c], names[c]))
    community_rows = [(str(i + 1), names[c], str(sizes[c]), str(len(meetings[c]))) for i, c in enumerate(communities[:top])]
    found = bridges(graph, top)
    broker_rows = [(name, kind_words(node_kind(graph.nodes[node])), str(count)) for node, name, count in found]
    broker_note = ("A broker shared a meeting with an election body (KPU, Bawaslu, DKPP) and another with a security "
                   "or legal body (Polri, TNI, Kejaksaan) that never met each other; the count is such pairs. Persons "
                   "count for the body they represented.")
    if not found:
        broker_note += " None here: no election body and security/legal body that never met have anyone in common."
    return [
        StatsTable("measures", f"{which}: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges",
                   ("name", "kind", "degree", "shared meetings", "betweenness", "community"), measure_rows,
                   "Degree: how many others a node sat with; shared meetings: summed over them. Each meeting links all "
                   "its participants, so betweenness is non-zero only for those who sat in more than one meeting."),
        StatsTable("communities", f"communities ({len(communities)}, Louvain, weighted by shared meetings)",
                   ("#", "named after its most central members", "members", "meetings"), community_rows,
                   "Groups that met more among themselves than with others, named after their three members with the "
                   "most shared meetings; on this data they mostly follow the meetings' provinces."),
        StatsTable("brokers", "brokers between election bodies and security/legal bodies",
                   ("broker", "kind", "election-security pairs bridged"), broker_rows, broker_note),
    ]
