"""Pydantic models of one curated record file: the source article and every fact it attests.

The models check shape and types only. Controlled values (appointment kinds, roles, organisation
types, ...) are plain strings here and are checked against the ontology by `records.py`, so the
ontology stays the one place where terms are declared.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StringConstraints, model_validator

__all__ = [
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
    "RecordFile",
    "Regulation",
    "Source",
    "SourceError",
    "Stage",
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


class Record(BaseModel):
    """Base of every record: unknown fields are errors, values are immutable once loaded."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True, coerce_numbers_to_str=True)


class Furniture(Record):
    """Page chrome (share buttons, "Baca Juga" links, comment forms) that yields no fact."""

    quote: Text
    reason: Text


class Source(Record):
    """The archived article: where its text lives and what the page says about itself."""

    id: Slug
    text: Text = Field(description="archived text file, relative to data/")
    outlet: Text = Field(description="outlet name as printed")
    publisher: Ref | None = Field(None, description="org/... of the outlet")
    title: Text
    published: dt.date | None = None
    published_note: Text | None = None
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}$")] = "id"
    url: Annotated[str, StringConstraints(pattern=r"^https?://\S+$")] | None = Field(
        None, description="the article's address, only when known (printed in the text or recorded at archiving)")
    retrieved: dt.date | None = Field(None, description="the day the archived text was taken from the web")
    # Strict: a provenance flag is written true or false, never guessed from a word like "ADV" or a 1.
    advertorial: StrictBool | None = Field(
        None, description="true when the page marks the article as paid content ((ADV), adv/...); leave out when unknown")
    byline: Text | None = None
    evidence: Quotes = Field(description="quotes showing outlet, title, byline and the advertorial marker")
    furniture: list[Furniture] = []
    notes: Text | None = None

    @model_validator(mode="after")
    def _retrieved_not_before_published(self) -> Source:
        if self.published and self.retrieved and self.retrieved < self.published:
            raise ValueError(f"retrieved {self.retrieved} is before published {self.published}; "
                             "an article cannot be archived before it appears")
        return self


class Alias(Record):
    """A name variant found in the source, kept beside the canonical name."""

    name: Text
    kind: Text = Field(description="variant kind: notation of egkg:NameVariantKind")
    note: Text | None = None
    evidence: Quotes


class Person(Record):
    """A named person, with titles, degrees and ranks split off the printed name."""

    id: Slug
    name: Text = Field(description="name without titles, degrees or ranks")
    printed: Text | None = Field(None, description="the fullest form printed in the source")
    honorific_prefixes: TermList = []
    academic_degrees: TermList = []
    ranks: TermList = []
    aliases: list[Alias] = []
    evidence: Quotes


class Organization(Record):
    """An institution named or referred to, or a group of office holders named together."""

    id: Slug
    name: Text
    type: Text = Field(description="local name of an egkg:Organization subclass")
    acronyms: TermList = []
    level: Text | None = Field(None, description="notation of egkg:AdministrativeLevel")
    region: Ref | None = None
    part_of: RefList = []
    note: Text | None = None
    evidence: Quotes


class Post(Record):
    """A seat that exists apart from its holder ("Bupati Bombana", "Kapolres Sijunjung")."""

    id: Slug
    label: Text
    office: Text = Field(description="notation of egkg:OfficeType")
    organization: Ref
    region: Ref | None = None
    evidence: Quotes


class Holding(Record):
    """A person in a post, as a source shows it on given dates."""

    holder: Ref
    post: Ref
    kind: Text = Field(description="notation of egkg:AppointmentKind")
    attested_on: Annotated[list[dt.date], BeforeValidator(_as_list, json_schema_input_type=dt.date | list[dt.date])] = []
    start: dt.date | None = None
    end: dt.date | None = None
    portfolio: Text | None = None
    note: Text | None = None
    evidence: Quotes

    @model_validator(mode="after")
    def _end_not_before_start(self) -> Holding:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}; swap or correct them")
        return self


