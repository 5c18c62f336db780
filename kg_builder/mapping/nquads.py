"""Records -> sorted N-Quads lines, driven by the models' Rdf annotations, with no rdflib graph in between."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import pyoxigraph as ox
from rdflib import Graph
from rdflib.compare import to_canonical_graph

from ..load.gazetteer import ATTRIBUTION, Region
from ..load.loaded import Corpus, LoadedFile, format_path
from ..load.models import (
    Holding,
    Meeting,
    Observation,
    Person,
    Rdf,
    Record,
    RecordFile,
    Regulation,
    SourceError,
    field_rdf,
)
from ..rdf.serialize import PREFIXES, ox_term
from .graph import (
    GAZETTEER_DATASET,
    GAZETTEER_GRAPH,
    ONTOLOGY_GRAPH,
    ConceptLabels,
    Origin,
    Origins,
    ref_iri,
    slug,
    source_graph_iri,
)

__all__ = ["map_corpus_nquads", "nquads_to_quads"]

ID = str(ref_iri(""))
EGKG = PREFIXES["egkg"]
XSD = PREFIXES["xsd"]


def expand(curie: str) -> str:
    """"egkg:name" -> the full IRI, with the project's prefixes."""
    prefix, _, local = curie.partition(":")
    return PREFIXES[prefix] + local


def map_corpus_nquads(corpus: Corpus, ontology: Graph, *, static: bool = True) -> tuple[list[str], Origins]:
    """The sorted, duplicate-free N-Quads lines of the corpus (as `to_nquads` writes them), and the origins.

    The same quads and origins as `map_corpus` (tests/test_mapping_nquads.py holds them equal).
    """
    terms = _Terms()
    lines: list[str] = []
    if static:  # the ontology and gazetteer graphs; a chunked build maps them once, not per chunk
        lines += _ontology_lines(ontology)
        lines += _gazetteer_lines(corpus.regions.values(), terms)
    origins: Origins = {}
    labels = _ShortLabels(ontology)
    for loaded in corpus.files:
        _SourceLines(loaded, corpus, terms, labels, origins, lines).map()
    return sorted(set(lines)), origins


def nquads_to_quads(lines: Iterable[str]) -> list[ox.Quad]:
    """Oxigraph quads of N-Quads lines, for a store that is not loaded from N-Quads text."""
    return list(ox.parse("".join(lines), format=ox.RdfFormat.N_QUADS))


class _Terms:
    """N-Triples forms of terms. pyoxigraph writes each (its escaping); IRIs and typed values are cached."""

    def __init__(self) -> None:
        self._iris: dict[str, str] = {}
        self._typed: dict[tuple[str, str], str] = {}

    def iri(self, value: str) -> str:
        term = self._iris.get(value)
        if term is None:
            term = self._iris[value] = str(ox.NamedNode(value))
        return term

    def typed(self, lexical: str, datatype: str) -> str:
        term = self._typed.get((lexical, datatype))
        if term is None:
            term = self._typed[(lexical, datatype)] = str(ox.Literal(lexical, datatype=ox.NamedNode(datatype)))
        return term

    @staticmethod
    def text(value: str, lang: str | None = None) -> str:
        return str(ox.Literal(value, language=lang)) if lang else str(ox.Literal(value))


