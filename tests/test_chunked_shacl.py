"""SHACL verdicts of chunked builds: every violation of the whole union, once, at the record a whole build names."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kg_builder.paths import SHAPES_FILE
from kg_builder.pipeline.build import build
from kg_builder.pipeline.stages import ShaclViolations
from kg_builder.validate.chunked import ChunkedValidation
from kg_builder.validate.violations import Violation, shacl_violations

from .conftest import give_kaltim_meeting_an_end, report_kaltim_meeting_a_day_early
from .test_incremental import edit


def _violations(data: Path, out: Path, **chunking) -> list[Violation]:
    with pytest.raises(ShaclViolations) as caught:
        build(data, out, reason=False, incremental=False, **chunking)
    return caught.value.violations


def _tni_at_two_levels(data: Path) -> None:
    # TNI is declared by 000, 002, 003 and 004: 003 alone says it is provincial, so the union
    # gives it two levels (sh:maxCount 1) although no one file does.
    edit(data, "003", "    type: Military\n    acronyms: [TNI]\n    level: national\n",
         "    type: Military\n    acronyms: [TNI]\n    level: province\n")


def _kaltim_dates_apart(data: Path) -> None:
    give_kaltim_meeting_an_end(data)
    report_kaltim_meeting_a_day_early(data)


@pytest.mark.parametrize("break_data", [_tni_at_two_levels, _kaltim_dates_apart])
@pytest.mark.parametrize("chunk_files", [1, 2])
def test_a_contradiction_split_across_chunks_is_reported_as_a_whole_build_reports_it(
    data_copy: Path, tmp_path: Path, break_data: Callable[[Path], None], chunk_files: int,
):
    break_data(data_copy)
    whole = _violations(data_copy, tmp_path / "whole")
    chunked = _violations(data_copy, tmp_path / "chunked", chunk_files=chunk_files)
    assert whole  # the edit must break the union, or the comparison proves nothing
    # The same violations, each once, pointing at the same record file, line and field.
    assert chunked == whole


STATIC = ("<https://w3id.org/egkg/id/graph/ontology>", "<https://w3id.org/egkg/id/graph/gazetteer>")
LATER = "<urn:test:graph:a-later-chunk>"
PERSON = "<https://w3id.org/egkg/id/person/"
PARTICIPANT = "<https://w3id.org/egkg/ontology#participant>"


def _graph(line: str) -> str:
    return line.rsplit(" ", 2)[1]


def _in_chunks(lines: list[str], origins: dict, tmp_path: Path) -> list[Violation]:
    """ChunkedValidation fed the static graphs, then every other graph as a chunk of its own."""
    by_graph: dict[str, list[str]] = {}
    for line in lines:
        by_graph.setdefault(_graph(line), []).append(line)
    static = "".join(line for graph in STATIC for line in by_graph.pop(graph)).encode()
    runs = [tmp_path / "static.nq"]
    runs[0].write_bytes(static)
    validation = ChunkedValidation(static)
    for number, graph in enumerate(sorted(by_graph, key=lambda g: g == LATER)):  # LATER last
        chunk = "".join(sorted(by_graph[graph])).encode()
        validation.add_chunk(chunk, origins)
        runs.append(tmp_path / f"chunk-{number}.nq")
        runs[-1].write_bytes(chunk)
    return validation.finish(runs)


def _a_participant_described_only_later(lines: list[str]) -> list[str]:
    # Its participations' chunks see it untyped (sh:class fails there); its own chunk sees its
    # evidence untyped. The union lacks nothing: no violation.
    person = next(line.split(" ")[2] for line in lines if f" {PARTICIPANT} {PERSON}" in line)
    about = [line for line in lines if line.startswith(person + " ")]
    moved = sorted({line.rsplit(" ", 2)[0] + f" {LATER} .\n" for line in about})
    return [line for line in lines if line not in about] + moved


def _a_participant_of_no_known_class(lines: list[str]) -> list[str]:
    moved = _a_participant_described_only_later(lines)
    return [line.replace("<https://w3id.org/egkg/ontology#Person>", "<https://w3id.org/egkg/ontology#Nobody>")
            if _graph(line) == LATER else line for line in moved]


def _tni_provincial_in_another_source(lines: list[str]) -> list[str]:
    tni_graphs = {_graph(line) for line in lines if line.startswith("<https://w3id.org/egkg/id/org/tni> ")}
    other = min({_graph(line) for line in lines} - tni_graphs - set(STATIC))
    return [*lines, ("<https://w3id.org/egkg/id/org/tni> <https://w3id.org/egkg/ontology#level> "
            f"<https://w3id.org/egkg/vocab/administrative-level/province> {other} .\n")]


@pytest.mark.parametrize("change, conforms", [
    (lambda lines: lines, True),
    (_a_participant_described_only_later, True),
    (_a_participant_of_no_known_class, False),
    (_tni_provincial_in_another_source, False),
])
def test_chunked_validation_gives_the_verdicts_of_the_whole_union(good_build, tmp_path: Path, change, conforms: bool):
    lines = change(good_build.nquads.decode("utf-8").splitlines(keepends=True))
    whole = shacl_violations("".join(lines), SHAPES_FILE, good_build.origins)
    assert (whole == []) == conforms
    assert _in_chunks(lines, good_build.origins, tmp_path) == whole
