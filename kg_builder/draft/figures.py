"""Reported figures: percentages, counts and categorical levels, with the measure they report.

A figure is proposed only when a cue in its own clause says what it measures ("menargetkan
partisipasi pemilih sebesar 83,82%", "62 pasangan calon", "kategori “rawan sedang”"). A percentage
with no recognisable measure is returned with `indicator=None` so the caller can mention it in the
draft's notes instead of guessing.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .spans import finditer, sentence_bounds

__all__ = ["Figure", "find_figures", "parse_number"]

# Measures that a percentage may report; the cue nearest the figure wins.
_PERCENT_CUES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(?:perekaman|rekam(?:an)?)\b[^.,;%]{0,40}?\b(?:KTP[- ]?el(?:ektronik)?|e-?KTP|KTP\s+elektronik)\b", re.I), "ktp-el-recording"),
    (re.compile(r"\b(?:KTP[- ]?el|e-?KTP|KTP\s+elektronik)\b[^.,;%]{0,30}?\b(?:perekaman|terekam|direkam)\b", re.I), "ktp-el-recording"),
    (re.compile(r"\bpartisipasi(?:\s+(?:pemilih|masyarakat|politik))?\b", re.I), "participation-target"),
    (re.compile(r"\b(?:perairan|lautan|wilayah\s+laut)\b", re.I), "water-area-share"),
    (re.compile(r"\b(?:daratan|wilayah\s+darat)\b", re.I), "land-area-share"),
]
# A participation figure is a *target* only when the sentence says so before the figure.
_TARGET = re.compile(r"\b(?:target\w*|menargetkan|ditargetkan|sasaran)\b", re.I)

_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_MULTIPLIER = {"ribu": 1000, "juta": 1_000_000}
_PERCENT = re.compile(rf"(?<![\w.,/-])(?P<num>{_NUMBER})(?:\s?%|\s+persen\b)", re.I)
_VAGUE = r"puluhan\s+ribu|ratusan\s+ribu|puluhan|ratusan|ribuan|belasan|jutaan"
_ELECTION_OFFICERS = r"Pantarlih|PPK|PPS|KPPS|PPDP|PTPS|Panwascam|Panwaslu\s+\w+|pengawas\s+TPS|badan\s+ad[- ]?hoc"
_OFFICER_NOUN = (
    rf"(?:(?:petugas|anggota|personel)\s+)?(?:{_ELECTION_OFFICERS})\b"
    r"|petugas\s+(?:pemilu|pemilihan|pilkada|coklit|pemutakhiran|ad[- ]?hoc)\b"
)
_COUNT_NOUNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\s+(?:pasangan\s+calon|paslon|pasang\s+calon)\b", re.I), "candidate-pairs"),
    (re.compile(rf"\s+(?:{_OFFICER_NOUN})", re.I), "officer-count"),
]
_COUNT = re.compile(
    rf"(?<![\w.,/-])(?:(?P<num>{_NUMBER})(?:\s+(?P<mult>ribu|juta)\b)?|(?P<vague>{_VAGUE})\b)(?!\s?%|\s+persen)", re.I
)
_QUOTE_CHARS = "\"'“”‘’«»"
_CATEGORY = re.compile(
    r"\b(?:kategori|status|tingkat(?:\s+kerawanan)?|level|indeks\s+kerawanan)\s*(?:kerawanan\s*)?"
    rf"[{_QUOTE_CHARS}]?\s*(?P<cat>(?:sangat\s+)?rawan(?:\s+(?:rendah|sedang|tinggi))?"
    r"|(?<=kerawanan )(?:sangat\s+)?(?:rendah|sedang|tinggi))\b"
    r"(?!\s+(?:bencana|banjir|longsor|kebakaran|gempa|konflik\s+sosial))",
    re.I,
)


@dataclass(frozen=True)
class Figure:
    """A figure at [start, end) of the text; `indicator` is None when the measure is unclear."""

    start: int
    end: int
    printed: str
    unit: str
    indicator: str | None
    value: Decimal | None = None
    value_text: str | None = None
    confidence: float = 0.8
    sentence: tuple[int, int] = (0, 0)
    cue_start: int | None = None


def parse_number(printed: str) -> Decimal | None:
    """Indonesian number to Decimal: "83,82" -> 83.82, "1.234" -> 1234, "2,5 juta" -> 2500000."""
    parts = printed.split()
    digits = parts[0] if parts else ""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?", digits):
        digits = digits.replace(".", "").replace(",", ".")
    else:
        digits = digits.replace(",", ".")
    try:
        value = Decimal(digits)
    except InvalidOperation:
        return None
    if len(parts) > 1 and parts[1].lower() in _MULTIPLIER:
        value *= _MULTIPLIER[parts[1].lower()]
    return Decimal(int(value)) if value == value.to_integral_value() else value


def _nearest_cue(lead: str, cues: list[tuple[re.Pattern[str], str]]) -> tuple[str, int] | None:
    best = None
    for pattern, indicator in cues:
        for m in pattern.finditer(lead):
            if best is None or m.end() > best[1]:
                best = (indicator, m.end(), m.start())
    return (best[0], best[2]) if best else None


def find_figures(text: str) -> list[Figure]:
    """Every percentage, count and vulnerability category in `text`, in order of position."""
    found: list[Figure] = []
    for m in finditer(_PERCENT, text):
        found.append(_percent(text, m, found))
    # Percentages come in text order and do not overlap: bisect, not a scan of all (quadratic on long pages).
    starts = [f.start for f in found]
    for m in finditer(_COUNT, text):
        before = bisect.bisect_right(starts, m.start()) - 1
        if before >= 0 and m.start() < found[before].end:
            continue
        fig = _count(text, m)
        if fig:
            found.append(fig)
    for m in finditer(_CATEGORY, text):
        s, e = m.start("cat"), m.end("cat")
        cat = text[s:e]
        found.append(Figure(s, e, cat, "category", "vulnerability-level", value_text=" ".join(cat.split()),
                            confidence=0.75, sentence=sentence_bounds(text, s), cue_start=m.start()))
    return sorted(found, key=lambda f: f.start)


def _percent(text: str, m: re.Match[str], earlier: list[Figure]) -> Figure:
    s_start, s_end = sentence_bounds(text, m.start())
    # The lead runs from the sentence start, or the previous figure in it, up to this figure
    # (`earlier` is in text order: the last one is the previous figure).
    lead_start = max([s_start, *(f.end for f in earlier[-1:] if s_start <= f.end <= m.start())])
    lead = text[lead_start : m.start()]
    cue = _nearest_cue(lead, _PERCENT_CUES)
    if cue is None:  # "74% wilayahnya berupa perairan": the measure may follow within the clause
        tail = re.split(r"[,;]|\d", text[m.end() : s_end], maxsplit=1)[0]
        cue = _nearest_cue(tail, _PERCENT_CUES)
        cue = (cue[0], None) if cue else None
    indicator, cue_at = cue if cue else (None, None)
    if indicator == "participation-target" and not _TARGET.search(text[s_start : m.start()]):
        indicator = None  # a participation rate reached, not a target: no indicator for that
    value = parse_number(m.group("num"))
    printed = text[m.start() : m.end()]
    return Figure(m.start(), m.end(), printed, "percent", indicator if value is not None and value <= 100 else None,
                  value=value, confidence=0.8 if indicator else 0.3, sentence=(s_start, s_end),
                  cue_start=None if cue_at is None else lead_start + cue_at)


def _count(text: str, m: re.Match[str]) -> Figure | None:
    for pattern, indicator in _COUNT_NOUNS:
        noun = pattern.match(text, m.end())
        if not noun:
            continue
        sentence = sentence_bounds(text, m.start())
        if m.group("vague"):
            printed = text[m.start() : noun.end()]
            return Figure(m.start(), noun.end(), printed, "count", indicator, value_text=m.group("vague").lower(),
                          confidence=0.6, sentence=sentence)
        printed = text[m.start() : m.end()]
        value = parse_number(printed)
        if value is None or value != value.to_integral_value():
            return None
        return Figure(m.start(), m.end(), printed, "count", indicator, value=value, confidence=0.75,
                      sentence=sentence, cue_start=None)
    return None
