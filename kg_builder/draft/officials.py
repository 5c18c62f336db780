"""Officials: acting qualifier + office + region + name ("Pj Bupati Bombana Drs Edy Suharmanto, M.si")."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from .knowledge import offices
from .names import NameParts, read_name, read_name_backwards
from .regions import ABBREVIATIONS, gazetteer
from .spans import finditer

__all__ = ["Official", "find_officials", "OFFICES"]

# (pattern, office type or None for seats outside the vocabulary, organisation kind): knowledge/offices.yaml
OFFICES: list[tuple[str, str | None, str | None]] = [(o.pattern, o.office, o.org_kind) for o in offices()]
_OFFICE_RE = re.compile(r"(?<![\w-])(?:" + "|".join(f"(?P<o{i}>{p})" for i, (p, _, _) in enumerate(OFFICES)) + r")(?![\w])", re.I)
_QUALIFIER = re.compile(
    r"(?P<q>Penjabat[ \t]+Sementara|Pejabat[ \t]+Sementara|Pelaksana[ \t]+Harian|Pelaksana[ \t]+Tugas|Penjabat|Pjs|Pj|Plh|Plt)\.?"
    r"(?:[ \t]*\((?:Pjs|Pj|Plh|Plt)\.?\))?[ \t]*$",
    re.I,
)
_KINDS = {"penjabat sementara": "Pjs", "pejabat sementara": "Pjs", "pjs": "Pjs", "penjabat": "Pj", "pj": "Pj",
          "pelaksana harian": "Plh", "plh": "Plh", "pelaksana tugas": "Plt", "plt": "Plt"}
_ORG_AFTER = re.compile(r"[ \t]+(?:Kejaksaan(?:[ \t]+(?:Negeri|Tinggi))?|Polres|Polda|Kodim|Korem|Pemkab|Pemkot|Pemprov)(?=[ \t])")
_REPRESENTED = re.compile(r"[ \t]+(?:yang[ \t]+)?diwakili(?:[ \t]+oleh)?[ \t]+", re.I)
_SELAKU = re.compile(r"[ \t]*,?[ \t]+selaku[ \t]+", re.I)
# Matched at a position of the whole text, never on a slice `text[pos:]` (a copy of the rest of the
# article per official: quadratic on a long page).
_GAP = re.compile(r"[ \t]+")
_COMMA_GAP = re.compile(r"[ \t]*,?[ \t]*")
_PAREN_AFTER = re.compile(r"[ \t]*\(")
_CAPITALISED_WORDS = re.compile(r"([A-Z][a-z]{3,})[ \t]+[A-Z]")
_DIVISION = re.compile(r"[ \t]+(Divisi[ \t]+[^,\n.]+(?:,[ \t]*[a-z][^,\n.]*)*(?:[ \t]+dan[ \t]+[A-Za-z]+)?)")
_ORG_BEFORE = re.compile(r"(?P<org>(?:KPU|Bawaslu|DPRD|Pemkab|Pemkot|Pemprov|Polres|Polda|Kodim|Kejari|Kejati|Dinas|Badan)"
                         r"(?:[ \t]+[A-Z][\w.]*){0,3})$")
_FUZZY_REGIONS = [k for k in ABBREVIATIONS if len(k) >= 5]


@dataclass
class Official:
    """An office mention, with its holder when named; spans are offsets into the article text."""

    start: int
    end: int
    office: str | None
    org_kind: str | None
    kind: str = "Definitive"
    region: str | None = None
    region_prefix: str | None = None
    person: NameParts | None = None
    represents: str | None = None  # printed text of the body or post represented ("KPU Provinsi")
    portfolio: str | None = None
    confidence: float = 0.8
    notes: list[str] = field(default_factory=list)


def find_officials(text: str) -> list[Official]:
    """Office mentions with or without a named holder, "NAME selaku OFFICE" and "X diwakili oleh NAME"."""
    found: list[Official] = []
    for m in finditer(_OFFICE_RE, text):
        if not m.group(0)[0].isupper():
            continue
        index = next(i for i in range(len(OFFICES)) if m.group(f"o{i}"))
        _, office, org_kind = OFFICES[index]
        if office is None:
            continue
        found.append(_read_official(text, m.start(), m.end(), office, org_kind))
    found.extend(_selaku(text, found))
    found.extend(_representations(text))
    return found


def _read_official(text: str, start: int, end: int, office: str, org_kind: str | None) -> Official:
    official = Official(start, end, office, org_kind)
    q = _QUALIFIER.search(text[max(0, start - 40) : start])
    if q:
        official.kind = _KINDS[q.group("q").lower()]
        official.start = max(0, start - 40) + q.start()
    at = end
    org = _ORG_AFTER.match(text, at)
    if org:
        at = org.end()
    gap = _GAP.match(text, at)
    prefer = {"pemkab": "Regency", "pemkot": "City", "pemprov": "Province"}.get(org_kind or "")
    hit = gazetteer().match_at(text, gap.end(), prefer) if gap else None
    if hit:
        official.region, at = hit.code, hit.end
        official.region_prefix = hit.kind
    elif gap:
        fuzzy = _fuzzy_region(text, gap.end())
        if fuzzy:
            official.region, at = fuzzy
            official.notes.append("region name looks misspelt")
            official.confidence -= 0.2
    official.end = at
    name_at = _COMMA_GAP.match(text, at)
    person = read_name(text, name_at.end()) if name_at else None
    if person and not _PAREN_AFTER.match(text, person.end):
        official.person = person
        official.end = person.end
        official.confidence = min(0.95, official.confidence + (0.1 if official.region else -0.1))
    elif official.region is None:
        official.confidence = 0.5
    return official


def _fuzzy_region(text: str, pos: int) -> tuple[str, int] | None:
    """"Sutra" for "Sultra": a misspelt abbreviation directly after an office word, followed by a name."""
    m = _CAPITALISED_WORDS.match(text, pos)
    if not m:
        return None
    close = difflib.get_close_matches(m.group(1), _FUZZY_REGIONS, n=1, cutoff=0.85)
    if not close:
        return None
    return ABBREVIATIONS[close[0]], m.end(1)


def _selaku(text: str, offices: list[Official]) -> list[Official]:
    """"Juniwandri selaku Komisioner KPU ..." (office after the name) and "X, selaku Panitia" (no office)."""
    out: list[Official] = []
    for m in finditer(_SELAKU, text):
        person = read_name_backwards(text, m.start())
        if not person or re.search(r"diwakili(?:[ \t]+oleh)?[ \t]+$", text[max(0, person.start - 25) : person.start], re.I):
            continue
        following = [o for o in offices if o.start == m.end() or o.start == m.end() and o.person is None]
        if following:
            o = following[0]
            official = Official(person.start, o.end, o.office, o.org_kind, o.kind, o.region, o.region_prefix, person)
            official.portfolio = _portfolio(text, o.end)
            official.confidence = 0.85
            o.office = None  # the post mention is now part of this one
        else:
            official = Official(person.start, m.end(), None, None, person=person, confidence=0.6)
            official.notes.append("named with a role that is not an office: " + text[m.end() : m.end() + 40].split(",")[0])
        out.append(official)
    return out


def _portfolio(text: str, pos: int) -> str | None:
    m = _DIVISION.match(text, pos)
    if not m:
        return None
    return re.split(r"[ \t]+(?:me|ber|di|ter|mem|meng)[a-z]{4,}\b", m.group(1))[0].strip()


def _representations(text: str) -> list[Official]:
    """"KPU Provinsi yang diwakili oleh Medo Putra selaku Divisi ...": the person represents a body or post."""
    out: list[Official] = []
    for m in finditer(_REPRESENTED, text):
        person = read_name(text, m.end())
        if not person:
            continue
        before = text[max(0, m.start() - 60) : m.start()]
        org = _ORG_BEFORE.search(before)
        off = _OFFICE_RE.search(before.split(",")[-1])
        represented = org.group("org") if org else (off.group(0) if off else before.split(",")[-1].strip())
        official = Official(m.start() - len(before) + (org.start() if org else len(before) - len(before.split(",")[-1])),
                            person.end, None, None, person=person, represents=represented, confidence=0.7)
        tail = _SELAKU.match(text, person.end)
        if tail:
            portfolio = _portfolio(text, tail.end() - 1)
            if portfolio and re.match(r"KPU", represented):
                official.office, official.org_kind, official.portfolio = "anggota-kpu", "kpu", portfolio
                official.notes.append("a KPU division head is read as a member (anggota) of that commission")
            if portfolio:
                official.end = tail.end() + len(portfolio)
        level = re.search(r"\b(Provinsi|Kabupaten|Kota)\b", represented)
        official.region_prefix = level.group(1) if level else None
        out.append(official)
    return out
