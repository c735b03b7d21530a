"""Atomic writes: whole files or none, the user's umask, and no folder left behind for a file never written."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from posecoach.errors import InputError
from posecoach.outputs.atomic import AtomicFile, check_writable, write_text


@pytest.fixture()
def umask() -> Iterator[None]:
    """Restores the process umask after a test that sets its own."""
    saved = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(saved)


@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_written_file_has_the_mode_the_umask_gives(tmp_path: Path, umask: None, mask: int, mode: int) -> None:
    os.umask(mask)
    target = tmp_path / "result.json"
    write_text(target, "{}\n")
    assert stat.S_IMODE(target.stat().st_mode) == mode
    file = AtomicFile(tmp_path / "annotated.webm")
    assert stat.S_IMODE(file.temporary.stat().st_mode) == mode  # encoders write into the temporary as it is
    file.discard()


def test_a_discarded_file_removes_the_folders_made_for_it(tmp_path: Path) -> None:
    file = AtomicFile(tmp_path / "a" / "b" / "c" / "annotated.webm")
    assert file.temporary.parent == tmp_path / "a" / "b" / "c"
    file.discard()
    assert list(tmp_path.iterdir()) == []


def test_a_discard_keeps_folders_that_existed_or_hold_other_files(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    file = AtomicFile(tmp_path / "a" / "b" / "annotated.webm")
    (tmp_path / "a" / "b" / "notes.txt").write_text("mine")
    file.discard()
    assert sorted(p.name for p in (tmp_path / "a" / "b").iterdir()) == ["notes.txt"]


def test_a_committed_file_keeps_its_folder(tmp_path: Path) -> None:
    target = tmp_path / "new" / "result.json"
    write_text(target, "{}\n")
    assert target.read_text() == "{}\n" and [p.name for p in target.parent.iterdir()] == ["result.json"]


def test_output_paths_are_checked_without_writing(tmp_path: Path) -> None:
    (tmp_path / "file.txt").write_text("x")
    (tmp_path / "folder").mkdir()
    check_writable(tmp_path / "new" / "deeper" / "out.xml", "--junit")
    with pytest.raises(InputError, match=r"^--junit .*file.txt/out.xml: .*file.txt is a file, not a folder"):
        check_writable(tmp_path / "file.txt" / "out.xml", "--junit")
    with pytest.raises(InputError, match=r"^--json .*folder: is a folder; give the path of a file"):
        check_writable(tmp_path / "folder", "--json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt", "folder"]
