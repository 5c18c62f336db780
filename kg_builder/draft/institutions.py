"""Institutions named in the text: governments, election bodies, police, military, prosecution, forums, groups.

What is recognised lives in knowledge/institutions.yaml. A name alone ("KPU", "Bawaslu") is placed in the
region the article names for that kind elsewhere, else in the article's own region; "se-X" and "para"
make titles and bodies into groups ("para Kapolsek, Danramil serta PPK se-Kabupaten X").
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict
from rdflib import OWL, RDF, RDFS

from ..errors import InputError
from ..load.yaml_lines import line_of
from ..paths import ONTOLOGY_FILE
from ..rdf.namespace import EGKG
from ..rdf.vocab import load_ontology
from .knowledge import _load, offices, written_form
from .officials import find_officials, office_titles
from .regions import gazetteer
from .spans import finditer

__all__ = ["InstitutionMention", "find_institutions", "ORG_KINDS"]

_Level = Optional[Literal["national", "province", "regency", "district", "village"]]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt key would otherwise drop its row's words silently


class _KindRow(_Strict):
    kind: str
    type: str
    name: str
    acronym: str
    level: _Level = None
    regional: bool = False
    units: dict[Literal["province", "regency"], str] = {}
    part_of: Optional[str] = None
    number: Optional[str] = None  # a regex of the number printed in the name ("II"); `name` holds "{number}"
    titles: list[str] = []
    patterns: list[str] = []


class _GroupNoun(_Strict):
    kind: str
    name: str
    titles: list[str]


class _InstitutionFile(_Strict):
    institutions: list[_KindRow]
    plural_words: list[str] = []
    group_nouns: list[_GroupNoun] = []


def _org_classes() -> set[str]:
    graph = load_ontology(ONTOLOGY_FILE)
    return {str(c).removeprefix(str(EGKG)) for c in graph.subjects(RDFS.subClassOf, EGKG.Organization)
            if (c, RDF.type, OWL.Class) in graph}


@lru_cache(maxsize=1)
def _knowledge() -> _InstitutionFile:
    table, lines, path = _load("institutions.yaml", _InstitutionFile)
    classes = _org_classes()
    kinds = {row.kind for row in table.institutions}
    for i, row in enumerate(table.institutions):
        for key, other in [*((("units", level), unit) for level, unit in row.units.items()), (("part_of",), row.part_of)]:
            if other is not None and other not in kinds:
                raise InputError(f"{other!r} is no kind of this file", file=path,
                                 line=line_of(lines, ("institutions", i, *key)), field=".".join(["institutions", str(i), *key]))
        if row.type not in classes:
            raise InputError(f"{row.type!r} is no egkg:Organization subclass of the ontology ({', '.join(sorted(classes))})",
                             file=path, line=line_of(lines, ("institutions", i, "type")), field=f"institutions.{i}.type")
        if (row.number is None) != ("{number}" not in row.name):
            raise InputError("a numbered kind needs both `number` and \"{number}\" in its name", file=path,
                             line=line_of(lines, ("institutions", i, "name")), field=f"institutions.{i}.name")
        for j, pattern in enumerate(row.patterns):
            try:
                re.compile(pattern)
            except re.error as exc:
                raise InputError(f"not a regular expression: {exc}", file=path,
                                 line=line_of(lines, ("institutions", i, "patterns", j)),
                                 field=f"institutions.{i}.patterns.{j}") from None
    return table


def _forms(titles: list[str], patterns: list[str] = ()) -> str:
    """The regex of a row's titles: longer first, each also in capitals ("BAWASLU"); hand patterns first."""
    forms = sorted({*titles, *(t.upper() for t in titles)}, key=len, reverse=True)
    return "|".join([*patterns, *(written_form(f) for f in forms)])


# kind -> (organisation type, name stem, acronym stem, fixed level or None); offices.yaml's org_kind values
# are keys here. Groups: "<office>-se" (holders of one office across a region) and "<kind>-kabkota"
# (every regency's body in a province, "KPU kabupaten/kota se-Sultra").
ORG_KINDS: dict[str, tuple[str, str, str, str | None]] = {
    row.kind: (row.type, row.name, row.acronym, row.level) for row in _knowledge().institutions}
