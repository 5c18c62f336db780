"""Officials: acting qualifier + office + unit or region + name ("Pj Bupati Bombana Drs Edy Suharmanto, M.si").

Every office in knowledge/offices.yaml is recognised; only offices of the ontology's vocabulary get
`office` set (and so a post in the draft); the others keep their slug in `title_office`, and their
holders are still proposed as persons.
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass, field

from .knowledge import offices
from .names import NameParts, is_not_name_word, read_name, read_name_backwards
from .regions import ABBREVIATIONS, gazetteer

__all__ = ["Official", "find_officials", "office_titles", "OFFICES"]

# (pattern, office type or None outside the vocabulary, organisation kind): knowledge/offices.yaml
OFFICES: list[tuple[str, str | None, str | None]] = [(o.pattern, o.office if o.in_vocabulary else None, o.org_kind)
                                                     for o in offices()]
_ROWS = [(re.compile(o.pattern, re.I), o) for o in offices()]
_ANY_OFFICE = re.compile(r"(?<![\w-])(?:" + "|".join(o.pattern for o in offices()) + r")(?![\w])", re.I)
_QUALIFIER = re.compile(
    r"(?P<q>Penjabat[ \t]+Sementara|Pejabat[ \t]+Sementara|Pelaksana[ \t]+Harian|Pelaksana[ \t]+Tugas|Penjabat|Pjs|Pj|Plh|Plt)\.?"
    r"(?:[ \t]*\((?:Pjs|Pj|Plh|Plt)\.?\))?[ \t]*$",
    re.I,
)
_KINDS = {"penjabat sementara": "Pjs", "pejabat sementara": "Pjs", "pjs": "Pjs", "penjabat": "Pj", "pj": "Pj",
          "pelaksana harian": "Plh", "plh": "Plh", "pelaksana tugas": "Plt", "plt": "Plt"}
_REPRESENTED = re.compile(r"[ \t]+(?:yang[ \t]+)?(?:berhalangan[ \t]+(?:hadir[ \t]+)?dan[ \t]+)?diwakili(?:[ \t]+oleh)?[ \t]+", re.I)
_SELAKU = re.compile(r"[ \t]*,?[ \t]+selaku[ \t]+", re.I)
_LIST_MARKER = re.compile(r"[ \t]*,?[ \t]*(?:antara[ \t]+lain|di[ \t]*antaranya|yakni|yaitu|masing-masing|masing[ \t]+masing)"
                          r"[ \t]*:?[ \t]*", re.I)
_LIST_SEPARATOR = re.compile(r"[ \t]*(?:,[ \t]*(?:(?:dan|serta)[ \t]+)?|[ \t]+(?:dan|serta)[ \t]+)")
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
# What may stand between a title and the name: unit numbers ("1205/Sintang", "XIV/Hasanuddin"), a
# bracketed acronym ("(KPUD)"), institution words (knowledge/names.yaml) and acronyms ("Polda Sulteng").
_DESIGNATOR = re.compile(r"(?:\d{1,4}|[IVXL]{2,}|[IVXL](?=/))(?:/[A-Z][\w.-]*)?(?![\w])")
_BRACKETED = re.compile(r"\([A-Za-z][\w. ]{0,20}\)")
_PHRASE_WORD = re.compile(r"(?P<w>[A-Za-z][\w-]*)(?![\w])")
_CONNECTOR = re.compile(r"(?:dan|&)(?=[ \t]+[A-Z])")
_AGENCY_WORD = re.compile(r"^(?:Pe|Ke)[a-z]{3,}an$")  # "Pemberdayaan", "Kependudukan": agency names, not persons
_MAX_PHRASE_WORDS = 10
# A title right after these words names a building ("Pendopo Wakil Bupati", "Rumah Jabatan Gubernur") or
# the issuer of a regulation ("Keputusan Kepala Badan ... Nomor 16"): no holder is named there.
_NO_HOLDER_BEFORE = re.compile(
    r"\b(?:Pendopo|Pendapa|Rumah[ \t]+Jabatan|Rumah[ \t]+Dinas|Rujab|Rumdis|Kantor|Aula|Ruang(?:[ \t]+Rapat)?|Gedung|Balai|"
    r"Wisma|Keputusan|Peraturan|Surat[ \t]+Edaran|Instruksi|Kep\.|SE)"
    r"[ \t]+(?:(?:yang|para|seluruh)[ \t]+)?\Z", re.I)
# How far back those words are looked for: searching from the start of the text made a page without full
# stops quadratic (13 s at 117 kB, 47 s at 234 kB); the longest phrase above is ~30 characters.
_NO_HOLDER_WINDOW = 80


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
    title_office: str | None = None  # the office slug from knowledge/offices.yaml, in the vocabulary or not
    title: str | None = None  # the title as printed ("Wakapolda Sulawesi Tengah")
    absorbed: bool = False  # the mention is part of another official ("NAME selaku TITLE")


def find_officials(text: str) -> list[Official]:
    """Office mentions with their holders: title before or after the name, representatives, name lists."""
    mentions = list(_office_mentions(text))
    claimed: list[tuple[int, int]] = [(o.start, o.end) for o in mentions if o.person]
    extra = _apposition(text, mentions, claimed)
    extra += _selaku(text, mentions)
    extra += _lists(text, mentions, claimed)
    _mark_represented(text, mentions + extra)
    extra += _representations(text, mentions + extra)
    found = [o for o in mentions + extra if not o.absorbed and (o.person or (o.office and text[o.start].isupper()))]
    return sorted(found, key=lambda o: o.start)


def _office_mentions(text: str):
    """Every office title in the text (the longest row at each place), read with its unit, region and holder."""
    pos = 0
    while True:
        m = _ANY_OFFICE.search(text, pos)
        if not m:
            return
        best, row = max(((r.match(text, m.start()), o) for r, o in _ROWS), key=lambda mo: mo[0].end() if mo[0] else -1)
        end = best.end() if best else m.end()
        pos = end
        if end < len(text) and (text[end].isalnum() or text[end] == "-"):
            continue
        official = _read_official(text, m.start(), end, row, holder=not _no_holder_before(text, m.start()))
        if official.person is None and not m.group(0)[0].isupper():
            official.confidence = 0.3  # a lower-case title without a holder: prose ("para ketua PPK"), kept for lists
        yield official


def _no_holder_before(text: str, start: int) -> bool:
    """Whether the title at start follows a word that makes it a building or an issuer, not a person's post."""
    return _NO_HOLDER_BEFORE.search(text, max(0, start - _NO_HOLDER_WINDOW), start) is not None