class Place(Record):
    """A venue: a hotel, an office room, a pendopo."""

    id: Slug
    name: Text
    region: Ref
    note: Text | None = None
    evidence: Quotes


class Participation(Record):
    """One participant at one meeting: a person, an organisation, or a post with no named holder."""

    who: Ref
    capacity: Ref | None = Field(None, description="post/... the participant sat in")
    appointment: Text | None = Field(None, description="appointment kind when the holder is unnamed")
    roles: TermList = ["attendee"]
    represents: Ref | None = None
    note: Text | None = None
    evidence: Quotes


class Citation(Record):
    """A regulation the meeting or a speaker cites, with the sentence that cites it."""

    regulation: Ref
    article: Text | None = Field(None, description="Pasal, when cited")
    evidence: Quotes


class Meeting(Record):
    """A coordination meeting (Rakor), working visit or hearing."""

    id: Slug
    kind: Text = Field(description="notation of egkg:MeetingKind")
    title: Text
    start: dt.date
    end: dt.date | None = None
    venue: Ref | None = None
    region: Ref | None = Field(None, description="region/... where it was held")
    concerns_region: Ref | None = Field(None, description="region/... whose election it prepares")
    organizers: RefList = []
    chair: Ref | None = None
    elections: RefList = []
    topics: TermList = []
    citations: list[Citation] = []
    participants: list[Participation] = []
    note: Text | None = None
    evidence: Quotes

    @model_validator(mode="after")
    def _end_not_before_start(self) -> Meeting:
        if self.end and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}; swap or correct them")
        return self


class Regulation(Record):
    """A statute or decree: UU, Perppu, Permendagri, PKPU, Keputusan, ..."""

    id: Annotated[str, StringConstraints(pattern=r"^[a-z]+(?:-[a-z]+)*/\d{4}(?:/[a-z0-9.]+(?:-[a-z0-9.]+)*)?$")]
    type: Text = Field(description="notation of egkg:RegulationType")
    number: Text | None = Field(None, description="as numbered; none for the UUD 1945")
    year: Annotated[int, Field(ge=1945, le=2100)]
    title: Text
    date: dt.date | None = None
    issuer: Ref | None = None
    amends: RefList = []
    enacts: RefList = []
    printed: Text | None = Field(None, description="the citation as printed")
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

    id: Slug
    name: Text
    acronyms: TermList = Field([], description="short names as printed (Pilkada Serentak 2024)")
    type: Text = Field(description="notation of egkg:ElectionType")
    day: dt.date | None = None
    month: Annotated[str, StringConstraints(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")] | None = None
    region: Ref | None = None
    part_of: Ref | None = None
    evidence: Quotes


class Stage(Record):
    """A stage of an election (coklit, campaign, voting), with the dates the source gives."""

    id: Slug
    election: Ref
    kind: Text = Field(description="notation of egkg:StageKind")
    name: Text
    start: dt.date | None = None
    end: dt.date | None = None
    evidence: Quotes

    @model_validator(mode="after")
    def _end_not_before_start(self) -> Stage:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}; swap or correct them")
        return self


class Observation(Record):
    """A reported figure: a target, a rate, a count or a category, for a region."""

    id: Slug
    indicator: Text = Field(description="notation of egkg:Indicator")
    value: Decimal | None = None
    value_text: Text | None = None
    unit: Text = Field(description="notation of egkg:Unit")
    region: Ref | None = None
    meeting: Ref | None = None
    as_of: dt.date | None = None
    printed: Text = Field(description="the figure as printed, e.g. '83,82%'")
    evidence: Quotes

    @model_validator(mode="after")
    def _has_value(self) -> Observation:
        if self.value is None and self.value_text is None:
            raise ValueError("give value (a number) or value_text (a category such as 'rawan sedang')")
        return self


class SourceError(Record):
    """Something the source got wrong, recorded as printed and never silently fixed."""

    id: Slug
    kind: Text = Field(description="notation of egkg:SourceErrorKind")
    printed: Text
    correction: Text | None = None
    concerns: Ref | None = None
    note: Text
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
