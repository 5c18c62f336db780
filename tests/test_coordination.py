"""Coordination pairs counted in Python equal rule 40's SPARQL, the pair questions read them and answer
as the re-joining texts did, and an incremental build patches them to what a full build counts."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg_builder.engines import OxigraphEngine
from kg_builder.outputs.store import with_union
from kg_builder.pipeline.build import build
from kg_builder.queries import bind, load_library, parse_query_file
from kg_builder.reason.coordination import (
    PERSON_RANK,
    RANK,
    TOP_RANKED,
    FullCount,
    Kinds,
    Pair,
    Patch,
    ranks,
)
from kg_builder.reason.rules import apply_rules, is_inferred, load_rules
from kg_builder.run_query import run_library_query, with_limit

LIBRARY = load_library()
# The questions as they were before they read the Coordination nodes: they join participations again.
REJOINING = {path.stem: parse_query_file(path) for path in (Path(__file__).parent / "coordination_rejoin").glob("*.rq")}
COORDINATION_GRAPH = "https://w3id.org/egkg/id/graph/inferred/40-coordination"
PERSONS = """
PREFIX egkg: <https://w3id.org/egkg/ontology#>
SELECT DISTINCT ?person WHERE { ?p egkg:participant ?person . ?person a egkg:Person } ORDER BY ?person
"""



def curated_store(result) -> ox.Store:
    """A store holding the build's curated graphs and their union (what reasoning starts from)."""
    store = ox.Store()
    quads = result.quads or list(ox.parse(path=str(result.out_dir / "egkg.nq"), format=ox.RdfFormat.N_QUADS))
    store.bulk_extend(with_union(q for q in quads if not is_inferred(q.graph_name)))
    return store


def concluded(store: ox.Store, *, as_sparql: bool) -> set[ox.Quad]:
    """What the rules up to 40-coordination conclude, rule 40 run as its SPARQL text or computed in Python."""
    rules = [rule for rule in load_rules() if rule.name <= "40-coordination"]
    if as_sparql:
        rules = [dataclasses.replace(rule, computed="") for rule in rules]
    apply_rules(store, rules)
    return set(store.quads_for_pattern(None, None, None, ox.NamedNode(COORDINATION_GRAPH)))


@pytest.mark.parametrize("corpus", ["good_build", "generated_build"])
def test_python_pairs_are_what_the_rule_text_concludes(corpus, request):
    result = request.getfixturevalue(corpus)
    by_python = concluded(curated_store(result), as_sparql=False)
    by_sparql = concluded(curated_store(result), as_sparql=True)
    assert by_sparql and by_python == by_sparql


def test_rule_40_is_computed_in_python():
    assert [rule.name for rule in load_rules() if rule.computed] == ["40-coordination"]


def answer(engine: OxigraphEngine, query, **params) -> list[tuple[str, ...]]:
    """Rows as comparable strings, in the order the query gives them (concatenated lists sorted)."""
    table = engine.select(bind(query, params))
    return [tuple("" if t is None else t.comparable() for t in row) for row in table.rows]


@pytest.mark.parametrize("corpus", ["good_build", "generated_build"])
def test_pair_questions_answer_as_the_rejoining_texts(corpus, request):
    engine = OxigraphEngine(request.getfixturevalue(corpus).out_dir / "store")
    name = "who-coordinated-with-whom"
    for kind in (None, "person", "institution"):
        params = {} if kind is None else {"kind": kind}
        old, new = answer(engine, REJOINING[name], **params), answer(engine, LIBRARY[name], **params)
        assert old and new == old, kind
    assert "egkg:Coordination" in LIBRARY[name].text and "egkg:Coordination" not in REJOINING[name].text


def top_rows(engine: OxigraphEngine, query, params: dict, limit: int) -> list[list[str]]:
    """The first `limit` rows, as `egkg query --limit` asks for them (and the library text its `top`)."""
    if "top" in query.params:
        params = {**params, "top": str(limit)}
    table = engine.select(with_limit(bind(query, params), limit))
    return [[t.comparable() for t in row] for row in table.rows]


