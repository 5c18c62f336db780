"""Reasoning: inferred classes and relations from the articles, provenance, and inconsistencies."""

from __future__ import annotations

import os

import pyoxigraph as ox
import pytest

from kg_builder.pipeline.build import build
from kg_builder.reason.checks import InconsistentGraph
from kg_builder.reason.infer import infer
from kg_builder.reason.rules import HERMIT_GRAPH, INFERRED_PREFIX, apply_rules, is_inferred, load_rules
from kg_builder.outputs.store import create_store

from .conftest import DATA, give_kaltim_meeting_an_end, report_kaltim_meeting_a_day_early, run_egkg, tree_digest

ID = "https://w3id.org/egkg/id/"
EGKG = "https://w3id.org/egkg/ontology#"
ORG = "http://www.w3.org/ns/org#"


@pytest.fixture(scope="module")
def store(good_build) -> ox.Store:
    store = ox.Store()
    store.bulk_extend(good_build.quads)
    return store


IN_INFERRED = f'FILTER(STRSTARTS(STR(?g), "{INFERRED_PREFIX}"))'


def inferred(store: ox.Store, s: str, p: str, o: str) -> bool:
    return bool(store.query(f"ASK {{ GRAPH ?g {{ <{s}> <{p}> <{o}> }} {IN_INFERRED} }}"))


