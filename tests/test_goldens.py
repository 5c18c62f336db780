"""Golden digests of the build outputs and the CLI help, so a refactoring that changes an output is caught.

The layout work of issue 16 moves most of kg_builder/; these digests were taken before the first move.
A change on purpose is recorded with `EGKG_UPDATE_GOLDENS=1 pytest tests/test_goldens.py`, and the commit
says why the output changed.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

GOLDENS = Path(__file__).parent / "goldens" / "digests.json"
UPDATE = os.environ.get("EGKG_UPDATE_GOLDENS") == "1"
# Every command group's help; rich wraps to the terminal, so the width is fixed.
HELP_COMMANDS = ["", "build", "reason", "validate", "vocab", "query", "tour", "checks", "sparql", "serve", "push",
                 "export", "viz", "site", "resolve", "draft", "eval", "schema", "network"]
EGKG = Path(sys.executable).parent / "egkg"  # the console script, as a user runs it


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _outputs(build_dir: Path, exported: Path) -> dict[str, dict]:
    """The build's egkg.nq and the TriG `egkg export` writes of it (builds wrote it as egkg.trig until issue 16)."""
    trig = exported / "egkg.trig"
    done = subprocess.run([str(EGKG), "export", "--build", str(build_dir), "--format", "trig", "-o", str(trig)],
                          capture_output=True, timeout=300, check=False)
    assert done.returncode == 0, f"egkg export --format trig: {done.stderr.decode()[-300:]}"
    found = {}
    for name, path in (("egkg.nq", build_dir / "egkg.nq"), ("egkg.trig", trig)):
        data = path.read_bytes()
        found[name] = {"sha256": _digest(data), "lines": data.count(b"\n")}
    return found


def _help(command: str) -> str:
    args = [str(EGKG), *command.split(), "--help"]
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb"}
    done = subprocess.run(args, capture_output=True, env=env, timeout=120, check=False)
    assert done.returncode == 0, f"egkg {command} --help: {done.stderr.decode()[-300:]}"
    # CI checks out elsewhere: a path of this checkout in the help would make the digest differ there.
    checkout = str(Path(__file__).resolve().parent.parent)
    assert checkout not in done.stdout.decode(), f"egkg {command} --help shows this checkout's path"
    return _digest(done.stdout)


def _compare(kind: str, found: dict) -> None:
    recorded = json.loads(GOLDENS.read_text()) if GOLDENS.exists() else {}
    if UPDATE:
        recorded[kind] = found
        GOLDENS.write_text(json.dumps(recorded, indent=2, sort_keys=True) + "\n")
        return
    assert kind in recorded, f"no golden for {kind}: run with EGKG_UPDATE_GOLDENS=1 once"
    changed = sorted(k for k in set(found) | set(recorded[kind]) if found.get(k) != recorded[kind].get(k))
    assert not changed, (f"{kind} changed for {changed}; if on purpose, rerun with EGKG_UPDATE_GOLDENS=1 "
                         "and say why in the commit")


def test_the_five_articles_build_to_the_golden_outputs(good_build, tmp_path):
    _compare("outputs", _outputs(good_build.out_dir, tmp_path))


@pytest.mark.parametrize("command", HELP_COMMANDS)
def test_the_cli_help_is_the_golden_one(command):
    _compare(f"help {command or 'egkg'}", {"stdout": _help(command)})
