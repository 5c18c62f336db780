"""Record files parsed once and fast (yaml-rs), read as the YAML 1.1 reference reads them, lines walked only on demand."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg_builder.errors import InputError, InputErrors
from kg_builder.load import yaml_lines
from kg_builder.load.corpus import load_corpus
from kg_builder.load.record_file import load_record_file
from kg_builder.paths import ONTOLOGY_FILE
from kg_builder.rdf.vocab import load_ontology

from .conftest import DATA

ROOT = Path(__file__).resolve().parent.parent

# Where YAML 1.1 (PyYAML, the reference) and YAML 1.2 (yaml-rs) read the same text differently, or
# where yaml-rs is lenient: the fast path must give what the reference gives, refusals included.
YAML_11_VS_12 = {
    "yes": "a: yes\n", "on": "a: on\n", "Off": "a: Off\n", "quoted yes": "a: 'yes'\n",
    "octal": "a: 012\n", "leading zero": "a: 09\n", "0o": "a: 0o17\n", "0X": "a: 0X1F\n",
    "exponent": "a: 1e3\n", "signed dot": "a: -.5\n", "underscore": "a: _1\n", "huge": "a: 1.5e400\n",
    "sexagesimal": "a: 1:30\n", "merge": "<<: {x: 1}\ny: 2\n", "value": "a: =\n",
    "quoted number": 'a: "41"\n', "date": "a: 2024-11-13\n", "date time": "a: 2024-11-13 10:00:00\n",
    "time in text": "a: pukul 09.00 WIB\n", "tab": "a:\n\t- b\n", "tab after dash": "- \tb\n",
    "NEL": "a: b\x85c\n", "line separator": "a: b\u2028c\n", "alias": "a: &x 1\nb: *x\n",
    "binary tag": "a: !!binary aGVsbG8=\n", "local tag": "a: !foo x\n", "duplicate": "a: 1\na: 2\n",
    "duplicate quoted": "a: 1\n'a': 2\n", "int and text key": "1: a\n'1': b\n", "two documents": "a: 1\n---\nb: 2\n",
    "trailing document": "a: b\n---\n", "empty": "", "list": "- a\n", "complex key": "? [1, 2]\n: 3\n",
    "deep": "a: " + "[" * 2000 + "]" * 2000 + "\n", "folded": "a: >\n  yes\n", "block": "a: |\n  012\n",
    "directive": "%YAML 1.1\n---\na: 1\n", "crlf": "a: 1\r\nb: yes\r\n",
}


def _outcome(load, path):
    """Data and lines, or the refusal; the lines walked at once, as a build's load stage does."""
    try:
        data, lines = load(path, "data/records/x.yaml")
        return data, dict(lines)
    except InputError as exc:
        return "error", exc.problem.render()


@pytest.mark.parametrize("name", sorted(YAML_11_VS_12))
def test_yaml_rs_is_used_only_where_it_reads_as_the_reference(tmp_path, name):
    path = tmp_path / "x.yaml"
    path.write_text(YAML_11_VS_12[name], encoding="utf-8")
    assert _outcome(yaml_lines.load_yaml, path) == _outcome(yaml_lines.load_yaml_with_lines, path)


TOKENS = st.text(alphabet="0123456789+-._eExXoObB:~ yesnoYESNOtruefalsTRUEFALS\"'", min_size=1, max_size=8)


@settings(max_examples=400, deadline=None)
@given(TOKENS)
def test_any_scalar_reads_as_the_reference(tmp_path_factory, token):
    path = tmp_path_factory.mktemp("scalar") / "x.yaml"
    path.write_text(f"a: {token}\nb: [{token}]\n{token}: c\n", encoding="utf-8")
    assert _outcome(yaml_lines.load_yaml, path) == _outcome(yaml_lines.load_yaml_with_lines, path)


def test_the_records_take_the_fast_path(monkeypatch, tmp_path):
    # Generated record files (as a national corpus would be written) go the yaml-rs way, not libyaml's.
    # Counting yaml_rs.loads calls would not tell: a cached check calls it too, once per distinct word.
    corpus = tmp_path / "corpus"
    subprocess.run([sys.executable, "-m", "benchmarks.generate", "--scale", "S", "--meetings", "40", "--out", str(corpus),
                    "--jobs", "1"], cwd=ROOT, check=True, capture_output=True)
    slow: list[str] = []
    libyaml = yaml_lines._libyaml_data
    monkeypatch.setattr(yaml_lines, "_libyaml_data", lambda text, display: slow.append(display) or libyaml(text, display))
    paths = sorted((corpus / "records").glob("*.yaml"))
    for path in paths:
        data, _ = yaml_lines.load_yaml(path, path.name)
        assert data == yaml_lines.load_yaml_with_lines(path, path.name)[0], path.name
    assert len(paths) == 40 and len(slow) <= len(paths) // 10, slow


def test_summarising_walks_no_file_for_lines(monkeypatch):
    """A chunked build summarises every file first: no line is needed unless a message asks for one."""
    walks = []
    walk = yaml_lines._walk
    monkeypatch.setattr(yaml_lines, "_walk", lambda *args: walks.append(args[1]) or walk(*args))
    corpus = load_corpus(DATA, load_ontology(ONTOLOGY_FILE), keep_files=False)
    assert corpus.summaries and walks == []
    loaded, _ = load_record_file(
        DATA / "records" / corpus.summaries[0].name, DATA, corpus.vocabulary, corpus.regions
    )
    assert loaded.line(("source", "id")) == 2 and walks  # walked when a line is asked for


def test_a_cross_file_message_finds_its_line_again(data_copy):
    """The summary keeps where a reference is, not its line; the message reads the line from the file."""
    path = min((data_copy / "records").glob("*.yaml"))
    text = path.read_text(encoding="utf-8")
    old = "organization: org/"
    assert old in text
    path.write_text(text.replace(old, "organization: org/no-such-org-", 1), encoding="utf-8")
    line = next(n for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "no-such-org-" in row)
    with pytest.raises(InputErrors) as caught:
        load_corpus(data_copy, load_ontology(ONTOLOGY_FILE), keep_files=False)
    (problem,) = [p for p in caught.value.problems if "no-such-org-" in p.message]
    assert problem.line == line and problem.file == f"data/records/{path.name}"
