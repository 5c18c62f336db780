"""What a SPARQL text is, read by rdflib's parser before any engine runs it: query or update, and any SERVICE."""

from __future__ import annotations

import re
import threading
from functools import lru_cache

from pyparsing import ParseResults
from rdflib import URIRef, Variable
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from .errors import InputError

__all__ = ["BoundQuery", "check_query", "checked_text", "check_update", "query_form", "readable_syntax_error", "refusal"]

# Both the embedded store and rdflib would follow a SERVICE clause to any host they can reach (and
# so would the oxigraph server): a read-only endpoint would make requests on a stranger's behalf.
SERVICE_REFUSED = "is refused: egkg does not send requests to other hosts"
# pyparsing keeps shared state while it parses; the server checks requests from several threads.
_PARSER_LOCK = threading.Lock()


class BoundQuery(str):
    """A library query's text with its parameters bound; `template` is the library text it was made from.

    Only queries.bind (and run_query.with_limit, which appends digits) make one. The bound values are
    RDF terms serialised by pyoxigraph, data that cannot add a clause, so the text may run exactly
    when its template may: engines check the template, once (cached), instead of parsing each bound
    text with rdflib's parser again (60 ms for who-coordinated-with at 10,000 meetings, three times
    the store's own 17-20 ms).
    """

    template: str

    def __new__(cls, text: str, template: str) -> BoundQuery:
        bound = super().__new__(cls, text)
        bound.template = template
        return bound


def checked_text(text: str) -> str:
    """The text whose check stands for `text`: a bound library query's template, any other text itself."""
    return text.template if isinstance(text, BoundQuery) else text


@lru_cache(maxsize=512)  # a server sees the same few query texts again and again
def refusal(text: str, *, update_allowed: bool = False, lines_before: int = 0) -> str | None:
    """Why `text` must not run (an update, a SERVICE or LOAD, or not SPARQL), or None when it may.

    `lines_before`: lines the caller put ahead of the user's text (declared prefixes), left out of positions.
    """
    with _PARSER_LOCK:
        try:
            tree = parseQuery(text)
        except Exception as query_error:  # noqa: BLE001 - pyparsing's errors, and rdflib's on bad escapes or IRIs
            try:
                tree = parseUpdate(text)
            except Exception:  # noqa: BLE001 - as above
                # Unparsed text cannot be shown free of SERVICE, so it never reaches an engine.
                return _parse_error(query_error, lines_before)
            if not update_allowed:
                return "only queries are run; this is an update"
    undeclared = _undeclared_prefix(tree, text, lines_before)
    if undeclared:
        return undeclared
    for node in _nodes(tree):
        if node.name == "ServiceGraphPattern":
            return f"SERVICE {_shown(node.get('term'))} {SERVICE_REFUSED}"
        if node.name == "Load":
            return f"LOAD {_shown(node.get('iri'))} {SERVICE_REFUSED}"
    return None


def check_query(text: str, lines_before: int = 0) -> None:
    """A one-line InputError unless `text` is a SPARQL query that sends nothing elsewhere."""
    reason = refusal(text, lines_before=lines_before)
    if reason is not None:
        raise InputError(reason, field="query")


def check_update(text: str) -> None:
    """A one-line InputError unless `text` is SPARQL (query or update) that fetches nothing from elsewhere."""
    reason = refusal(text, update_allowed=True)
    if reason is not None:
        raise InputError(reason, field="update")


def _nodes(tree: object):
    """Every grammar node of a parse tree, depth first."""
    if isinstance(tree, CompValue):
        yield tree
        for value in tree.values():
            yield from _nodes(value)
    elif isinstance(tree, (list, tuple, ParseResults)):
        for item in tree:
            yield from _nodes(item)


def _shown(term: object) -> str:
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Variable):
        return f"?{term}"
    if isinstance(term, CompValue) and term.name == "pname":
        return f"{term.get('prefix') or ''}:{term.get('localname') or ''}"
    return "(a service)"


QUERY_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT", "DescribeQuery": "DESCRIBE"}


@lru_cache(maxsize=512)
def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, for a text `check_query` accepted."""
    with _PARSER_LOCK:
        return QUERY_FORMS[parseQuery(text)[1].name]


def _position(line: int, column: int, lines_before: int) -> str:
    return f"{line - lines_before}:{column} (line:column)"


def _parse_error(error: Exception, lines_before: int) -> str:
    """pyparsing's error as one line: where (line:column) and what it expected, without its own position text."""
    line, column = getattr(error, "lineno", None), getattr(error, "col", None)
    detail = re.sub(r"\s*\(at char \d+\), \(line:\d+, col:\d+\)\s*$", "", " ".join(str(error).split()))
    if line is None or column is None:
        return f"SPARQL syntax error: {detail[:300]}"
    return f"SPARQL syntax error at {_position(line, column, lines_before)}: {detail[:200]}"


def readable_syntax_error(message: str, lines_before: int = 0) -> str:
    """An engine's syntax error as one line: oxigraph lists every character it expected; keep the position and gist."""
    found = re.match(r"error at (\d+):(\d+): (.*)", " ".join(message.split()))
    if not found:
        return f"SPARQL syntax error: {' '.join(message.split())[:200]}"
    gist = found.group(3).split(", [")[0].split(" ['")[0]
    return f"SPARQL syntax error at {_position(int(found.group(1)), int(found.group(2)), lines_before)}: {gist[:200]}"


def _undeclared_prefix(tree: object, text: str, lines_before: int) -> str | None:
    """A prefixed name whose prefix nobody declared: said with its position, not as an engine's grammar dump."""
    declared = {node.get("prefix") or "" for node in _nodes(tree) if node.name == "PrefixDecl"}
    for node in _nodes(tree):
        if node.name == "pname" and (node.get("prefix") or "") not in declared:
            prefix = node.get("prefix") or ""
            where = re.search(rf"(?<![\w<\"'.-]){re.escape(prefix)}:", text)
            at = ""
            if where:
                line = text.count("\n", 0, where.start()) + 1
                column = where.start() - (text.rfind("\n", 0, where.start()) + 1) + 1
                at = f" at {_position(line, column, lines_before)}"
            return f"unknown prefix '{prefix}:'{at}; declare it with PREFIX {prefix}: <...>"
    return None
