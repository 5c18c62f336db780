"""Load every record file under data/records and check it: shape, vocabulary, ids, references, quotes."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx
from pydantic import BaseModel, ValidationError
from rdflib import Graph

from .errors import InputError, InputErrors, Problem
from .evidence import MIN_QUOTE_CHARS, ArchivedText, pins_a_place
from .gazetteer import Region, load_regions
from .models import RecordFile, rdf_fields, record_type
from .rdf.vocab import Vocabulary, load_vocabulary
from .resolve import DECISIONS_FILE, load_decisions
from .yaml_lines import line_of, load_yaml, parse_yaml, read_text

__all__ = ["Corpus", "FileSummary", "LoadedFile", "format_path", "load_corpus", "load_record_file", "post_organizations", "record_paths"]

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

# Fields holding controlled values and references, read from the models' Rdf annotations (declared
# once there, next to the predicate each field fills): (path pattern, concept class / kinds allowed).
CONTROLLED_FIELDS: tuple[tuple[Path_, str], ...] = tuple(
    (pattern, rdf.vocabulary) for pattern, _, _, rdf in rdf_fields() if rdf.vocabulary
)
REFERENCE_FIELDS: tuple[tuple[Path_, frozenset[str]], ...] = tuple(
    (pattern, rdf.refs) for pattern, _, _, rdf in rdf_fields() if rdf.refs
)


@dataclass(frozen=True)
class LoadedFile:
    """One checked record file with its archived text and where each quote sits in it."""

    path: Path
    display: str
    record: RecordFile
    lines: Mapping[Path_, int]  # walked on first use: most files never need a line
    text: ArchivedText
    quote_offsets: dict[str, tuple[int, int]]

    def line(self, path: Path_) -> int | None:
        return line_of(self.lines, path)


@dataclass(frozen=True)
class FileSummary:
    """What the cross-file checks and the mapping of other files need from one checked record file.

    Small and picklable, so an incremental build keeps it for unchanged files instead of
    parsing them again. It holds where each value is (its path in the file), not its line: only
    a message needs a line, and `_Lines` reads the file again for one (summarising 10,000 files
    without walking any for lines).
    """

    name: str  # file name under data/records/
    display: str
    source_id: str
    source_text: str
    declared: tuple[tuple[str, str, Path_], ...]  # (ref, field, path)
    org_types: tuple[tuple[str, str, str, Path_], ...]  # (org id, type, field, path)
    references: tuple[tuple[str, str, Path_], ...]  # (ref, field, path) of declared kinds
    post_orgs: tuple[tuple[str, str], ...]  # (post ref, org ref)
    amends: tuple[tuple[str, str, str, Path_], ...] = ()  # (regulation ref, amended ref, field, path)
    digest: str = ""  # of the text checked: a second reading of the same text need not check it again
    read_by_yaml_rs: bool = False  # yaml-rs read the text as the reference does (yaml_lines.parse_yaml)


@dataclass(frozen=True)
class Corpus:
    """The checked record files: parsed in full where needed, summarised for all of them."""

    data_dir: Path
    files: tuple[LoadedFile, ...]  # parsed this time (all of them unless an incremental build reused some)
    regions: dict[str, Region]
    vocabulary: Vocabulary
    declarations: dict[str, list[tuple[str, str, Path_]]] = field(repr=False)  # ref -> (file, field, path)
    same_as: dict[str, str] = field(default_factory=dict)  # merged ref -> canonical ref
    summaries: tuple[FileSummary, ...] = ()
    post_orgs: dict[str, str] = field(default_factory=dict, repr=False)  # post ref -> its organisation ref


@functools.lru_cache(maxsize=65536)  # files repeat the same few thousand paths
def format_path(path: Path_) -> str:
    """("meetings", 0, "start") -> "meetings[0].start"."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def record_paths(data_dir: Path) -> list[Path]:
    """The record files of a data directory, in name order."""
    records_dir = data_dir / "records"
    if not records_dir.is_dir():
        raise InputError("no records directory; create data/records/ with one YAML file per source", file=records_dir)
    paths = sorted(p for p in records_dir.iterdir() if p.suffix in (".yaml", ".yml", ".json"))  # JSON is YAML too
    if not paths:
        raise InputError("no record files (*.yaml, *.json) found", file=records_dir)
    return paths