def _lexical(value: object) -> str:
    """The lexical form rdflib gives a Python value (the mapping of record it replaces)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:f}"  # never exponent notation: 1E+3 is "1000"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


RDF_TYPE = f"<{PREFIXES['rdf']}type>"
RDFS_LABEL = f"<{PREFIXES['rdfs']}label>"
ALT_LABEL = f"<{PREFIXES['skos']}altLabel>"
XSD_INTEGER = XSD + "integer"


def _p(local: str) -> str:
    return f"<{EGKG}{local}>"


@dataclass(frozen=True)
class _Field:
    """One annotated field, with its predicates already written as N-Triples IRIs."""

    name: str
    predicates: tuple[str, ...]
    rdf: Rdf
    datatype: str | None  # full IRI of a non-string literal's datatype


@dataclass(frozen=True)
class _Plan:
    type_term: str | None  # rdf:type of the node, unless a field gives it
    fields: tuple[_Field, ...]


@cache
def _plan(model: type[Record]) -> _Plan:
    fields = tuple(
        _Field(name, tuple(f"<{expand(p)}>" for p in rdf.predicates), rdf,
               expand(rdf.datatype) if rdf.datatype and not rdf.lang and rdf.datatype != "xsd:string" else None)
        for name, rdf in field_rdf(model)
    )
    typed_by_field = any(p == RDF_TYPE for f in fields for p in f.predicates)
    type_term = f"<{expand(model.rdf_class)}>" if model.rdf_class and not typed_by_field else None
    return _Plan(type_term, fields)


class _ShortLabels:
    """Short Indonesian concept labels for derived rdfs:labels, looked up once per concept."""

    def __init__(self, ontology: Graph):
        self._labels = ConceptLabels(ontology)
        self._found: dict[str, str] = {}

    def short(self, concept) -> str:
        key = str(concept)
        if key not in self._found:
            self._found[key] = self._labels.short(concept)
        return self._found[key]


def _ontology_lines(ontology: Graph) -> list[str]:
    """The ontology graph, with canonical blank-node labels (as `map_corpus` writes it)."""
    graph = f" <{ONTOLOGY_GRAPH}> .\n"
    return [f"{ox_term(s)} {ox_term(p)} {ox_term(o)}{graph}" for s, p, o in to_canonical_graph(ontology)]


def _gazetteer_lines(regions: Iterable[Region], terms: _Terms) -> list[str]:
    graph = f" <{GAZETTEER_GRAPH}> .\n"
    dataset = f"<{GAZETTEER_DATASET}>"
    lines = [
        f"{dataset} {RDF_TYPE} <{PREFIXES['prov']}Entity>{graph}",
        f"{dataset} {RDFS_LABEL} {terms.text('idn-area-data 4.0.1', 'en')}{graph}",
        f"{dataset} <{PREFIXES['dcterms']}license> <https://opendatacommons.org/licenses/odbl/1-0/>{graph}",
        f"{dataset} <{PREFIXES['dcterms']}bibliographicCitation> {terms.text(ATTRIBUTION, 'en')}{graph}",
    ]
    for region in regions:
        iri = terms.iri(f"{ID}region/{region.code}")
        name = terms.text(region.name, "id")
        lines += [
            f"{iri} {RDF_TYPE} {_p(region.kind)}{graph}",
            f"{iri} {_p('name')} {name}{graph}",
            f"{iri} {RDFS_LABEL} {name}{graph}",
            f"{iri} {_p('kemendagriCode')} {terms.text(region.code)}{graph}",
            f"{iri} <{PREFIXES['prov']}wasDerivedFrom> {dataset}{graph}",
        ]
        if region.parent:
            lines.append(f"{iri} {_p('parentRegion')} {terms.iri(f'{ID}region/{region.parent}')}{graph}")
    return lines


class _SourceLines:
    """The lines of one record file's source graph: each record's annotated fields, then what they imply."""

    def __init__(self, loaded: LoadedFile, corpus: Corpus, terms: _Terms, labels: _ShortLabels, origins: Origins,
                 lines: list[str]):
        self.loaded = loaded
        self.record: RecordFile = loaded.record
        self.corpus = corpus
        self.terms = terms
        self.labels = labels
        self.origins = origins
        self.lines = lines
        self.source_id = self.record.source.id
        self.suffix = f" {terms.iri(str(source_graph_iri(self.source_id)))} .\n"
        self.source = self.ref(f"source/{self.source_id}")
        self.evidence_done: set[str] = set()  # evidence nodes already written in this graph

    # -- terms -------------------------------------------------------------------------------
    def canonical(self, ref: str) -> str:
        return self.corpus.same_as.get(ref, ref)

    def ref(self, ref: str) -> str:
        """The IRI of a reference, after the curator's `same` decisions (data/resolutions.yaml)."""
        return self.terms.iri(ID + self.canonical(ref))

    def concept(self, concept_class: str, notation: str) -> str:
        return self.terms.iri(str(self.corpus.vocabulary.iri(concept_class, notation)))

    def value(self, value: object, field: _Field) -> str:
        rdf = field.rdf
        if rdf.refs:
            return self.ref(value)
        if rdf.vocabulary:
            return self.concept(rdf.vocabulary, value)
        if field.datatype:
            return self.terms.typed(_lexical(value), field.datatype)
        return self.terms.text(value, rdf.lang)

    # -- writing -----------------------------------------------------------------------------
    def emit(self, subject: str, predicate: str, obj: str) -> None:
        self.lines.append(f"{subject} {predicate} {obj}{self.suffix}")

    def origin(self, iri: str, path: tuple[str | int, ...]) -> str:
        """Remember the first record that made `iri`, for validation messages."""
        node = iri[1:-1]
        if node not in self.origins:
            self.origins[node] = Origin(self.loaded.display, path, format_path(path), self.loaded.lines)
        return iri

    def node(self, subject: str, record: Record, *, skip: frozenset[str] = frozenset(), **values: object) -> None:
        """The node's type and every annotated field of `record`; `values` stand in for fields' own."""
        plan = _plan(type(record))
        if plan.type_term:
            self.emit(subject, RDF_TYPE, plan.type_term)
        for field in plan.fields:
            if field.name in skip:
                continue
            value = values[field.name] if field.name in values else getattr(record, field.name)
            if value is None:
                continue
            for item in value if isinstance(value, list) else (value,):
                obj = self.value(item, field)
                for predicate in field.predicates:
                    self.emit(subject, predicate, obj)

    def evidence(self, subject: str, quotes: Iterable[str]) -> None:
        for quote in quotes:
            start, end = self.loaded.quote_offsets[quote]
            node = self.terms.iri(f"{ID}evidence/{self.source_id}/{start}-{end}")
            if node not in self.evidence_done:
                self.evidence_done.add(node)
                self.located(node, _p("Evidence"), start, end)
            self.emit(subject, _p("evidence"), node)

    def located(self, node: str, node_class: str, start: int, end: int) -> None:
        """A node for a span of the archived text: its class, the text, the source and the offsets."""
        self.emit(node, RDF_TYPE, node_class)
        self.emit(node, _p("quote"), self.terms.text(self.loaded.text.original[start:end]))
        self.emit(node, _p("inSource"), self.source)
        self.emit(node, _p("startOffset"), self.terms.typed(str(start), XSD_INTEGER))
        self.emit(node, _p("endOffset"), self.terms.typed(str(end), XSD_INTEGER))

    # -- sections ----------------------------------------------------------------------------
    def map(self) -> None:
        self.map_source()
        for index, person in enumerate(self.record.persons):
            self.map_person(person, index)
        simple = (("organizations", "org"), ("posts", "post"), ("places", "place"))
        for section, kind in simple:
            self.map_declared(section, kind)
        for index, holding in enumerate(self.record.holdings):
            self.map_holding(holding, index)
        for index, meeting in enumerate(self.record.meetings):
            self.map_meeting(meeting, index)
        for index, regulation in enumerate(self.record.regulations):
            self.map_regulation(regulation, index)
        for section, kind in (("elections", "election"), ("stages", "stage")):
            self.map_declared(section, kind)
        for index, observation in enumerate(self.record.observations):
            self.map_observation(observation, index)
        for index, error in enumerate(self.record.source_errors):
            self.map_source_error(error, index)

    def map_declared(self, section: str, kind: str) -> None:
        """Records whose node is just their reference and annotated fields."""
        for index, item in enumerate(getattr(self.record, section)):
            iri = self.origin(self.ref(f"{kind}/{item.id}"), (section, index))
            self.node(iri, item)
            self.evidence(iri, item.evidence)

    def map_source(self) -> None:
        source = self.record.source
        iri = self.origin(self.source, ("source",))
        self.node(iri, source)
        self.evidence(iri, source.evidence)
        for index, item in enumerate(source.furniture):
            start, end = self.loaded.quote_offsets[item.quote]
            node = self.origin(self.terms.iri(f"{ID}furniture/{source.id}/{start}-{end}"), ("source", "furniture", index))
            self.located(node, _p("PageFurniture"), start, end)
            self.node(node, item)

    def map_person(self, person: Person, index: int) -> None:
        ref = f"person/{person.id}"
        iri = self.origin(self.ref(ref), ("persons", index))
        key = self.canonical(ref).split("/", 1)[1]
        if self.canonical(ref) == ref:
            self.node(iri, person)
        else:
            # Merged into another person by a curator decision: its name becomes a variant.
            self.node(iri, person, skip=frozenset({"name"}))
            variant = self.terms.iri(f"{ID}name-variant/{key}/{slug(person.name)}")
            self.emit(iri, ALT_LABEL, self.terms.text(person.name))
            self.emit(iri, _p("hasNameVariant"), variant)
            self.emit(variant, RDF_TYPE, _p("NameVariant"))
            self.emit(variant, _p("variantName"), self.terms.text(person.name))
            self.emit(variant, _p("variantKind"), self.concept("NameVariantKind", "merged-record"))
            self.evidence(variant, person.evidence)
        for number, alias in enumerate(person.aliases):
            variant = self.origin(self.terms.iri(f"{ID}name-variant/{key}/{slug(alias.name)}"),
                                  ("persons", index, "aliases", number))
            self.emit(iri, ALT_LABEL, self.terms.text(alias.name))
            self.emit(iri, _p("hasNameVariant"), variant)
            self.node(variant, alias)
            self.evidence(variant, alias.evidence)
        self.evidence(iri, person.evidence)

    def map_holding(self, holding: Holding, index: int) -> None:
        person = self.canonical(holding.holder).split("/", 1)[1]
        post = self.canonical(holding.post).split("/", 1)[1]
        iri = self.origin(self.terms.iri(f"{ID}holding/{person}/{post}/{holding.kind.lower()}"), ("holdings", index))
        self.node(iri, holding)
        self.evidence(iri, holding.evidence)

    def map_meeting(self, meeting: Meeting, index: int) -> None:
        iri = self.origin(self.ref(f"meeting/{meeting.id}"), ("meetings", index))
        self.node(iri, meeting, end=meeting.end or meeting.start)  # a one-day meeting ends the day it starts
        for number, citation in enumerate(meeting.citations):
            cited = citation.regulation.removeprefix("regulation/").replace("/", "-")
            node = self.origin(self.terms.iri(f"{ID}citation/{meeting.id}/{cited}"),
                               ("meetings", index, "citations", number))
            self.node(node, citation)
            self.emit(iri, _p("hasCitation"), node)
            self.emit(iri, _p("citesRegulation"), self.ref(citation.regulation))
            self.evidence(node, citation.evidence)
        for number, participation in enumerate(meeting.participants):
            kind, key = self.canonical(participation.who).split("/", 1)
            node = self.origin(self.terms.iri(f"{ID}participation/{meeting.id}/{kind}-{key}"),
                               ("meetings", index, "participants", number))
            self.node(node, participation)
            self.emit(node, _p("meeting"), iri)
            self.emit(iri, _p("hasParticipation"), node)
            for institution in self.institutions_of(participation):
                self.emit(node, _p("institution"), self.ref(institution))
            self.evidence(node, participation.evidence)
        self.evidence(iri, meeting.evidence)

    def institutions_of(self, participation) -> list[str]:
        """Organisations present through a participation: itself, whom it represents, its post's."""
        found = set()
        for ref in (participation.who, participation.represents, participation.capacity):
            if ref is None:
                continue
            if ref.startswith("org/"):
                found.add(ref)
            elif ref.startswith("post/"):
                found.add(self.corpus.post_orgs[ref])
        return sorted(found)

    def map_regulation(self, regulation: Regulation, index: int) -> None:
        iri = self.origin(self.ref(f"regulation/{regulation.id}"), ("regulations", index))
        self.node(iri, regulation)
        short = self.labels.short(self.corpus.vocabulary.iri("RegulationType", regulation.type))
        citation = f"{short} {regulation.number}/{regulation.year}" if regulation.number else f"{short} {regulation.year}"
        self.emit(iri, RDFS_LABEL, self.terms.text(citation, "id"))
        self.evidence(iri, regulation.evidence)

    def map_observation(self, observation: Observation, index: int) -> None:
        iri = self.origin(self.terms.iri(f"{ID}observation/{self.source_id}/{observation.id}"), ("observations", index))
        self.node(iri, observation)
        short = self.labels.short(self.corpus.vocabulary.iri("Indicator", observation.indicator))
        self.emit(iri, RDFS_LABEL, self.terms.text(f"{short}: {observation.printed}", "id"))
        self.evidence(iri, observation.evidence)

    def map_source_error(self, error: SourceError, index: int) -> None:
        iri = self.origin(self.terms.iri(f"{ID}source-error/{self.source_id}/{error.id}"), ("source_errors", index))
        self.node(iri, error)
        self.emit(iri, RDFS_LABEL, self.terms.text(f"{error.kind}: {error.printed}", "en"))
        self.emit(iri, _p("inSource"), self.source)
        self.evidence(iri, error.evidence)
