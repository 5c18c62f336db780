"""Load every record file under data/records and check it: shape, vocabulary, ids, references, quotes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from rdflib import Graph

from .errors import InputError, InputErrors, Problem
from .evidence import ArchivedText
from .gazetteer import Region, load_regions
from .models import RecordFile
from .resolve import DECISIONS_FILE, load_decisions
from .vocab import Vocabulary, load_vocabulary
from .yaml_lines import LineMap, line_of, load_yaml_with_lines

__all__ = ["Corpus", "LoadedFile", "load_corpus", "format_path"]

Path_ = tuple[str | int, ...]

# Section of a record file -> reference type its items declare.
DECLARING_SECTIONS = {
    "persons": "person",
    "organizations": "org",
    "posts": "post",
    "places": "place",
    "meetings": "meeting",
    "regulations": "regulation",
    "elections": "election",
    "stages": "stage",
}

# Fields holding controlled values: (path pattern, concept class in the ontology).
CONTROLLED_FIELDS: tuple[tuple[Path_, str], ...] = (
    (("persons", "*", "aliases", "*", "kind"), "NameVariantKind"),
    (("organizations", "*", "type"), "OrganizationType"),
    (("organizations", "*", "level"), "AdministrativeLevel"),
    (("posts", "*", "office"), "OfficeType"),
    (("holdings", "*", "kind"), "AppointmentKind"),
    (("meetings", "*", "kind"), "MeetingKind"),
    (("meetings", "*", "topics"), "Topic"),
    (("meetings", "*", "participants", "*", "appointment"), "AppointmentKind"),
    (("meetings", "*", "participants", "*", "roles"), "ParticipantRole"),
    (("regulations", "*", "type"), "RegulationType"),
    (("elections", "*", "type"), "ElectionType"),
    (("stages", "*", "kind"), "StageKind"),
    (("observations", "*", "indicator"), "Indicator"),
    (("observations", "*", "unit"), "Unit"),
    (("source_errors", "*", "kind"), "SourceErrorKind"),
)

# Fields holding references: (path pattern, reference types allowed there).
REFERENCE_FIELDS: tuple[tuple[Path_, frozenset[str]], ...] = tuple(
    (pattern, frozenset(kinds.split()))
    for pattern, kinds in (
        (("source", "publisher"), "org"),
        (("organizations", "*", "region"), "region"),
        (("organizations", "*", "part_of"), "org"),
        (("posts", "*", "organization"), "org"),
        (("posts", "*", "region"), "region"),
        (("holdings", "*", "holder"), "person"),
        (("holdings", "*", "post"), "post"),
        (("places", "*", "region"), "region"),
        (("meetings", "*", "venue"), "place"),
        (("meetings", "*", "region"), "region"),
        (("meetings", "*", "concerns_region"), "region"),
        (("meetings", "*", "organizers"), "org person"),
        (("meetings", "*", "chair"), "person post org"),
        (("meetings", "*", "elections"), "election"),
        (("meetings", "*", "citations", "*", "regulation"), "regulation"),
        (("meetings", "*", "participants", "*", "who"), "person org post"),
        (("meetings", "*", "participants", "*", "capacity"), "post"),
        (("meetings", "*", "participants", "*", "represents"), "org post"),
        (("regulations", "*", "issuer"), "org"),
        (("regulations", "*", "amends"), "regulation"),
        (("regulations", "*", "enacts"), "regulation"),
        (("elections", "*", "region"), "region"),
        (("elections", "*", "part_of"), "election"),
        (("stages", "*", "election"), "election"),
        (("observations", "*", "region"), "region"),
        (("observations", "*", "meeting"), "meeting"),
        (("source_errors", "*", "concerns"), "person org post place meeting regulation election stage region"),
    )
)


@dataclass(frozen=True)
class LoadedFile:
    """One checked record file with its archived text and where each quote sits in it."""

    path: Path
    display: str
    record: RecordFile
    lines: LineMap
    text: ArchivedText
    quote_offsets: dict[str, tuple[int, int]]

    def line(self, path: Path_) -> int | None:
        return line_of(self.lines, path)


@dataclass(frozen=True)
class Corpus:
    """Every record file, the gazetteer and the vocabulary, checked together."""

    data_dir: Path
    files: tuple[LoadedFile, ...]
    regions: dict[str, Region]
    vocabulary: Vocabulary
    declarations: dict[str, list[tuple[LoadedFile, Path_]]] = field(repr=False)
    same_as: dict[str, str] = field(default_factory=dict)  # merged ref -> canonical ref

    def where(self, ref: str) -> tuple[LoadedFile, Path_] | None:
        """The first record that declares `ref` (for error messages)."""
        found = self.declarations.get(ref)
        return found[0] if found else None


def format_path(path: Path_) -> str:
    """("meetings", 0, "start") -> "meetings[0].start"."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def load_corpus(data_dir: Path, ontology: Graph) -> Corpus:
    """Load and check every `data/records/*.yaml`; raise InputErrors listing every problem."""
    data_dir = data_dir.resolve()
    records_dir = data_dir / "records"
    if not records_dir.is_dir():
        raise InputError("no records directory; create data/records/ with one YAML file per source", file=records_dir)
    paths = sorted(p for p in records_dir.iterdir() if p.suffix in (".yaml", ".yml", ".json"))  # JSON is YAML too
    if not paths:
        raise InputError("no record files (*.yaml, *.json) found", file=records_dir)
    vocabulary = load_vocabulary(ontology)
    regions = load_regions(data_dir / "reference" / "idn-area-data")
    problems: list[Problem] = []
    files: list[LoadedFile] = []
    for path in paths:
        display = _display(path, data_dir)
        try:
            loaded = _load_file(path, display, data_dir)
        except InputError as exc:
            problems.append(exc.problem)
            continue
        except InputErrors as exc:
            problems.extend(exc.problems)
            continue
        files.append(loaded)
    declarations = _declarations(files, problems)
    for loaded in files:
        problems.extend(_check_vocabulary(loaded, vocabulary))
        problems.extend(_check_references(loaded, declarations, regions))
    problems.extend(_check_sources_unique(files))
    decisions = load_decisions(data_dir)
    for pair in decisions.same + decisions.different:
        for ref in pair:
            if ref not in declarations:
                problems.append(Problem(f"{data_dir.name}/{DECISIONS_FILE}", None, "", f"unknown reference {ref!r} in a decision"))
    if problems:
        raise InputErrors(problems)
    return Corpus(data_dir, tuple(files), regions, vocabulary, declarations, decisions.canonical())


