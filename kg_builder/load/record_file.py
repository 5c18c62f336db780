"""Read one record file: parse it, validate it against the models, find its quotes, run its own checks."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import InputError, InputErrors, Problem
from ..rdf.vocab import Vocabulary
from .evidence import ArchivedText
from .file_checks import (
    check_dates,
    check_reference_kinds,
    check_vocabulary,
    check_within,
)
from .gazetteer import Region
from .loaded import FileSummary, LoadedFile, Path_, format_path
from .models import RecordFile
from .quotes import locate_quotes
from .summary import TextRead, summarise
from .walks import values_of
from .yaml_lines import line_of, parse_yaml, read_text

__all__ = ["load_record_file"]


def load_record_file(
    path: Path, data_dir: Path, vocabulary: Vocabulary, regions: dict[str, Region], timings: dict[str, float] | None = None,
    *, lines: bool = True, checked: FileSummary | None = None,
) -> tuple[LoadedFile, FileSummary]:
    """Parse one record file and run every check that needs no other file.

    With `lines` the file's lines are walked now, by libyaml. Without, libyaml reads the file only
    when a message asks for a line: the mapping's origins (mapping.graph.Origin) find theirs then.

    `checked` is the summary of a first reading (a chunked build's): while the file's text is the
    one it summarised, the checks of the record alone are not run again and the summary is
    returned as it is. Every quote is still looked up in the archived text, which may have changed.
    """
    display = _display(path, data_dir)
    loaded, read = _load_file(path, display, data_dir, {} if timings is None else timings, checked)
    if lines:
        len(loaded.lines)  # walks them
    if checked is not None and checked.digest == read.digest:
        return loaded, checked
    values = values_of(loaded.record)
    problems = list(check_within(loaded))
    problems.extend(check_dates(loaded, values))
    problems.extend(check_vocabulary(loaded, values, vocabulary))
    problems.extend(check_reference_kinds(loaded, values, regions))
    if problems:
        raise InputErrors(problems)
    return loaded, summarise(loaded, values, read)


def _display(path: Path, data_dir: Path) -> str:
    """Paths in messages are relative to the project (data/records/...), as a curator sees them.

    The link's own path, not its target's: a symbolic link out of data/ is named as the curator sees it.
    """
    root = data_dir.absolute()
    try:
        return str(Path(root.name) / path.absolute().relative_to(root))
    except ValueError:
        return str(path)


def _load_file(
    path: Path, display: str, data_dir: Path, timings: dict[str, float], checked: FileSummary | None = None,
) -> tuple[LoadedFile, TextRead]:
    """The file with its record validated and every quote found, and how its text was read."""
    if not path.resolve().is_relative_to(data_dir.resolve()):
        # As for archived texts (_source_text_path): a link inside data/ is fine, one out of it would
        # read any file the user can read into the graph.
        raise InputError("record file points outside data/ (a symbolic link); record files live under data/records/",
                         file=display)
    yaml_text = read_text(path, display)
    digest = hashlib.blake2b(yaml_text.encode(), digest_size=16).hexdigest()
    same_text = checked is not None and checked.digest == digest
    data, lines, by_yaml_rs = parse_yaml(yaml_text, display, read_alike=same_text and checked.read_by_yaml_rs)
    if not isinstance(data, dict):
        raise InputError("a record file is a mapping with a 'source' section at the top", file=display, line=1)
    try:
        record = RecordFile.model_validate(data)
    except ValidationError as exc:
        raise InputErrors([_pydantic_problem(err, display, lines) for err in exc.errors()]) from None
    text_path = _source_text_path(record.source.text, data_dir, display, lines)
    try:
        raw = text_path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise InputError(
            f"archived text {record.source.text!r} cannot be read ({exc.strerror}); put the article under data/sources/",
            file=display, line=line_of(lines, ("source", "text")), field="source.text",
        ) from exc
    except UnicodeDecodeError as exc:
        at = exc.start + (3 if exc.object.startswith(b"\xef\xbb\xbf") else 0)  # the codec counts after the BOM
        raise InputError(
            f"archived text {record.source.text!r} is not valid UTF-8 at byte {at}",
            file=display, line=line_of(lines, ("source", "text")), field="source.text",
        ) from exc
    started = time.perf_counter()
    text = ArchivedText.of(raw)
    offsets, problems = locate_quotes(record, text, display, lines)
    timings["evidence check"] = timings.get("evidence check", 0.0) + time.perf_counter() - started
    if problems:
        raise InputErrors(problems)
    return LoadedFile(path, display, record, lines, text, offsets), TextRead(digest, by_yaml_rs)


def _source_text_path(relative: str, data_dir: Path, display: str, lines: Mapping[Path_, int]) -> Path:
    def refuse(message: str) -> InputError:  # the line only when refusing: finding it walks the file
        return InputError(message, file=display, line=line_of(lines, ("source", "text")), field="source.text")

    candidate = Path(relative)
    if candidate.is_absolute():
        raise refuse(f"{relative!r} is absolute; give a path relative to data/ (sources/....txt)")
    resolved = (data_dir / candidate).resolve()
    if not resolved.is_relative_to(data_dir.resolve()):  # a chunked build passes --data as given
        raise refuse(f"{relative!r} points outside data/; archived texts live under data/sources/")
    if not resolved.is_file():
        raise refuse(f"archived text {relative!r} does not exist under data/; add it or fix the path")
    return resolved


def _pydantic_problem(err: dict[str, Any], display: str, lines: Mapping[Path_, int]) -> Problem:
    loc = tuple(err["loc"])
    value = err.get("input")
    kind = err["type"]
    if kind == "extra_forbidden":
        message = "unknown field; see docs/records.md for the fields of this section"
    elif kind == "missing":
        message = "required field is missing"
    elif kind.startswith("date"):
        message = f"{value!r} is not a real date; write YYYY-MM-DD"
    elif kind == "string_pattern_mismatch":
        pattern = err.get("ctx", {}).get("pattern", "")
        message = f"{value!r} is not of the expected form {pattern}"
    else:
        message = err["msg"].removeprefix("Value error, ")
        if value is not None and not isinstance(value, (dict, list)) and kind != "value_error":
            message += f" (got {value!r})"
    return Problem(display, line_of(lines, loc), format_path(loc), message)
