"""Indonesian date expressions: numeric "(6/11/2024)", "5-6 Juli 2024", old spellings, relative days."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from .spans import finditer

__all__ = ["DateMention", "find_dates", "parse_date", "MONTHS", "WEEKDAYS"]

MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "maret": 3, "mar": 3,
    "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8,
    "agu": 8, "agt": 8, "agust": 8, "september": 9, "sept": 9, "sep": 9, "oktober": 10, "okt": 10,
    "november": 11, "nopember": 11, "nov": 11, "nop": 11, "desember": 12, "des": 12,
}
WEEKDAYS = {"senin": 0, "selasa": 1, "rabu": 2, "kamis": 3, "jumat": 4, "jum'at": 4, "jum’at": 4,
            "sabtu": 5, "minggu": 6, "ahad": 6}
_NUMBERS = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
            "delapan": 8, "sembilan": 9, "sepuluh": 10}

_WD = r"(?:Senin|Selasa|Rabu|Kamis|Jum[’']?at|Sabtu|Minggu|Ahad)"
_MON = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
# Between the days of a range: "-", "s/d", "sampai", "hingga", "dan" ("Kamis dan Jumat (5-6/12)").
_TO = r"(?:-|–|s\.?[ \t]*/?[ \t]*d\.?|sampai(?:[ \t]+dengan)?|hingga|dan)"
_WEEKDAY_PART = rf"(?:(?:hari[ \t]+)?(?P<wd1>{_WD})(?:[ \t]*{_TO}[ \t]*(?P<wd2>{_WD}))?[ \t]*,?[ \t]*(?:tanggal[ \t]+|tgl\.?[ \t]+)?)?"
# [0-9] rather than \d, which also takes other scripts' digits ("०") that int() then misreads.
_NUMERIC = re.compile(
    _WEEKDAY_PART + r"\([ \t]*(?P<d>[0-9]{1,2})(?:[ \t]*[-–][ \t]*(?P<d_end>[0-9]{1,2}))?/(?P<m>[0-9]{1,2})(?:/(?P<y>[0-9]{2}|[0-9]{4}))?[ \t]*\)"
    r"|(?<![0-9./])(?P<d2>[0-9]{1,2})/(?P<m2>[0-9]{1,2})/(?P<y2>[0-9]{4})(?![0-9/])",
    re.I,
)
_TEXTUAL = re.compile(
    _WEEKDAY_PART
    + rf"(?P<d>[0-9]{{1,2}})(?:[ \t]*(?:-|–|s\.?[ \t]*/?[ \t]*d\.?|sampai(?:[ \t]+dengan)?|hingga)[ \t]*(?P<d_end>[0-9]{{1,2}}))?[ \t]+(?P<mon>{_MON})(?![a-z])(?:[ \t]+(?P<y>[0-9]{{4}}))?",
    re.I,
)
_MONTH_FIRST = re.compile(_WEEKDAY_PART + rf"(?P<mon>{_MON})[ \t]+(?P<d>[0-9]{{1,2}}),[ \t]*(?P<y>[0-9]{{4}})", re.I)
_RELATIVE = re.compile(
    r"\b(?P<word>kemarin|kemarin lusa|hari ini|besok|esok hari|lusa)\b"
    r"|\b(?P<n>[0-9]{1,2}|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh)[ \t]*(?:\([a-z]+\)[ \t]*)?hari[ \t]+"
    r"(?P<dir>lalu|sebelumnya|yang lalu|lagi|mendatang|ke depan)\b",
    re.I,
)
_RELATIVE_WORDS = {"kemarin": -1, "kemarin lusa": -2, "hari ini": 0, "besok": 1, "esok hari": 1, "lusa": 2}


@dataclass(frozen=True)
class DateMention:
    """A date expression at [start, end) of the text."""

    start: int
    end: int
    date: dt.date
    end_date: dt.date | None = None
    kind: str = "absolute"  # absolute, no-year, relative, anchored
    weekday_ok: bool | None = None  # None: no weekday printed
    confidence: float = 0.9
    note: str = ""


def _year(raw: str | None, published: dt.date | None) -> tuple[int | None, str]:
    if raw:
        # Only "(6/11/24)" is shorthand; a four-digit "0001" is a year as written (and 0000 no year at all).
        y = int(raw)
        return (y + 2000 if len(raw) == 2 else y), "absolute"
    return (published.year if published else None), "no-year"


def _make(y: int, m: int, d: int) -> dt.date | None:
    try:
        return dt.date(y, m, d)
    except ValueError:
        return None


def _shift(day: dt.date, days: int) -> dt.date | None:
    """`day` moved by `days`, or None past 0001-01-01 / 9999-12-31, where no date can be proposed."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return None


