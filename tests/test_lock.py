"""The virtualenv holds exactly the versions requirements.lock pins (`make lock-check` keeps the lock current)."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

LOCK = Path(__file__).parent.parent / "requirements.lock"
# Installed by the Makefile beside the lock: the project itself (editable) and the venv's own pip.
NOT_LOCKED = {"egkg", "pip"}


def locked_here(text: str) -> dict[str, str]:
    """Name -> pinned version of every lock entry whose environment marker holds on this machine."""
    pins = {}
    # An entry is `name==version ; marker \` followed by hash and comment lines.
    for line in re.findall(r"^[A-Za-z0-9].*?==.*?(?= \\$|$)", text, flags=re.MULTILINE):
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate():
            (spec,) = requirement.specifier
            pins[canonicalize_name(requirement.name)] = spec.version
    return pins


def installed() -> dict[str, str]:
    return {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}


def test_every_locked_package_is_installed_at_its_locked_version():
    pins, have = locked_here(LOCK.read_text(encoding="utf-8")), installed()
    assert len(pins) > 50  # the lock was read, not skipped
    wrong = {name: (version, have.get(name)) for name, version in pins.items() if have.get(name) != version}
    assert wrong == {}, "(locked, installed): run `make test`, which syncs the venv to the lock"


def test_nothing_is_installed_that_the_lock_does_not_hold():
    pins = locked_here(LOCK.read_text(encoding="utf-8"))
    extra = sorted(set(installed()) - set(pins) - NOT_LOCKED)
    assert extra == []


def test_the_lock_reader_applies_markers_and_pins():
    sample = ("rich==15.0.0 \\\n    --hash=sha256:ab\n    # via egkg\n"
              "appnope==1.0.0 ; sys_platform == 'nonexistent-os' \\\n    --hash=sha256:cd\n")
    assert locked_here(sample) == {"rich": "15.0.0"}
