"""Run a library query or ad-hoc SPARQL on a chosen engine, resolving person names first."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pyoxigraph as ox

from .engines import Engine, OxigraphEngine, RdflibEngine, RemoteEngine
from .errors import InputError
from .queries import LibraryQuery, bind
from .sparql_check import BoundQuery

__all__ = [
    "ENGINES", "declare_prefixes", "folded", "graph_holds", "labels_for", "make_engine", "parse_params", "person_resolver", "region_resolver",
    "run_library_query", "with_limit",
]

ENGINES = ("oxigraph", "rdflib")

# Every person with every name they go by; matching is done in Python (accents, parts of names).
PERSON_NAMES = """
PREFIX egkg: <https://w3id.org/egkg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?person ?name ?alias WHERE {
  ?person a egkg:Person ; egkg:name ?name .
  { ?person egkg:name ?alias } UNION { ?person skos:altLabel ?alias }
}
ORDER BY ?person
"""
REGION_NAMES = """
PREFIX egkg: <https://w3id.org/egkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?region ?code ?label WHERE { ?region egkg:kemendagriCode ?code ; rdfs:label ?label }
ORDER BY ?code
"""
LABELS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?node (MIN(STR(?label)) AS ?text) WHERE { VALUES ?node { UNDEF } ?node rdfs:label ?label }
GROUP BY ?node
"""
MAX_LABELLED = 2000  # IRIs looked up per answer; beyond that the rest show as short IRIs
SUGGESTIONS = 4  # names offered after "did you mean"
PERSON_EXISTS = """
PREFIX egkg: <https://w3id.org/egkg/ontology#>
SELECT ?name WHERE { VALUES ?person { UNDEF } ?person a egkg:Person ; egkg:name ?name }
LIMIT 1
"""
NODE_EXISTS = """
SELECT ?node WHERE { VALUES ?node { UNDEF } { ?node ?p ?o } UNION { ?s ?p ?node } }
LIMIT 1
"""


def parse_params(pairs: list[str]) -> dict[str, str]:
    """`--param key=value` options as a dict; a key given twice is an error, not "the last one wins"."""
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise InputError(f"{pair!r} is not key=value", field="--param")
        if key in params:
            raise InputError(f"given twice ({params[key]!r}, then {value!r}); give it once", field=f"--param {key}")
        params[key] = value
    return params


def make_engine(
    engine: str, build_dir: Path, endpoint: str | None = None, user: str | None = None,
    password: str | None = None, timeout: float | None = None,
) -> Engine:
    """The embedded store (default), rdflib over the N-Quads, or a remote endpoint.

    `timeout` is the total time a query may take, on every engine (the CLI's --timeout). Without it
    local engines run unbounded and in-process (batch jobs such as `egkg viz` at scale), and a
    remote endpoint gets 60 s.
    """
    if timeout is not None and not timeout > 0:
        raise InputError(f"must be more than 0 seconds (got {timeout:g})", field="--timeout")
    if endpoint:
        return RemoteEngine(endpoint, user, password, 60 if timeout is None else timeout)
    if engine == "oxigraph":
        return OxigraphEngine(build_dir / "store", time_limit=timeout)
    if engine == "rdflib":
        from .pipeline.release_files import nquads_file  # merged from the shares first when an incremental build left it to be

        return RdflibEngine(nquads_file(build_dir), time_limit=timeout)
    raise InputError(f"unknown engine {engine!r}; use one of {', '.join(ENGINES)}", field="--engine")


def person_resolver(engine: Engine):
    """Turn an IRI, or any part of a name or alias (case and accents aside), into the one person it names.

    Several persons matching, or none, is a one-line error listing who was meant ("did you mean").
    """

    def resolve(label: str) -> ox.NamedNode:
        if label.startswith(("http://", "https://")):
            iri = ox.NamedNode(label)
            if not engine.select(_with_value(PERSON_EXISTS, "person", iri)).rows:
                raise InputError(f"no person {iri} in the graph; list names with `egkg query name-variants`",
                                 field="--param person")
            return iri
        names: dict[str, str] = {}  # IRI -> canonical name
        aliases: list[tuple[str, str]] = []  # (folded name or alias, IRI)
        for person, name, alias in engine.select(PERSON_NAMES).rows:
            names[person.value] = name.value
            aliases.append((folded(alias.value), person.value))
        wanted = folded(label)
        return ox.NamedNode(_one_match(label, wanted, aliases, names, "person", "egkg query name-variants"))

    return resolve


def region_resolver(engine: Engine):
    """Turn a region's name ("Kutai Kartanegara", "Kabupaten Kutai Kartanegara") or common abbreviation
    (Sultra, Kukar) into its IRI; the abbreviations are the drafting assistant's table, declared once there."""

    def resolve(label: str) -> ox.NamedNode:
        from .draft.regions import ABBREVIATIONS  # imported only when a name is given (it loads the drafter)

        names: dict[str, str] = {}  # IRI -> "Name (code)"
        by_code: dict[str, str] = {}
        spellings: list[tuple[str, str]] = []
        for region, code, name in engine.select(REGION_NAMES).rows:
            names[region.value] = f"{name.value} ({code.value})"
            by_code[code.value] = region.value
            spellings += [(folded(name.value), region.value), (folded(_REGION_KIND.sub("", name.value)), region.value)]
        spellings += [(folded(abbr), by_code[code]) for abbr, code in ABBREVIATIONS.items() if code in by_code]
        # "Kota Bima" is the city, "Bima" alone the regency and the city: the whole spelling is tried first.
        for wanted in (folded(label), folded(_REGION_KIND.sub("", label))):
            exact = {iri for spelling, iri in spellings if spelling == wanted}
            if len(exact) == 1:
                return ox.NamedNode(exact.pop())
        return ox.NamedNode(_one_match(label, wanted, spellings, names, "region", "a Kemendagri code such as 74 or 64.02"))

    return resolve


