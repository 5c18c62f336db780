"""The site in real headless Chromium: clean offline pages, no broken link, quote links land, search, no XSS."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pyoxigraph as ox
import pytest

from kg_builder.engines import OxigraphEngine
from kg_builder.load.evidence import normalise
from kg_builder.pipeline.build import build
from kg_builder.site import KINDS, write_site
from kg_builder.site.data import EGKG

from .browser import needs_browser, open_page
from .conftest import DATA

pytestmark = needs_browser
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "build" / "test-artifacts" / "site"
# One page of each kind, from the five-article corpus.
SAMPLES = {
    "index": "index.html",
    "person": "person/andap-budhi-revianto.html",
    "org": "org/kpu-kab-sijunjung.html",
    "post": "post/gubernur-sultra.html",
    "meeting": "meeting/2024-11-06-rakor-pilkada-sultra.html",
    "regulation": "regulation/uu_2016_10.html",
    "region": "region/74.html",
    "source": "source/chanetujuh-2024-11-06-rakor-pilkada-sultra.html",
}
HOSTILE_NAME = "<img src=x onerror=alert(2)>\u202egnp.exe"
HOSTILE_QUOTE = '"><svg onload=alert(3)>'
HOSTILE_NOTE = "<script>alert(1)</script> javascript:alert(4)"


@pytest.fixture(scope="module")
def site(good_build, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("site") / "site"
    write_site(OxigraphEngine(good_build.out_dir / "store"), target, DATA)
    return target


def _keep(shot: Path) -> None:
    """Screenshots stay with the test's tmp dir and are copied where a reviewer finds them."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, ARTIFACTS / shot.name)


def test_every_kind_is_sampled():
    assert set(SAMPLES) == {"index", *KINDS}


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_each_page_kind_loads_offline_without_errors(site, kind, tmp_path):
    shot = tmp_path / f"site-{kind}.png"
    with open_page(site / SAMPLES[kind], screenshot=shot, wait_for="document.readyState === 'complete'") as visit:
        visit.assert_clean()
        assert visit.evaluate("document.querySelectorAll('meta[http-equiv=\"Content-Security-Policy\"]').length") == 1
        assert visit.evaluate("document.querySelectorAll('h1').length") == 1
    _keep(shot)
    phone = tmp_path / f"site-{kind}-phone.png"
    with open_page(site / SAMPLES[kind], screenshot=phone, viewport=(390, 844)) as visit:
        # Readable on a phone: nothing wider than the screen but the scrollable claims table.
        assert visit.evaluate("document.documentElement.scrollWidth") <= 390
        visit.assert_clean()
    _keep(phone)


def _targets(page_file: Path, html: str) -> list[tuple[Path, str]]:
    """Every local href/src of a page as (file, fragment)."""
    found = []
    for url in re.findall(r'(?:href|src)="([^"]*)"', html):
        parts = urlsplit(url.replace("&amp;", "&"))
        if parts.scheme or parts.netloc:
            continue  # external links (source URLs) are checked for scheme elsewhere
        target = (page_file.parent / unquote(parts.path)).resolve() if parts.path else page_file
        found.append((target, unquote(parts.fragment)))
    return found


def test_a_crawl_of_the_whole_site_finds_no_broken_link(site):
    pages = sorted(site.rglob("*.html"))
    ids = {p.resolve(): set(re.findall(r'\bid="([^"]+)"', p.read_text(encoding="utf-8"))) for p in pages}
    broken, links = [], 0
    for page in pages:
        for target, fragment in _targets(page, page.read_text(encoding="utf-8")):
            links += 1
            if not target.is_file() or not target.is_relative_to(site.resolve()):
                broken.append(f"{page.relative_to(site)} -> {target}")
            elif fragment and fragment not in ids.get(target, set()):
                broken.append(f"{page.relative_to(site)} -> {target.name}#{fragment}")
    assert links > 1000 and not broken, broken[:20]
    # Every page is reachable from the index.
    reachable, frontier = set(), [(site / "index.html").resolve()]
    while frontier:
        page = frontier.pop()
        if page in reachable or page.suffix != ".html":
            continue
        reachable.add(page)
        frontier += [t for t, _ in _targets(page, page.read_text(encoding="utf-8"))]
    assert {p.resolve() for p in pages} <= reachable


