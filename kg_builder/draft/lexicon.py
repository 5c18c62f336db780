"""The meeting words and regulation types the drafter reads from knowledge/meetings.yaml and regulations.yaml."""

from __future__ import annotations

from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from ..errors import InputError
from ..load.yaml_lines import line_of

__all__ = ["MeetingRow", "RegulationRow", "load_meeting_rows", "load_regulation_rows", "vocabulary_notations"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt key would otherwise drop its row silently


class MeetingRow(_Strict):
    words: list[str] = Field(min_length=1)
    kind: str = Field(min_length=1, description="notation of egkg:MeetingKind")


class _MeetingFile(_Strict):
    meetings: list[MeetingRow]
    happened: list[str] = Field(min_length=1)


class RegulationRow(_Strict):
    type: str = Field(pattern=r"^[a-z]+(?:-[a-z]+)*$", description="notation of egkg:RegulationType (or its slug)")
    forms: list[str] = Field(min_length=1)
    # The issuer may stand between the type and its number ("Keputusan Gubernur X Nomor ...").
    issuer_between: bool = False
    # A one-word form followed by a name ("UU Pemilu", "PKPU Kampanye") is reported as a vague mention.
    vague: bool = False
    note: str | None = None


class _RegulationFile(_Strict):
    types: list[RegulationRow]
    basis_words: list[str] = Field(min_length=1)


def _load(name: str, model: type[BaseModel]):
    from . import knowledge  # read at call time: tests point KNOWLEDGE_DIR at a copy

    return knowledge._load(name, model)


@lru_cache(maxsize=1)
def vocabulary_notations() -> dict[str, frozenset[str]]:
    """Concept class -> the notations the ontology defines (MeetingKind, RegulationType, ...)."""
    from ..paths import ONTOLOGY_FILE
    from ..rdf.vocab import load_ontology, load_vocabulary

    vocabulary = load_vocabulary(load_ontology(ONTOLOGY_FILE))
    return {name: frozenset(members) for name, members in vocabulary.concepts.items()}


def load_meeting_rows() -> tuple[list[MeetingRow], list[str]]:
    """The meeting-word rows and the verbs saying a meeting took place; a kind outside the vocabulary is refused."""
    table, lines, path = _load("meetings.yaml", _MeetingFile)
    kinds = vocabulary_notations().get("MeetingKind", frozenset())
    for i, row in enumerate(table.meetings):
        if row.kind not in kinds:
            raise InputError(f"{row.kind!r} is not an egkg:MeetingKind; use one of {', '.join(sorted(kinds))}",
                             file=path, line=line_of(lines, ("meetings", i, "kind")), field=f"meetings.{i}.kind")
    return table.meetings, table.happened


def load_regulation_rows() -> tuple[list[RegulationRow], list[str]]:
    """The regulation-type rows and the words that cite a regulation as a basis."""
    table, _lines, _path = _load("regulations.yaml", _RegulationFile)
    return table.types, table.basis_words
