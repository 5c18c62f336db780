"""Where queries run: the embedded Oxigraph store, rdflib in memory, or a remote SPARQL endpoint.

All three take the same query text and return the same `ResultTable`, so results can be compared.
Queries see the union of all named graphs as their default graph on every engine, as a set: the
embedded store holds that union in its default graph (see store.py).
"""

from __future__ import annotations

import json
import multiprocessing
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
import requests
from rdflib import BNode, Dataset, Literal, URIRef

from .errors import InputError
from .outputs.store import open_store, union_missing
from .remote_http import cut_off, read_within, redacted, scrubbed
from .sparql_check import check_query, checked_text, query_form, readable_syntax_error

__all__ = ["Answer", "Engine", "OxigraphEngine", "RdflibEngine", "RemoteEngine", "ResultTable", "Term", "Triples",
           "remote_auth"]

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


@dataclass(frozen=True)
class Triples:
    """A CONSTRUCT or DESCRIBE answer, as N-Triples text (what every engine can produce and pickle)."""

    ntriples: str


Answer = ResultTable | bool | Triples  # SELECT, ASK, CONSTRUCT/DESCRIBE


class Engine:
    """Something that answers SPARQL queries over the egkg dataset.

    Every engine first has rdflib's parser read the text: updates, and SERVICE clauses (which would
    make egkg send requests to any host it can reach), are refused before anything runs, whatever
    the query form.
    """

    name = "engine"

    def select(self, text: str) -> ResultTable:
        check_query(checked_text(text))
        return self._select(text)

    def answer(self, text: str) -> Answer:
        """A SELECT's table, an ASK's boolean, or a CONSTRUCT's or DESCRIBE's triples."""
        check_query(checked_text(text))
        if query_form(checked_text(text)) == "SELECT":
            return self._select(text)
        return self._answer(text)

    def _select(self, text: str) -> ResultTable:  # pragma: no cover - interface
        raise NotImplementedError

    def _answer(self, text: str) -> Answer:  # pragma: no cover - interface
        raise NotImplementedError


def within_time_limit(work: Callable[[], ResultTable], limit: float | None) -> ResultTable:
    """`work()`, run in a forked child that is killed after `limit` seconds (`cut_off`); in-process without a limit.

    Neither pyoxigraph nor rdflib can cancel a running query from Python, so the query runs where it
    can be killed. Fork shares the parent's memory (rdflib's parsed dataset) without copying or
    pickling it. The cost, measured on the test build (2 busy cores): about 40 ms for a small query
    (fork, and the store opened read-only in the child) against 0.1 ms in-process; a CLI run pays it
    once or twice. tests/test_remote_guard.py::test_a_small_query_costs_little_in_a_child_process
    keeps it bounded.
    """
    if limit is None:
        return work()
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_answer_to, args=(sender, work), daemon=True)
    child.start()
    sender.close()
    try:
        if not receiver.poll(limit):
            raise cut_off(limit)
        kind, payload = receiver.recv()
    except EOFError:
        child.join(5)
        raise RuntimeError(f"the query process ended without an answer (exit code {child.exitcode})") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if kind == "input-error":
        message, field = payload
        raise InputError(message, field=field)
    if kind == "crash":
        raise RuntimeError(payload)
    return payload


def _answer_to(sender, work: Callable[[], ResultTable]) -> None:
    """In the child: send ("table", result), ("input-error", (message, field)) or ("crash", text)."""
    try:
        sender.send(("table", work()))
    except InputError as exc:
        sender.send(("input-error", (exc.problem.message, exc.problem.field)))
    except Exception as exc:  # noqa: BLE001 - shown by the parent as an internal error
        sender.send(("crash", f"{type(exc).__name__}: {exc}"))
    finally:
        sender.close()