@pytest.mark.parametrize("kind", ["person", "meeting", "org"])
def test_a_facts_quote_link_lands_on_the_highlighted_quote(site, kind, tmp_path):
    with open_page(site / SAMPLES[kind]) as visit:
        cited = visit.evaluate("""Array.from(document.querySelectorAll('details.quotes li')).map(li => [
            li.querySelector('a').getAttribute('href'), li.querySelector('q').textContent])""")
        assert len(cited) >= 3
    for href, quote in cited[:3] + cited[-2:]:
        path, _, anchor = href.partition("#")
        assert anchor.startswith("q-")
        with open_page((site / SAMPLES[kind]).parent / path) as visit:
            visit.page.goto(visit.url + "#" + anchor)
            landed = visit.evaluate("""(() => { const t = document.querySelector(':target');
                return t && [t.textContent, getComputedStyle(t).backgroundColor, t.getBoundingClientRect().top,
                             window.innerHeight]; })()""")
            assert landed is not None, href
            text, colour, top, height = landed
            assert normalise(text) == normalise(quote)
            assert colour == "rgb(255, 201, 77)"  # the :target highlight, not the ordinary one
            assert 0 <= top < height  # scrolled into view
            visit.assert_clean()
    shot = tmp_path / "site-quote-target.png"
    with open_page((site / SAMPLES[kind]).parent / cited[0][0].partition("#")[0]) as visit:
        visit.page.goto(visit.url + "#" + cited[0][0].partition("#")[2])
        visit.screenshot(shot)
    _keep(shot)


@pytest.mark.parametrize("typed, expected", [
    ("suharmanto", "person/edy-suharmanto.html"),
    ("andap", "person/andap-budhi-revianto.html"),
    ("KPU Sijunjung", "org/kpu-kab-sijunjung.html"),
    ("kpu sijunjung", "org/kpu-kab-sijunjung.html"),
    ("SIJÚNJUNG", "org/kpu-kab-sijunjung.html"),
    ("Sulawesi Teng", "region/74.html"),
    # Inside a word, not only at its start: "armanto" is the end of Suharmanto. ("harmanto" is found
    # anyway, one letter from the printed variant "Edy hermanto"; "armanto" is two from every word.)
    ("armanto", "person/edy-suharmanto.html"),
    ("ARMÁNTO", "person/edy-suharmanto.html"),
    ("vianto", "person/andap-budhi-revianto.html"),
    ("kpu junjung", "org/kpu-kab-sijunjung.html"),
])
def test_the_search_box_finds_partial_names_and_acronyms(site, typed, expected, tmp_path):
    with open_page(site / SAMPLES["meeting"]) as visit:
        visit.page.fill("#q", typed)
        visit.wait_for("document.querySelectorAll('#results a').length > 0")
        hrefs = visit.evaluate("Array.from(document.querySelectorAll('#results a')).map(a => a.getAttribute('href'))")
        assert f"../{expected}" in hrefs[:5], hrefs
        visit.page.click(f"#results a[href='../{expected}']")
        visit.page.wait_for_load_state("load")
        assert visit.page.url.endswith(expected)
        visit.assert_clean()


def test_the_language_switch_shows_english(site):
    with open_page(site / SAMPLES["person"]) as visit:
        assert visit.evaluate("document.querySelector('h2 .t-id').offsetParent !== null")
        visit.page.click("#lang")
        assert visit.evaluate("document.documentElement.lang") == "en"
        assert visit.evaluate("document.querySelector('h2 .t-id').offsetParent === null")
        assert visit.evaluate("document.querySelector('h2 .t-en').textContent") == "Name variants"


