"""Records -> RDF through an rdflib Dataset: one named graph per source article, plus the ontology and gazetteer graphs.

Pure and deterministic: IRIs come from curated slugs and evidence offsets, never from counters,
blank nodes or dict order, so the same records always give the same quads.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from rdflib import (
    DCTERMS,
    ORG,
    PROV,
    RDF,
    RDFS,
    SKOS,
    XSD,
    Dataset,
    Graph,
    Literal,
    Namespace,
    URIRef,
)
from rdflib.compare import to_canonical_graph

from ..errors import InputError
from ..load.gazetteer import ATTRIBUTION, Region
from ..load.loaded import Corpus, LoadedFile, format_path
from ..load.models import Holding, Meeting, Observation, Person, RecordFile, Regulation
from ..load.yaml_lines import line_of
from ..rdf.namespace import EGKG, ID

__all__ = ["GAZETTEER_DATASET", "GAZETTEER_GRAPH", "ONTOLOGY_GRAPH", "ConceptLabels", "Origin", "Origins", "map_corpus", "ref_iri", "slug", "source_graph_iri"]

ELI = Namespace("http://data.europa.eu/eli/ontology#")
ONTOLOGY_GRAPH = ID["graph/ontology"]
GAZETTEER_GRAPH = ID["graph/gazetteer"]
GAZETTEER_DATASET = ID["dataset/idn-area-data"]


def ref_iri(ref: str) -> URIRef:
    """`person/edy-suharmanto` -> https://w3id.org/egkg/id/person/edy-suharmanto."""
    return ID[ref]


def source_graph_iri(source_id: str) -> URIRef:
    return ID[f"graph/source/{source_id}"]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def _id(text: str) -> Literal:
    return Literal(text, lang="id")


class Origin(Sequence):
    """(record file, line, field) of the record that made a node, its line found when first read.

    Finding lines walks the whole file with libyaml, which cost more than mapping it; most
    origins never appear in a message. Reads, compares and pickles as the tuple it stands for,
    but pickled before its line is read it keeps the file's text (shared by the file's origins),
    not the line: a chunked build pickles every file's origins into cache/.
    """

    __slots__ = ("field", "file", "lines", "path")

    def __init__(self, file: str, path: tuple[str | int, ...], field: str, lines: Mapping):
        self.file, self.path, self.field, self.lines = file, path, field, lines

    @property
    def line(self) -> int | None:
        try:
            return line_of(self.lines, self.path)
        except InputError:  # the reference parser refuses what the fast one read: the message goes without a line
            return None

    def __getitem__(self, index):
        if index in (0, -3):  # the file alone (grouping origins by file) finds no line
            return self.file
        if index in (2, -1):
            return self.field
        return (self.file, self.line, self.field)[index]

    def __len__(self) -> int:
        return 3

    def __eq__(self, other: object) -> bool:
        return tuple(self) == tuple(other) if isinstance(other, (tuple, Origin)) else NotImplemented

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return repr(tuple(self))

    def __reduce__(self):
        if getattr(self.lines, "walked", True):  # the line is at hand: pickled as the plain tuple
            return tuple, ((self.file, self.line, self.field),)
        return Origin, (self.file, self.path, self.field, self.lines)


Origins = dict[str, "tuple[str, int | None, str] | Origin"]  # IRI -> (record file, line, field)


def map_corpus(corpus: Corpus, ontology: Graph, *, static: bool = True) -> tuple[Dataset, Origins]:
    """Build the dataset (ontology, gazetteer, one graph per record file) and where each node came from.

    The origins map a node IRI to (record file, line, field path) so validation reports can point
    a curator at the record, not at an IRI.
    """
    origins: Origins = {}
    dataset = Dataset()
    if static:  # the ontology and gazetteer graphs; a chunked build maps them once, not per chunk
        ontology_graph = dataset.graph(ONTOLOGY_GRAPH)
        # Canonical blank-node labels (RDFC-style hashing of content) keep N-Quads byte-identical.
        for triple in to_canonical_graph(ontology):
            ontology_graph.add(triple)
        _map_gazetteer(dataset.graph(GAZETTEER_GRAPH), corpus.regions)
    labels = ConceptLabels(ontology)
    for loaded in corpus.files:
        graph = dataset.graph(source_graph_iri(loaded.record.source.id))
        _SourceMapper(graph, loaded, corpus, labels, origins).map()
    return dataset, origins