def office_titles(text: str) -> list[tuple[int, int, str | None, str | None]]:
    """Every office title as printed, with the unit words and region after it: (start, end, office, region).

    Holders are not read: the institution finder uses these to see titles named in the plural
    ("para Kapolsek, Danramil se-Kabupaten X").
    """
    found = []
    pos = 0
    while True:
        m = _ANY_OFFICE.search(text, pos)
        if not m:
            return found
        best, row = max(((r.match(text, m.start()), o) for r, o in _ROWS), key=lambda mo: mo[0].end() if mo[0] else -1)
        end = best.end() if best else m.end()
        pos = end
        if end < len(text) and (text[end].isalnum() or text[end] == "-"):
            continue
        at, region, _ = _post_phrase(text, end, row.org_kind)
        found.append((m.start(), at, row.office, region))


def _read_official(text: str, start: int, end: int, row, holder: bool = True) -> Official:
    official = Official(start, end, row.office if row.in_vocabulary else None, row.org_kind,
                        title_office=row.office, title=text[start:end])
    q = _QUALIFIER.search(text[max(0, start - 40) : start])
    if q:
        official.kind = _KINDS[q.group("q").lower()]
        official.start = max(0, start - 40) + q.start()
    at, region, prefix = _post_phrase(text, end, row.org_kind)
    if region and row.level == "province" and "." in region:
        region, prefix = region.split(".")[0], "Province"  # "Ketua Pengadilan Tinggi Kupang": the province's court
    official.region, official.region_prefix = region, prefix
    if region is None:
        gap = _GAP.match(text, end)
        fuzzy = _fuzzy_region(text, gap.end()) if gap else None
        if fuzzy:
            official.region, at = fuzzy
            official.notes.append("region name looks misspelt")
            official.confidence -= 0.2
    official.end = at
    official.title = text[start:at].strip(" ,")
    name_at = _COMMA_GAP.match(text, at)
    person = read_name(text, name_at.end()) if name_at and holder else None
    if person and _is_place(text, person):
        person = None  # a place name after the region ("Kantor Bupati Kukar Tenggarong"), not a holder
    if person and not _PAREN_AFTER.match(text, person.end):
        official.person = person
        official.end = person.end
        bonus = 0.1 if official.region else -0.05
        if person.ranks or person.honorifics:
            bonus += 0.05
        if not text[start].isupper():
            bonus -= 0.1
        official.confidence = min(0.95, official.confidence + bonus)
    elif official.region is None:
        official.confidence = 0.5
    return official


