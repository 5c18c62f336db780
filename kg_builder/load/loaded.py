"""What loading a record file gives: the checked file, its summary for other files' checks, the corpus."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..rdf.vocab import Vocabulary
from .evidence import ArchivedText
from .gazetteer import Region
from .models import RecordFile
from .yaml_lines import line_of

__all__ = ["DECLARING_SECTIONS", "Corpus", "FileSummary", "LoadedFile", "Path_", "format_path"]

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
    a message needs a line, and `Lines` reads the file again for one (summarising 10,000 files
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
