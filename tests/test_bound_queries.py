"""A bound library query is checked by its template: once, however many values are bound, and refused when the template is."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg_builder import sparql_check
from kg_builder.engines import OxigraphEngine
from kg_builder.errors import InputError
from kg_builder.queries import bind, load_library
from kg_builder.run_query import run_library_query, with_limit
from kg_builder.sparql_check import BoundQuery, checked_text, query_form, refusal

LIBRARY = load_library()
PERSON = "https://w3id.org/egkg/id/person/{}"


@pytest.fixture()
def parses(monkeypatch) -> list[str]:
    """The texts rdflib's parser reads from now on (its caches emptied first)."""
    seen: list[str] = []
    original = sparql_check.parseQuery
    monkeypatch.setattr(sparql_check, "parseQuery", lambda text: seen.append(text) or original(text))
    sparql_check.refusal.cache_clear()
    sparql_check.query_form.cache_clear()
    return seen


def test_binding_other_values_parses_nothing_again(parses):
    store = ox.Store()
    engine = OxigraphEngine(store)
    query = LIBRARY["who-coordinated-with"]
    for name in ("ani", "budi", "citra"):
        engine.select(with_limit(bind(query, {"person": PERSON.format(name)}), 5))
    assert parses == [query.text]  # the template, once: not each bound text


def test_a_plain_text_is_still_parsed_each_time(parses):
    engine = OxigraphEngine(ox.Store())
    for name in ("ani", "budi"):
        engine.select(str(bind(LIBRARY["who-coordinated-with"], {"person": PERSON.format(name)})))
    assert len(parses) == 2


def test_the_template_decides_a_service_is_refused(parses):
    template = "SELECT * WHERE { VALUES ?x { UNDEF } SERVICE <http://elsewhere.example/sparql> { ?x ?p ?o } }"
    bound = BoundQuery(template.replace("UNDEF", "<https://w3id.org/egkg/id/person/ani>"), template)
    with pytest.raises(InputError, match="SERVICE"):
        OxigraphEngine(ox.Store()).select(bound)
    assert checked_text(with_limit(bound, 3)) == template


@pytest.mark.parametrize("name", sorted(LIBRARY))
def test_every_library_query_bound_with_its_examples_is_accepted_as_its_template(name):
    # What the shortcut relies on: binding (and a limit) never changes the verdict nor the query form.
    query = LIBRARY[name]
    values = {key: param.example for key, param in query.params.items() if param.example is not None
              and param.type not in ("person", "region")}
    values |= {key: PERSON.format("ani") for key, param in query.params.items() if param.type == "person"}
    values |= {key: "https://w3id.org/egkg/id/region/31" for key, param in query.params.items() if param.type == "region"}
    bound = with_limit(bind(query, values, resolve_person=ox.NamedNode, resolve_region=ox.NamedNode), 7)
    assert isinstance(bound, BoundQuery) and bound.template == query.text
    assert refusal(str(bound)) is None and refusal(query.text) is None
    assert query_form(str(bound)) == query_form(query.text)


def test_run_library_query_passes_a_bound_query(monkeypatch):
    engine = OxigraphEngine(ox.Store())
    given = []
    monkeypatch.setattr(engine, "_select", given.append)
    run_library_query(engine, LIBRARY["who-coordinated-with-whom"], {}, limit=10)
    assert isinstance(given[0], BoundQuery)
