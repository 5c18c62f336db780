"""The embedded store's default graph: the set union of the sources, kept right by patches."""

import pyoxigraph as ox
import pytest

from kg_builder.engines import OxigraphEngine
from kg_builder.errors import InputError
from kg_builder.outputs.store import create_store, open_store, patch_store

EX = "https://example.org/"
PERSON, LABEL, MEETING, ATTENDED = (ox.NamedNode(EX + n) for n in ("person", "label", "meeting", "attended"))


def _source(n: int) -> ox.NamedNode:
    return ox.NamedNode(f"{EX}graph/{n}")


def _stated_by(sources: range) -> list[ox.Quad]:
    """The same two facts about one person, stated by every source in `sources`."""
    return [quad for n in sources for quad in (
        ox.Quad(PERSON, LABEL, ox.Literal("Siti"), _source(n)),
        ox.Quad(PERSON, ATTENDED, MEETING, _source(n)),
    )]


def _default_graph(path) -> set[ox.Triple]:
    store = open_store(path)
    try:
        return {q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    finally:
        del store


def test_a_join_over_facts_stated_by_many_sources_matches_each_fact_once(tmp_path):
    create_store(tmp_path / "store", _stated_by(range(50)))
    engine = OxigraphEngine(tmp_path / "store")
    rows = engine.select(f"SELECT ?name ?m WHERE {{ ?p <{LABEL.value}> ?name ; <{ATTENDED.value}> ?m }}").rows
    # Oxigraph's own union default graph would give 50 × 50 rows here.
    assert len(rows) == 1
    graphs = engine.select(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?p <{LABEL.value}> ?name }} }}").rows
    assert len(graphs) == 50  # which source said it stays answerable, and the union is not one of them


def test_a_patch_keeps_a_fact_while_any_source_still_states_it(tmp_path):
    create_store(tmp_path / "v1", _stated_by(range(2)))
    patch_store(tmp_path / "v1", tmp_path / "v2", {_source(0).value}, [])
    assert len(_default_graph(tmp_path / "v2")) == 2
    patch_store(tmp_path / "v2", tmp_path / "v3", {_source(1).value}, [])
    assert _default_graph(tmp_path / "v3") == set()


def test_a_patch_that_restates_a_dropped_fact_keeps_it(tmp_path):
    create_store(tmp_path / "v1", _stated_by(range(1)))
    changed = [ox.Quad(PERSON, LABEL, ox.Literal("Siti"), _source(0))]  # the edit drops the attendance
    patch_store(tmp_path / "v1", tmp_path / "v2", {_source(0).value}, changed)
    assert _default_graph(tmp_path / "v2") == {ox.Triple(PERSON, LABEL, ox.Literal("Siti"))}


def test_a_store_without_the_union_is_refused_with_what_to_do(tmp_path):

    older = ox.Store(str(tmp_path / "older"))  # as egkg wrote stores before the union default graph
    older.bulk_extend(_stated_by(range(2)))
    older.flush()
    del older
    with pytest.raises(InputError, match="egkg build"):
        OxigraphEngine(tmp_path / "older")


def test_the_focused_check_reads_each_fact_once_and_not_from_skipped_sources(tmp_path):
    from kg_builder.validate.changed import _neighbourhood

    only_skipped = ox.Quad(PERSON, ox.NamedNode(EX + "nickname"), ox.Literal("Old"), _source(1))
    create_store(tmp_path / "store", [*_stated_by(range(1, 4)), only_skipped])
    store = open_store(tmp_path / "store")
    everything = _neighbourhood(store, [PERSON.value], [], set())
    without_first = _neighbourhood(store, [PERSON.value], [], {_source(1).value})
    assert len(everything) == 3  # three facts, however many sources state them
    # Sources 2 and 3 still state the label and the attendance; only source 1 gave the nickname.
    assert {p.value for _, p, _ in without_first} == {LABEL.value, ATTENDED.value}
