"""Checks across record files: references declared somewhere, one type per organisation, sources, amendments."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import networkx as nx

from ..errors import Problem
from .loaded import DECLARING_SECTIONS, FileSummary, Path_
from .yaml_lines import line_of, load_yaml

__all__ = ["Lines", "check_amendments", "check_references", "check_sources_unique", "collect_declarations"]


class Lines:
    """Lines for the messages of the checks across files, each file read again on its first message."""

    def __init__(self, data_dir: Path):
        self.records = data_dir / "records"
        self.maps: dict[str, Mapping[Path_, int]] = {}

    def __call__(self, summary: FileSummary, path: Path_) -> int | None:
        if summary.name not in self.maps:
            # The file as checked (an incremental build reuses a summary only while the file is unchanged).
            self.maps[summary.name] = load_yaml(self.records / summary.name, summary.display)[1]
        return line_of(self.maps[summary.name], path)


def collect_declarations(summaries: list[FileSummary], problems: list[Problem], lines: Lines) -> dict[str, list[tuple[str, str, Path_]]]:
    declared: dict[str, list[tuple[str, str, Path_]]] = {}
    org_types: dict[str, tuple[str, str]] = {}
    for summary in summaries:
        for ref, field_, path in summary.declared:
            declared.setdefault(ref, []).append((summary.display, field_, path))
        for org_id, org_type, field_, path in summary.org_types:
            first = org_types.setdefault(org_id, (org_type, summary.display))
            if first[0] != org_type:
                problems.append(Problem(
                    summary.display, lines(summary, path), field_,
                    f"org/{org_id} is {org_type} here but {first[0]} in {first[1]}; one id, one type",
                ))
    return declared


def check_references(summary: FileSummary, declared: dict[str, list], lines: Lines) -> Iterator[Problem]:
    for ref, field_, path in summary.references:
        if ref not in declared:
            kind = ref.partition("/")[0]
            yield Problem(
                summary.display, lines(summary, path), field_,
                f"unknown reference {ref!r}; declare it in a record file's {_section_for(kind)} section or fix the id",
            )


def _section_for(kind: str) -> str:
    return next(section for section, k in DECLARING_SECTIONS.items() if k == kind)


def check_sources_unique(summaries: list[FileSummary], lines: Lines) -> Iterator[Problem]:
    by_id: dict[str, FileSummary] = {}
    by_text: dict[str, FileSummary] = {}
    for summary in summaries:
        for key, index, label in ((summary.source_id, by_id, "id"), (summary.source_text, by_text, "text")):
            if key in index:
                yield Problem(
                    summary.display, lines(summary, ("source", label)), f"source.{label}",
                    f"{key!r} is already the source {label} of {index[key].display}; one record file per source",
                )
            else:
                index[key] = summary


def check_amendments(summaries: list[FileSummary], lines: Lines) -> Iterator[Problem]:
    """No regulation amends itself, directly or through others, across all record files."""
    amendments = nx.DiGraph()
    for summary in summaries:
        for regulation, amended, field_, path in summary.amends:
            if amendments.has_edge(regulation, amended):
                amendments.edges[regulation, amended]["at"].append((summary, path, field_))
            else:
                amendments.add_edge(regulation, amended, at=[(summary, path, field_)])
    for regulation, _ in nx.selfloop_edges(amendments):
        for summary, path, field_ in amendments.edges[regulation, regulation]["at"]:
            yield Problem(summary.display, lines(summary, path), field_, f"{regulation} amends itself; name the regulation it amends")
    for component in nx.strongly_connected_components(amendments):
        if len(component) > 1:
            yield _amendment_cycle(amendments, nx.find_cycle(amendments.subgraph(component)), lines)


def _amendment_cycle(amendments: nx.DiGraph, cycle: list[tuple[str, str]], lines: Lines) -> Problem:
    """One problem per cycle, at the amendment written last (in file and line order): likely the new one."""
    located = {  # (file, line, field) of every place an edge of the cycle is written
        edge: [(summary.display, lines(summary, path), field_) for summary, path, field_ in amendments.edges[edge]["at"]]
        for edge in cycle
    }
    written = {edge: max(located[edge], key=lambda at: (at[0], at[1] or 0)) for edge in cycle}
    last = max(cycle, key=lambda edge: (written[edge][0], written[edge][1] or 0))
    start = cycle.index(last)
    ordered = cycle[start:] + cycle[:start]
    chain = f"{ordered[0][0]} amends " + ", which amends ".join(amended for _, amended in ordered)
    display, line, field_ = written[last]
    return Problem(display, line, field_, f"amendment cycle: {chain}; a regulation cannot amend one that amends it")
