"""`egkg serve`: the built store over the SPARQL 1.1 Protocol, read-only, queried with SPARQLWrapper."""

from __future__ import annotations

import subprocess

import pytest
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from kg_builder.reason.rules import inferred_graphs

from .conftest import EGKG


def test_sparqlwrapper_gets_the_meetings(endpoint):
    client = SPARQLWrapper(f"{endpoint}/query")
    client.setQuery("PREFIX egkg: <https://w3id.org/egkg/ontology#> SELECT ?m WHERE { ?m a egkg:Meeting } ORDER BY ?m")
    client.setReturnFormat(JSON)
    bindings = client.queryAndConvert()["results"]["bindings"]
    assert len(bindings) == 6
    assert bindings[0]["m"]["value"].startswith("https://w3id.org/egkg/id/meeting/")


def test_named_graphs_are_visible(endpoint):
    client = SPARQLWrapper(f"{endpoint}/query")
    client.setQuery("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    client.setReturnFormat(JSON)
    # 5 sources, ontology, gazetteer, and one graph per rule plus HermiT's
    assert client.queryAndConvert()["results"]["bindings"][0]["n"]["value"] == str(7 + len(inferred_graphs()))


def test_updates_are_refused(endpoint):
    import requests

    client = SPARQLWrapper(f"{endpoint}/query", updateEndpoint=f"{endpoint}/update")
    client.setMethod(POST)
    client.setQuery("DROP ALL")
    with pytest.raises(Exception) as refused:
        client.query()
    assert "403" in str(refused.value)
    direct = requests.post(f"{endpoint}/update", data="DROP ALL", timeout=10,
                           headers={"Content-Type": "application/sparql-update"})
    assert direct.status_code == 403 and "read-only" in direct.text
    check = SPARQLWrapper(f"{endpoint}/query")
    check.setQuery("ASK { ?s ?p ?o }")
    check.setReturnFormat(JSON)
    assert check.queryAndConvert()["boolean"] is True


def test_query_ui_is_served(endpoint):
    import requests

    page = requests.get(f"{endpoint}/", timeout=10)
    assert page.status_code == 200 and "<html" in page.text.lower()


def test_serve_refuses_a_busy_port(endpoint, good_build):
    port = endpoint.rsplit(":", 1)[1]
    result = subprocess.run([str(EGKG), "serve", "--port", port, "--build", str(good_build.out_dir)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "cannot listen" in result.stderr and "Traceback" not in result.stderr