HOSTILE_URL = "javascript:alert(5)"


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    """A build whose names, quotes and notes carry script payloads and an RTL override, as scraped text might.

    The payloads reach every page kind: a person's name and a participation's quote and note; a post's
    label and a holding's quote (so the region page lists both); a regulation's title and quote; an
    institution's quote; and a `javascript:` URL on the source, put into the store directly since the
    record format refuses one (a store is not only written by `egkg build` from checked records).
    """
    root = tmp_path_factory.mktemp("hostile-site")
    data = root / "data"
    shutil.copytree(DATA, data)
    text_file = data / "sources" / "004_dc520509730166cf.txt"
    sentence = f"\nHadir pula {HOSTILE_NAME} dan {HOSTILE_QUOTE} dalam rapat tersebut.\n"
    text_file.write_text(text_file.read_text(encoding="utf-8") + sentence, encoding="utf-8")
    record = data / "records" / "004-eksposisi-2024-11-18-rakor-pilkada-kukar.yaml"
    text = record.read_text(encoding="utf-8")
    quote_too = f"\n{' ' * 6}- '{HOSTILE_QUOTE}'\n"
    for old, new in [
        ("\npersons:\n", f"\npersons:\n  - id: hostile-person\n    name: '{HOSTILE_NAME}'\n    evidence: '{HOSTILE_NAME}'\n"),
        ("\n    participants:\n", "\n    participants:\n      - who: person/hostile-person\n"
                                 f"        evidence: '{HOSTILE_QUOTE}'\n        note: '{HOSTILE_NOTE}'\n"),
        ("\n    label: Bupati Kutai Kartanegara\n", f"\n    label: 'Bupati {HOSTILE_NAME}'\n"),
        ('\n    attested_on: [2024-11-18]\n    evidence: "Pejabat Sementara (Pjs) Bupati Kabupaten Kutai Kartanegara (Kukar) Bambang Arwanto"\n',
         '\n    attested_on: [2024-11-18]\n    evidence:\n      - "Pejabat Sementara (Pjs) Bupati Kabupaten Kutai Kartanegara (Kukar) Bambang Arwanto"'
         + quote_too),
        # The record cites no regulation (its "Pancasila dan UUD 1945" is rhetoric): one is added for the payload.
        ("\nelections:\n", "\nregulations:\n  - id: uud/1945\n    type: uud\n    year: 1945\n"
                          f"    title: 'Undang-Undang Dasar {HOSTILE_NAME}'\n    printed: Undang-Undang Dasar Tahun 1945\n"
                          '    evidence:\n      - "Undang-Undang Dasar Tahun 1945"' + quote_too + "\nelections:\n"),
        ('\n      - "antara Pemda dengan KPU, BAWASLU, TNI dan KEPOLISIAN"\n',
         '\n      - "antara Pemda dengan KPU, BAWASLU, TNI dan KEPOLISIAN"' + quote_too),
    ]:
        text = _replace_once(text, old, new)
    record.write_text(text, encoding="utf-8")
    build(data, root / "build")
    store = ox.Store(str(root / "build" / "store"))
    source = ox.NamedNode("https://w3id.org/egkg/id/source/eksposisi-2024-11-18-rakor-pilkada-kukar")
    store.add(ox.Quad(source, ox.NamedNode(EGKG + "url"), ox.Literal(HOSTILE_URL), ox.DefaultGraph()))
    write_site(OxigraphEngine(store), root / "site", data)
    return root / "site"


HOSTILE_PAGES = {
    "person": "person/hostile-person.html",
    "meeting": "meeting/2024-11-18-rakor-pilkada-kukar.html",
    "source": "source/eksposisi-2024-11-18-rakor-pilkada-kukar.html",
    "org": "org/pemkab-kutai-kartanegara.html",
    "post": "post/bupati-kutai-kartanegara.html",
    "regulation": "regulation/uud_1945.html",
    "region": "region/64.02.html",
    "index": "index.html",
}


def test_hostile_text_is_tried_on_every_page_kind():
    assert set(HOSTILE_PAGES) == {"index", *KINDS}


@pytest.mark.parametrize("kind", sorted(HOSTILE_PAGES))
def test_hostile_text_is_shown_as_text_never_run(hostile_site, kind, tmp_path):
    shot = tmp_path / f"site-hostile-{kind}.png"
    with open_page(hostile_site / HOSTILE_PAGES[kind], screenshot=shot) as visit:
        visit.page.fill("#q", "img src")
        visit.wait_for("document.querySelectorAll('#results a').length > 0")
        assert visit.dialogs == [] and visit.page_errors == [] and visit.external_requests == []
        # The only SVG is the site's own drawings; no element anywhere carries an event handler.
        assert visit.evaluate("document.querySelectorAll('img, script:not([src]), svg:not(.ego):not(.tile-map), "
                              "svg svg, foreignObject').length") == 0
        assert visit.evaluate("Array.from(document.querySelectorAll('*')).filter(e => "
                              "Array.from(e.attributes).some(a => a.name.startsWith('on'))).length") == 0
        assert visit.evaluate("Array.from(document.querySelectorAll('a[href]')).filter("
                              "a => !/^(\\.\\.\\/|[a-z0-9-]+\\/|#|index\\.html|https?:)/.test(a.getAttribute('href'))).length") == 0
        body = visit.evaluate("document.body.textContent")
        assert "<img src=x onerror=alert(2)>" in body
        if kind != "index":  # the index lists names only; every other kind shows a hostile quote too
            assert HOSTILE_QUOTE in body
        if kind == "source":  # shown, never made a link (the href check above finds no javascript:)
            assert HOSTILE_URL in body
        # The RTL override stays inside an isolating element, so it cannot reorder the text around it.
        assert visit.evaluate("Array.from(document.querySelectorAll('bdi')).some(b => b.textContent.includes('\\u202e'))")
        outside = visit.evaluate("""(() => { const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            const found = []; for (let n = walk.nextNode(); n; n = walk.nextNode()) {
              if (n.textContent.includes('\\u202e') && !n.parentElement.closest('bdi')) found.push(n.parentElement.outerHTML); }
            return found; })()""")
        assert outside == []
    _keep(shot)


