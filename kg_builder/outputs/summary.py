"""Counts of things per class and per source graph, for the build summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import pyoxigraph as ox
from rich.table import Table

from ..rdf.namespace import EGKG, ID

__all__ = ["class_counts", "summary_table"]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SOURCE_GRAPH_PREFIX = str(ID["graph/source/"])


def class_counts(quads: Iterable[ox.Quad]) -> tuple[Counter[tuple[str, str]], Counter[str]]:
    """(egkg class, source id) -> instances typed in that source graph; and triples per graph."""
    per_class: Counter[tuple[str, str]] = Counter()
    per_graph: Counter[str] = Counter()
    for quad in quads:
        graph = quad.graph_name.value
        per_graph[graph] += 1
        if not graph.startswith(SOURCE_GRAPH_PREFIX) or quad.predicate.value != RDF_TYPE:
            continue
        cls = quad.object.value
        if cls.startswith(str(EGKG)):
            per_class[(cls.removeprefix(str(EGKG)), graph.removeprefix(SOURCE_GRAPH_PREFIX))] += 1
    return per_class, per_graph


MAX_SOURCE_COLUMNS = 8  # beyond this a column per source no longer fits a terminal


def _totals_table(table: Table, per_class: Counter, per_graph: Counter, sources: int) -> Table:
    """One total per class, for builds with too many sources to show one column each."""
    totals: Counter[str] = Counter()
    for (cls, _), count in per_class.items():
        totals[cls] += count
    table.add_column("class")
    table.add_column("total", justify="right")
    for cls in sorted(totals):
        table.add_row(cls, str(totals[cls]))
    table.add_section()
    table.add_row("triples in source graphs", str(sum(n for g, n in per_graph.items() if g.startswith(SOURCE_GRAPH_PREFIX))))
    others = sorted(g for g in per_graph if not g.startswith(SOURCE_GRAPH_PREFIX))
    table.caption = "\n".join([f"{sources} source graphs"] + [f"{g.removeprefix(str(ID))}: {per_graph[g]} triples" for g in others])
    return table


def summary_table(quads: list[ox.Quad]) -> Table:
    """A rich table: one row per class, one column per source, plus triples per graph."""
    per_class, per_graph = class_counts(quads)
    sources = sorted({source for _, source in per_class} | {
        g.removeprefix(SOURCE_GRAPH_PREFIX) for g in per_graph if g.startswith(SOURCE_GRAPH_PREFIX)
    })
    table = Table(title=f"egkg graph: {len(quads)} quads in {len(per_graph)} named graphs")
    if len(sources) > MAX_SOURCE_COLUMNS:
        return _totals_table(table, per_class, per_graph, len(sources))
    table.add_column("class")
    for number, _ in enumerate(sources):
        table.add_column(f"S{number}", justify="right")
    table.add_column("total", justify="right")
    for cls in sorted({cls for cls, _ in per_class}):
        counts = [per_class.get((cls, source), 0) for source in sources]
        table.add_row(cls, *(str(c) if c else "·" for c in counts), str(sum(counts)))
    table.add_section()
    triples = [per_graph.get(SOURCE_GRAPH_PREFIX + source, 0) for source in sources]
    table.add_row("triples", *(str(t) for t in triples), str(sum(triples)))
    caption = [f"S{number} = {source}" for number, source in enumerate(sources)]
    others = sorted(g for g in per_graph if not g.startswith(SOURCE_GRAPH_PREFIX))
    caption += [f"{g.removeprefix(str(ID))}: {per_graph[g]} triples" for g in others]
    table.caption = "\n".join(caption)
    return table
