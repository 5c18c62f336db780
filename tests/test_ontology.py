"""The ontology: OWL 2 loadable by owlready2, consistent under HermiT, labelled, and in step with Python."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml
from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef

from kg_builder.draft.knowledge import KNOWLEDGE_DIR
from kg_builder.paths import ONTOLOGY_FILE
from kg_builder.rdf.namespace import EGKG
from kg_builder.rdf.vocab import load_ontology, load_vocabulary
from kg_builder.reason.hermit import hermit_consistency

NS = str(EGKG)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology(ONTOLOGY_FILE)


def _terms(ontology: Graph) -> set[str]:
    return {str(s).removeprefix(NS) for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(NS)}


def test_hermit_finds_the_ontology_consistent(ontology):
    report = hermit_consistency(ontology)
    assert report.consistent, report


def test_hermit_detects_an_inconsistent_individual(ontology):
    broken = Graph()
    broken += ontology
    thing = URIRef("https://w3id.org/egkg/id/test/both")
    broken.add((thing, RDF.type, EGKG.Person))
    broken.add((thing, RDF.type, EGKG.Organization))  # disjoint classes
    assert not hermit_consistency(broken).consistent


def test_closed_namespace_equals_the_ontology(ontology):
    declared = set(EGKG.__annotations__)
    assert declared == _terms(ontology)


def test_closed_namespace_refuses_typos():
    with pytest.raises(AttributeError):
        EGKG.startdate  # noqa: B018 - the lookup itself is the test


@pytest.mark.parametrize("kind", [OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty])
def test_every_term_has_labels_in_indonesian_and_english_and_a_comment(ontology, kind):
    for term in ontology.subjects(RDF.type, kind):
        if not str(term).startswith(NS):
            continue
        labels = {label.language for label in ontology.objects(term, RDFS.label)}
        assert {"id", "en"} <= labels, f"{term} labels {labels}"
        comments = {c.language for c in ontology.objects(term, RDFS.comment)}
        assert "en" in comments, f"{term} has no English rdfs:comment"


def test_classes_and_properties_follow_naming_conventions(ontology):
    for term in ontology.subjects(RDF.type, OWL.Class):
        if str(term).startswith(NS):
            assert str(term).removeprefix(NS)[0].isupper(), term
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for term in ontology.subjects(RDF.type, kind):
            if str(term).startswith(NS):
                assert str(term).removeprefix(NS)[0].islower(), term


def test_appointment_kinds_and_roles_are_concepts(ontology):
    vocabulary = load_vocabulary(ontology)
    assert set(vocabulary.allowed("AppointmentKind")) == {"Definitive", "Pj", "Pjs", "Plh", "Plt"}
    assert {"chair", "organizer", "host", "speaker", "attendee", "representative"} <= set(vocabulary.allowed("ParticipantRole"))
    assert "Police" in vocabulary.allowed("OrganizationType")


def test_model_classes_reuse_w3c_and_schema_terms(ontology):
    expected = {
        EGKG.Person: "https://schema.org/Person",
        EGKG.Organization: "http://www.w3.org/ns/org#Organization",
        EGKG.Post: "http://www.w3.org/ns/org#Post",
        EGKG.Meeting: "http://www.w3.org/ns/prov#Activity",
        EGKG.Regulation: "http://data.europa.eu/eli/ontology#LegalResource",
        EGKG.Source: "https://schema.org/NewsArticle",
    }
    for cls, parent in expected.items():
        assert URIRef(parent) in set(ontology.objects(cls, RDFS.subClassOf)), cls


def _notations(ontology: Graph, cls: URIRef) -> dict[str, URIRef]:
    return {str(n): c for c in ontology.subjects(RDF.type, cls) for n in ontology.objects(c, SKOS.notation)}


def test_every_office_and_regulation_type_the_drafter_knows_is_a_concept(ontology):
    # The drafter proposes a post or a regulation only for a concept the ontology declares: a row of
    # its knowledge files without one is recognised in the text and then silently left out of drafts.
    offices = {row["office"] for row in yaml.safe_load((KNOWLEDGE_DIR / "offices.yaml").read_text())["offices"] if row["office"]}
    regulation_types = {row["type"] for row in yaml.safe_load((KNOWLEDGE_DIR / "regulations.yaml").read_text())["types"]}
    assert sorted(offices - set(_notations(ontology, EGKG.OfficeType))) == [], "add these egkg:OfficeType concepts"
    assert sorted(regulation_types - set(_notations(ontology, EGKG.RegulationType))) == [], "add these egkg:RegulationType concepts"


@pytest.mark.parametrize("cls", [EGKG.OfficeType, EGKG.RegulationType])
def test_concepts_of_a_scheme_have_distinct_labels_and_known_parents(ontology, cls):
    concepts = set(_notations(ontology, cls).values())
    for lang in ("id", "en"):
        labels = Counter(str(lbl) for c in concepts for lbl in ontology.objects(c, SKOS.prefLabel) if lbl.language == lang)
        assert [label for label, n in labels.items() if n > 1] == [], f"two {cls} concepts share a prefLabel@{lang}"
    for concept in concepts:
        for parent in ontology.objects(concept, SKOS.broader):
            assert parent in concepts and parent != concept, f"{concept} skos:broader {parent}: not a sibling concept"
