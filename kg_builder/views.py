"""Write build/views/: coordination, institutions, meetings, timeline and the index page."""

from __future__ import annotations

from pathlib import Path

from .engines import Engine
from .network import bipartite_graph, fetch_participations, fetch_posts, institution_graph, measures, party_graph
from .render import View, render_index, render_network, render_timeline, top_nodes

__all__ = ["PAGES", "write_views"]

PAGES = [
    View("coordination.html", "coordination", "persons (and the institutions and unnamed posts beside them) who sat in the same meetings; lines are shared meetings"),
    View("institutions.html", "institutions", "institutions present at the same meetings, directly or through representatives"),
    View("meetings.html", "meetings", "participants and the meetings they attended (bipartite)"),
    View("timeline.html", "timeline", "meetings by date and province, and post holdings including acting spells"),
]
TIMELINE_MEETINGS = """
PREFIX egkg: <https://w3id.org/egkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?meeting ?label ?date ?place ?province WHERE {
  ?meeting a egkg:Meeting ; rdfs:label ?label ; egkg:startDate ?date .
  OPTIONAL { ?meeting egkg:inRegion ?where . ?where rdfs:label ?place .
             OPTIONAL { ?where egkg:parentRegion/rdfs:label ?parent } }
  BIND(COALESCE(?parent, ?place, "") AS ?province)
}
"""
TIMELINE_HOLDINGS = """
PREFIX egkg: <https://w3id.org/egkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?holder ?post ?kind ?province (MIN(?day) AS ?first) (MAX(?day) AS ?last) WHERE {
  ?holding egkg:holder/rdfs:label ?holder ; egkg:post ?p ; egkg:appointmentKind/skos:notation ?kind ; egkg:attestedOn ?day .
  ?p rdfs:label ?post .
  OPTIONAL { ?p egkg:jurisdiction ?where . OPTIONAL { ?where egkg:parentRegion ?parent } ?region rdfs:label ?provinceName .
             FILTER(?region = COALESCE(?parent, ?where)) }
  BIND(COALESCE(?provinceName, "") AS ?province)
}
GROUP BY ?holder ?post ?kind ?province
"""


def _rows(engine: Engine, query: str) -> list[dict[str, str]]:
    table = engine.select(query)
    return [{c: (t.value if t else "") for c, t in zip(table.columns, row)} for row in table.rows]


def write_views(engine: Engine, out_dir: Path, *, date_from: str | None = None, date_to: str | None = None,
                max_nodes: int | None = 2000) -> dict[str, tuple[int, int]]:
    """Render every page; returns (nodes, edges) drawn per network page."""
    out_dir.mkdir(parents=True, exist_ok=True)
    participations = fetch_participations(engine, date_from, date_to)
    window = f"{date_from or '…'} – {date_to or '…'}" if (date_from or date_to) else "all dates"
    note = (f"Time window: {window}. Built from the egkg store; hover a node or line for names, posts, "
            f"meetings and the quotes that attest them.")
    drawn = {}
    persons = top_nodes(party_graph(participations, fetch_posts(engine)), max_nodes)
    sizes = {n: m["betweenness"] + m["weighted_degree"] / 100 for n, m in measures(persons).items()}
    drawn["coordination.html"] = render_network(persons, out_dir / "coordination.html", note=note, links=PAGES,
                                                title="Siapa berkoordinasi dengan siapa / Who coordinated with whom (persons, institutions, posts)",
                                                size_by=sizes)
    institutions = top_nodes(institution_graph(participations), max_nodes)
    sizes = {n: m["weighted_degree"] for n, m in measures(institutions).items()}
    drawn["institutions.html"] = render_network(institutions, out_dir / "institutions.html", note=note, links=PAGES,
                                                title="Koordinasi antarlembaga / Institutions that coordinated",
                                                size_by=sizes)
    bipartite = top_nodes(bipartite_graph(participations), max_nodes)
    drawn["meetings.html"] = render_network(bipartite, out_dir / "meetings.html", note=note, links=PAGES,
                                            title="Peserta dan rapat / Participants and meetings",
                                            size_by={n: bipartite.degree(n) for n in bipartite})
    meetings = [m for m in _rows(engine, TIMELINE_MEETINGS)
                if (not date_from or m["date"] >= date_from) and (not date_to or m["date"] <= date_to)]
    holdings = _rows(engine, TIMELINE_HOLDINGS)
    render_timeline(sorted(meetings, key=lambda m: (m["date"], m["meeting"])),
                    sorted(holdings, key=lambda h: (h["province"], h["first"], h["holder"], h["post"])),
                    out_dir / "timeline.html", title="Lini masa / Timeline", note=note, links=PAGES)
    render_index(PAGES, out_dir / "index.html", note)
    return drawn
