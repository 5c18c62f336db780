"""Small shared helpers: a located text span, slugs and whitespace-normalised comparison."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["Span", "normalise", "slugify", "sentence_bounds", "finditer"]

_WS = re.compile(r"\s+")
_NOT_NEWLINE = re.compile(r"[^\n]")


def finditer(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """The matches of `pattern.finditer(text)`, for a pattern that never matches empty nor starts at a newline.

    Masked page furniture leaves long runs of newlines, where the regex engine would still try every
    position; on such text only the other positions are tried (with `pattern.match`, which sees the
    text before the position, so lookbehinds and word boundaries behave as in a search).
    """
    if len(text) < 65536 or text.count("\n") * 2 < len(text):
        yield from pattern.finditer(text)
        return
    pos = 0
    for c in _NOT_NEWLINE.finditer(text):
        at = c.start()
        if at < pos:
            continue
        m = pattern.match(text, at)
        if m:
            if m.end() == at:  # an empty match: not expected here; defer to the engine from this point
                yield from pattern.finditer(text, at)
                return
            yield m
            pos = m.end()


def normalise(text: str) -> str:
    """Collapse whitespace runs into one space (the evidence comparison used by `egkg validate`)."""
    return _WS.sub(" ", text).strip()


def slugify(text: str, fallback: str = "x") -> str:
    """Lower-case ASCII slug with single hyphens: "Edy Suharmanto" -> "edy-suharmanto"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug or fallback


@dataclass(frozen=True)
class Span:
    """A [start, end) slice of the original article text, with a confidence in [0, 1]."""

    start: int
    end: int
    confidence: float = 0.8

    def quote(self, text: str) -> str:
        return text[self.start : self.end].strip()

    def describe(self) -> str:
        return f"span {self.start}-{self.end}, confidence {self.confidence:.2f}"


# Past this many characters either side of a position, a "sentence" is a page without full stops
# (or one endless line): the walk stops there, so each call is bounded and drafting stays linear in the
# article's length (it was quadratic: every figure and date walked the whole line). Real sentences are
# a few hundred characters.
MAX_SENTENCE_SIDE = 1000


def sentence_bounds(text: str, at: int) -> tuple[int, int]:
    """Offsets of the sentence (or line) around position `at`, at most MAX_SENTENCE_SIDE characters each side."""
    floor, ceiling = max(0, at - MAX_SENTENCE_SIDE), min(len(text), at + MAX_SENTENCE_SIDE)
    start = at
    while start > floor and text[start - 1] not in "\n":
        if text[start - 1] in ".!?" and start < len(text) and text[start] == " " and not _abbrev_before(text, start - 1):
            break
        start -= 1
    if start == floor > 0 and text[start - 1] != "\n":  # cut short: begin at a word
        start = text.find(" ", start, at) + 1 or start
    end = at
    while end < ceiling and text[end] != "\n":
        if text[end] in ".!?" and (end + 1 >= len(text) or text[end + 1] in " \n") and not _abbrev_before(text, end):
            end += 1
            break
        end += 1
    if end == ceiling < len(text) and text[end] != "\n":  # cut short: end at a word
        end = max(text.rfind(" ", at, end), at + 1)
    return start, end


def _abbrev_before(text: str, dot: int) -> bool:
    """True when the '.' at `dot` ends a short abbreviation ("Pj.", "Prov.", "Dr.") rather than a sentence."""
    if text[dot] != ".":
        return False
    word = re.search(r"(\S+)$", text[max(0, dot - 12) : dot])
    return bool(word) and (len(word.group(1)) <= 4 or "." in word.group(1))
