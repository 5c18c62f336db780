"""A checked record file summarised for the checks across files and for incremental builds."""

from __future__ import annotations

from dataclasses import dataclass

from .loaded import DECLARING_SECTIONS, FileSummary, LoadedFile, Path_, format_path
from .walks import REFERENCE_FIELDS, Values

__all__ = ["TextRead", "summarise"]


@dataclass(frozen=True)
class TextRead:
    """How a file's text was read, for a second reading of it."""

    digest: str
    by_yaml_rs: bool


def summarise(loaded: LoadedFile, values: Values, read: TextRead) -> FileSummary:
    """What the checks across files and the mapping of other files need from `loaded` (paths, not lines)."""
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
