"""Recounting a few pairs and cutting rule 40's share cost in proportion to the parties an edit touches."""

from __future__ import annotations

import random
from collections import Counter

import pyoxigraph as ox

from kg_builder.reason.coordination import SHARE_PARTS, Participations, SourceRows, count_pairs, share_part

ID = "https://w3id.org/egkg/id/"
DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")


def _table(meetings: int, parties: int, seed: int = 7) -> Participations:
    """One source per meeting, each with a few of `parties` taking part, most dated."""
    chosen = random.Random(seed)
    by_graph = {}
    for m in range(meetings):
        meeting = f"{ID}meeting/m{m}"
        who = chosen.sample(range(parties), chosen.randint(2, 6))
        dated = frozenset() if m % 5 == 0 else frozenset({(meeting, ox.Literal(f"2024-01-{m % 28 + 1:02d}", datatype=DATE))})
        by_graph[f"{ID}graph/source/s{m}"] = SourceRows(frozenset((meeting, f"{ID}org/p{p:03d}") for p in who), dated)
    return Participations(by_graph)


def test_recounting_some_pairs_gives_what_counting_all_gives_for_them():
    table = _table(300, 40)
    every = count_pairs(table)
    only = set(random.Random(3).sample(sorted(every), 25)) | {(f"{ID}org/p000", f"{ID}org/zzz")}  # one never met
    assert count_pairs(table, only) == {key: pair for key, pair in every.items() if key in only}


def test_recounting_some_pairs_does_not_pair_every_meetings_parties(monkeypatch):
    table = _table(300, 40)
    only = set(list(count_pairs(table))[:5])

    def refused(self):
        raise AssertionError("the whole table was grouped by meeting to recount five pairs")

    monkeypatch.setattr(Participations, "parties_by_meeting", refused)
    assert len(count_pairs(table, only)) == 5


def test_parties_with_a_common_prefix_spread_over_the_share_parts():
    # 200 provincial and regency Bawaslu offices: the first 12 characters ("org/bawaslu-") are all alike.
    lines = [f"<{ID}org/bawaslu-kab-{n:03d}> <https://w3id.org/egkg/ontology#coordinatedWith> <{ID}org/kpu> <g> .\n"
             for n in range(200)]
    parts = Counter(share_part(line) for line in lines)
    assert len(parts) > SHARE_PARTS // 4 and max(parts.values()) <= 5


def test_a_pairs_lines_go_with_its_first_partys_own():
    party = f"{ID}person/siti-aminah"
    own = f"<{party}> <https://w3id.org/egkg/ontology#coordinatedWith> <{ID}org/kpu> <g> .\n"
    pair = f"<{ID}coordination/person/siti-aminah/org/kpu> <https://w3id.org/egkg/ontology#sharedCount> \"3\" <g> .\n"
    assert share_part(own) == share_part(pair)
