"""`write_site` without a browser: the IRI -> page mapping, the quote layout, determinism, the output guard."""

from __future__ import annotations

import re
import shutil

import pytest

from kg_builder.engines import OxigraphEngine
from kg_builder.errors import InputError
from kg_builder.site import page_path, write_site
from kg_builder.site.text import Mark, layout

from .conftest import DATA, run_egkg, tree_digest


def test_iris_map_onto_page_paths():
    assert page_path("https://w3id.org/egkg/id/person/andap-budhi-revianto") == "person/andap-budhi-revianto.html"
    assert page_path("https://w3id.org/egkg/id/org/kpu-kab-sijunjung") == "org/kpu-kab-sijunjung.html"
    assert page_path("https://w3id.org/egkg/id/regulation/uu/2016/10") == "regulation/uu_2016_10.html"
    assert page_path("https://w3id.org/egkg/id/region/74.06") == "region/74.06.html"


@pytest.mark.parametrize("iri", [
    "https://w3id.org/egkg/id/person/../../etc/passwd",
    "https://w3id.org/egkg/id/person/a%2Fb",
    "https://w3id.org/egkg/id/person/<script>",
    "https://w3id.org/egkg/id/participation/x/y",
    "https://example.org/person/x",
    "https://w3id.org/egkg/id/person/",
])
def test_iris_that_are_not_plain_slugs_get_no_page(iri):
    assert page_path(iri) is None


def _texts(items) -> str:
    return "".join(i if isinstance(i, str) else _texts(i.children) for i in items)


def _marks(items):
    for item in items:
        if isinstance(item, Mark):
            yield item
            yield from _marks(item.children)


def test_quote_layout_keeps_the_text_and_nests_quotes_exactly():
    text = "0123456789abcdef"
    tree, crossing = layout(text, {(0, 10), (2, 5), (2, 4), (5, 12), (12, 16)})
    assert _texts(tree) == text
    assert {(m.start, m.end): _texts(m.children) for m in _marks(tree)} == {
        (0, 10): "0123456789", (2, 5): "234", (2, 4): "23", (12, 16): "cdef"}
    assert crossing == [(5, 12)]


@pytest.fixture(scope="module")
def site(good_build, tmp_path_factory):
    target = tmp_path_factory.mktemp("site-unit") / "site"
    counts = write_site(OxigraphEngine(good_build.out_dir / "store"), target, DATA)
    return target, counts


def test_every_page_kind_is_written(site):
    target, counts = site
    assert set(counts) == {"person", "org", "post", "meeting", "regulation", "region", "source"}
    assert all(counts[kind] > 0 for kind in counts)
    assert (target / "person" / "andap-budhi-revianto.html").is_file()
    assert (target / "org" / "kpu-kab-sijunjung.html").is_file()
    assert len(list((target / "source").glob("*.html"))) == counts["source"] == 5


def test_the_same_store_gives_the_same_bytes(site, good_build, tmp_path):
    target, _ = site
    again = tmp_path / "again"
    write_site(OxigraphEngine(good_build.out_dir / "store"), again, DATA)
    assert tree_digest(again) == tree_digest(target)


def test_the_same_store_gives_the_same_bytes_whatever_the_hash_seed(good_build, tmp_path, monkeypatch):
    """Python salts string hashes per process, so one process writing twice cannot see a page that
    follows a set's order (sources numbered as a set yields them): separate runs with other seeds can."""
    digests = {}
    for seed in ("0", "1", "2", "3"):
        monkeypatch.setenv("PYTHONHASHSEED", seed)
        result = run_egkg("site", "--build", good_build.out_dir, "--data", DATA, "--out", tmp_path / seed)
        assert result.returncode == 0, result.stderr
        digests[seed] = tree_digest(tmp_path / seed)
    differ = sorted({name for d in digests.values() for name, digest in d.items() if digests["0"].get(name) != digest})
    assert differ == [] and len({len(d) for d in digests.values()}) == 1


def test_a_file_as_output_is_refused_and_left_alone(good_build, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="file"):
        write_site(OxigraphEngine(good_build.out_dir / "store"), path, DATA)
    assert path.read_text(encoding="utf-8") == "mine"


def test_a_directory_holding_other_files_is_never_overwritten(good_build, tmp_path):
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / "thesis.odt").write_text("years of work", encoding="utf-8")
    with pytest.raises(InputError, match="not empty"):
        write_site(OxigraphEngine(good_build.out_dir / "store"), tmp_path / "home", DATA)
    assert [p.name for p in (tmp_path / "home").iterdir()] == ["thesis.odt"]


