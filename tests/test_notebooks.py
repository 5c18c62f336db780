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
