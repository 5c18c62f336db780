"""`egkg eval --gold` on the development set tests/draft_corpus: the table, the floors, and a scorer that can fail."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from kg_builder.draft_gold import FIELDS, read_gold

from .conftest import DATA, run_egkg

CORPUS = Path(__file__).parent / "draft_corpus"

# Floors (37 articles: 5 curated, 32 invented). They may only go up. Issue 17 wants this test to fail
# when persons recall drops below 0.85 or precision below 0.90 (its targets on real unseen articles).
# When the corpus was made the drafter reached persons 33/118 = 0.28 recall, 33/40 = 0.82 precision;
# after person finding (titles, lists, representatives, apposition, initials) it reaches 133/133 on both.
# person+post+kind is lower (70/132 recall) because a post is drafted only for offices the ontology
# declares (egkg:OfficeType); titles it lacks yet (wakapolda, kabinda, ...) give a person without a post.
FLOORS = {
    ("persons", "recall"): Fraction(85, 100),
    ("persons", "precision"): Fraction(90, 100),
    ("person+post+kind", "recall"): Fraction(50, 100),
    ("person+post+kind", "precision"): Fraction(90, 100),
    ("meeting dates", "recall"): Fraction(19, 45),
    ("regulations", "recall"): Fraction(13, 18),
    # Institutions are scored on the five curated articles (64 gold): 29/64 recall, 29/31 precision before
    # names alone were placed in the article's region, groups of office holders ("para Kapolsek ...
    # se-Kabupaten X") and ad hoc bodies (Desk Pilkada, PPK, Pantarlih) were read.
    ("institutions", "recall"): Fraction(61, 64),
    ("institutions", "precision"): Fraction(61, 62),
}


def _corpus_copy(tmp_path: Path, names: list[str] | None = None) -> Path:
    target = tmp_path / "corpus"
    if names is None:
        shutil.copytree(CORPUS, target)
    else:
        target.mkdir()
        for name in names:
            for suffix in (".yaml", ".txt"):
                shutil.copy(CORPUS / f"{name}{suffix}", target)
    return target


def _overall(stdout: str) -> dict[str, dict[str, Fraction]]:
    """The overall table: per field, recall = found/gold and precision = right/drafted, as exact fractions."""
    table = stdout.split("\noverall (", 1)[1].splitlines()[2:]
    rows = {}
    for line in table:
        m = re.match(r"(.+?)\s+(\S+)\s+(\S+)\s+(\d+)/(\d+)\s+(\d+)/(\d+)$", line)
        assert m, line
        found, gold, right, drafted = (int(m.group(i)) for i in range(4, 8))
        rows[m.group(1)] = {"recall": Fraction(found, gold) if gold else None,
                            "precision": Fraction(right, drafted) if drafted else None}
    return rows


def _eval(corpus: Path):
    # --data is not read with --gold; the test guard asks every `eval` for it all the same.
    return run_egkg("eval", "--gold", corpus, "--data", DATA)


def test_eval_gold_prints_every_field_and_keeps_the_floors(tmp_path: Path) -> None:
    result = _eval(_corpus_copy(tmp_path))
    assert result.returncode == 0, result.stderr
    print(result.stdout)
    rows = _overall(result.stdout)
    assert list(rows) == FIELDS
    for name in (p.stem for p in CORPUS.glob("*.yaml")):
        assert re.search(rf"^{re.escape(name)} ", result.stdout, re.M), f"no row for {name}"
    assert "misses (" in result.stdout and " missed: " in result.stdout
    for (field, measure), floor in FLOORS.items():
        assert rows[field][measure] >= floor, f"{field} {measure} fell to {rows[field][measure]} (floor {floor})"


def test_a_gold_person_the_draft_lacks_lowers_recall_by_exactly_one_over_the_gold(tmp_path: Path) -> None:
    corpus = _corpus_copy(tmp_path, ["curated-003"])
    before = _eval(corpus)
    assert before.returncode == 0, before.stderr
    found, gold = (int(n) for n in re.search(r"^persons\s+\S+\s+\S+\s+(\d+)/(\d+)", before.stdout.split("overall")[1], re.M).groups())
    path = corpus / "curated-003.yaml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record["persons"].append({"name": "Wiratmaja Kusumadinata", "office": None})  # in no article
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    after = _eval(corpus)
    assert after.returncode == 0, after.stderr
    rows_before, rows_after = _overall(before.stdout), _overall(after.stdout)
    assert rows_after["persons"]["recall"] == Fraction(found, gold + 1) < rows_before["persons"]["recall"]
    assert rows_after["persons"]["precision"] == rows_before["persons"]["precision"]
    assert "curated-003: persons missed: Wiratmaja Kusumadinata" in after.stdout


def test_every_family_has_two_invented_articles() -> None:
    families = Counter(f for p in CORPUS.glob("inv-*.yaml") for f in read_gold(p).families)
    assert len(list(CORPUS.glob("inv-*.yaml"))) >= 30
    assert families and min(families.values()) >= 2, families


def test_curated_texts_are_the_archived_ones() -> None:
    """The corpus is self-contained, but its copies of the five archived articles must not go stale."""
    for record in sorted((DATA / "records").glob("*.yaml")):
        source = yaml.safe_load(record.read_text(encoding="utf-8"))["source"]
        copy = CORPUS / f"curated-{record.name[:3]}.txt"
        assert copy.read_text(encoding="utf-8") == (DATA / source["text"]).read_text(encoding="utf-8"), copy.name


@pytest.mark.parametrize(
    "edit, expected",
    [
        (lambda g: g.replace("acting_qualifier: Plh", "acting_qualifer: Plh"),
         r"curated-003\.yaml:\d+: persons\.1\.acting_qualifer: Extra inputs are not permitted"),
        (lambda g: g.replace("acting_qualifier: Plh", "acting_qualifier: Acting"),
         r"curated-003\.yaml:\d+: persons\.1\.acting_qualifier: Input should be 'Pj', 'Pjs', 'Plt' or 'Plh'"),
        (lambda g: g.replace("iso: 2024-07-05", "iso: 2024-07-45"), r"curated-003\.yaml:\d+: meetings\.0\.dates\.0\.iso: "),
        (lambda g: g.replace("text: curated-003.txt", "text: missing.txt"),
         r"curated-003\.yaml: text: article text missing\.txt not found"),
        (lambda g: "- just\n- a list\n", r"curated-003\.yaml:1: a gold file is a mapping"),
    ],
    ids=["misspelt-key", "unknown-acting-kind", "impossible-date", "missing-text", "not-a-mapping"],
)
def test_a_mistake_in_a_gold_file_is_one_line_naming_file_line_and_field(tmp_path: Path, edit, expected: str) -> None:
    corpus = _corpus_copy(tmp_path, ["curated-003"])
    path = corpus / "curated-003.yaml"
    original = path.read_text(encoding="utf-8")
    path.write_text(edit(original), encoding="utf-8")
    assert path.read_text(encoding="utf-8") != original
    result = _eval(corpus)
    assert result.returncode == 2, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and re.search(expected, lines[0]), result.stderr
    assert result.stdout == ""


def test_eval_gold_on_a_directory_without_gold_files_says_so(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _eval(empty)
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {empty}: --gold: no gold files (*.yaml) in this directory"


@pytest.fixture
def institutions_file(tmp_path: Path, monkeypatch):
    """A private copy of knowledge/ for knowledge/institutions.yaml to be edited in."""
    from kg_builder.draft import institutions, knowledge

    target = tmp_path / "knowledge"
    shutil.copytree(knowledge.KNOWLEDGE_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    monkeypatch.setattr(knowledge, "KNOWLEDGE_DIR", target)
    institutions._knowledge.cache_clear()
    yield target / "institutions.yaml"
    institutions._knowledge.cache_clear()


@pytest.mark.parametrize(
    "old, new, field",
    [
        ("{kind: dpd, type: Legislature,", "{kind: dpd, typ: Legislature,", "institutions.9.type"),  # reported as missing
        ("{kind: dpd, type: Legislature,", "{kind: dpd, type: Parliament,", "institutions.9.type"),
        ("patterns: ['Komisi", "patterns: ['(Komisi", "institutions.8.patterns.0"),
        ("units: {province: kejati,", "units: {province: kejatii,", "institutions.28.units.province"),
    ],
    ids=["misspelt-key", "type-not-in-ontology", "bad-regex", "unit-not-a-kind"],
)
def test_a_mistake_in_the_institutions_file_names_file_line_and_field(institutions_file: Path, old: str, new: str,
                                                                      field: str) -> None:
    from kg_builder.draft import institutions
    from kg_builder.errors import InputError

    text = institutions_file.read_text(encoding="utf-8")
    assert old in text
    institutions_file.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        institutions._knowledge()
    problem = caught.value.problem
    assert problem.file == str(institutions_file) and problem.line and problem.field == field, problem