class OxigraphEngine(Engine):
    """The embedded on-disk store written by `egkg build` (the default engine).

    With a `time_limit` (seconds) and a store on disk, each query runs in a child that opens the
    store read-only and is killed at the limit.
    """

    name = "oxigraph"

    def __init__(self, store: ox.Store | Path, time_limit: float | None = None):
        self.path = store if isinstance(store, Path) else None
        self.store = open_store(store) if isinstance(store, Path) else store
        if isinstance(store, Path) and union_missing(self.store):
            raise InputError("this store has no union default graph (built by an older egkg); run `egkg build`", file=store)
        self.time_limit = time_limit

    def _select(self, text: str) -> ResultTable:
        if self.path is None or self.time_limit is None:
            return _select_oxigraph(self.store, text)
        path = self.path
        # The child's own read-only handle: a RocksDB handle does not survive fork (its threads stay behind).
        return within_time_limit(lambda: _select_oxigraph(open_store(path), text), self.time_limit)

    def _answer(self, text: str) -> Answer:
        if self.path is None or self.time_limit is None:
            return _answer_oxigraph(self.store, text)
        path = self.path
        return within_time_limit(lambda: _answer_oxigraph(open_store(path), text), self.time_limit)


def _select_oxigraph(store: ox.Store, text: str) -> ResultTable:
    solutions = _answer_oxigraph(store, text)
    if not isinstance(solutions, ResultTable):
        raise InputError("only SELECT queries are supported here", field="query")
    return solutions


