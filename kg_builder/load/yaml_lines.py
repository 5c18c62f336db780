"""Safe YAML loading that remembers the line of every value and refuses duplicate keys.

`load_yaml` is the fast way in: yaml-rs (or libyaml) without the line walk, the lines read again only
when something asks for one. `load_yaml_with_lines` is the reference, and says what is wrong with a file.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
import yaml_rs

from ..errors import InputError

__all__ = ["LineMap", "line_of", "load_yaml", "load_yaml_with_lines", "parse_yaml", "read_text"]

LineMap = dict[tuple[str | int, ...], int]

# The largest curated record is ~20 kB; 5 MB leaves room for any article and parses in a few seconds.
MAX_BYTES = 5_000_000
TOO_DEEP = "YAML error: nested too deeply; a record file is at most a few levels deep"


class _StrictSafeLoader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps, aliases or explicit tags.

    Dates stay text so pydantic can say which is wrong: PyYAML would raise a bare ValueError on
    2024-02-30 while constructing; we want the record field and line in the message instead.
    """

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        _refuse(self.peek_event())
        return super().compose_node(parent, index)


def _refuse(event: yaml.Event) -> None:
    """Refuse aliases and explicit tags, whichever parser (Python or libyaml) produced the event.

    An alias re-uses a whole subtree: nine nested aliases expand to 10^9 values ("billion laughs")
    that the line walk and pydantic would visit one by one. An explicit tag is refused before
    anything is constructed: the safe loader would still turn `!!binary aGVsbG8=` into the name
    "hello", a value nobody can read in the file. Records never need either.
    """
    if isinstance(event, yaml.AliasEvent):
        raise yaml.composer.ComposerError(
            None, None, f"alias *{event.anchor} is not allowed; write the value out", event.start_mark
        )
    tag = getattr(event, "tag", None)
    if tag not in (None, "!"):
        shown = tag.replace("tag:yaml.org,2002:", "!!", 1)
        raise yaml.composer.ComposerError(
            None, None, f"tag {shown} is not allowed; only plain YAML is allowed (no !!python or other tags)",
            event.start_mark,
        )


_StrictSafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

if hasattr(yaml, "CSafeLoader"):

    class _FastStrictLoader(yaml.CSafeLoader):  # type: ignore[misc, name-defined]
        """The same loader on libyaml, about 5x faster; aliases and tags are refused by a first event pass."""

    _FastStrictLoader.yaml_implicit_resolvers = _StrictSafeLoader.yaml_implicit_resolvers
else:  # pragma: no cover - PyYAML built without libyaml
    _FastStrictLoader = None  # type: ignore[assignment, misc]


def _refuse_aliases_and_tags(text: str) -> None:
    """What _StrictSafeLoader.compose_node refuses, checked on libyaml's events (C speed)."""
    for event in yaml.parse(text, Loader=_FastStrictLoader):
        _refuse(event)


def _make_loader(text: str):
    """libyaml when it is there and the text is free of aliases and tags; else the pure-Python loader.

    The pure-Python loader stays the reference: it is what reports control characters and deep
    nesting with the messages the bad-input corpus expects.
    """
    if _FastStrictLoader is not None and _printable(text):
        return _FastStrictLoader(text)
    return _StrictSafeLoader(text)


def _printable(text: str) -> bool:
    """True when YAML's reader would accept every character (else let the Python reader say where)."""
    return yaml.reader.Reader.NON_PRINTABLE.search(text) is None  # the reader's own test


def load_yaml_with_lines(path: Path, display: str) -> tuple[Any, LineMap]:
    """Parse one YAML document; return the data and a map from value path to 1-based line."""
    return _parse_with_lines(read_text(path, display), display)


def load_yaml(path: Path, display: str) -> tuple[Any, Mapping[tuple[str | int, ...], int]]:
    """The data of `load_yaml_with_lines`, parsed without walking for lines; the lines come on first use.

    yaml-rs (Rust, about 15x faster than libyaml through PyYAML) reads the file when it is sure to
    read it as the reference does (`_fast_data`). Any other file goes the libyaml way, and any file
    that way doubts (a YAML error, a duplicate key, an alias, a tag, too deep) is parsed again by
    the reference loader, so every refusal and its message stay the reference's.
    """
    return parse_yaml(read_text(path, display), display)[:2]


def parse_yaml(text: str, display: str, *, read_alike: bool = False) -> tuple[Any, Mapping[tuple[str | int, ...], int], bool]:
    """`load_yaml` of a file's text already read (by `read_text`), and whether yaml-rs read it.

    `read_alike` says yaml-rs read this very text before as the reference does (a chunked build
    reads each file twice): it is not asked again.
    """
    data = _yaml_rs_data(text) if read_alike else _fast_data(text)
    if data is not None:
        return data, _LazyLines(text, display), True
    return (*_libyaml_data(text, display), False)


