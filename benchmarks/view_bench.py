"""View benchmark: write synthetic coordination pages with the real renderer and time them in Chromium."""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # run as a script from anywhere: kg_builder and tests/browser.py

from kg_builder.views import PAGES, write_network_view  # noqa: E402

__all__ = ["SIZES", "synthetic_graph", "write_view", "interactive_seconds", "sweep", "main"]

SIZES = [(2_500, 12_500), (5_000, 25_000), (10_000, 50_000)]
ID = "https://w3id.org/egkg/id/"
FIRST = ["Agus", "Budi", "Siti", "Dewi", "Edy", "Andi", "Rahmat", "Sri", "Joko", "Wahyu", "Nur", "Hendra",
         "Yusuf", "Fitri", "Bambang", "Rina", "Teguh", "Ahmad", "Putri", "Irwan", "Made", "Ketut", "Lukas", "Maria"]
LAST = ["Suharmanto", "Santoso", "Hidayat", "Wibowo", "Kurniawan", "Saputra", "Nasution", "Siregar", "Lubis",
        "Harahap", "Revianto", "Kesuma", "Arwanto", "Pratama", "Setiawan", "Gunawan", "Sitompul", "Rumbiak",
        "Wijaya", "Hakim", "Tanjung", "Manurung", "Simanjuntak", "Daulay"]
PROVINCES = ["Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Jambi", "Sumatera Selatan", "Bengkulu", "Lampung",
             "Kepulauan Bangka Belitung", "Kepulauan Riau", "DKI Jakarta", "Jawa Barat", "Jawa Tengah",
             "DI Yogyakarta", "Jawa Timur", "Banten", "Bali", "Nusa Tenggara Barat", "Nusa Tenggara Timur",
             "Kalimantan Barat", "Kalimantan Tengah", "Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara",
             "Sulawesi Utara", "Sulawesi Tengah", "Sulawesi Selatan", "Sulawesi Tenggara", "Gorontalo",
             "Sulawesi Barat", "Maluku", "Maluku Utara", "Papua", "Papua Barat", "Papua Selatan", "Papua Tengah",
             "Papua Pegunungan", "Papua Barat Daya"]
BODIES = {"ElectionCommission": "KPU", "ElectionSupervisor": "Bawaslu", "EthicsCouncil": "DKPP",
          "RegionalGovernment": "Pemerintah", "GovernmentAgency": "Kesbangpol", "Police": "Polda",
          "Military": "Korem", "Prosecution": "Kejati", "Legislature": "DPRD", "Forum": "Forkopimda"}
POSTS = ["Bupati", "Wali Kota", "Gubernur", "Ketua KPU", "Ketua Bawaslu", "Kapolres", "Dandim", "Kajari", "Sekda"]
KINDS = ["Definitive", "Definitive", "Definitive", "Pj", "Plt", "Plh", "Pjs"]
OUTLETS = ["Antara", "Kompas", "Tribun", "Detik", "Tempo", "Eksposisi", "Radar"]
WORDS = ["rapat", "koordinasi", "pengamanan", "pemilihan", "kepala", "daerah", "tahapan", "logistik", "netralitas",
         "aparatur", "sipil", "negara", "pemungutan", "suara", "kampanye", "penyelenggara", "bersama", "wilayah"]


def synthetic_graph(nodes: int, edges: int, seed: int = 0) -> nx.Graph:
    """A party graph shaped like `network.party_graph`'s: typed, named nodes and dated, quoted edges.

    Deterministic for a given seed. Degrees are skewed (a few hubs, many leaves) as in the real
    coordination graph; every edge carries 1-3 shared meetings with date, place, article and quote.
    """
    if edges > nodes * (nodes - 1) // 2:
        raise ValueError(f"{edges} edges do not fit in a simple graph of {nodes} nodes")
    rng = random.Random(seed)
    graph = nx.Graph()
    types = list(BODIES)
    ids = []
    for i in range(nodes):
        province = rng.choice(PROVINCES)
        roll = rng.random()
        if roll < 0.6:
            name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            kinds = sorted({rng.choice(KINDS)})
            node = f"{ID}person/{name.lower().replace(' ', '-')}-{i}"
            data = {"label": name, "type": "Person", "institution_type": rng.choice(types),
                    "posts": [f"{rng.choice(POSTS)} {province} ({kinds[0]})"], "kinds": kinds}
        elif roll < 0.7:
            name = f"{rng.choice(POSTS)} {province}"
            node = f"{ID}post/{name.lower().replace(' ', '-')}-{i}"
            data = {"label": name, "type": "Post", "institution_type": rng.choice(types), "posts": [], "kinds": []}
        else:
            kind = rng.choice(types)
            name = f"{BODIES[kind]} {province}"
            node = f"{ID}org/{name.lower().replace(' ', '-')}-{i}"
            data = {"label": name, "type": kind, "institution_type": kind, "posts": [], "kinds": []}
        data["provinces"] = sorted({province, rng.choice(PROVINCES)} if rng.random() < 0.2 else {province})
        data["acting"] = any(k != "Definitive" for k in data["kinds"])
        graph.add_node(node, **data)
        ids.append(node)
    # Skewed endpoints: index = n * u^2 favours low indices, so early nodes become hubs.
    added = 0
    while added < edges:  # a counter: number_of_edges() walks every adjacency list
        a, b = ids[int(nodes * rng.random() ** 2)], ids[rng.randrange(nodes)]
        if a == b or graph.has_edge(a, b):
            continue
        meetings = []
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            province = rng.choice(graph.nodes[a]["provinces"])
            day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
            meetings.append({
                "meeting": f"{ID}meeting/rakor-{province.lower().replace(' ', '-')}-{day}",
                "label": f"Rakor Pilkada {province} {day}", "date": day, "place": province,
                "source": f"{rng.choice(OUTLETS)}: Rakor Pilkada di {province}",
                "quote": " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 24))).capitalize() + ".",
            })
        dates = [m["date"] for m in meetings]
        graph.add_edge(a, b, weight=len({m["meeting"] for m in meetings}), meetings=meetings,
                       first=min(dates), last=max(dates))
        added += 1
    return graph