_NUMBER = {row.kind: re.compile(rf"(?<![\w])(?:{row.number})(?![\w])") for row in _knowledge().institutions if row.number}
_REGIONAL = {row.kind for row in _knowledge().institutions if row.regional}
_UNITS = {row.kind: row.units for row in _knowledge().institutions if row.units}
_PART_OF = {row.kind: row.part_of for row in _knowledge().institutions if row.part_of}
for _row in _knowledge().institutions:
    if not _row.level or _row.level not in ("national", "province"):
        ORG_KINDS[f"{_row.kind}-kabkota"] = (_row.type, f"{_row.name} kabupaten/kota se", _row.acronym, None)
for _office in offices():
    if _office.office and _office.label:
        ORG_KINDS.setdefault(f"{_office.office}-se", ("OfficeHolderGroup", f"{_office.label} se", _office.label, None))
for _noun in _knowledge().group_nouns:
    ORG_KINDS[f"{_noun.kind}-se"] = ("OfficeHolderGroup", f"{_noun.name} se", _noun.name, None)

_ROW_RES = [(row.kind, re.compile(r"(?:" + _forms(row.titles, row.patterns) + r")(?![\w])"))
            for row in _knowledge().institutions if row.titles or row.patterns]
_RE = re.compile(r"(?<![\w-])(?:" + "|".join(r.pattern for _, r in _ROW_RES) + r")")
_GROUP_NOUNS = re.compile(r"(?<![\w-])(?:" + "|".join(f"(?P<{n.kind.replace('-', '_')}>{_forms(n.titles)})"
                                                      for n in _knowledge().group_nouns) + r")(?![\w])")
_KIND_OF_GROUP = {n.kind.replace("-", "_"): n.kind for n in _knowledge().group_nouns}
_KIND_OF_GROUP.update({row.kind.replace("-", "_"): row.kind for row in _knowledge().institutions})
_LEVEL = re.compile(r"[ \t]+(?P<lvl>Provinsi|provinsi|Prov\.|Kabupaten|kabupaten|Kab\.?|Kota|kota|RI)(?![\w])")
_KABKOTA = re.compile(r"[ \t]*(?:Kabupaten|kabupaten|Kab\.?)[ \t]*/[ \t]*(?:Kota|kota)(?![\w])")
_PLURAL = re.compile(r"(?:" + "|".join(re.escape(w) for w in _knowledge().plural_words) + r")[ \t]+\Z", re.I)
# "se-Sultra", "Se Kabupaten Sijunjung", "se-sultra": the region every item of the list before it lies in.
_SE = re.compile(r"[ \t]*(?<![\w])[Ss]e(?:-|[ \t]+)(?=\w)")
# Between two items of a list: commas, "dan", "serta", "hingga", "maupun", "/"; a plural word may open the item.
_LIST_GAP = re.compile(r"(?:[ \t]*(?:,|/)[ \t]*(?:(?:dan|serta|hingga|maupun)[ \t]+)?|[ \t]+(?:dan|serta|hingga|maupun)[ \t]+)"
                       r"(?:(?:para|seluruh|unsur|Unsur)[ \t]+)?\Z")


@dataclass
class InstitutionMention:
    """An institution at [start, end) of kind `kind`, with level and region when printed."""

    start: int
    end: int
    kind: str
    level: str | None
    region: str | None
    confidence: float = 0.7
    number: str | None = None  # as printed, for a numbered kind ("II" of "Komisi II DPR RI")


@dataclass
class _Raw:
    """A name as printed, before the article's context places it."""

    start: int
    end: int
    kind: str
    level: str | None
    region: str | None
    level_word: str | None = None  # "Provinsi", "Kabupaten" printed without a region name
    group: bool = False
    number: str | None = None


def find_institutions(text: str) -> list[InstitutionMention]:
    """Institutions named, implied by a titled official's post, or named as groups; placed in a region."""
    raws = _national_in_enumerations(text, _named(text))
    home = _home_region(text)
    groups = _groups(text, raws, home)
    grouped = {(g.start, g.end) for g in groups}
    named_regions = _named_regions(raws)
    found = []
    for r in raws:
        if (r.start, r.end) not in grouped and (mention := _placed(r, home, named_regions)) is not None:
            mention.number = r.number
            found.append(mention)
    found += groups
    found += _implied_by_posts(text)
    return sorted((f for f in found if f is not None), key=lambda f: f.start)


