"""The network pages and the timeline as a reader uses them, in real headless Chromium.

Same layout on every load, no overlapping labels, a legend in words, search by any part of a name,
filters that recount and refit, downloads that are real images, shareable URLs, phones, site links.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kg_builder.engines import OxigraphEngine
from kg_builder.views import write_views

from .browser import VIS_READY, needs_browser, open_page

pytestmark = needs_browser
ID = "https://w3id.org/egkg/id/"
EDY = ID + "person/edy-suharmanto"
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(os.environ.get("EGKG_TEST_OUTPUT", ROOT / "build" / "test-output")) / "views"
# Laid out, labels moved apart, handlers attached.
READY = VIS_READY
PHONE = (390, 844)

LABEL_BOXES = """() => network.body.nodeIndices.map(id => {
  const s = network.body.nodes[id].labelModule.size;
  return {id, left: s.left, top: s.top, right: s.left + s.width, bottom: s.top + s.height};
})"""
SET = """([id, value]) => { const e = document.getElementById(id);
  if (e.type === 'checkbox') { e.checked = value; } else { e.value = value; }
  e.dispatchEvent(new Event(e.type === 'checkbox' || e.tagName === 'SELECT' ? 'change' : 'input')); }"""


@pytest.fixture(scope="module")
def build_dir(good_build, tmp_path_factory) -> Path:
    """BUILD/views next to a BUILD/site holding one entity page, as `egkg site` would have written it."""
    root = tmp_path_factory.mktemp("viewbuild")
    page = root / "site" / "person" / "edy-suharmanto.html"
    page.parent.mkdir(parents=True)
    page.write_text("<!DOCTYPE html><title>Edy Suharmanto</title><p>entity page</p>", encoding="utf-8")
    write_views(OxigraphEngine(good_build.out_dir / "store"), root / "views")
    return root


def _positions(views: Path, page: str) -> dict:
    with open_page(views / page, wait_for=READY) as visit:
        visit.assert_clean()
        return visit.evaluate("network.getPositions()")


@pytest.mark.parametrize("page", ["coordination.html", "institutions.html"])
def test_same_layout_on_every_load(build_dir, page):
    first, second = _positions(build_dir / "views", page), _positions(build_dir / "views", page)
    assert first and set(first) == set(second)
    moved = {n: (first[n], second[n]) for n in first
             if abs(first[n]["x"] - second[n]["x"]) > 0.5 or abs(first[n]["y"] - second[n]["y"]) > 0.5}
    assert moved == {}


def _overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    return [(a["id"], b["id"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]]


@pytest.mark.parametrize("page", ["coordination.html", "institutions.html", "meetings.html"])
def test_no_two_labels_overlap(build_dir, page):
    with open_page(build_dir / "views" / page, wait_for=READY,
                   screenshot=ARTIFACTS / f"labels-{page.replace('.html', '.png')}") as visit:
        boxes = visit.evaluate(LABEL_BOXES)
        assert len(boxes) > 10 and all(b["right"] > b["left"] for b in boxes)
        assert _overlaps(boxes) == []


def test_legend_names_kinds_in_words_with_shapes_sizes_and_lines(build_dir):
    with open_page(build_dir / "views" / "coordination.html", wait_for=READY) as visit:
        legend = visit.evaluate("document.getElementById('legend').innerText")
        for words in ("Orang / Person", "Jabatan / Post", "Kelompok Pejabat / Group of office holders",
                      "Kepolisian / Police", "Penjabat", "rapat bersama / shared meeting"):
            assert words in legend, words
        assert "OfficeHolderGroup" not in legend and "ElectionCommission" not in legend
        shapes = visit.evaluate("Object.fromEntries(egkgData.nodes.get().map(n => [n.egkgKind, n.shape]))")
        assert len(set(shapes.values())) == len(shapes) >= 4, shapes


def test_persons_only_switch(build_dir):
    with open_page(build_dir / "views" / "coordination.html", wait_for=READY) as visit:
        total = visit.evaluate("egkgData.nodeView.length")
        visit.evaluate(SET, ["persons-only", True])
        kinds = visit.evaluate("egkgData.nodeView.get().map(n => n.egkgKind)")
        assert 0 < len(kinds) < total and set(kinds) == {"Person"}
        assert visit.evaluate("document.getElementById('counts').textContent").startswith(f"{len(kinds)} ")


def test_search_matches_any_part_or_acronym_and_says_no_match(build_dir):
    with open_page(build_dir / "views" / "coordination.html", wait_for=READY) as visit:
        visit.evaluate(SET, ["search", "suharm"])
        assert visit.evaluate("network.getSelectedNodes()") == [EDY]
        visit.evaluate(SET, ["search", "SUHÀRMANTO"])  # case and accents do not matter
        assert visit.evaluate("network.getSelectedNodes()") == [EDY]
        visit.evaluate(SET, ["search", "bawaslu"])  # an acronym (skos:altLabel)
        assert len(visit.evaluate("network.getSelectedNodes()")) >= 1
        assert "no match" not in visit.evaluate("document.getElementById('search-status').textContent")
        visit.evaluate(SET, ["search", "zzqx"])
        assert "tidak ditemukan / no match" in visit.evaluate("document.getElementById('search-status').textContent")
        assert visit.evaluate("network.getSelectedNodes()") == []


def test_province_filter_recounts_refits_and_hides_tooltip(build_dir):
    with open_page(build_dir / "views" / "coordination.html", wait_for=READY) as visit:
        visit.hover_vis_node(EDY)
        visit.wait_for("document.querySelector('.vis-tooltip') && document.querySelector('.vis-tooltip').style.visibility !== 'hidden'")
        total = visit.evaluate("egkgData.edgeView.length")
        visit.evaluate(SET, ["province", "Kalimantan Timur"])
        nodes, edges = visit.evaluate("[egkgData.nodeView.length, egkgData.edgeView.length]")
        assert 0 < edges < total
        assert visit.evaluate("document.getElementById('counts').textContent").startswith(f"{nodes} nodes, {edges} edges")
        shown = set(visit.evaluate("egkgData.nodeView.getIds()"))
        assert all(e["from"] in shown and e["to"] in shown for e in visit.evaluate("egkgData.edgeView.get()"))
        assert visit.evaluate("document.querySelector('.vis-tooltip').style.visibility") == "hidden"
        # Refitted: the Kaltim nodes fill the canvas instead of sitting in a corner of the old view.
        spread = visit.evaluate("""() => { const c = network.body.container.getBoundingClientRect();
            const d = Object.values(network.getPositions(egkgData.nodeView.getIds())).map(p => network.canvasToDOM(p));
            return [Math.min(...d.map(p => p.x)), Math.max(...d.map(p => p.x)), c.width,
                    Math.min(...d.map(p => p.y)), Math.max(...d.map(p => p.y)), c.height]; }""")
        left, right, width, top, bottom, height = spread
        assert left >= 0 and right <= width and top >= 0 and bottom <= height
        assert (right - left) > width / 3 or (bottom - top) > height / 3


def test_downloads_are_valid_png_and_svg_with_title_and_credit(build_dir, tmp_path):
    with open_page(build_dir / "views" / "coordination.html", wait_for=READY) as visit:
        visit.evaluate(SET, ["province", "Sulawesi Tenggara"])
        saved = {}
        for kind in ("png", "svg"):
            with visit.page.expect_download() as download:
                visit.page.click(f"#download-{kind}")
            saved[kind] = tmp_path / download.value.suggested_filename
            download.value.save_as(saved[kind])
    png = saved["png"].read_bytes()
    assert saved["png"].suffix == ".png" and png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000
    from PIL import Image
    with Image.open(saved["png"]) as image:
        assert image.width >= 800 and image.height >= 500
    root = ET.parse(saved["svg"]).getroot()
    assert saved["svg"].suffix == ".svg" and root.tag == "{http://www.w3.org/2000/svg}svg"
    text = " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))
    for words in ("Siapa berkoordinasi", "Sulawesi Tenggara", "egkg", "Sumber / Sources", "2024-11-06"):
        assert words in text, words
    assert "Edy Suharmanto" in text and "Kalimantan Timur" not in text
    assert len(list(root.iter("{http://www.w3.org/2000/svg}line"))) > 10


def test_url_keeps_the_filter_state_and_restores_it(build_dir):
    page = build_dir / "views" / "coordination.html"
    with open_page(page, wait_for=READY) as visit:
        visit.evaluate(SET, ["province", "Sulawesi Tenggara"])
        visit.evaluate(SET, ["persons-only", True])
        visit.evaluate(SET, ["search", "andap"])
        shared = visit.evaluate("location.href")
        expected = visit.evaluate("[egkgData.nodeView.length, egkgData.edgeView.length, network.getSelectedNodes()]")
        assert "#" in shared and "province=" in shared
    with open_page(page, wait_for=READY) as visit:
        visit.page.goto("about:blank")
        visit.page.goto(shared)
        visit.wait_for(READY)
        assert visit.evaluate("document.getElementById('province').value") == "Sulawesi Tenggara"
        assert visit.evaluate("document.getElementById('persons-only').checked") is True
        assert visit.evaluate("[egkgData.nodeView.length, egkgData.edgeView.length, network.getSelectedNodes()]") == expected
        visit.assert_clean()


def test_phone_tap_shows_details_and_header_stays_small(build_dir):
    with open_page(build_dir / "views" / "coordination.html", wait_for=READY, viewport=PHONE) as visit:
        header = visit.evaluate("document.querySelector('header').getBoundingClientRect().height")
        assert header < 0.25 * PHONE[1]
        x, y = visit.vis_node_position(EDY)
        visit.page.mouse.click(x, y)
        visit.wait_for("document.getElementById('details').offsetHeight > 0")
        text = visit.evaluate("document.getElementById('details').innerText")
        assert "Edy Suharmanto" in text and "Bupati Bombana (Pj)" in text
        assert visit.evaluate("location.pathname").endswith("coordination.html")  # the tap did not navigate
        visit.screenshot(ARTIFACTS / "phone-tap-details.png")
        visit.assert_clean()


def test_click_opens_the_entity_page_when_the_site_has_one(build_dir):
    with open_page(build_dir / "views" / "coordination.html", wait_for=READY) as visit:
        pages = visit.evaluate("Object.fromEntries(egkgData.nodes.get().filter(n => n.page).map(n => [n.id, n.page]))")
        assert pages == {EDY: "../site/person/edy-suharmanto.html"}  # only the page that exists
        x, y = visit.vis_node_position(EDY)
        with visit.page.expect_navigation():
            visit.page.mouse.click(x, y)
        assert visit.evaluate("location.href").endswith("/site/person/edy-suharmanto.html")


def test_timeline_has_legend_labels_polling_day_and_full_axis(build_dir):
    with open_page(build_dir / "views" / "timeline.html", wait_for="document.readyState === 'complete'",
                   screenshot=ARTIFACTS / "timeline.png") as visit:
        visit.assert_clean()
        legend = visit.evaluate("document.getElementById('legend').innerText")
        for words in ("rapat / meeting", "definitif / definitive", "Pj", "pemungutan suara / polling day"):
            assert words in legend, words
        polling = visit.evaluate("[...document.querySelectorAll('.polling title')].map(t => t.textContent)")
        assert any("2024-11-27" in t for t in polling)
        meetings = visit.evaluate("""[...document.querySelectorAll('#timeline .meeting')].map(c => ({
            x: +c.getAttribute('cx'), y: +c.getAttribute('cy'), tip: c.querySelector('title').textContent}))""")
        spots = {(round(m["x"]), round(m["y"])) for m in meetings}
        assert len(meetings) >= 6 and len(spots) == len(meetings)  # two meetings never on one spot
        labels = visit.evaluate("[...document.querySelectorAll('#timeline .meeting-label')].map(t => t.textContent)")
        assert len(labels) == len(meetings) and all(labels)
        ticks = visit.evaluate("[...document.querySelectorAll('.tick')].map(t => +t.getAttribute('x1'))")
        xs = [m["x"] for m in meetings]
        assert min(ticks) <= min(xs) and max(ticks) >= max(xs)
