"""Record checks the bad-input corpus cannot show one YAML case each for: every date field, cycles across files, both YAML loaders."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

import pytest

from kg_builder.errors import InputError, InputErrors
from kg_builder.load import yaml_lines
from kg_builder.load.corpus import load_corpus
from kg_builder.load.file_checks import FUTURE_YEARS
from kg_builder.paths import ONTOLOGY_FILE
from kg_builder.rdf.vocab import load_ontology

R000 = "000-chanetujuh-2024-11-06-rakor-pilkada-sultra.yaml"
R001 = "001-kbrn-2022-11-21-rakor-pemilu-pilkada-sultra.yaml"
R002 = "002-kutipopini-2024-11-13-rakor-forkopimda-kaltim.yaml"
R003 = "003-mc-sijunjung-2024-07-05-rakor-kpu-sijunjung.yaml"

# One curated occurrence of each kind of date a record holds: (file, text, the same with a far year, field).
FAR_YEAR = re.compile(r":\s*\[?\"?(9999|2099)\b")  # a value that starts with the far year
FAR_FUTURE = [
    (R003, "published: 2024-07-08", "published: 9999-07-08", r"source\.published"),
    (R000, "attested_on: [2024-11-06]", "attested_on: [9999-11-06]", r"holdings\[\d+\]\.attested_on\[0\]"),
    (R000, "attested_on: [2024-11-06]", "attested_on: [2024-11-06]\n    end: 9999-01-01", r"holdings\[\d+\]\.end"),
    (R003, "end: 2024-07-06", "end: 9999-07-06", r"meetings\[0\]\.end"),
    (R001, "date: 2022-11-16", "date: 9999-11-16", r"regulations\[\d+\]\.date"),
    # The year is part of the id; 2099 is within the schema's 1945-2100.
    (R001, '- id: keputusan/2022/16\n    type: keputusan\n    number: "16"\n    year: 2022',
     '- id: keputusan/2099/16\n    type: keputusan\n    number: "16"\n    year: 2099', r"regulations\[\d+\]\.year"),
    (R002, "day: 2024-11-27", "day: 9999-11-27", r"elections\[\d+\]\.day"),
    (R001, 'month: "2024-02"', 'month: "9999-02"', r"elections\[\d+\]\.month"),
    (R002, "start: 2024-11-27\n    end: 2024-11-27", "start: 9999-11-27\n    end: 9999-11-27", r"stages\[\d+\]\.(start|end)"),
    (R000, "as_of: 2024-11-06", "as_of: 9999-11-06", r"observations\[\d+\]\.as_of"),
]


@pytest.fixture(scope="module")
def ontology():
    return load_ontology(ONTOLOGY_FILE)


def _edit(data: Path, name: str, old: str, new: str) -> int:
    """Replace the first `old` in a record file; return the line `new` starts on."""
    path = data / "records" / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {name}; update the test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def _problems(data: Path, ontology) -> list:
    with pytest.raises(InputErrors) as caught:
        load_corpus(data, ontology)
    return caught.value.problems


@pytest.mark.parametrize(("name", "old", "new", "field"), FAR_FUTURE, ids=[case[3].replace("\\", "") for case in FAR_FUTURE])
def test_every_kind_of_date_refuses_a_far_future_year(data_copy, ontology, name, old, new, field):
    start = _edit(data_copy, name, old, new)
    far_lines = {start + offset for offset, text in enumerate(new.split("\n")) if FAR_YEAR.search(text)}
    problems = _problems(data_copy, ontology)
    assert problems, "a far-future date was accepted"
    assert {problem.line for problem in problems} == far_lines, problems
    for problem in problems:
        assert problem.file == f"data/records/{name}" and re.fullmatch(field, problem.field), problem
        assert "too far in the future" in problem.message, problem


def test_dates_up_to_five_years_ahead_are_accepted(data_copy, ontology):
    # Elections and regulations are scheduled years ahead: the last day of year + 5 stays a date.
    latest = dt.date.today().year + FUTURE_YEARS
    _edit(data_copy, R003, "end: 2024-07-06", f"end: {latest}-12-31")
    load_corpus(data_copy, ontology)
    _edit(data_copy, R003, f"end: {latest}-12-31", f"end: {latest + 1}-01-01")
    (problem,) = _problems(data_copy, ontology)
    assert problem.field == "meetings[0].end" and str(latest) in problem.message


def test_an_amendment_cycle_across_files_is_refused(data_copy, ontology):
    # 001: UU 10/2016 amends UU 1/2015. 003 re-declares PKPU 2/2024; make UU 1/2015 amend it and
    # PKPU 2/2024 amend UU 10/2016: three regulations, two files, one cycle.
    _edit(data_copy, R001, "    enacts: [regulation/perppu/2014/1]\n",
          "    enacts: [regulation/perppu/2014/1]\n    amends: [regulation/pkpu/2024/2]\n")
    text = (data_copy / "records" / R003).read_text(encoding="utf-8")
    declaration = re.search(r"  - id: pkpu/2024/2\n(    .*\n)*", text)
    assert declaration, "003 no longer declares pkpu/2024/2; update the test"
    line = _edit(data_copy, R003, declaration.group(0), declaration.group(0) + "    amends: [regulation/uu/2016/10]\n")
    line += declaration.group(0).count("\n")
    (problem,) = _problems(data_copy, ontology)
    assert (problem.file, problem.line) == (f"data/records/{R003}", line), problem
    assert re.fullmatch(r"regulations\[\d+\]\.amends\[0\]", problem.field), problem
    assert problem.message.startswith(
        "amendment cycle: regulation/pkpu/2024/2 amends regulation/uu/2016/10, which amends regulation/uu/2015/1, "
        "which amends regulation/pkpu/2024/2"), problem


def test_a_symbolic_link_inside_data_is_a_record_file_like_any(data_copy, ontology):
    # Archived texts may be links that stay inside data/; record files are treated the same way.
    original = data_copy / "records" / R003
    kept = data_copy / "kept" / R003
    kept.parent.mkdir()
    original.rename(kept)
    original.symlink_to(kept)
    corpus = load_corpus(data_copy, ontology)
    assert f"data/records/{R003}" in {summary.display for summary in corpus.summaries}


NESTED = "source: " + "[" * 5000 + "]" * 5000


@pytest.mark.parametrize("loader", ["libyaml", "pure Python"])
def test_deep_nesting_reads_the_same_with_either_yaml_loader(tmp_path, monkeypatch, loader):
    # libyaml stops at its own depth limit, the pure-Python loader at Python's recursion limit;
    # which one runs depends on the PyYAML build, so both must give egkg's message.
    if loader == "libyaml" and yaml_lines._FastStrictLoader is None:
        pytest.skip("this PyYAML has no libyaml")
    if loader == "pure Python":
        monkeypatch.setattr(yaml_lines, "_FastStrictLoader", None)
    path = tmp_path / "deep.yaml"
    path.write_text(NESTED, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        yaml_lines.load_yaml_with_lines(path, "data/records/deep.yaml")
    assert caught.value.problem.render() == f"data/records/deep.yaml: {yaml_lines.TOO_DEEP}"


def test_an_incremental_build_never_reads_a_record_linked_from_outside_data(data_copy, tmp_path):
    """The incremental plan hashes record files before the checks run: a link to a FIFO would hang it."""
    from kg_builder.pipeline.build import build

    from .conftest import run_egkg, tree_digest

    previous_build = tmp_path / "build"
    build(data_copy, previous_build, reason=False)  # same data directory: the next build is incremental
    fifo = tmp_path / "never-written"
    os.mkfifo(fifo)
    (data_copy / "records" / "009-fifo.yaml").symlink_to(fifo)
    before = tree_digest(previous_build)
    result = run_egkg("build", "--data", data_copy, "--out", previous_build, "--quiet", "--no-reason", timeout=60)
    assert result.returncode == 2, result.stderr
    assert "data/records/009-fifo.yaml: record file points outside data/" in result.stderr
    assert tree_digest(previous_build) == before


# Texts the fast YAML path must refuse (or read) exactly as the line-tracking reference loader does.
HOSTILE_YAML = {
    "duplicate key": "source:\n  id: a\n  id: b\n",
    "nested duplicate key": "meetings:\n  - id: a\n    title: x\n    title: y\n",
    "alias": "a: &x [1, 2]\nb: *x\n",
    "billion laughs": "a: &a [1, 1]\nb: &b [*a, *a]\nc: &c [*b, *b]\n",
    "binary tag": "source: !!binary aGVsbG8=\n",
    "str tag": "source: !!str 12\n",
    "local tag": "source: !thing x\n",
    "python tag": "source: !!python/object:os.system x\n",
    "deep": NESTED,
    "empty": "",
    "comment only": "# nothing\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "syntax error": "source: [unclosed\n",
    "tab indent": "source:\n\tid: x\n",
    "control character": "source: \x07\n",
    "bang in a quote": "source:\n  evidence: \"Tetap semangat! & teliti * selalu\"\n",
    "merge key": "base: {a: 1}\nsource:\n  <<: {b: 2}\n  c: 3\n",
    "dates stay text": "start: 2024-02-30\nn: 012\n",
}


def _outcome(load, path):
    try:
        data, lines = load(path, "data/records/x.yaml")
    except InputError as exc:
        return "error", exc.problem.render()
    return data, dict(lines)


@pytest.mark.parametrize("name", sorted(HOSTILE_YAML))
def test_the_fast_yaml_path_reads_hostile_text_as_the_reference_does(tmp_path, name):
    path = tmp_path / "x.yaml"
    path.write_text(HOSTILE_YAML[name], encoding="utf-8")
    assert _outcome(yaml_lines.load_yaml, path) == _outcome(yaml_lines.load_yaml_with_lines, path)


def test_the_fast_yaml_path_reads_the_records_as_the_reference_does():
    from .conftest import DATA

    for path in sorted((DATA / "records").glob("*.yaml")):
        assert _outcome(yaml_lines.load_yaml, path) == _outcome(yaml_lines.load_yaml_with_lines, path), path.name


def test_the_fast_yaml_path_walks_for_lines_only_when_asked(tmp_path, monkeypatch):
    path = tmp_path / "x.yaml"
    path.write_text("source:\n  id: a\n  title: b\n", encoding="utf-8")
    walks = []
    walk = yaml_lines._walk
    monkeypatch.setattr(yaml_lines, "_walk", lambda *args: walks.append(1) or walk(*args))
    data, lines = yaml_lines.load_yaml(path, "x.yaml")
    assert data == {"source": {"id": "a", "title": "b"}} and not walks
    assert yaml_lines.line_of(lines, ("source", "title")) == 3 and walks  # walked on first use
