"""The views in real headless Chromium: load clean and offline, right counts, tooltips, no XSS."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from kg_builder.engines import OxigraphEngine
from kg_builder.pipeline.build import build
from kg_builder.views import write_views

from .browser import VIS_READY, needs_browser, open_page

pytestmark = needs_browser
ID = "https://w3id.org/egkg/id/"
ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = Path(os.environ.get("EGKG_TEST_OUTPUT", ROOT / "build" / "test-output")) / "screenshots"
PAYLOADS = ["<script>alert(1)</script>", "<img src=x onerror=alert(2)>", '"><svg onload=alert(3)>']
NETWORK_PAGES = ("coordination.html", "institutions.html", "meetings.html")


@pytest.fixture(scope="module")
def views(good_build, tmp_path_factory) -> tuple[Path, dict]:
    target = tmp_path_factory.mktemp("views")
    drawn = write_views(OxigraphEngine(good_build.out_dir / "store"), target)
    return target, drawn


@pytest.mark.parametrize("page", ["index.html", "timeline.html", *NETWORK_PAGES])
def test_page_loads_offline_without_errors(views, page):
    target, drawn = views
    ready = VIS_READY if page in NETWORK_PAGES else "window.egkgReady === true || document.readyState === 'complete'"
    with open_page(target / page, screenshot=SCREENSHOTS / page.replace(".html", ".png"), wait_for=ready) as visit:
        visit.assert_clean()
        if page in NETWORK_PAGES:
            nodes, edges = drawn[page]
            assert visit.evaluate("egkgData.nodeView.length") == nodes
            assert visit.evaluate("egkgData.edgeView.length") == edges


def test_hovering_a_node_shows_name_and_post(views):
    target, _ = views
    with open_page(target / "coordination.html", wait_for=VIS_READY) as visit:
        visit.hover_vis_node(ID + "person/edy-suharmanto")
        visit.wait_for("document.querySelector('.vis-tooltip') && document.querySelector('.vis-tooltip').style.visibility !== 'hidden'")
        text = visit.evaluate("document.querySelector('.vis-tooltip').innerText")
        assert "Edy Suharmanto" in text and "Bupati Bombana (Pj)" in text
        visit.assert_clean()


def test_filters_change_what_is_shown(views):
    target, drawn = views
    with open_page(target / "coordination.html", wait_for=VIS_READY) as visit:
        total = visit.evaluate("egkgData.edgeView.length")
        visit.evaluate("(() => { const f = document.getElementById('from'); f.value = '2024-11-10'; f.dispatchEvent(new Event('change')); })()")
        assert 0 < visit.evaluate("egkgData.edgeView.length") < total
        visit.evaluate("(() => { const t = document.getElementById('type'); t.value = 'Forum'; t.dispatchEvent(new Event('change')); })()")
        assert 0 < visit.evaluate("egkgData.nodeView.length") < drawn["coordination.html"][0]


@pytest.fixture(scope="module")
def hostile_views(tmp_path_factory) -> Path:
    """A build whose names and quotes carry script payloads, as scraped text might."""
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(ROOT / "data", data)
    text_file = data / "sources" / "004_dc520509730166cf.txt"
    sentence = "\nHadir pula " + " dan ".join(PAYLOADS) + " javascript:alert(4) dalam rapat tersebut.\n"
    text_file.write_text(text_file.read_text(encoding="utf-8") + sentence, encoding="utf-8")
    record = data / "records" / "004-eksposisi-2024-11-18-rakor-pilkada-kukar.yaml"
    person = (
        "persons:\n"
        "  - id: hostile-person\n"
        "    name: '<img src=x onerror=alert(2)>'\n"
        "    evidence: '<img src=x onerror=alert(2)>'\n"
    )
    participant = (
        "    participants:\n"
        "      - who: person/hostile-person\n"
        "        evidence: '\"><svg onload=alert(3)>'\n"
        "        note: '<script>alert(1)</script> javascript:alert(4)'\n"
    )
    text = record.read_text(encoding="utf-8")
    assert "\npersons:\n" in text and "\n    participants:\n" in text
    text = text.replace("\npersons:\n", "\n" + person, 1).replace("\n    participants:\n", "\n" + participant, 1)
    record.write_text(text, encoding="utf-8")
    out = root / "build"
    build(data, out)
    write_views(OxigraphEngine(out / "store"), out / "views")
    return out / "views"


@pytest.mark.parametrize("page", ["index.html", "timeline.html", *NETWORK_PAGES])
def test_hostile_text_is_shown_never_executed(hostile_views, page):
    ready = VIS_READY if page in NETWORK_PAGES else "document.readyState === 'complete'"
    with open_page(hostile_views / page, screenshot=SCREENSHOTS / f"hostile-{page.replace('.html', '.png')}", wait_for=ready) as visit:
        if page in ("coordination.html", "meetings.html"):
            visit.hover_vis_node(ID + "person/hostile-person")
            visit.wait_for("document.querySelector('.vis-tooltip') && document.querySelector('.vis-tooltip').style.visibility !== 'hidden'")
            assert "<img src=x onerror=alert(2)>" in visit.evaluate("document.querySelector('.vis-tooltip').innerText")
            visit.evaluate("(() => { const s = document.getElementById('search'); s.value = '<img src=x onerror=alert(2)>'; s.dispatchEvent(new Event('change')); })()")
        assert visit.dialogs == []
        assert visit.page_errors == []
        assert visit.external_requests == []
        assert visit.evaluate("document.querySelectorAll('img, svg[onload], script:not([type]):not([src])').length") <= 2
