"""Write build/views/: coordination, institutions, meetings, timeline and the index page."""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path
from typing import Literal

import networkx as nx

from .engines import Engine
from .network import PREFIXES, PROVINCES, bipartite_graph, fetch_participations, fetch_posts, institution_graph, party_graph
from .render import SIZE_NOTES, View, render_index, render_network, render_timeline, top_nodes
from .site.paths import page_path

__all__ = ["PAGES", "node_sizes", "write_network_view", "write_views"]

PAGES = [
    View("coordination.html", "coordination", "persons (and the institutions and unnamed posts beside them) who sat in the same meetings; lines are shared meetings"),
    View("institutions.html", "institutions", "institutions present at the same meetings, directly or through representatives"),
    View("meetings.html", "meetings", "participants and the meetings they attended (bipartite)"),
    View("timeline.html", "timeline", "meetings by date and province, and post holdings including acting spells"),
]
# The timeline's rows come from plain queries joined in Python: the OPTIONALs of a single query
# (region, then parent region, then a label matched by FILTER) ran for minutes at 1,000 meetings.
TIMELINE_MEETINGS = PREFIXES + "SELECT ?meeting ?label ?date WHERE { ?meeting a egkg:Meeting ; rdfs:label ?label ; egkg:startDate ?date }"
MEETING_REGIONS = PREFIXES + "SELECT ?meeting ?where ?place WHERE { ?meeting a egkg:Meeting ; egkg:inRegion ?where . ?where rdfs:label ?place }"
TIMELINE_HOLDINGS = PREFIXES + """
SELECT ?holder ?post ?kind ?p (MIN(?day) AS ?first) (MAX(?day) AS ?last) WHERE {
  ?holding egkg:holder/rdfs:label ?holder ; egkg:post ?p ; egkg:appointmentKind/skos:notation ?kind ; egkg:attestedOn ?day .
  ?p rdfs:label ?post .
}
GROUP BY ?holder ?post ?kind ?p
"""
ALIASES = PREFIXES + "SELECT ?x ?alt WHERE { ?x skos:altLabel ?alt FILTER(STRSTARTS(STR(?x), \"https://w3id.org/egkg/id/\")) }"
POLLING_DAYS = PREFIXES + "SELECT ?day ?label WHERE { ?election egkg:electionDay ?day ; rdfs:label ?label }"
JURISDICTIONS = PREFIXES + "SELECT ?p ?where WHERE { ?h egkg:post ?p . ?p egkg:jurisdiction ?where }"
PARENTS = PREFIXES + "SELECT ?where ?parent WHERE { ?where egkg:parentRegion ?parent }"
REGION_LABELS = PREFIXES + """
SELECT DISTINCT ?where ?name WHERE { { ?x egkg:jurisdiction ?where } UNION { ?x egkg:parentRegion ?where } ?where rdfs:label ?name }
"""


def timeline_meetings(engine: Engine) -> list[dict[str, str]]:
    """Meetings with their place and province (the parent region's name, else the place's)."""
    provinces: dict[str, list[str]] = defaultdict(list)
    for row in engine.select(PROVINCES).as_dicts():
        provinces[row["where"]].append(row["province"])
    regions: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in engine.select(MEETING_REGIONS).as_dicts():
        regions[row["meeting"]].append(row)
    found = set()
    for meeting in engine.select(TIMELINE_MEETINGS).as_dicts():
        for region in regions.get(meeting["meeting"]) or [{"where": "", "place": ""}]:
            for province in provinces.get(region["where"]) or [region["place"]]:
                found.add((meeting["meeting"], meeting["label"], meeting["date"], region["place"], province))
    keys = ("meeting", "label", "date", "place", "province")
    return [dict(zip(keys, values)) for values in sorted(found)]


def timeline_holdings(engine: Engine) -> list[dict[str, str]]:
    """Holdings by holder, post, kind and the province of the post's jurisdiction, with first and last day."""
    parents = {row["where"]: row["parent"] for row in engine.select(PARENTS).as_dicts()}
    names: dict[str, set[str]] = defaultdict(set)
    for row in engine.select(REGION_LABELS).as_dicts():
        names[row["where"]].add(row["name"])
    provinces: dict[str, set[str]] = defaultdict(set)
    for row in engine.select(JURISDICTIONS).as_dicts():
        provinces[row["p"]] |= names.get(parents.get(row["where"], row["where"]), set())
    spans: dict[tuple[str, str, str, str], tuple[str, str]] = {}
    for row in engine.select(TIMELINE_HOLDINGS).as_dicts():
        for province in provinces.get(row["p"]) or {""}:
            key = (row["holder"], row["post"], row["kind"], province)
            first, last = spans.get(key, (row["first"], row["last"]))
            spans[key] = (min(first, row["first"]), max(last, row["last"]))
    keys = ("holder", "post", "kind", "province", "first", "last")
    return [dict(zip(keys, (*key, *span))) for key, span in sorted(spans.items())]


# Exact betweenness costs one shortest-path search per node, O(nodes x edges): 32 s at 2,500 nodes /
# 12,500 edges, 168 s at 5,000 / 25,000. A page gets a fixed budget of edge visits instead: exact
# when nodes x edges fits (every real page so far), else estimated from as many seeded sample
# sources as fit, at least MIN_PIVOTS, which keeps the cost linear in edges. Node size needs a ranking,
# not exact values.
BETWEENNESS_BUDGET = 500_000
MIN_PIVOTS = 8
Sizing = Literal["centrality", "weighted_degree", "degree"]


