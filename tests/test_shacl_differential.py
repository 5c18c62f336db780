"""The Rust SHACL engine the build uses and pySHACL, the reference, report the same results.

Compared: the set of (focus node, path, constraint component). The one documented difference is
the lexical space of xsd:date (see tests/shape_fixtures.py DATE_DISAGREEMENTS), asserted below.
"""

from __future__ import annotations

import logging

import pytest
from rdflib import Graph

from benchmarks.generate import main as generate
from kg_builder.mapping import map_corpus
from kg_builder.paths import ONTOLOGY_FILE, SHAPES_FILE
from kg_builder.load.corpus import load_corpus
from kg_builder.validate.shacl_engine import ShaclResult, run_engine
from kg_builder.validate.violations import shacl_results, union_graph
from kg_builder.rdf.vocab import load_ontology
from tests.shape_fixtures import COMPONENT_BREAKS, DATE_DISAGREEMENTS, broken_shape, fixture, fixture_names, odd_date, shapes


def _keys(results: list[ShaclResult]) -> set[tuple[str, str, str]]:
    return {(r.focus, r.path, r.component) for r in results}


def _both(data: object) -> tuple[set, set]:
    return _keys(run_engine("shacl", data, SHAPES_FILE)), _keys(run_engine("pyshacl", data, SHAPES_FILE))


@pytest.fixture(scope="module")
def five(good_build) -> Graph:
    return union_graph(good_build.dataset)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Graph:
    """The XS synthetic corpus mapped as the build maps it, as one union graph."""
    data = tmp_path_factory.mktemp("xs") / "data"
    assert generate(["--scale", "XS", "--seed", "3", "--out", str(data), "--quiet"]) == 0
    ontology = load_ontology(ONTOLOGY_FILE)
    dataset, _ = map_corpus(load_corpus(data, ontology), ontology)
    return union_graph(dataset)


@pytest.mark.parametrize("name", fixture_names())
def test_both_engines_agree_on_each_shape_fixture(five, name):
    broken = fixture(five, name)
    rust, reference = _both(broken.graph)
    assert rust == reference, f"only Rust: {sorted(rust - reference)}; only pySHACL: {sorted(reference - rust)}"
    assert any(focus == broken.focus and path == broken.path for focus, path, _ in rust), sorted(rust)[:5]


def test_both_engines_pass_the_real_graphs(five, generated):
    assert _both(five) == (set(), set())
    assert _both(generated) == (set(), set())


def test_both_engines_agree_on_a_broken_generated_corpus(generated):
    broken = generated
    for name in ("class", "lessThanOrEquals", "maxCount", "or", "pattern", "uniqueLang", "datatype-impossible-date"):
        broken = COMPONENT_BREAKS[name](broken)[0]  # each mutation on top of the previous ones
    for shape in shapes()[:6]:
        broken = broken_shape(broken, shape).graph
    rust, reference = _both(broken)
    assert rust == reference, f"only Rust: {sorted(rust - reference)}; only pySHACL: {sorted(reference - rust)}"
    assert len(rust) >= 12  # every mutation was seen, not an empty agreement


def test_the_focused_check_agrees_too(five):
    broken = fixture(five, "lessThan")
    focus = [broken.focus]
    rust = _keys(shacl_results(broken.graph, SHAPES_FILE, focus=focus, engine="shacl"))
    reference = _keys(shacl_results(broken.graph, SHAPES_FILE, focus=focus, engine="pyshacl"))
    assert rust == reference and {f for f, _, _ in rust} == {broken.focus}


@pytest.mark.parametrize("lexical, valid", DATE_DISAGREEMENTS.items())
def test_the_documented_date_difference(five, lexical, valid):
    """Rust follows XSD 1.1's xsd:date; pySHACL says the opposite for exactly this one result."""
    logging.disable(logging.CRITICAL)  # rdflib logs a traceback for each date it cannot parse
    try:
        text, focus, path = odd_date(five, lexical)
        rust, reference = _both(text)
    finally:
        logging.disable(logging.NOTSET)
    datatype_result = {(focus, path, "DatatypeConstraintComponent")}
    assert rust == (set() if valid else datatype_result)
    assert reference == (datatype_result if valid else set())
