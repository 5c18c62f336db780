"""Static inline SVG figures (a person's ego network, the province map) built with ElementTree, so every text is escaped."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from markupsafe import Markup

__all__ = ["Node", "Tile", "ego_network", "tile_map"]

LABEL_CHARS = 26  # longer names are cut on the drawing; the full name is the node's <title>


@dataclass(frozen=True)
class Node:
    """One party on the drawing: its name, its page (None: drawn without a link) and its kind."""

    name: str
    href: str | None
    kind: str  # person or org: the stylesheet colours them apart
    weight: int = 0  # shared meetings with the centre


# Bidi controls (embeddings, overrides, isolates, marks): an SVG <text> cannot be isolated like an
# HTML <bdi>, so on a drawing a scraped "\u202e" could reorder the label; the page's lists keep them.
_BIDI = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def _plain(text: str) -> str:
    return text.translate(_BIDI)


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    text = _plain(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _svg(width: int, height: int, css_class: str, label: str) -> ET.Element:
    # role=group, not img: the drawing holds links a keyboard and a screen reader must reach.
    return ET.Element("svg", {"class": css_class, "viewBox": f"0 0 {width} {height}", "role": "group",
                              "aria-label": label, "xmlns": "http://www.w3.org/2000/svg"})


def _linked(parent: ET.Element, href: str | None, name: str) -> ET.Element:
    """An <a> (or a plain <g> when there is no page) holding a <title> with the full name."""
    group = ET.SubElement(parent, "a", {"href": href}) if href else ET.SubElement(parent, "g")
    ET.SubElement(group, "title").text = _plain(name)
    return group


def ego_network(centre: Node, partners: list[Node], ties: list[tuple[int, int, int]], label: str) -> Markup:
    """The centre in the middle, its partners on a circle in rank order, and their shared meetings as lines.

    `ties` are (i, j, count) between partners (indexes into `partners`); a tie to the centre is each
    partner's own weight. The layout is radial and fixed by the order alone, so the same graph
    always gives the same bytes and no label sits on the centre's.
    """
    width, height, radius = 760, 460, 170
    cx, cy = width / 2, height / 2
    svg = _svg(width, height, "ego", label)
    places = []
    for index, _ in enumerate(partners):
        angle = -math.pi / 2 + 2 * math.pi * index / max(len(partners), 1)
        places.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle), angle))
    lines = ET.SubElement(svg, "g", {"class": "ties"})
    for i, j, count in ties:
        (x1, y1, _), (x2, y2, _) = places[i], places[j]
        ET.SubElement(lines, "line", {"x1": f"{x1:.1f}", "y1": f"{y1:.1f}", "x2": f"{x2:.1f}", "y2": f"{y2:.1f}",
                                      "class": "tie", "stroke-width": str(min(count, 6))})
    for partner, (x, y, _) in zip(partners, places):
        ET.SubElement(lines, "line", {"x1": f"{cx:.1f}", "y1": f"{cy:.1f}", "x2": f"{x:.1f}", "y2": f"{y:.1f}",
                                      "class": "spoke", "stroke-width": str(1 + min(partner.weight, 6))})
    for partner, (x, y, angle) in zip(partners, places):
        group = _linked(svg, partner.href, f"{partner.name} ({partner.weight})")
        ET.SubElement(group, "circle", {"cx": f"{x:.1f}", "cy": f"{y:.1f}", "r": "9", "class": f"node {partner.kind}"})
        # Labels point away from the centre: left of the node on the left half, right on the right.
        right = math.cos(angle) >= -1e-9
        dx = 14 if right else -14
        dy = 18 if abs(math.cos(angle)) < 0.2 and math.sin(angle) > 0 else (-14 if abs(math.cos(angle)) < 0.2 else 5)
        anchor = "middle" if abs(math.cos(angle)) < 0.2 else ("start" if right else "end")
        text = ET.SubElement(group, "text", {"x": f"{x + (0 if anchor == 'middle' else dx):.1f}", "y": f"{y + dy:.1f}",
                                             "text-anchor": anchor})
        text.text = _short(partner.name)
    group = _linked(svg, centre.href, centre.name)
    ET.SubElement(group, "circle", {"cx": f"{cx:.1f}", "cy": f"{cy:.1f}", "r": "14", "class": f"node centre {centre.kind}"})
    text = ET.SubElement(group, "text", {"x": f"{cx:.1f}", "y": f"{cy + 32:.1f}", "text-anchor": "middle",
                                         "class": "centre-label"})
    text.text = _short(centre.name, 34)
    return Markup(ET.tostring(svg, encoding="unicode"))


@dataclass(frozen=True)
class Tile:
    """One province on the tile-grid map: where it sits, and what the graph records in it."""

    code: str
    name: str
    abbreviation: str
    row: int
    col: int
    href: str | None  # its region page, or None when the graph records nothing there
    meetings: int = 0
    acting: int = 0


def tile_map(tiles: list[Tile], label: str, size: int = 58) -> Markup:
    """A tile-grid map: one square per province at (row, col), linked when it has a page, grey otherwise."""
    gap = 4
    rows = max(t.row for t in tiles) + 1
    cols = max(t.col for t in tiles) + 1
    svg = _svg(cols * (size + gap) + gap, rows * (size + gap) + gap, "tile-map", label)
    for tile in sorted(tiles, key=lambda t: (t.row, t.col)):
        x, y = gap + tile.col * (size + gap), gap + tile.row * (size + gap)
        counts = f"{tile.meetings} rapat, {tile.acting} Pj/Pjs/Plh/Plt" if tile.href else "tanpa data / no data"
        group = _linked(svg, tile.href, f"{tile.name} ({tile.code}): {counts}")
        state = "has-data" if tile.href else "no-data"
        ET.SubElement(group, "rect", {"x": str(x), "y": str(y), "width": str(size), "height": str(size), "rx": "4",
                                      "class": f"tile {state}"})
        ET.SubElement(group, "text", {"x": str(x + size // 2), "y": str(y + 24), "text-anchor": "middle",
                                      "class": "abbr"}).text = tile.abbreviation
        if tile.href:
            ET.SubElement(group, "text", {"x": str(x + size // 2), "y": str(y + 44), "text-anchor": "middle",
                                          "class": "figure"}).text = f"{tile.meetings}·{tile.acting}"
    return Markup(ET.tostring(svg, encoding="unicode"))
