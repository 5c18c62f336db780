"""The build maps records straight to N-Quads: no rdflib graph on its path, and the same files and store."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from kg_builder.outputs.store import with_union
from kg_builder.pipeline.build import build
from kg_builder.pipeline.stages import check
from kg_builder.rdf.serialize import to_oxigraph

from .test_incremental import edit, store_quads


def _refuse(*_args, **_kwargs):
    raise AssertionError("the build made an rdflib graph")


@pytest.fixture()
def no_rdflib_mapping(monkeypatch):
    """The rdflib mapper (kept as the reference) fails if the build calls it."""
    monkeypatch.setattr("kg_builder.mapping.graph._SourceMapper.map", _refuse)
    monkeypatch.setattr("kg_builder.mapping.graph._map_gazetteer", _refuse)
    return monkeypatch


def test_check_and_builds_map_without_rdflib(data_copy: Path, tmp_path: Path, no_rdflib_mapping):
    checked = check(data_copy)
    build(data_copy, tmp_path / "whole", reason=False, incremental=False)
    build(data_copy, tmp_path / "chunked", reason=False, incremental=False, chunk_files=2)
    edit(data_copy, "003", "title: ", "title: (revisi) ")
    changed = build(data_copy, tmp_path / "whole", reason=False)
    assert changed.changes is not None and len(changed.changes.changed) == 1
    no_rdflib_mapping.undo()
    # The rdflib Dataset is still there for whoever asks (the SHACL tests), made from the N-Quads only then.
    assert "dataset" not in vars(checked)
    assert set(to_oxigraph(checked.dataset)) == set(checked.quads) == set(ox.parse(checked.nquads, format=ox.RdfFormat.N_QUADS))


@pytest.mark.parametrize("chunk_files", [2, 500])
def test_the_store_holds_the_nquads_and_their_union(data_copy: Path, tmp_path: Path, chunk_files: int):
    out = tmp_path / "out"
    build(data_copy, out, reason=False, incremental=False, chunk_files=chunk_files)
    written = ox.parse(path=str(out / "egkg.nq"), format=ox.RdfFormat.N_QUADS)
    assert store_quads(out) == set(with_union(written))