def _display(path: Path, data_dir: Path) -> str:
    """Paths in messages are relative to the project (data/records/...), as a curator sees them."""
    try:
        return str(Path(data_dir.name) / path.resolve().relative_to(data_dir))
    except ValueError:
        return str(path)


def _load_file(path: Path, display: str, data_dir: Path) -> LoadedFile:
    data, lines = load_yaml_with_lines(path, display)
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
        raise InputError(
            f"archived text {record.source.text!r} is not valid UTF-8 at byte {exc.start}",
            file=display, line=line_of(lines, ("source", "text")), field="source.text",
        ) from exc
    text = ArchivedText.of(raw)
    offsets: dict[str, tuple[int, int]] = {}
    problems = []
    dumped = record.model_dump(mode="python")
    for path_, quote in _quotes(dumped, ()):
        found = text.locate(quote)
        if found is None:
            problems.append(Problem(
                display, line_of(lines, path_), format_path(path_),
                f"quote not found in {record.source.text}: {_short(quote)!r}; copy it verbatim from the archived text",
            ))
        else:
            offsets[quote] = found
    if problems:
        raise InputErrors(problems)
    return LoadedFile(path, display, record, lines, text, offsets)


def _source_text_path(relative: str, data_dir: Path, display: str, lines: LineMap) -> Path:
    where = {"file": display, "line": line_of(lines, ("source", "text")), "field": "source.text"}
    candidate = Path(relative)
    if candidate.is_absolute():
        raise InputError(f"{relative!r} is absolute; give a path relative to data/ (sources/....txt)", **where)
    resolved = (data_dir / candidate).resolve()
    if not resolved.is_relative_to(data_dir):
        raise InputError(f"{relative!r} points outside data/; archived texts live under data/sources/", **where)
    if not resolved.is_file():
        raise InputError(f"archived text {relative!r} does not exist under data/; add it or fix the path", **where)
    return resolved


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pydantic_problem(err: dict[str, Any], display: str, lines: LineMap) -> Problem:
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