def _named(text: str) -> list[_Raw]:
    found: list[_Raw] = []
    for m in finditer(_RE, text):
        if found and m.start() < found[-1].end:
            continue
        # at one place the longest name wins, whatever the row order ("Kepolisian Daerah" over "Kepolisian")
        kind, m = max(((k, r.match(text, m.start())) for k, r in _ROW_RES), key=lambda km: km[1].end() if km[1] else -1)
        level = ORG_KINDS[kind][3]
        at, region, word = m.end(), None, None
        lvl = _LEVEL.match(text, at)
        if lvl:
            word = lvl.group("lvl")
            at = lvl.end()
            if word == "RI":
                level, word = "national", None
        # "KPU Kota Tegal": the level word picks the city over the regency of the same name
        hit = gazetteer().match_at(text, lvl.start() + 1) if word else None
        if hit is None and re.match(r"[ \t]", text[at : at + 1]):
            hit = gazetteer().match_at(text, at + 1)
        raw = _Raw(m.start(), at, kind, level, None)
        if kind in _NUMBER and (number := _NUMBER[kind].search(text, m.start(), m.end())):
            raw.number = number.group(0)
        if hit:
            raw.region, raw.end = hit.code, max(at, hit.end)
            if level == "province" and "." in raw.region:
                raw.region = raw.region.split(".")[0]  # "Pengadilan Tinggi Kupang": the province seated there
            raw.level = raw.level or ("province" if hit.kind == "Province" else "regency")
        elif word:
            kabkota = _KABKOTA.match(text, lvl.start())
            if kabkota:
                raw.end, raw.group = kabkota.end(), True
            raw.level_word = word
        found.append(_unit(raw))
        if kind in _PART_OF:  # the body the named one belongs to is named too
            found.append(_Raw(raw.start, raw.end, _PART_OF[kind], ORG_KINDS[_PART_OF[kind]][3], raw.region))
    return found


def _national_in_enumerations(text: str, raws: list[_Raw]) -> list[_Raw]:
    """"KPU, KPU Provinsi dan KPU Kab/Kota": the name alone beside its own provincial and regency bodies is the national one."""
    for bare, qualified in zip(raws, raws[1:]):
        if bare.kind != qualified.kind or bare.region or bare.level_word or not qualified.level_word:
            continue
        gap = _LIST_GAP.search(text, bare.end, qualified.start)
        if gap and gap.start() == bare.end:
            bare.level = "national"
    return raws


def _unit(raw: _Raw) -> _Raw:
    """"Kejaksaan Kaltim" is the Kejati of Kaltim: a national body's branch, picked by the region's level."""
    units = _UNITS.get(raw.kind)
    if units and raw.region:
        level = "province" if "." not in raw.region else "regency"
        if level in units:
            raw.kind, raw.level = units[level], level
    return raw


def _home_region(text: str) -> str | None:
    """The region the article is about: its most named province, or a regency in it named at least as often."""
    hits = gazetteer().find_all(text)
    if not hits:
        return None
    codes = Counter(h.code for h in hits)
    provinces = Counter()
    for code, n in codes.items():
        provinces[code.split(".")[0]] += n
    province = provinces.most_common(1)[0][0]
    regencies = [(n, code) for code, n in codes.items() if "." in code and code.startswith(province + ".")]
    if regencies:
        n, code = max(regencies)
        if n >= codes.get(province, 0) and sum(1 for m, _ in regencies if m == n) == 1:
            return code
    return province


def _named_regions(raws: list[_Raw]) -> dict[str, str]:
    """Kind -> the region most often printed with that kind's name."""
    counts: dict[str, Counter] = {}
    for r in raws:
        if r.region:
            counts.setdefault(r.kind, Counter())[r.region] += 1
            for parent, units in _UNITS.items():
                if r.kind in units.values():
                    counts.setdefault(parent, Counter())[r.region] += 1
    return {kind: c.most_common(1)[0][0] for kind, c in counts.items()}


def _at_level(home: str, level: str | None) -> str | None:
    """The home region at a kind's fixed level (a province's regency cannot be guessed)."""
    if level == "province":
        return home.split(".")[0]
    if level in ("regency", "district", "village"):
        return home if "." in home else (None if level == "regency" else home)
    return home


