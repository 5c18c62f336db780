"""The metadata-driven N-Quads mapper writes exactly the quads (and origins) of the rdflib mapping."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kg_builder.load.corpus import load_corpus
from kg_builder.mapping import map_corpus, map_corpus_nquads, nquads_to_quads
from kg_builder.paths import ONTOLOGY_FILE
from kg_builder.rdf.serialize import to_nquads, to_oxigraph
from kg_builder.rdf.vocab import load_ontology

from .conftest import DATA

ROOT = Path(__file__).resolve().parent.parent
BOMBANA = "000-chanetujuh-2024-11-06-rakor-pilkada-sultra.yaml"


def assert_same_mapping(data_dir: Path, *, static: bool = True) -> int:
    """Both mappers on one corpus: byte-identical sorted N-Quads and equal origins; returns the line count."""
    ontology = load_ontology(ONTOLOGY_FILE)
    corpus = load_corpus(data_dir, ontology)
    dataset, origins = map_corpus(corpus, ontology, static=static)
    expected = to_nquads(to_oxigraph(dataset)).decode().splitlines(keepends=True)
    lines, new_origins = map_corpus_nquads(corpus, ontology, static=static)
    missing, extra = sorted(set(expected) - set(lines)), sorted(set(lines) - set(expected))
    assert not missing and not extra, f"missing {missing[:5]}\nextra {extra[:5]}"
    assert lines == expected  # same order, no duplicates: the bytes `to_nquads` writes
    assert new_origins == origins
    return len(lines)


def test_the_five_articles_map_to_the_same_quads():
    assert assert_same_mapping(DATA) > 1000


def test_the_source_graphs_alone_map_to_the_same_quads():
    """A chunked build maps the ontology and gazetteer once and each chunk without them."""
    assert assert_same_mapping(DATA, static=False) > 0


def test_merged_records_map_to_the_same_quads(tmp_path):
    """A curator's `same` decision turns a person's name into a name variant of the one it merges into."""
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    path = data / "records" / BOMBANA
    text = path.read_text(encoding="utf-8")
    extra = "persons:\n  - id: edy-hermanto\n    name: Edy hermanto\n    evidence: \"Ujar Edy hermanto\"\n"
    path.write_text(text.replace("persons:\n", extra, 1), encoding="utf-8")
    (data / "resolutions.yaml").write_text("same:\n  - [person/edy-suharmanto, person/edy-hermanto]\n")
    assert assert_same_mapping(data, static=False) > 0


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("generated") / "data"
    subprocess.run([sys.executable, "-m", "benchmarks.generate", "--scale", "XS", "--seed", "1", "--out", str(out),
                    "--quiet"], cwd=ROOT, check=True, timeout=300)
    return out


def test_a_generated_corpus_maps_to_the_same_quads(generated):
    assert assert_same_mapping(generated) > 1000


def test_the_lines_parse_back_to_the_same_quads():
    ontology = load_ontology(ONTOLOGY_FILE)
    corpus = load_corpus(DATA, ontology)
    lines, _ = map_corpus_nquads(corpus, ontology, static=False)
    quads = nquads_to_quads(lines)
    assert len(quads) == len(lines)
    assert to_nquads(quads) == "".join(lines).encode()