def _post_phrase(text: str, at: int, org_kind: str | None) -> tuple[int, str | None, str | None]:
    """Skip what stands between a title and the holder's name: units, institution words, regions.

    Returns the end of the phrase, the first region named in it and that region's kind. A rank or an
    honorific, or a capitalised word that is no institution word, ends the phrase: the name starts there.
    """
    prefer = {"pemkab": "Regency", "pemkot": "City", "pemprov": "Province"}.get(org_kind or "")
    region = prefix = None
    end = at
    for _ in range(_MAX_PHRASE_WORDS):
        gap = _GAP.match(text, end)
        if not gap:
            break
        pos = gap.end()
        hit = gazetteer().match_at(text, pos, prefer)
        if hit:
            if region is None:
                region, prefix = hit.code, hit.kind
            end = hit.end
            continue
        step = _DESIGNATOR.match(text, pos) or _BRACKETED.match(text, pos) or _CONNECTOR.match(text, pos)
        if step and step.re is _DESIGNATOR and region is None and "/" in step.group(0):
            # "Dandim 1205/Sintang": a unit number named after the regency it covers
            hit = gazetteer().match_at(text, pos + step.group(0).index("/") + 1, prefer)
            if hit and hit.end == step.end():
                region, prefix = hit.code, hit.kind
        if step and step.re is _CONNECTOR:
            word = _PHRASE_WORD.match(text, _GAP.match(text, step.end()).end())
            if not (word and _institution_word(word.group("w"))):
                break
        if not step:
            word = _PHRASE_WORD.match(text, pos)
            if not (word and _institution_word(word.group("w"))):
                break
            step = word
        end = step.end()
    return end, region, prefix


def _institution_word(word: str) -> bool:
    """A word of an institution's or unit's name, never of a person's."""
    if not word[0].isupper():
        return False
    if word.isupper() and 2 <= len(word) <= 7:
        return True  # an acronym: "NTT", "PN", "SDM", "KPUD"
    return is_not_name_word(word) or bool(_AGENCY_WORD.match(word))


def _fuzzy_region(text: str, pos: int) -> tuple[str, int] | None:
    """"Sutra" for "Sultra": a misspelt abbreviation directly after an office word, followed by a name."""
    m = _CAPITALISED_WORDS.match(text, pos)
    if not m:
        return None
    close = difflib.get_close_matches(m.group(1), _FUZZY_REGIONS, n=1, cutoff=0.85)
    if not close:
        return None
    return ABBREVIATIONS[close[0]], m.end(1)


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _apposition(text: str, mentions: list[Official], claimed: list[tuple[int, int]]) -> list[Official]:
    """"Ni Luh Putu Ariani, Ketua Bawaslu Badung": a title right after a name and a comma."""
    out = []
    ends = sorted(x.end for x in mentions)  # bisected below: a scan of every mention per mention was quadratic
    for o in mentions:
        if o.person or not text[o.start].isupper() or not re.search(r",[ \t]*$", text[max(0, o.start - 3) : o.start]):
            continue
        before = bisect.bisect_right(ends, o.start)
        floor = ends[before - 1] if before else 0
        person = read_name_backwards(text, o.start, floor)
        if not person or _overlaps(person.start, person.end, claimed) or _is_place(text, person):
            continue
        o.person, o.start = person, person.start
        o.confidence = 0.75 if o.region else 0.65
        claimed.append((o.start, o.end))
    return out


def _is_place(text: str, person: NameParts) -> bool:
    hit = gazetteer().match_at(text, person.name_start)
    return bool(hit) and hit.end >= person.name_end


def _selaku(text: str, offices: list[Official]) -> list[Official]:
    """"Juniwandri selaku Komisioner KPU ..." (office after the name) and "X, selaku Panitia" (no office)."""
    out: list[Official] = []
    for m in _SELAKU.finditer(text):
        person = read_name_backwards(text, m.start())
        if not person or re.search(r"diwakili(?:[ \t]+oleh)?[ \t]+$", text[max(0, person.start - 25) : person.start], re.I):
            continue
        following = [o for o in offices if o.start == m.end() and o.person is None]
        if following:
            o = following[0]
            official = Official(person.start, o.end, o.office, o.org_kind, o.kind, o.region, o.region_prefix, person,
                                title_office=o.title_office, title=o.title)
            official.portfolio = _portfolio(text, o.end)
            official.confidence = 0.85
            o.absorbed = True  # the post mention is now part of this one
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


