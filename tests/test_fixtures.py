"""The suite runs on its own fixtures: no test reads the checkout's data/ or build/ except through a copy."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import missing_locations

TESTS = Path(__file__).parent
# kg_builder.paths names the checkout's own directories; conftest.py copies data/ once (DATA).
CHECKOUT_DIRS = {"DATA_DIR", "BUILD_DIR"}


def _uses_of_checkout_dirs(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = [f"{path.name}:{node.lineno} {node.id}" for node in ast.walk(tree)
             if isinstance(node, ast.Name) and node.id in CHECKOUT_DIRS]
    found += [f"{path.name}:{node.lineno} {node.attr}" for node in ast.walk(tree)
              if isinstance(node, ast.Attribute) and node.attr in CHECKOUT_DIRS]
    found += [f"{path.name}:{node.lineno} {alias.name}" for node in ast.walk(tree)
              if isinstance(node, ast.ImportFrom) for alias in node.names if alias.name in CHECKOUT_DIRS]
    # __import__("kg_builder.paths", fromlist=["DATA_DIR"]) and getattr(paths, "DATA_DIR") spell it as a string.
    found += [f"{path.name}:{node.lineno} {node.value!r}" for node in ast.walk(tree)
              if isinstance(node, ast.Constant) and node.value in CHECKOUT_DIRS]
    return found


def test_no_test_module_names_the_checkouts_data_or_build():
    offenders = [use for path in sorted(TESTS.rglob("*.py")) if path.name not in {"conftest.py", Path(__file__).name}
                 for use in _uses_of_checkout_dirs(path)]
    assert offenders == [], "use conftest's DATA, data_copy, good_build or previous_build instead"


def test_the_scan_finds_each_spelling(tmp_path: Path):
    sample = tmp_path / "test_sample.py"
    sample.write_text("from kg_builder.paths import DATA_DIR\nimport kg_builder.paths as p\n"
                      "x = p.BUILD_DIR\ny = __import__('kg_builder.paths', fromlist=['DATA_DIR']).DATA_DIR\n")
    lines = sorted(int(use.split()[0].split(':')[1]) for use in _uses_of_checkout_dirs(sample))
    assert lines == [1, 3, 4, 4]  # the import, the attribute, and __import__'s string and attribute


@pytest.mark.parametrize(("argv", "missing"), [
    (["validate"], ["--data"]),
    (["build", "--data", "d"], ["--out"]),
    (["query", "who-coordinated-with", "-p", "person=x"], ["--build"]),
    (["sparql", "SELECT * {}", "--engine", "rdflib"], ["--build"]),
    (["network", "stats"], ["--build"]),
    (["query", "list"], []),
    (["validate", "--data", "d"], []),
    (["draft", "article.txt"], []),
])
def test_cli_runs_must_name_their_data_and_build(argv, missing):
    assert missing_locations(argv) == missing