def test_hostile_quote_is_highlighted_as_text_in_its_source(hostile_site):
    page = hostile_site / HOSTILE_PAGES["person"]
    with open_page(page) as visit:
        href = visit.evaluate("document.querySelector('a.cite').getAttribute('href')")
    with open_page(page.parent / href.partition("#")[0]) as visit:
        visit.page.goto(visit.url + "#" + href.partition("#")[2])
        assert visit.evaluate("document.querySelector(':target').textContent") == HOSTILE_NAME
        assert visit.dialogs == []


@pytest.mark.parametrize("kind", ["person", "meeting", "org", "post", "region", "regulation"])
def test_a_facts_quote_links_are_distinct_and_its_markers_apart(site, kind):
    """No "[1][1]": each quote link of a fact has its own label; "satu sumber" and the quote toggle
    are separate words, and the toggle stays with its fact (not pushed out of a paragraph)."""
    with open_page(site / SAMPLES[kind]) as visit:
        found = visit.evaluate("""Array.from(document.querySelectorAll('.ev')).map(ev => {
            const labels = Array.from(ev.querySelectorAll(':scope > .cites .cite')).map(a => a.textContent);
            const single = ev.querySelector(':scope > .single'), summary = ev.querySelector(':scope > details > summary');
            let gap = null;
            if (single && summary) {
              // The last box of the flag and the first of the toggle: either may wrap over lines.
              const s = Array.from(single.getClientRects()).pop(), t = summary.getClientRects()[0];
              gap = Math.abs(s.top - t.top) < 4 ? t.left - s.right : 99;
            }
            return {labels, gap, listed: Array.from(ev.querySelectorAll('details li .cite')).map(a => a.textContent)};
        })""")
        stray = visit.evaluate("Array.from(document.querySelectorAll('details.quotes')).filter(d => !d.closest('.ev')).length")
    assert found and stray == 0
    for ev in found:
        assert len(ev["labels"]) == len(set(ev["labels"])), ev
        assert ev["listed"] == ev["labels"], ev
        assert ev["gap"] is None or ev["gap"] >= 4, ev


AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"


def _serious(visit) -> list[dict]:
    # preload: false: axe would re-fetch the stylesheets, which the page's connect-src 'none' refuses.
    violations = visit.evaluate("axe.run(document, {resultTypes: ['violations'], preload: false}).then(r => r.violations.map(v => "
                                "({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))")
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def test_the_accessibility_check_catches_a_serious_violation(site):
    """The check below can fail: an unlabelled button added to a page is reported as critical."""
    with open_page(site / SAMPLES["person"]) as visit:
        visit.evaluate(AXE.read_text(encoding="utf-8"))
        visit.evaluate("document.querySelector('main').append(document.createElement('button'))")
        assert {v["id"] for v in _serious(visit)} >= {"button-name"}


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_each_page_kind_has_no_serious_accessibility_violation(site, kind):
    """axe-core (vendored from npm) on each page kind, in Indonesian and in English: nothing serious or critical."""
    with open_page(site / SAMPLES[kind], wait_for="document.readyState === 'complete'") as visit:
        # Evaluated through the DevTools protocol: the page's CSP (script-src 'self') stays as it is.
        visit.evaluate(AXE.read_text(encoding="utf-8"))
        found = []
        for language in ("id", "en"):
            if language == "en":
                visit.page.click("#lang")
            found += [dict(v, language=language) for v in _serious(visit)]
        visit.assert_clean()
    assert found == [], found