def _check_weekday(m: re.Match[str], first: dt.date, last: dt.date | None) -> tuple[bool | None, str]:
    wd1, wd2 = m.groupdict().get("wd1"), m.groupdict().get("wd2")
    if not wd1:
        return None, ""
    ok = WEEKDAYS[wd1.lower()] == first.weekday()
    if wd2 and last:
        ok = ok and WEEKDAYS[wd2.lower()] == last.weekday()
    note = "" if ok else f"weekday {wd1}{'-' + wd2 if wd2 else ''} contradicts {first.isoformat()}"
    return ok, note


def find_dates(text: str, published: dt.date | None = None) -> list[DateMention]:
    """Every date expression in `text`, resolved against `published` where it lacks a year or is relative."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []

    def add(mention: DateMention) -> None:
        if any(s < mention.end and mention.start < e for s, e in taken):
            return
        taken.append((mention.start, mention.end))
        found.append(mention)

    for m in finditer(_NUMERIC, text):
        d, mo, yr = (m.group("d"), m.group("m"), m.group("y")) if m.group("d") else (m.group("d2"), m.group("m2"), m.group("y2"))
        year, kind = _year(yr, published)
        date = _make(year, int(mo), int(d)) if year else None
        if date:
            last = _make(year, int(mo), int(m.group("d_end"))) if m.group("d") and m.group("d_end") else None
            last = last if last and last > date else None
            ok, note = _check_weekday(m, date, last)
            add(DateMention(m.start(), m.end(), date, last, kind, ok, _conf(kind, ok), note))
    for pattern in (_TEXTUAL, _MONTH_FIRST):
        for m in finditer(pattern, text):
            year, kind = _year(m.group("y"), published)
            month = MONTHS[m.group("mon").lower().rstrip(".")]
            date = _make(year, month, int(m.group("d"))) if year else None
            if not date:
                continue
            last = _make(year, month, int(m.group("d_end"))) if m.groupdict().get("d_end") else None
            if last and last < date:
                last = None
            ok, note = _check_weekday(m, date, last)
            add(DateMention(m.start(), m.end(), date, last, kind, ok, _conf(kind, ok), note))
    for m in finditer(_RELATIVE, text):
        anchor = _anchor(text, m, found)
        if anchor:
            # An anchor too near 0001-01-01 leaves no date to propose; the publication date is no stand-in.
            if day := _shift(anchor.date, -_offset(m)):
                add(DateMention(m.start(), m.end(), day, None, "anchored", None, 0.7,
                                f"{_offset(m)} days before {anchor.date.isoformat()}"))
        elif published and (day := _shift(published, _offset(m))):
            add(DateMention(m.start(), m.end(), day, None, "relative", None, 0.6,
                            f"relative to the publication date {published.isoformat()}"))
    found.sort(key=lambda x: x.start)
    return found


def _offset(m: re.Match[str]) -> int:
    if m.group("word"):
        return _RELATIVE_WORDS[m.group("word").lower()]
    n = m.group("n").lower()
    days = int(n) if n.isdigit() else _NUMBERS[n]
    return -days if m.group("dir").lower() in {"lalu", "sebelumnya", "yang lalu"} else days


def _anchor(text: str, m: re.Match[str], found: list[DateMention]) -> DateMention | None:
    """"9 hari lagi yaitu pada ... 27 Nopember 2024": the absolute date the reporting day is counted back from."""
    if m.group("word") or m.group("dir").lower() not in {"lagi", "mendatang", "ke depan"}:
        return None
    for other in found:
        if other.kind == "absolute" and 0 <= other.start - m.end() <= 40:
            between = text[m.end() : other.start]
            if "\n" not in between and "." not in between:
                return other
    return None


def _conf(kind: str, weekday_ok: bool | None) -> float:
    base = {"absolute": 0.9, "no-year": 0.7}.get(kind, 0.6)
    if weekday_ok is True:
        base += 0.05
    if weekday_ok is False:
        base -= 0.4
    return round(base, 2)


def parse_date(expression: str, published: dt.date | None = None) -> DateMention | None:
    """The first date in a short expression (a convenience for tests and curators)."""
    mentions = find_dates(expression, published)
    return mentions[0] if mentions else None