def test_edy_suharmanto_is_an_acting_regional_head(store):
    assert inferred(store, ID + "person/edy-suharmanto", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", EGKG + "ActingRegionalHead")
    assert inferred(store, ID + "person/edy-suharmanto", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", EGKG + "ActingOfficial")
    # A definitive regent is not one.
    assert not inferred(store, ID + "person/benny-dwifa-yuswir", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", EGKG + "ActingRegionalHead")


def test_edy_coordinated_with_andap_both_ways_with_a_qualified_node(store):
    edy, andap = ID + "person/edy-suharmanto", ID + "person/andap-budhi-revianto"
    assert inferred(store, edy, EGKG + "coordinatedWith", andap)
    assert inferred(store, andap, EGKG + "coordinatedWith", edy)
    rows = list(store.query(f"""
        PREFIX egkg: <{EGKG}>
        SELECT ?count ?first ?last ?meeting WHERE {{ GRAPH <{INFERRED_PREFIX}40-coordination> {{
          ?pair a egkg:Coordination ; egkg:party <{edy}>, <{andap}> ; egkg:sharedCount ?count ;
                egkg:firstDate ?first ; egkg:lastDate ?last ; egkg:sharedMeeting ?meeting }} }}"""))
    assert [(r["count"].value, r["first"].value, r["last"].value, r["meeting"].value) for r in rows] == [
        ("1", "2024-11-06", "2024-11-06", ID + "meeting/2024-11-06-rakor-pilkada-sultra")
    ]


def test_nobody_coordinates_with_themselves(store):
    assert not store.query(f"ASK {{ ?x <{EGKG}coordinatedWith> ?x }}", use_default_graph_as_union=True)


def test_kpu_sijunjung_is_under_kpu_ri(store):
    assert inferred(store, ID + "org/kpu-kab-sijunjung", ORG + "transitiveSubOrganizationOf", ID + "org/kpu-ri")
    assert inferred(store, ID + "org/kpu-ri", ORG + "hasSubOrganization", ID + "org/kpu-prov-sumbar")


def test_kapolres_sijunjung_sits_in_the_regency_forkopimda(store):
    assert inferred(store, ID + "org/forkopimda-kab-sijunjung", EGKG + "hasSeat", ID + "post/kapolres-sijunjung")
    assert inferred(store, ID + "post/kapolres-sijunjung", "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", EGKG + "ForkopimdaSeat")


def test_holding_intervals_and_acting_spells(store):
    holding = ID + "holding/bayu-agung-perdana/ketua-kpu-kab-sijunjung/plh"
    rows = list(store.query(f"SELECT ?first ?last WHERE {{ <{holding}> <{EGKG}firstAttested> ?first ; <{EGKG}lastAttested> ?last }}",
                            use_default_graph_as_union=True))
    assert [(r["first"].value, r["last"].value) for r in rows] == [("2024-07-05", "2024-07-05")]
    # Pj Gubernur Andap (2024) is first seen after the definitive Ali Mazi (2022) was last seen.
    assert inferred(store, ID + "holding/andap-budhi-revianto/gubernur-sultra/pj", EGKG + "replaces",
                    ID + "holding/ali-mazi/gubernur-sultra/definitive")


def test_every_inferred_triple_is_traced_to_a_rule_or_axiom(store):
    # A rule's graph names its rule; a HermiT conclusion has a statement naming the axiom.
    untraced = list(store.query(f"""
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{
          ?s ?p ?o .
          FILTER NOT EXISTS {{ ?g prov:wasDerivedFrom ?rule . ?rule a <{EGKG}Rule> }}
          FILTER(!STRSTARTS(STR(?s), "{ID}inference/"))
          FILTER NOT EXISTS {{ ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?why }}
        }} {IN_INFERRED} }} LIMIT 5"""))
    assert untraced == []
    rules = {r["why"].value for r in store.query(f"""
        SELECT DISTINCT ?why WHERE {{ GRAPH ?g {{ ?g <http://www.w3.org/ns/prov#wasDerivedFrom> ?why }} {IN_INFERRED} }}""")}
    assert ID + "rule/40-coordination" in rules
    axioms = {r["why"].value for r in store.query(f"""
        SELECT DISTINCT ?why WHERE {{ GRAPH <{HERMIT_GRAPH.value}> {{ ?st <http://www.w3.org/ns/prov#wasDerivedFrom> ?why }} }}""")}
    assert EGKG + "ActingRegionalHead" in axioms
    coordinated = store.query(f"""
        SELECT ?g WHERE {{ GRAPH ?g {{ <{ID}person/edy-suharmanto> <{EGKG}coordinatedWith> ?other }} }} LIMIT 1""")
    assert [r["g"].value for r in coordinated] == [INFERRED_PREFIX + "40-coordination"]


def test_curated_graphs_are_untouched_by_reasoning(good_build):
    assert all(is_inferred(q.graph_name) for q in good_build.inference.quads)


def test_person_typed_organization_is_inconsistent_and_named(good_build):
    curated = [q for q in good_build.quads if not is_inferred(q.graph_name)]
    edy = ox.NamedNode(ID + "person/edy-suharmanto")
    graph = ox.NamedNode(ID + "graph/source/chanetujuh-2024-11-06-rakor-pilkada-sultra")
    clash = ox.Quad(edy, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(EGKG + "Organization"), graph)
    with pytest.raises(InconsistentGraph) as caught:
        infer([*curated, clash], good_build.origins)
    (problem,) = [p for p in caught.value.problems if "edy-suharmanto" in p.message]
    assert problem.file.endswith("000-chanetujuh-2024-11-06-rakor-pilkada-sultra.yaml") and problem.field == "persons[0]"
    assert "egkg:Person" in problem.message and "egkg:Organization" in problem.message and "disjoint" in problem.message


def test_two_definitive_holders_on_one_day_stop_the_build(data_copy, previous_build):
    path = data_copy / "records" / "001-kbrn-2022-11-21-rakor-pemilu-pilkada-sultra.yaml"
    text = path.read_text(encoding="utf-8")
    extra = (
        "holdings:\n"
        "  - holder: person/syahruddin-nurdin\n"
        "    post: post/gubernur-sultra\n"
        "    kind: Definitive\n"
        "    attested_on: [2022-11-21]\n"
        "    evidence: \"Syahruddin Nurdin, selaku Panitia kegiatan ini\"\n"
    )
    assert "\nholdings:\n" in text
    path.write_text(text.replace("\nholdings:\n", "\n" + extra, 1), encoding="utf-8")
    before = tree_digest(previous_build)
    result = run_egkg("build", "--data", data_copy, "--out", previous_build, "--quiet")
    assert result.returncode == 1, result.stderr
    lines = [l for l in result.stderr.splitlines() if l.startswith("inconsistent:")]
    assert lines and "Two definitive holders of one post on one day" in lines[0]
    assert "001-kbrn-2022-11-21-rakor-pemilu-pilkada-sultra.yaml" in lines[0] and "holdings[" in lines[0]
    assert "Traceback" not in result.stderr
    assert tree_digest(previous_build) == before


def test_sources_disagreeing_into_an_end_before_start_stop_the_build(data_copy, previous_build):
    # 004 also reports the Kaltim meeting, but a day earlier: together the sources contradict.
    give_kaltim_meeting_an_end(data_copy)
    report_kaltim_meeting_a_day_early(data_copy)
    before = tree_digest(previous_build)
    result = run_egkg("build", "--data", data_copy, "--out", previous_build, "--quiet")
    assert result.returncode == 1, result.stderr
    assert "2024-11-13-rakor-forkopimda-kaltim" in result.stderr and "start date" in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(previous_build) == before


def test_missing_java_is_a_clear_message(tmp_path):
    env = {**os.environ, "PATH": str(tmp_path)}  # no java on this PATH
    result = run_egkg_env(env, "build", "--out", tmp_path / "out", "--quiet")
    assert result.returncode == 2
    assert "no Java runtime found" in result.stderr and "--no-reason" in result.stderr
    assert "Traceback" not in result.stderr
    without = run_egkg_env(env, "build", "--out", tmp_path / "out", "--quiet", "--no-reason")
    assert without.returncode == 0, without.stderr


def run_egkg_env(env, *args):
    import subprocess

    from .conftest import EGKG as script

    return subprocess.run([str(script), *map(str, args)], capture_output=True, text=True, timeout=300, env=env)


def test_build_without_reasoning_has_no_inferred_graph(tmp_path):
    result = build(DATA, tmp_path / "plain", reason=False)
    assert result.inference is None
    assert b"/graph/inferred/" not in (tmp_path / "plain" / "egkg.nq").read_bytes()


def test_rules_run_inside_an_on_disk_store_conclude_what_the_build_did(tmp_path, good_build):
    # The path past what fits in memory (benchmarks/reason_bench.py --in-store) must agree with the build.
    rules = load_rules()
    curated = [q for q in good_build.quads if not is_inferred(q.graph_name)]
    create_store(tmp_path / "store", curated)
    store = ox.Store(str(tmp_path / "store"))
    counts = apply_rules(store, rules)
    in_store = {q for q in store.quads_for_pattern(None, None, None, None) if is_inferred(q.graph_name)}
    described = {r.iri for r in rules} | {r.graph for r in rules}
    by_build = {q for q in good_build.inference.quads
                if q.graph_name != HERMIT_GRAPH and q.subject not in described}
    assert in_store == by_build
    assert counts["40-coordination"] == len([q for q in in_store if q.graph_name.value.endswith("40-coordination")]) > 0
    union = {q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    assert {q.triple for q in in_store} <= union


# The institution types each group unites, as the README words them ("KPU, Bawaslu or DKPP";
# "Polri, TNI or Kejaksaan"); which organisations are members comes from the records.
INSTITUTION_GROUPS = {
    "ElectionBody": {"ElectionCommission", "ElectionSupervisor", "EthicsCouncil"},
    "SecurityOrLegalBody": {"Police", "Military", "Prosecution"},
}


def _organisations_typed(corpus, types: set[str]) -> set[str]:
    refs = {f"org/{org.id}" for loaded in corpus.files for org in loaded.record.organizations if org.type in types}
    return {ID + corpus.same_as.get(ref, ref) for ref in refs}


def _inferred_members(quads: list[ox.Quad], group: str) -> set[str]:
    return {q.subject.value for q in quads
            if q.predicate.value == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" and q.object.value == EGKG + group}


@pytest.mark.parametrize("group", sorted(INSTITUTION_GROUPS))
def test_every_institution_of_a_group_is_classified(good_build, group):
    expected = _organisations_typed(good_build.corpus, INSTITUTION_GROUPS[group])
    assert expected, f"the records name no {group}; the test would prove nothing"
    assert _inferred_members(good_build.inference.quads, group) == expected


@pytest.mark.parametrize("group", sorted(INSTITUTION_GROUPS))
def test_institution_groups_are_classified_without_hermit(good_build, group):
    # Past reason.HERMIT_MAX_QUADS only the SPARQL rules run: the groups must not depend on HermiT.
    curated = [q for q in good_build.quads if not is_inferred(q.graph_name)]
    by_rules = infer(curated, good_build.origins, hermit=False)
    assert _inferred_members(by_rules.quads, group) == _organisations_typed(good_build.corpus, INSTITUTION_GROUPS[group])
