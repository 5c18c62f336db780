"""The models' Rdf annotations agree with ontology/egkg.ttl: predicates exist, domains and ranges fit."""

from __future__ import annotations

import dataclasses

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Graph, URIRef
from rdflib.collection import Collection

from kg_builder.load.models import REF_CLASSES, REF_PATTERN, Meeting, Rdf, Record, RecordFile, rdf_fields
from kg_builder.paths import ONTOLOGY_FILE
from kg_builder.load.walks import CONTROLLED_FIELDS, REFERENCE_FIELDS
from kg_builder.rdf.serialize import PREFIXES
from kg_builder.rdf.vocab import load_ontology

PROPERTY_TYPES = {OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
BUILT_IN = {RDF.type, RDFS.label}  # RDF's own terms, which the ontology does not redeclare


def expand(curie: str) -> URIRef:
    prefix, _, local = curie.partition(":")
    return URIRef(PREFIXES[prefix] + local)


def superclasses(ontology: Graph, cls: URIRef) -> set[URIRef]:
    return set(ontology.transitive_objects(cls, RDFS.subClassOf))


def range_members(ontology: Graph, range_: URIRef) -> set[URIRef]:
    """The range itself, or the classes of its owl:unionOf."""
    union = ontology.value(range_, OWL.unionOf)
    return set(Collection(ontology, union)) if union is not None else {range_}


def problems_of(ontology: Graph, model: type, name: str, rdf: Rdf) -> list[str]:
    """Every disagreement between one field's annotation and the ontology."""
    where = f"{model.__name__}.{name}"
    found = []
    kinds = [bool(rdf.datatype), bool(rdf.vocabulary), bool(rdf.refs)]
    if sum(kinds) != 1:
        return [f"{where}: needs exactly one of datatype, vocabulary, refs"]
    if model.rdf_class is None or (expand(model.rdf_class), RDF.type, OWL.Class) not in ontology:
        found.append(f"{where}: model class {model.rdf_class} is not an owl:Class of the ontology")
        return found
    subject_classes = superclasses(ontology, expand(model.rdf_class))
    for curie in rdf.predicates:
        predicate = expand(curie)
        if predicate in BUILT_IN:
            continue
        declared = set(ontology.objects(predicate, RDF.type)) & PROPERTY_TYPES
        if not declared:
            found.append(f"{where}: {curie} is not a property declared in the ontology")
            continue
        wanted = {OWL.DatatypeProperty} if rdf.datatype else {OWL.ObjectProperty}
        if not declared & (wanted | {OWL.AnnotationProperty}):
            found.append(f"{where}: {curie} is a {sorted(declared)} but the field makes {'literals' if rdf.datatype else 'IRIs'}")
        for domain in ontology.objects(predicate, RDFS.domain):
            if not subject_classes & range_members(ontology, domain):
                found.append(f"{where}: {curie} has domain {domain}, not {model.rdf_class}")
        for range_ in ontology.objects(predicate, RDFS.range):
            found.extend(_range_problems(ontology, where, curie, rdf, range_))
    return found


def _range_problems(ontology: Graph, where: str, curie: str, rdf: Rdf, range_: URIRef) -> list[str]:
    allowed = range_members(ontology, range_)
    if rdf.datatype:
        return [] if expand(rdf.datatype) in allowed else [f"{where}: {curie} has range {range_}, field writes {rdf.datatype}"]
    if rdf.vocabulary:
        concept_class = expand(f"egkg:{rdf.vocabulary}")
        return [] if concept_class in allowed else [f"{where}: {curie} has range {range_}, field takes {rdf.vocabulary}"]
    # A range narrower than the kind's class (egkg:publisher takes a MediaOutlet, the field an org) is
    # what a reference kind cannot say; the shapes check the class.
    return [
        f"{where}: {curie} has range {range_}, field takes {kind}"
        for kind in sorted(rdf.refs)
        if not superclasses(ontology, expand(REF_CLASSES[kind])) & allowed
        and not any(expand(REF_CLASSES[kind]) in superclasses(ontology, member) for member in allowed)
    ]


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return load_ontology(ONTOLOGY_FILE)


def test_every_field_annotation_agrees_with_the_ontology(ontology):
    found = [problem for _, model, name, rdf in rdf_fields() for problem in problems_of(ontology, model, name, rdf)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("wrong", [
    dataclasses.replace(Meeting.model_fields["venue"].metadata[-1], predicates=("egkg:venu",)),  # no such property
    dataclasses.replace(Meeting.model_fields["venue"].metadata[-1], refs=frozenset({"person"})),  # range is Place
    Rdf.typed("egkg:endDate", "xsd:dateTime"),  # range is xsd:date
    Rdf.text("egkg:headline", lang="id"),  # domain is Source, not Meeting
    Rdf.concept("egkg:meetingKind", "Topic"),  # range is MeetingKind
    Rdf.text("egkg:venue"),  # an object property given a literal
])
def test_a_wrong_annotation_is_reported(ontology, wrong):
    assert problems_of(ontology, Meeting, "venue", wrong)


def test_every_vocabulary_is_a_concept_class_of_the_ontology(ontology):
    concept_classes = {str(c).removeprefix(PREFIXES["egkg"]) for c in ontology.subjects(RDFS.subClassOf, SKOS.Concept)}
    vocabularies = {concept_class for _, concept_class in CONTROLLED_FIELDS}
    assert vocabularies - concept_classes == {"OrganizationType"}  # an org's class, read from the class tree


def test_every_reference_field_names_its_kinds():
    """A field typed as a reference without an Rdf.ref annotation would escape the reference checks."""
    checked = {pattern for pattern, _ in REFERENCE_FIELDS}
    unchecked = []

    def walk(model, path):
        for name, info in model.model_fields.items():
            typed = repr(info.annotation) + repr(info.metadata)
            if REF_PATTERN in typed and (*path, name) not in checked:
                unchecked.append((*path, name))
            for arg in (info.annotation, *getattr(info.annotation, "__args__", ())):
                if isinstance(arg, type) and issubclass(arg, Record):
                    walk(arg, (*path, name, "*") if getattr(info.annotation, "__origin__", None) is list else (*path, name))

    walk(RecordFile, ())
    assert not unchecked
    assert checked, "no reference fields found: the walk is broken"
