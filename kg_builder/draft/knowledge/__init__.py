"""The drafter's knowledge as data: offices, ranks, honorifics and degrees read from the YAML files here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from rdflib import SKOS

from ...errors import InputError
from ...paths import ONTOLOGY_FILE
from ...rdf.vocab import load_ontology, load_vocabulary
from ...load.yaml_lines import LineMap, line_of, load_yaml_with_lines

__all__ = ["KNOWLEDGE_DIR", "Office", "degree_pattern", "honorific_pattern", "name_abbreviations", "name_particles", "not_name_words",
           "office_labels", "offices", "rank_pattern", "written_form"]

KNOWLEDGE_DIR = Path(__file__).parent


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt key would otherwise drop its row's words silently


class _OfficeRow(_Strict):
    office: Optional[str]
    label: Optional[str] = None
    org_kind: Optional[str] = None
    level: Optional[Literal["national", "province", "regency", "district"]] = None
    heads: bool = False
    titles: list[str] = []
    patterns: list[str] = []

    @model_validator(mode="after")
    def _written_somehow(self) -> "_OfficeRow":
        if not self.titles and not self.patterns:
            raise ValueError("give the office's titles (or patterns)")
        return self


class _OfficeFile(_Strict):
    offices: list[_OfficeRow]


class _NameFile(_Strict):
    ranks: list[str]
    rank_suffixes: list[str]
    honorifics: list[str]
    degrees: list[str]
    degree_patterns: list[str]
    name_particles: list[str] = []
    name_abbreviations: list[str] = []
    not_name_words: list[str] = []
    name_words: list[str] = []


@dataclass(frozen=True)
class Office:
    """One row of offices.yaml: the office type, its post label, its institution kind and the regex of its titles.

    `in_vocabulary`: the office is an egkg:OfficeType of the ontology, so a draft may give it a post.
    """

    office: str | None
    label: str | None
    org_kind: str | None
    pattern: str
    level: str | None = None
    heads: bool = False
    in_vocabulary: bool = False


def written_form(text: str) -> str:
    """The regex of a form as written: a space is any run of spaces or tabs, and may be absent before "("."""
    words = text.split()
    out = re.escape(words[0])
    for word in words[1:]:
        out += (r"[ \t]*" if word.startswith("(") else r"[ \t]+") + re.escape(word)
    return out


def _alternatives(forms: list[str], patterns: list[str]) -> str:
    # Longer forms first, so that "Kapolresta" is not read as "Kapolres" + "ta"; the patterns, written
    # by hand for what the forms cannot spell, keep their order and go before them.
    ordered = sorted(forms, key=len, reverse=True)
    return "(?:" + "|".join([*patterns, *(written_form(f) for f in ordered)]) + ")"


def _load(name: str, model: type[BaseModel]) -> tuple[BaseModel, LineMap, Path]:
    path = KNOWLEDGE_DIR / name
    data, lines = load_yaml_with_lines(path, str(path))
    try:
        return model.model_validate(data), lines, path
    except ValidationError as exc:
        first = exc.errors()[0]
        where = tuple(first["loc"])
        raise InputError(first["msg"], file=path, line=line_of(lines, where),
                         field=".".join(str(p) for p in where) or "(file)") from None


def _checked(pattern: str, path: Path, lines: LineMap, where: tuple) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise InputError(f"not a regular expression: {exc}", file=path, line=line_of(lines, where),
                         field=".".join(str(p) for p in where)) from None
    return pattern


@lru_cache(maxsize=1)
def _ontology_offices() -> dict[str, str]:
    """Office types the ontology declares: notation -> Indonesian label (the concept's prefLabel@id)."""
    graph = load_ontology(ONTOLOGY_FILE)
    out = {}
    for notation, iri in load_vocabulary(graph).concepts.get("OfficeType", {}).items():
        labels = [str(lbl) for lbl in graph.objects(iri, SKOS.prefLabel) if getattr(lbl, "language", None) == "id"]
        out[notation] = labels[0] if labels else notation
    return out


@lru_cache(maxsize=1)
def offices() -> tuple[Office, ...]:
    """The office rows in file order (where several match at one place, the longest match wins)."""
    table, lines, path = _load("offices.yaml", _OfficeFile)
    known = _ontology_offices()
    rows = []
    for i, row in enumerate(table.offices):
        patterns = [_checked(p, path, lines, ("offices", i, "patterns", j)) for j, p in enumerate(row.patterns)]
        label = row.label or known.get(row.office or "") or (row.titles[0] if row.titles else row.office)
        rows.append(Office(row.office, label if row.office else row.label, row.org_kind,
                           _checked(_alternatives(row.titles, patterns), path, lines, ("offices", i)),
                           row.level, row.heads, bool(row.office) and row.office in known))
    return tuple(rows)


def office_labels() -> dict[str, str]:
    """Office type -> the label of its posts ("wali-kota" -> "Wali Kota")."""
    return {o.office: o.label for o in offices() if o.office and o.label}


@lru_cache(maxsize=1)
def _names() -> tuple[_NameFile, LineMap, Path]:
    return _load("names.yaml", _NameFile)


def name_abbreviations() -> list[str]:
    """Name words written abbreviated with a dot ("Muh.", "Abd.")."""
    return list(_names()[0].name_abbreviations)


def name_particles() -> frozenset[str]:
    """Short words that may open or sit inside a personal name ("I Wayan", "Mustari Dg Nai")."""
    return frozenset(_names()[0].name_particles)


@lru_cache(maxsize=1)
def not_name_words() -> frozenset[str]:
    """Lower-cased words never part of a personal name: the listed ones and the words of every office title."""
    words = _names()[0]
    keep = {w.lower() for w in words.name_words}
    out = {w.lower() for w in words.not_name_words}
    for row in _load("offices.yaml", _OfficeFile)[0].offices:
        for title in row.titles:
            out.update(w.lower() for w in re.findall(r"[A-Za-z]{3,}", title) if w.lower() not in keep)
    return frozenset(out)


def rank_pattern() -> str:
    """Ranks with any number of service/corps suffixes ("Kolonel Laut (P)")."""
    words, lines, path = _names()
    suffixes = _alternatives(words.rank_suffixes, [])
    return _checked(_alternatives(words.ranks, []) + r"(?:[ \t]+" + suffixes + ")*", path, lines, ("ranks",))


def honorific_pattern() -> str:
    words, lines, path = _names()
    return _checked(_alternatives(words.honorifics, []), path, lines, ("honorifics",))


def degree_pattern() -> str:
    """Degrees after a name, with or without dots; never the start of a longer word."""
    words, lines, path = _names()
    patterns = [_checked(p, path, lines, ("degree_patterns", j)) for j, p in enumerate(words.degree_patterns)]
    return _alternatives(words.degrees, patterns) + r"(?![\w])"
