"""A source's provenance (URL, retrieval date, advertorial flag): record format, graph, curated data, pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg_builder.engines import OxigraphEngine
from kg_builder.load.corpus import load_corpus
from kg_builder.load.models import Source
from kg_builder.paths import ONTOLOGY_FILE
from kg_builder.pipeline.build import build
from kg_builder.rdf.vocab import load_ontology
from kg_builder.site import write_site

from .conftest import DATA

SIJUNJUNG = "003-mc-sijunjung-2024-07-05-rakor-kpu-sijunjung.yaml"
SOURCE = "<https://w3id.org/egkg/id/source/mc-sijunjung-2024-07-05-rakor-kpu-sijunjung>"
EGKG = "https://w3id.org/egkg/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def _add_to_source(data: Path, lines: str) -> None:
    path = data / "records" / SIJUNJUNG
    text = path.read_text(encoding="utf-8")
    assert "\n  published: 2024-07-08\n" in text
    path.write_text(text.replace("\n  published: 2024-07-08\n", f"\n  published: 2024-07-08\n{lines}", 1), encoding="utf-8")


def test_url_retrieved_and_advertorial_reach_the_graph(data_copy, tmp_path):
    _add_to_source(data_copy, "  url: https://example.org/berita?id=1\n  retrieved: 2024-07-10\n  advertorial: false\n")
    result = build(data_copy, tmp_path / "build")
    lines = [line for line in (result.out_dir / "egkg.nq").read_text(encoding="utf-8").splitlines()
             if line.startswith(SOURCE + " ")]
    assert any(f'<{EGKG}retrieved> "2024-07-10"^^<{XSD}date>' in line for line in lines), lines
    assert any(f'<{EGKG}advertorial> "false"^^<{XSD}boolean>' in line for line in lines), lines
    assert any(f'<{EGKG}url> "https://example.org/berita?id=1"^^<{XSD}anyURI>' in line for line in lines), lines


def test_a_field_left_out_says_nothing():
    """No flag is not "not an advertorial": the graph only states what a curator recorded."""
    source = Source(id="x", text="sources/x.txt", outlet="X", title="T", evidence=["quote one"])
    assert source.advertorial is None and source.retrieved is None and source.url is None


@pytest.mark.parametrize("value", ["(ADV)", "1", 1, "maybe"])
def test_the_advertorial_flag_is_true_or_false_only(value):
    """A flag is written true or false (YAML's own booleans), never guessed from a word or a number."""
    with pytest.raises(ValueError, match="advertorial"):
        Source(id="x", text="sources/x.txt", outlet="X", title="T", evidence=["quote one"], advertorial=value)


def test_retrieved_before_published_is_refused():
    with pytest.raises(ValueError, match="retrieved 2024-07-01 is before published 2024-07-08"):
        Source(id="x", text="sources/x.txt", outlet="X", title="T", evidence=["quote one"],
               published="2024-07-08", retrieved="2024-07-01")


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(DATA, load_ontology(ONTOLOGY_FILE))


def test_the_curated_sources_flag_what_their_texts_print(corpus):
    """An article printing "(ADV)" or an "adv/..." credit is flagged, and one of its evidence quotes shows it."""
    for loaded in corpus.files:
        source = loaded.record.source
        marked = re.search(r"\(ADV\)|\(adv/", loaded.text.original) is not None
        assert (source.advertorial is True) == marked, source.id
        if marked:
            assert any(re.search(r"\(ADV\)|\(adv/", quote) for quote in source.evidence), source.id
    assert sum(bool(f.record.source.advertorial) for f in corpus.files) == 3


def test_a_url_is_recorded_only_when_the_text_states_it(corpus):
    for loaded in corpus.files:
        url = loaded.record.source.url
        assert url is None or url in loaded.text.original, loaded.record.source.id


def test_pages_flag_facts_that_rest_on_an_advertorial(good_build, tmp_path):
    site = tmp_path / "site"
    write_site(OxigraphEngine(good_build.out_dir / "store"), site, DATA)
    source_page = (site / "source" / "chanetujuh-2024-11-06-rakor-pilkada-sultra.html").read_text(encoding="utf-8")
    assert 'class="badge advertorial"' in source_page
    sources = (site / "person" / "edy-suharmanto.html").read_text(encoding="utf-8").partition('class="sources"')[2]
    assert sources and 'class="badge advertorial"' in sources
    plain = (site / "source" / "mc-sijunjung-2024-07-05-rakor-kpu-sijunjung.html").read_text(encoding="utf-8")
    assert "advertorial" not in plain
