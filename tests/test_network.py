"""Network projections, measures, brokers, exports and the written views (without a browser)."""

from __future__ import annotations

import json
import re

import networkx as nx

from kg_builder.network import (Participation, bipartite_graph, brokers, fetch_posts,
                                institution_graph, measures, party_graph, person_graph)
from kg_builder.views import write_views

from .conftest import run_egkg

ID = "https://w3id.org/egkg/id/"


def test_person_projection_links_edy_and_andap_with_evidence(engine, participations):
    graph = person_graph(participations, fetch_posts(engine))
    assert graph.number_of_nodes() == 12  # the twelve named persons
    edge = graph.edges[ID + "person/edy-suharmanto", ID + "person/andap-budhi-revianto"]
    assert edge["weight"] == 1 and edge["first"] == edge["last"] == "2024-11-06"
    assert any("Edy Suharmanto" in m["quote"] or "Andap" in m["quote"] for m in edge["meetings"])
    assert graph.nodes[ID + "person/edy-suharmanto"]["acting"] is True
    assert "Bupati Bombana (Pj)" in graph.nodes[ID + "person/edy-suharmanto"]["posts"]


def test_party_projection_holds_the_sultra_rakor_cluster(participations):
    graph = party_graph(participations)
    andap = ID + "person/andap-budhi-revianto"
    assert {ID + "person/edy-suharmanto", ID + "org/forkopimda-sultra"} <= set(graph.neighbors(andap))
    assert graph.nodes[ID + "org/forkopimda-sultra"]["institution_type"] == "Forum"


def test_institution_and_bipartite_projections(participations):
    institutions = institution_graph(participations)
    assert institutions.has_edge(ID + "org/kpu-kab-sijunjung", ID + "org/polres-sijunjung")  # via the Kapolres post
    bipartite = bipartite_graph(participations)
    meetings = {n for n, d in bipartite.nodes(data=True) if d["bipartite"] == 1}
    assert len(meetings) == 6 and nx.is_bipartite(bipartite)


def test_measures_cover_every_node(participations):
    graph = party_graph(participations)
    scores = measures(graph)
    assert set(scores) == set(graph.nodes)
    assert all({"degree", "weighted_degree", "betweenness", "community"} <= set(m) for m in scores.values())
    assert len({m["community"] for m in scores.values()}) >= 3  # Sultra, Kaltim, Sijunjung, Kukar apart


def _p(meeting: str, party: str, kind: str) -> Participation:
    return Participation(meeting, meeting, "2024-11-01", "", "", party, party, kind if kind in ("Person",) else "Organization",
                         "", "", "" if kind == "Person" else kind, "", "s", "t", "q")


def test_broker_is_the_person_linking_election_and_security_bodies():
    participations = [
        _p("m1", "kpu", "ElectionCommission"), _p("m1", "broker", "Person"),
        _p("m2", "broker", "Person"), _p("m2", "polres", "Police"),
        _p("m3", "other", "Person"), _p("m3", "kpu", "ElectionCommission"),
    ]
    assert brokers(participations) == [("broker", "broker", 1)]


def test_graphml_loads_back_with_the_same_counts(tmp_path, good_build, engine, participations):
    target = tmp_path / "persons.graphml"
    result = run_egkg("export", "--format", "graphml", "-o", target, "--build", good_build.out_dir)
    assert result.returncode == 0, result.stderr
    loaded = nx.read_graphml(target)
    expected = person_graph(participations, fetch_posts(engine))
    assert (loaded.number_of_nodes(), loaded.number_of_edges()) == (expected.number_of_nodes(), expected.number_of_edges())
    gexf = tmp_path / "institutions.gexf"
    assert run_egkg("export", "--format", "gexf", "--graph", "institutions", "-o", gexf, "--build", good_build.out_dir).returncode == 0
    assert nx.read_gexf(gexf).number_of_edges() == institution_graph(participations).number_of_edges()


def test_views_are_written_self_contained(tmp_path, engine):
    drawn = write_views(engine, tmp_path)
    assert set(drawn) == {"coordination.html", "institutions.html", "meetings.html"}
    for page in ("index.html", "coordination.html", "institutions.html", "meetings.html", "timeline.html"):
        html = (tmp_path / page).read_text(encoding="utf-8")
        # Nothing is loaded from another host: no src/href to http(s), no @import, no fetch.
        assert not re.search(r"""(src|href)\s*=\s*["']?https?:""", html, re.I), page
        assert "Content-Security-Policy" in html
    data = _graph_data(tmp_path / "coordination.html")
    assert len(data["nodes"]) == drawn["coordination.html"][0] and len(data["edges"]) == drawn["coordination.html"][1]
    edy = next(n for n in data["nodes"] if n["id"] == ID + "person/edy-suharmanto")
    # A person is a dot whatever their appointment; acting (Pj) shows as a dashed, thicker border.
    assert edy["shape"] == "dot" and edy["shapeProperties"]["borderDashes"] and edy["borderWidth"] == 3
    assert any("Bupati Bombana (Pj)" in line for line in edy["tip"])


