"""Safe YAML loading that remembers the line of every value and refuses duplicate keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import InputError

__all__ = ["LineMap", "line_of", "load_yaml_with_lines"]

LineMap = dict[tuple[str | int, ...], int]


class _StrictSafeLoader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps: dates stay text so pydantic can say which is wrong.

    PyYAML would raise a bare ValueError on 2024-02-30 while constructing; we want the record
    field and line in the message instead.
    """


_StrictSafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml_with_lines(path: Path, display: str) -> tuple[Any, LineMap]:
    """Parse one YAML document; return the data and a map from value path to 1-based line."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", file=display) from exc
    try:
        text = raw.decode("utf-8-sig")  # a leading BOM is harmless; strip it
    except UnicodeDecodeError as exc:
        raise InputError(f"not valid UTF-8 at byte {exc.start}; save the file as UTF-8", file=display) from exc
    loader = _StrictSafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError("file is empty; a record file needs at least a 'source' section", file=display)
        lines: LineMap = {}
        _walk(node, (), lines, display)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "invalid YAML"
        if isinstance(exc, yaml.constructor.ConstructorError):
            what = f"{what}; only plain YAML is allowed (no !!python or other tags)"
        raise InputError(f"YAML error: {what}", file=display, line=line) from exc
    except yaml.YAMLError as exc:
        raise InputError(f"YAML error: {exc}", file=display) from exc
    finally:
        loader.dispose()
    return data, lines


def _walk(node: yaml.Node, path: tuple[str | int, ...], lines: LineMap, display: str) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.start_mark)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise InputError(
                    f"duplicate key '{key}' (first on line {seen[key]}); keep one",
                    file=display,
                    line=line,
                )
            seen[key] = line
            _walk(value_node, (*path, key), lines, display)
            lines[(*path, key)] = line
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*path, index), lines, display)


def line_of(lines: LineMap, path: tuple[str | int, ...]) -> int | None:
    """The line of the deepest known prefix of `path`."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None
