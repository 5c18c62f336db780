"""The query library: .rq files with a `#+` YAML header, and parameters bound as RDF terms."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import yaml

from .errors import InputError
from .paths import PROJECT_ROOT
from .sparql_check import BoundQuery

__all__ = ["LibraryQuery", "Param", "bind", "load_library", "parse_query_file", "QUERIES_DIR"]

QUERIES_DIR = PROJECT_ROOT / "queries"
ID_BASE = "https://w3id.org/egkg/id/"
XSD = "http://www.w3.org/2001/XMLSchema#"
PARAM_TYPES = ("iri", "person", "region", "date", "integer", "string")
# ASCII digits only: Python's \d also takes "７４" (full-width), which no region IRI holds.
_REGION_CODE = re.compile(r"\d{2}(\.\d{2})?", re.ASCII)
_LOOKS_LIKE_A_CODE = re.compile(r"[\d.\s]+")  # digits of any script: a code, not a name, however written
_INTEGER = re.compile(r"[+-]?\d+", re.ASCII)  # int() would also take "３０", "1_0" and surrounding spaces


@dataclass(frozen=True)
class Param:
    """One declared parameter of a library query."""

    name: str
    type: str
    required: bool
    default: str | None
    description: str
    minimum: int | None = None  # integers: the header's `min` and `max`, inclusive
    maximum: int | None = None
    choices: tuple[str, ...] = ()  # strings: the header's `values`, the only ones accepted
    example: str | None = None  # the header's `example`, shown by `egkg query NAME --describe`


@dataclass(frozen=True)
class LibraryQuery:
    """A parsed .rq file: its header and its SPARQL text."""

    name: str  # file stem, unique across the library
    topic: str  # folder
    path: Path
    summary: str
    description: str
    params: dict[str, Param]
    returns: tuple[str, ...]
    text: str

    @property
    def is_check(self) -> bool:
        return self.topic == "checks"


QUERY_KEYS = ("summary", "description", "params", "returns")


def parse_query_file(path: Path, required: tuple[str, ...] = QUERY_KEYS) -> LibraryQuery:
    """Read one .rq file; a bad header is an error naming the file (never silently dropped)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read query file: {exc}", file=path) from exc
    header_lines = []
    for line in text.splitlines():
        if not line.startswith("#+"):
            break
        header_lines.append(line[2:].removeprefix(" "))
    if not header_lines:
        raise InputError("no '#+' header; start the file with '#+ summary: ...'", file=path, line=1)
    try:
        header = yaml.safe_load("\n".join(header_lines))
    except yaml.YAMLError as exc:
        raise InputError(f"header is not valid YAML: {exc}", file=path, line=1) from exc
    if not isinstance(header, dict):
        raise InputError("header must be a YAML mapping", file=path, line=1)
    for key in required:
        if key not in header:
            raise InputError(f"header lacks '{key}'", file=path, field=key)
    summary = str(header["summary"])
    if " / " not in summary:
        raise InputError("summary must read 'Indonesian / English'", file=path, field="summary")
    params: dict[str, Param] = {}
    for name, spec in (header.get("params") or {}).items():
        spec = spec or {}
        kind = spec.get("type")
        if kind not in PARAM_TYPES:
            raise InputError(f"param '{name}' has type {kind!r}; use one of {', '.join(PARAM_TYPES)}", file=path, field="params")
        placeholders = len(re.findall(rf"VALUES\s+\?{re.escape(name)}\s*\{{\s*UNDEF\s*\}}", text))
        if placeholders != 1:
            raise InputError(
                f"param '{name}' needs exactly one 'VALUES ?{name} {{ UNDEF }}' in the query (found {placeholders})",
                file=path, field="params",
            )
        default = spec.get("default")
        bounds = {key: spec.get(key) for key in ("min", "max")}
        if any(value is not None and (kind != "integer" or type(value) is not int) for value in bounds.values()):
            raise InputError(f"param '{name}': min and max are whole numbers, for integer params only",
                             file=path, field="params")
        choices = spec.get("values") or ()
        if choices and (kind != "string" or not isinstance(choices, list) or not all(isinstance(c, str) for c in choices)):
            raise InputError(f"param '{name}': values is a list of strings, for string params only",
                             file=path, field="params")
        example = spec.get("example")
        params[name] = Param(
            name=name, type=kind, required=bool(spec.get("required", False)) and default is None,
            default=None if default is None else str(default), description=str(spec.get("description", "")),
            minimum=bounds["min"], maximum=bounds["max"], choices=tuple(choices),
            example=None if example is None else str(example),
        )
    return LibraryQuery(
        name=path.stem, topic=path.parent.name, path=path, summary=summary,
        description=" ".join(str(header["description"]).split()), params=params,
        returns=tuple(header.get("returns") or ()), text=text,
    )


