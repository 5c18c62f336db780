"""A release's shares of egkg.nq: one sorted N-Quads file per graph (rule 40's cut into parts), named and written."""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..reason.coordination import share_part

__all__ = ["SHARE", "SPLIT_GRAPHS", "block_name", "graph_of_share", "share_groups", "share_path", "write_shares"]

SHARE = ".nq"  # suffix of a graph's share of egkg.nq under cache/
# Graphs cut into parts, by the function that names a line's part: an edit then rewrites a few parts.
SPLIT_GRAPHS = {"https://w3id.org/egkg/id/graph/inferred/40-coordination": share_part}


def share_groups(groups: dict[str, list[str]]) -> dict[str, list[str]]:
    """`lines_by_graph`'s groups, with each graph of SPLIT_GRAPHS cut into its parts (each keeps the lines' order)."""
    cut = {}
    for graph, lines in groups.items():
        part_of = SPLIT_GRAPHS.get(graph)
        if part_of is None:
            cut[graph] = lines
            continue
        for line in lines:
            cut.setdefault(f"{graph} {part_of(line)}", []).append(line)
    return cut


def graph_of_share(key: str) -> str:
    """The graph IRI a share key names."""
    return key.partition(" ")[0]


def share_path(cache: Path, block: str) -> Path:
    return cache / f"{block}{SHARE}"


def write_shares(cache: Path, groups: dict[str, list[str]]) -> dict[str, str]:
    """Write each graph's sorted N-Quads lines as its share; return graph IRI -> block name."""
    written = {}
    for graph, lines in groups.items():
        written[graph] = block_name(graph)
        share_path(cache, written[graph]).write_bytes("".join(lines).encode())
    return written


def block_name(graph: str) -> str:
    """A file name for a graph's cached share: readable, and unique through a short hash."""
    tail = graph.rsplit("/", 1)[-1][:60]
    safe = "".join(c if c.isalnum() or c in "-_." else "-" for c in tail)
    return f"{safe}-{hashlib.sha256(graph.encode()).hexdigest()[:12]}"
