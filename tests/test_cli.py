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


def test_build_writes_outputs_and_a_summary(tmp_path, data_copy):
    result = run_egkg("build", "--data", data_copy, "--out", tmp_path / "b")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "b" / "egkg.nq").stat().st_size > 0
    assert (tmp_path / "b" / "store" / "CURRENT").is_file()
    assert "Meeting" in result.stdout and "Participation" in result.stdout


def test_validate_conforms(data_copy):
    result = run_egkg("validate", "--data", data_copy)
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


def test_unknown_option_is_a_usage_error(tmp_path):
    result = run_egkg("build", "--data", tmp_path / "data", "--out", tmp_path / "build", "--no-such-option")
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


def test_records_validate_against_the_json_schema(data_copy):
    import jsonschema
    import yaml

    schema = json.loads((ROOT / "docs" / "records.schema.json").read_text())
    flags = _boolean_fields(schema)
    assert "advertorial" in flags  # the walk found the schema's flags
    for path in sorted((data_copy / "records").glob("*.yaml")):
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # all scalars as text
        jsonschema.validate(_typed(document, flags), schema)


def _boolean_fields(schema) -> set[str]:
    """Names of the properties the schema types as boolean, wherever they are declared."""
    found: set[str] = set()
    if isinstance(schema, dict):
        for name, prop in schema.get("properties", {}).items():
            kinds = [prop, *prop.get("anyOf", [])]
            if any(kind.get("type") == "boolean" for kind in kinds if isinstance(kind, dict)):
                found.add(name)
        for value in schema.values():
            found |= _boolean_fields(value)
    elif isinstance(schema, list):
        for value in schema:
            found |= _boolean_fields(value)
    return found


def _typed(node, flags: set[str]):
    """BaseLoader keeps dates as text (as JSON would); turn numeric and flag strings of known fields back."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "year":
                out[key] = int(value)
            elif key == "value":
                out[key] = float(value)
            elif key in flags and value in ("true", "false"):
                out[key] = value == "true"
            else:
                out[key] = _typed(value, flags)
        return out
    if isinstance(node, list):
        return [_typed(v, flags) for v in node]
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


def test_draft_help_states_the_size_limit():
    from kg_builder.draft.reading import MAX_ARTICLE_BYTES

    result = run_egkg("draft", "--help")
    assert result.returncode == 0
    words = result.stdout.replace("│", " ").split()  # the help is drawn in a box, wrapped
    assert f"at most {MAX_ARTICLE_BYTES // 1_000_000} MB" in " ".join(words), result.stdout


def test_rich_output_keeps_colon_words_as_text():
    """rich turns `:100:` or `:smile:` into emoji unless told not to; table cells quote user data."""
    from kg_builder.cli import err, out

    for console in (out, err):
        with console.capture() as captured:
            console.print("error: x.yaml:100: title: :smile:", markup=False)
        assert captured.get().strip() == "error: x.yaml:100: title: :smile:"
