"""Venues: "di Hotel Novotel, Balikpapan", "bertempat di Swiss Belhotel", "di ruang pola Kantor Gubernur"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .regions import gazetteer
from .spans import finditer

__all__ = ["VenueMention", "find_venues"]

# Baruga (Bugis-Makassar hall), Lapangan (an apel's field), Lantai (a floor of an office).
_KEYWORD = r"(?:Hotel|Baruga|Lapangan|Lantai|Stadion|Gelanggang|Alun-alun|Gedung|Ruang|Ruangan|Aula|Pendopo|Pendapa|Kantor|Balai|Rumah[ \t]+Jabatan|Rujab|Graha|Wisma|Auditorium|Hall|Convention|Mess|Sekretariat|Markas|Mapolres|Mapolda|Makodim|Kediaman|Gedong|Resort|Cafe|Kafe|Restoran|Rumah[ \t]+Makan)"
_CAPWORD = r"(?:[A-Z][\w'’&.-]*|\d+|dan|&)"
_VENUE = re.compile(
    rf"(?P<lead>\b(?:bertempat|berlangsung|digelar|dilaksanakan|diselenggarakan|diadakan|dilangsungkan)?[ \t]*\b(?:di|ke)[ \t]+)"
    rf"(?P<name>(?:(?i:{_KEYWORD})(?:[ \t]+[a-z]+)?(?:[ \t]+{_CAPWORD})*|[A-Z][\w'’-]*(?:[ \t]+[A-Z][\w'’-]*)*(?=[ \t]*,[ \t]*(?:{{wd}}))))"
    rf"(?P<city>[ \t]*,[ \t]*[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?)?"
    .replace("{wd}", r"Senin|Selasa|Rabu|Kamis|Jum[’']?at|Sabtu|Minggu")
)
_TRAILING = re.compile(r"(?:[ \t]+(?:Senin|Selasa|Rabu|Kamis|Jum[’']?at|Sabtu|Minggu|Pada|Dan|Yang))+$")


@dataclass
class VenueMention:
    """A venue at [start, end): its name as printed and the region code it is in, when known."""

    start: int
    end: int
    name: str
    region: str | None
    confidence: float


def find_venues(text: str) -> list[VenueMention]:
    out: list[VenueMention] = []
    for m in finditer(_VENUE, text):
        name = _TRAILING.sub("", m.group("name")).rstrip(" \t.,")
        words = name.split()
        if len(words) < 2 and not re.match(_KEYWORD, name, re.I):
            continue
        end = m.start("name") + len(name)
        region = None
        city = m.group("city")
        if city:
            hit = gazetteer().match_at(text, m.start("city") + len(city) - len(city.lstrip(" \t,")))
            if hit:
                region, end = hit.code, hit.end
                name = f"{name} {text[hit.start:hit.end]}"
        if region is None:
            for hit in gazetteer().find_all(name):
                region = hit.code
        lead = m.group("lead").strip().split()[0].lower()
        conf = 0.8 if lead != "di" else 0.6
        start = m.start("lead") + (len(m.group("lead")) - len(m.group("lead").lstrip()))
        out.append(VenueMention(start, end, name, region, conf))
    return out