def _libyaml_data(text: str, display: str) -> tuple[Any, Mapping[tuple[str | int, ...], int]]:
    if _FastStrictLoader is None or not _printable(text):
        return _parse_with_lines(text, display)
    try:
        if any(mark in text for mark in "&*!"):  # every anchor, alias and tag has one of these
            _refuse_aliases_and_tags(text)
        loader = _FastNoDuplicates(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except (yaml.YAMLError, _DuplicateKey, RecursionError):
        return _parse_with_lines(text, display)
    if data is None:  # empty: the reference loader says so
        return _parse_with_lines(text, display)
    return data, _LazyLines(text, display)


# yaml-rs reads YAML 1.2, the reference (PyYAML) YAML 1.1. Where they may differ, the file goes the
# libyaml way: characters yaml-rs takes otherwise (it expands aliases and drops tags silently, takes
# tabs as indentation and NEL, LS and PS as text, not line breaks) ...
_DOUBTFUL_CHARS = "&*!\t\x85\u2028\u2029"
# ... and numbers written so that the two read them differently (012 is 10 in YAML 1.1 and 12 in
# 1.2; 09, 0o17, 1e3, -.5 and _1 are text in 1.1, numbers in 1.2), at the start of a token. Text
# in quotes may match too; that only costs the slower way.
_RISKY_NUMBER = re.compile(  # after the character that starts a token (searched in "\n" + text)
    r"[\s\[\]{},](?=[-+0-9._])(?:[-+]?(?:0[0-9_]+(?![0-9_]*[.eE])|0[oOxXbB]|[0-9]*\.?_"
    r"|(?:[0-9][0-9_]*\.?[0-9_]*|\.[0-9_]+)[eE])|[-+]\.)"
)
# What YAML 1.1 reads as a bool, number, null, merge key or value when written plainly ("yes",
# "on", "1:30", "<<"): yaml-rs reads these as text, and a quoted one cannot be told from a plain one.
# PyYAML's own patterns (all verbose or plain), tried at once; PyYAML tries those registered for the
# first character, and each pattern begins with one of those characters.
_TYPED_IN_YAML_11 = re.compile("|".join(sorted({
    f"(?:{regexp.pattern})" for resolvers in _StrictSafeLoader.yaml_implicit_resolvers.values() for _, regexp in resolvers
})), re.VERBOSE)
_TYPED_FIRST = frozenset(_StrictSafeLoader.yaml_implicit_resolvers)  # "" too: an empty plain value is null
# ... and a flow item that begins with "?" or ":" (`[:0]`, `[x, ?y]`): YAML 1.1 refuses the one and
# reads the other as a key, where yaml-rs reads both as text. Text in quotes may match too.
_FLOW_ITEM_INDICATOR = re.compile(r"[\[{,]\s*[?:]")


def _fast_data(text: str) -> Any:
    """The file's data as yaml-rs reads it, or None when the reference might read it otherwise."""
    if (any(char in text for char in _DOUBTFUL_CHARS) or not _printable(text) or _RISKY_NUMBER.search("\n" + text)
            or _FLOW_ITEM_INDICATOR.search(text)):
        return None
    data = _yaml_rs_data(text)
    # Not a mapping (empty, a list, several documents): the reference says what it is.
    return data if isinstance(data, dict) and _reads_alike(data) else None


def _yaml_rs_data(text: str) -> Any:
    try:
        return yaml_rs.loads(text, parse_datetime=False, duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error)
    except (yaml_rs.YAMLDecodeError, RecursionError):  # the reference says what is wrong, and where
        return None


def _reads_alike(data: dict) -> bool:
    """No key but text, and no text YAML 1.1 would type when plain (numbers: _RISKY_NUMBER)."""
    for text in _texts(data):
        if not isinstance(text, str) or (_typed_in_yaml_11(text) and not _quoted(text)):
            return False
    return True


def _texts(data: dict) -> set[Any]:
    """Every key and every text value, once each (walked without recursion: any depth)."""
    found: set[Any] = set()
    stack: list[Any] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            found.update(node)  # keys; a key that is no text fails _reads_alike
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, str):
            found.add(node)
    return found  # true/false/null and ~ read alike in both


@functools.lru_cache(maxsize=4096)
def _quoted(value: str) -> bool:
    """Whether text yaml-rs gave must have been quoted: written plainly, yaml-rs itself would type it.

    So "41" (a regulation number) reads alike; yes, on and 1:30 may have been plain and do not.
    """
    try:
        return not isinstance(yaml_rs.loads(value, parse_datetime=False), str)
    except yaml_rs.YAMLDecodeError:
        return False


def _typed_in_yaml_11(value: str) -> bool:
    """PyYAML's test (BaseResolver.resolve): would a plain `value` get a tag other than str?"""
    return value[:1] in _TYPED_FIRST and _TYPED_IN_YAML_11.match(value) is not None


