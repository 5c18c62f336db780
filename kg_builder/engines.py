"""Where queries run: the embedded Oxigraph store, rdflib in memory, or a remote SPARQL endpoint.

All three take the same query text and return the same `ResultTable`, so results can be compared.
Queries see the union of all named graphs as their default graph on every engine, as a set: the
embedded store holds that union in its default graph (see store.py).
"""

from __future__ import annotations

import socket
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox
import requests
from rdflib import BNode, Dataset, Literal, URIRef

from .errors import InputError
from .store import open_store, union_missing

__all__ = ["Engine", "OxigraphEngine", "RdflibEngine", "RemoteEngine", "ResultTable", "Term", "remote_auth"]

NUMERIC = {f"http://www.w3.org/2001/XMLSchema#{t}" for t in (
    "integer", "int", "long", "short", "decimal", "double", "float", "nonNegativeInteger", "positiveInteger",
)}
LIST_SEPARATOR = " | "  # the GROUP_CONCAT separator of the query library


@dataclass(frozen=True)
class Term:
    """An RDF term from any engine: kind is 'iri', 'literal' or 'bnode'."""

    kind: str
    value: str
    datatype: str | None = None
    language: str | None = None

    def comparable(self) -> str:
        """A form equal across engines: numbers by value, concatenated lists sorted."""
        if self.kind == "bnode":
            return "_:"
        if self.kind == "literal" and self.datatype in NUMERIC:
            try:
                return format(Decimal(self.value).normalize(), "f")
            except InvalidOperation:
                return self.value
        if self.kind == "literal" and LIST_SEPARATOR in self.value:
            return LIST_SEPARATOR.join(sorted(self.value.split(LIST_SEPARATOR)))
        return self.value


@dataclass(frozen=True)
class ResultTable:
    """Column names and rows of terms (None where a variable is unbound)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]

    def as_dicts(self) -> list[dict[str, str]]:
        """Rows as column -> lexical value, "" where unbound: what Python-side joins want."""
        return [{c: (t.value if t is not None else "") for c, t in zip(self.columns, row)} for row in self.rows]

    def comparable(self) -> list[tuple[str, ...]]:
        """Rows as sorted tuples of comparable strings, to check two engines agree."""
        return sorted(tuple("" if t is None else t.comparable() for t in row) for row in self.rows)


class Engine:
    """Something that answers SPARQL SELECT queries over the egkg dataset."""

    name = "engine"

    def select(self, text: str) -> ResultTable:  # pragma: no cover - interface
        raise NotImplementedError


class OxigraphEngine(Engine):
    """The embedded on-disk store written by `egkg build` (the default engine)."""

    name = "oxigraph"

    def __init__(self, store: ox.Store | Path):
        self.store = open_store(store) if isinstance(store, Path) else store
        if isinstance(store, Path) and union_missing(self.store):
            raise InputError("this store has no union default graph (built by an older egkg); run `egkg build`", file=store)

    def select(self, text: str) -> ResultTable:
        try:
            solutions = self.store.query(text)
        except SyntaxError as exc:
            raise InputError(f"SPARQL syntax error: {' '.join(str(exc).split())}", field="query") from None
        if not isinstance(solutions, ox.QuerySolutions):
            raise InputError("only SELECT queries are supported here", field="query")
        columns = tuple(v.value for v in solutions.variables)
        rows = tuple(tuple(_from_oxigraph(row[c]) for c in columns) for row in solutions)
        return ResultTable(columns, rows)


def _from_oxigraph(term: object) -> Term | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Term("iri", term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Term("literal", term.value, language=term.language)
        return Term("literal", term.value, datatype=term.datatype.value)
    return Term("bnode", str(term))


class RdflibEngine(Engine):
    """rdflib's in-memory SPARQL engine over the built N-Quads: slower, but a second opinion."""

    name = "rdflib"

    def __init__(self, nquads: Path):
        if not nquads.is_file():
            raise InputError("no N-Quads here; run `egkg build` first", file=nquads)
        self.dataset = Dataset(default_union=True)
        self.dataset.parse(nquads, format="nquads")

    def select(self, text: str) -> ResultTable:
        try:
            result = self.dataset.query(text)
        except Exception as exc:  # noqa: BLE001 - rdflib raises pyparsing errors of several kinds
            raise InputError(f"SPARQL error (rdflib): {' '.join(str(exc).split())[:300]}", field="query") from None
        if result.type != "SELECT":
            raise InputError("only SELECT queries are supported here", field="query")
        columns = tuple(str(v) for v in result.vars)
        rows = tuple(tuple(_from_rdflib(row[i]) for i in range(len(columns))) for row in result)
        return ResultTable(columns, rows)


def _from_rdflib(term: object) -> Term | None:
    if term is None:
        return None
    if isinstance(term, URIRef):
        return Term("iri", str(term))
    if isinstance(term, Literal):
        if term.language:
            return Term("literal", str(term), language=term.language)
        datatype = str(term.datatype) if term.datatype else "http://www.w3.org/2001/XMLSchema#string"
        return Term("literal", str(term), datatype=datatype)
    if isinstance(term, BNode):
        return Term("bnode", str(term))
    return Term("literal", str(term))