def write_view(graph: nx.Graph, target: Path, *, max_nodes: int | None = None) -> dict:
    """Write `graph` as `egkg viz` writes coordination.html (views.write_network_view: keep the
    `max_nodes` most connected, size by centrality, render); seconds, bytes and drawn counts."""
    start = time.perf_counter()
    drawn = write_network_view(graph, target, title="Synthetic coordination view", note="view_bench",
                               links=PAGES, sizing="centrality", max_nodes=max_nodes)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "bytes": target.stat().st_size, "nodes": drawn[0], "edges": drawn[1]}


# The page signals readiness itself (templates/network.html): laid out, not moving, drawn once.
READY = "document.documentElement.dataset.ready === '1'"
TOOLTIP_SHOWN = "window.__benchPopupAt != null"


def _poll(visit, expression: str, timeout: float, step_ms: int = 10) -> None:
    # Short steps: a poll's delay adds to the measured hover time, so keep it small.
    deadline = time.monotonic() + timeout
    while not visit.evaluate(f"!!({expression})"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{visit.url}: `{expression}` not true after {timeout:g}s: {visit.problems()}")
        visit.page.wait_for_timeout(step_ms)


def interactive_seconds(html_path: Path, *, timeout: float = 120.0) -> dict:
    """Open a view in headless Chromium; how long until it is interactive, and what it requested.

    Clock: the page's own `performance.now()`, whose zero is navigation start, so browser start-up
    is not counted, but reading and parsing the file are.
    - `ready_s`: the page set `data-ready` (templates/network.html): laid out and not moving (small
      pages: vis-network's stabilizationIterationsDone fired and physics was switched off; large
      pages: positions came with the page and physics is off), drawn once, handlers attached;
    - `interactive_s`: as soon as ready was seen (polled every 10 ms), the real mouse is moved onto
      the biggest node; this is when vis-network showed a tooltip (its `showPopup` event), so it
      includes this harness's own latency and is an upper bound. A click must then select a node
      (`selected`), or the page does not count as interactive.
    - `cpu_s`: the page's main-thread CPU time at that moment (Chromium's ThreadTime metric): what
      the page cost, whatever else the machine was doing.
    Also: node/edge counts in the page's data, `external_requests` (requests to anything but
    file:/data:/about:/blob:, recorded and aborted by tests/browser.py) and `problems` (console
    errors such as CSP refusals, page errors, dialogs).
    """
    from tests.browser import open_page  # the project's Chromium harness: sandbox flags, watchdog

    with tempfile.TemporaryDirectory(prefix="view-bench-") as scratch:
        # Start on an empty local page, so CPU metrics can be switched on before the view loads.
        stub = Path(scratch) / "start.html"
        stub.write_text("<!DOCTYPE html><title>start</title>\n", encoding="utf-8")
        with open_page(stub, network_idle=False, timeout=timeout, hard_timeout=timeout * 3) as visit:
            return _visit(visit, Path(html_path), timeout)


def _metric(cdp, name: str) -> float:
    return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}[name]


