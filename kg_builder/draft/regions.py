"""Gazetteer lookup: region names and common abbreviations (Sultra, Kukar) to Kemendagri codes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..load.gazetteer import Region, load_regions
from ..paths import DATA_DIR
from .spans import finditer

__all__ = ["RegionHit", "Gazetteer", "gazetteer"]

# Widely used abbreviations of province and regency names (press usage, not article-specific).
ABBREVIATIONS: dict[str, str] = {
    "Aceh": "11", "Sumut": "12", "Sumbar": "13", "Kepri": "21", "Jambi": "15", "Sumsel": "16",
    "Babel": "19", "Bengkulu": "17", "Lampung": "18", "DKI": "31", "DKI Jakarta": "31", "Jakarta": "31", "Jabar": "32",
    "Jateng": "33", "DIY": "34", "Jatim": "35", "Banten": "36", "Bali": "51", "NTB": "52", "NTT": "53",
    "Kalbar": "61", "Kalteng": "62", "Kalsel": "63", "Kaltim": "64", "Kaltara": "65", "Sulut": "71",
    "Sulteng": "72", "Sulsel": "73", "Sultra": "74", "Gorontalo": "75", "Sulbar": "76", "Maluku": "81",
    "Malut": "82", "Papua": "91", "Pabar": "92", "Papua Barat": "92",
    "Kukar": "64.02", "Kutim": "64.08", "Kubar": "64.07", "PPU": "64.09", "Mahulu": "64.11",
    "Konawe Utara": "74.09", "Konut": "74.09", "Konsel": "74.05", "Koltim": "74.11", "Kolut": "74.08",
    "Busel": "74.15", "Buteng": "74.14", "Mubar": "74.13", "Kolaka Timur": "74.11",
    "Padang Pariaman": "13.05", "Pessel": "13.01", "Pasbar": "13.12", "Limapuluh Kota": "13.07",
    "Tanah Datar": "13.04", "Dharmasraya": "13.10", "Solsel": "13.11",
}
# Matched at a position of the whole text, not on a slice of the rest of it (quadratic on long pages).
_ABBREVIATION_AFTER = re.compile(r"[ \t]*\((?P<a>[A-Za-z]{2,10})\)")
_CITY_AFTER = re.compile(r"[ \t]+Kota(?![\w-])")
_PREFIX = re.compile(r"^(Kabupaten|Kab\.?|Kota|Provinsi|Prov\.?)\s+", re.I)


def _alternation(names: list[str]) -> str:
    """The regex alternation of `names` (in priority order), factored into a trie.

    Equivalent to "|".join(names) (spaces matching [ \t]+) when the names are lower-case, with single inner spaces:
    at any text position at most one branch of a trie node can match its next character, and a name ending at a
    node is shorter than every name passing through it, so it comes last there as it does in the flat list
    (sorted longest first). The flat alternation costs one attempt per name at every text position.
    """
    flat = "|".join(re.escape(n).replace(r"\ ", r"[ \t]+") for n in names)
    if any(n != n.lower() or n != n.strip() or "  " in n or "\t" in n or not n for n in names) or any(
        not (ch.isascii() and (ch.isalnum() or ch in " -.'")) for n in names for ch in n
    ):
        return flat
    if any(len(a) > len(b) for a, b in zip(names[1:], names)):
        return flat  # not longest first: keep the flat alternation's order
    end = ""
    root: dict = {}
    for n in names:
        node = root
        for ch in n:
            node = node.setdefault(ch, {})
        node[end] = {}

    def emit(node: dict) -> str:
        parts = [(r"[ \t]+" if ch == " " else re.escape(ch)) + emit(child) for ch, child in node.items() if ch != end]
        if end in node:
            parts.append("")
        return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"

    return emit(root)


@dataclass(frozen=True)
class RegionHit:
    """A region named at [start, end): its code and kind (Province, Regency, City)."""

    start: int
    end: int
    code: str
    kind: str


class Gazetteer:
    """Name index over the shipped Kemendagri codes plus the abbreviation table."""

    def __init__(self, regions: dict[str, Region]):
        self.regions = regions
        self.by_name: dict[str, list[str]] = {}
        for code, region in regions.items():
            bare = _PREFIX.sub("", region.name)
            for key in {bare.lower(), region.name.lower(), bare.lower().replace(" ", "")}:
                self.by_name.setdefault(key, []).append(code)
        for abbr, code in ABBREVIATIONS.items():
            if code in regions:
                self.by_name.setdefault(abbr.lower(), []).insert(0, code)
        longest = sorted(self.by_name, key=len, reverse=True)
        names = _alternation(longest)
        prefix = r"(?:(?P<prefix>Kabupaten|Kab\.|Kota|Provinsi|Prov\.)[ \t]+)?"
        self.pattern = re.compile(prefix + r"(?P<name>" + names + r")(?![\w-])", re.I)

    def resolve(self, name: str, prefix: str | None = None, prefer: str | None = None) -> str | None:
        """Code for a name; `prefix` (Kota/Kabupaten/Provinsi) or `prefer` (kind) picks among homonyms."""
        codes = self.by_name.get(re.sub(r"\s+", " ", name.strip()).lower())
        if not codes:
            return None
        wanted = prefer
        if prefix:
            p = prefix.lower()
            wanted = "City" if p.startswith("kota") else "Province" if p.startswith("prov") else "Regency"
        for code in codes:
            if wanted and self.regions[code].kind == wanted:
                return code
        return codes[0]

    def match_at(self, text: str, pos: int, prefer: str | None = None, any_case: bool = False) -> RegionHit | None:
        """A region name starting exactly at `pos` (capitalised or all caps in the text, unless `any_case`:
        after "se-" a lower-case "sultra" is still a region)."""
        m = self.pattern.match(text, pos)
        if not m or not (any_case or m.group("name")[0].isupper()):
            return None
        end = m.end()
        city_after = None if m.group("prefix") else _CITY_AFTER.match(text, end)
        if city_after:  # "Polres Bima Kota", "Kapolres Sorong Kota": the city, not the regency of that name
            code = self.resolve(m.group("name"), "Kota")
            if code and self.regions[code].kind == "City":
                return RegionHit(m.start(), city_after.end(), code, "City")
        code = self.resolve(m.group("name"), m.group("prefix"), prefer)
        if code is None:
            return None
        abbr = _ABBREVIATION_AFTER.match(text, end)
        if abbr:
            end = abbr.end()
        return RegionHit(m.start(), end, code, self.regions[code].kind)

    def find_all(self, text: str) -> list[RegionHit]:
        hits = []
        for m in finditer(self.pattern, text):
            if not m.group("name")[0].isupper():
                continue
            code = self.resolve(m.group("name"), m.group("prefix"))
            if code:
                hits.append(RegionHit(m.start(), m.end(), code, self.regions[code].kind))
        return hits

    def province_of(self, code: str) -> str:
        return code.split(".")[0]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer(load_regions(DATA_DIR / "reference" / "idn-area-data"))
