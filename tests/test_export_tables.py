"""`egkg export --format csv|xlsx`: a node table and an edge table a spreadsheet opens, isolated nodes kept."""

from __future__ import annotations

import zipfile

import pandas as pd
import pytest

from kg_builder.engines import OxigraphEngine
from kg_builder.network import Participation, fetch_participations, fetch_posts, person_graph, projection
from kg_builder.network_export import NETWORK_FORMATS, write_tables

from .conftest import run_egkg

ID = "https://w3id.org/egkg/id/"
NODE_COLUMNS = ["id", "label", "kind", "type", "provinces", "posts", "acting_kinds", "degree", "shared_meetings"]
EDGE_COLUMNS = ["source", "source_label", "target", "target_label", "shared_meetings", "first", "last",
                "meetings", "sources"]


def _p(meeting: str, date: str, party: str, kind: str = "Person") -> Participation:
    return Participation(meeting, f"Rakor {meeting}", date, "Kendari", "Sulawesi Tenggara", party, party.title(),
                         kind, "", "", "", "Pj" if party == "ali" else "", f"src-{meeting}", f"Berita {meeting}", "q")


# Two meetings; "lone" sat in one alone, so the person projection has an isolated node.
PARTICIPATIONS = [_p("m1", "2024-11-01", "ali"), _p("m1", "2024-11-01", "budi"), _p("m2", "2024-11-05", "ali"),
                  _p("m2", "2024-11-05", "budi"), _p("m3", "2024-11-09", "lone")]


def _read(fmt: str, path):
    if fmt == "xlsx":
        return pd.read_excel(path, sheet_name="nodes"), pd.read_excel(path, sheet_name="edges")
    with zipfile.ZipFile(path) as archive:
        assert set(archive.namelist()) == {"nodes.csv", "edges.csv", "README.txt"}
        with archive.open("nodes.csv") as nodes, archive.open("edges.csv") as edges:
            return pd.read_csv(nodes), pd.read_csv(edges)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_tables_read_back_with_isolated_nodes_meetings_and_sources(tmp_path, fmt):
    graph = person_graph(PARTICIPATIONS, {"ali": [("Bupati Bombana", "Pj")]})
    target = tmp_path / f"net.{'zip' if fmt == 'csv' else fmt}"
    write_tables(graph, fmt, target)
    nodes, edges = _read(fmt, target)
    assert list(nodes.columns) == NODE_COLUMNS and list(edges.columns) == EDGE_COLUMNS
    assert sorted(nodes["id"]) == ["ali", "budi", "lone"]
    lone = nodes.set_index("id").loc["lone"]
    assert lone["degree"] == 0 and lone["provinces"] == "Sulawesi Tenggara"
    ali = nodes.set_index("id").loc["ali"]
    assert ali["posts"] == "Bupati Bombana (Pj)" and ali["acting_kinds"] == "Pj" and ali["kind"] == "Orang / Person"
    assert len(edges) == 1
    edge = edges.iloc[0]
    assert (edge["source"], edge["target"], edge["shared_meetings"]) == ("ali", "budi", 2)
    assert (edge["first"], edge["last"]) == ("2024-11-01", "2024-11-05")
    assert edge["meetings"] == "2024-11-01 Rakor m1; 2024-11-05 Rakor m2"
    assert edge["sources"] == "Berita m1; Berita m2"


def test_format_help_lists_every_format():
    assert set(NETWORK_FORMATS) >= {"graphml", "gexf", "csv", "xlsx"}
    result = run_egkg("export", "--help")
    text = " ".join(result.stdout.split())
    for fmt in ("nq", "trig", "ttl", "jsonld", *NETWORK_FORMATS):
        assert fmt in text, fmt
    for which in ("persons", "institutions", "all", "meetings"):
        assert which in text, which


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_cli_export_of_the_real_build_keeps_every_node(tmp_path, good_build, fmt):
    target = tmp_path / f"institutions.{'zip' if fmt == 'csv' else fmt}"
    result = run_egkg("export", "--format", fmt, "--graph", "institutions", "-o", target, "--build", good_build.out_dir)
    assert result.returncode == 0, result.stderr
    nodes, edges = _read(fmt, target)
    engine = OxigraphEngine(good_build.out_dir / "store")
    graph = projection(fetch_participations(engine), fetch_posts(engine), "institutions")
    assert sorted(nodes["id"]) == sorted(graph.nodes) and len(edges) == graph.number_of_edges()
    assert edges["sources"].str.len().min() > 0 and edges["first"].str.match(r"\d{4}-\d{2}-\d{2}").all()