def load_library(root: Path = QUERIES_DIR) -> dict[str, LibraryQuery]:
    """Every query under `root`, by name; two files with one name is an error."""
    library: dict[str, LibraryQuery] = {}
    for path in sorted(root.rglob("*.rq")):
        query = parse_query_file(path)
        if query.name in library:
            raise InputError(f"query name '{query.name}' also used by {library[query.name].path}", file=path)
        library[query.name] = query
    return library


def bind(
    query: LibraryQuery,
    values: dict[str, str],
    resolve_person: Callable[[str], ox.NamedNode] | None = None,
    in_graph: Callable[[ox.NamedNode], bool] | None = None,
    resolve_region: Callable[[str], ox.NamedNode] | None = None,
) -> str:
    """The query text with each given parameter's `UNDEF` replaced by its RDF term.

    Terms are built and serialised by pyoxigraph (IRIs validated, literals escaped), so a value is
    data, never SPARQL syntax. Unknown, missing or ill-typed parameters are one-line errors, and so
    are values that cannot match: an integer out of the header's range, or (given `in_graph`) an
    IRI or region the graph does not hold.
    """
    unknown = sorted(set(values) - set(query.params))
    if unknown:
        raise InputError(f"unknown parameter {', '.join(unknown)}; {query.name} takes {_param_list(query)}", field="--param")
    text = query.text
    for name, param in query.params.items():
        raw = values.get(name, param.default)
        pattern = re.compile(rf"(VALUES\s+\?{re.escape(name)}\s*\{{\s*)UNDEF(\s*\}})")
        if raw is None:
            if param.required:
                raise InputError(f"missing parameter '{name}'; {query.name} takes {_param_list(query)}", field="--param")
            # An all-UNDEF VALUES joins with everything: dropping it means the same and spares
            # rdflib, which evaluates such a join by brute force (157 s instead of 0.03 s here).
            text = pattern.sub("", text, count=1)
            continue
        term = _term(param, raw, resolve_person, resolve_region)
        if in_graph is not None and param.type in ("iri", "region") and name in values and not in_graph(term):
            # A typo in an id otherwise reads as "no such facts": zero rows and no hint.
            raise InputError(f"nothing in the graph is {term}; check the id", field=f"--param {name}")
        text = pattern.sub(lambda m, t=str(term): m.group(1) + t + m.group(2), text, count=1)
    return BoundQuery(text, query.text)


def _param_list(query: LibraryQuery) -> str:
    if not query.params:
        return "no parameters"
    return ", ".join(
        f"{p.name} ({'|'.join(p.choices) or p.type}{', required' if p.required else ''})" for p in query.params.values()
    )


def _term(
    param: Param, raw: str, resolve_person: Callable[[str], ox.NamedNode] | None,
    resolve_region: Callable[[str], ox.NamedNode] | None = None,
) -> Any:
    where = {"field": f"--param {param.name}"}
    if param.type == "iri":
        return _iri(raw, where)
    if param.type == "person":
        if raw.startswith(("http://", "https://")) or raw.startswith("person/"):
            iri = _iri(raw, where)
            # The resolver also checks an IRI names a person: a typo would otherwise read as "met nobody".
            return resolve_person(iri.value) if resolve_person else iri
        if resolve_person is None:
            raise InputError(f"give the person as an IRI: {raw!r}", **where)
        return resolve_person(raw)
    if param.type == "region":
        if _REGION_CODE.fullmatch(raw):
            return ox.NamedNode(f"{ID_BASE}region/{raw}")
        if resolve_region is None or _LOOKS_LIKE_A_CODE.fullmatch(raw):
            raise InputError(f"{raw!r} is not a Kemendagri region code; write 74 or 74.06 in ASCII digits", **where)
        return resolve_region(raw)  # a name or abbreviation: Sultra, Kutai Kartanegara
    if param.type == "date":
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError:
            raise InputError(f"{raw!r} is not a date; write YYYY-MM-DD", **where) from None
        return ox.Literal(day.isoformat(), datatype=ox.NamedNode(XSD + "date"))
    if param.type == "integer":
        if not _INTEGER.fullmatch(raw):
            raise InputError(f"{raw!r} is not an integer", **where)
        number = int(raw)
        low = -math.inf if param.minimum is None else param.minimum
        high = math.inf if param.maximum is None else param.maximum
        if not low <= number <= high:
            span = (f"{param.minimum} to {param.maximum}" if param.minimum is not None and param.maximum is not None
                    else f"at least {param.minimum}" if param.minimum is not None else f"at most {param.maximum}")
            raise InputError(f"{number} is out of range; give {span}", **where)
        return ox.Literal(str(number), datatype=ox.NamedNode(XSD + "integer"))
    if param.choices and raw not in param.choices:
        raise InputError(f"{raw!r} is not one of {', '.join(param.choices)}", **where)
    return ox.Literal(raw)


def _iri(raw: str, where: dict[str, str]) -> ox.NamedNode:
    value = raw if raw.startswith(("http://", "https://", "urn:")) else ID_BASE + raw.lstrip("/")
    try:
        return ox.NamedNode(value)
    except ValueError as exc:
        raise InputError(f"{raw!r} is not an IRI ({exc})", **where) from None
