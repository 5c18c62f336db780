"""The build's outputs: named graphs, sorted byte-identical N-Quads, TriG, the store, the lock."""

from __future__ import annotations

import fcntl

import pyoxigraph as ox
import pytest

from kg_builder.errors import InputError
from kg_builder.outputs.store import open_store
from kg_builder.pipeline.build import build

from .conftest import DATA, output_bytes, source_quads

GRAPH = "https://w3id.org/egkg/id/graph/"


def test_two_builds_are_byte_identical(tmp_path, good_build):
    again = build(DATA, tmp_path / "again")
    for name in ("egkg.nq", "egkg.trig"):
        assert output_bytes(again.out_dir, name) == output_bytes(good_build.out_dir, name), name


def test_nquads_lines_are_sorted_and_hold_every_graph(good_build):
    lines = (good_build.out_dir / "egkg.nq").read_bytes().splitlines()
    assert lines == sorted(lines)
    graphs = {line.rsplit(b" ", 2)[-2].decode().strip("<>") for line in lines}
    sources = {g for g in graphs if g.startswith(GRAPH + "source/")}
    assert len(sources) == 5
    assert {GRAPH + "ontology", GRAPH + "gazetteer"} <= graphs
    assert b"_:" not in b"".join(l for l in lines if b"/graph/source/" in l), "source graphs use no blank nodes"


def test_no_timestamps_in_artefacts(good_build):
    text = (good_build.out_dir / "egkg.nq").read_text(encoding="utf-8")
    assert "dateTime" not in text


def test_store_holds_the_same_quads_as_the_nquads(good_build):
    store = open_store(good_build.out_dir / "store")
    parsed = list(ox.parse(path=str(good_build.out_dir / "egkg.nq"), format=ox.RdfFormat.N_QUADS))
    assert set(source_quads(store)) == set(parsed)
    union = {q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    assert union == {q.triple for q in parsed}
    trig = list(ox.parse(output_bytes(good_build.out_dir, "egkg.trig"), format=ox.RdfFormat.TRIG))
    assert len(trig) == len(parsed)


def test_every_fact_in_a_source_graph_has_evidence_from_that_source(good_build):
    store = open_store(good_build.out_dir / "store")
    rows = list(store.query("""
        PREFIX egkg: <https://w3id.org/egkg/ontology#>
        SELECT ?g ?node WHERE {
          GRAPH ?g { ?node a ?cls . FILTER(?cls IN (egkg:Person, egkg:Meeting, egkg:Participation, egkg:PostHolding,
                                                    egkg:Regulation, egkg:Observation, egkg:Citation, egkg:Post))
                     FILTER NOT EXISTS { ?node egkg:evidence/egkg:inSource ?src .
                                         FILTER(STRAFTER(STR(?g), "graph/source/") = STRAFTER(STR(?src), "id/source/")) } }
        }"""))
    assert rows == []


def test_a_second_concurrent_build_is_refused(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    with (out / ".build.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        with pytest.raises(InputError, match="another build is writing here"):
            build(DATA, out)
    assert not (out / "egkg.nq").exists()


def test_rebuild_replaces_outputs_in_place(tmp_path):
    out = tmp_path / "out"
    build(DATA, out)
    first = (out / "egkg.nq").read_bytes()
    build(DATA, out)
    assert (out / "egkg.nq").read_bytes() == first
    assert len(source_quads(open_store(out / "store"))) == len(first.splitlines())
    assert not list(out.glob(".staging-*"))