_REGION_KIND = re.compile(r"^\s*(kabupaten|kab\.?|kota|provinsi|prov\.?)\s+", re.I)


def folded(text: str) -> str:
    """Lower case without accents and with single spaces: how names are compared ("Édy  SUHARMANTO" = "edy suharmanto")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def _one_match(label: str, wanted: str, spellings: list[tuple[str, str]], names: dict[str, str], kind: str,
               hint: str) -> str:
    """The one IRI whose spelling equals `wanted` or, failing that, contains it; else a "did you mean" error."""
    field = f"--param {kind}"
    exact = sorted({iri for spelling, iri in spellings if spelling == wanted})
    found = exact or sorted({iri for spelling, iri in spellings if wanted and wanted in spelling})
    if len(found) == 1:
        return found[0]
    if found:
        shown = "; ".join(names[iri] for iri in found[:8]) + ("; ..." if len(found) > 8 else "")
        raise InputError(f"{label!r} matches {len(found)} {kind}s ({shown}); give more of the name", field=field)
    from rapidfuzz import fuzz, process

    choices = sorted({names[iri] for _, iri in spellings})
    close = process.extract(label, choices, scorer=fuzz.WRatio, processor=folded, limit=SUGGESTIONS, score_cutoff=70)
    suggestion = f"did you mean: {'; '.join(name for name, _, _ in close)}?" if close else f"try {hint}"
    article = "no person named" if kind == "person" else f"no {kind} named"
    raise InputError(f"{article} {label!r}; {suggestion}", field=field)


def labels_for(engine: Engine, iris: list[str]) -> dict[str, str]:
    """rdfs:label of each IRI the graph labels (one query; the IRIs are serialised by pyoxigraph)."""
    terms = [ox.NamedNode(iri) for iri in iris[:MAX_LABELLED]]
    if not terms:
        return {}
    text = LABELS.replace("UNDEF", " ".join(str(term) for term in terms), 1)
    return {row[0].value: row[1].value for row in engine.select(text).rows if row[0] is not None and row[1] is not None}


def graph_holds(engine: Engine):
    """Whether the graph mentions an IRI at all (as subject or object): a typo'd id is an error, not 0 rows."""

    def holds(term: ox.NamedNode) -> bool:
        return bool(engine.select(_with_value(NODE_EXISTS, "node", term)).rows)

    return holds


def _with_value(template: str, name: str, term: ox.NamedNode | ox.Literal) -> str:
    """`template` with `VALUES ?name { UNDEF }` bound to `term` as pyoxigraph serialises it."""
    pattern = re.compile(rf"(VALUES\s+\?{name}\s*\{{\s*)UNDEF(\s*\}})")
    return pattern.sub(lambda m: m.group(1) + str(term) + m.group(2), template, count=1)


def declare_prefixes(text: str) -> tuple[str, int]:
    """`text` with the project's prefixes it does not declare itself put ahead on one line, and that line count.

    The user's own `PREFIX x:` wins: a declared name is never declared twice.
    """
    from .output import QUERY_PREFIXES

    declared = {m.group(1) for m in _PREFIX_DECLARATION.finditer(text)}
    missing = [f"PREFIX {name}: <{iri}>" for name, iri in QUERY_PREFIXES.items() if name not in declared]
    if not missing:
        return text, 0
    return " ".join(missing) + "\n" + text, 1


_PREFIX_DECLARATION = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?\s*:", re.IGNORECASE)


def with_limit(text: str, limit: int | None) -> str:
    """Append LIMIT n (an int, so nothing but digits reaches the query) unless the query has one."""
    if limit is None:
        return text
    if limit < 0:
        raise InputError("--limit must be 0 or more", field="--limit")
    # A query that ranks before it labels marks its inner limit with a `# LIMIT` line: filling it
    # lets the store sort only the top rows (who-coordinated-with-whom at S: 28 s -> 6.5 s).
    limited = re.sub(r"^(\s*)# LIMIT$", rf"\g<1>LIMIT {int(limit)}", text, flags=re.M)
    if not re.search(r"\bLIMIT\s+\d+\s*$", limited, re.IGNORECASE):
        limited = f"{limited.rstrip()}\nLIMIT {int(limit)}\n"
    # Digits only were added: a bound library query stays one, checked by its template.
    return BoundQuery(limited, text.template) if isinstance(text, BoundQuery) else limited


def run_library_query(engine: Engine, query: LibraryQuery, params: dict[str, str], limit: int | None = None):
    """Bind the parameters (resolving person names on the same engine) and run the query.

    A query with a `top` parameter reads pairs ranked at build time: `--limit N` binds top=N too, so
    only the first N are labelled (who-coordinated-with-whom at 10,000 meetings: 140 s -> ~1 s).
    """
    top = query.params.get("top")
    if limit and top is not None and "top" not in params and (top.maximum is None or limit <= top.maximum):
        params = {**params, "top": str(limit)}  # past the ranked places: every pair is read, then LIMIT
    text = bind(query, params, resolve_person=person_resolver(engine), in_graph=graph_holds(engine),
                resolve_region=region_resolver(engine))
    return engine.select(with_limit(text, limit))