def remote_auth(url: str, user: str | None, password: str | None, timeout: float) -> requests.auth.AuthBase | None:
    """Basic or Digest credentials, whichever the server asks for (Virtuoso wants Digest)."""
    _check_timeout(timeout)
    if not user:
        return None
    try:
        probe = requests.get(url, timeout=timeout)
    except requests.RequestException:
        return requests.auth.HTTPBasicAuth(user, password or "")
    if "digest" in probe.headers.get("WWW-Authenticate", "").lower():
        auth = requests.auth.HTTPDigestAuth(user, password or "")
        # Prime the challenge with a body-less request: later large uploads then carry the
        # Authorization header at once instead of being sent twice (Virtuoso resets big ones).
        try:
            requests.get(url, auth=auth, timeout=timeout)
        except requests.RequestException:
            pass
        return auth
    return requests.auth.HTTPBasicAuth(user, password or "")


class RemoteEngine(Engine):
    """Any SPARQL 1.1 Protocol endpoint (Oxigraph server, Virtuoso, Fuseki, GraphDB, ...)."""

    name = "remote"

    def __init__(self, endpoint: str, user: str | None = None, password: str | None = None, timeout: float = 60):
        if not endpoint.startswith(("http://", "https://")):
            raise InputError(f"{endpoint!r} is not an http(s) URL", field="--endpoint")
        self.endpoint = endpoint
        self.timeout = timeout
        self.auth = remote_auth(endpoint, user, password, timeout)

    def select(self, text: str) -> ResultTable:
        response = remote_request(
            "POST", self.endpoint, data={"query": text}, auth=self.auth, timeout=self.timeout,
            headers={"Accept": "application/sparql-results+json"},
        )
        # JSON of another shape (a list, a term without "type") is as wrong as HTML here.
        try:
            document = response.json()
            columns = tuple(document.get("head", {}).get("vars", []))
            rows = tuple(
                tuple(_from_json(binding.get(c)) for c in columns)
                for binding in document.get("results", {}).get("bindings", [])
            )
        except (ValueError, AttributeError, KeyError, TypeError):
            _raise_if_cut_off(self.endpoint, response.text)
            raise InputError(f"{self.endpoint} did not answer with SPARQL JSON results", field="--endpoint") from None
        return ResultTable(columns, rows)


# Oxigraph's server (`oxigraph serve --timeout-s`) has sent "200" and the JSON head by the time its
# limit ends a query, so the only sign of the cut is this text closing the truncated body.
_CANCELLED = "The SPARQL operation has been cancelled"


def _raise_if_cut_off(url: str, body: str) -> None:
    """A one-line InputError when `body` is what an endpoint's time limit left of an answer."""
    if body[-len(_CANCELLED) - 100 :].rstrip().endswith(_CANCELLED):
        raise InputError(f"{url} cut the query off at its time limit; try a narrower query "
                         "or a larger --timeout-s on the server", field="--endpoint")


def _from_json(term: dict | None) -> Term | None:
    if term is None:
        return None
    kind = term["type"]
    if kind == "uri":
        return Term("iri", term["value"])
    if kind in ("literal", "typed-literal"):
        language = term.get("xml:lang")
        if language:
            return Term("literal", term["value"], language=language)
        return Term("literal", term["value"], datatype=term.get("datatype", "http://www.w3.org/2001/XMLSchema#string"))
    return Term("bnode", term["value"])


def remote_request(method: str, url: str, *, timeout: float, **kwargs: object) -> requests.Response:
    """One HTTP request to a SPARQL server, with every failure turned into a one-line InputError."""
    _check_timeout(timeout)
    try:
        response = requests.request(method, url, timeout=timeout, **kwargs)
    except requests.Timeout:
        raise InputError(f"{url} did not answer within {timeout:g} s; raise --timeout or check the server", field="--endpoint") from None
    except (requests.ConnectionError, socket.error) as exc:
        reason = type(exc).__name__
        raise InputError(f"cannot reach {url} ({reason}); is the server running?", field="--endpoint") from None
    except requests.RequestException as exc:
        raise InputError(f"request to {url} failed: {exc}", field="--endpoint") from None
    if response.status_code in (401, 403):
        raise InputError(f"{url} refused the credentials (HTTP {response.status_code}); check --user/--password", field="--endpoint")
    if response.status_code >= 400:
        _raise_if_cut_off(url, response.text)
        detail = " ".join(response.text.split())[:200]
        raise InputError(f"{url} answered HTTP {response.status_code}: {detail}", field="--endpoint")
    return response


def _check_timeout(timeout: float) -> None:
    # requests raises a bare ValueError for these, which would surface as an internal error.
    if not timeout > 0:
        raise InputError(f"must be more than 0 seconds (got {timeout:g})", field="--timeout")
