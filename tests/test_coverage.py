"""The build holds what a reader finds in the five articles (expectations in coverage_expected.yaml)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml

from kg_builder.outputs.store import open_store

EXPECTED = yaml.safe_load((Path(__file__).parent / "coverage_expected.yaml").read_text(encoding="utf-8"))
PREFIXES = {
    "egkg": "https://w3id.org/egkg/ontology#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}


@pytest.fixture(scope="module")
def store(good_build) -> ox.Store:
    return open_store(good_build.out_dir / "store")


def select(store: ox.Store, query: str, **values: ox.NamedNode | ox.Literal) -> list[dict[str, str]]:
    """Run a SELECT over the union of all graphs (the default graph) with bound values; rows as plain strings."""
    solutions = store.query(
        query, prefixes=PREFIXES,
        substitutions={ox.Variable(k): v for k, v in values.items()},
    )
    names = [v.value for v in solutions.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in solutions]


def test_expectations_cover_the_acceptance_minimum():
    assert len(EXPECTED["persons"]) >= 12
    assert len(EXPECTED["meetings"]) >= 5
    assert len(EXPECTED["regulations"]) >= 6


@pytest.mark.parametrize("person", EXPECTED["persons"], ids=lambda p: p["name"])
def test_person_with_post_and_appointment(store, person):
    found = select(store, "SELECT * WHERE { ?p a egkg:Person ; egkg:name ?name }", name=ox.Literal(person["name"]))
    assert found, f"no person named {person['name']!r}"
    iri = ox.NamedNode(found[0]["p"])
    aliases = {row["alias"] for row in select(store, "SELECT * WHERE { ?p skos:altLabel ?alias }", p=iri)}
    assert set(person["variants"]) <= aliases
    if person["office"] is None:
        return
    holdings = select(store, """
        SELECT * WHERE {
          ?h egkg:holder ?p ; egkg:post ?post ; egkg:appointmentKind ?k .
          ?post egkg:officeType ?o . ?o skos:notation ?office . ?k skos:notation ?kind }""", p=iri)
    pairs = {(row["office"], row["kind"]) for row in holdings}
    assert (person["office"], person["appointment"]) in pairs, pairs


@pytest.mark.parametrize("meeting", EXPECTED["meetings"], ids=lambda m: f"{m['source']}-{m['start']}-{m['venue_contains']}")
def test_meeting_date_place_and_named_participants(store, meeting):
    rows = select(store, """
        SELECT * WHERE {
          ?m a egkg:Meeting ; egkg:startDate ?start ; egkg:endDate ?end ; egkg:inRegion ?city ; egkg:venue ?v .
          ?city egkg:kemendagriCode ?cityCode ; egkg:parentRegion/egkg:kemendagriCode ?provinceCode .
          ?v egkg:name ?venue }""",
        start=ox.Literal(str(meeting["start"]), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
        end=ox.Literal(str(meeting["end"]), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
        cityCode=ox.Literal(meeting["city_code"]), provinceCode=ox.Literal(meeting["province_code"]),
    )
    rows = [r for r in rows if meeting["venue_contains"].lower() in r["venue"].lower()]
    assert rows, f"no meeting on {meeting['start']}..{meeting['end']} at {meeting['venue_contains']} in {meeting['city_code']}"
    participants: set[str] = set()
    for row in rows:
        participants |= {r["name"] for r in select(store, """
            SELECT * WHERE { ?m egkg:hasParticipation/egkg:participant ?p . ?p a egkg:Person ; egkg:name ?name }""",
            m=ox.NamedNode(row["m"]))}
    missing = set(meeting["attended_by"]) - participants
    # Each expected meeting must be matched by one graph meeting holding all its named people.
    assert not missing, f"{missing} not recorded at the meeting"


@pytest.mark.parametrize("regulation", EXPECTED["regulations"], ids=lambda r: f"{r['type']}-{r['year']}-{r['number']}")
def test_regulation_and_its_links(store, regulation):
    rows = select(store, """
        SELECT * WHERE { ?r a egkg:Regulation ; egkg:regulationType/skos:notation ?type ; egkg:year ?year .
                                  OPTIONAL { ?r egkg:number ?number } }""",
        type=ox.Literal(regulation["type"]),
        year=ox.Literal(str(regulation["year"]), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#gYear")))
    rows = [r for r in rows if r.get("number") == regulation["number"]]
    assert len(rows) == 1, rows
    iri = ox.NamedNode(rows[0]["r"])
    for key, predicate in (("amends", "eli:amends"), ("enacts", "egkg:enacts")):
        targets = {r["t"] for r in select(store, f"SELECT * WHERE {{ ?r {predicate} ?t }}", r=iri)}
        expected = {f"https://w3id.org/egkg/id/regulation/{regulation[key]}"} if regulation[key] else set()
        assert targets == expected


def test_amendment_chain_reaches_the_perppu(store):
    rows = select(store, "SELECT * WHERE { ?r (eli:amends|egkg:enacts)+ ?t }",
                  r=ox.NamedNode("https://w3id.org/egkg/id/regulation/uu/2016/10"))
    assert "https://w3id.org/egkg/id/regulation/perppu/2014/1" in {r["t"] for r in rows}


@pytest.mark.parametrize("election", EXPECTED["elections"], ids=lambda e: e["name"])
def test_election_day(store, election):
    rows = select(store, "SELECT * WHERE { ?e a egkg:Election ; egkg:name ?name . OPTIONAL { ?e egkg:electionDay ?day } }")
    matching = [r for r in rows if r.get("e") and election["name"].lower() in _names(store, r["e"])]
    assert matching, f"no election named like {election['name']!r}"
    days = {r.get("day") for r in matching}
    assert days == {str(election["day"]) if election.get("day") else None}


def _names(store: ox.Store, iri: str) -> str:
    rows = select(store, "SELECT * WHERE { ?e egkg:name|rdfs:label|skos:altLabel ?n }", e=ox.NamedNode(iri))
    return " | ".join(r["n"].lower() for r in rows)


def test_source_errors_are_recorded_not_fixed(store):
    rows = select(store, "SELECT * WHERE { ?e a egkg:SourceError ; egkg:asPrinted ?printed }")
    assert any("Pemkot Baubau" in r["printed"] for r in rows)


def test_honorifics_degrees_and_ranks_are_data(store):
    rows = select(store, """SELECT * WHERE {
        ?p egkg:name "Andap Budhi Revianto" ; egkg:rank ?rank ; egkg:honorificPrefix ?prefix ; egkg:academicDegree ?degree }""")
    assert {r["rank"] for r in rows} == {"Komjen Pol. (P)"}
    assert {r["prefix"] for r in rows} == {"Dr. (H.C)"}
    assert {r["degree"] for r in rows} == {"S.I.K.", "M.H."}
