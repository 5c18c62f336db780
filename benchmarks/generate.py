"""Synthetic egkg data for benchmarks: one invented Rakor article and its record file per meeting, at any scale."""

# Usage: .venv/bin/python benchmarks/generate.py --scale XS|S|M|L --seed N --out DIR [--meetings K]
# writes DIR/records/*.yaml, DIR/sources/*.txt and DIR/reference/idn-area-data/ (the gazetteer with its
# ODbL notice), so that `egkg build --data DIR` runs the whole pipeline. Persons, outlets and texts are
# invented (benchmarks/names.py); regions are idn-area-data's; regulations are real statute numbers.
#
# Meeting i depends only on (seed, i): the same seed gives byte-identical files and a smaller run is a
# prefix of a larger one. The world (institutions, posts, who held which post on which day) depends on
# the seed alone, which is what makes the same officials recur across articles.

from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import json
import multiprocessing
import os
import random
import re
import shutil
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the checkout importable for `benchmarks.names`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import names as pools
from benchmarks.names import (
    DIVISIONS, NATIONAL_ORGS, NATIONAL_POSTS, ORGANIZERS, PROVINCE_ORGS, PROVINCE_POSTS, QUALIFIERS, REGENCY_ORGS,
    REGENCY_POSTS, ROTATION, STAGES, TERM_CHANGES, TERM_GROUP, THEMES,
)

__all__ = ["SCALES", "World", "generate", "main", "meeting_files"]

PROJECT = Path(__file__).resolve().parent.parent
REFERENCE = PROJECT / "data" / "reference" / "idn-area-data"
SCALES = {"XS": 20, "S": 1_000, "M": 10_000, "L": 100_000}
FIRST_DAY, LAST_DAY = dt.date(2022, 1, 1), dt.date(2024, 12, 31)
DAY = dt.timedelta(days=1)
PEMILU_DAY, PILKADA_DAY = dt.date(2024, 2, 14), dt.date(2024, 11, 27)
NEW_PROVINCES = {"93", "94", "95", "96"}  # formed in 2022: nothing to report there before 2023
HEAD_OFFICES = {"gubernur", "bupati", "wali-kota"}


def slug(text: str) -> str:
    """"Kota Baubau" -> "kota-baubau" (ASCII, for ids)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def random_day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


# ---------------------------------------------------------------------------------------------
# The world: regions, institutions, posts, venues, outlets and who held each post on each day
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    code: str
    name: str  # "Sulawesi Tenggara", "Kabupaten Bombana"
    short: str  # "Sultra", "Bombana"
    kind: str  # province, regency or city
    province: str
    key: str  # id part: "sultra", "kab-bombana", "kota-kendari"
    autonomous: bool  # elects its head: not DKI Jakarta's administrative cities, not the DIY governor


@dataclass(frozen=True)
class Org:
    id: str
    name: str
    type: str
    acronym: str | None
    level: str | None
    region: str | None

    def declaration(self, quote: str) -> dict:
        return {"id": self.id, "name": self.name, "type": self.type, "acronyms": [self.acronym] if self.acronym else None,
                "level": self.level, "region": self.region and f"region/{self.region}", "evidence": [quote]}


@dataclass(frozen=True)
class Post:
    id: str
    label: str
    office: str
    org: str
    region: str | None
    short: str  # how articles name the seat: "Kapolres Bombana"
    style: str  # degree style of its holders (names.ACADEMIC_DEGREES)
    portfolio: str | None = None

    def declaration(self, quote: str) -> dict:
        return {"id": self.id, "label": self.label, "office": self.office, "organization": f"org/{self.org}",
                "region": self.region and f"region/{self.region}", "evidence": [quote]}


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    printed: str
    prefixes: tuple[str, ...]
    degrees: tuple[str, ...]
    ranks: tuple[str, ...]

    def declaration(self, quote: str) -> dict:
        # Identical in every file except evidence and aliases, so repeated declarations merge cleanly.
        return {"id": self.id, "name": self.name, "printed": self.printed if self.printed != self.name else None,
                "honorific_prefixes": list(self.prefixes), "academic_degrees": list(self.degrees),
                "ranks": list(self.ranks), "aliases": [], "evidence": [quote]}


@dataclass(frozen=True)
class Spell:
    start: dt.date
    end: dt.date
    person: str
    kind: str  # appointment kind: Definitive, Pj, Pjs, Plh, Plt


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    region: str
    city: str  # for the dateline
    role: str  # whose venue it is (an organiser role) or "hotel"


@dataclass
class Unit:
    """The institutions, posts, venues and outlets of one region, or of the nation (region None)."""

    region: Region | None
    orgs: dict[str, Org] = field(default_factory=dict)
    posts: dict[str, Post] = field(default_factory=dict)
    places: list[Place] = field(default_factory=list)
    outlets: list[Org] = field(default_factory=list)


def load_regions(directory: Path = REFERENCE) -> dict[str, Region]:
    """Provinces and regencies from the gazetteer, with the short forms articles use."""
    regions: dict[str, Region] = {}
    with (directory / "provinces.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            abbr = pools.PROVINCE_ABBR[row["code"]]
            regions[row["code"]] = Region(row["code"], row["name"], abbr, "province", row["code"], slug(abbr),
                                          row["code"] != "34")
    with (directory / "regencies.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            city = row["name"].startswith("Kota ")
            short = re.sub(r"^(Kabupaten|Kota)( Administrasi)? ", "", row["name"])
            regions[row["code"]] = Region(row["code"], row["name"], short, "city" if city else "regency",
                                          row["province_code"], f"{'kota' if city else 'kab'}-{slug(short)}",
                                          row["province_code"] != "31")
    return regions


def _fields(region: Region | None) -> dict[str, str]:
    """Values for the {placeholders} of the institution tables."""
    if region is None:
        return {}
    city = region.kind == "city"
    return {"k": region.key, "n": region.name, "a": region.short, "s": region.short, "slug": slug(region.short),
            "pem": "pemkot" if city else "pemkab", "Pem": "Pemkot" if city else "Pemkab", "kota": "Kota " if city else "",
            "polres": "Polresta" if city else "Polres", "ta": "ta" if city else "",
            "head": "wali-kota" if city else "bupati", "Head": "Wali Kota" if city else "Bupati"}


def make_unit(region: Region | None) -> Unit:
    """A region's institutions and posts from the tables; KPU members sit in one post per division."""
    if region is None:
        org_rows, post_rows, divisions, kpu_short = NATIONAL_ORGS, NATIONAL_POSTS, DIVISIONS, "Anggota KPU RI"
    elif region.kind == "province":
        org_rows, post_rows, divisions, kpu_short = PROVINCE_ORGS, PROVINCE_POSTS, DIVISIONS, "Anggota KPU {a}"
    else:
        org_rows, post_rows, divisions, kpu_short = REGENCY_ORGS, REGENCY_POSTS, DIVISIONS[:2], "Anggota KPU {n}"
    values = _fields(region)
    code = region.code if region else None
    unit = Unit(region)
    for role, key, name, kind, acronym, level in org_rows:
        if role == "dprd" and region is not None and region.kind != "province" and not region.autonomous:
            continue  # DKI Jakarta's administrative cities have no DPRD of their own (DIY's province does)
        unit.orgs[role] = Org(key.format(**values), name.format(**values), kind,
                              acronym and acronym.format(**values), level, code)
    for role, key, label, office, org_role, short, style in post_rows:
        if org_role in unit.orgs:
            unit.posts[role] = Post(key.format(**values), label.format(**values), office.format(**values),
                                    unit.orgs[org_role].id, code, short.format(**values), style)
    kpu = unit.orgs["kpu"]
    for key, label in divisions:
        formal = kpu.name.replace("Komisi Pemilihan Umum", "KPU")
        unit.posts[f"anggota-{key}"] = Post(f"anggota-{kpu.id}-{key}", f"Anggota {formal} {label}", "anggota-kpu",
                                            kpu.id, code, kpu_short.format(**values), "civil", label)
    return unit