if _FastStrictLoader is not None:

    class _LinesLoader(_FastStrictLoader):  # type: ignore[misc, valid-type]
        """libyaml's nodes for their marks only: no tag resolved, as nothing is constructed from them."""

        def resolve(self, kind: type, value: object, implicit: object) -> str:
            return ""

        def descend_resolver(self, parent: object, index: object) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass
else:  # pragma: no cover - PyYAML built without libyaml
    _LinesLoader = None  # type: ignore[assignment, misc]


class _DuplicateKey(Exception):
    """A mapping repeats a key: the reference loader reports which and where."""


if _FastStrictLoader is not None:

    class _FastNoDuplicates(_FastStrictLoader):  # type: ignore[misc, valid-type]
        """The fast loader, refusing a repeated key (libyaml keeps the last one silently)."""

        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
            keys = [key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode)]
            if len(keys) != len(set(keys)):
                raise _DuplicateKey
            return super().construct_mapping(node, deep)


class _LazyLines(Mapping):
    """The line map of a text already parsed, walked only when a message first needs a line."""

    def __init__(self, text: str, display: str):
        self._text = text  # the text parsed, not the file: it may have changed since
        self._display = display
        self._lines: LineMap | None = None

    @property
    def walked(self) -> bool:
        return self._lines is not None

    def _map(self) -> LineMap:
        if self._lines is None:
            self._lines = _lines_only(self._text, self._display)
            self._text = ""
        return self._lines

    def __getitem__(self, key: tuple[str | int, ...]) -> int:
        return self._map()[key]

    def __iter__(self) -> Iterator[tuple[str | int, ...]]:
        return iter(self._map())

    def __len__(self) -> int:
        return len(self._map())


def _lines_only(text: str, display: str) -> LineMap:
    """The line map of a text the fast parse took: libyaml's nodes walked, nothing constructed.

    The text has no anchor, alias or tag (the fast parse took it), so the event pass that refuses
    them is not needed; anything libyaml stumbles on goes to the reference, which says what.
    """
    if _LinesLoader is not None:
        loader = _LinesLoader(text)
        try:
            node = loader.get_single_node()
            if node is not None:
                lines: LineMap = {}
                _walk(node, (), lines, display)
                return lines
        except (yaml.YAMLError, RecursionError):
            pass
        finally:
            loader.dispose()
    return _parse_with_lines(text, display)[1]


def read_text(path: Path, display: str) -> str:
    """The file's text, refused when too large, unreadable or not UTF-8."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            # Pure-Python YAML parses ~1.5 MB/s: refuse at once instead of churning for a minute.
            raise InputError(
                f"file is {size / 1e6:.0f} MB; a record file holds one article's facts (at most "
                f"{MAX_BYTES // 1_000_000} MB)", file=display,
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", file=display) from exc
    try:
        text = raw.decode("utf-8-sig")  # a leading BOM is harmless; strip it
    except UnicodeDecodeError as exc:
        at = exc.start + (3 if raw.startswith(b"\xef\xbb\xbf") else 0)  # the codec counts after the BOM
        raise InputError(f"not valid UTF-8 at byte {at}; save the file as UTF-8", file=display,
                         line=raw.count(b"\n", 0, at) + 1) from exc
    return text


def _parse_with_lines(text: str, display: str) -> tuple[Any, LineMap]:
    try:
        # The reader refuses control characters (NUL, ...) as soon as it is built, with no line.
        loader = _make_loader(text)
    except yaml.reader.ReaderError as exc:
        line = text.count("\n", 0, exc.position) + 1
        raise InputError(f"YAML error: unprintable character U+{exc.character:04X} is not allowed", file=display,
                         line=line) from None
    try:
        if not isinstance(loader, _StrictSafeLoader):
            _refuse_aliases_and_tags(text)
        node = loader.get_single_node()
        if node is None:
            raise InputError("file is empty; a record file needs at least a 'source' section", file=display)
        lines: LineMap = {}
        _walk(node, (), lines, display)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        if _too_deep(exc):
            raise InputError(TOO_DEEP, file=display) from None
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or exc.context or "invalid YAML"
        if isinstance(exc, yaml.constructor.ConstructorError):
            what = f"{what}; only plain YAML is allowed (no !!python or other tags)"
        raise InputError(f"YAML error: {what}", file=display, line=line) from exc
    except yaml.YAMLError as exc:
        raise InputError(f"YAML error: {exc}", file=display) from exc
    except RecursionError:
        # The composer and the line walk recurse once per nesting level.
        raise InputError(TOO_DEEP, file=display) from None
    finally:
        loader.dispose()
    return data, lines


def _too_deep(exc: yaml.MarkedYAMLError) -> bool:
    """libyaml's own nesting limit, as the libyaml in PyYAML 6.0.4's wheels has it.

    The pure-Python loader, and libyaml builds without the limit, hit Python's recursion limit
    instead. Both must read the same whichever PyYAML is installed, so the message is egkg's and
    carries no line (only libyaml knows one).
    """
    return "maximum nesting depth" in (exc.problem or "")


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
