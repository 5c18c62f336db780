"""Pydantic models of one curated record file: the source article and every fact it attests.

The models check shape and types only. Controlled values (appointment kinds, roles, organisation
types, ...) are plain strings here and are checked against the ontology by `records.py`, so the
ontology stays the one place where terms are declared.

Each mapped field also carries an `Rdf` annotation: the predicates it fills, its controlled
vocabulary or the kinds of reference it takes. The checks in `records.py`, the mapper in
`mapping/` and the ontology test all read that one declaration.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, ClassVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    model_validator,
)

__all__ = [
    "REF_CLASSES",
    "Alias",
    "Citation",
    "Election",
    "Furniture",
    "Holding",
    "Meeting",
    "Observation",
    "Organization",
    "Participation",
    "Person",
    "Place",
    "Post",
    "Rdf",
    "RecordFile",
    "Regulation",
    "Source",
    "SourceError",
    "Stage",
    "field_rdf",
    "rdf_fields",
    "record_type",
]

SLUG_PATTERN = r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$"
REF_PATTERN = r"^(person|org|post|place|meeting|regulation|election|stage|region)/[a-z0-9]+(?:[-./][a-z0-9]+)*$"

Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
Ref = Annotated[str, StringConstraints(pattern=REF_PATTERN)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _as_list(value: object) -> object:
    """Let curators write a single quote or reference where a list is expected."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return value
    return [value]


# The JSON Schema documents what a curator may write: one value or a list of them.
Quotes = Annotated[list[Text], BeforeValidator(_as_list, json_schema_input_type=str | list[str]), Field(min_length=1)]
RefList = Annotated[list[Ref], BeforeValidator(_as_list, json_schema_input_type=Ref | list[Ref])]
TermList = Annotated[list[Text], BeforeValidator(_as_list, json_schema_input_type=str | list[str])]


# The ontology class each kind of reference names.
REF_CLASSES = {
    "person": "egkg:Person", "org": "egkg:Organization", "post": "egkg:Post", "place": "egkg:Place",
    "meeting": "egkg:Meeting", "regulation": "egkg:Regulation", "election": "egkg:Election",
    "stage": "egkg:ElectionStage", "region": "egkg:Region",
}


@dataclass(frozen=True)
class Rdf:
    """How a field's values become triples of its record's node: predicates (CURIEs) and object kind.

    Exactly one object kind: a literal (`datatype`, with `lang` for language-tagged text), a concept
    of a controlled `vocabulary` (an egkg concept class, or OrganizationType for an org's class), or a
    reference to one of `refs` kinds. Kept out of the JSON Schema: it says what a curator may write.
    """

    predicates: tuple[str, ...]
    datatype: str | None = None
    lang: str | None = None
    vocabulary: str | None = None
    refs: frozenset[str] = frozenset()

    @classmethod
    def text(cls, *predicates: str, lang: str | None = None) -> Rdf:
        return cls(predicates, datatype="rdf:langString" if lang else "xsd:string", lang=lang)

    @classmethod
    def typed(cls, predicate: str, datatype: str) -> Rdf:
        return cls((predicate,), datatype=datatype)

    @classmethod
    def concept(cls, predicate: str, vocabulary: str) -> Rdf:
        return cls((predicate,), vocabulary=vocabulary)

    @classmethod
    def ref(cls, predicate: str, kinds: str) -> Rdf:
        return cls((predicate,), refs=frozenset(kinds.split()))