def load_corpus(
    data_dir: Path, ontology: Graph, reuse: dict[str, FileSummary] | None = None, timings: dict[str, float] | None = None,
    *, keep_files: bool = True,
) -> Corpus:
    """Load and check every `data/records/*.yaml`; raise InputErrors listing every problem.

    Files named in `reuse` are unchanged since a previous build: their summaries stand in for
    parsing them again, and only the checks across files see them. Without `keep_files` only the
    summaries are kept (a chunked build parses each file again when it maps it).
    """
    data_dir = data_dir.resolve()
    reuse = reuse or {}
    paths = record_paths(data_dir)  # first: a wrong --data is about records/, not the gazetteer
    vocabulary = load_vocabulary(ontology)
    regions = load_regions(data_dir / "reference" / "idn-area-data")
    problems: list[Problem] = []
    files: list[LoadedFile] = []
    summaries: list[FileSummary] = []
    for path in paths:
        if path.name in reuse:
            summaries.append(reuse[path.name])
            continue
        try:
            loaded, summary = load_record_file(path, data_dir, vocabulary, regions, timings, lines=keep_files)
        except InputError as exc:
            problems.append(exc.problem)
            continue
        except InputErrors as exc:
            problems.extend(exc.problems)
            continue
        if keep_files:
            files.append(loaded)
        summaries.append(summary)
    lines = _Lines(data_dir)
    declarations = _declarations(summaries, problems, lines)
    for summary in summaries:
        problems.extend(_check_references(summary, declarations, lines))
    problems.extend(_check_sources_unique(summaries, lines))
    problems.extend(_check_amendments(summaries, lines))
    decisions = load_decisions(data_dir)
    for pair in decisions.same + decisions.different:
        for ref in pair:
            if ref not in declarations:
                problems.append(Problem(f"{data_dir.name}/{DECISIONS_FILE}", None, "", f"unknown reference {ref!r} in a decision"))
    if problems:
        raise InputErrors(problems)
    post_orgs = post_organizations(summaries)
    return Corpus(
        data_dir, tuple(files), regions, vocabulary, declarations, decisions.canonical(), tuple(summaries), post_orgs
    )


def post_organizations(summaries) -> dict[str, str]:
    """Each post's organisation as the first record file (in name order) that declares it gives it."""
    found: dict[str, str] = {}
    for summary in summaries:
        for post, org in summary.post_orgs:
            found.setdefault(post, org)
    return found


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
    values = _values_of(loaded.record)
    problems = list(_check_within(loaded))
    problems.extend(_check_dates(loaded, values))
    problems.extend(_check_vocabulary(loaded, values, vocabulary))
    problems.extend(_check_reference_kinds(loaded, values, regions))
    if problems:
        raise InputErrors(problems)
    return loaded, _summarise(loaded, values, read)


def _display(path: Path, data_dir: Path) -> str:
    """Paths in messages are relative to the project (data/records/...), as a curator sees them.

    The link's own path, not its target's: a symbolic link out of data/ is named as the curator sees it.
    """
    root = data_dir.absolute()
    try:
        return str(Path(root.name) / path.absolute().relative_to(root))
    except ValueError:
        return str(path)


@dataclass(frozen=True)
class _Read:
    """How a file's text was read, for a second reading of it."""

    digest: str
    by_yaml_rs: bool


def _load_file(
    path: Path, display: str, data_dir: Path, timings: dict[str, float], checked: FileSummary | None = None,
) -> tuple[LoadedFile, _Read]:
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
    offsets: dict[str, tuple[int, int]] = {}
    problems = []
    for path_, quote in _quotes(record, ()):
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
                f"quote not found in {record.source.text}: {_short(quote)!r}; copy it verbatim from the archived text",
            ))
        else:
            offsets[quote] = found
    timings["evidence check"] = timings.get("evidence check", 0.0) + time.perf_counter() - started
    if problems:
        raise InputErrors(problems)
    return LoadedFile(path, display, record, lines, text, offsets), _Read(digest, by_yaml_rs)


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


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


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