def _map_gazetteer(graph: Graph, regions: dict[str, Region]) -> None:
    graph.add((GAZETTEER_DATASET, RDF.type, PROV.Entity))
    graph.add((GAZETTEER_DATASET, RDFS.label, Literal("idn-area-data 4.0.1", lang="en")))
    graph.add((GAZETTEER_DATASET, DCTERMS.license, URIRef("https://opendatacommons.org/licenses/odbl/1-0/")))
    graph.add((GAZETTEER_DATASET, DCTERMS.bibliographicCitation, Literal(ATTRIBUTION, lang="en")))
    for region in regions.values():
        iri = ref_iri(f"region/{region.code}")
        graph.add((iri, RDF.type, EGKG[region.kind]))
        graph.add((iri, EGKG.name, _id(region.name)))
        graph.add((iri, RDFS.label, _id(region.name)))
        graph.add((iri, EGKG.kemendagriCode, Literal(region.code)))
        graph.add((iri, PROV.wasDerivedFrom, GAZETTEER_DATASET))
        if region.parent:
            graph.add((iri, EGKG.parentRegion, ref_iri(f"region/{region.parent}")))


class ConceptLabels:
    """Short Indonesian labels of concepts, for readable rdfs:labels of derived nodes."""

    def __init__(self, ontology: Graph):
        self._ontology = ontology

    def short(self, concept: URIRef) -> str:
        for predicate in (SKOS.altLabel, SKOS.prefLabel):
            for label in sorted(self._ontology.objects(concept, predicate)):
                if getattr(label, "language", None) == "id":
                    return str(label)
        return str(concept).rsplit("/", 1)[-1]