def _lists(text: str, mentions: list[Official], claimed: list[tuple[int, int]]) -> list[Official]:
    """Names after "antara lain", "yakni", "yaitu", "masing-masing", "di antaranya", with or without titles.

    An item without a title holds the title just before the marker ("anggota Bawaslu X antara lain A, B dan
    C"), or the title of the item before it ("yaitu Ketua PPK A, B, dan C").
    """
    by_start = {o.start: o for o in mentions}
    by_title_start = {o.end - len(o.title or "") if o.person is None else -1: o for o in mentions}
    out: list[Official] = []
    untitled_by_end: dict[int, list[Official]] = {}  # looked up per marker: a scan of every mention was quadratic
    for o in mentions:
        if o.person is None:
            untitled_by_end.setdefault(o.end, []).append(o)
    for m in _LIST_MARKER.finditer(text):
        gap = m.start()
        while gap > 0 and text[gap - 1] in " \t,":
            gap -= 1
        heads = [o for end in range(gap, m.start() + 1) for o in untitled_by_end.get(end, ())]
        head = min(heads, key=lambda o: o.start) if heads else None  # the first in text order, as before
        at = m.end()
        while True:
            item = by_start.get(at)
            if item is not None and item.person:
                head, at = item, item.end
            else:
                person = read_name(text, at)
                if not person or _overlaps(person.start, person.end, claimed):
                    break
                appositive = _COMMA_GAP.match(text, person.end)
                titled = by_title_start.get(appositive.end()) if appositive else None
                source = titled if titled is not None and titled.person is None else head
                official = Official(person.start, person.end, source.office if source else None,
                                    source.org_kind if source else None, source.kind if source else "Definitive",
                                    source.region if source else None, source.region_prefix if source else None,
                                    person, confidence=0.7, title_office=source.title_office if source else None,
                                    title=source.title if source else None)
                if titled is not None and titled.person is None:
                    titled.person, titled.start = person, person.start  # the item's own title, after a comma
                    official = titled
                    at = titled.end
                else:
                    at = person.end
                    out.append(official)
                claimed.append((official.start, official.end))
            sep = _LIST_SEPARATOR.match(text, at)
            if not sep:
                break
            at = sep.end()
    return out


def _mark_represented(text: str, officials: list[Official]) -> None:
    """"Kapolres X diwakili oleh Kabag Ops Kompol Nama": the titled representative stands for the post before."""
    starts = {o.start: o for o in officials if o.person}
    for m in _REPRESENTED.finditer(text):
        rep = starts.get(m.end())
        if rep is None:
            continue
        before = [o for o in officials if o.end <= m.start() and o.person is None and o.end >= m.start() - 2]
        rep.represents = before[-1].title if before and before[-1].title else _represented_text(text, m.start())
        rep.confidence = min(rep.confidence, 0.85)


def _represented_text(text: str, at: int) -> str:
    before = text[max(0, at - 60) : at]
    org = _ORG_BEFORE.search(before)
    off = _ANY_OFFICE.search(before.split(",")[-1])
    return org.group("org") if org else (off.group(0) if off else before.split(",")[-1].strip())


def _representations(text: str, officials: list[Official]) -> list[Official]:
    """"KPU Provinsi yang diwakili oleh Medo Putra selaku Divisi ...": a representative named without a title."""
    titled = {o.start for o in officials if o.person}
    out: list[Official] = []
    for m in _REPRESENTED.finditer(text):
        if m.end() in titled:
            continue
        person = read_name(text, m.end())
        if not person:
            continue
        before = text[max(0, m.start() - 60) : m.start()]
        org = _ORG_BEFORE.search(before)
        represented = _represented_text(text, m.start())
        official = Official(m.start() - len(before) + (org.start() if org else len(before) - len(before.split(",")[-1])),
                            person.end, None, None, person=person, represents=represented, confidence=0.7)
        tail = _SELAKU.match(text, person.end)
        if tail:
            portfolio = _portfolio(text, tail.end() - 1)
            if portfolio and re.match(r"KPU", represented):
                official.office, official.org_kind, official.portfolio = "anggota-kpu", "kpu", portfolio
                official.title_office = "anggota-kpu"
                official.notes.append("a KPU division head is read as a member (anggota) of that commission")
            if portfolio:
                official.end = tail.end() + len(portfolio)
        level = re.search(r"\b(Provinsi|Kabupaten|Kota)\b", represented)
        official.region_prefix = level.group(1) if level else None
        out.append(official)
    return out
