"""Query results as a terminal table, CSV or SPARQL 1.1 JSON results."""

from __future__ import annotations

import csv
import io
import json

from rich.table import Table

from .engines import ResultTable, Term

__all__ = ["FORMATS", "render_csv", "render_json", "render_table"]

FORMATS = ("table", "csv", "json")


SHORT_FORMS = (
    ("https://w3id.org/egkg/id/", "id:"),
    ("https://w3id.org/egkg/ontology#", "egkg:"),
    ("https://w3id.org/egkg/vocab/", "vocab:"),
)


def _text(term: Term | None) -> str:
    return "" if term is None else term.value


def _short(term: Term | None) -> str:
    """IRIs shortened for reading in a terminal (CSV and JSON keep them whole)."""
    text = _text(term)
    if term is not None and term.kind == "iri":
        for long, short in SHORT_FORMS:
            if text.startswith(long):
                return short + text.removeprefix(long)
    return text


def render_table(result: ResultTable, title: str = "") -> Table:
    """A rich table; values are plain text (rich markup in data is not interpreted)."""
    table = Table(title=title or None, show_lines=False)
    for column in result.columns:
        table.add_column(column, overflow="fold")
    for row in result.rows:
        table.add_row(*(_short(t) for t in row))
    table.caption = f"{len(result.rows)} row(s)"
    return table


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