class _SourceMapper:
    """Maps one record file into its source graph."""

    def __init__(self, graph: Graph, loaded: LoadedFile, corpus: Corpus, labels: ConceptLabels, origins: Origins):
        self.graph = graph
        self.origins = origins
        self.corpus = corpus
        self.loaded = loaded
        self.record: RecordFile = loaded.record
        self.vocabulary = corpus.vocabulary
        self.labels = labels
        self.source = self.iri(f"source/{self.record.source.id}")

    def iri(self, ref: str) -> URIRef:
        """The IRI of a reference, after the curator's `same` decisions (data/resolutions.yaml)."""
        return ref_iri(self.canonical(ref))

    def canonical(self, ref: str) -> str:
        return self.corpus.same_as.get(ref, ref)

    def origin(self, iri: URIRef, path: tuple[str | int, ...]) -> URIRef:
        """Remember the first record that made `iri`, for validation messages."""
        self.origins.setdefault(str(iri), (self.loaded.display, self.loaded.line(path), format_path(path)))
        return iri

    def add(self, subject: URIRef, predicate: URIRef, obj: object) -> None:
        if obj is None:
            return
        if not isinstance(obj, (URIRef, Literal)):
            obj = Literal(obj)
        self.graph.add((subject, predicate, obj))

    def concept(self, concept_class: str, notation: str) -> URIRef:
        return self.vocabulary.iri(concept_class, notation)

    def evidence(self, subject: URIRef, quotes: Iterable[str]) -> None:
        for quote in quotes:
            start, end = self.loaded.quote_offsets[quote]
            node = ID[f"evidence/{self.record.source.id}/{start}-{end}"]
            self.add(node, RDF.type, EGKG.Evidence)
            self.add(node, EGKG.quote, Literal(self.loaded.text.original[start:end]))
            self.add(node, EGKG.inSource, self.source)
            self.add(node, EGKG.startOffset, Literal(start))
            self.add(node, EGKG.endOffset, Literal(end))
            self.add(subject, EGKG.evidence, node)

    def map(self) -> None:
        self.map_source()
        for index, person in enumerate(self.record.persons):
            self.map_person(person, index)
        for index, org in enumerate(self.record.organizations):
            iri = self.origin(self.iri(f"org/{org.id}"), ("organizations", index))
            self.add(iri, RDF.type, self.concept("OrganizationType", org.type))
            self.add(iri, EGKG.name, _id(org.name))
            self.add(iri, RDFS.label, _id(org.name))
            for acronym in org.acronyms:
                self.add(iri, SKOS.altLabel, _id(acronym))
            if org.level:
                self.add(iri, EGKG.level, self.concept("AdministrativeLevel", org.level))
            if org.region:
                self.add(iri, EGKG.jurisdiction, self.iri(org.region))
            for parent in org.part_of:
                self.add(iri, ORG.subOrganizationOf, self.iri(parent))
            if org.note:
                self.add(iri, EGKG.curatorNote, Literal(org.note, lang="en"))
            self.evidence(iri, org.evidence)
        for index, post in enumerate(self.record.posts):
            iri = self.origin(self.iri(f"post/{post.id}"), ("posts", index))
            self.add(iri, RDF.type, EGKG.Post)
            self.add(iri, RDFS.label, _id(post.label))
            self.add(iri, EGKG.officeType, self.concept("OfficeType", post.office))
            self.add(iri, EGKG.postIn, self.iri(post.organization))
            if post.region:
                self.add(iri, EGKG.jurisdiction, self.iri(post.region))
            self.evidence(iri, post.evidence)
        for index, holding in enumerate(self.record.holdings):
            self.map_holding(holding, index)
        for index, place in enumerate(self.record.places):
            iri = self.origin(self.iri(f"place/{place.id}"), ("places", index))
            self.add(iri, RDF.type, EGKG.Place)
            self.add(iri, EGKG.name, _id(place.name))
            self.add(iri, RDFS.label, _id(place.name))
            self.add(iri, EGKG.inRegion, self.iri(place.region))
            self.add(iri, EGKG.curatorNote, place.note and Literal(place.note, lang="en"))
            self.evidence(iri, place.evidence)
        for index, meeting in enumerate(self.record.meetings):
            self.map_meeting(meeting, index)
        for index, regulation in enumerate(self.record.regulations):
            self.map_regulation(regulation, index)
        for index, election in enumerate(self.record.elections):
            iri = self.origin(self.iri(f"election/{election.id}"), ("elections", index))
            self.add(iri, RDF.type, EGKG.Election)
            self.add(iri, EGKG.name, _id(election.name))
            self.add(iri, RDFS.label, _id(election.name))
            for acronym in election.acronyms:
                self.add(iri, SKOS.altLabel, _id(acronym))
            self.add(iri, EGKG.electionType, self.concept("ElectionType", election.type))
            self.add(iri, EGKG.electionDay, election.day and Literal(election.day))
            if election.month:
                self.add(iri, EGKG.electionMonth, Literal(election.month, datatype=XSD.gYearMonth))
            if election.region:
                self.add(iri, EGKG.inRegion, self.iri(election.region))
            if election.part_of:
                self.add(iri, EGKG.partOfElection, self.iri(election.part_of))
            self.evidence(iri, election.evidence)
        for index, stage in enumerate(self.record.stages):
            iri = self.origin(self.iri(f"stage/{stage.id}"), ("stages", index))
            self.add(iri, RDF.type, EGKG.ElectionStage)
            self.add(iri, EGKG.name, _id(stage.name))
            self.add(iri, RDFS.label, _id(stage.name))
            self.add(iri, EGKG.stageOf, self.iri(stage.election))
            self.add(iri, EGKG.stageKind, self.concept("StageKind", stage.kind))
            self.add(iri, EGKG.startDate, stage.start and Literal(stage.start))
            self.add(iri, EGKG.endDate, stage.end and Literal(stage.end))
            self.evidence(iri, stage.evidence)
        for index, observation in enumerate(self.record.observations):
            self.map_observation(observation, index)
        for index, error in enumerate(self.record.source_errors):
            iri = self.origin(ID[f"source-error/{self.record.source.id}/{error.id}"], ("source_errors", index))
            self.add(iri, RDF.type, EGKG.SourceError)
            self.add(iri, RDFS.label, Literal(f"{error.kind}: {error.printed}", lang="en"))
            self.add(iri, EGKG.errorKind, self.concept("SourceErrorKind", error.kind))
            self.add(iri, EGKG.asPrinted, Literal(error.printed))
            self.add(iri, EGKG.correction, error.correction and Literal(error.correction))
            if error.concerns:
                self.add(iri, EGKG.concerns, self.iri(error.concerns))
            self.add(iri, EGKG.curatorNote, Literal(error.note, lang="en"))
            self.add(iri, EGKG.inSource, self.source)
            self.evidence(iri, error.evidence)

    def map_source(self) -> None:
        source = self.record.source
        iri = self.origin(self.source, ("source",))
        self.add(iri, RDF.type, EGKG.Source)
        self.add(iri, EGKG.headline, _id(source.title))
        self.add(iri, RDFS.label, _id(source.title))
        self.add(iri, EGKG.outletName, Literal(source.outlet))
        if source.publisher:
            self.add(iri, EGKG.publisher, self.iri(source.publisher))
        self.add(iri, EGKG.datePublished, source.published and Literal(source.published))
        self.add(iri, EGKG.publishedNote, source.published_note and Literal(source.published_note))
        self.add(iri, EGKG.inLanguage, Literal(source.language))
        if source.url:
            self.add(iri, EGKG.url, Literal(source.url, datatype=XSD.anyURI))
        self.add(iri, EGKG.retrieved, source.retrieved and Literal(source.retrieved))
        if source.advertorial is not None:  # false is a curator's finding too; absent says nothing
            self.add(iri, EGKG.advertorial, Literal(source.advertorial))
        self.add(iri, EGKG.byline, source.byline and Literal(source.byline))
        self.add(iri, EGKG.archivedText, Literal(source.text))
        if source.notes:
            self.add(iri, EGKG.curatorNote, Literal(source.notes, lang="en"))
        self.evidence(iri, source.evidence)
        for index, item in enumerate(source.furniture):
            start, end = self.loaded.quote_offsets[item.quote]
            node = self.origin(ID[f"furniture/{source.id}/{start}-{end}"], ("source", "furniture", index))
            self.add(node, RDF.type, EGKG.PageFurniture)
            self.add(node, EGKG.quote, Literal(self.loaded.text.original[start:end]))
            self.add(node, EGKG.reason, Literal(item.reason))
            self.add(node, EGKG.inSource, iri)
            self.add(node, EGKG.startOffset, Literal(start))
            self.add(node, EGKG.endOffset, Literal(end))

    def map_person(self, person: Person, index: int) -> None:
        ref = f"person/{person.id}"
        iri = self.origin(self.iri(ref), ("persons", index))
        self.add(iri, RDF.type, EGKG.Person)
        if self.canonical(ref) == ref:
            self.add(iri, EGKG.name, Literal(person.name))
            self.add(iri, RDFS.label, Literal(person.name))
        else:
            # Merged into another person by a curator decision: its name becomes a variant.
            variant = ID[f"name-variant/{self.canonical(ref).split('/', 1)[1]}/{slug(person.name)}"]
            self.add(iri, SKOS.altLabel, Literal(person.name))
            self.add(iri, EGKG.hasNameVariant, variant)
            self.add(variant, RDF.type, EGKG.NameVariant)
            self.add(variant, EGKG.variantName, Literal(person.name))
            self.add(variant, EGKG.variantKind, self.concept("NameVariantKind", "merged-record"))
            self.evidence(variant, person.evidence)
        self.add(iri, EGKG.printedName, person.printed and Literal(person.printed))
        for prefix in person.honorific_prefixes:
            self.add(iri, EGKG.honorificPrefix, Literal(prefix))
        for degree in person.academic_degrees:
            self.add(iri, EGKG.academicDegree, Literal(degree))
        for rank in person.ranks:
            self.add(iri, EGKG.rank, Literal(rank))
        for number, alias in enumerate(person.aliases):
            variant = self.origin(
                ID[f"name-variant/{self.canonical(ref).split('/', 1)[1]}/{slug(alias.name)}"],
                ("persons", index, "aliases", number),
            )
            self.add(iri, SKOS.altLabel, Literal(alias.name))
            self.add(iri, EGKG.hasNameVariant, variant)
            self.add(variant, RDF.type, EGKG.NameVariant)
            self.add(variant, EGKG.variantName, Literal(alias.name))
            self.add(variant, EGKG.variantKind, self.concept("NameVariantKind", alias.kind))
            if alias.note:
                self.add(variant, EGKG.curatorNote, Literal(alias.note, lang="en"))
            self.evidence(variant, alias.evidence)
        self.evidence(iri, person.evidence)

    def map_holding(self, holding: Holding, index: int) -> None:
        person = self.canonical(holding.holder).split("/", 1)[1]
        post = self.canonical(holding.post).split("/", 1)[1]
        iri = self.origin(ID[f"holding/{person}/{post}/{holding.kind.lower()}"], ("holdings", index))
        self.add(iri, RDF.type, EGKG.PostHolding)
        self.add(iri, EGKG.holder, self.iri(holding.holder))
        self.add(iri, EGKG.post, self.iri(holding.post))
        self.add(iri, EGKG.appointmentKind, self.concept("AppointmentKind", holding.kind))
        for day in holding.attested_on:
            self.add(iri, EGKG.attestedOn, Literal(day))
        self.add(iri, EGKG.startDate, holding.start and Literal(holding.start))
        self.add(iri, EGKG.endDate, holding.end and Literal(holding.end))
        self.add(iri, EGKG.portfolio, holding.portfolio and _id(holding.portfolio))
        self.add(iri, EGKG.curatorNote, holding.note and Literal(holding.note, lang="en"))
        self.evidence(iri, holding.evidence)

    def map_meeting(self, meeting: Meeting, index: int) -> None:
        iri = self.origin(self.iri(f"meeting/{meeting.id}"), ("meetings", index))
        self.add(iri, RDF.type, EGKG.Meeting)
        self.add(iri, EGKG.meetingKind, self.concept("MeetingKind", meeting.kind))
        self.add(iri, EGKG.title, _id(meeting.title))
        self.add(iri, RDFS.label, _id(meeting.title))
        self.add(iri, EGKG.startDate, Literal(meeting.start))
        self.add(iri, EGKG.endDate, Literal(meeting.end or meeting.start))
        for predicate, ref in (
            (EGKG.venue, meeting.venue),
            (EGKG.inRegion, meeting.region),
            (EGKG.concernsRegion, meeting.concerns_region),
            (EGKG.chair, meeting.chair),
        ):
            if ref:
                self.add(iri, predicate, self.iri(ref))
        for ref in meeting.organizers:
            self.add(iri, EGKG.organizer, self.iri(ref))
        for ref in meeting.elections:
            self.add(iri, EGKG.forElection, self.iri(ref))
        for topic in meeting.topics:
            self.add(iri, EGKG.topic, self.concept("Topic", topic))
        for number, citation in enumerate(meeting.citations):
            node = self.origin(
                ID[f"citation/{meeting.id}/{citation.regulation.removeprefix('regulation/').replace('/', '-')}"],
                ("meetings", index, "citations", number),
            )
            self.add(node, RDF.type, EGKG.Citation)
            self.add(node, EGKG.citedRegulation, self.iri(citation.regulation))
            self.add(node, EGKG.article, citation.article and Literal(citation.article))
            self.add(iri, EGKG.hasCitation, node)
            self.add(iri, EGKG.citesRegulation, self.iri(citation.regulation))
            self.evidence(node, citation.evidence)
        for number, participation in enumerate(meeting.participants):
            kind, key = self.canonical(participation.who).split("/", 1)
            node = self.origin(
                ID[f"participation/{meeting.id}/{kind}-{key}"], ("meetings", index, "participants", number)
            )
            self.add(node, RDF.type, EGKG.Participation)
            self.add(node, EGKG.meeting, iri)
            self.add(iri, EGKG.hasParticipation, node)
            self.add(node, EGKG.participant, self.iri(participation.who))
            if participation.capacity:
                self.add(node, EGKG.inCapacityOf, self.iri(participation.capacity))
            if participation.appointment:
                self.add(node, EGKG.appointmentKind, self.concept("AppointmentKind", participation.appointment))
            for role in participation.roles:
                self.add(node, EGKG.role, self.concept("ParticipantRole", role))
            if participation.represents:
                self.add(node, EGKG.represents, self.iri(participation.represents))
            self.add(node, EGKG.curatorNote, participation.note and Literal(participation.note, lang="en"))
            for institution in self.institutions_of(participation):
                self.add(node, EGKG.institution, self.iri(institution))
            self.evidence(node, participation.evidence)
        self.add(iri, EGKG.curatorNote, meeting.note and Literal(meeting.note, lang="en"))
        self.evidence(iri, meeting.evidence)

    def institutions_of(self, participation) -> list[str]:
        """Organisations present through a participation: itself, whom it represents, its post's."""
        found = []
        for ref in (participation.who, participation.represents, participation.capacity):
            if ref is None:
                continue
            if ref.startswith("org/"):
                found.append(ref)
            elif ref.startswith("post/"):
                found.append(self.post_organization(ref))
        return sorted(set(found))

    def post_organization(self, ref: str) -> str:
        return self.corpus.post_orgs[ref]

    def map_regulation(self, regulation: Regulation, index: int) -> None:
        iri = self.origin(self.iri(f"regulation/{regulation.id}"), ("regulations", index))
        kind = self.concept("RegulationType", regulation.type)
        self.add(iri, RDF.type, EGKG.Regulation)
        self.add(iri, EGKG.regulationType, kind)
        self.add(iri, EGKG.number, regulation.number and Literal(regulation.number))
        self.add(iri, EGKG.year, Literal(str(regulation.year), datatype=XSD.gYear))
        self.add(iri, EGKG.title, _id(regulation.title))
        short = self.labels.short(kind)
        citation = f"{short} {regulation.number}/{regulation.year}" if regulation.number else f"{short} {regulation.year}"
        self.add(iri, RDFS.label, _id(citation))
        self.add(iri, EGKG.documentDate, regulation.date and Literal(regulation.date))
        if regulation.issuer:
            self.add(iri, EGKG.issuer, self.iri(regulation.issuer))
        for ref in regulation.amends:
            self.add(iri, ELI.amends, self.iri(ref))
        for ref in regulation.enacts:
            self.add(iri, EGKG.enacts, self.iri(ref))
        self.add(iri, EGKG.asPrinted, regulation.printed and Literal(regulation.printed))
        self.evidence(iri, regulation.evidence)

    def map_observation(self, observation: Observation, index: int) -> None:
        iri = self.origin(ID[f"observation/{self.record.source.id}/{observation.id}"], ("observations", index))
        indicator = self.concept("Indicator", observation.indicator)
        self.add(iri, RDF.type, EGKG.Observation)
        self.add(iri, EGKG.indicator, indicator)
        self.add(iri, EGKG.unit, self.concept("Unit", observation.unit))
        self.add(iri, RDFS.label, _id(f"{self.labels.short(indicator)}: {observation.printed}"))
        if observation.value is not None:
            self.add(iri, EGKG.value, Literal(observation.value, datatype=XSD.decimal))
        self.add(iri, EGKG.valueText, observation.value_text and _id(observation.value_text))
        self.add(iri, EGKG.asPrinted, Literal(observation.printed))
        if observation.region:
            self.add(iri, EGKG.inRegion, self.iri(observation.region))
        if observation.meeting:
            self.add(iri, EGKG.reportedAt, self.iri(observation.meeting))
        self.add(iri, EGKG.asOf, observation.as_of and Literal(observation.as_of))
        self.evidence(iri, observation.evidence)