def _quotes(record: BaseModel, path: Path_) -> Iterator[tuple[Path_, str]]:
    """Every evidence quote and furniture quote of a record file, in file order."""
    for name, kind, _ in _walk_plan(type(record)):
        value = getattr(record, name)
        if kind == "evidence":
            for index, quote in enumerate(value):
                yield (*path, name, index), quote
        elif kind == "quote":
            yield (*path, name), value
        elif kind == "records":
            for index, item in enumerate(value):
                yield from _quotes(item, (*path, name, index))
        elif kind == "record" and value is not None:
            yield from _quotes(value, (*path, name))


@functools.cache
def _walk_plan(model: type[BaseModel]) -> tuple[tuple[str, str, type | None], ...]:
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


def _values_of(record: BaseModel) -> Values:
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


def _check_within(loaded: LoadedFile) -> list[Problem]:
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


def _check_dates(loaded: LoadedFile, values: Values) -> Iterator[Problem]:
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
    for name, kind, _ in _walk_plan(type(record)):
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


def _summarise(loaded: LoadedFile, values: Values, read: _Read) -> FileSummary:
    record = loaded.record
    declared = []
    org_types = []
    for section, kind in DECLARING_SECTIONS.items():
        seen: set[str] = set()
        for index, item in enumerate(getattr(record, section)):
            if item.id in seen:
                continue
            seen.add(item.id)
            path = (section, index)
            declared.append((f"{kind}/{item.id}", format_path((*path, "id")), _shared((*path, "id"))))
            if section == "organizations":
                type_path = (*path, "type")
                org_types.append((item.id, item.type, format_path(type_path), _shared(type_path)))
    references = []
    for pattern, kinds in REFERENCE_FIELDS:
        for path, ref in values[pattern]:
            kind = ref.partition("/")[0]
            if kind in kinds and kind != "region":
                references.append((ref, format_path(path), _shared(path)))
    return FileSummary(
        name=loaded.path.name,
        display=loaded.display,
        source_id=record.source.id,
        source_text=record.source.text,
        declared=tuple(declared),
        org_types=tuple(org_types),
        references=tuple(references),
        post_orgs=tuple((f"post/{post.id}", post.organization) for post in record.posts),
        amends=tuple(
            (f"regulation/{record.regulations[path[1]].id}", amended, format_path(path), _shared(path))
            for path, amended in values[("regulations", "*", "amends")]
        ),
        digest=read.digest,
        read_by_yaml_rs=read.by_yaml_rs,
    )


# One tuple per distinct path, shared by every summary that names it: files repeat the same few
# thousand paths, and 100,000 summaries each holding its own tuples would take gigabytes.
_PATHS: dict[Path_, Path_] = {}


def _shared(path: Path_) -> Path_:
    return _PATHS.setdefault(path, path)


class _Lines:
    """Lines for the messages of the checks across files, each file read again on its first message."""

    def __init__(self, data_dir: Path):
        self.records = data_dir / "records"
        self.maps: dict[str, Mapping[Path_, int]] = {}

    def __call__(self, summary: FileSummary, path: Path_) -> int | None:
        if summary.name not in self.maps:
            # The file as checked (an incremental build reuses a summary only while the file is unchanged).
            self.maps[summary.name] = load_yaml(self.records / summary.name, summary.display)[1]
        return line_of(self.maps[summary.name], path)


def _declarations(summaries: list[FileSummary], problems: list[Problem], lines: _Lines) -> dict[str, list[tuple[str, str, Path_]]]:
    declared: dict[str, list[tuple[str, str, Path_]]] = {}
    org_types: dict[str, tuple[str, str]] = {}
    for summary in summaries:
        for ref, field_, path in summary.declared:
            declared.setdefault(ref, []).append((summary.display, field_, path))
        for org_id, org_type, field_, path in summary.org_types:
            first = org_types.setdefault(org_id, (org_type, summary.display))
            if first[0] != org_type:
                problems.append(Problem(
                    summary.display, lines(summary, path), field_,
                    f"org/{org_id} is {org_type} here but {first[0]} in {first[1]}; one id, one type",
                ))
    return declared


