"""The package layout follows the pipeline (docs: ../shared/design/layout.md): one subpackage per stage."""

import ast
import importlib
from pathlib import Path

import pytest

import kg_builder

PACKAGE = Path(kg_builder.__file__).parent
STAGES = ("rdf", "load", "mapping", "validate", "reason", "outputs", "pipeline")
# Modules that moved into a stage: their old top-level names must not come back (no re-exporting shims).
MOVED = ("namespace", "vocab", "serialize", "records", "yaml_lines", "models", "evidence", "gazetteer", "validate",
         "shacl_engine", "coordination", "store", "export", "summary", "build", "chunked", "incremental")


def stage_modules() -> list[Path]:
    return sorted(path for stage in STAGES for path in (PACKAGE / stage).glob("*.py"))


@pytest.mark.parametrize("path", stage_modules(), ids=lambda path: f"{path.parent.name}/{path.name}")
def test_every_stage_module_opens_with_a_one_line_docstring(path):
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")), clean=False)
    assert docstring, f"{path.relative_to(PACKAGE)} has no docstring"
    assert "\n" not in docstring.split("\n\n")[0].strip(), f"{path.relative_to(PACKAGE)}: first paragraph is not one line"


@pytest.mark.parametrize("name", MOVED)
def test_moved_modules_are_gone_from_the_top_level(name):
    assert not (PACKAGE / f"{name}.py").exists()
    if name in STAGES:  # kg_builder.validate is the stage package now, not the old module
        assert not hasattr(importlib.import_module(f"kg_builder.{name}"), "shacl_violations")
        return
    with pytest.raises(ModuleNotFoundError):
        importlib.import_module(f"kg_builder.{name}")


def test_stage_packages_import_nothing_heavy():
    """Each stage's __init__ is its docstring only: `egkg --help` must not pay for a stage it does not run."""
    for stage in STAGES:
        if stage == "mapping":
            continue  # older: re-exports its two modules' API on purpose
        tree = ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8"))
        assert ast.get_docstring(tree) and len(tree.body) == 1, f"{stage}/__init__.py holds more than its docstring"
