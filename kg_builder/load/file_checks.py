"""Checks of one record file alone: ids, participants, dates, controlled values, reference kinds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from pydantic import BaseModel

from ..errors import Problem
from ..rdf.vocab import Vocabulary
from .gazetteer import Region
from .loaded import DECLARING_SECTIONS, LoadedFile, Path_, format_path
from .walks import CONTROLLED_FIELDS, REFERENCE_FIELDS, Values, walk_plan

__all__ = ["FUTURE_YEARS", "check_dates", "check_reference_kinds", "check_vocabulary", "check_within"]


def check_within(loaded: LoadedFile) -> list[Problem]:
    """Duplicate ids inside one file; when there are none, duplicate participants.

    Two persons given one id also make one participant out of two: the id is what to fix.
    """
    return list(_duplicate_ids(loaded)) or list(_check_participants_once(loaded))


def _duplicate_ids(loaded: LoadedFile) -> Iterator[Problem]:
    record = loaded.record
    for section in (*DECLARING_SECTIONS, "observations", "source_errors"):
        seen: dict[str, int] = {}
        for index, item in enumerate(getattr(record, section)):
            if item.id in seen:
                path = (section, index, "id")
                also = f"also {section}[{seen[item.id]}]"
                hint = "; ids are unique within a section" if section in DECLARING_SECTIONS else ""
                yield Problem(loaded.display, loaded.line(path), format_path(path), f"duplicate id {item.id!r} ({also}){hint}")
            else:
                seen[item.id] = index


def _check_participants_once(loaded: LoadedFile) -> Iterator[Problem]:
    """Each participant once per meeting: one problem per repeated participant, however often it repeats."""
    for meeting_index, meeting in enumerate(loaded.record.meetings):
        positions: dict[str, list[int]] = {}
        for index, participant in enumerate(meeting.participants):
            positions.setdefault(participant.who, []).append(index)
        for who, indexes in positions.items():
            if len(indexes) > 1:
                path = ("meetings", meeting_index, "participants", indexes[1], "who")
                yield Problem(
                    loaded.display, loaded.line(path), format_path(path),
                    f"{who} is listed {len(indexes)} times in this meeting (first as participants[{indexes[0]}]); "
                    "list each participant once, with all its roles",
                )


# Elections, their stages and regulations are scheduled years ahead (an article may name Pemilu
# 2029), so a few years past today are plausible; a year like 9999 is a typo or a placeholder.
FUTURE_YEARS = 5


def check_dates(loaded: LoadedFile, values: Values) -> Iterator[Problem]:
    """No date (nor regulation year, nor election month) later than the end of this year + FUTURE_YEARS."""
    latest = dt.date.today().year + FUTURE_YEARS  # read at each check: a long-lived process crosses new year
    record = loaded.record
    years = [(path, value.year, value.isoformat()) for path, value in _dates(record, ())]
    years += [(path, year, str(year)) for path, year in values[("regulations", "*", "year")]]
    years += [(path, int(month[:4]), month) for path, month in values[("elections", "*", "month")]]
    for path, year, printed in years:
        if year > latest:
            yield Problem(
                loaded.display, loaded.line(path), format_path(path),
                f"{printed} is too far in the future (after {latest}, this year + {FUTURE_YEARS}); check the year",
            )


def _dates(record: BaseModel, path: Path_) -> Iterator[tuple[Path_, dt.date]]:
    """Every date of a record file, whichever section holds it (so a new date field is checked too), in file order."""
    for name, kind, _ in walk_plan(type(record)):
        value = getattr(record, name)
        if kind == "dates":
            if isinstance(value, list):
                yield from (((*path, name, index), item) for index, item in enumerate(value))
            elif value is not None:
                yield (*path, name), value
        elif kind == "records":
            for index, item in enumerate(value):
                yield from _dates(item, (*path, name, index))
        elif kind == "record" and value is not None:
            yield from _dates(value, (*path, name))


def check_vocabulary(loaded: LoadedFile, values: Values, vocabulary: Vocabulary) -> Iterator[Problem]:
    for pattern, concept_class in CONTROLLED_FIELDS:
        allowed = vocabulary.allowed(concept_class)
        for path, value in values[pattern]:
            if value not in allowed:
                yield Problem(
                    loaded.display, loaded.line(path), format_path(path),
                    f"unknown value {value!r}; use one of {', '.join(allowed)} (declared in ontology/egkg.ttl)",
                )


def check_reference_kinds(loaded: LoadedFile, values: Values, regions: dict[str, Region]) -> Iterator[Problem]:
    """Each reference names a kind its field takes; region codes exist in the gazetteer."""
    for pattern, kinds in REFERENCE_FIELDS:
        for path, ref in values[pattern]:
            kind, _, key = ref.partition("/")
            if kind not in kinds:
                yield Problem(
                    loaded.display, loaded.line(path), format_path(path),
                    f"{ref!r} is a {kind}; this field takes {' or '.join(sorted(kinds))}",
                )
            elif kind == "region" and key not in regions:
                yield Problem(
                    loaded.display, loaded.line(path), format_path(path),
                    f"unknown region code {key!r}; use a Kemendagri code from data/reference/idn-area-data (e.g. 74.06)",
                )