def test_time_slice_keeps_only_meetings_in_the_window(tmp_path, engine):
    drawn = write_views(engine, tmp_path, date_from="2024-11-01", date_to="2024-11-27")
    meetings = [n for n in _graph_data(tmp_path / "meetings.html")["nodes"] if n["egkgType"] == "Meeting"]
    assert len(meetings) == 4 and drawn["coordination.html"][0] < 45


def _graph_data(path):
    html = path.read_text(encoding="utf-8")
    match = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


# The one query fetch_participations replaced (its OPTIONALs are too slow in Oxigraph at scale):
# the split queries must give exactly its rows.
ONE_QUERY = """
PREFIX egkg: <https://w3id.org/egkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?meeting ?meetingLabel ?date ?place ?province ?party ?partyLabel ?partyType
       ?kind ?institution ?institutionLabel ?institutionType ?source ?sourceTitle ?quote
WHERE {
  ?participation egkg:meeting ?meeting ; egkg:participant ?party ; egkg:evidence ?evidence .
  ?evidence egkg:inSource ?source ; egkg:quote ?quote .
  ?source egkg:headline ?sourceTitle .
  ?meeting rdfs:label ?meetingLabel ; egkg:startDate ?date .
  OPTIONAL { ?meeting egkg:inRegion ?where . ?where rdfs:label ?place .
             OPTIONAL { ?where egkg:parentRegion/rdfs:label ?province } }
  ?party rdfs:label ?partyLabel ; a ?type .
  FILTER(?type IN (egkg:Person, egkg:Post) || EXISTS { ?type rdfs:subClassOf egkg:Organization })
  BIND(STRAFTER(STR(?type), "#") AS ?partyType)
  OPTIONAL { ?participation egkg:inCapacityOf ?post }
  OPTIONAL { ?participation egkg:appointmentKind/skos:notation ?kind }
  OPTIONAL { ?holding egkg:holder ?party ; egkg:post ?post ; egkg:appointmentKind/skos:notation ?kind }
  OPTIONAL { ?participation egkg:institution ?institution . ?institution a ?itype ; rdfs:label ?institutionLabel .
             FILTER EXISTS { ?itype rdfs:subClassOf egkg:Organization }
             BIND(STRAFTER(STR(?itype), "#") AS ?institutionType) }
}
"""


def test_split_participation_queries_give_what_the_one_query_gave(engine, participations):
    table = engine.select(ONE_QUERY)
    fields = {"meetingLabel": "meeting_label", "partyLabel": "party_label", "partyType": "party_type",
              "institutionLabel": "institution_label", "institutionType": "institution_type", "sourceTitle": "source_title"}
    expected = {
        Participation(**{fields.get(c, c): (t.value if t is not None else "") for c, t in zip(table.columns, row)})
        for row in table.rows
    }
    assert set(participations) == expected
    assert any(p.kind for p in expected) and any(p.province for p in expected) and any(p.institution for p in expected)


# The timeline's former single queries, kept as the oracle for the split ones.
ONE_QUERY_MEETINGS = """
PREFIX egkg: <https://w3id.org/egkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?meeting ?label ?date ?place ?province WHERE {
  ?meeting a egkg:Meeting ; rdfs:label ?label ; egkg:startDate ?date .
  OPTIONAL { ?meeting egkg:inRegion ?where . ?where rdfs:label ?place .
             OPTIONAL { ?where egkg:parentRegion/rdfs:label ?parent } }
  BIND(COALESCE(?parent, ?place, "") AS ?province)
}
"""
ONE_QUERY_HOLDINGS = """
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


def _as_dicts(engine, query):
    table = engine.select(query)
    return sorted(sorted({c: (t.value if t is not None else "") for c, t in zip(table.columns, row)}.items())
                  for row in table.rows)


def test_split_timeline_queries_give_what_the_one_queries_gave(engine):
    from kg_builder.views import timeline_holdings, timeline_meetings

    meetings = sorted(sorted(m.items()) for m in timeline_meetings(engine))
    assert meetings == _as_dicts(engine, ONE_QUERY_MEETINGS) and any(dict(m)["province"] for m in meetings)
    holdings = sorted(sorted(h.items()) for h in timeline_holdings(engine))
    assert holdings == _as_dicts(engine, ONE_QUERY_HOLDINGS) and any(dict(h)["province"] for h in holdings)
