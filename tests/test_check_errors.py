"""Bad arguments to `posecoach check` are refused before any clip runs, in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from posecoach.cli import main
from posecoach.errors import ExitCode
from tests.clips import empty_room


@pytest.fixture()
def clips(tmp_path: Path) -> Path:
    folder = tmp_path / "clips"
    folder.mkdir()
    empty_room(folder / "room.mp4", count=3)
    (folder / "expectations.toml").write_text('[clips."room.mp4"]\nexercise = "plank"\n')
    return folder


def _check(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", *args, "--no-cache", "--model", "lite"])
    out, err = capsys.readouterr()
    return code, out, err.strip()


@pytest.mark.parametrize(("option", "where", "problem"), [
    ("--junit", "notes.txt/junit.xml", "notes.txt is a file, not a folder"),
    ("--json", "notes.txt/deeper/check.json", "notes.txt is a file, not a folder"),
    ("--junit", "reports", "is a folder; give the path of a file"),
    ("--json", "clips/expectations.toml", "is one of the inputs of this check"),
    ("--junit", "clips/room.mp4", "is one of the inputs of this check"),
])
def test_an_unusable_report_path_is_refused_before_the_run(clips: Path, capsys: pytest.CaptureFixture[str],
                                                            option: str, where: str, problem: str) -> None:
    root = clips.parent
    (root / "notes.txt").write_text("my notes")
    (root / "reports").mkdir()
    before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
    code, out, err = _check(capsys, str(clips), option, str(root / where))
    assert code == ExitCode.INPUT
    assert out == ""  # refused before the first clip, not after the whole run
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert err.startswith(f"posecoach: error: {option} {root / where}: ") and problem in err
    assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


def test_the_two_reports_cannot_share_a_file(clips: Path, capsys: pytest.CaptureFixture[str]) -> None:
    same = clips.parent / "report.out"
    code, out, err = _check(capsys, str(clips), "--junit", str(same), "--json", str(same))
    assert code == ExitCode.INPUT and out == ""
    assert "is also given as --junit" in err and not same.exists()
