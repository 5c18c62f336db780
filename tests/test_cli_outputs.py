"""Output paths the CLI must refuse (special files, a build's own artefacts, unwritable places), and those it accepts."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
from pathlib import Path

import pytest

from .conftest import run_egkg, tree_digest


def _fifo(where: Path) -> Path:
    os.mkfifo(where)
    return where


def _char_device(where: Path) -> Path:
    os.mknod(where, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a private twin of /dev/null; root makes it
    return where


def _socket(where: Path) -> Path:
    with socket.socket(socket.AF_UNIX) as listener:
        listener.bind(str(where))  # the node stays after the socket is closed
    return where


SPECIAL = {"fifo": (_fifo, "FIFO"), "character-device": (_char_device, "character device"), "socket": (_socket, "socket")}


@pytest.mark.parametrize("kind", SPECIAL)
def test_export_refuses_a_special_file_without_blocking_or_replacing_it(tmp_path, good_build, kind):
    make, described = SPECIAL[kind]
    target = make(tmp_path / "out.nq")
    # A FIFO nobody reads would block a writer for ever: the subprocess timeout is the failure.
    result = run_egkg("export", "--format", "nq", "-o", target, "--build", good_build.out_dir, timeout=60)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {target}: --output: is a {described}"), result.stderr
    assert not stat.S_ISREG(target.lstat().st_mode), "the special file was replaced by a regular file"


def test_viz_refuses_a_special_file_where_a_page_goes(tmp_path, good_build):
    views = tmp_path / "views"
    views.mkdir()
    page = _fifo(views / "timeline.html")
    result = run_egkg("viz", "--build", good_build.out_dir, "--views", views, timeout=120)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"{page}: --views: is a FIFO" in lines[0], result.stderr
    assert stat.S_ISFIFO(page.lstat().st_mode)


@pytest.mark.parametrize("inside", ["egkg.nq", "egkg.trig", "current/egkg.nq", ".releases/x.nq", "views/index.html"])
def test_export_refuses_what_the_build_owns_and_leaves_it(previous_build, inside):
    (previous_build / "views").mkdir(exist_ok=True)
    (previous_build / "views" / "index.html").write_text("<p>a page egkg viz wrote</p>")
    before = tree_digest(previous_build)
    links = {p.name: os.readlink(p) for p in previous_build.iterdir() if p.is_symlink()}
    result = run_egkg("export", "--format", "nq", "-o", previous_build / inside, "--build", previous_build)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"belongs to the build in {previous_build}" in lines[0], result.stderr
    assert tree_digest(previous_build) == before
    assert {p.name: os.readlink(p) for p in previous_build.iterdir() if p.is_symlink()} == links


def test_export_into_a_folder_of_its_own_inside_the_build_directory_is_allowed(previous_build):
    # build/exports/ is nobody's: a build neither reads nor deletes it, so an export may live there.
    target = previous_build / "exports" / "graph.ttl"
    result = run_egkg("export", "--format", "ttl", "-o", target, "--build", previous_build)
    assert result.returncode == 0, result.stderr
    assert target.stat().st_size > 0


@pytest.fixture()
def immutable_dir(tmp_path):
    """A directory no one can create files in, root included (ext4's immutable flag); permission bits stop no root."""
    where = tmp_path / "locked"
    where.mkdir()
    if subprocess.run(["chattr", "+i", str(where)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not supported here")
    try:
        yield where
    finally:
        subprocess.run(["chattr", "-i", str(where)], check=True)


def test_build_into_an_unwritable_directory_is_a_one_line_input_error(data_copy, immutable_dir):
    result = run_egkg("build", "--data", data_copy, "--out", immutable_dir, "--quiet", "--no-reason")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines == [f"error: {immutable_dir}: --out: cannot write the build: Operation not permitted"], result.stderr


def test_viz_into_an_unwritable_directory_is_a_one_line_input_error(good_build, immutable_dir):
    result = run_egkg("viz", "--build", good_build.out_dir, "--views", immutable_dir)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {immutable_dir}: --views: cannot write the views: "
                                                   "Operation not permitted"), result.stderr


@pytest.fixture()
def full_disk(tmp_path):
    """A 1 MB tmpfs: writes fail with ENOSPC as they do on a full disk (needs CAP_SYS_ADMIN, as root in CI)."""
    where = tmp_path / "small-disk"
    where.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=True)


def test_build_onto_a_full_disk_is_a_one_line_input_error(data_copy, full_disk):
    out = full_disk / "build"  # the N-Quads alone are over 1 MB
    result = run_egkg("build", "--data", data_copy, "--out", out, "--quiet", "--no-reason", "--full")
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {out}: --out: cannot write the build: "
                                                   "No space left on device"), result.stderr
