"""The meetings an article reports: each one's date (scored among all date mentions), kind and title.

The words that name a meeting ("rakor", "rakornas", "coffee morning", ...) come from knowledge/meetings.yaml.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from .dates import DateMention
from .knowledge import written_form
from .lexicon import load_meeting_rows
from .spans import sentence_bounds

__all__ = ["MeetingGuess", "Lexicon", "guess_meeting", "guess_meetings", "meeting_words"]

_ELECTION_BEFORE = re.compile(r"(pemungutan|pencoblosan|pilkada|pemilu|hingga|sampai|sebelum|terlaksana|digelar serentak)[^.]{0,120}$", re.I)
_FUTURE_AFTER = re.compile(r"^[ \t]*(mendatang|nanti|yang akan datang)", re.I)
# After a meeting word, the title runs on over words, brackets and years, up to a comma, a full stop,
# a weekday, a date or a verb/preposition that starts the rest of the sentence.
_TITLE_STOP = (r"(?:di|ke|pada|yang|digelar|berlangsung|dilaksanakan|diselenggarakan|dibuka|dipimpin|"
               r"Senin|Selasa|Rabu|Kamis|Jum[’']?at|Sabtu|Minggu|selama|hari|tanggal|kemarin|pagi|siang|sore|malam)(?![\w-])")
_TITLE_WORD = rf"(?:[ \t]+(?!{_TITLE_STOP})(?:\([^()\n,.]{{1,60}}\)|[0-9]{{4}}(?![0-9/])|[A-Za-z][\w'’/&-]*))"
# The dateline: "SAMARINDA – Selasa (12/3/2024) –" or "KUPANG, Rabu (6/11/2024) -" opening the body.
_DATELINE = re.compile(r"[ \t]*[A-Z][A-Za-z .'’]{1,40}?[ \t]*(?:,[ \t]*)?(?:[–—-][ \t]*)?$")
_MAX_TITLE_WORDS = 18


@dataclass(frozen=True)
class Lexicon:
    """The meeting words of meetings.yaml as patterns: `noun` finds one, `kind_of` says its meeting kind."""

    noun: re.Pattern[str]
    title: re.Pattern[str]
    happened: re.Pattern[str]
    kinds: tuple[tuple[re.Pattern[str], str], ...]

    def kind_of(self, word: str) -> str:
        return next((kind for pattern, kind in self.kinds if pattern.fullmatch(word)), "rakor")


def _alternation(words: list[str]) -> str:
    return "(?:" + "|".join(written_form(w) for w in sorted(words, key=len, reverse=True)) + ")"


@lru_cache(maxsize=1)
def meeting_words() -> Lexicon:
    """The patterns of meetings.yaml (cached; clear the cache after editing the file in a test)."""
    rows, happened = load_meeting_rows()
    noun = _alternation([w for row in rows for w in row.words])
    return Lexicon(
        re.compile(rf"(?<![\w-]){noun}(?![\w-])", re.I),
        re.compile(rf"(?<![\w-]){noun}(?![\w-])(?:[ \t]*\([^()\n]{{1,40}}\))?{_TITLE_WORD}{{0,{_MAX_TITLE_WORDS}}}", re.I),
        re.compile(rf"(?<![\w-]){_alternation(happened)}(?![\w-])", re.I),
        tuple((re.compile(_alternation(row.words), re.I), row.kind) for row in rows),
    )


@dataclass
class MeetingGuess:
    """Chosen date span(s), kind and title span; confidence summarises how sure the choice is."""

    date: DateMention
    kind: str
    title_span: tuple[int, int] | None
    confidence: float
    note: str


@dataclass
class _Scored:
    score: float
    mention: DateMention
    sentence: tuple[int, int]
    title: tuple[int, int] | None  # a meeting title in the date's sentence, nearest before it preferred


def _title_in(text: str, lex: Lexicon, start: int, end: int, at: int) -> tuple[int, int] | None:
    """The meeting title in text[start:end] nearest to position `at` (before it preferred)."""
    spans = [(start + m.start(), start + m.end()) for m in lex.title.finditer(text[start:end])]
    if not spans:
        return None
    return min(spans, key=lambda s: (s[0] > at, abs(at - s[1]) if s[0] <= at else s[0] - at))


def _right_after_title(text: str, title: tuple[int, int] | None, m: DateMention) -> bool:
    """"Rakor Desk Pilkada Serentak 2024, Senin (4/11/2024)": the date printed right after the title."""
    return bool(title) and 0 <= m.start - title[1] <= 4 and not text[title[1] : m.start].strip(" \t,")


def _is_dateline(text: str, m: DateMention, header_end: int) -> bool:
    """The date opening the body after the place name: "SAMARINDA – Selasa (12/3/2024) –"."""
    line_start = text.rfind("\n", 0, m.start) + 1
    return line_start >= header_end and bool(_DATELINE.match(text[line_start : m.start]))


def _score(text: str, m: DateMention, header_end: int, citation_spans: list[tuple[int, int]],
           dates: list[DateMention], lex: Lexicon) -> _Scored:
    s, e = sentence_bounds(text, m.start)
    title = _title_in(text, lex, s, e, m.start)
    scored = _Scored(0.0, m, (s, e), title)
    if m.kind == "relative" and not re.match(r"hari ini|kemarin", text[m.start : m.end], re.I):
        scored.score = -9
        return scored
    sentence = text[s:e]
    noun, verb = bool(lex.noun.search(sentence)), bool(lex.happened.search(sentence))
    score = (2.0 if noun or verb else 0.0) + (1.0 if noun and verb else 0.0)
    score += 2 if m.weekday_ok else (-1 if m.weekday_ok is False else 0)
    if m.start < header_end:
        score -= 2
    if any(a <= m.start <= b + 60 for a, b in citation_spans):
        score -= 3
    if _right_after_title(text, title, m):
        score += 3  # the title names the election ("Pilkada Serentak 2024"); the date is still the meeting's
    elif m.kind in {"absolute", "no-year"} and _ELECTION_BEFORE.search(text[max(0, m.start - 70) : m.start]):
        score -= 3
    if _FUTURE_AFTER.match(text, m.end):
        score -= 3
    if m.start >= header_end and _is_dateline(text, m, header_end):
        score += 2
    if any(o.kind == "anchored" and 0 <= m.start - o.end <= 40 for o in dates):
        score -= 3  # the target of "9 hari lagi yaitu ...": a future day, not the meeting
    scored.score = score
    return scored


def _days(m: DateMention) -> set[dt.date]:
    last = m.end_date or m.date
    return {m.date + dt.timedelta(days=i) for i in range((last - m.date).days + 1)}


def _guess(text: str, chosen: _Scored, header_end: int, lex: Lexicon, n_dates: int,
           fallback_title: tuple[int, int] | None) -> MeetingGuess:
    title = chosen.title or fallback_title
    word = lex.noun.match(text, title[0]) if title else None
    kind = lex.kind_of(word.group(0)) if word else "rakor"
    best = chosen.mention
    confidence = min(0.95, 0.5 + 0.08 * chosen.score) * (best.confidence / 0.95)
    note = f"date chosen among {n_dates} date mentions (score {chosen.score:.1f}); {best.note}".rstrip("; ")
    return MeetingGuess(best, kind, title, round(confidence, 2), note)


def guess_meetings(text: str, dates: list[DateMention], header_end: int, citation_spans: list[tuple[int, int]],
                   published: dt.date | None) -> list[MeetingGuess]:
    """The meetings the article reports, first the best-attested one; none when it names no meeting."""
    lex = meeting_words()
    body_title = lex.title.search(text, header_end) or lex.title.search(text)
    if not body_title:
        return []
    fallback = (body_title.start(), body_title.end())
    scored = sorted((_score(text, m, header_end, citation_spans, dates, lex) for m in dates),
                    key=lambda x: (x.score, -x.mention.start), reverse=True)
    if not scored or scored[0].score < 1.5:
        return []
    main = scored[0]
    guesses = [_guess(text, main, header_end, lex, len(dates), fallback)]
    taken, sentences = _days(main.mention), {main.sentence}
    for other in scored[1:]:
        m = other.mention
        if other.score < 3.5 or _days(m) & taken or m.start < header_end:
            continue
        sentence = text[other.sentence[0] : other.sentence[1]]
        if other.sentence in sentences or not lex.noun.search(sentence):
            continue  # another meeting is named in its own sentence
        guesses.append(_guess(text, other, header_end, lex, len(dates), None))
        taken |= _days(m)
        sentences.add(other.sentence)
    return guesses


def guess_meeting(text: str, dates: list[DateMention], header_end: int, citation_spans: list[tuple[int, int]],
                  published: dt.date | None) -> MeetingGuess | None:
    """The best-attested meeting only (see guess_meetings)."""
    found = guess_meetings(text, dates, header_end, citation_spans, published)
    return found[0] if found else None
