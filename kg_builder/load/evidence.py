"""Find evidence quotes in archived texts, comparing with whitespace runs collapsed."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["MIN_QUOTE_CHARS", "ArchivedText", "normalise", "pins_a_place"]

_WHITESPACE = re.compile(r"\s+")

# The shortest evidence quote in the five curated records is "(Dicko)", the byline of 003: 7
# characters and one word. Bylines and outlet names ("ChaneTujuh.com-") are one word, so the bar
# counts characters, not words: 6 refuses a letter or a bare acronym ("a", "KPU", "Pj", "Polri"),
# which occurs all over an article and so says nothing about where a fact is stated.
MIN_QUOTE_CHARS = 6


def normalise(text: str) -> str:
    """Collapse every run of whitespace into one space and trim the ends."""
    return _WHITESPACE.sub(" ", text).strip()


def pins_a_place(quote: str) -> bool:
    """Whether a quote is long enough to be evidence, counted as it is compared (whitespace runs as one)."""
    return len(normalise(quote)) >= MIN_QUOTE_CHARS


@dataclass(frozen=True)
class ArchivedText:
    """An article's text plus a map from normalised positions back to original offsets."""

    original: str
    normalised: str
    _origin: tuple[int, ...]

    @classmethod
    def of(cls, original: str) -> ArchivedText:
        pieces: list[str] = []
        origin: list[int] = []
        previous_space = True  # drop leading whitespace
        for index, char in enumerate(original):
            if char.isspace():
                if previous_space:
                    continue
                pieces.append(" ")
                origin.append(index)
                previous_space = True
            else:
                pieces.append(char)
                origin.append(index)
                previous_space = False
        if pieces and pieces[-1] == " ":
            pieces.pop()
            origin.pop()
        return cls(original, "".join(pieces), tuple(origin))

    def locate(self, quote: str) -> tuple[int, int] | None:
        """Offsets [start, end) of the first occurrence of `quote` in the original text."""
        needle = normalise(quote)
        if not needle:
            return None
        at = self.normalised.find(needle)
        if at < 0:
            return None
        return self._origin[at], self._origin[at + len(needle) - 1] + 1
