"""Library queries rewritten for speed answer exactly as the texts they replaced, on the articles and a generated corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg_builder.engines import OxigraphEngine
from kg_builder.queries import bind, load_library, parse_query_file

LIBRARY = load_library()
# Each query's text before its rewrite, kept as the reference its rows must equal.
BEFORE = {path.stem: parse_query_file(path) for path in (Path(__file__).parent / "query_rewrites_before").glob("*.rq")}
# Parameter values to try, drawn from the graph: every node of the class a parameter names.
NODES = """PREFIX egkg: <https://w3id.org/egkg/ontology#>
SELECT DISTINCT ?node WHERE { ?node a ?class } ORDER BY ?node"""
PARAM_CLASSES = {"meeting": "Meeting", "post": "Post", "election": "Election"}



def answer(engine: OxigraphEngine, query, params: dict) -> list[tuple[str, ...]]:
    """Rows as comparable strings, in the order the query gives them."""
    table = engine.select(bind(query, params))
    return [tuple("" if t is None else t.comparable() for t in row) for row in table.rows]


def order_by(text: str) -> str:
    """The query's ORDER BY clause."""
    return text[text.rindex("ORDER BY"):].strip()


def parameter_sets(engine: OxigraphEngine, name: str) -> list[dict]:
    """The query's defaults, then each optional or required IRI parameter bound to every node it can name."""
    query = LIBRARY[name]
    sets = [] if any(p.required for p in query.params.values()) else [{}]
    for param in query.params:
        if param in PARAM_CLASSES:
            text = NODES.replace("?class", f"egkg:{PARAM_CLASSES[param]}")
            sets += [{param: row[0].value} for row in engine.select(text).rows]
    if "days" in query.params:
        sets += [{"days": days} for days in ("0", "7", "365", "3660")]
    return sets


@pytest.mark.parametrize("corpus", ["good_build", "generated_build"])
@pytest.mark.parametrize("name", sorted(BEFORE))
def test_rewritten_query_answers_as_before(name, corpus, request):
    engine = OxigraphEngine(request.getfixturevalue(corpus).out_dir / "store")
    assert LIBRARY[name].text != BEFORE[name].text, "nothing was rewritten"
    # The same ORDER BY, so comparing the rows as sorted lists loses only the order among ties,
    # which SPARQL leaves to the engine and a new join order may change.
    assert order_by(LIBRARY[name].text) == order_by(BEFORE[name].text)
    answered = 0
    for params in parameter_sets(engine, name):
        old = answer(engine, BEFORE[name], params)
        assert sorted(answer(engine, LIBRARY[name], params)) == sorted(old), params
        answered += bool(old)
    assert answered  # some parameter set has rows: the comparison is not between two empty answers
