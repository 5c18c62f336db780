"""`egkg network stats` as a library: three projections, named communities, brokers across cliques, explanations."""

from __future__ import annotations

import networkx as nx
import pytest

from kg_builder.network import PROJECTIONS, Participation, bridges, brokers, fetch_posts, projection, stats_tables

from .test_network import ID


def _p(meeting: str, party: str, kind: str) -> Participation:
    person = kind == "Person"
    return Participation(meeting, meeting, "2024-11-01", "", "", party, party, "Person" if person else kind,
                         "", "", "" if person else kind, "", "s", "t", "q")


def test_projections_are_persons_institutions_and_all(participations, engine):
    assert PROJECTIONS == ("persons", "institutions", "all")
    posts = fetch_posts(engine)
    persons, institutions, everyone = (projection(participations, posts, which) for which in PROJECTIONS)
    assert {d["type"] for _, d in persons.nodes(data=True)} == {"Person"}
    assert ID + "org/polres-sijunjung" in institutions and ID + "person/edy-suharmanto" not in institutions
    assert set(persons) < set(everyone) and ID + "org/forkopimda-sultra" in everyone
    with pytest.raises(ValueError, match="persons, institutions, all"):
        projection(participations, posts, "parties")


@pytest.mark.parametrize("which", PROJECTIONS)
def test_every_table_has_a_title_rows_and_an_explanation(participations, engine, which):
    tables = stats_tables(participations, fetch_posts(engine), which, top=50)
    assert [t.key for t in tables] == ["measures", "communities", "brokers"]
    for table in tables:
        assert table.title and table.explanation and len(table.explanation.split()) >= 8
        assert all(len(row) == len(table.columns) for row in table.rows)
    measured = tables[0]
    graph = projection(participations, fetch_posts(engine), which)
    assert len(measured.rows) == graph.number_of_nodes()  # top=50 exceeds every projection here


def test_communities_are_named_by_their_most_central_members(participations, engine):
    communities = stats_tables(participations, fetch_posts(engine), "persons", top=20)[1]
    names = [row[1] for row in communities.rows]
    # The two Sultra meetings form one community; Andap, who sat in both, leads its name.
    assert any(name.startswith("Andap Budhi Revianto") for name in names)
    assert len(names) >= 3 and len(set(names)) == len(names)
    assert all(not name.startswith("community") for name in names)


def test_brokers_are_found_when_every_meeting_is_a_clique():
    # Two meetings, two shared members: no single removal disconnects KPU from the police (no cut
    # vertex), yet A and B each bring together an election body and a security body that never met.
    participations = [
        _p("m1", "kpu", "ElectionCommission"), _p("m1", "A", "Person"), _p("m1", "B", "Person"),
        _p("m2", "A", "Person"), _p("m2", "B", "Person"), _p("m2", "polres", "Police"),
        _p("m3", "bawaslu", "ElectionSupervisor"), _p("m3", "polres", "Police"), _p("m3", "C", "Person"),
    ]
    assert brokers(participations) == [("A", "A", 1), ("B", "B", 1)]  # C: bawaslu and polres met directly


@pytest.mark.parametrize("which", PROJECTIONS)
def test_broker_counts_follow_the_definition_on_the_real_data(participations, engine, which):
    # Counted the other way round: every election/security pair that never met, credited to each common contact.
    graph = projection(participations, fetch_posts(engine), which)
    sector = {n: graph.nodes[n]["institution_type"] for n in graph}
    election = [n for n in graph if sector[n] in {"ElectionCommission", "ElectionSupervisor", "EthicsCouncil"}]
    security = [n for n in graph if sector[n] in {"Police", "Military", "Prosecution"}]
    expected: dict[str, int] = {}
    for e in election:
        for s in security:
            if e != s and not graph.has_edge(e, s):
                for contact in nx.common_neighbors(graph, e, s):
                    expected[contact] = expected.get(contact, 0) + 1
    assert (election and security) or which == "persons"
    assert {node: count for node, _, count in bridges(graph, top=1000)} == expected


def test_isolated_party_is_measured_not_dropped():
    participations = [_p("m1", "kpu", "ElectionCommission"), _p("m1", "A", "Person"), _p("m2", "alone", "Person")]
    tables = stats_tables(participations, {}, "all", top=10)
    assert "alone" in [row[0] for row in tables[0].rows]
    assert nx.number_of_isolates(projection(participations, {}, "all")) == 1
