"""The notebooks run top to bottom from a clean checkout, and are stored without outputs."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def execute(path: Path) -> nbformat.NotebookNode:
    """Run every cell in a fresh kernel, from the notebook's own folder; a failing cell raises."""
    book = nbformat.read(path, as_version=4)
    NotebookClient(book, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return book


def test_the_three_stories_are_there():
    assert [p.name for p in NOTEBOOKS] == [
        "01_tour.ipynb", "02_who_coordinated_with_whom.ipynb", "03_regulations_and_provenance.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_without_outputs(path):
    book = nbformat.read(path, as_version=4)
    nbformat.validate(book)
    for cell in book.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: strip outputs"
    headings = [c.source for c in book.cells if c.cell_type == "markdown" and c.source.startswith("#")]
    assert all(" / " in h.splitlines()[0] for h in headings), "headings read 'Indonesian / English'"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_top_to_bottom(path):
    book = execute(path)
    errors = [o for c in book.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    assert any(c.outputs for c in book.cells if c.cell_type == "code")


def test_a_failing_cell_fails(tmp_path):
    book = nbformat.v4.new_notebook()
    book.cells = [nbformat.v4.new_code_cell("import kg_builder"), nbformat.v4.new_code_cell("raise ValueError('broken cell')")]
    path = tmp_path / "broken.ipynb"
    nbformat.write(book, path)
    with pytest.raises(CellExecutionError, match="broken cell"):
        execute(path)


# What a reader must be told under the tables: every participation rests on one article, and a
# Forkopimda forum in the room is not the police in the room.
SECTION_NOTE = "**Artinya / What this shows:**"
CAVEATS = {
    "01_tour.ipynb": ["satu sumber / single source"],
    "02_who_coordinated_with_whom.ipynb": ["satu sumber / single source", "Forkopimda", "bukan / not"],
    "03_regulations_and_provenance.ipynb": ["satu sumber / single source"],
}


def _sections(book: nbformat.NotebookNode) -> list[list[nbformat.NotebookNode]]:
    """The cells under each '## ' heading, heading excluded."""
    sections: list[list[nbformat.NotebookNode]] = []
    for cell in book.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            sections.append([])
        elif sections:
            sections[-1].append(cell)
    return sections


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_section_ends_by_saying_what_its_table_shows(path):
    book = nbformat.read(path, as_version=4)
    with_code = [cells for cells in _sections(book) if any(c.cell_type == "code" for c in cells)]
    assert with_code
    for cells in with_code:
        last = cells[-1]
        assert last.cell_type == "markdown" and SECTION_NOTE in last.source, cells[0].source[:80]
    notes = " ".join(cells[-1].source for cells in with_code)
    for caveat in CAVEATS[path.name]:
        assert caveat in notes, caveat


def test_closing_chart_of_02_is_displayed():
    book = execute(next(p for p in NOTEBOOKS if p.name.startswith("02_")))
    code = [c for c in book.cells if c.cell_type == "code"]
    assert any("image/png" in o.get("data", {}) for o in code[-1].outputs), "the timeline chart is not shown"
