"""Query results for people (a table that fits the terminal, or one record per block) and for programs (CSV, JSON)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rich._ratio import ratio_distribute
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

from .engines import ResultTable, Term
from .rdf.namespace import ID
from .rdf.serialize import PREFIXES

__all__ = [
    "FORMATS", "GRAPH_FORMATS", "QUERY_PREFIXES", "Readable", "iris_to_label", "print_answer", "readable", "render_csv",
    "render_json", "shortened",
]

FORMATS = ("table", "csv", "json")
GRAPH_FORMATS = ("ttl", "nt")  # what CONSTRUCT and DESCRIBE answers are written as

# The prefixes `egkg sparql` declares for the user and the terminal's short IRIs: the serialisation's
# prefixes plus the project's own id/ and vocab/ spaces.
QUERY_PREFIXES: dict[str, str] = {**PREFIXES, "id": str(ID), "vocab": "https://w3id.org/egkg/vocab/"}
SHORT_FORMS = tuple((iri, f"{name}:") for name, iri in QUERY_PREFIXES.items() if name in ("id", "egkg", "vocab"))
LABEL_SUFFIX = "Label"  # the library's convention: ?x is an IRI, ?xLabel its label
# A table cell is padded by one space each side and columns are separated by one border line.
CELL_PADDING = 2
COMFORTABLE_WIDTH = 20  # a column narrower than this (unless its text is) makes the table worse than blocks


def _text(term: Term | None) -> str:
    return "" if term is None else term.value


def shortened(term: Term | None) -> str:
    """IRIs shortened for reading in a terminal (CSV and JSON keep them whole)."""
    text = _text(term)
    if term is not None and term.kind == "iri":
        for long, short in SHORT_FORMS:
            if text.startswith(long):
                return short + text.removeprefix(long)
    return text


@dataclass(frozen=True)
class Readable:
    """What a person reads of an answer: column names and the text of each cell."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def readable(result: ResultTable, labels: Mapping[str, str] | None = None, *, iris: bool = False) -> Readable:
    """Labels by default: an IRI column whose `…Label` column is also there is left out, other IRIs shown
    by their label (else shortened); with `iris`, every column and IRIs shortened instead of labelled."""
    labels = {} if iris or labels is None else labels
    keep = [i for i, name in enumerate(result.columns) if iris or f"{name}{LABEL_SUFFIX}" not in result.columns]

    def cell(term: Term | None) -> str:
        if term is not None and term.kind == "iri" and term.value in labels:
            return labels[term.value]
        return shortened(term)

    rows = tuple(tuple(cell(row[i]) for i in keep) for row in result.rows)
    return Readable(tuple(result.columns[i] for i in keep), rows)


def iris_to_label(result: ResultTable) -> list[str]:
    """The IRIs shown in label mode that have no label column of their own, in order of appearance."""
    wanted: dict[str, None] = {}
    for i, name in enumerate(result.columns):
        if f"{name}{LABEL_SUFFIX}" in result.columns:
            continue
        for row in result.rows:
            if row[i] is not None and row[i].kind == "iri":
                wanted[row[i].value] = None
    return list(wanted)


def print_answer(console: Console, answer: Readable, title: str = "") -> None:
    """A table that fits the terminal, one record per block when its columns cannot fit, and plain
    `column: value` blocks when stdout is not a terminal (for a pager, a file or grep)."""
    if not console.is_terminal:
        _print_plain(console, answer, title)
        return
    table = _fitted_table(console, answer, title)
    if table is None:
        _print_blocks(console, answer, title)
    else:
        console.print(table)


def _table(answer: Readable, title: str) -> Table:
    table = Table(title=title or None, caption=f"{len(answer.rows)} row(s)")
    for column in answer.columns:
        table.add_column(column, overflow="fold")
    return table


def _fitted_table(console: Console, answer: Readable, title: str) -> Table | None:
    """The table with column widths that keep every word whole within the console's width, or None.

    rich's own squeezing shrinks the widest columns first, below their longest word, which breaks
    words mid-way; so each column gets at least its longest word (rich.measure) and the space
    left is shared in proportion to how much more each column would use.
    """
    table = _table(answer, title)
    for row in answer.rows:
        table.add_row(*(Text(value) for value in row))
    measured = [
        _column_measure(console, [Text(name), *(Text(row[i]) for row in answer.rows)])
        for i, name in enumerate(answer.columns)
    ]
    frame = len(answer.columns) * (CELL_PADDING + 1) + 1
    room = console.width - frame
    least = sum(m.minimum for m in measured)
    # Columns squeezed to their longest word make tall, narrow rows that read worse than blocks.
    comfortable = sum(min(m.maximum, max(m.minimum, COMFORTABLE_WIDTH)) for m in measured)
    if comfortable > room:
        return None
    most = sum(m.maximum for m in measured)
    if most > room:
        extra = ratio_distribute(room - least, [max(m.maximum - m.minimum, 1) for m in measured])
        for column, m, more in zip(table.columns, measured, extra):
            column.width = min(m.minimum + more, m.maximum)
    for column, m in zip(table.columns, measured):
        column.min_width = m.minimum
    return table


def _column_measure(console: Console, cells: Sequence[Text]) -> Measurement:
    """The narrowest width that keeps each cell's longest word whole, and the width of the widest cell."""
    measures = [Measurement.get(console, console.options, cell) for cell in cells]
    return Measurement(max(m.minimum for m in measures), max(m.maximum for m in measures))


def _print_blocks(console: Console, answer: Readable, title: str) -> None:
    """One record per block, `column: value` lines wrapped at words by rich."""
    if title:
        console.print(Text(title, style="bold"))
    for number, row in enumerate(answer.rows, 1):
        console.print(Text(f"─ {number} ─", style="dim"))
        for column, value in zip(answer.columns, row):
            if value:
                console.print(Text.assemble((f"{column}: ", "bold"), value))
    console.print(Text(f"{len(answer.rows)} row(s)", style="dim"))


def _print_plain(console: Console, answer: Readable, title: str) -> None:
    """`column: value` lines, a blank line between records, never wrapped: what scripts and pagers read."""
    lines = [title, ""] if title else []
    for row in answer.rows:
        lines += [f"{column}: {value}" for column, value in zip(answer.columns, row) if value]
        lines.append("")
    lines.append(f"{len(answer.rows)} row(s)")
    console.file.write("\n".join(lines) + "\n")


def render_csv(result: ResultTable) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.columns)
    for row in result.rows:
        writer.writerow([_text(t) for t in row])
    return buffer.getvalue()


def render_json(result: ResultTable) -> str:
    """The W3C SPARQL 1.1 Query Results JSON Format."""
    bindings = []
    for row in result.rows:
        binding = {}
        for column, term in zip(result.columns, row):
            if term is None:
                continue
            if term.kind == "iri":
                binding[column] = {"type": "uri", "value": term.value}
            elif term.kind == "bnode":
                binding[column] = {"type": "bnode", "value": term.value}
            elif term.language:
                binding[column] = {"type": "literal", "value": term.value, "xml:lang": term.language}
            else:
                binding[column] = {"type": "literal", "value": term.value, "datatype": term.datatype}
        bindings.append(binding)
    document = {"head": {"vars": list(result.columns)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, indent=1)
