"""Run a library query or ad-hoc SPARQL on a chosen engine, resolving person names first."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from .engines import Engine, OxigraphEngine, RdflibEngine, RemoteEngine
from .errors import InputError
from .queries import LibraryQuery, bind

__all__ = ["ENGINES", "make_engine", "person_resolver", "run_library_query", "with_limit"]

ENGINES = ("oxigraph", "rdflib")

PERSON_LOOKUP = """
PREFIX egkg: <https://w3id.org/egkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?person ?name WHERE {
  VALUES ?label { UNDEF }
  ?person a egkg:Person ; egkg:name ?name .
  { ?person egkg:name ?candidate } UNION { ?person skos:altLabel ?candidate }
  FILTER(LCASE(STR(?candidate)) = LCASE(STR(?label)))
}
ORDER BY ?person
"""
PERSON_EXISTS = """
PREFIX egkg: <https://w3id.org/egkg/ontology#>
SELECT ?name WHERE { VALUES ?person { UNDEF } ?person a egkg:Person ; egkg:name ?name }
LIMIT 1
"""


def make_engine(
    engine: str, build_dir: Path, endpoint: str | None = None, user: str | None = None,
    password: str | None = None, timeout: float = 60,
) -> Engine:
    """The embedded store (default), rdflib over the N-Quads, or a remote endpoint."""
    if endpoint:
        return RemoteEngine(endpoint, user, password, timeout)
    if engine == "oxigraph":
        return OxigraphEngine(build_dir / "store")
    if engine == "rdflib":
        return RdflibEngine(build_dir / "egkg.nq")
    raise InputError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}", field="--engine")


def person_resolver(engine: Engine):
    """Turn a name, alias or IRI into the one person it names; ambiguity and absence are errors."""

    def resolve(label: str) -> ox.NamedNode:
        if label.startswith(("http://", "https://")):
            iri = ox.NamedNode(label)
            if not engine.select(PERSON_EXISTS.replace("UNDEF", str(iri), 1)).rows:
                raise InputError(f"no person {iri} in the graph; list names with `egkg query name-variants`",
                                 field="--param person")
            return iri
        pattern = re.compile(r"(VALUES\s+\?label\s*\{\s*)UNDEF(\s*\})")
        text = pattern.sub(lambda m: m.group(1) + str(ox.Literal(label)) + m.group(2), PERSON_LOOKUP)
        rows = engine.select(text).rows
        people = sorted({(row[0].value, row[1].value) for row in rows})
        if not people:
            raise InputError(f"no person named {label!r}; list names with `egkg query name-variants`", field="--param person")
        if len(people) > 1:
            names = "; ".join(f"{name} <{iri}>" for iri, name in people)
            raise InputError(f"{label!r} names {len(people)} persons ({names}); give the IRI", field="--param person")
        return ox.NamedNode(people[0][0])

    return resolve


def with_limit(text: str, limit: int | None) -> str:
    """Append LIMIT n (an int, so nothing but digits reaches the query) unless the query has one."""
    if limit is None:
        return text
    if limit < 0:
        raise InputError("--limit must be 0 or more", field="--limit")
    if re.search(r"\bLIMIT\s+\d+\s*$", text, re.IGNORECASE):
        return text
    return f"{text.rstrip()}\nLIMIT {int(limit)}\n"


def run_library_query(engine: Engine, query: LibraryQuery, params: dict[str, str], limit: int | None = None):
    """Bind the parameters (resolving person names on the same engine) and run the query."""
    text = bind(query, params, resolve_person=person_resolver(engine))
    return engine.select(with_limit(text, limit))
