"""Walks of a record's fields, planned once per model from its annotations: quotes, dates, controlled values, references."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from pydantic import BaseModel

from .loaded import Path_
from .models import rdf_fields, record_type

__all__ = ["CONTROLLED_FIELDS", "REFERENCE_FIELDS", "Values", "values_of", "walk_plan"]

# Fields holding controlled values and references, read from the models' Rdf annotations (declared
# once there, next to the predicate each field fills): (path pattern, concept class / kinds allowed).
CONTROLLED_FIELDS: tuple[tuple[Path_, str], ...] = tuple(
    (pattern, rdf.vocabulary) for pattern, _, _, rdf in rdf_fields() if rdf.vocabulary
)
REFERENCE_FIELDS: tuple[tuple[Path_, frozenset[str]], ...] = tuple(
    (pattern, rdf.refs) for pattern, _, _, rdf in rdf_fields() if rdf.refs
)


@functools.cache
def walk_plan(model: type[BaseModel]) -> tuple[tuple[str, str, type | None], ...]:
    """(field, kind) of the fields of a model the walks visit: quotes, dates and nested records.

    Read from the models' annotations, so a new date or quote field is walked too; walking these
    only (not every value of a dumped record) was most of what checking a file cost.
    """
    plan = []
    for name, info in model.model_fields.items():
        nested = record_type(info.annotation)
        if name == "evidence":
            plan.append((name, "evidence", None))
        elif name == "quote" and nested is None:
            plan.append((name, "quote", None))
        elif nested is not None:
            is_list = getattr(info.annotation, "__origin__", None) is list
            plan.append((name, "records" if is_list else "record", nested))
        elif _mentions_date(info.annotation):
            plan.append((name, "dates", None))
    return tuple(plan)


def _mentions_date(annotation: object) -> bool:
    """Whether a field's type is or holds a date (date, date | None, list[date], Annotated...)."""
    if isinstance(annotation, type):
        return issubclass(annotation, dt.date)
    return any(_mentions_date(arg) for arg in getattr(annotation, "__args__", ()) if arg is not Ellipsis)


# Every pattern the checks and the summary read, walked at once (see `_values_of`).
_PATTERNS: tuple[Path_, ...] = tuple(dict.fromkeys([
    *(pattern for pattern, _ in CONTROLLED_FIELDS), *(pattern for pattern, _ in REFERENCE_FIELDS),
    ("regulations", "*", "year"), ("elections", "*", "month"), ("regulations", "*", "amends"),
]))
Values = dict[Path_, list[tuple[Path_, Any]]]  # pattern -> (path, value) of each value it matches, in file order


def values_of(record: BaseModel) -> Values:
    """The values of every pattern in `_PATTERNS` ("*" for list items; list-valued leaves give each item).

    One walk of the record for all of them: walking it once per pattern (some 70) cost more than
    parsing the file.
    """
    found: Values = {pattern: [] for pattern in _PATTERNS}
    _collect(record, _pattern_tree(), (), found)
    return found


# A step of the patterns: those ending here, the step into each list item ("*"), the steps into fields.
_Step = tuple[tuple[Path_, ...], "_Step | None", tuple[tuple[str, "_Step"], ...]]


@functools.cache
def _pattern_tree() -> _Step:
    """The patterns as a tree of their steps, each pattern ending at the step of its last part."""
    tree: dict = {}
    for pattern in _PATTERNS:
        node = tree
        for part in pattern:
            node = node.setdefault(part, {})
        node.setdefault(None, []).append(pattern)
    return _frozen(tree)


def _frozen(node: dict) -> _Step:
    fields = tuple((part, _frozen(below)) for part, below in node.items() if part not in (None, "*"))
    return tuple(node.get(None, ())), _frozen(node["*"]) if "*" in node else None, fields


def _collect(node: Any, step: _Step, path: Path_, found: Values) -> None:
    ends, items, fields = step
    for pattern in ends:
        if isinstance(node, list):
            found[pattern].extend(((*path, index), item) for index, item in enumerate(node))
        elif node is not None:
            found[pattern].append((path, node))
    if items is not None and isinstance(node, list):
        for index, item in enumerate(node):
            _collect(item, items, (*path, index), found)
    if fields:
        values = node.__dict__ if isinstance(node, BaseModel) else node  # a record's __dict__ holds its fields
        if isinstance(values, dict):
            for name, below in fields:
                if name in values:
                    _collect(values[name], below, (*path, name), found)