def node_sizes(graph: nx.Graph, sizing: Sizing) -> dict[str, float]:
    """What each page sizes its nodes by: centrality (betweenness + weighted degree / 100) or degree."""
    if sizing == "degree":
        return {n: graph.degree(n) for n in graph}
    weighted = dict(graph.degree(weight="weight"))
    if sizing == "weighted_degree":
        return weighted
    pivots = max(MIN_PIVOTS, BETWEENNESS_BUDGET // max(graph.number_of_edges(), 1))
    sample = None if pivots >= graph.number_of_nodes() else pivots
    betweenness = nx.betweenness_centrality(graph, k=sample, weight=None, normalized=True, seed=0)
    return {n: betweenness[n] + weighted[n] / 100 for n in graph}


def write_network_view(graph: nx.Graph, target: Path, *, title: str, note: str, links: list[View] = PAGES,
                       sizing: Sizing = "centrality", max_nodes: int | None = 2000,
                       site_dir: Path | None = None) -> tuple[int, int]:
    """One network page as `egkg viz` writes it: keep the most connected nodes, size them, render.

    Nodes whose entity page exists under `site_dir` link to it. Returns (nodes, edges) drawn.
    """
    shown = top_nodes(graph, max_nodes)
    pages = site_pages(shown, site_dir, target.parent) if site_dir else {}
    return render_network(shown, target, title=title, note=note, links=links, size_by=node_sizes(shown, sizing),
                          size_note=SIZE_NOTES[sizing], pages=pages)


def site_pages(graph: nx.Graph, site_dir: Path, page_dir: Path) -> dict[str, str]:
    """Node -> address of its page in the static site, relative to `page_dir`, for the pages that exist."""
    found = {}
    for node in graph.nodes:
        page = page_path(node)
        if page and (site_dir / page).is_file():
            found[node] = Path(os.path.relpath(site_dir / page, page_dir)).as_posix()
    return found


def fetch_aliases(engine: Engine) -> dict[str, list[str]]:
    """IRI -> its skos:altLabels (acronyms such as "KPU Sultra", other spellings), for search."""
    aliases: dict[str, set[str]] = defaultdict(set)
    for row in engine.select(ALIASES).as_dicts():
        aliases[row["x"]].add(row["alt"])
    return {k: sorted(v) for k, v in aliases.items()}


def _with_aliases(graph: nx.Graph, aliases: dict[str, list[str]]) -> nx.Graph:
    for node, data in graph.nodes(data=True):
        data["aliases"] = aliases.get(node, [])
    return graph


def polling_days(engine: Engine) -> list[dict[str, str]]:
    """Elections' polling days as the graph states them (egkg:electionDay)."""
    found = {(row["day"], row["label"]) for row in engine.select(POLLING_DAYS).as_dicts()}
    return [{"day": day, "label": label} for day, label in sorted(found)]


def write_views(engine: Engine, out_dir: Path, *, date_from: str | None = None, date_to: str | None = None,
                max_nodes: int | None = 2000, site_dir: Path | None = None) -> dict[str, tuple[int, int]]:
    """Render every page; returns (nodes, edges) drawn per network page.

    A click on a node opens its page in the static site at `site_dir` (default: `site` beside
    `out_dir`, where `egkg site` writes it next to BUILD/views) when that page exists.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    site_dir = out_dir.parent / "site" if site_dir is None else site_dir
    aliases = fetch_aliases(engine)
    participations = fetch_participations(engine, date_from, date_to)
    window = f"{date_from or '…'} – {date_to or '…'}" if (date_from or date_to) else "all dates"
    note = (f"Time window: {window}. Built from the egkg store; hover a node or line for names, posts, "
            f"meetings and the quotes that attest them.")
    drawn = {}
    drawn["coordination.html"] = write_network_view(
        _with_aliases(party_graph(participations, fetch_posts(engine)), aliases), out_dir / "coordination.html",
        note=note, max_nodes=max_nodes, site_dir=site_dir,
        title="Siapa berkoordinasi dengan siapa / Who coordinated with whom (persons, institutions, posts)")
    drawn["institutions.html"] = write_network_view(
        _with_aliases(institution_graph(participations), aliases), out_dir / "institutions.html", note=note,
        max_nodes=max_nodes, site_dir=site_dir, title="Koordinasi antarlembaga / Institutions that coordinated",
        sizing="weighted_degree")
    drawn["meetings.html"] = write_network_view(
        _with_aliases(bipartite_graph(participations), aliases), out_dir / "meetings.html", note=note,
        max_nodes=max_nodes, site_dir=site_dir, title="Peserta dan rapat / Participants and meetings", sizing="degree")
    meetings = [m for m in timeline_meetings(engine)
                if (not date_from or m["date"] >= date_from) and (not date_to or m["date"] <= date_to)]
    holdings = timeline_holdings(engine)
    render_timeline(sorted(meetings, key=lambda m: (m["date"], m["meeting"])),
                    sorted(holdings, key=lambda h: (h["province"], h["first"], h["holder"], h["post"])),
                    out_dir / "timeline.html", title="Lini masa / Timeline", note=note, links=PAGES,
                    polling=polling_days(engine))
    render_index(PAGES, out_dir / "index.html", note)
    return drawn
