"""Evidence quotes: long enough to pin a place, and found verbatim (whitespace aside) in the archived text."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from pydantic import BaseModel

from ..errors import Problem
from .evidence import MIN_QUOTE_CHARS, ArchivedText, pins_a_place
from .loaded import Path_, format_path
from .models import RecordFile
from .walks import walk_plan
from .yaml_lines import line_of

__all__ = ["locate_quotes", "quotes_of", "shortened"]


def locate_quotes(
    record: RecordFile, text: ArchivedText, display: str, lines: Mapping[Path_, int],
) -> tuple[dict[str, tuple[int, int]], list[Problem]]:
    """Where each quote of `record` sits in `text`, and a problem for each quote too short or not found."""
    offsets: dict[str, tuple[int, int]] = {}
    problems = []
    for path_, quote in quotes_of(record, ()):
        # Furniture is exempt: it marks page chrome to skip ("(ADV)"), it supports no fact.
        if path_[-2] == "evidence" and not pins_a_place(quote):
            problems.append(Problem(
                display, line_of(lines, path_), format_path(path_),
                f"quote {quote!r} is too short to show where the fact is stated (at least {MIN_QUOTE_CHARS} "
                "characters); quote the words that state it",
            ))
            continue
        if quote in offsets:  # quoted again (for another fact of the same sentence): found already
            continue
        found = text.locate(quote)
        if found is None:
            problems.append(Problem(
                display, line_of(lines, path_), format_path(path_),
                f"quote not found in {record.source.text}: {shortened(quote)!r}; copy it verbatim from the archived text",
            ))
        else:
            offsets[quote] = found
    return offsets, problems


def shortened(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quotes_of(record: BaseModel, path: Path_) -> Iterator[tuple[Path_, str]]:
    """Every evidence quote and furniture quote of a record file, in file order."""
    for name, kind, _ in walk_plan(type(record)):
        value = getattr(record, name)
        if kind == "evidence":
            for index, quote in enumerate(value):
                yield (*path, name, index), quote
        elif kind == "quote":
            yield (*path, name), value
        elif kind == "records":
            for index, item in enumerate(value):
                yield from quotes_of(item, (*path, name, index))
        elif kind == "record" and value is not None:
            yield from quotes_of(value, (*path, name))
