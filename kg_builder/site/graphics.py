"""Static inline SVG figures (a person's ego network, the province map), every text and attribute escaped."""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape

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


# The figures are written as text, as ElementTree wrote them before (same bytes): a person page's
# drawing has up to ~170 elements, and building and serialising them as ElementTree objects took
# a fifth of `egkg site`. Escaping is xml.sax.saxutils' with the entities ElementTree uses.
_ATTRIBUTE_ENTITIES = {'"': "&quot;", "\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}


def _element(tag: str, attributes: dict[str, str], content: str = "") -> str:
    """`<tag a="v">content</tag>`, or `<tag a="v" />` when empty; `content` is markup already escaped."""
    start = "<" + tag + "".join(f' {key}="{escape(value, _ATTRIBUTE_ENTITIES)}"' for key, value in attributes.items())
    return f"{start}>{content}</{tag}>" if content else f"{start} />"


def _svg(width: int, height: int, css_class: str, label: str, content: str) -> Markup:
    # role=group, not img: the drawing holds links a keyboard and a screen reader must reach.
    return Markup(_element("svg", {"class": css_class, "viewBox": f"0 0 {width} {height}", "role": "group",
                                   "aria-label": label, "xmlns": "http://www.w3.org/2000/svg"}, content))


def _linked(href: str | None, name: str, content: str) -> str:
    """An <a> (or a plain <g> when there is no page) holding a <title> with the full name, then `content`."""
    inner = _element("title", {}, escape(_plain(name))) + content
    return _element("a", {"href": href}, inner) if href else _element("g", {}, inner)


def ego_network(centre: Node, partners: list[Node], ties: list[tuple[int, int, int]], label: str) -> Markup:
    """The centre in the middle, its partners on a circle in rank order, and their shared meetings as lines.

    `ties` are (i, j, count) between partners (indexes into `partners`); a tie to the centre is each
    partner's own weight. The layout is radial and fixed by the order alone, so the same graph
    always gives the same bytes and no label sits on the centre's.
    """
    width, height, radius = 760, 460, 170
    cx, cy = width / 2, height / 2
    places = []
    for index, _ in enumerate(partners):
        angle = -math.pi / 2 + 2 * math.pi * index / max(len(partners), 1)
        places.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle), angle))
    # Up to 136 lines per drawing, holding numbers and fixed words only: written without escaping.
    lines = [f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" class="tie" '
             f'stroke-width="{min(count, 6)}" />'
             for (x1, y1, _), (x2, y2, _), count in ((places[i], places[j], count) for i, j, count in ties)]
    lines += [f'<line x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}" class="spoke" '
              f'stroke-width="{1 + min(partner.weight, 6)}" />' for partner, (x, y, _) in zip(partners, places)]
    parts = [_element("g", {"class": "ties"}, "".join(lines))]
    for partner, (x, y, angle) in zip(partners, places):
        circle = _element("circle", {"cx": f"{x:.1f}", "cy": f"{y:.1f}", "r": "9", "class": f"node {partner.kind}"})
        # Labels point away from the centre: left of the node on the left half, right on the right.
        right = math.cos(angle) >= -1e-9
        dx = 14 if right else -14
        dy = 18 if abs(math.cos(angle)) < 0.2 and math.sin(angle) > 0 else (-14 if abs(math.cos(angle)) < 0.2 else 5)
        anchor = "middle" if abs(math.cos(angle)) < 0.2 else ("start" if right else "end")
        text = _element("text", {"x": f"{x + (0 if anchor == 'middle' else dx):.1f}", "y": f"{y + dy:.1f}",
                                 "text-anchor": anchor}, escape(_short(partner.name)))
        parts.append(_linked(partner.href, f"{partner.name} ({partner.weight})", circle + text))
    circle = _element("circle", {"cx": f"{cx:.1f}", "cy": f"{cy:.1f}", "r": "14",
                                 "class": f"node centre {centre.kind}"})
    text = _element("text", {"x": f"{cx:.1f}", "y": f"{cy + 32:.1f}", "text-anchor": "middle",
                             "class": "centre-label"}, escape(_short(centre.name, 34)))
    parts.append(_linked(centre.href, centre.name, circle + text))
    return _svg(width, height, "ego", label, "".join(parts))


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
    groups = []
    for tile in sorted(tiles, key=lambda t: (t.row, t.col)):
        x, y = gap + tile.col * (size + gap), gap + tile.row * (size + gap)
        counts = f"{tile.meetings} rapat, {tile.acting} Pj/Pjs/Plh/Plt" if tile.href else "tanpa data / no data"
        state = "has-data" if tile.href else "no-data"
        content = _element("rect", {"x": str(x), "y": str(y), "width": str(size), "height": str(size), "rx": "4",
                                    "class": f"tile {state}"})
        content += _element("text", {"x": str(x + size // 2), "y": str(y + 24), "text-anchor": "middle",
                                     "class": "abbr"}, escape(tile.abbreviation))
        if tile.href:
            content += _element("text", {"x": str(x + size // 2), "y": str(y + 44), "text-anchor": "middle",
                                         "class": "figure"}, escape(f"{tile.meetings}·{tile.acting}"))
        groups.append(_linked(tile.href, f"{tile.name} ({tile.code}): {counts}", content))
    return _svg(cols * (size + gap) + gap, rows * (size + gap) + gap, "tile-map", label, "".join(groups))
