"""Bad input to `posecoach review`: one line that says what was wrong and what to do, a non-zero exit,
no traceback and nothing half-written."""

from __future__ import annotations

from pathlib import Path

import pytest

from posecoach.cli import main
from posecoach.errors import ExitCode
from tests.clips import empty_room, truncated


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    err = capsys.readouterr().err.strip()
    return code, err


def assert_one_line(err: str, *fragments: str) -> None:
    assert "Traceback" not in err
    assert len(err.splitlines()) == 1, err
    for fragment in fragments:
        assert fragment in err, err


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code, err = run(capsys, "review", str(tmp_path / "nope.mp4"), "-e", "kneeling-hip-flexor", "--out", str(out))
    assert code == ExitCode.INPUT
    assert_one_line(err, "nope.mp4", "no such file")
    assert not out.exists()


def test_not_a_video(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fake = tmp_path / "notes.mp4"
    fake.write_text("these are my exercise notes, not a video\n")
    out = tmp_path / "out"
    code, err = run(capsys, "review", str(fake), "-e", "kneeling-hip-flexor", "--out", str(out), "--model", "lite")
    assert code == ExitCode.INPUT
    assert_one_line(err, "notes.mp4", "not a video")
    assert not any(out.glob("*")) if out.exists() else True


def test_truncated_video(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    whole = empty_room(tmp_path / "whole.mp4", count=60)
    cut = truncated(whole, tmp_path / "cut.mp4")
    out = tmp_path / "out"
    code, err = run(capsys, "review", str(cut), "-e", "kneeling-hip-flexor", "--out", str(out), "--model", "lite")
    assert code == ExitCode.INPUT
    assert_one_line(err, "cut.mp4", "truncated")
    assert not out.exists()


def test_video_truncated_mid_file_leaves_no_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An AVI cut short opens and decodes up to the cut: the outputs were begun, and all of them go again."""
    whole = empty_room(tmp_path / "whole.avi", count=60, fourcc="MJPG")
    cut = truncated(whole, tmp_path / "cut.avi", keep=0.6)
    out = tmp_path / "reviews" / "monday"
    code, err = run(capsys, "review", str(cut), "-e", "kneeling-hip-flexor", "--out", str(out), "--model", "lite",
                    "--no-progress")
    assert code == ExitCode.INPUT
    assert_one_line(err, "cut.avi", "looks truncated")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cut.avi", "whole.avi"]


def test_video_with_no_person(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    room = empty_room(tmp_path / "room.mp4")
    out = tmp_path / "out"
    code, err = run(capsys, "review", str(room), "-e", "kneeling-hip-flexor", "--out", str(out), "--model", "lite",
                    "--no-progress")
    assert code == ExitCode.INPUT
    assert_one_line(err, "room.mp4", "no person found")
    # Neither the annotated video nor its temporary file nor the folder made for them is left behind.
    assert not out.exists()


def test_ctrl_c_in_a_review_leaves_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from posecoach.outputs.result import ResultRecorder

    original = ResultRecorder.write

    def interrupted(self: ResultRecorder, step) -> None:  # type: ignore[no-untyped-def]
        if len(self.frames) == 10:
            raise KeyboardInterrupt
        original(self, step)

    monkeypatch.setattr(ResultRecorder, "write", interrupted)
    room = empty_room(tmp_path / "room.mp4")
    out = tmp_path / "out"
    code, err = run(capsys, "review", str(room), "-e", "kneeling-hip-flexor", "--out", str(out), "--model", "lite",
                    "--no-progress")
    assert code == ExitCode.INTERRUPTED
    assert_one_line(err, "interrupted")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["room.mp4"]


@pytest.mark.parametrize("out", [".", "{folder}"])
def test_a_review_never_writes_over_its_input(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch, out: str) -> None:
    # An earlier review's video, reviewed again from its own folder.
    source = empty_room(tmp_path / "clip.mp4", count=3).rename(tmp_path / "annotated.webm")
    before = source.read_bytes()
    monkeypatch.chdir(tmp_path)
    code, err = run(capsys, "review", "annotated.webm", "-e", "plank", "--out", out.format(folder=tmp_path),
                    "--model", "lite")
    assert code == ExitCode.INPUT
    assert_one_line(err, "annotated.webm: the review would write its annotated.webm over this file (the input)",
                    "give another --out")
    assert source.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["annotated.webm"]


def test_unknown_exercise_suggests_the_closest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    room = empty_room(tmp_path / "room.mp4", count=3)
    code, err = run(capsys, "review", str(room), "-e", "kneeling-hip-flexr")
    assert code == ExitCode.SPEC
    assert_one_line(err, "unknown exercise 'kneeling-hip-flexr'", "did you mean 'kneeling-hip-flexor'?")


def test_missing_model_names_path_and_rebuild(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    room = empty_room(tmp_path / "room.mp4", count=3)
    code, err = run(capsys, "review", str(room), "-e", "kneeling-hip-flexor", "--model", str(tmp_path / "gone.task"))
    assert code == ExitCode.MODEL
    assert_one_line(err, "gone.task", "missing")


def test_corrupt_model(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    room = empty_room(tmp_path / "room.mp4", count=3)
    bad = tmp_path / "bad.task"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    code, err = run(capsys, "review", str(room), "-e", "kneeling-hip-flexor", "--model", str(bad))
    assert code == ExitCode.MODEL
    assert_one_line(err, "bad.task", "corrupt")


def test_unknown_model_name(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    room = empty_room(tmp_path / "room.mp4", count=3)
    code, err = run(capsys, "review", str(room), "-e", "kneeling-hip-flexor", "--model", "medium")
    assert code == ExitCode.MODEL
    assert_one_line(err, "'medium'", "lite|full|heavy")


def test_usage_error_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, err = run(capsys, "review")
    assert code == ExitCode.USAGE
    assert_one_line(err, "Missing argument")


@pytest.mark.parametrize(("args", "helped"), [
    (["review"], "posecoach review --help"),
    (["review", "clip.mp4", "-e", "plank", "--frobnicate"], "posecoach review --help"),
    (["exercises", "show"], "posecoach exercises show --help"),
    (["history", "--weeks", "zero"], "posecoach history --help"),
    (["no-such-command"], "posecoach --help"),
])
def test_a_usage_error_points_to_the_help_of_the_command_given(capsys: pytest.CaptureFixture[str], args: list[str],
                                                                helped: str) -> None:
    code, err = run(capsys, *args)
    assert code == ExitCode.USAGE
    assert_one_line(err)
    assert err.endswith(f"(see {helped})"), err


@pytest.mark.parametrize(("name", "fourcc", "said"), [
    ("cut.mp4", "mp4v", "not a video posecoach can decode"),  # FFmpeg: "moov atom not found", on opening
    ("cut.avi", "MJPG", "looks truncated"),  # FFmpeg: "sof: invalid len", from the decoding thread
])
def test_ffmpeg_says_nothing_of_its_own(tmp_path: Path, name: str, fourcc: str, said: str) -> None:
    """In a fresh process, as a user runs it: FFmpeg's own lines would reach fd 2, which capsys does not see."""
    import os
    import subprocess
    import sys

    from tests.conftest import REPO

    whole = empty_room(tmp_path / f"whole{Path(name).suffix}", count=60, fourcc=fourcc)
    cut = truncated(whole, tmp_path / name, keep=0.6)
    env = {k: v for k, v in os.environ.items() if k not in ("OPENCV_FFMPEG_LOGLEVEL", "POSECOACH_DEBUG")}
    done = subprocess.run(
        [sys.executable, "-m", "posecoach", "review", str(cut), "-e", "plank", "--out", str(tmp_path / "out"),
         "--model", "lite", "--no-progress"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == ExitCode.INPUT
    assert done.stdout == ""
    assert_one_line(done.stderr.strip(), name, said)
