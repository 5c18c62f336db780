"""Kemendagri region codes (provinces, regencies, cities) from the shipped idn-area-data copy."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

__all__ = ["ATTRIBUTION", "Region", "load_regions"]

ATTRIBUTION = (
    "Region codes and names from idn-area-data 4.0.1 (fityannugroho/idn-area-data), based on "
    "Kemendagri area codes; Open Database License (ODbL) 1.0."
)


@dataclass(frozen=True)
class Region:
    """One administrative region; `kind` is the ontology class local name."""

    code: str
    name: str
    kind: str  # Province, Regency or City
    parent: str | None


def load_regions(directory: Path) -> dict[str, Region]:
    """Read provinces.csv and regencies.csv; the key is the Kemendagri code ("74", "74.06")."""
    regions: dict[str, Region] = {}
    for row in _rows(directory / "provinces.csv", ("code", "name")):
        regions[row["code"]] = Region(row["code"], row["name"], "Province", None)
    for row in _rows(directory / "regencies.csv", ("code", "province_code", "name")):
        kind = "City" if row["name"].startswith("Kota ") else "Regency"
        regions[row["code"]] = Region(row["code"], row["name"], kind, row["province_code"])
    return regions


def _rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            if tuple(reader.fieldnames or ()) != columns:
                raise InputError(f"expected columns {','.join(columns)}", file=path)
            return list(reader)
    except OSError as exc:
        raise InputError(f"cannot read gazetteer file: {exc.strerror}", file=path) from exc
