"""The synthetic benchmark generator: byte-identical per seed, and its smallest scale passes `egkg validate`."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from kg_builder.paths import PROJECT_ROOT

from .conftest import DATA, run_egkg, tree_digest

GENERATOR = Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py"


def generate(out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run the generator as a user would (a script, not an import)."""
    return subprocess.run([sys.executable, str(GENERATOR), "--out", str(out), "--quiet", *args],
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def xs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("generated") / "xs"
    result = generate(out, "--scale", "XS", "--seed", "7")
    assert result.returncode == 0, result.stderr
    return out


def test_xs_layout(xs: Path) -> None:
    assert len(list((xs / "records").glob("*.yaml"))) == 20
    assert len(list((xs / "sources").glob("*.txt"))) == 20
    # The gazetteer's ODbL notice and attribution travel with the copy.
    for name in ("LICENSE.md", "README.md", "provinces.csv", "regencies.csv"):
        copied = xs / "reference" / "idn-area-data" / name
        assert copied.read_bytes() == (DATA / "reference" / "idn-area-data" / name).read_bytes()


def test_same_seed_gives_identical_files(xs: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    assert generate(again, "--scale", "XS", "--seed", "7").returncode == 0
    assert tree_digest(again) == tree_digest(xs)


def test_smaller_run_is_a_prefix_of_a_larger_one(xs: Path, tmp_path: Path) -> None:
    few = tmp_path / "few"
    assert generate(few, "--meetings", "5", "--seed", "7").returncode == 0
    small, large = tree_digest(few), tree_digest(xs)
    del small["README.md"]  # it states the count
    assert small.items() <= large.items()


def test_xs_validates(xs: Path) -> None:
    result = run_egkg("validate", "--data", xs)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "conforms: 20 record file(s)" in result.stdout


def test_officials_recur_across_articles(tmp_path: Path) -> None:
    """Coordination networks connect only if the same persons appear in several record files."""
    out = tmp_path / "two-hundred"
    assert generate(out, "--meetings", "200", "--seed", "3").returncode == 0
    seen: Counter[str] = Counter()
    for path in sorted((out / "records").glob("*.yaml")):
        seen.update({person["id"] for person in yaml.safe_load(path.read_text(encoding="utf-8")).get("persons", [])})
    assert sum(1 for count in seen.values() if count > 1) >= 50


def test_refuses_to_overwrite(xs: Path) -> None:
    result = generate(xs, "--scale", "XS", "--seed", "8")
    assert result.returncode != 0 and "--force" in result.stderr
    # The refusal must hold inside the checkout's curated data/; a new subdirectory of it is named so
    # that a broken guard could not replace curated files.
    inside = PROJECT_ROOT / "data" / "generated-by-a-test"
    assert generate(inside, "--scale", "XS", "--force").returncode != 0
    assert not inside.exists()