def test_a_limit_reads_only_that_many_ranked_pairs(good_build):
    # `egkg query who-coordinated-with-whom --limit N` must bind top=N: with LIMIT alone the store
    # labels every pair before it sorts (140 s at 10,000 meetings) and the ranks go unread.
    sent: list[str] = []

    class Recording(OxigraphEngine):
        def select(self, text: str):
            sent.append(text)
            return super().select(text)

    engine = Recording(good_build.out_dir / "store")
    query = LIBRARY["who-coordinated-with-whom"]
    rows = run_library_query(engine, query, {"kind": "person"}, limit=3).rows
    assert 'VALUES ?top { "3"^^<http://www.w3.org/2001/XMLSchema#integer> }' in sent[-1]
    assert [[t.comparable() for t in row] for row in rows] == top_rows(engine, REJOINING[query.name], {"kind": "person"}, 3)
    run_library_query(engine, query, {"kind": "person", "top": "2"}, limit=3)
    assert 'VALUES ?top { "2"^^<http://www.w3.org/2001/XMLSchema#integer> }' in sent[-1]  # an explicit top wins


@pytest.mark.parametrize("corpus", ["good_build", "generated_build"])
def test_top_pairs_read_by_rank_are_the_rejoining_texts_top(corpus, request):
    engine = OxigraphEngine(request.getfixturevalue(corpus).out_dir / "store")
    name = "who-coordinated-with-whom"
    cut_in_a_tie = 0
    for kind in (None, "person", "institution"):
        params = {} if kind is None else {"kind": kind}
        everything = answer(engine, REJOINING[name], **params)
        counts = [row[4] for row in everything]
        for limit in (1, 2, 3, 5, 10, 40):
            old = top_rows(engine, REJOINING[name], params, limit)
            assert old and top_rows(engine, LIBRARY[name], params, limit) == old, (kind, limit)
            cut_in_a_tie += limit < len(counts) and counts[limit - 1] == counts[limit]
    assert cut_in_a_tie  # some cut falls inside a run of equal counts: the ties' order is checked too


def ranks_by_kind(store: ox.Store) -> dict[str, list[tuple[int, str, str, str]]]:
    """Each ranking's pairs in rank order, as (rank, a, b, shared count)."""
    found: dict[str, list] = {}
    query = """PREFIX egkg: <https://w3id.org/egkg/ontology#>
    SELECT ?ranking ?rank ?a ?b ?count WHERE {
      VALUES ?ranking { egkg:rankAmongPairs egkg:rankAmongPersonPairs egkg:rankAmongInstitutionPairs }
      ?pair ?ranking ?rank ; egkg:sharedCount ?count ; egkg:party ?a, ?b . FILTER(STR(?a) < STR(?b))
    }"""
    for ranking, rank, a, b, count in store.query(query):
        found.setdefault(ranking.value.split("#")[1], []).append((int(rank.value), a.value, b.value, int(count.value)))
    return {ranking: sorted(rows) for ranking, rows in found.items()}


def test_every_ranking_counts_from_1_without_gaps_in_the_questions_order(generated_build):
    rankings = ranks_by_kind(ox.Store.read_only(str(generated_build.out_dir / "store")))
    assert set(rankings) == {"rankAmongPairs", "rankAmongPersonPairs", "rankAmongInstitutionPairs"}
    for rows in rankings.values():
        # 1, 2, ... up to the ranked top, then every later pair one further down.
        assert [rank for rank, *_ in rows] == [min(place, TOP_RANKED + 1) for place in range(1, len(rows) + 1)]
        ordered = sorted(rows, key=lambda row: (row[0], -row[3], row[1], row[2]))  # ties past the top: count, a, b
        assert [(-count, a, b) for _, a, b, count in ordered] == sorted((-count, a, b) for _, a, b, count in rows)
    assert len(rankings["rankAmongPersonPairs"]) + len(rankings["rankAmongInstitutionPairs"]) < len(rankings["rankAmongPairs"])