def _placed(r: _Raw, home: str | None, named: dict[str, str]) -> InstitutionMention | None:
    if r.region or r.level == "national" and not r.level_word:
        conf = 0.8 if r.region or r.kind in ("tni", "polri", "dpr", "dpd") else 0.6
        if r.kind in named and not r.region and r.kind in _UNITS:
            return None  # "Kejaksaan" beside "Kejaksaan Kaltim" is that branch, already drafted
        return InstitutionMention(r.start, r.end, r.kind, r.level, r.region, conf)
    if home is None:
        return InstitutionMention(r.start, r.end, r.kind, r.level, None, 0.4)
    if r.level_word:
        province = r.level_word.lower().startswith("prov")
        if r.group and not province:
            return InstitutionMention(r.start, r.end, f"{r.kind}-kabkota", None, home.split(".")[0], 0.6)
        region = home.split(".")[0] if province else (home if "." in home else None)
        level = "province" if province else "regency"
        return InstitutionMention(r.start, r.end, r.kind, level, region, 0.6 if region else 0.4)
    if r.kind in named:
        region = named[r.kind]
        return InstitutionMention(r.start, r.end, r.kind, r.level, region, 0.6)
    if r.kind in _REGIONAL:
        region = _at_level(home, r.level)
        return InstitutionMention(r.start, r.end, r.kind, r.level, region, 0.55 if region else 0.4)
    return InstitutionMention(r.start, r.end, r.kind, r.level, None, 0.4)


@dataclass
class _Item:
    """One item of a list of titles or bodies: its span, the kind it names and whether it is an office title."""

    start: int
    end: int
    kind: str
    title: bool
    plural: bool = False
    region: str | None = None


def _items(text: str, raws: list[_Raw]) -> list[_Item]:
    items = [_Item(r.start, r.end, r.kind, False, region=r.region) for r in raws]
    for m in finditer(_GROUP_NOUNS, text):
        items.append(_Item(m.start(), m.end(), _KIND_OF_GROUP[m.lastgroup or ""], True))
    for start, end, office, region in office_titles(text):
        if office:
            items.append(_Item(start, end, office, True, region=region))
    # at one place the longest item wins ("Ketua KPU" over "KPU", "Bupati/Wali Kota" over "Bupati")
    items.sort(key=lambda i: (i.start, -(i.end - i.start)))
    kept: list[_Item] = []
    for item in items:
        if kept and item.start < kept[-1].end:
            continue
        kept.append(item)
    for item in kept:
        item.plural = bool(_PLURAL.search(text, max(0, item.start - 12), item.start))
    return kept


def _groups(text: str, raws: list[_Raw], home: str | None) -> list[InstitutionMention]:
    """Titles made plural by "para" or by a "se-<region>" closing their list, and the bodies in such lists."""
    items = _items(text, raws)
    by_end = {i.end: i for i in items}
    out: dict[tuple[int, int], InstitutionMention] = {}
    for item in items:
        se = _SE.match(text, item.end)
        region = gazetteer().match_at(text, se.end(), any_case=True) if se else None
        if region is None or item.region:
            continue
        run, current = [item], item
        while True:  # walk back over the list this "se-" closes
            gap = _LIST_GAP.search(text, max(0, current.start - 30), current.start)
            before = by_end.get(gap.start()) if gap else None
            if before is None or before.region:
                break
            run.append(before)
            current = before
        for member in run:
            out[(member.start, member.end)] = _member(member, region.code)
    for item in items:
        if item.plural and item.title and not item.region and (item.start, item.end) not in out and home:
            out[(item.start, item.end)] = _member(item, home)  # "para Kepala OPD": the article's region
    return list(out.values())


def _member(item: _Item, region: str) -> InstitutionMention:
    """A list item placed in the region after "se-": a title is a group; a body below that level, every such body."""
    if item.title:
        return InstitutionMention(item.start, item.end, f"{item.kind}-se", None, region, 0.6)
    level = ORG_KINDS[item.kind][3]
    if "." not in region and level not in ("national", "province") and f"{item.kind}-kabkota" in ORG_KINDS:
        return InstitutionMention(item.start, item.end, f"{item.kind}-kabkota", None, region, 0.6)
    return InstitutionMention(item.start, item.end, item.kind, level, region, 0.65)


def _implied_by_posts(text: str) -> list[InstitutionMention]:
    """"Wakapolda Sulteng Brigjen Pol. Nama": the post is in Polda Sulteng, even when the office has no post type."""
    found = []
    for o in find_officials(text):
        if o.person is None or not o.org_kind or o.org_kind not in ORG_KINDS:
            continue
        level = ORG_KINDS[o.org_kind][3]
        if o.region or level == "national":
            found.append(InstitutionMention(o.start, o.end, o.org_kind, level, o.region, 0.6))
    return found
