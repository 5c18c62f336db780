"""Rule 40's conclusions written as lines (reason/coordination_lines.py) are the quads FullCount concludes,
in the same shares, and land in the store as FullCount's do, however the lines are batched."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg_builder.outputs.store import with_union
from kg_builder.pipeline.shares import share_groups, share_path
from kg_builder.rdf.serialize import lines_by_graph, to_nquads
from kg_builder.reason.coordination import COORDINATED_WITH, FullCount
from kg_builder.reason.coordination_lines import LineSpool, StreamedCount
from kg_builder.reason.rules import inferred_graph, is_inferred

GRAPH = inferred_graph("40-coordination")


def curated_store(result, directory: Path) -> ox.Store:
    """An on-disk store of the build's curated graphs and their union (what rule 40 reads)."""
    store = ox.Store(str(directory))
    quads = list(ox.parse(path=str(result.out_dir / "egkg.nq"), format=ox.RdfFormat.N_QUADS))
    store.bulk_extend(with_union(q for q in quads if not is_inferred(q.graph_name)))
    return store


def full_count(store: ox.Store) -> tuple[dict[str, bytes], set[ox.Quad]]:
    """FullCount's conclusions as the chunked build wrote them before: shares by key, and the store after loading."""
    found = FullCount().conclude(store, GRAPH)
    store.bulk_extend(with_union(found.quads))
    groups = share_groups(lines_by_graph(to_nquads(found.quads).decode().splitlines(True)))
    return {key: "".join(lines).encode() for key, lines in groups.items()}, set(store)


def streamed(store: ox.Store, tmp: Path, batch: int, extra: dict[str, list[str]] | None = None):
    spool = LineSpool(tmp / "spool", store, GRAPH, batch=batch)
    found = StreamedCount(spool).conclude(store, GRAPH)
    cache = tmp / "cache"
    cache.mkdir()
    blocks = spool.finish(cache, extra or {})
    shares = {key: share_path(cache, block).read_bytes() for key, block in blocks.items()}
    assert not (tmp / "spool").exists()  # the spool's own files are gone
    return found, shares, set(store)


@pytest.mark.parametrize("corpus", ["good_build", "generated_build"])
@pytest.mark.parametrize("batch", [500, 1_000_000])  # several flushes, and one
def test_lines_are_the_full_counts_quads_in_the_same_shares_and_store(corpus, batch, request, tmp_path):
    result = request.getfixturevalue(corpus)
    expected_shares, expected_store = full_count(curated_store(result, tmp_path / "a"))
    found, shares, store = streamed(curated_store(result, tmp_path / "b"), tmp_path, batch)
    assert expected_shares and len(expected_shares) > 2  # parts of several first parties and the top
    assert shares == expected_shares
    assert store == expected_store
    assert found.quads == [] and found.written == sum(s.count(b"\n") for s in shares.values())
    assert batch > found.written or found.written > 2 * batch  # the small batch did flush several times


def test_a_triple_the_union_holds_already_is_not_concluded_again(good_build, tmp_path):
    stores = [curated_store(good_build, tmp_path / name) for name in ("a", "b")]
    pair = next(q for q in FullCount().conclude(stores[0], GRAPH).quads if q.predicate == COORDINATED_WITH)
    for store in stores:  # a curated source states one coordination already
        store.add(ox.Quad(pair.subject, pair.predicate, pair.object))
    expected_shares, _ = full_count(stores[0])
    _, shares, _ = streamed(stores[1], tmp_path, 50)
    assert shares == expected_shares
    assert not any(f"{pair.subject} {pair.predicate} {pair.object} ".encode() in s for s in shares.values())


def test_extra_lines_join_their_parts_sorted(good_build, tmp_path):
    store = curated_store(good_build, tmp_path / "a")
    spool = LineSpool(tmp_path / "spool", store, GRAPH, batch=100)
    StreamedCount(spool).conclude(store, GRAPH)
    extra_line = f"<https://w3id.org/egkg/id/rule/40-coordination> <http://www.w3.org/2000/01/rdf-schema#label> \"x\" {GRAPH} .\n"
    key = f"{GRAPH.value} 999"  # a part no pair goes to
    cache = tmp_path / "cache"
    cache.mkdir()
    blocks = spool.finish(cache, {key: [extra_line]})
    assert share_path(cache, blocks[key]).read_text() == extra_line
    for block in blocks.values():
        lines = share_path(cache, block).read_bytes().splitlines(keepends=True)
        assert lines == sorted(set(lines))
    assert spool.holds(key) and not spool.holds("https://w3id.org/egkg/id/graph/inferred/50-forkopimda-seats")


def test_each_lines_part_is_share_parts(generated_build, tmp_path):
    from kg_builder.reason.coordination import count_pairs, kinds_in, participations_in, ranks, share_part
    from kg_builder.reason.coordination_lines import pair_lines, pair_parts

    store = curated_store(generated_build, tmp_path / "a")
    pairs = count_pairs(participations_in(store))
    placed = ranks(pairs.values(), kinds_in(store))
    parts = set()
    for key, pair in pairs.items():
        lines = pair_lines(pair, GRAPH.value, placed.get(key, []))
        assert pair_parts(lines, placed.get(key, [])) == [share_part(line) for line in lines]
        parts |= set(pair_parts(lines, placed.get(key, [])))
    assert "top" in parts and len(parts) > 3
