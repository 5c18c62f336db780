"""The record-side stages of a chunked build, made fast, keep what the slow ways gave."""

from __future__ import annotations

import dataclasses
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg_builder.errors import InputError, InputErrors
from kg_builder.load import yaml_lines
from kg_builder.load.corpus import load_corpus, record_paths
from kg_builder.load.evidence import ArchivedText
from kg_builder.load.record_file import load_record_file
from kg_builder.mapping import map_corpus_nquads
from kg_builder.paths import ONTOLOGY_FILE
from kg_builder.rdf.vocab import load_ontology

from .conftest import DATA


def _offsets_by_character(original: str, quote: str) -> tuple[int, int] | None:
    """The reference: every character of the text visited, each whitespace run kept as one space."""
    kept: list[tuple[int, str]] = []
    for index, char in enumerate(original):
        if char.isspace():
            if kept and kept[-1][1] != " ":
                kept.append((index, " "))
        else:
            kept.append((index, char))
    if kept and kept[-1][1] == " ":
        kept.pop()
    needle = " ".join(quote.split())
    at = "".join(char for _, char in kept).find(needle) if needle else -1
    return None if at < 0 else (kept[at][0], kept[at + len(needle) - 1][0] + 1)


TEXT = st.text(alphabet="ab c\n\r\t\u00a0\u2003\u3000.", max_size=40)


@settings(max_examples=500, deadline=None)
@given(TEXT, TEXT)
def test_quotes_are_located_as_character_by_character(original, quote):
    assert ArchivedText.of(original).locate(quote) == _offsets_by_character(original, quote)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.integers(0, 40), st.integers(0, 40))
def test_any_slice_of_the_text_is_found_where_first_written(original, start, length):
    quote = original[start:start + length]
    assert ArchivedText.of(original).locate(quote) == _offsets_by_character(original, quote)


def _walks(monkeypatch) -> list:
    """Every walk of a file for its lines, as it happens."""
    walks: list = []
    walk = yaml_lines._walk
    monkeypatch.setattr(yaml_lines, "_walk", lambda *args: walks.append(args[1]) or walk(*args))
    return walks


def test_a_chunk_is_read_again_without_walking_its_lines(monkeypatch):
    """A chunked build's second reading of a file: the first reading's checks stand, no line is walked.

    The line of each node (for messages) is found when a message asks for it, pickled or not.
    """
    ontology = load_ontology(ONTOLOGY_FILE)
    corpus = load_corpus(DATA, ontology, keep_files=False)
    summaries = {summary.name: summary for summary in corpus.summaries}
    walks = _walks(monkeypatch)
    loaded = [
        load_record_file(path, DATA, corpus.vocabulary, corpus.regions, lines=False, checked=summaries[path.name])
        for path in record_paths(DATA)
    ]
    assert [summary for _, summary in loaded] == list(corpus.summaries)
    _, origins = map_corpus_nquads(dataclasses.replace(corpus, files=tuple(file for file, _ in loaded)), ontology, static=False)
    pickled = pickle.dumps(origins)  # as a chunked build saves them in cache/, grouped by file
    assert origins and {origin[0] for origin in origins.values()} and walks == []
    whole = map_corpus_nquads(load_corpus(DATA, ontology), ontology, static=False)[1]
    assert walks  # the reference walks every file
    for origins_now in (origins, pickle.loads(pickled)):
        assert {node: tuple(origin) for node, origin in origins_now.items()} == whole


def test_a_changed_file_is_checked_again(data_copy):
    """The first reading's summary stands only for the text it read."""
    ontology = load_ontology(ONTOLOGY_FILE)
    corpus = load_corpus(data_copy, ontology, keep_files=False)
    path = data_copy / "records" / corpus.summaries[0].name
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("type: ", "type: no-such-type-", 1), encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        load_record_file(path, data_copy, corpus.vocabulary, corpus.regions, checked=corpus.summaries[0])
    assert any("no-such-type-" in problem.message for problem in caught.value.problems)


def _read_without_lines(load, path):
    """The data, or the refusal, with no line walked (as a chunked build reads a file)."""
    try:
        return load(path, "x.yaml")[0]
    except InputError as exc:
        return "error", exc.problem.render()


@pytest.mark.parametrize("text", ["a: [:0]\n", "a: [b, :c]\n", "a: [ :0]\n", "a: {?x: 1}\n", "a: [x, ?y]\n", "a: [b:c]\n"])
def test_flow_items_read_as_the_reference_without_walking_lines(tmp_path, text):
    """Flow items that YAML 1.1 refuses (`[:0]`) or reads as a key (`[?y]`): yaml-rs alone must not read them."""
    path = tmp_path / "x.yaml"
    path.write_text(text, encoding="utf-8")
    assert _read_without_lines(yaml_lines.load_yaml, path) == _read_without_lines(yaml_lines.load_yaml_with_lines, path)