def test_an_archived_text_changed_since_the_build_stops_the_site_and_keeps_the_old_one(site, good_build, tmp_path):
    target, _ = site
    earlier = tmp_path / "site"
    shutil.copytree(target, earlier)
    before = tree_digest(earlier)
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    text = next((data / "sources").glob("000_*.txt"))
    text.write_text("x" * 20 + text.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(InputError, match="run `egkg build` again") as caught:
        write_site(OxigraphEngine(good_build.out_dir / "store"), earlier, data)
    assert caught.value.problem.file is not None and text.name in str(caught.value.problem.file)
    assert tree_digest(earlier) == before


@pytest.mark.parametrize("url, shown", [
    ("https://example.org/a?b=1", True), ("http://example.org/", True),
    ("javascript:alert(1)", False), ("JAVASCRIPT:alert(1)", False), ("data:text/html,<script>", False),
    ("//example.org/x", False), ("https://exa mple.org/", False), ("file:///etc/passwd", False),
])
def test_only_http_urls_become_links(url, shown):
    from kg_builder.site.pages import safe_url
    assert (safe_url(url) == url) is shown


def test_each_quote_link_of_a_fact_has_its_own_label():
    """Two quotes from one source read [1a] [1b], not [1] [1]; a source's only quote stays [n]."""
    from kg_builder.site.data import Quote, SiteData
    from kg_builder.site.pages import Page

    a, b = "https://w3id.org/egkg/id/source/a", "https://w3id.org/egkg/id/source/b"
    data = SiteData()
    fact = "https://w3id.org/egkg/id/person/x"
    data.quotes[fact] = sorted([Quote(a, 0, 10, "first"), Quote(a, 20, 30, "second"), Quote(b, 5, 8, "third")])
    page = Page("person/x.html", data, {a, b})
    cited = page.evidence(fact)["quotes"]
    assert [q["label"] for q in cited] == ["1a", "1b", "2"]
    assert [q["href"] for q in cited] == ["../source/a.html#q-0-10", "../source/a.html#q-20-30",
                                          "../source/b.html#q-5-8"]
    # The numbers stay the page's source numbers: a later fact citing b alone is still [2].
    data.quotes["https://w3id.org/egkg/id/person/y"] = [Quote(b, 5, 8, "third")]
    assert [q["label"] for q in page.evidence("https://w3id.org/egkg/id/person/y")["quotes"]] == ["2"]


def _between(html: str, start: str, end: str) -> str:
    assert start in html, start
    return html.partition(start)[2].partition(end)[0]


def test_a_person_page_draws_the_ego_network_with_links_to_each_node(site):
    target, _ = site
    page = target / "person" / "andap-budhi-revianto.html"
    html = page.read_text(encoding="utf-8")
    svg = _between(html, '<svg class="ego"', "</svg>")
    partners = re.findall(r'<a href="([^"]+)">', _between(html, '<ol class="partners">', "</ol>"))
    drawn = re.findall(r'<a href="([^"]+)"', svg)
    assert partners and set(partners[:10]) <= set(drawn)
    assert all((page.parent / href).resolve().is_file() for href in drawn)
    assert "Andap Budhi Revianto" in svg and "<title>" in svg  # the full name, for truncated labels too
    assert not re.search(r"\son\w+=", svg)


def test_a_person_page_has_a_dated_timeline_of_meetings_and_posts(site):
    target, _ = site
    html = (target / "person" / "andap-budhi-revianto.html").read_text(encoding="utf-8")
    timeline = _between(html, '<ol class="timeline">', "</ol>")
    dates = re.findall(r'<time datetime="([0-9-]+)"', timeline)
    assert dates and dates == sorted(dates)
    assert 'href="../meeting/2024-11-06-rakor-pilkada-sultra.html"' in timeline
    assert 'href="../post/gubernur-sultra.html"' in timeline


def test_the_tile_map_declares_each_gazetteer_province_once():
    import csv

    from kg_builder.site.writer import PROVINCES

    with PROVINCES.open(encoding="utf-8", newline="") as handle:
        tiles = list(csv.DictReader(handle))
    with (DATA / "reference" / "idn-area-data" / "provinces.csv").open(encoding="utf-8", newline="") as handle:
        gazetteer = {row["code"]: row["name"] for row in csv.DictReader(handle)}
    assert {t["code"]: t["name"] for t in tiles} == gazetteer and len(tiles) == len(gazetteer) == 38
    assert len({(t["row"], t["col"]) for t in tiles}) == 38  # no two provinces on one square
    assert len({t["abbreviation"] for t in tiles}) == 38


def test_the_index_map_links_the_provinces_with_data_and_greys_the_rest(site):
    target, _ = site
    html = (target / "index.html").read_text(encoding="utf-8")
    svg = _between(html, '<svg class="tile-map"', "</svg>")
    assert svg.count('class="tile has-data"') + svg.count('class="tile no-data"') == 38
    linked = re.findall(r'<a href="(region/[0-9]+\.html)">', svg)
    pages = {f"region/{p.name}" for p in (target / "region").glob("*.html") if "." not in p.stem}
    assert set(linked) == pages and len(linked) == svg.count('class="tile has-data"')
    assert "region/74.html" in linked  # Sulawesi Tenggara: the Pj Gubernur and its meetings
    sultra = _between(svg, '<a href="region/74.html">', "</a>")
    assert re.search(r"Sulawesi Tenggara \(74\): [1-9][0-9]* rapat, [1-9][0-9]* Pj", sultra), sultra
