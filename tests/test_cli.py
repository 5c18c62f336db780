"""The `egkg` console script, run as a user runs it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import kg_builder

from .conftest import run_egkg

ROOT = Path(__file__).resolve().parent.parent


def test_version_has_one_source():
    result = run_egkg("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"egkg {kg_builder.__version__}"
    assert not re.search(r'^version\s*=\s*"', (ROOT / "pyproject.toml").read_text(), re.M)


def test_build_writes_outputs_and_a_summary(tmp_path):
    result = run_egkg("build", "--out", tmp_path / "b")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "b" / "egkg.nq").stat().st_size > 0
    assert (tmp_path / "b" / "store" / "CURRENT").is_file()
    assert "Meeting" in result.stdout and "Participation" in result.stdout


def test_validate_conforms():
    result = run_egkg("validate")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("conforms: 5 record file(s)")


def test_validate_reports_shacl_violations_with_exit_1(data_copy):
    # Two sources naming one person differently is a conflict the shapes refuse (one canonical name).
    path = data_copy / "records" / "002-kutipopini-2024-11-13-rakor-forkopimda-kaltim.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - id: agus-hari-kesuma\n", "  - id: bambang-arwanto\n", 1), encoding="utf-8")
    text = path.read_text(encoding="utf-8").replace("person/agus-hari-kesuma", "person/bambang-arwanto")
    path.write_text(text, encoding="utf-8")
    result = run_egkg("validate", "--data", data_copy)
    assert result.returncode == 1, result.stderr
    lines = [l for l in result.stderr.splitlines() if l.startswith("violation:")]
    assert lines and all(re.match(r"violation: data/records/\S+\.yaml:\d+: persons\[\d\] <https://w3id.org/egkg/id/person/bambang-arwanto>: egkg:name", l) for l in lines), result.stderr
    assert "Traceback" not in result.stderr


def test_missing_data_directory_is_exit_2(tmp_path):
    result = run_egkg("validate", "--data", tmp_path / "nowhere")
    assert result.returncode == 2
    assert result.stderr.startswith("error: ") and "data/records" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_unknown_option_is_a_usage_error():
    result = run_egkg("build", "--no-such-option")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_vocab_lists_values_from_the_ontology():
    result = run_egkg("vocab")
    assert result.returncode == 0
    assert "AppointmentKind: Definitive, Pj, Pjs, Plh, Plt" in result.stdout


def test_schema_matches_the_documented_json_schema():
    result = run_egkg("schema")
    assert result.returncode == 0
    assert json.loads(result.stdout) == json.loads((ROOT / "docs" / "records.schema.json").read_text())


def test_records_validate_against_the_json_schema():
    import jsonschema
    import yaml

    schema = json.loads((ROOT / "docs" / "records.schema.json").read_text())
    for path in sorted((ROOT / "data" / "records").glob("*.yaml")):
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # all scalars as text
        jsonschema.validate(_typed(document), schema)


def _typed(node):
    """BaseLoader keeps dates as text (as JSON would); turn numeric strings of known numeric fields back."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "year":
                out[key] = int(value)
            elif key == "value":
                out[key] = float(value)
            else:
                out[key] = _typed(value)
        return out
    if isinstance(node, list):
        return [_typed(v) for v in node]
    return node


def test_export_formats_round_trip(tmp_path, good_build):
    import pyoxigraph as ox
    from rdflib import Dataset, Graph

    quads = (good_build.out_dir / "egkg.nq").read_bytes().count(b"\n")
    for fmt in ("nq", "trig", "ttl", "jsonld"):
        target = tmp_path / f"out.{fmt}"
        result = run_egkg("export", "--format", fmt, "-o", target, "--build", good_build.out_dir)
        assert result.returncode == 0, result.stderr
        assert target.stat().st_size > 0
    assert len(list(ox.parse(path=str(tmp_path / "out.trig"), format=ox.RdfFormat.TRIG))) == quads
    union = {q.triple for q in ox.parse(path=str(tmp_path / "out.nq"), format=ox.RdfFormat.N_QUADS)}
    assert len(Graph().parse(tmp_path / "out.ttl", format="turtle")) == len(union)
    document = json.loads((tmp_path / "out.jsonld").read_text())
    assert document["@context"]["startDate"] == "https://w3id.org/egkg/ontology#startDate"
    assert document["@context"]["participant"]["@type"] == "@id"
    reread, original = Dataset(), Dataset()
    reread.parse(tmp_path / "out.jsonld", format="json-ld")
    original.parse(tmp_path / "out.nq", format="nquads")
    assert len(reread) == len(original)


def test_export_refuses_unknown_format_and_keeps_target(tmp_path, good_build):
    target = tmp_path / "keep.txt"
    target.write_text("previous")
    result = run_egkg("export", "--format", "xml", "-o", target, "--build", good_build.out_dir)
    assert result.returncode == 2 and "unknown format 'xml'" in result.stderr
    assert target.read_text() == "previous"