@pytest.mark.parametrize("corpus", ["good_build", "generated_build"])
def test_ego_question_answers_as_the_rejoining_text(corpus, request):
    engine = OxigraphEngine(request.getfixturevalue(corpus).out_dir / "store")
    name = "who-coordinated-with"
    persons = [row[0].value for row in engine.select(PERSONS).rows]
    assert len(persons) >= 5
    answered = 0
    for person in persons:
        old = answer(engine, REJOINING[name], person=person)
        assert answer(engine, LIBRARY[name], person=person) == old, person
        answered += bool(old)
    assert answered >= 5


def coordination_lines(out: Path) -> list[bytes]:
    return [line for line in (out / "egkg.nq").read_bytes().splitlines() if COORDINATION_GRAPH.encode() in line]


def drop_last_participant(record: Path) -> None:
    """Remove the last participant of the record's meeting: the block from its `- who:` to the meeting's evidence."""
    lines = record.read_text(encoding="utf-8").splitlines(keepends=True)
    start = max(i for i, line in enumerate(lines) if line.startswith("      - who: "))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("        "))
    assert end - start >= 2
    record.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")


def test_incremental_build_patches_the_pairs_to_a_full_builds(generated_build, tmp_path):
    data, out = tmp_path / "data", tmp_path / "build"
    shutil.copytree(generated_build.out_dir.parent / "data", data)
    first = build(data, out, chunk_files=8)  # chunked: the path past what fits in memory keeps the table too
    assert first.quad_count is not None and first.inference.coordination is not None
    record = sorted((data / "records").glob("*.yaml"))[3]
    drop_last_participant(record)
    patched = build(data, out)
    assert patched.changes is not None and patched.changes.changed == (record.name,)
    coordination = (patched.inference_change or patched.inference).coordination  # reasoned in the store, or whole
    assert 0 < coordination.recounted < first.inference.coordination.pairs  # only pairs touching the edited source
    fresh = build(data, tmp_path / "fresh", incremental=False)
    assert coordination_lines(out) == coordination_lines(tmp_path / "fresh")
    assert coordination_lines(out) != coordination_lines(generated_build.out_dir)
    # The edit moved pairs the patch did not recount: their ranks follow, as a full count has them.
    before = ranks_by_kind(ox.Store.read_only(str(generated_build.out_dir / "store")))
    after = ranks_by_kind(ox.Store.read_only(str(out / "store")))
    assert after == ranks_by_kind(ox.Store.read_only(str(tmp_path / "fresh" / "store")))
    shifted = {(a, b) for ranking in after for _, a, b, _ in set(after[ranking]) - set(before[ranking])}
    assert len(shifted) > coordination.recounted  # so some pair moved that the patch kept as it was
    assert (out / "egkg.nq").read_bytes() == (tmp_path / "fresh" / "egkg.nq").read_bytes()
    assert fresh.inference.coordination.recounted == fresh.inference.coordination.pairs


def test_a_patch_from_an_unchanged_table_keeps_every_pair(good_build, tmp_path):
    store = curated_store(good_build)
    full = FullCount().conclude(store, ox.NamedNode(COORDINATION_GRAPH))
    patch = Patch(full.table, good_build.out_dir / "store", set()).conclude(store, ox.NamedNode(COORDINATION_GRAPH))
    assert patch.recounted == 0 and set(patch.quads) == set(full.quads)


def test_places_past_the_ranked_top_are_one_further_down():
    # Person pairs with falling counts, then ties broken by IRI: more than the ranked top.
    people = [f"https://w3id.org/egkg/id/person/p{i:05d}" for i in range(TOP_RANKED + 3)]
    pairs = [Pair(people[0], other, (), TOP_RANKED + 5 - i, None, None) for i, other in enumerate(people[1:])]
    placed = ranks(pairs, Kinds(frozenset(people), frozenset()))
    by_place = sorted((dict(placed[(p.a, p.b)])[RANK], -p.count) for p in pairs)
    assert [place for place, _ in by_place[:TOP_RANKED]] == list(range(1, TOP_RANKED + 1))
    assert {place for place, _ in by_place[TOP_RANKED:]} == {TOP_RANKED + 1}
    assert [-count for _, count in by_place] == sorted((p.count for p in pairs), reverse=True)  # most shared first
    assert all(dict(placed[(p.a, p.b)])[PERSON_RANK] == dict(placed[(p.a, p.b)])[RANK] for p in pairs)
