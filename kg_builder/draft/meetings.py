"""The meeting an article reports: its date (scored among all date mentions), kind, title and venue."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .dates import DateMention
from .spans import sentence_bounds

__all__ = ["MeetingGuess", "guess_meeting"]

_MEETING_WORDS = re.compile(
    r"\b(rakor|rapat|pertemuan|kunjungan|digelar|berlangsung|bertempat|dilaksanakan|diselenggarakan|"
    r"kegiatan|acara|menggelar|mengadakan|menghadiri|dihadiri|hari ini)\b", re.I)
_ELECTION_BEFORE = re.compile(r"(pemungutan|pencoblosan|pilkada|pemilu|hingga|sampai|sebelum|terlaksana|digelar serentak)[^.]{0,120}$", re.I)
_FUTURE_AFTER = re.compile(r"^[ \t]*(mendatang|nanti|yang akan datang)", re.I)
_TITLE = re.compile(
    r"(?:Rapat[ \t]+Koordinasi(?:[ \t]*\(Rakor\))?|Rakor|Kunjungan[ \t]+Kerja|Rapat[ \t]+Dengar[ \t]+Pendapat)"
    r"(?:[ \t]+(?:[A-Z(][\w()/-]*|dan|persiapan|kesiapan|tahun|bersama|se|dalam|rangka)(?=[\s,.]))*", re.I)


@dataclass
class MeetingGuess:
    """Chosen date span(s), kind and title span; confidence summarises how sure the choice is."""

    date: DateMention
    kind: str
    title_span: tuple[int, int] | None
    confidence: float
    note: str


def _score(text: str, m: DateMention, header_end: int, citation_spans: list[tuple[int, int]]) -> float:
    if m.kind == "relative" and not re.match(r"hari ini|kemarin", text[m.start : m.end], re.I):
        return -9
    s, e = sentence_bounds(text, m.start)
    sentence = text[s:e]
    score = 2.0 if _MEETING_WORDS.search(sentence) else 0.0
    score += 2 if m.weekday_ok else (-1 if m.weekday_ok is False else 0)
    if m.start < header_end:
        score -= 2
    if any(a <= m.start <= b + 60 for a, b in citation_spans):
        score -= 3
    if m.kind in {"absolute", "no-year"} and _ELECTION_BEFORE.search(text[max(0, m.start - 70) : m.start]) or _FUTURE_AFTER.match(text, m.end):
        score -= 3
    if any(o.kind == "anchored" and 0 <= m.start - o.end <= 40 for o in _ALL):
        score -= 3  # the target of "9 hari lagi yaitu ...": a future day, not the meeting
    return score


_ALL: list[DateMention] = []


def guess_meeting(text: str, dates: list[DateMention], header_end: int, citation_spans: list[tuple[int, int]],
                  published: dt.date | None) -> MeetingGuess | None:
    if not re.search(r"\b(rakor|rapat|pertemuan|kunjungan kerja)\b", text, re.I):
        return None
    _ALL[:] = dates
    scored = sorted(((_score(text, m, header_end, citation_spans), -m.start, m) for m in dates), key=lambda x: x[:2], reverse=True)
    if not scored or scored[0][0] < 1.5:
        return None
    best_score, _, best = scored[0]
    kind = "rakor"
    if not re.search(r"\b(rakor|rapat koordinasi)\b", text, re.I):
        kind = "working-visit" if re.search(r"kunjungan kerja", text, re.I) else "hearing" if re.search(r"dengar pendapat", text, re.I) else "rakor"
    title = _TITLE.search(text[header_end:]) or _TITLE.search(text)
    span = None
    if title:
        base = header_end if _TITLE.search(text[header_end:]) else 0
        span = (base + title.start(), base + title.end())
    confidence = min(0.95, 0.5 + 0.08 * best_score) * (best.confidence / 0.95)
    note = f"date chosen among {len(dates)} date mentions (score {best_score:.1f}); {best.note}".rstrip("; ")
    return MeetingGuess(best, kind, span, round(confidence, 2), note)