def _check_vocabulary(loaded: LoadedFile, values: Values, vocabulary: Vocabulary) -> Iterator[Problem]:
    for pattern, concept_class in CONTROLLED_FIELDS:
        allowed = vocabulary.allowed(concept_class)
        for path, value in values[pattern]:
            if value not in allowed:
                yield Problem(
                    loaded.display, loaded.line(path), format_path(path),
                    f"unknown value {value!r}; use one of {', '.join(allowed)} (declared in ontology/egkg.ttl)",
                )


def _check_reference_kinds(loaded: LoadedFile, values: Values, regions: dict[str, Region]) -> Iterator[Problem]:
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


def _check_references(summary: FileSummary, declared: dict[str, list], lines: _Lines) -> Iterator[Problem]:
    for ref, field_, path in summary.references:
        if ref not in declared:
            kind = ref.partition("/")[0]
            yield Problem(
                summary.display, lines(summary, path), field_,
                f"unknown reference {ref!r}; declare it in a record file's {_section_for(kind)} section or fix the id",
            )


def _section_for(kind: str) -> str:
    return next(section for section, k in DECLARING_SECTIONS.items() if k == kind)


def _check_sources_unique(summaries: list[FileSummary], lines: _Lines) -> Iterator[Problem]:
    by_id: dict[str, FileSummary] = {}
    by_text: dict[str, FileSummary] = {}
    for summary in summaries:
        for key, index, label in ((summary.source_id, by_id, "id"), (summary.source_text, by_text, "text")):
            if key in index:
                yield Problem(
                    summary.display, lines(summary, ("source", label)), f"source.{label}",
                    f"{key!r} is already the source {label} of {index[key].display}; one record file per source",
                )
            else:
                index[key] = summary


def _check_amendments(summaries: list[FileSummary], lines: _Lines) -> Iterator[Problem]:
    """No regulation amends itself, directly or through others, across all record files."""
    amendments = nx.DiGraph()
    for summary in summaries:
        for regulation, amended, field_, path in summary.amends:
            if amendments.has_edge(regulation, amended):
                amendments.edges[regulation, amended]["at"].append((summary, path, field_))
            else:
                amendments.add_edge(regulation, amended, at=[(summary, path, field_)])
    for regulation, _ in nx.selfloop_edges(amendments):
        for summary, path, field_ in amendments.edges[regulation, regulation]["at"]:
            yield Problem(summary.display, lines(summary, path), field_, f"{regulation} amends itself; name the regulation it amends")
    for component in nx.strongly_connected_components(amendments):
        if len(component) > 1:
            yield _amendment_cycle(amendments, nx.find_cycle(amendments.subgraph(component)), lines)


def _amendment_cycle(amendments: nx.DiGraph, cycle: list[tuple[str, str]], lines: _Lines) -> Problem:
    """One problem per cycle, at the amendment written last (in file and line order): likely the new one."""
    located = {  # (file, line, field) of every place an edge of the cycle is written
        edge: [(summary.display, lines(summary, path), field_) for summary, path, field_ in amendments.edges[edge]["at"]]
        for edge in cycle
    }
    written = {edge: max(located[edge], key=lambda at: (at[0], at[1] or 0)) for edge in cycle}
    last = max(cycle, key=lambda edge: (written[edge][0], written[edge][1] or 0))
    start = cycle.index(last)
    ordered = cycle[start:] + cycle[:start]
    chain = f"{ordered[0][0]} amends " + ", which amends ".join(amended for _, amended in ordered)
    display, line, field_ = written[last]
    return Problem(display, line, field_, f"amendment cycle: {chain}; a regulation cannot amend one that amends it")
