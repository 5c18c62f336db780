"""Rule 40's conclusions written as N-Quads lines, straight to its share parts on disk and into the store.

A full count at 10,000 meetings concludes 4.5 M quads; as Python quads, held for the store, the
sorted N-Quads and the shares, they made most of a 10 GB peak (and would pass the machine's memory
at 100,000 meetings). Here each pair's lines are made as text, appended to the part of the rule's
share they belong to and bulk-loaded into the store a batch at a time; each part is sorted alone at
the end, and the sorted parts are both the release's shares and runs of the egkg.nq merge. The lines
are those `coordination_quads` would give, serialized (tests/test_coordination_lines.py).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from .coordination import (
    COORDINATED_WITH,
    COORDINATION,
    FIRST_DATE,
    LAST_DATE,
    PARTY,
    RDF_TYPE,
    SHARED_COUNT,
    SHARED_MEETING,
    TOP_RANKED,
    XSD_INTEGER,
    Coordination,
    Kinds,
    Pair,
    count_pairs,
    kinds_in,
    known_triples,
    participations_in,
    ranks,
    share_part,
)

__all__ = ["LineSpool", "StreamedCount", "pair_lines"]

BATCH_LINES = 500_000  # lines held before they go to disk and the store: ~75 MB of text


class LineSpool:
    """One graph's N-Quads lines, routed to its share parts on disk as they come and loaded into `store` in batches.

    The store gets each line in the named graph and its triple in the default graph (the union, as
    outputs.store.load_nquads loads curated lines). `finish` sorts every part and writes it as a share.
    """

    def __init__(self, directory: Path, store: ox.Store, graph: ox.NamedNode, batch: int = BATCH_LINES):
        self.directory = directory
        self.store = store
        self.graph = graph
        self.batch = batch
        self.written = 0
        self._pending: list[tuple[str, str]] = []  # (share part, line)
        self._parts: set[str] = set()
        directory.mkdir(parents=True, exist_ok=True)

    def add(self, lines: Iterable[str], parts: Iterable[str] | None = None) -> None:
        """Lines of the graph, with the share part of each when the caller knows it (else `share_part` finds it)."""
        lines = list(lines)
        self._pending.extend(zip(parts if parts is not None else map(share_part, lines), lines))
        if len(self._pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        """Append the pending lines to their parts' files and load them into the store."""
        if not self._pending:
            return
        by_part: dict[str, list[str]] = {}
        for part, line in self._pending:
            group = by_part.get(part)
            if group is None:
                group = by_part[part] = []
            group.append(line)
        for part, lines in by_part.items():
            with (self.directory / f"{part}.nq").open("a", encoding="utf-8") as handle:
                handle.writelines(lines)
        self._parts.update(by_part)
        lines = [line for _, line in self._pending]
        self.store.bulk_load(input="".join(lines).encode(), format=ox.RdfFormat.N_QUADS)
        # The graph is the last term and its IRI holds no space (serialize.lines_by_graph): cut it off.
        self.store.bulk_load(input="".join(line[:line.rfind(" <")] + " .\n" for line in lines).encode(),
                             format=ox.RdfFormat.N_QUADS)
        self.written += len(self._pending)
        self._pending = []

    def holds(self, share_key: str) -> bool:
        """True for a share key of this spool's graph (`<graph IRI> <part>`, as pipeline.shares.share_groups names them)."""
        return share_key.partition(" ")[0] == self.graph.value

    def finish(self, cache: Path, extra: dict[str, list[str]]) -> dict[str, str]:
        """Write every part, sorted and without repeats, as its share in `cache`; return share key -> block name.

        `extra` holds more lines of this graph by share key (the rule's provenance, made with the
        other inferred quads): they are merged into their parts, loaded in the store already.
        """
        from ..pipeline.shares import block_name, share_path  # the pipeline imports reasoning

        self.flush()
        blocks = {}
        for part in sorted(self._parts | {key.rpartition(" ")[2] for key in extra}):
            key = f"{self.graph.value} {part}"
            spooled = self.directory / f"{part}.nq"
            lines = spooled.read_bytes().splitlines(keepends=True) if spooled.exists() else []
            lines += (line.encode() for line in extra.get(key, ()))
            blocks[key] = block_name(key)
            share_path(cache, blocks[key]).write_bytes(b"".join(sorted(set(lines))))
            spooled.unlink(missing_ok=True)
        shutil.rmtree(self.directory, ignore_errors=True)
        return blocks


def pair_parts(lines: list[str], placed: list[tuple[ox.NamedNode, int]]) -> list[str]:
    """`share_part` of each of `pair_lines`' lines, from three calls instead of one a line.

    The lines come in pair_lines' order: a's line, b's line, then the node's (with its ranks last);
    a line's part depends on its subject, and a rank's also on whether it is in the top.
    """
    own_a, own_b, node = share_part(lines[0]), share_part(lines[1]), share_part(lines[2])
    ranks = ["top" if rank <= TOP_RANKED else node for _, rank in placed]
    return [own_a, own_b, *[node] * (len(lines) - 2 - len(ranks)), *ranks]


def pair_lines(pair: Pair, graph: str, placed: list[tuple[ox.NamedNode, int]]) -> list[str]:
    """The N-Quads lines `coordination_quads` concludes for `pair` in `graph` (IRI text without brackets)."""
    a, b, tail = f"<{pair.a}>", f"<{pair.b}>", f" <{graph}> .\n"
    node = str(pair.node)
    lines = [
        f"{a} {_CW} {b}{tail}", f"{b} {_CW} {a}{tail}", f"{node} {_TYPE} {_COORDINATION}{tail}",
        f"{node} {_PARTY} {a}{tail}", f"{node} {_PARTY} {b}{tail}",
        f'{node} {_COUNT} "{pair.count}"^^{_INTEGER}{tail}',
        f"{node} {_FIRST} {pair.first}{tail}", f"{node} {_LAST} {pair.last}{tail}",
    ]
    lines += (f"{node} {_MEETING} <{meeting}>{tail}" for meeting in pair.meetings)
    lines += (f'{node} {ranking} "{rank}"^^{_INTEGER}{tail}' for ranking, rank in placed)
    return lines


_CW, _TYPE, _COORDINATION, _PARTY = str(COORDINATED_WITH), str(RDF_TYPE), str(COORDINATION), str(PARTY)
_COUNT, _FIRST, _LAST, _MEETING = str(SHARED_COUNT), str(FIRST_DATE), str(LAST_DATE), str(SHARED_MEETING)
_INTEGER = str(XSD_INTEGER)


class StreamedCount:
    """Count every pair from the store's participation table, as FullCount does, writing the conclusions to `spool`."""

    def __init__(self, spool: LineSpool):
        self.spool = spool

    def conclude(self, store: ox.Store, graph: ox.NamedNode) -> Coordination:
        table = participations_in(store)
        pairs = count_pairs(table)
        placed = ranks(pairs.values(), kinds_in(store) if pairs else Kinds(frozenset(), frozenset()))
        # Triples the union holds already (asserted, or ruled earlier) are not concluded again.
        known = {f"{t.subject} {t.predicate} {t.object}" for t in known_triples(store)}
        for key, pair in pairs.items():
            lines = pair_lines(pair, graph.value, placed.get(key, []))
            if known:  # rare (a source stating a coordination): each kept line finds its own part
                self.spool.add(line for line in lines if line[:line.rfind(" <")] not in known)
            else:
                self.spool.add(lines, pair_parts(lines, placed.get(key, [])))
        self.spool.flush()
        return Coordination([], table, len(pairs), len(pairs), written=self.spool.written)