class People:
    """Invents office holders: unique names in a region's style, with titles fitting the office."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.by_id: dict[str, Person] = {}
        self._names = set(pools.AVOIDED_NAMES)

    def new(self, post: Post, region: Region | None, kind: str) -> str:
        rng = self.rng
        female = post.style in ("civil", "law") and rng.random() < 0.22
        name = self._unique_name(region, female)
        ranks: tuple[str, ...] = ()
        if kind == "Definitive" and post.office in pools.RANKS:
            ranks = (rng.choice(pools.RANKS[post.office]),)
        elif kind == "Pj" and post.office == "gubernur" and rng.random() < 0.15:
            ranks = (rng.choice(("Komjen Pol. (P)", "Mayjen TNI (Purn.)")),)  # senior officers serve as Pj too
        prefixes: tuple[str, ...] = ()
        if post.style in ("civil", "law"):
            draw = rng.random()
            if draw < 0.08:
                prefixes = ("Dr.", "Hj." if female else "H.")
            elif draw < 0.38:
                prefixes = (rng.choice(pools.HONORIFICS["female" if female else "male"]),)
        degrees = rng.choice(pools.ACADEMIC_DEGREES[post.style])
        printed = " ".join((*ranks, *prefixes, name)) + (", " + ", ".join(degrees) if degrees else "")
        person_id = slug(name)
        while person_id in self.by_id:  # two spellings with one slug ("da Silva", "Da Silva")
            person_id += "-x"
        self.by_id[person_id] = Person(person_id, name, printed, prefixes, degrees, ranks)
        return person_id

    def _unique_name(self, region: Region | None, female: bool) -> str:
        for _ in range(40):
            name = self._name(region, female)
            if name not in self._names:
                break
        while name in self._names:  # pools exhausted for this shape: a longer name is always new enough
            name = f"{self.rng.choice(pools.FEMALE if female else pools.MALE)} {name}"
        self._names.add(name)
        return name

    def _name(self, region: Region | None, female: bool) -> str:
        rng = self.rng
        style = pools.STYLES.get(pools.NAME_STYLE.get(region.province, "")) if region else None
        if style and rng.random() < 0.6:
            firsts, lasts, single = style[1] if female else style[0], style[2], style[3]
        else:
            firsts, lasts, single = pools.FEMALE if female else pools.MALE, pools.LAST, 0.08
        draw = rng.random()
        if draw < single:
            return rng.choice(lasts if rng.random() < 0.5 else firsts)
        if draw < 0.6:
            return f"{rng.choice(firsts)} {rng.choice(lasts)}"
        middle = rng.choice(pools.FEMALE if female else pools.MALE)
        return f"{rng.choice(firsts)} {middle} {rng.choice(lasts)}"


def overlay(spells: list[Spell], acting: Spell) -> list[Spell]:
    """An acting holder takes over for a while; the spells around it are cut, not removed."""
    out = [acting]
    for spell in spells:
        if spell.end < acting.start or spell.start > acting.end:
            out.append(spell)
            continue
        if spell.start < acting.start:
            out.append(Spell(spell.start, acting.start - DAY, spell.person, spell.kind))
        if spell.end > acting.end:
            out.append(Spell(acting.end + DAY, spell.end, spell.person, spell.kind))
    return sorted(out, key=lambda s: s.start)


def head_timeline(rng: random.Random, region: Region, new) -> list[Spell]:
    """Regional heads: terms ending in 2022 or 2023 were followed by yearly Pj appointments (no election
    before November 2024); heads still in office took campaign leave in 2024 and a Pjs stood in."""
    if not region.autonomous:
        return [Spell(FIRST_DAY, LAST_DAY, new("Definitive"), "Definitive")]
    if region.code in NEW_PROVINCES:
        return pj_chain(rng, dt.date(2022, 11, 11), new)
    draw = rng.random()
    if draw < 0.75:
        year = 2022 if draw < 0.3 else 2023
        end = random_day(rng, dt.date(year, 2, 1), dt.date(year, 12, 31))
        return [Spell(FIRST_DAY, end, new("Definitive"), "Definitive"), *pj_chain(rng, end + DAY, new)]
    spells = [Spell(FIRST_DAY, LAST_DAY, new("Definitive"), "Definitive")]
    if rng.random() < 0.08:  # a Plt while the head cannot serve (illness, an investigation)
        start = random_day(rng, dt.date(2022, 3, 1), dt.date(2024, 5, 31))
        spells = overlay(spells, Spell(start, start + dt.timedelta(days=rng.randint(30, 120)), new("Plt"), "Plt"))
    if rng.random() < 0.6:
        spells = overlay(spells, Spell(dt.date(2024, 9, 25), dt.date(2024, 11, 23), new("Pjs"), "Pjs"))
    return spells


def pj_chain(rng: random.Random, start: dt.date, new) -> list[Spell]:
    """Pj terms of a year; half are extended for the same person."""
    spells: list[Spell] = []
    day = start
    while day <= LAST_DAY:
        end = min(day + dt.timedelta(days=364), LAST_DAY)
        if spells and rng.random() < 0.5:
            spells[-1] = Spell(spells[-1].start, end, spells[-1].person, "Pj")
        else:
            spells.append(Spell(day, end, new("Pj"), "Pj"))
        day = end + DAY
    return spells


def term_timeline(rng: random.Random, post: Post, region: Region | None, new) -> list[Spell]:
    """Commissioners and DPRD chairs: one change of membership in the window, now and then a Plh chair."""
    level = "national" if region is None else ("province" if region.kind == "province" else "regency")
    window = TERM_CHANGES.get((TERM_GROUP[post.office], level))
    if window is None:
        spells = [Spell(FIRST_DAY, LAST_DAY, new("Definitive"), "Definitive")]
    else:
        change = random_day(rng, *window)
        spells = [Spell(FIRST_DAY, change - DAY, new("Definitive"), "Definitive"),
                  Spell(change, LAST_DAY, new("Definitive"), "Definitive")]
    if post.office == "ketua-kpu" and rng.random() < 0.12:
        start = random_day(rng, FIRST_DAY, LAST_DAY - dt.timedelta(days=60))
        acting = Spell(start, start + dt.timedelta(days=rng.randint(20, 60)), new("Plh"), "Plh")
        if any(s.start <= acting.start and acting.end <= s.end for s in spells):  # only inside one term
            spells = overlay(spells, acting)
    return spells


def rotation_timeline(rng: random.Random, post: Post, new) -> list[Spell]:
    """Appointed offices rotate; a Plt may fill the seat until the next appointment."""
    shortest, longest, acting, rate = ROTATION[post.office]
    spells: list[Spell] = []
    day = FIRST_DAY
    length = rng.randint(30, longest)  # the holder on 1 January 2022 took office earlier
    while day <= LAST_DAY:
        end = min(day + dt.timedelta(days=length - 1), LAST_DAY)
        spells.append(Spell(day, end, new("Definitive"), "Definitive"))
        day = end + DAY
        if acting and day <= LAST_DAY and rng.random() < rate:
            end = min(day + dt.timedelta(days=rng.randint(14, 75)), LAST_DAY)
            spells.append(Spell(day, end, new(acting), acting))
            day = end + DAY
        length = rng.randint(shortest, longest)
    return spells


class World:
    """Everything the articles report on; built from the seed alone."""

    def __init__(self, seed: int, reference: Path = REFERENCE):
        rng = random.Random(f"world:{seed}")
        self.regions = load_regions(reference)
        self.national = make_unit(None)
        self.units = {code: make_unit(region) for code, region in sorted(self.regions.items())}
        self.provinces = sorted(c for c, r in self.regions.items() if r.kind == "province")
        self.regencies_of: dict[str, list[str]] = {p: [] for p in self.provinces}
        for code, region in sorted(self.regions.items()):
            if region.kind != "province":
                self.regencies_of[region.province].append(code)
        # Bigger provinces hold more meetings.
        self.province_weights = [len(self.regencies_of[p]) + 1 for p in self.provinces]
        self.orgs = {o.id: o for u in (self.national, *self.units.values()) for o in u.orgs.values()}
        self.posts = {p.id: p for u in (self.national, *self.units.values()) for p in u.posts.values()}
        self.people = People(rng)
        self.spells: dict[str, list[Spell]] = {}
        for unit in (self.national, *self.units.values()):
            for post in unit.posts.values():
                self.spells[post.id] = self._timeline(rng, post, unit.region)
        self._starts = {post: [s.start for s in spells] for post, spells in self.spells.items()}
        used: set[str] = set()
        for unit in (self.national, *self.units.values()):
            unit.places = self._venues(rng, unit, used)
            unit.outlets = self._outlets(rng, unit)

    def _timeline(self, rng: random.Random, post: Post, region: Region | None) -> list[Spell]:
        def new(kind: str) -> str:
            return self.people.new(post, region, kind)

        if post.office in HEAD_OFFICES:
            return head_timeline(rng, region, new)
        if post.office in TERM_GROUP:
            return term_timeline(rng, post, region, new)
        return rotation_timeline(rng, post, new)

    def active(self, post_id: str, day: dt.date) -> Spell | None:
        """Who exercised the post on `day` (an acting holder while one stands in)."""
        at = bisect.bisect_right(self._starts[post_id], day) - 1
        if at < 0:
            return None
        spell = self.spells[post_id][at]
        return spell if spell.end >= day else None

    def capital(self, province: str) -> Region:
        wanted = pools.CAPITALS[province]
        return next((self.regions[c] for c in self.regencies_of[province] if self.regions[c].name == wanted),
                    self.regions[self.regencies_of[province][0]])

    def _venues(self, rng: random.Random, unit: Unit, used: set[str]) -> list[Place]:
        region = unit.region
        if region is None:
            where = self.regions["31.71"]
            rows = [("kpu", "Kantor KPU RI"), ("bawaslu", "Aula Kantor Bawaslu RI")]
            city = "Jakarta"
        elif region.kind == "province":
            where = self.capital(region.code)
            n, a = region.name, region.short
            rows = [("pemda", f"Ruang Pola Kantor Gubernur {a}"), ("kpu", f"Aula Kantor KPU Provinsi {n}"),
                    ("bawaslu", f"Aula Kantor Bawaslu Provinsi {n}"), ("polisi", f"Gedung Mapolda {a}"),
                    ("kesbangpol", f"Aula Badan Kesbangpol Provinsi {n}")]
            city = where.short
        else:
            where, s, n = region, region.short, region.name
            head = "Wali Kota" if region.kind == "city" else "Bupati"
            rows = [("pemda", f"Aula Kantor {head} {s}"), ("pemda", f"Pendopo Rumah Jabatan {head} {s}"),
                    ("kpu", f"Aula Kantor KPU {n}"), ("bawaslu", f"Aula Kantor Bawaslu {n}"),
                    ("polisi", f"Aula Mapolres{'ta' if region.kind == 'city' else ''} {s}"),
                    ("kesbangpol", f"Aula Kantor Kesbangpol {s}")]
            city = s
        for word in rng.sample(pools.HOTEL_WORDS, 3 if region is None else 2):
            rows.append(("hotel", f"Hotel {'Grand ' if rng.random() < 0.4 else ''}{word} {city}"))
        places = []
        for role, name in rows:
            place_id = slug(name)
            if place_id in used:  # the same hotel name in two cities of one name
                place_id = f"{place_id}-{where.code.replace('.', '-')}"
            used.add(place_id)
            places.append(Place(place_id, name, where.code, city, role))
        return places

    def _outlets(self, rng: random.Random, unit: Unit) -> list[Org]:
        if unit.region is None:
            names = pools.NATIONAL_OUTLETS
        elif unit.region.kind == "province":
            names = [p.format(abbr=unit.region.short) for p in rng.sample(pools.OUTLET_PATTERNS, 2)]
        else:
            return []  # regency news comes from the province's outlets
        return [Org(slug(n), n, "MediaOutlet", None, None, None) for n in names]


# ---------------------------------------------------------------------------------------------
# What the articles talk about: elections, stages, regulations, meeting themes
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Election:
    id: str
    name: str
    acronym: str
    type: str
    day: dt.date


ELECTIONS = {
    "pemilu-2024": Election("pemilu-2024", "Pemilihan Umum 2024", "Pemilu 2024", "general-election", PEMILU_DAY),
    "pilkada-serentak-2024": Election("pilkada-serentak-2024", "Pemilihan Kepala Daerah Serentak 2024",
                                      "Pilkada Serentak 2024", "regional-election", PILKADA_DAY),
}
STAGE_TOPIC = {"voter-data-update": "voter-data", "coklit": "voter-data", "campaign": "campaign",
               "ad-hoc-recruitment": "ad-hoc-recruitment", "voting": "election-preparation",
               "recapitulation": "election-preparation"}


@dataclass(frozen=True)
class Regulation:
    id: str
    printed: str
    about: str  # "{ref}" is the citation of what it amends or enacts
    since: dt.date  # not cited before it was issued
    amends: str | None = None
    enacts: str | None = None


REGULATIONS = {row[0]: Regulation(*row) for row in pools.REGULATIONS}


def regulation_title(reg_id: str) -> str:
    """The "tentang ..." part, nesting the citation of what it amends or enacts (as Indonesian law cites)."""
    reg = REGULATIONS[reg_id]
    target = reg.amends or reg.enacts
    return reg.about.format(ref=cite(target)) if target else reg.about


def cite(reg_id: str) -> str:
    return f"{REGULATIONS[reg_id].printed} tentang {regulation_title(reg_id)}"


def regulation_chain(reg_id: str) -> list[str]:
    """The regulation and everything its citation names: each must be declared in the same file."""
    reg = REGULATIONS[reg_id]
    target = reg.amends or reg.enacts
    return [reg_id, *(regulation_chain(target) if target else [])]


def regulation_declaration(reg_id: str) -> dict:
    kind, year, number = reg_id.split("/")
    reg = REGULATIONS[reg_id]
    return {"id": reg_id, "type": kind, "number": number, "year": int(year), "title": regulation_title(reg_id),
            "amends": reg.amends and [f"regulation/{reg.amends}"], "enacts": reg.enacts and [f"regulation/{reg.enacts}"],
            "printed": reg.printed, "evidence": [reg.printed]}


def short_date(day: dt.date) -> str:
    return f"{pools.WEEKDAYS[day.weekday()]} ({day.day}/{day.month}/{day.year})"


def long_date(day: dt.date) -> str:
    return f"{day.day} {pools.MONTHS[day.month - 1]} {day.year}"


def full_stop(sentence: str) -> str:
    """End a sentence once: a name ending in a degree ("M.Si.") already carries the stop."""
    return sentence if sentence.endswith(".") else sentence + "."


def joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " serta " + items[-1]


# ---------------------------------------------------------------------------------------------
# One article and its record file, written together: every quote is cut from the text it builds
# ---------------------------------------------------------------------------------------------


class Story:
    """One synthetic Rakor report: plans the meeting, writes the article, collects the record."""

    def __init__(self, world: World, seed: int, index: int):
        self.world, self.seed, self.index = world, seed, index
        self.rng = random.Random(f"meeting:{seed}:{index}")
        self.paras: list[str] = []
        self.declared: dict[str, dict[str, dict]] = {section: {} for section in (
            "persons", "organizations", "posts", "places", "regulations", "elections", "stages")}
        self.holdings: dict[tuple[str, str, str], dict] = {}
        self.participants: dict[str, dict] = {}
        self.seats: dict[str, tuple[Post, Spell, str]] = {}  # person id -> post, spell, qualifier as printed
        self.observations: list[dict] = []
        self.source_errors: list[dict] = []
        self.furniture: list[dict] = []
        self.citations: list[dict] = []
        self.chair: str | None = None
        self._plan()

    # -- planning ------------------------------------------------------------------------------

    def _plan(self) -> None:
        rng, world = self.rng, self.world
        draw = rng.random()
        self.province = None if draw < 0.08 else rng.choices(world.provinces, weights=world.province_weights)[0]
        if self.province is None:
            self.scope, self.unit = "national", world.national
        elif draw < 0.4:
            self.scope, self.unit = "province", world.units[self.province]
        else:
            self.scope, self.unit = "regency", world.units[rng.choice(world.regencies_of[self.province])]
        self.day = self._pick_day()
        self.end = self.day + DAY if rng.random() < 0.12 and self.day < LAST_DAY else self.day
        weights = [w_national if self.scope == "national" else w_region for _, w_region, w_national in ORGANIZERS]
        self.role = rng.choices([role for role, *_ in ORGANIZERS], weights=weights)[0]
        self.organizer = self.unit.orgs[self.role]
        self.chair_post = self.unit.posts["head" if self.role == "pemda" else self.role]
        self.venue = self._pick_venue()
        self.elections = self._pick_elections()
        self.label = ELECTIONS[self.elections[0]].acronym
        theme, topics = rng.choice(THEMES[self.role])
        self.theme = theme.format(e=self.label)
        self.title = f"Rapat Koordinasi (Rakor) {self.theme}"
        self.topics = list(topics)
        region = self.unit.region
        self.region_text = "Indonesia" if region is None else region.name
        self.contest = self._contest()
        self.outlet = rng.choice((world.units[self.province] if self.province else world.national).outlets)
        key = region.key if region else "nasional"
        self.meeting_id = f"{self.day.isoformat()}-rakor-{key}-{self.index:06d}"
        self.source_id = f"{self.outlet.id}-{self.meeting_id}"

    def _pick_day(self) -> dt.date:
        first = dt.date(2023, 1, 1) if self.province in NEW_PROVINCES else FIRST_DAY
        year = self.rng.choices((2022, 2023, 2024), weights=(2, 3, 5))[0]
        low, high = max(first, dt.date(year, 1, 1)), dt.date(year, 12, 31)
        return random_day(self.rng, *((low, high) if low <= high else (first, LAST_DAY)))

    def _pick_venue(self) -> Place:
        rng, places = self.rng, self.unit.places
        if self.scope == "province" and rng.random() < 0.15:  # now and then in a hotel outside the capital
            places = self.world.units[rng.choice(self.world.regencies_of[self.province])].places
        own = [p for p in places if p.role == self.role]
        hotels = [p for p in places if p.role == "hotel"]
        return rng.choice(own) if own and rng.random() < 0.65 else rng.choice(hotels)

    def _pick_elections(self) -> list[str]:
        rng = self.rng
        if self.day <= PEMILU_DAY:
            both = self.day >= dt.date(2023, 9, 1) and rng.random() < 0.3
            return ["pemilu-2024", "pilkada-serentak-2024"] if both else ["pemilu-2024"]
        late_pemilu = self.day <= dt.date(2024, 3, 31) and rng.random() < 0.3  # recapitulation, disputes
        return ["pilkada-serentak-2024", "pemilu-2024"] if late_pemilu else ["pilkada-serentak-2024"]

    def _contest(self) -> Election | None:
        """The region's own contest in the Pilkada, when the meeting prepares it."""
        region = self.unit.region
        if region is None or not region.autonomous or "pilkada-serentak-2024" not in self.elections:
            return None
        if region.kind == "province":
            name, kind = f"Pemilihan Gubernur dan Wakil Gubernur {region.name} 2024", "governor-election"
        elif region.kind == "city":
            name, kind = f"Pemilihan Wali Kota dan Wakil Wali Kota {region.short} 2024", "mayor-election"
        else:
            name, kind = f"Pemilihan Bupati dan Wakil Bupati {region.short} 2024", "regent-election"
        return Election(f"pilkada-{region.key}-2024", name, name, kind, PILKADA_DAY)

    # -- declarations --------------------------------------------------------------------------

    def _org(self, org: Org, quote: str) -> None:
        self.declared["organizations"].setdefault(org.id, org.declaration(quote))

    def _post(self, post: Post, quote: str) -> None:
        self.declared["posts"].setdefault(post.id, post.declaration(quote))
        self._org(self.world.orgs[post.org], quote)

    def _holder(self, post: Post, spell: Spell) -> str:
        """Name the holder with office and titles; declare person, post and holding on that mention."""
        rng = self.rng
        person = self.world.people.by_id[spell.person]
        qualifier = rng.choice(QUALIFIERS[spell.kind])
        slip = spell.kind == "Pjs" and rng.random() < 0.2
        if slip:
            qualifier = "Pejabat Sementara (Pjs) "  # a common slip for Penjabat Sementara
        seat = f"{post.short} {post.portfolio}" if post.portfolio else post.short
        mention = f"{qualifier}{seat} {person.printed}"
        self.declared["persons"].setdefault(person.id, person.declaration(mention))
        self._post(post, mention)
        self.holdings.setdefault((person.id, post.id, spell.kind), {
            "holder": f"person/{person.id}", "post": f"post/{post.id}", "kind": spell.kind,
            "attested_on": [self.day], "portfolio": post.portfolio, "evidence": [mention]})
        self.seats[person.id] = (post, spell, qualifier)
        if slip:
            self.source_errors.append({
                "id": f"{self.meeting_id}-{person.id}-pejabat-sementara", "kind": "wrong-term",
                "printed": "Pejabat Sementara (Pjs)",
                "correction": "Penjabat Sementara (Pjs)", "concerns": f"person/{person.id}",
                "note": "Pjs stands for Penjabat Sementara; the appointment kind is not in doubt",
                "evidence": [mention]})
        return mention

    def _participant(self, who: str, roles: list[str], quote: str, **fields) -> None:
        self.participants[who] = {"who": who, **fields, "roles": roles, "evidence": [quote]}

    # -- the article, paragraph by paragraph ---------------------------------------------------

    def write(self) -> tuple[str, dict]:
        self._headline()
        self._lead()
        self._chair()
        self._attendance()
        self._speeches()
        if self.rng.random() < 0.5:
            self._furniture(self.rng.choice(pools.BACA_JUGA), "related-article link inside the body")
        if self.rng.random() < 0.55:
            self._citations()
        self._elections()
        if self.rng.random() < 0.5:
            self._stage()
        if self.unit.region is not None and self.rng.random() < 0.3:
            self._observation()
        self._pj_inauguration()
        self.paras.append(self.rng.choice(pools.CLOSINGS).format(election=self.label))
        reporter, editor = self.rng.sample(pools.REPORTERS, 2)
        self.byline = f"Penulis: {reporter} | Editor: {editor}"
        self.reporter = reporter
        self._furniture(self.byline, "byline and editor line")
        if self.rng.random() < 0.3:
            self._furniture("Tinggalkan Balasan", "comment form")
        return "\n\n".join(self.paras) + "\n", self._record()

    def _furniture(self, quote: str, reason: str) -> None:
        self.paras.append(quote)
        self.furniture.append({"quote": quote, "reason": reason})

    def _headline(self) -> None:
        acronym = self.organizer.acronym
        options = [f"{acronym} Gelar Rakor {self.theme}", f"{self.chair_post.short} Pimpin Rakor {self.theme}"]
        if self.day < ELECTIONS[self.elections[0]].day:
            options.append(f"Jelang {self.label}, {acronym} Gelar Rapat Koordinasi")
        self.headline = self.rng.choice(options)
        self.paras.append(self.headline)
        if self.rng.random() < 0.4:
            self._furniture("Bagikan: Facebook Twitter WhatsApp", "share buttons under the headline")

    def _lead(self) -> None:
        rng, venue, org = self.rng, self.venue, self.organizer
        if self.end != self.day:
            first, last = self.day, self.end
            days = f"{pools.WEEKDAYS[first.weekday()]}-{pools.WEEKDAYS[last.weekday()]}"
            span = (f"{first.day}-{last.day} {pools.MONTHS[first.month - 1]}" if first.month == last.month else
                    f"{first.day} {pools.MONTHS[first.month - 1]}-{last.day} {pools.MONTHS[last.month - 1]}")
            where = f"di {venue.name} selama dua hari, {days}, {span} {last.year}"
        else:
            when = short_date(self.day) if rng.random() < 0.6 else (
                f"{pools.WEEKDAYS[self.day.weekday()]}, {long_date(self.day)}")
            where = f"di {venue.name}, {when}"
        self.dateline = f"{self.outlet.name}, {venue.city} –"
        named = f"{org.name} ({org.acronym})"
        self.paras.append(f"{self.dateline} {named} menggelar {self.title} {where}.")
        self._org(self.outlet, self.dateline)
        self._org(org, named)
        self._participant(f"org/{org.id}", ["organizer"], f"{named} menggelar")
        self.declared["places"][venue.id] = {"id": venue.id, "name": venue.name, "region": f"region/{venue.region}",
                                             "evidence": [venue.name]}
        self.meeting_evidence = [f"menggelar {self.title}", where]

    def _chair(self) -> None:
        spell = self.world.active(self.chair_post.id, self.day)
        if spell is None:
            return
        mention = self._holder(self.chair_post, spell)
        verb = self.rng.choice(("Rakor tersebut dipimpin langsung oleh", "Kegiatan itu dipimpin oleh", "Rapat dipimpin oleh"))
        self.paras.append(full_stop(f"{verb} {mention}"))
        self.chair = f"person/{spell.person}"
        self._participant(self.chair, ["chair"], f"{verb} {mention}", capacity=f"post/{self.chair_post.id}")

    def _candidates(self) -> list[tuple]:
        """Who else may attend: posts, a representative of the level above, and named groups."""
        rng, world, unit = self.rng, self.world, self.unit
        if self.scope == "regency":
            above = world.units[unit.region.province]
            posts = [*unit.posts.values(), above.posts["bawaslu"], above.posts["kesbangpol"]]
            reps = [(above.orgs["kpu"], above.posts[f"anggota-{rng.choice(DIVISIONS)[0]}"])]
            groups = [("forkopimda", "unsur {a}"), ("opd", "para {n}"), ("camat", "para {n}"), ("ppk", "{n}"),
                      ("panwascam", "{n}")]
        elif self.scope == "province":
            regencies = rng.sample(world.regencies_of[self.province], min(6, len(world.regencies_of[self.province])))
            posts = [*unit.posts.values(), *(world.units[r].posts["head"] for r in regencies),
                     *(world.units[r].posts["kpu"] for r in regencies[:3])]
            reps = [(world.national.orgs["kpu"], world.national.posts[f"anggota-{rng.choice(DIVISIONS)[0]}"])]
            groups = [("forkopimda", "unsur {a}"), ("opd", "para {n}"), ("heads", "para {n}"), ("kpu-chairs", "para {n}")]
        else:
            provinces = [p for p in world.provinces if p not in NEW_PROVINCES or self.day.year >= 2023]
            sample = rng.sample(provinces, 10)
            posts = [*unit.posts.values(), *(world.units[p].posts["kpu"] for p in sample),
                     *(world.units[p].posts["bawaslu"] for p in sample[:6]),
                     *(world.units[p].posts["kesbangpol"] for p in sample[:4])]
            reps = []
            groups = [(role, "perwakilan {a}") for role in ("dkpp", "kemendagri", "polisi", "tni", "kejaksaan")]
        items = [("post", post) for post in posts if post.id != self.chair_post.id]
        items += [("rep", org, post) for org, post in reps]
        items += [("group", unit.orgs[role], form) for role, form in groups]
        rng.shuffle(items)
        return items

    def _attendance(self) -> None:
        rng = self.rng
        wanted = round(rng.triangular(5, 30, 7)) - len(self.participants)
        mentions = []
        for item in self._candidates():
            if len(mentions) >= wanted:
                break
            mention = self._attendee(item)
            if mention:
                mentions.append(mention)
        for start in range(0, len(mentions), 12):  # long lists run over two paragraphs, as in print
            opener = rng.choice(("Hadir dalam kegiatan tersebut", "Turut hadir", "Rakor ini diikuti oleh")) \
                if start == 0 else "Selain itu, tampak pula"
            self.paras.append(full_stop(f"{opener} {joined(mentions[start:start + 12])}"))

    def _attendee(self, item: tuple) -> str | None:
        kind = item[0]
        if kind == "group":
            org, form = item[1], item[2]
            mention = form.format(a=org.acronym, n=org.name)
            self._org(org, mention)
            self._participant(f"org/{org.id}", ["attendee"], mention)
            return mention
        post = item[2] if kind == "rep" else item[1]
        spell = self.world.active(post.id, self.day)
        if spell is None or f"person/{spell.person}" in self.participants:
            return None
        if kind == "rep":
            org = item[1]
            mention = f"{org.acronym} yang diwakili oleh {self._holder(post, spell)}"
            self._org(org, mention)
            self._participant(f"person/{spell.person}", ["representative"], mention, capacity=f"post/{post.id}",
                              represents=f"org/{org.id}")
        elif self.rng.random() < 0.85:
            mention = self._holder(post, spell)
            self._participant(f"person/{spell.person}", ["attendee"], mention, capacity=f"post/{post.id}")
        else:  # the seat is named, its holder is not
            qualifier = self.rng.choice(QUALIFIERS[spell.kind])
            mention = f"{qualifier}{post.short} {post.portfolio}" if post.portfolio else f"{qualifier}{post.short}"
            self._post(post, mention)
            self._participant(f"post/{post.id}", ["attendee"], mention,
                              appointment=None if spell.kind == "Definitive" else spell.kind)
        return mention

    def _speeches(self) -> None:
        rng = self.rng
        persons = [who for who in self.participants if who.startswith("person/") and who != self.chair]
        speakers = [self.chair] if self.chair and rng.random() < 0.8 else []
        speakers += rng.sample(persons, min(len(persons), rng.randint(0, 2)))
        for number, who in enumerate(speakers):
            topic = self.topics[0] if number == 0 else rng.choice(sorted(pools.TOPIC_SENTENCES))
            sentence = rng.choice(pools.TOPIC_SENTENCES[topic]).format(region=self.region_text, election=self.label)
            person = self.world.people.by_id[who.split("/", 1)[1]]
            post, _, qualifier = self.seats[person.id]
            said = self._variant(person) if rng.random() < 0.04 and " " in person.name else person.name
            seat = f"{qualifier}{post.short}"
            form = 0 if number == 0 else rng.randrange(3)
            if form == 0:
                attribution = f"{seat} {said} mengatakan"
                self.paras.append(f"Dalam sambutannya, {attribution}, “{sentence}.”")
            elif form == 1:
                attribution = f"kata {seat} {said}"
                self.paras.append(f"“{sentence},” {attribution}.")
            else:
                attribution = f"{seat} {said} menambahkan"
                self.paras.append(f"{attribution}, “{sentence}.”")
            participant = self.participants[who]
            participant["roles"] = [*participant["roles"], "speaker"]
            participant["evidence"] = [*participant["evidence"], attribution]
            if said != person.name:
                self._misspelt(person, said, attribution)
            if topic not in self.topics:
                self.topics.append(topic)

    def _variant(self, person: Person) -> str:
        """A slip in the surname: lower case, or a letter dropped."""
        *given, last = person.name.split(" ")
        if self.rng.random() < 0.5 or len(last) < 5:
            return " ".join([*given, last.lower()])
        cut = self.rng.randrange(1, len(last) - 1)
        return " ".join([*given, last[:cut] + last[cut + 1:]])

    def _misspelt(self, person: Person, printed: str, quote: str) -> None:
        kind = "case-variant" if printed.lower() == person.name.lower() else "misspelling"
        declaration = self.declared["persons"][person.id]
        declaration["aliases"] = [*declaration["aliases"], {"name": printed, "kind": kind, "evidence": [quote]}]
        self.source_errors.append({
            "id": f"{self.meeting_id}-{person.id}-name", "kind": "misspelling", "printed": printed,
            "correction": person.name, "concerns": f"person/{person.id}",
            "note": "the name is printed differently once; kept as an alias", "evidence": [quote]})

    def _citations(self) -> None:
        rng, day = self.rng, self.day
        options: list[str] = []
        if "pemilu-2024" in self.elections:
            options += ["uu/2023/7" if day >= REGULATIONS["uu/2023/7"].since else "uu/2017/7", "pkpu/2022/3"]
            options += ["pkpu/2022/7"] if self.role == "kpu" else []
        if "pilkada-serentak-2024" in self.elections:
            options += ["uu/2016/10", "uu/2020/6", "pkpu/2024/2"]
        options += {"kesbangpol": ["permendagri/2011/61"], "pemda": ["permendagri/2020/41"]}.get(self.role, [])
        options = [r for r in dict.fromkeys(options) if REGULATIONS[r].since <= day]
        cited = []
        for reg_id in rng.sample(options, min(len(options), rng.randint(1, 2))):
            quote, article = cite(reg_id), None
            if rng.random() < 0.2:
                article = str(rng.randint(1, 40))
                quote = f"{quote}, khususnya Pasal {article}"
            cited.append(quote)
            self.citations.append({"regulation": f"regulation/{reg_id}", "article": article, "evidence": [quote]})
            for link in regulation_chain(reg_id):
                self.declared["regulations"].setdefault(link, regulation_declaration(link))
            if reg_id.startswith("pkpu/") and "election-schedule" not in self.topics:
                self.topics.append("election-schedule")
        speaker = self.world.people.by_id[self.chair.split("/", 1)[1]].name if self.chair else self.organizer.acronym
        self.paras.append(f"{speaker} menjelaskan, pelaksanaan rakor ini berpedoman pada {' serta '.join(cited)}.")

    def _elections(self) -> None:
        sentences = []
        if self.contest:
            contest = self.contest
            sentence = f"{contest.name} menjadi bagian dari Pilkada Serentak 2024"
            sentences.append(sentence)
            self.declared["elections"][contest.id] = {
                "id": contest.id, "name": contest.name, "type": contest.type,
                "region": f"region/{self.unit.region.code}", "part_of": "election/pilkada-serentak-2024",
                "evidence": [sentence]}
        for election_id in self.elections:
            election = ELECTIONS[election_id]
            verb = ("akan digelar" if self.day < election.day else
                    "digelar hari ini" if self.day == election.day else "telah digelar")
            sentence = f"Pemungutan suara {election.acronym} {verb} pada {long_date(election.day)}"
            sentences.append(sentence)
            self.declared["elections"][election_id] = {
                "id": election_id, "name": election.name, "acronyms": [election.acronym], "type": election.type,
                "day": election.day, "evidence": [sentence]}
        self.paras.append(" ".join(f"{s}." for s in sentences))

    def _stage(self) -> None:
        day = self.day
        near = [s for s in STAGES if s[1] in self.elections
                and s[4] - dt.timedelta(days=60) <= day <= s[5] + dt.timedelta(days=30)]
        if not near:
            return
        stage_id, election_id, kind, name, start, end = self.rng.choice(near)
        verb = "akan berlangsung" if day < start else "telah berlangsung" if day > end else "tengah berlangsung"
        when = f"pada {long_date(start)}" if start == end else f"pada {long_date(start)} hingga {long_date(end)}"
        clause = f"tahapan {name} {verb} {when}"
        self.paras.append(f"Dalam rakor itu juga disampaikan bahwa {clause}.")
        self.declared["stages"][stage_id] = {"id": stage_id, "election": f"election/{election_id}", "kind": kind,
                                             "name": name, "start": start, "end": end, "evidence": [clause]}
        if STAGE_TOPIC[kind] not in self.topics:
            self.topics.append(STAGE_TOPIC[kind])

    def _observation(self) -> None:
        rng, where = self.rng, self.region_text
        indicators = ["participation-target", "vulnerability-level", "officer-count", "ktp-el-recording"]
        if self.contest and self.day >= dt.date(2024, 9, 22):  # candidate pairs are known from late September
            indicators.append("candidate-pairs")
        indicator = rng.choice(indicators)
        value: object = None
        text_value = None
        if indicator in ("participation-target", "ktp-el-recording"):
            value = rng.randint(700, 900) / 10 if indicator == "participation-target" else rng.randint(950, 999) / 10
            printed, unit = f"{value:.1f}".replace(".", ",") + " persen", "percent"
            sentence = (f"Target partisipasi pemilih di {where} ditetapkan sebesar {printed}"
                        if indicator == "participation-target" else
                        f"Capaian perekaman KTP-el di {where} telah mencapai {printed}")
        elif indicator == "vulnerability-level":
            text_value = printed = rng.choice(("rawan rendah", "rawan sedang", "rawan tinggi"))
            unit, sentence = "category", f"Berdasarkan indeks kerawanan pemilu, {where} masuk kategori {printed}"
        elif indicator == "officer-count":
            value = rng.randint(150, 9000)
            printed, unit = f"{value:,}".replace(",", "."), "count"
            sentence = f"Sebanyak {printed} petugas {rng.choice(('KPPS', 'Pantarlih', 'PPS'))} disiapkan di {where}"
        else:
            value = rng.randint(2, 5)
            printed, unit = str(value), "count"
            sentence = f"{self.contest.name} diikuti {printed} pasangan calon"
        self.paras.append(f"{sentence}.")
        self.observations.append({
            "id": f"{self.meeting_id}-{indicator}", "indicator": indicator, "value": value, "value_text": text_value,
            "unit": unit, "region": f"region/{self.unit.region.code}", "meeting": f"meeting/{self.meeting_id}",
            "as_of": self.day, "printed": printed, "evidence": [sentence]})
        topic = {"participation-target": "voter-participation", "ktp-el-recording": "population-data",
                 "vulnerability-level": "security"}.get(indicator)
        if topic and topic not in self.topics:
            self.topics.append(topic)

    def _pj_inauguration(self) -> None:
        """Sometimes the article says when a Pj took office: the holding then gets its start date."""
        for person_id, (post, spell, _) in self.seats.items():
            if spell.kind == "Pj" and self.rng.random() < 0.3:
                person = self.world.people.by_id[person_id]
                sentence = f"{person.name} dilantik sebagai Pj {post.short} pada {long_date(spell.start)}"
                self.paras.append(f"{sentence}.")
                holding = self.holdings[(person_id, post.id, "Pj")]
                holding["start"] = spell.start
                holding["evidence"] = [*holding["evidence"], sentence]
                return

    # -- the record file -----------------------------------------------------------------------

    def _record(self) -> dict:
        source = {
            "id": self.source_id, "text": f"sources/{self.index:06d}.txt", "outlet": self.outlet.name,
            "publisher": f"org/{self.outlet.id}", "title": self.headline,
            "published": self.end + dt.timedelta(days=self.rng.randint(0, 2)), "language": "id",
            "byline": self.reporter, "evidence": [self.headline, self.dateline, self.byline],
            "furniture": self.furniture,
            "notes": f"Synthetic article from benchmarks/generate.py (seed {self.seed}, meeting {self.index}); "
                     "the persons, the outlet and the text are invented.",
        }
        meeting = {
            "id": self.meeting_id, "kind": "rakor", "title": self.title, "start": self.day,
            "end": self.end if self.end != self.day else None, "venue": f"place/{self.venue.id}",
            "region": f"region/{self.venue.region}",
            "concerns_region": self.unit.region and f"region/{self.unit.region.code}",
            "organizers": [f"org/{self.organizer.id}"], "chair": self.chair, "elections": [f"election/{e}" for e in (
                *self.elections, *([self.contest.id] if self.contest else []))],
            "topics": self.topics, "citations": self.citations, "participants": list(self.participants.values()),
            "evidence": self.meeting_evidence,
        }
        declared = {section: list(items.values()) for section, items in self.declared.items()}
        return {"source": source, "persons": declared["persons"], "organizations": declared["organizations"],
                "posts": declared["posts"], "holdings": list(self.holdings.values()), "places": declared["places"],
                "meetings": [meeting], "regulations": declared["regulations"], "elections": declared["elections"],
                "stages": declared["stages"], "observations": self.observations, "source_errors": self.source_errors}


