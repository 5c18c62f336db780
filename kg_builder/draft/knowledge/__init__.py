"""The drafter's knowledge as data: offices, ranks, honorifics and degrees read from the YAML files here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from ...errors import InputError
from ...yaml_lines import LineMap, line_of, load_yaml_with_lines

__all__ = ["KNOWLEDGE_DIR", "Office", "degree_pattern", "honorific_pattern", "office_labels", "offices",
           "rank_pattern", "written_form"]

KNOWLEDGE_DIR = Path(__file__).parent


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt key would otherwise drop its row's words silently


class _OfficeRow(_Strict):
    office: Optional[str]
    label: Optional[str] = None
    org_kind: Optional[str] = None
    titles: list[str] = []
    patterns: list[str] = []

    @model_validator(mode="after")
    def _written_somehow(self) -> "_OfficeRow":
        if not self.titles and not self.patterns:
            raise ValueError("give the office's titles (or patterns)")
        if self.office and not self.label:
            raise ValueError("an office needs a label (the post's name before the region)")
        return self


class _OfficeFile(_Strict):
    offices: list[_OfficeRow]


class _NameFile(_Strict):
    ranks: list[str]
    rank_suffixes: list[str]
    honorifics: list[str]
    degrees: list[str]
    degree_patterns: list[str]


@dataclass(frozen=True)
class Office:
    """One row of offices.yaml: the office type, its post label, its institution kind and the regex of its titles."""

    office: str | None
    label: str | None
    org_kind: str | None
    pattern: str


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
def offices() -> tuple[Office, ...]:
    """The office rows in the order they are tried."""
    table, lines, path = _load("offices.yaml", _OfficeFile)
    rows = []
    for i, row in enumerate(table.offices):
        patterns = [_checked(p, path, lines, ("offices", i, "patterns", j)) for j, p in enumerate(row.patterns)]
        rows.append(Office(row.office, row.label, row.org_kind,
                           _checked(_alternatives(row.titles, patterns), path, lines, ("offices", i))))
    return tuple(rows)


def office_labels() -> dict[str, str]:
    """Office type -> the label of its posts ("wali-kota" -> "Wali Kota")."""
    return {o.office: o.label for o in offices() if o.office and o.label}


@lru_cache(maxsize=1)
def _names() -> tuple[_NameFile, LineMap, Path]:
    return _load("names.yaml", _NameFile)


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
