"""Entity resolution: known variants found, no false pairs, decisions honoured by the build."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg_builder.errors import InputErrors
from kg_builder.load.corpus import load_corpus
from kg_builder.paths import ONTOLOGY_FILE
from kg_builder.rdf.vocab import load_ontology
from kg_builder.resolve import candidates, mentions, normalise

from .conftest import DATA, run_egkg

ID = "https://w3id.org/egkg/id/"
BOMBANA = "000-chanetujuh-2024-11-06-rakor-pilkada-sultra.yaml"


def corpus_mentions(data_dir=DATA):
    corpus = load_corpus(data_dir, load_ontology(ONTOLOGY_FILE))
    return mentions([(f.display, f.record) for f in corpus.files])


def test_titles_degrees_and_ranks_are_ignored():
    assert normalise("Komjen Pol. (P) Dr. (H.C) Andap Budhi Revianto, S.I.K., M.H.") == "andap budhi revianto"
    assert normalise("Drs Edy Suharmanto, M.si") == "edy suharmanto"


def test_known_variant_pairs_are_found():
    pairs = {(c.a.name, c.b.name) for c in candidates(corpus_mentions())}
    assert ("Edy Suharmanto", "Edy hermanto") in pairs or ("Edy hermanto", "Edy Suharmanto") in pairs
    assert ("Juni Wandri", "Juniwandri") in pairs or ("Juniwandri", "Juni Wandri") in pairs


def test_no_false_pair_among_the_named_officials():
    found = candidates(corpus_mentions())
    persons = [c for c in found if c.a.ref.startswith("person/")]
    assert persons and all(c.a.ref == c.b.ref for c in persons), [(c.a.ref, c.b.ref) for c in persons if c.a.ref != c.b.ref]


def _add_duplicate_person(data_dir):
    path = data_dir / "records" / BOMBANA
    text = path.read_text(encoding="utf-8")
    extra = "persons:\n  - id: edy-hermanto\n    name: Edy hermanto\n    evidence: \"Ujar Edy hermanto\"\n"
    path.write_text(text.replace("persons:\n", extra, 1), encoding="utf-8")


def test_a_duplicate_record_is_proposed_with_reasons(data_copy):
    _add_duplicate_person(data_copy)
    proposed = [c for c in candidates(corpus_mentions(data_copy)) if c.status == "proposed"]
    assert any({c.a.ref, c.b.ref} == {"person/edy-hermanto", "person/edy-suharmanto"} and c.score >= 80 for c in proposed)


def test_the_build_honours_a_same_decision(data_copy, tmp_path):
    _add_duplicate_person(data_copy)
    recorded = run_egkg("resolve", "--same", "person/edy-suharmanto", "person/edy-hermanto", "--data", data_copy)
    assert recorded.returncode == 0, recorded.stderr
    assert "person/edy-hermanto" in (data_copy / "resolutions.yaml").read_text()
    again = run_egkg("resolve", "--data", data_copy)
    assert "decided same" in again.stdout
    # --no-reason: the decision is applied when the records are mapped; reasoning (HermiT in Java) adds nothing here.
    built = run_egkg("build", "--data", data_copy, "--out", tmp_path / "b", "--quiet", "--no-reason")
    assert built.returncode == 0, built.stderr
    store = ox.Store.read_only(str(tmp_path / "b" / "store"))
    assert not store.query(f"ASK {{ GRAPH ?g {{ <{ID}person/edy-hermanto> ?p ?o }} }}")
    assert store.query(f'ASK {{ GRAPH ?g {{ <{ID}person/edy-suharmanto> <http://www.w3.org/2004/02/skos/core#altLabel> "Edy hermanto" }} }}')


def test_a_decision_on_an_unknown_ref_is_refused(data_copy):
    (data_copy / "resolutions.yaml").write_text("same:\n  - [person/edy-suharmanto, person/nobody]\n")
    with pytest.raises(InputErrors, match=r"resolutions.yaml: unknown reference 'person/nobody'"):
        load_corpus(data_copy, load_ontology(ONTOLOGY_FILE))


def test_a_draft_is_matched_against_known_persons(tmp_path):
    draft = tmp_path / "draft.yaml"
    draft.write_text(
        "source: {id: new-article, text: sources/000_972a58995a3fcd1d.txt, outlet: X, title: T, evidence: Ujar Edy hermanto}\n"
        "persons:\n  - {id: edy-h, name: Drs Edy hermanto, evidence: Ujar Edy hermanto}\n", encoding="utf-8")
    result = run_egkg("resolve", "--draft", draft, "--data", DATA)
    assert result.returncode == 0, result.stderr
    assert "person/edy-h" in result.stdout and "proposed" in result.stdout


@pytest.mark.parametrize("verdict", ["--same", "--different"])
def test_a_decision_on_an_id_no_record_has_is_refused(data_copy, verdict):
    result = run_egkg("resolve", verdict, "person/edy-suharmanto", "person/edy-suharmantoo", "--data", data_copy)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {verdict}: unknown reference 'person/edy-suharmantoo': no record file has this id; check the "
        "spelling (egkg resolve lists the known ones)"]
    assert not (data_copy / "resolutions.yaml").exists()