def _visit(visit, html_path: Path, timeout: float) -> dict:
    """The measurements of `interactive_seconds`, from a tab already open on a blank local page."""
    cdp = visit.page.context.new_cdp_session(visit.page)
    cdp.send("Performance.enable", {"timeDomain": "threadTicks"})
    cpu_start = _metric(cdp, "ThreadTime")
    visit.url = html_path.resolve().as_uri()
    visit.page.goto(visit.url, wait_until="commit", timeout=timeout * 1000)
    _poll(visit, READY, timeout)
    # One round trip: listen for the tooltip, find the biggest node and where it is on screen.
    probe = visit.evaluate("""() => {
        window.__benchPopupAt = null;
        network.once('showPopup', () => { window.__benchPopupAt = performance.now(); });
        const hub = egkgData.nodes.get().reduce((a, b) => (b.size > a.size ? b : a));
        const p = network.canvasToDOM(network.getPositions([hub.id])[hub.id]);
        const box = network.body.container.querySelector('canvas').getBoundingClientRect();
        return {readyAt: window.egkgReadyAt, x: box.left + p.x, y: box.top + p.y, now: performance.now()};
    }""")
    visit.page.mouse.move(probe["x"] + 40, probe["y"] + 40)  # from off the node: a fresh hover
    visit.page.mouse.move(probe["x"], probe["y"], steps=4)
    _poll(visit, TOOLTIP_SHOWN, timeout)
    popup_ms = visit.evaluate("window.__benchPopupAt")
    cpu = _metric(cdp, "ThreadTime") - cpu_start
    visit.page.mouse.click(probe["x"], probe["y"])
    selected = visit.evaluate("network.getSelectedNodes().length") == 1
    counts = visit.evaluate("[egkgData.nodes.length, egkgData.edges.length, egkgData.nodeView.length,"
                            " egkgData.edgeView.length]")
    return {
        "ready_s": probe["readyAt"] / 1000, "interactive_s": popup_ms / 1000,
        "hover_s": (popup_ms - probe["now"]) / 1000, "cpu_s": cpu, "selected": selected,
        "page_nodes": counts[0], "page_edges": counts[1], "shown_nodes": counts[2], "shown_edges": counts[3],
        "external_requests": list(visit.external_requests), "problems": visit.problems(),
    }


def sweep(sizes: list[tuple[int, int]] = SIZES, out_dir: Path | None = None, *, browser: bool = True,
          seed: int = 0, repeat: int = 1) -> list[dict]:
    """Generate, write (and open) one page per size; per-edge time and its ratio to the first size.

    With `repeat` > 1 each page is written and opened that many times and the fastest run is kept
    (the others are in `seconds_all` / `interactive_all`): on a shared machine the minimum is the
    best estimate of what the code costs. `cpu_s` does not depend on the machine's load.
    """
    out_dir = Path(out_dir or tempfile.mkdtemp(prefix="view-bench-"))
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = []
    for nodes, edges in sizes:
        graph = synthetic_graph(nodes, edges, seed)
        target = out_dir / f"view-{nodes}x{edges}.html"
        runs = [write_view(graph, target) for _ in range(repeat)]
        row = {"nodes": nodes, "edges": edges, "path": str(target), **min(runs, key=lambda r: r["seconds"]),
               "seconds_all": [r["seconds"] for r in runs]}
        row["us_per_edge"] = row["seconds"] / edges * 1e6
        row["per_edge_ratio"] = row["us_per_edge"] / (rows[0]["us_per_edge"] if rows else row["us_per_edge"])
        if browser:
            visits = [interactive_seconds(target) for _ in range(repeat)]
            row["browser"] = min(visits, key=lambda v: v["interactive_s"])
            row["browser"]["interactive_all"] = [v["interactive_s"] for v in visits]
        rows.append(row)
    return rows


def _table(rows: list[dict]) -> str:
    head = f"{'nodes':>7} {'edges':>7} {'write s':>8} {'µs/edge':>8} {'ratio':>6} {'MB':>6}"
    if any("browser" in r for r in rows):
        head += f" {'ready s':>8} {'inter. s':>8} {'cpu s':>6} {'sel':>4} {'ext':>4}"
    lines = [head]
    for r in rows:
        line = (f"{r['nodes']:>7} {r['edges']:>7} {r['seconds']:>8.2f} {r['us_per_edge']:>8.1f}"
                f" {r['per_edge_ratio']:>6.2f} {r['bytes'] / 1e6:>6.1f}")
        if "browser" in r:
            b = r["browser"]
            line += (f" {b['ready_s']:>8.2f} {b['interactive_s']:>8.2f} {b['cpu_s']:>6.2f}"
                     f" {'yes' if b['selected'] else 'NO':>4} {len(b['external_requests']):>4}")
        lines.append(line)
    return "\n".join(lines)


def _sizes(text: str) -> list[tuple[int, int]]:
    return [tuple(int(v) for v in part.lower().split("x")) for part in text.split(",") if part]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=_sizes, default=SIZES,
                        help="NODESxEDGES,... (default " + ",".join(f"{n}x{e}" for n, e in SIZES) + ")")
    parser.add_argument("--out", type=Path, help="directory for the pages (default: a new temporary one)")
    parser.add_argument("--no-browser", action="store_true", help="only write the pages")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1, help="runs per size; the fastest is reported")
    args = parser.parse_args(argv)
    rows = sweep(args.sizes, args.out, browser=not args.no_browser, seed=args.seed, repeat=args.repeat)
    print(_table(rows))
    # Wall-clock seconds depend on what else runs; say how busy the machine was (cpu s does not).
    print(f"pages in {Path(rows[0]['path']).parent if rows else args.out}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    bad = [r for r in rows if r.get("browser") and (r["browser"]["external_requests"] or r["browser"]["problems"]
                                                     or not r["browser"]["selected"])]
    for r in bad:
        b = r["browser"]
        print(f"{r['path']}: {b['problems'] + b['external_requests'] or 'no node selected'}", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
