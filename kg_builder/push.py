"""Load the build, named graphs preserved, into a remote SPARQL 1.1 store (GSP or Update)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox

from .engines import remote_auth, remote_request
from .errors import InputError
from .remote_http import redacted

__all__ = ["push"]

# Virtuoso refuses INSERT DATA blocks of ~5,000 triples ("memory exhausted"); 1,000 is safe everywhere.
CHUNK = 1000


def push(
    nquads: Path, *, endpoint: str | None, graph_store: str | None, user: str | None, password: str | None,
    timeout: float = 120, progress: Callable[[str], None] = lambda _: None,
) -> dict[str, int]:
    """Replace each named graph of `nquads` on the server; return triples sent per graph."""
    if not nquads.is_file():
        raise InputError("no N-Quads to push; run `egkg build` first", file=nquads)
    target = graph_store or endpoint
    if not target:
        raise InputError("give --endpoint (SPARQL Update URL) or --graph-store (Graph Store Protocol URL)", field="--endpoint")
    if not target.startswith(("http://", "https://")):
        raise InputError(f"{redacted(target)!r} is not an http(s) URL", field="--endpoint")
    graphs: dict[str, list[ox.Triple]] = defaultdict(list)
    for quad in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS):
        graphs[quad.graph_name.value].append(quad.triple)
    auth = remote_auth(target, user, password, timeout)
    sent = {}
    for graph, triples in sorted(graphs.items()):
        progress(f"{graph} ({len(triples)} triples)")
        if graph_store:
            _put_graph(graph_store, graph, triples, auth, timeout)
        else:
            _update_graph(endpoint, graph, triples, auth, timeout)
        sent[graph] = len(triples)
    return sent


def _put_graph(url: str, graph: str, triples: list[ox.Triple], auth, timeout: float) -> None:
    """Graph Store Protocol: PUT replaces the graph with the body."""
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    separator = "&" if "?" in url else "?"
    remote_request(
        "PUT", f"{url}{separator}graph={quote(graph, safe='')}", data=body, auth=auth, timeout=timeout,
        headers={"Content-Type": "application/n-triples"},
    )


def _update_graph(url: str, graph: str, triples: list[ox.Triple], auth, timeout: float) -> None:
    """SPARQL Update: drop the graph, then insert it in chunks; terms are serialised by pyoxigraph."""
    name = str(ox.NamedNode(graph))
    _update(url, f"DROP SILENT GRAPH {name}", auth, timeout)
    plain = [t for t in triples if not _has_blank(t)]
    blank = [t for t in triples if _has_blank(t)]
    for start in range(0, len(plain), CHUNK):
        lines = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in plain[start:start + CHUNK])
        _update(url, f"INSERT DATA {{ GRAPH {name} {{\n{lines}\n}} }}", auth, timeout)
    if blank:
        # INSERT DATA may not carry blank nodes on some servers (Virtuoso); a template may. The
        # ontology's few OWL lists go in one request so their nodes stay connected.
        lines = "\n".join(f"{t.subject} {t.predicate} {t.object} ." for t in blank)
        _update(url, f"INSERT {{ GRAPH {name} {{\n{lines}\n}} }} WHERE {{}}", auth, timeout)


def _has_blank(triple: ox.Triple) -> bool:
    return isinstance(triple.subject, ox.BlankNode) or isinstance(triple.object, ox.BlankNode)


def _update(url: str, text: str, auth, timeout: float) -> None:
    remote_request(
        "POST", url, data=text.encode("utf-8"), auth=auth, timeout=timeout,
        headers={"Content-Type": "application/sparql-update; charset=utf-8"},
    )