def _quotes(node: Any, path: Path_) -> Iterator[tuple[Path_, str]]:
    """Every evidence quote and furniture quote in a dumped record file."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "evidence":
                for index, quote in enumerate(value):
                    yield (*path, key, index), quote
            elif key == "quote" and isinstance(value, str):
                yield (*path, key), value
            else:
                yield from _quotes(value, (*path, key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _quotes(item, (*path, index))


def values_at(node: Any, pattern: Path_, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Values matching a pattern with "*" for list items; list-valued leaves yield each item."""
    if not pattern:
        if isinstance(node, list):
            for index, item in enumerate(node):
                yield (*path, index), item
        elif node is not None:
            yield path, node
        return
    head, rest = pattern[0], pattern[1:]
    if head == "*":
        if isinstance(node, list):
            for index, item in enumerate(node):
                yield from values_at(item, rest, (*path, index))
    elif isinstance(node, dict) and head in node:
        yield from values_at(node[head], rest, (*path, head))


def _declarations(files: list[LoadedFile], problems: list[Problem]) -> dict[str, list[tuple[LoadedFile, Path_]]]:
    declared: dict[str, list[tuple[LoadedFile, Path_]]] = {}
    org_types: dict[str, tuple[str, LoadedFile]] = {}
    for loaded in files:
        record = loaded.record
        for section, kind in DECLARING_SECTIONS.items():
            seen: dict[str, int] = {}
            for index, item in enumerate(getattr(record, section)):
                path = (section, index, "id")
                if item.id in seen:
                    problems.append(Problem(
                        loaded.display, loaded.line(path), format_path(path),
                        f"duplicate id {item.id!r} (also {section}[{seen[item.id]}]); ids are unique within a section",
                    ))
                    continue
                seen[item.id] = index
                declared.setdefault(f"{kind}/{item.id}", []).append((loaded, (section, index)))
                if section == "organizations":
                    first = org_types.setdefault(item.id, (item.type, loaded))
                    if first[0] != item.type:
                        problems.append(Problem(
                            loaded.display, loaded.line((section, index, "type")), format_path((section, index, "type")),
                            f"org/{item.id} is {item.type} here but {first[0]} in {first[1].display}; one id, one type",
                        ))
        for section in ("observations", "source_errors"):
            seen = {}
            for index, item in enumerate(getattr(record, section)):
                if item.id in seen:
                    path = (section, index, "id")
                    problems.append(Problem(
                        loaded.display, loaded.line(path), format_path(path),
                        f"duplicate id {item.id!r} (also {section}[{seen[item.id]}])",
                    ))
                seen[item.id] = index
    return declared


def _check_vocabulary(loaded: LoadedFile, vocabulary: Vocabulary) -> Iterator[Problem]:
    dumped = loaded.record.model_dump(mode="python")
    for pattern, concept_class in CONTROLLED_FIELDS:
        allowed = vocabulary.allowed(concept_class)
        for path, value in values_at(dumped, pattern):
            if value not in allowed:
                yield Problem(
                    loaded.display, loaded.line(path), format_path(path),
                    f"unknown value {value!r}; use one of {', '.join(allowed)} (declared in ontology/egkg.ttl)",
                )


def _check_references(
    loaded: LoadedFile, declared: dict[str, list[tuple[LoadedFile, Path_]]], regions: dict[str, Region]
) -> Iterator[Problem]:
    dumped = loaded.record.model_dump(mode="python")
    for pattern, kinds in REFERENCE_FIELDS:
        for path, ref in values_at(dumped, pattern):
            kind, _, key = ref.partition("/")
            if kind not in kinds:
                yield Problem(
                    loaded.display, loaded.line(path), format_path(path),
                    f"{ref!r} is a {kind}; this field takes {' or '.join(sorted(kinds))}",
                )
            elif kind == "region":
                if key not in regions:
                    yield Problem(
                        loaded.display, loaded.line(path), format_path(path),
                        f"unknown region code {key!r}; use a Kemendagri code from data/reference/idn-area-data (e.g. 74.06)",
                    )
            elif ref not in declared:
                yield Problem(
                    loaded.display, loaded.line(path), format_path(path),
                    f"unknown reference {ref!r}; declare it in a record file's {_section_for(kind)} section or fix the id",
                )


def _section_for(kind: str) -> str:
    return next(section for section, k in DECLARING_SECTIONS.items() if k == kind)


def _check_sources_unique(files: list[LoadedFile]) -> Iterator[Problem]:
    by_id: dict[str, LoadedFile] = {}
    by_text: dict[str, LoadedFile] = {}
    for loaded in files:
        source = loaded.record.source
        for key, index, label in ((source.id, by_id, "id"), (source.text, by_text, "text")):
            if key in index:
                yield Problem(
                    loaded.display, loaded.line(("source", label)), f"source.{label}",
                    f"{key!r} is already the source {label} of {index[key].display}; one record file per source",
                )
            else:
                index[key] = loaded