# ---------------------------------------------------------------------------------------------
# Files: a small YAML writer, the quote self-check, the output tree, the command line
# ---------------------------------------------------------------------------------------------


quoted = json.encoder.encode_basestring  # a JSON string is a YAML double-quoted scalar; C-accelerated


def to_yaml(record: dict) -> str:
    """Block-style YAML with JSON-quoted strings: fast, deterministic, and safe for any text."""
    lines: list[str] = []
    for number, (section, value) in enumerate(_present(record)):
        if number:
            lines.append("")
        _emit(section, value, "", lines)
    return "\n".join(lines) + "\n"


def _present(mapping: dict) -> list[tuple[str, object]]:
    """Keys with a value: None and empty lists are left out, as a curator would."""
    return [(k, v) for k, v in mapping.items() if v is not None and v != []]


# Ids, references and controlled values are written plain, as curators do; anything that YAML could
# read as another type (numbers, dates, yes/no/null) or that holds spaces or punctuation is quoted.
PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-./][A-Za-z0-9]+)*")
NOT_PLAIN = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _scalar(value: object) -> str:
    if isinstance(value, str):
        return value if PLAIN.fullmatch(value) and value.lower() not in NOT_PLAIN else quoted(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _emit(key: str, value: object, indent: str, lines: list[str]) -> None:
    if isinstance(value, dict):
        lines.append(f"{indent}{key}:")
        for sub_key, sub_value in _present(value):
            _emit(sub_key, sub_value, indent + "  ", lines)
    elif isinstance(value, list) and not any(isinstance(v, dict) for v in value):
        lines.append(f"{indent}{key}: [{', '.join(_scalar(v) for v in value)}]")
    elif isinstance(value, list):
        lines.append(f"{indent}{key}:")
        for item in value:
            start = len(lines)
            for sub_key, sub_value in _present(item):
                _emit(sub_key, sub_value, indent + "    ", lines)
            lines[start] = f"{indent}  - {lines[start][len(indent) + 4:]}"
    else:
        lines.append(f"{indent}{key}: {_scalar(value)}")


def _quotes(node: object):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "evidence":
                yield from value
            elif key == "quote":
                yield value
            else:
                yield from _quotes(value)
    elif isinstance(node, list):
        for item in node:
            yield from _quotes(item)


def check_quotes(text: str, record: dict) -> None:
    """Fail loudly at generation time if a template ever produced a quote the article lacks."""
    flat = None
    for quote in _quotes(record):
        if quote in text:  # the usual case: templates never break a quote across lines
            continue
        flat = flat or " ".join(text.split())
        if " ".join(quote.split()) not in flat:
            raise AssertionError(f"meeting {record['meetings'][0]['id']}: quote not in the article: {quote!r}")


def meeting_files(world: World, seed: int, index: int) -> tuple[str, str, str, str]:
    """(record file name, its YAML, archived text name, the article) for meeting `index`."""
    story = Story(world, seed, index)
    text, record = story.write()
    check_quotes(text, record)
    stem = f"{index:06d}"
    return f"{stem}-{story.source_id.removesuffix(f'-{stem}')}.yaml", to_yaml(record), f"{stem}.txt", text


_WORLD: dict[int, World] = {}


def _world(seed: int) -> World:
    if seed not in _WORLD:
        _WORLD[seed] = World(seed)
    return _WORLD[seed]


def _write_range(job: tuple[Path, int, int, int]) -> tuple[int, int]:
    """Write meetings [start, stop); returns (files written, bytes). Runs in worker processes too."""
    out, seed, start, stop = job
    world = _world(seed)
    written = 0
    for index in range(start, stop):
        record_name, record, text_name, text = meeting_files(world, seed, index)
        for path, content in ((out / "records" / record_name, record), (out / "sources" / text_name, text)):
            data = content.encode("utf-8")
            path.write_bytes(data)
            written += len(data)
    return stop - start, written


def generate(out: Path, count: int, seed: int, jobs: int = 1, progress=None) -> dict[str, float]:
    """Write `count` meetings under `out` (records/, sources/, reference/, README.md); returns figures."""
    started = time.perf_counter()
    for sub in ("records", "sources"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    _copy_reference(out / "reference" / "idn-area-data")
    (out / "README.md").write_text(_readme(count, seed), encoding="utf-8")
    chunk = 250
    ranges = [(out, seed, start, min(start + chunk, count)) for start in range(0, count, chunk)]
    done = size = 0
    step = max(1000, count // 20)
    if jobs > 1:
        context = multiprocessing.get_context("fork")
        with context.Pool(jobs) as pool:
            results = pool.imap_unordered(_write_range, ranges)
            for files, written in results:
                done, size = _tick(done, size, files, written, count, step, started, progress)
    else:
        for job in ranges:
            done, size = _tick(done, size, *_write_range(job), count, step, started, progress)
    return {"meetings": count, "bytes": size, "seconds": time.perf_counter() - started}


def _tick(done, size, files, written, count, step, started, progress) -> tuple[int, int]:
    if progress and (done + files) // step > done // step:
        progress(f"{done + files:,}/{count:,} meetings, {(size + written) / 1e6:,.0f} MB, "
                 f"{time.perf_counter() - started:.1f} s")
    return done + files, size + written


def _copy_reference(target: Path) -> None:
    """The gazetteer travels with its README and ODbL licence, as its licence requires."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("LICENSE.md", "README.md", "provinces.csv", "regencies.csv"):
        shutil.copyfile(REFERENCE / name, target / name)


def _readme(count: int, seed: int) -> str:
    return (
        "# Synthetic egkg data\n\n"
        f"Written by `benchmarks/generate.py --meetings {count} --seed {seed}`: {count:,} invented coordination\n"
        "meetings, each reported by one invented article (`sources/`) with its record file (`records/`).\n"
        "Persons, outlets and texts are made up from name pools and templates; any likeness to a real\n"
        "person is chance. Regions in `reference/idn-area-data/` are from idn-area-data 4.0.1 (Kemendagri\n"
        "codes) under the Open Database License 1.0: see its README.md and LICENSE.md.\n"
    )


def _prepare(out: Path, force: bool) -> Path:
    out = out.resolve()
    if out == (PROJECT / "data").resolve() or out.is_relative_to((PROJECT / "data").resolve()):
        raise SystemExit("refusing to write into the project's curated data/; pick another --out")
    if out.exists() and any(out.iterdir()):
        if not force:
            raise SystemExit(f"{out} is not empty; pass --force to replace its records/, sources/ and reference/")
        for sub in ("records", "sources", "reference"):
            shutil.rmtree(out / sub, ignore_errors=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=sorted(SCALES, key=SCALES.get), default="S",
                        help="XS 20, S 1,000, M 10,000, L 100,000 meetings")
    parser.add_argument("--meetings", type=int, help="number of meetings (overrides --scale)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="data directory to write (egkg build --data DIR)")
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (default: all cores from 2,000 meetings)")
    parser.add_argument("--force", action="store_true", help="replace earlier output in --out")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    count = args.meetings if args.meetings is not None else SCALES[args.scale]
    if count < 1:
        parser.error("--meetings must be at least 1")
    jobs = args.jobs or (os.cpu_count() or 1 if count >= 2000 else 1)
    out = _prepare(args.out, args.force)

    def say(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    figures = generate(out, count, args.seed, jobs, None if args.quiet else say)
    if not args.quiet:
        say(f"wrote {count:,} record files and articles to {out} ({figures['bytes'] / 1e6:,.1f} MB) "
            f"in {figures['seconds']:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
