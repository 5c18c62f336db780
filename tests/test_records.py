"""Record loading: the real records load, and each kind of bad input is refused precisely."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg_builder.errors import InputErrors
from kg_builder.load.corpus import load_corpus
from kg_builder.paths import ONTOLOGY_FILE
from kg_builder.rdf.vocab import load_ontology

from .conftest import DATA, run_egkg, tree_digest

BOMBANA = "000-chanetujuh-2024-11-06-rakor-pilkada-sultra.yaml"
SIJUNJUNG = "003-mc-sijunjung-2024-07-05-rakor-kpu-sijunjung.yaml"


def test_real_records_load():
    corpus = load_corpus(DATA, load_ontology(ONTOLOGY_FILE))
    assert len(corpus.files) == 5
    ids = {f.record.source.id for f in corpus.files}
    assert "chanetujuh-2024-11-06-rakor-pilkada-sultra" in ids
    assert "person/edy-suharmanto" in corpus.declarations
    assert corpus.regions["74.06"].name == "Kabupaten Bombana"
    assert corpus.regions["74.06"].parent == "74"


def test_quote_offsets_point_at_the_quote():
    corpus = load_corpus(DATA, load_ontology(ONTOLOGY_FILE))
    for loaded in corpus.files:
        for quote, (start, end) in loaded.quote_offsets.items():
            assert " ".join(loaded.text.original[start:end].split()) == " ".join(quote.split())


def _replace(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _line_of(path: Path, fragment: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(fragment)


# Each case breaks one record file and names what the one-line error must say.
BAD_INPUTS = [
    pytest.param(
        BOMBANA, "    name: Edy Suharmanto\n", "    name: [Edy Suharmanto\n",
        r"000-chanetujuh.*\.yaml:\d+: YAML error", id="malformed-yaml",
    ),
    pytest.param(
        BOMBANA, "holder: person/edy-suharmanto", "holder: person/edy-suharmantoo",
        r"holdings\[0\]\.holder: unknown reference 'person/edy-suharmantoo'", id="unknown-reference",
    ),
    pytest.param(
        BOMBANA, "  - id: bahtra\n", "  - id: andap-budhi-revianto\n",
        r"persons\[2\]\.id: duplicate id 'andap-budhi-revianto'", id="duplicate-id",
    ),
    pytest.param(
        SIJUNJUNG, "start: 2024-07-05", "start: 2024-02-30",
        r"meetings\[0\]\.start: '2024-02-30' is not a real date", id="impossible-date",
    ),
    pytest.param(
        SIJUNJUNG, "end: 2024-07-06", "end: 2024-07-01",
        r"meetings\[0\]: end 2024-07-01 is before start 2024-07-05", id="end-before-start",
    ),
    pytest.param(
        BOMBANA, "kind: Pj\n", "kind: Pjj\n",
        r"holdings\[\d\]\.kind: unknown value 'Pjj'; use one of Definitive, Pj, Pjs, Plh, Plt", id="unknown-appointment-kind",
    ),
    pytest.param(
        BOMBANA, 'evidence: "Ketua Tim, Bahtra"', 'evidence: "Ketua Tim, Bahtra Sr."',
        r"persons\[2\]\.evidence\[0\]: quote not found in sources/000_972a58995a3fcd1d\.txt: 'Ketua Tim, Bahtra Sr\.'",
        id="quote-not-in-source",
    ),
    pytest.param(
        BOMBANA, "text: sources/000_972a58995a3fcd1d.txt", "text: sources/missing.txt",
        r"source\.text: archived text 'sources/missing\.txt' does not exist", id="missing-source-file",
    ),
    pytest.param(
        BOMBANA, "text: sources/000_972a58995a3fcd1d.txt", "text: ../../etc/passwd",
        r"source\.text: '\.\./\.\./etc/passwd' points outside data/", id="source-outside-data",
    ),
    pytest.param(
        BOMBANA, "    name: Bahtra\n", "    name: !!python/object:os.system Bahtra\n",
        r"YAML error: .*only plain YAML is allowed", id="python-tag",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "expected"), BAD_INPUTS)
def test_bad_input_is_one_line_exit_2_and_keeps_previous_build(data_copy, previous_build, file, old, new, expected):
    _replace(data_copy / "records" / file, old, new)
    before = tree_digest(previous_build)
    result = run_egkg("build", "--data", data_copy, "--out", previous_build, "--quiet")
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    # One line per problem, each naming the record file (and its line when there is one).
    assert errors and all(re.match(r"error: data/records/\S+\.yaml(:\d+)?: ", e) for e in errors), result.stderr
    assert re.search(expected, errors[0]), errors[0]
    assert "Traceback" not in result.stderr
    assert tree_digest(previous_build) == before


def test_error_names_the_line_of_the_bad_value(data_copy):
    path = data_copy / "records" / SIJUNJUNG
    _replace(path, "start: 2024-07-05", "start: 2024-13-01")
    with pytest.raises(InputErrors) as caught:
        load_corpus(data_copy, load_ontology(ONTOLOGY_FILE))
    (problem,) = caught.value.problems
    assert problem.line == _line_of(path, "start: 2024-13-01")
    assert problem.field == "meetings[0].start"


def test_duplicate_yaml_key_is_refused(data_copy):
    path = data_copy / "records" / BOMBANA
    _replace(path, "    name: Bahtra\n", "    name: Bahtra\n    name: Bahtra\n")
    with pytest.raises(InputErrors, match=r"\.yaml:\d+: duplicate key 'name' \(first on line \d+\)"):
        load_corpus(data_copy, load_ontology(ONTOLOGY_FILE))


def test_reference_of_the_wrong_type_is_refused(data_copy):
    _replace(data_copy / "records" / BOMBANA, "holder: person/edy-suharmanto", "holder: org/pemprov-sultra")
    with pytest.raises(InputErrors, match=r"'org/pemprov-sultra' is a org; this field takes person"):
        load_corpus(data_copy, load_ontology(ONTOLOGY_FILE))


def test_unknown_region_code_is_refused(data_copy):
    _replace(data_copy / "records" / SIJUNJUNG, "region/13.03", "region/13.99")
    with pytest.raises(InputErrors, match=r"unknown region code '13\.99'"):
        load_corpus(data_copy, load_ontology(ONTOLOGY_FILE))


def test_every_problem_is_reported_in_one_pass(data_copy):
    _replace(data_copy / "records" / BOMBANA, "holder: person/edy-suharmanto", "holder: person/nobody")
    _replace(data_copy / "records" / SIJUNJUNG, "start: 2024-07-05", "start: 2024-02-30")
    with pytest.raises(InputErrors) as caught:
        load_corpus(data_copy, load_ontology(ONTOLOGY_FILE))
    files = {p.file for p in caught.value.problems}
    assert any(BOMBANA in f for f in files) and any(SIJUNJUNG in f for f in files)


def test_malformed_json_record_is_one_line_exit_2(data_copy, previous_build):
    (data_copy / "records" / "005-new.json").write_text('{"source": {"id": "x",\n  "text": }\n', encoding="utf-8")
    before = tree_digest(previous_build)
    result = run_egkg("build", "--data", data_copy, "--out", previous_build, "--quiet")
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [errors[0]] and re.match(r"error: data/records/005-new\.json:\d+: YAML error", errors[0]), result.stderr
    assert tree_digest(previous_build) == before
