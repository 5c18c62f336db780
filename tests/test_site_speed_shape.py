"""How `egkg site` stays fast without losing safety: terms converted once per answer, and the
Python-built HTML and SVG pieces escaping every value from the graph (timings are in the report, not here)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from kg_builder.engines import OxigraphEngine, Term

HOSTILE = '<script>alert("x")</script> & \'quoted\''
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;quoted&#39;"


def test_equal_terms_of_one_answer_are_one_term():
    """The site reads the whole graph in one answer: a repeated IRI or literal is converted once."""
    store = ox.Store()
    person, label = ox.NamedNode("https://w3id.org/egkg/id/person/a"), ox.NamedNode("http://example.org/p")
    for name in ("one", "two"):
        store.add(ox.Quad(person, label, ox.Literal(name, language="id")))
        store.add(ox.Quad(ox.NamedNode(f"https://w3id.org/egkg/id/person/{name}"), label, ox.Literal("same")))
    rows = OxigraphEngine(store).select("SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s ?o").rows
    subjects = [row[0] for row in rows if row[0].value.endswith("/a")]
    assert len(subjects) == 2 and subjects[0] is subjects[1]
    same = [row[1] for row in rows if row[1].value == "same"]
    assert len(same) == 2 and same[0] is same[1]
    assert same[0] == Term("literal", "same", datatype="http://www.w3.org/2001/XMLSchema#string")
    assert {row[1] for row in rows} >= {Term("literal", "one", language="id"), Term("literal", "two", language="id")}


def _ref(text: str = HOSTILE, href: str | None = HOSTILE) -> dict:
    return {"text": text, "href": href, "iri": "x"}


def _pair() -> dict:
    return {"id": HOSTILE, "en": HOSTILE, "code": "x"}


def _evidence() -> dict:
    return {"quotes": [{"n": 1, "label": HOSTILE, "text": HOSTILE, "href": HOSTILE}], "sources": 1}


def _fragments():
    from kg_builder.site import fragments  # the module this guarantee is about
    from kg_builder.site.text import Mark

    row = {"date": HOSTILE, "meeting": _ref(), "party": [_ref(), _ref(href=None)], "roles": [_pair()],
           "kind": [_pair()], "capacity": [_ref()], "institution": [_ref()], "represents": [_ref()],
           "evidence": _evidence()}
    holding = {"first": HOSTILE, "last": HOSTILE + "2", "holder": [_ref()], "post": [_ref()], "kinds": [_pair()],
               "acting": True, "portfolio": [HOSTILE], "replaces": [_ref()], "evidence": _evidence()}
    mark = Mark(0, 5, [HOSTILE, Mark(1, 2, [HOSTILE])])
    return {
        "ui": fragments.ui(HOSTILE, HOSTILE), "t": fragments.t(_pair()), "ref": fragments.ref(_ref()),
        "refs": fragments.refs([_ref(), _ref(href=None)]), "terms": fragments.terms([_pair()]),
        "cite": fragments.cite(_evidence()["quotes"][0]), "ev": fragments.ev(_evidence()),
        "participation_row": fragments.participation_row(row),
        "holding_row": fragments.holding_row(holding),
        "meeting_rows": fragments.meeting_rows([{"date": HOSTILE, "meeting": _ref(), "evidence": _evidence()}]),
        "run": fragments.run([HOSTILE, mark]),
    }


@pytest.mark.parametrize("name", ["ui", "t", "ref", "refs", "terms", "cite", "ev", "participation_row",
                                  "holding_row", "meeting_rows", "run"])
def test_every_python_built_piece_escapes_what_the_graph_says(name):
    html = _fragments()[name]
    assert "<script" not in html and '"x"' not in html and "'quoted'" not in html
    assert ESCAPED in html
    # Well-formed: the pieces nest as elements, whatever the text held.
    ET.fromstring(f"<root>{html}</root>")


def test_the_ego_network_keeps_hostile_names_as_text():
    from kg_builder.site.graphics import Node, ego_network

    partners = [Node(f"{HOSTILE}\n\t{i}", f"../person/{i}.html?a=1&b=\"2\"", 'person" onload="x', i) for i in range(3)]
    svg = ego_network(Node(HOSTILE, None, "person"), partners, [(0, 1, 2), (1, 2, 9)], f"map of {HOSTILE}")
    tree = ET.fromstring(str(svg))
    ns = "{http://www.w3.org/2000/svg}"
    assert tree.get("aria-label") == f"map of {HOSTILE}"
    titles = [t.text for t in tree.iter(f"{ns}title")]
    assert titles == [f"{p.name} ({p.weight})" for p in partners] + [HOSTILE]
    assert [a.get("href") for a in tree.iter(f"{ns}a")] == [p.href for p in partners]
    assert {c.get("class") for c in tree.iter(f"{ns}circle")} == {'node person" onload="x', "node centre person"}
    assert len(list(tree.iter(f"{ns}line"))) == 2 + len(partners)