def _answer_oxigraph(store: ox.Store, text: str) -> Answer:
    try:
        solutions = store.query(text)
    except SyntaxError as exc:
        raise InputError(readable_syntax_error(str(exc)), field="query") from None
    if isinstance(solutions, ox.QueryBoolean):
        return bool(solutions)
    if isinstance(solutions, ox.QueryTriples):
        return Triples(ox.serialize(solutions, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"))
    columns = tuple(v.value for v in solutions.variables)
    convert = _oxigraph_converter()
    # A solution iterates over its values in the order of `variables`, None where unbound.
    rows = tuple(tuple(map(convert, row)) for row in solutions)
    return ResultTable(columns, rows)


def _oxigraph_converter() -> Callable[[object], Term | None]:
    """`_from_oxigraph`, converting each distinct term of one answer once.

    Big answers repeat the same IRIs and literals on many rows (the site reads the whole graph in
    one query): building a Term costs more than finding the one already built, and equal terms
    then share one immutable object instead of each row holding a copy.
    """
    converted: dict[object, Term] = {}

    def convert(term: object) -> Term | None:
        if term is None:
            return None
        found = converted.get(term)
        if found is None:
            found = converted[term] = _from_oxigraph(term)
        return found

    return convert


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

    def __init__(self, nquads: Path, time_limit: float | None = None):
        if not nquads.is_file():
            raise InputError("no N-Quads here; run `egkg build` first", file=nquads)
        self.dataset = Dataset(default_union=True)
        self.dataset.parse(nquads, format="nquads")
        self.time_limit = time_limit

    def _select(self, text: str) -> ResultTable:
        return within_time_limit(lambda: self._select_here(text), self.time_limit)

    def _answer(self, text: str) -> Answer:
        return within_time_limit(lambda: self._answer_here(text), self.time_limit)

    def _select_here(self, text: str) -> ResultTable:
        result = self._answer_here(text)
        if not isinstance(result, ResultTable):
            raise InputError("only SELECT queries are supported here", field="query")
        return result

    def _answer_here(self, text: str) -> Answer:
        try:
            result = self.dataset.query(text)
        except Exception as exc:  # noqa: BLE001 - rdflib raises pyparsing errors of several kinds
            raise InputError(f"SPARQL error (rdflib): {' '.join(str(exc).split())[:300]}", field="query") from None
        if result.type == "ASK":
            return bool(result.askAnswer)
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            return Triples(result.graph.serialize(format="nt"))
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
    """Any SPARQL 1.1 Protocol endpoint (Oxigraph server, Virtuoso, Fuseki, GraphDB, ...).

    `timeout` bounds each query in total, streaming of the answer included.
    """

    name = "remote"

    def __init__(self, endpoint: str, user: str | None = None, password: str | None = None, timeout: float = 60):
        if not endpoint.startswith(("http://", "https://")):
            raise InputError(f"{redacted(endpoint)!r} is not an http(s) URL", field="--endpoint")
        self.endpoint = endpoint
        self.timeout = timeout
        self.auth = remote_auth(endpoint, user, password, timeout)

    def _answer(self, text: str) -> Answer:
        if query_form(text) == "ASK":
            document = self._post(text, "application/sparql-results+json").json()
            if not isinstance(document, dict) or not isinstance(document.get("boolean"), bool):
                raise InputError(f"{redacted(self.endpoint)} did not answer ASK with a boolean", field="--endpoint")
            return document["boolean"]
        answer = self._post(text, "application/n-triples")
        try:
            triples = ox.parse(answer.body, format=ox.RdfFormat.N_TRIPLES)
            return Triples(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"))
        except (SyntaxError, ValueError):
            raise InputError(f"{redacted(self.endpoint)} did not answer with N-Triples", field="--endpoint") from None

    def _post(self, text: str, accept: str) -> RemoteAnswer:
        return remote_request(
            "POST", self.endpoint, data={"query": text}, auth=self.auth, timeout=self.timeout,
            deadline=time.monotonic() + self.timeout, headers={"Accept": accept},
        )

    def _select(self, text: str) -> ResultTable:
        response = self._post(text, "application/sparql-results+json")
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
            raise InputError(f"{redacted(self.endpoint)} did not answer with SPARQL JSON results",
                             field="--endpoint") from None
        return ResultTable(columns, rows)


# Oxigraph's server (`oxigraph serve --timeout-s`) has sent "200" and the JSON head by the time its
# limit ends a query, so the only sign of the cut is this text closing the truncated body.
_CANCELLED = "The SPARQL operation has been cancelled"


def _raise_if_cut_off(url: str, body: str) -> None:
    """A one-line InputError when `body` is what an endpoint's time limit left of an answer."""
    if body[-len(_CANCELLED) - 100 :].rstrip().endswith(_CANCELLED):
        raise InputError(f"{redacted(url)} cut the query off at its time limit; try a narrower query "
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


@dataclass(frozen=True)
class RemoteAnswer:
    """A server's status and whole body, read within the deadline."""

    status_code: int
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")  # SPARQL results formats are UTF-8

    def json(self) -> object:
        return json.loads(self.body)


def remote_request(
    method: str, url: str, *, timeout: float, deadline: float | None = None, **kwargs: object
) -> RemoteAnswer:
    """One HTTP request to a SPARQL server, with every failure turned into a one-line InputError.

    `timeout` bounds connecting and each read; `deadline` (monotonic) also bounds the whole answer.
    URLs in messages are `redacted`, and no password appears in them.
    """
    _check_timeout(timeout)
    shown = redacted(url)
    secrets = _secrets(url, kwargs.get("auth"))
    try:
        response = requests.request(method, url, timeout=timeout, stream=True, **kwargs)
    except requests.Timeout:
        raise InputError(f"{shown} did not answer within {timeout:g} s; raise --timeout or check the server",
                         field="--endpoint") from None
    except (requests.ConnectionError, socket.error) as exc:
        reason = type(exc).__name__
        raise InputError(f"cannot reach {shown} ({reason}); is the server running?", field="--endpoint") from None
    except requests.RequestException as exc:
        raise InputError(f"request to {shown} failed: {scrubbed(str(exc), secrets)}", field="--endpoint") from None
    try:
        answer = RemoteAnswer(response.status_code, read_within(response, deadline or float("inf"), timeout))
    except (requests.RequestException, socket.error) as exc:
        if deadline is not None and time.monotonic() >= deadline:
            raise cut_off(timeout) from None
        raise InputError(f"{shown} broke off its answer ({type(exc).__name__}); try again or check the server",
                         field="--endpoint") from None
    if answer.status_code in (401, 403):
        raise InputError(f"{shown} refused the credentials (HTTP {answer.status_code}); check --user/--password",
                         field="--endpoint")
    if answer.status_code >= 400:
        _raise_if_cut_off(url, answer.text)
        detail = scrubbed(" ".join(answer.text.split())[:200], secrets)
        raise InputError(f"{shown} answered HTTP {answer.status_code}: {detail}", field="--endpoint")
    return answer


def _secrets(url: str, auth: object) -> list[str | None]:
    """The passwords a message about this request must not show: the URL's and the --password."""
    try:
        in_url = urlsplit(url).password or ""
    except ValueError:
        in_url = ""
    return [in_url, unquote(in_url), getattr(auth, "password", None)]


def _check_timeout(timeout: float) -> None:
    # requests raises a bare ValueError for these, which would surface as an internal error.
    if not timeout > 0:
        raise InputError(f"must be more than 0 seconds (got {timeout:g})", field="--timeout")
