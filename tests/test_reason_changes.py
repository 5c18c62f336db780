"""Incremental reasoning (reason.changes.reason_changes) concludes what reasoning over the whole edited graph concludes."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from kg_builder.outputs.store import create_store, patch_store
from kg_builder.reason.changes import reason_changes
from kg_builder.reason.checks import CHECKS_DIR, InconsistentGraph
from kg_builder.reason.coordination import Patch
from kg_builder.reason.infer import infer_in_store
from kg_builder.reason.rules import CONCLUDED_LAST, is_inferred, load_rules
from kg_builder.reason.seeds import SEEDS, STATIC_PREDICATES, TEMPLATES

EGKG = "https://w3id.org/egkg/ontology#"
ID = "https://w3id.org/egkg/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
TWO_DEFINITIVE = "Two definitive holders"


@pytest.fixture(scope="module")
def curated(good_build) -> list[ox.Quad]:
    return [q for q in good_build.quads if not is_inferred(q.graph_name)]


def source_graphs(quads: list[ox.Quad]) -> list[str]:
    return sorted({q.graph_name.value for q in quads if q.graph_name.value.startswith(ID + "graph/source/")})


def reasoned_store(path, quads: list[ox.Quad]):
    """An on-disk store of `quads` reasoned in place (no HermiT, as at scale); its coordination table."""
    create_store(path, quads)
    store = ox.Store(str(path))
    inference = infer_in_store(store, {}, None)
    store.flush()
    table = inference.coordination.table
    del store
    return table


def inferred_quads(store: ox.Store) -> set[ox.Quad]:
    return {q for q in store.quads_for_pattern(None, None, None, None)
            if isinstance(q.graph_name, ox.NamedNode) and is_inferred(q.graph_name)}


def union(store: ox.Store) -> set[ox.Triple]:
    return {q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}


# Edits of one source graph: what a one-file change does to it.
EDITS = {
    "file removed": lambda quads: [],
    "participants, dates and jurisdictions dropped": lambda quads: [
        q for i, q in enumerate(quads)
        if not (q.predicate.value in {EGKG + "participant", EGKG + "attestedOn", EGKG + "jurisdiction"} and i % 2)],
    "holdings' posts and kinds dropped": lambda quads: [
        q for q in quads if q.predicate.value not in {EGKG + "post", EGKG + "appointmentKind"}],
}


@pytest.mark.parametrize("edit", sorted(EDITS))
@pytest.mark.parametrize("which", [0, -1])
def test_one_changed_source_is_reasoned_as_the_whole_graph_would_be(tmp_path, curated, edit, which):
    graph = source_graphs(curated)[which]
    table = reasoned_store(tmp_path / "old", curated)
    edited = [q for q in curated if q.graph_name.value != graph]
    new_quads = EDITS[edit]([q for q in curated if q.graph_name.value == graph])
    patch_store(tmp_path / "old", tmp_path / "new", {graph}, new_quads)
    store, previous = ox.Store(str(tmp_path / "new")), ox.Store.read_only(str(tmp_path / "old"))
    try:
        reason_changes(store, previous, {graph}, {}, Patch(table, tmp_path / "old", {graph}))
        outcome = (inferred_quads(store), union(store))
    except InconsistentGraph as exc:
        outcome = sorted(p.render() for p in exc.problems)
    try:
        reasoned_store(tmp_path / "whole", edited + new_quads)
        whole = ox.Store.read_only(str(tmp_path / "whole"))
        expected = (inferred_quads(whole), union(whole))
    except InconsistentGraph as exc:
        expected = sorted(p.render() for p in exc.problems)
    assert outcome == expected


def test_a_source_added_back_is_reasoned_as_the_whole_graph_would_be(tmp_path, curated):
    graph = source_graphs(curated)[1]
    without = [q for q in curated if q.graph_name.value != graph]
    table = reasoned_store(tmp_path / "old", without)
    patch_store(tmp_path / "old", tmp_path / "new", {graph}, [q for q in curated if q.graph_name.value == graph])
    store, previous = ox.Store(str(tmp_path / "new")), ox.Store.read_only(str(tmp_path / "old"))
    change = reason_changes(store, previous, {graph}, {}, Patch(table, tmp_path / "old", {graph}))
    assert change.added  # the source brings conclusions with it
    reasoned_store(tmp_path / "whole", curated)
    whole = ox.Store.read_only(str(tmp_path / "whole"))
    assert inferred_quads(store) == inferred_quads(whole)
    assert union(store) == union(whole)


def test_an_edit_making_a_dangling_reference_is_refused(tmp_path, curated):
    graph = source_graphs(curated)[0]
    table = reasoned_store(tmp_path / "old", curated)
    ghost = ox.NamedNode(ID + "person/nobody-typed-this")
    participation = next(q.subject for q in curated
                         if q.graph_name.value == graph and q.predicate.value == EGKG + "participant")
    added = ox.Quad(participation, ox.NamedNode(EGKG + "participant"), ghost, ox.NamedNode(graph))
    patch_store(tmp_path / "old", tmp_path / "new", {graph},
                [q for q in curated if q.graph_name.value == graph] + [added])
    store, previous = ox.Store(str(tmp_path / "new")), ox.Store.read_only(str(tmp_path / "old"))
    with pytest.raises(InconsistentGraph, match="nobody-typed-this"):
        reason_changes(store, previous, {graph}, {}, Patch(table, tmp_path / "old", {graph}))


def predicates(text: str, part: str) -> set[str]:
    """Predicate IRIs (lower-case local names, and `a`) in the CONSTRUCT template or the WHERE clause of a query."""
    prefixes = dict(re.findall(r"PREFIX (\w*): <([^>]+)>", text))
    body = text[text.index("WHERE"):] if part == "where" else text[text.index("CONSTRUCT"):text.index("WHERE")]
    body = "\n".join(line for line in body.splitlines() if not line.lstrip().startswith("#"))
    names = {prefixes[p] + local for p, local in re.findall(r"\b(\w+):([a-z]\w*)\b", body) if p in prefixes}
    names |= set(re.findall(r"<([^>]+#[a-z]\w*)>", body))
    if re.search(r"(?<![?\w])a(?![\w:])", body):
        names.add(RDF_TYPE)
    return names


@pytest.mark.parametrize("rule", [r for r in load_rules() if not r.computed], ids=lambda r: r.name)
def test_every_predicate_a_rule_reads_has_seeds_or_is_static(rule):
    assert predicates(rule.text, "where") - SEEDS[rule.name].keys() - STATIC_PREDICATES == set()
    assert set(TEMPLATES[rule.name]) == predicates(rule.text, "template")


def test_rules_concluded_last_are_read_by_no_later_rule_or_check():
    rules = load_rules()
    for name in CONCLUDED_LAST:
        concluded = predicates(next(r for r in rules if r.name == name).text, "template") - {RDF_TYPE}
        assert concluded
        later = [r.text for r in rules if r.name > name] + [p.read_text() for p in CHECKS_DIR.glob("*-violation.rq")]
        for text in later:
            assert not concluded & predicates(text, "where"), text[:80]


@pytest.mark.parametrize("holder_at", [0, -1])  # the planted holder sorts first, then last: holding1, then holding2
def test_an_edit_giving_a_post_a_second_definitive_holder_is_refused(tmp_path, curated, holder_at):
    definitive = ox.NamedNode("https://w3id.org/egkg/vocab/appointment-kind/Definitive")
    holding = next(q.subject for q in curated if q.object == definitive)
    post = next(q.object for q in curated if q.subject == holding and q.predicate.value == EGKG + "post")
    day = next(q.object for q in curated if q.subject == holding and q.predicate.value == EGKG + "attestedOn")
    persons = sorted({q.subject.value for q in curated if q.predicate.value == RDF_TYPE and q.object.value == EGKG + "Person"})
    graph = next(g for g in source_graphs(curated)
                 if not any(q.subject == holding and q.graph_name.value == g for q in curated))
    table = reasoned_store(tmp_path / "old", curated)
    planted = ox.NamedNode(ID + "holding/planted")
    evidence = next(q.object for q in curated if q.graph_name.value == graph and q.predicate.value == EGKG + "evidence")
    extra = [ox.Quad(planted, ox.NamedNode(EGKG + p), o, ox.NamedNode(graph)) for p, o in (
        ("post", post), ("holder", ox.NamedNode(persons[holder_at])), ("attestedOn", day), ("appointmentKind", definitive),
        ("evidence", evidence))]
    extra.append(ox.Quad(planted, ox.NamedNode(RDF_TYPE), ox.NamedNode(EGKG + "PostHolding"), ox.NamedNode(graph)))
    patch_store(tmp_path / "old", tmp_path / "new", {graph}, [q for q in curated if q.graph_name.value == graph] + extra)
    store, previous = ox.Store(str(tmp_path / "new")), ox.Store.read_only(str(tmp_path / "old"))
    with pytest.raises(InconsistentGraph) as refused:
        reason_changes(store, previous, {graph}, {}, Patch(table, tmp_path / "old", {graph}))
    assert [p.message for p in refused.value.problems if "holding/planted" in p.message] == [
        p.message for p in refused.value.problems]  # only the planted holding's problems, and
    assert any(p.message.startswith(TWO_DEFINITIVE) for p in refused.value.problems)  # the second holder among them
