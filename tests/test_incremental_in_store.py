"""An incremental build of a graph past HermiT's size reasons only what changed, inside its store."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg_builder.paths import PROJECT_ROOT
from kg_builder.pipeline import changes as changes_module
from kg_builder.pipeline.build import build
from kg_builder.pipeline.incremental import CACHE_DIR, read_manifest
from kg_builder.pipeline.shares import share_path
from kg_builder.reason import coordination
from kg_builder.reason.coordination import RANK
from kg_builder.reason.hermit import HERMIT_MAX_QUADS
from kg_builder.reason.rules import inferred_graph

from .test_incremental import assert_same_as_full

MEETINGS = 30  # ~590 quads each: past HermiT's limit, so the build reasons with the rules alone


@pytest.fixture()
def generated(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    subprocess.run([sys.executable, "-m", "benchmarks.generate", "--scale", "XS", "--meetings", str(MEETINGS),
                    "--seed", "1", "--out", str(data), "--quiet"], check=True, cwd=PROJECT_ROOT, timeout=300)
    return data


def edited_meeting(data: Path) -> Path:
    """One record file with a participant taken out and its meeting a day earlier (pairs, counts, dates, ranks move)."""
    path = sorted((data / "records").glob("*.yaml"))[MEETINGS // 2]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("    start: "))
    year, month, day = lines[start].split(": ", 1)[1].strip().split("-")
    lines[start] = f"    start: {year}-{month}-{int(day) - 1:02d}\n" if int(day) > 1 else lines[start].replace(day, "02")
    who = next(i for i, line in enumerate(lines) if line.startswith("      - who: ") and i > start + 8)
    end = next(i for i in range(who + 1, len(lines)) if not lines[i].startswith("        "))
    del lines[who:end]
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_an_edit_past_hermits_size_is_reasoned_in_the_store_as_a_full_build_would(generated, tmp_path):
    out = tmp_path / "build"
    first = build(generated, out, reason=True)
    assert first.quad_count is None or first.quad_count > HERMIT_MAX_QUADS
    edited = edited_meeting(generated)
    again = build(generated, out, reason=True)
    assert again.changes is not None and again.changes.changed == (edited.name,)
    # The whole graph was not reasoned again in memory (that path sets result.inference): the store was.
    assert again.inference is None and again.inference_change is not None and "reason" in again.timings
    assert_same_as_full(generated, out, tmp_path, reason=True)


def places(out: Path, ranking: ox.NamedNode = RANK) -> dict[str, int]:
    """Each pair's place in `ranking`, read from the build's store."""
    store = ox.Store.read_only(str(out / "store"))
    found = {q.subject.value: int(q.object.value) for q in store.quads_for_pattern(None, ranking, None, None)
             if q.graph_name != ox.DefaultGraph()}
    del store
    return found


def pairs_in_order(data: Path, out: Path) -> tuple[list[coordination.Pair], dict[str, set[str]]]:
    """Every pair in the pair question's order, and each meeting's parties, from a build without reasoning."""
    build(data, out, reason=False)
    store = ox.Store.read_only(str(out / "store"))
    table = coordination.participations_in(store)
    del store
    order = sorted(coordination.count_pairs(table).values(), key=lambda pair: (-pair.count, pair.a, pair.b))
    return order, table.parties_by_meeting()


def boundary_edit(data: Path, order: list[coordination.Pair], parties_of: dict[str, set[str]]):
    """A place t, the pair there, the record of a meeting of it and one of its parties there, whose leaving drops
    it behind the pair at t + 1; that pair shares no meeting of the record (it is not recounted: it rises from further down)."""
    for place in range(3, len(order)):
        here, behind = order[place - 1], order[place]
        if here.count != behind.count:
            continue
        for meeting in here.meetings:
            tail = meeting.rsplit("/", 1)[1]
            record = next(p for p in sorted((data / "records").glob("*.yaml")) if f'  - id: "{tail}"' in p.read_text("utf-8"))
            text = record.read_text(encoding="utf-8")
            if any({behind.a, behind.b} <= parties for other, parties in parties_of.items()
                   if f'  - id: "{other.rsplit("/", 1)[1]}"' in text):
                continue  # the pair behind shares a meeting of the edited record: it would be recounted
            for party in (here.a, here.b):
                who = party.split("/egkg/id/", 1)[1]
                if f"      - who: {who}\n" in text and f"chair: {who}\n" not in text and who not in text.split("organizers: ", 1)[1].split("\n", 1)[0]:
                    return place, here, behind, record, who
    raise AssertionError("no pair at a tie with the next one: generate more meetings")


def drop_participant(record: Path, who: str) -> None:
    lines = record.read_text(encoding="utf-8").splitlines(keepends=True)
    start = lines.index(f"      - who: {who}\n")
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("        "))
    record.write_text("".join(lines[:start] + lines[end:]), encoding="utf-8")


@pytest.mark.parametrize("edit", ["participant", "record"])
def test_a_pair_leaving_the_ranked_top_is_replaced_as_a_full_build_ranks(generated, tmp_path, monkeypatch, edit):
    order, parties_of = pairs_in_order(generated, tmp_path / "plain")
    place, leaving, rising, record, who = boundary_edit(generated, order, parties_of)
    # The top ends at the pair the edit pushes out; the pair behind it shares no edited meeting.
    monkeypatch.setattr(coordination, "TOP_RANKED", place)
    out = tmp_path / "build"
    build(generated, out, reason=True)
    assert places(out)[leaving.node.value] == place and places(out)[rising.node.value] == place + 1
    if edit == "participant":
        drop_participant(record, who)
    else:
        record.unlink()
    again = build(generated, out, reason=True)
    assert again.inference is None and again.inference_change is not None  # reasoned in the store
    after = places(out)
    assert after[leaving.node.value] == place + 1 and after[rising.node.value] <= place
    assert_same_as_full(generated, out, tmp_path, reason=True)


def test_an_edit_reads_the_other_files_origins_only_for_a_problem(generated, tmp_path, monkeypatch):
    out = tmp_path / "build"
    build(generated, out, reason=True)
    read = []
    cached_origins = changes_module._cached_origins
    monkeypatch.setattr(changes_module, "_cached_origins", lambda *args: read.append(args) or cached_origins(*args))
    edited_meeting(generated)
    again = build(generated, out, reason=True)
    assert again.inference_change is not None and read == []  # no problem, so no unchanged file's origins
    # A node only an unchanged file describes is still found, in that file, when a message asks.
    lazy = changes_module._LazyOrigins({}, lambda: cached_origins(*args))
    args = (out / "current", read_manifest(out / "current"), again.changes)
    origins = cached_origins(*args)
    node = next(iter(origins))
    assert node in lazy and lazy[node] == origins[node]


def coordination_parts(out: Path) -> dict[str, int]:
    """Each part of rule 40's share (by share key) and the inode of its file: a linked part keeps it."""
    release = out / "current"
    shares = read_manifest(release).shares()
    return {key: share_path(release / CACHE_DIR, block).stat().st_ino
            for key, block in shares.items() if key.startswith(inferred_graph("40-coordination").value + " ")}


def test_an_edit_rewrites_only_the_parts_of_the_coordination_share_it_reaches(generated, tmp_path):
    out = tmp_path / "build"
    build(generated, out, reason=True)
    before = coordination_parts(out)
    edited_meeting(generated)
    build(generated, out, reason=True)
    after = coordination_parts(out)
    rewritten = {key for key in after if before.get(key) != after[key]}
    assert len(before) > 50 and 0 < len(rewritten) < len(after) / 4
    assert_same_as_full(generated, out, tmp_path, reason=True)  # egkg.nq from the parts, and TriG exported from them
