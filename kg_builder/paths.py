"""Where the project's inputs and outputs live, relative to the repository checkout."""

from __future__ import annotations

from pathlib import Path

__all__ = ["BUILD_DIR", "DATA_DIR", "ONTOLOGY_FILE", "PROJECT_ROOT", "SHAPES_FILE"]

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ONTOLOGY_FILE = PROJECT_ROOT / "ontology" / "egkg.ttl"
SHAPES_FILE = PROJECT_ROOT / "ontology" / "shapes.ttl"
DATA_DIR = PROJECT_ROOT / "data"
BUILD_DIR = PROJECT_ROOT / "build"