class Record(BaseModel):
    """Base of every record: unknown fields are errors, values are immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, coerce_numbers_to_str=True)
    # The ontology class of the record's node (None: the record makes no node of its own).
    rdf_class: ClassVar[str | None] = None


def field_rdf(model: type[BaseModel]) -> list[tuple[str, Rdf]]:
    """(field name, Rdf) of every mapped field of a model, in declaration order."""
    found = []
    for name, info in model.model_fields.items():
        for item in info.metadata:
            if isinstance(item, Rdf):
                found.append((name, item))
    return found


def rdf_fields(model: type[BaseModel] | None = None, path: tuple[str | int, ...] = ()) -> Iterator[tuple[tuple[str | int, ...], type[BaseModel], str, Rdf]]:
    """(path pattern with "*" for list items, model, field, Rdf) of every mapped field under a model.

    Walks nested records in declaration order, so the checks report problems in file order.
    """
    model = model or RecordFile
    mapped = dict(field_rdf(model))
    for name, info in model.model_fields.items():
        if name in mapped:
            yield (*path, name), model, name, mapped[name]
            continue
        nested = record_type(info.annotation)
        if nested is not None:
            is_list = getattr(info.annotation, "__origin__", None) is list
            yield from rdf_fields(nested, (*path, name, "*") if is_list else (*path, name))


def record_type(annotation: object) -> type[Record] | None:
    """The record model inside `X` or `list[X]`, if any."""
    if isinstance(annotation, type) and issubclass(annotation, Record):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        if isinstance(arg, type) and issubclass(arg, Record):
            return arg
    return None


class Furniture(Record):
    """Page chrome (share buttons, "Baca Juga" links, comment forms) that yields no fact."""

    rdf_class = "egkg:PageFurniture"
    quote: Text  # mapped as the text it locates in the archive, not as written
    reason: Annotated[Text, Rdf.text("egkg:reason")]


class Source(Record):
    """The archived article: where its text lives and what the page says about itself."""

    rdf_class = "egkg:Source"
    id: Slug
    text: Annotated[Text, Rdf.text("egkg:archivedText")] = Field(description="archived text file, relative to data/")
    outlet: Annotated[Text, Rdf.text("egkg:outletName")] = Field(description="outlet name as printed")
    publisher: Annotated[Ref | None, Rdf.ref("egkg:publisher", "org")] = Field(None, description="org/... of the outlet")
    title: Annotated[Text, Rdf.text("egkg:headline", "rdfs:label", lang="id")]
    published: Annotated[dt.date | None, Rdf.typed("egkg:datePublished", "xsd:date")] = None
    published_note: Annotated[Text | None, Rdf.text("egkg:publishedNote")] = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$"), Rdf.text("egkg:inLanguage")] = "id"
    url: Annotated[Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None, Rdf.typed("egkg:url", "xsd:anyURI")] = Field(
        None, description="the article's address, only when known (printed in the text or recorded at archiving)")
    retrieved: Annotated[dt.date | None, Rdf.typed("egkg:retrieved", "xsd:date")] = Field(
        None, description="the day the archived text was taken from the web")
    # Strict: a provenance flag is written true or false, never guessed from a word like "ADV" or a 1.
    advertorial: Annotated[StrictBool | None, Rdf.typed("egkg:advertorial", "xsd:boolean")] = Field(
        None, description="true when the page marks the article as paid content ((ADV), adv/...); leave out when unknown")
    byline: Annotated[Text | None, Rdf.text("egkg:byline")] = None
    evidence: Quotes = Field(description="quotes showing outlet, title, byline and the advertorial marker")
    furniture: list[Furniture] = []
    notes: Annotated[Text | None, Rdf.text("egkg:curatorNote", lang="en")] = None

    @model_validator(mode="after")
    def _retrieved_not_before_published(self) -> Source:
        if self.published and self.retrieved and self.retrieved < self.published:
            raise ValueError(f"retrieved {self.retrieved} is before published {self.published}; "
                             "an article cannot be archived before it appears")
        return self


class Alias(Record):
    """A name variant found in the source, kept beside the canonical name."""

    rdf_class = "egkg:NameVariant"
    name: Annotated[Text, Rdf.text("egkg:variantName")]
    kind: Annotated[Text, Rdf.concept("egkg:variantKind", "NameVariantKind")] = Field(
        description="variant kind: notation of egkg:NameVariantKind")
    note: Annotated[Text | None, Rdf.text("egkg:curatorNote", lang="en")] = None
    evidence: Quotes


class Person(Record):
    """A named person, with titles, degrees and ranks split off the printed name."""

    rdf_class = "egkg:Person"
    id: Slug
    # A person merged into another by a curator decision keeps its name as a name variant instead.
    name: Annotated[Text, Rdf.text("egkg:name", "rdfs:label")] = Field(description="name without titles, degrees or ranks")
    printed: Annotated[Text | None, Rdf.text("egkg:printedName")] = Field(
        None, description="the fullest form printed in the source")
    honorific_prefixes: Annotated[TermList, Rdf.text("egkg:honorificPrefix")] = []
    academic_degrees: Annotated[TermList, Rdf.text("egkg:academicDegree")] = []
    ranks: Annotated[TermList, Rdf.text("egkg:rank")] = []
    aliases: list[Alias] = []
    evidence: Quotes


class Organization(Record):
    """An institution named or referred to, or a group of office holders named together."""

    rdf_class = "egkg:Organization"
    id: Slug
    name: Annotated[Text, Rdf.text("egkg:name", "rdfs:label", lang="id")]
    type: Annotated[Text, Rdf.concept("rdf:type", "OrganizationType")] = Field(
        description="local name of an egkg:Organization subclass")
    acronyms: Annotated[TermList, Rdf.text("skos:altLabel", lang="id")] = []
    level: Annotated[Text | None, Rdf.concept("egkg:level", "AdministrativeLevel")] = Field(
        None, description="notation of egkg:AdministrativeLevel")
    region: Annotated[Ref | None, Rdf.ref("egkg:jurisdiction", "region")] = None
    part_of: Annotated[RefList, Rdf.ref("org:subOrganizationOf", "org")] = []
    note: Annotated[Text | None, Rdf.text("egkg:curatorNote", lang="en")] = None
    evidence: Quotes


class Post(Record):
    """A seat that exists apart from its holder ("Bupati Bombana", "Kapolres Sijunjung")."""

    rdf_class = "egkg:Post"
    id: Slug
    label: Annotated[Text, Rdf.text("rdfs:label", lang="id")]
    office: Annotated[Text, Rdf.concept("egkg:officeType", "OfficeType")] = Field(description="notation of egkg:OfficeType")
    organization: Annotated[Ref, Rdf.ref("egkg:postIn", "org")]
    region: Annotated[Ref | None, Rdf.ref("egkg:jurisdiction", "region")] = None
    evidence: Quotes


class Holding(Record):
    """A person in a post, as a source shows it on given dates."""

    rdf_class = "egkg:PostHolding"
    holder: Annotated[Ref, Rdf.ref("egkg:holder", "person")]
    post: Annotated[Ref, Rdf.ref("egkg:post", "post")]
    kind: Annotated[Text, Rdf.concept("egkg:appointmentKind", "AppointmentKind")] = Field(
        description="notation of egkg:AppointmentKind")
    attested_on: Annotated[list[dt.date], BeforeValidator(_as_list, json_schema_input_type=dt.date | list[dt.date]),
                           Rdf.typed("egkg:attestedOn", "xsd:date")] = []
    start: Annotated[dt.date | None, Rdf.typed("egkg:startDate", "xsd:date")] = None
    end: Annotated[dt.date | None, Rdf.typed("egkg:endDate", "xsd:date")] = None
    portfolio: Annotated[Text | None, Rdf.text("egkg:portfolio", lang="id")] = None
    note: Annotated[Text | None, Rdf.text("egkg:curatorNote", lang="en")] = None
    evidence: Quotes

    @model_validator(mode="after")
    def _end_not_before_start(self) -> Holding:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}; swap or correct them")
        return self


class Place(Record):
    """A venue: a hotel, an office room, a pendopo."""

    rdf_class = "egkg:Place"
    id: Slug
    name: Annotated[Text, Rdf.text("egkg:name", "rdfs:label", lang="id")]
    region: Annotated[Ref, Rdf.ref("egkg:inRegion", "region")]
    note: Annotated[Text | None, Rdf.text("egkg:curatorNote", lang="en")] = None
    evidence: Quotes


class Participation(Record):
    """One participant at one meeting: a person, an organisation, or a post with no named holder."""

    rdf_class = "egkg:Participation"
    who: Annotated[Ref, Rdf.ref("egkg:participant", "person org post")]
    capacity: Annotated[Ref | None, Rdf.ref("egkg:inCapacityOf", "post")] = Field(
        None, description="post/... the participant sat in")
    appointment: Annotated[Text | None, Rdf.concept("egkg:appointmentKind", "AppointmentKind")] = Field(
        None, description="appointment kind when the holder is unnamed")
    roles: Annotated[TermList, Rdf.concept("egkg:role", "ParticipantRole")] = ["attendee"]
    represents: Annotated[Ref | None, Rdf.ref("egkg:represents", "org post")] = None
    note: Annotated[Text | None, Rdf.text("egkg:curatorNote", lang="en")] = None
    evidence: Quotes


class Citation(Record):
    """A regulation the meeting or a speaker cites, with the sentence that cites it."""

    rdf_class = "egkg:Citation"
    regulation: Annotated[Ref, Rdf.ref("egkg:citedRegulation", "regulation")]
    article: Annotated[Text | None, Rdf.text("egkg:article")] = Field(None, description="Pasal, when cited")
    evidence: Quotes


class Meeting(Record):
    """A coordination meeting (Rakor), working visit or hearing."""

    rdf_class = "egkg:Meeting"
    id: Slug
    kind: Annotated[Text, Rdf.concept("egkg:meetingKind", "MeetingKind")] = Field(description="notation of egkg:MeetingKind")
    title: Annotated[Text, Rdf.text("egkg:title", "rdfs:label", lang="id")]
    start: Annotated[dt.date, Rdf.typed("egkg:startDate", "xsd:date")]
    end: Annotated[dt.date | None, Rdf.typed("egkg:endDate", "xsd:date")] = None  # mapped as start when absent
    venue: Annotated[Ref | None, Rdf.ref("egkg:venue", "place")] = None
    region: Annotated[Ref | None, Rdf.ref("egkg:inRegion", "region")] = Field(None, description="region/... where it was held")
    concerns_region: Annotated[Ref | None, Rdf.ref("egkg:concernsRegion", "region")] = Field(
        None, description="region/... whose election it prepares")
    organizers: Annotated[RefList, Rdf.ref("egkg:organizer", "org person")] = []
    chair: Annotated[Ref | None, Rdf.ref("egkg:chair", "person post org")] = None
    elections: Annotated[RefList, Rdf.ref("egkg:forElection", "election")] = []
    topics: Annotated[TermList, Rdf.concept("egkg:topic", "Topic")] = []
    citations: list[Citation] = []
    participants: list[Participation] = []
    note: Annotated[Text | None, Rdf.text("egkg:curatorNote", lang="en")] = None
    evidence: Quotes

    @model_validator(mode="after")
    def _end_not_before_start(self) -> Meeting:
        if self.end and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}; swap or correct them")
        return self


class Regulation(Record):
    """A statute or decree: UU, Perppu, Permendagri, PKPU, Keputusan, ..."""

    rdf_class = "egkg:Regulation"
    id: Annotated[str, StringConstraints(pattern=r"^[a-z]+(?:-[a-z]+)*/\d{4}(?:/[a-z0-9.]+(?:-[a-z0-9.]+)*)?$")]
    type: Annotated[Text, Rdf.concept("egkg:regulationType", "RegulationType")] = Field(
        description="notation of egkg:RegulationType")
    number: Annotated[Text | None, Rdf.text("egkg:number")] = Field(None, description="as numbered; none for the UUD 1945")
    year: Annotated[int, Field(ge=1945, le=2100), Rdf.typed("egkg:year", "xsd:gYear")]
    title: Annotated[Text, Rdf.text("egkg:title", lang="id")]  # its rdfs:label is the short citation
    date: Annotated[dt.date | None, Rdf.typed("egkg:documentDate", "xsd:date")] = None
    issuer: Annotated[Ref | None, Rdf.ref("egkg:issuer", "org")] = None
    amends: Annotated[RefList, Rdf.ref("eli:amends", "regulation")] = []
    enacts: Annotated[RefList, Rdf.ref("egkg:enacts", "regulation")] = []
    printed: Annotated[Text | None, Rdf.text("egkg:asPrinted")] = Field(None, description="the citation as printed")
    evidence: Quotes

    @model_validator(mode="after")
    def _id_matches_fields(self) -> Regulation:
        expected = f"{self.type.lower()}/{self.year}"
        if self.number:
            expected += f"/{_slugify_number(self.number)}"
        if self.id != expected:
            raise ValueError(f"id {self.id!r} does not match type/year/number; use {expected!r}")
        return self


def _slugify_number(number: str) -> str:
    """"100.3.3.2/180/HK/2025" -> "100.3.3.2-180-hk-2025": ELI-style ids keep one path level."""
    return re.sub(r"[^a-z0-9.]+", "-", number.lower()).strip("-")


class Election(Record):
    """An election: Pemilu 2024, Pilkada Serentak 2024, or one contest within it."""

    rdf_class = "egkg:Election"
    id: Slug
    name: Annotated[Text, Rdf.text("egkg:name", "rdfs:label", lang="id")]
    acronyms: Annotated[TermList, Rdf.text("skos:altLabel", lang="id")] = Field(
        [], description="short names as printed (Pilkada Serentak 2024)")
    type: Annotated[Text, Rdf.concept("egkg:electionType", "ElectionType")] = Field(
        description="notation of egkg:ElectionType")
    day: Annotated[dt.date | None, Rdf.typed("egkg:electionDay", "xsd:date")] = None
    month: Annotated[Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")] | None,
                     Rdf.typed("egkg:electionMonth", "xsd:gYearMonth")] = None
    region: Annotated[Ref | None, Rdf.ref("egkg:inRegion", "region")] = None
    part_of: Annotated[Ref | None, Rdf.ref("egkg:partOfElection", "election")] = None
    evidence: Quotes


class Stage(Record):
    """A stage of an election (coklit, campaign, voting), with the dates the source gives."""

    rdf_class = "egkg:ElectionStage"
    id: Slug
    election: Annotated[Ref, Rdf.ref("egkg:stageOf", "election")]
    kind: Annotated[Text, Rdf.concept("egkg:stageKind", "StageKind")] = Field(description="notation of egkg:StageKind")
    name: Annotated[Text, Rdf.text("egkg:name", "rdfs:label", lang="id")]
    start: Annotated[dt.date | None, Rdf.typed("egkg:startDate", "xsd:date")] = None
    end: Annotated[dt.date | None, Rdf.typed("egkg:endDate", "xsd:date")] = None
    evidence: Quotes

    @model_validator(mode="after")
    def _end_not_before_start(self) -> Stage:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}; swap or correct them")
        return self


class Observation(Record):
    """A reported figure: a target, a rate, a count or a category, for a region."""

    rdf_class = "egkg:Observation"
    id: Slug
    indicator: Annotated[Text, Rdf.concept("egkg:indicator", "Indicator")] = Field(description="notation of egkg:Indicator")
    value: Annotated[Decimal | None, Rdf.typed("egkg:value", "xsd:decimal")] = None
    value_text: Annotated[Text | None, Rdf.text("egkg:valueText", lang="id")] = None
    unit: Annotated[Text, Rdf.concept("egkg:unit", "Unit")] = Field(description="notation of egkg:Unit")
    region: Annotated[Ref | None, Rdf.ref("egkg:inRegion", "region")] = None
    meeting: Annotated[Ref | None, Rdf.ref("egkg:reportedAt", "meeting")] = None
    as_of: Annotated[dt.date | None, Rdf.typed("egkg:asOf", "xsd:date")] = None
    printed: Annotated[Text, Rdf.text("egkg:asPrinted")] = Field(description="the figure as printed, e.g. '83,82%'")
    evidence: Quotes

    @model_validator(mode="after")
    def _has_value(self) -> Observation:
        if self.value is None and self.value_text is None:
            raise ValueError("give value (a number) or value_text (a category such as 'rawan sedang')")
        return self


class SourceError(Record):
    """Something the source got wrong, recorded as printed and never silently fixed."""

    rdf_class = "egkg:SourceError"
    id: Slug
    kind: Annotated[Text, Rdf.concept("egkg:errorKind", "SourceErrorKind")] = Field(
        description="notation of egkg:SourceErrorKind")
    printed: Annotated[Text, Rdf.text("egkg:asPrinted")]
    correction: Annotated[Text | None, Rdf.text("egkg:correction")] = None
    concerns: Annotated[Ref | None, Rdf.ref("egkg:concerns", "person org post place meeting regulation election stage region")] = None
    note: Annotated[Text, Rdf.text("egkg:curatorNote", lang="en")]
    evidence: Quotes


class RecordFile(Record):
    """Everything curated from one source article; the file is the unit of provenance."""

    source: Source
    persons: list[Person] = []
    organizations: list[Organization] = []
    posts: list[Post] = []
    holdings: list[Holding] = []
    places: list[Place] = []
    meetings: list[Meeting] = []
    regulations: list[Regulation] = []
    elections: list[Election] = []
    stages: list[Stage] = []
    observations: list[Observation] = []
    source_errors: list[SourceError] = []
