"""Landmark files (.pose.npz): written by `review --save-landmarks`, read by `review` and `check` with exactly
the rules and coach a video gets, and refused on one line when broken or of another version."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from posecoach.cli import main
from posecoach.errors import ExitCode, InputError
from posecoach.pose.track import FORMAT_VERSION, PoseTrack, read_track
from tests import poses
from tests.conftest import REPO

REAL = REPO / "tests" / "data" / "real"


def small_track(frames: int = 90, *, person: float = 120.0) -> PoseTrack:
    """Three seconds of the kneeling pose, held still."""
    image, world = poses.track([poses.kneeling("left")] * frames)
    return PoseTrack(
        t=np.arange(frames) / 30.0, image=image, world=world, found=np.ones(frames, bool),
        people=np.ones(frames, np.int16), brightness=np.full(frames, 90.0, np.float32), size=poses.SIZE, fps=30.0,
        person_brightness=np.full(frames, person, np.float32), model="full", source="kneeling.mp4",
    )


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err.strip()


def test_a_track_survives_saving_and_reading(tmp_path: Path) -> None:
    track = small_track()
    path = tmp_path / "monday.pose.npz"
    track.save(path)
    back = read_track(path)
    assert back.size == track.size and back.fps == track.fps and (back.model, back.source) == ("full", "kneeling.mp4")
    for name in ("t", "image", "world", "found", "people", "brightness", "person_brightness"):
        assert np.array_equal(getattr(back, name), getattr(track, name), equal_nan=True), name
    with np.load(path, allow_pickle=False) as data:  # plain arrays: readable without posecoach or pickles
        assert int(data["version"]) == FORMAT_VERSION == 2


def test_a_version_1_file_reads_with_the_pictures_light(tmp_path: Path) -> None:
    track = small_track()
    path = tmp_path / "old.pose.npz"
    np.savez_compressed(path, version=np.array(1), t=track.t, image=track.image, world=track.world,
                        found=track.found, people=track.people, brightness=track.brightness,
                        size=np.array(track.size), fps=np.array(track.fps))
    back = read_track(path)
    assert back.person_brightness is None
    assert np.array_equal(back.light, track.brightness)


def test_the_light_judged_is_the_persons_where_known() -> None:
    track = small_track(person=150.0)
    track.person_brightness[:10] = np.nan
    assert np.all(track.light[:10] == 90.0) and np.all(track.light[10:] == 150.0)


def _broken(tmp_path: Path, name: str, **change: object) -> Path:
    track = small_track()
    arrays = dict(version=np.array(2), t=track.t, image=track.image, world=track.world, found=track.found,
                  people=track.people, brightness=track.brightness, person_brightness=track.person_brightness,
                  size=np.array(track.size), fps=np.array(track.fps))
    for key, value in change.items():
        if value is None:
            del arrays[key]
        else:
            arrays[key] = value  # type: ignore[assignment]
    path = tmp_path / name
    np.savez(path, **arrays)  # type: ignore[arg-type]
    return path


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"version": np.array(3)}, "version 3 is not supported"),
        ({"image": None}, "no image"),
        ({"person_brightness": None}, "needs person_brightness"),
        ({"world": np.zeros((90, 33, 2))}, "world has shape"),
        ({"t": np.zeros(90)}, "increasing"),
    ],
)
def test_a_wrong_landmark_file_is_refused_naming_the_problem(tmp_path: Path, change: dict, fragment: str) -> None:
    path = _broken(tmp_path, "bad.pose.npz", **change)
    with pytest.raises(InputError, match=fragment):
        read_track(path)
    assert PoseTrack.load(path) is None  # the landmark cache treats it as a miss


def test_review_of_a_broken_or_wrong_version_file_is_one_line_exit_3(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.pose.npz"
    junk.write_text("not numbers\n")
    future = _broken(tmp_path, "future.pose.npz", version=np.array(9))
    for path, fragment in ((junk, "not an .npz archive"), (future, "version 9 is not supported")):
        out = tmp_path / f"{path.stem}-out"
        code, _, err = run(capsys, "review", str(path), "-e", "kneeling-hip-flexor", "--out", str(out))
        assert code == ExitCode.INPUT, err
        assert len(err.splitlines()) == 1 and "Traceback" not in err and fragment in err and path.name in err
        assert not out.exists()


def test_check_of_a_broken_landmark_file_is_one_line_exit_3_before_any_clip_runs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(REAL / "plank_correct_001.pose.npz", tmp_path / "good.pose.npz")
    _broken(tmp_path, "future.pose.npz", version=np.array(9))
    (tmp_path / "expectations.toml").write_text(
        '[clips."good.pose.npz"]\nexercise = "plank"\n[clips."future.pose.npz"]\nexercise = "plank"\n'
    )
    code, out, err = run(capsys, "check", str(tmp_path), "--jobs", "1")
    assert code == ExitCode.INPUT
    assert len(err.splitlines()) == 1 and "future.pose.npz" in err and "version 9" in err
    assert "good.pose.npz" not in out  # nothing ran


def test_review_of_a_landmark_file_writes_result_and_report_but_no_video(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "mob.pose.npz"
    shutil.copy(REAL / "mob-hip-flexor.pose.npz", source)
    code, out, err = run(capsys, "review", str(source), "-e", "kneeling-hip-flexor")
    assert code == ExitCode.OK, err
    folder = tmp_path / "mob.review"
    assert sorted(p.name for p in folder.iterdir()) == ["report.html", "result.json"]
    assert "annotated video" not in out and "report.html" in out
    result = json.loads((folder / "result.json").read_text())
    assert result["video"] == str(source) and result["model"] == "unknown"  # a version-1 file names no model
    # The fault's worst moment is drawn as a skeleton: the report still has its picture.
    assert result["faults"] and "data:image/jpeg;base64," in (folder / "report.html").read_text()


def test_check_of_a_landmark_file_concludes_what_review_of_it_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One pipeline: check and review of the same landmarks give the same holds and faults."""
    source = tmp_path / "mob.pose.npz"
    shutil.copy(REAL / "mob-hip-flexor.pose.npz", source)
    assert run(capsys, "review", str(source), "-e", "kneeling-hip-flexor", "--out", str(tmp_path / "r"))[0] == 0
    result = json.loads((tmp_path / "r" / "result.json").read_text())
    fault = result["faults"][0]
    (tmp_path / "expectations.toml").write_text(
        f'[clips."mob.pose.npz"]\nexercise = "kneeling-hip-flexor"\n'
        f'holds = {{ right = {result["holds"]["right"]["good_form_seconds"]} }}\n'
        f'faults = [{{ check = "{fault["check"]}", side = "{fault["side"]}", start = {fault["start"]}, '
        f'end = {fault["end"]} }}]\ntolerance = {{ hold_seconds = 0.001, fault_seconds = 0.001 }}\n'
    )
    code, out, _ = run(capsys, "check", str(source), "--expect", str(tmp_path / "expectations.toml"))
    assert code == ExitCode.OK, out


def test_save_landmarks_needs_a_usable_file_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "mob.pose.npz"
    shutil.copy(REAL / "mob-hip-flexor.pose.npz", source)
    for target, fragment in ((tmp_path / "x.npz", "ends .pose.npz"),
                             (tmp_path / "missing" / "x.pose.npz", "does not exist")):
        code, _, err = run(capsys, "review", str(source), "-e", "kneeling-hip-flexor", "--out", str(tmp_path / "o"),
                           "--save-landmarks", str(target))
        assert code == ExitCode.INPUT and len(err.splitlines()) == 1 and fragment in err, err
    assert not (tmp_path / "o").exists()


def pinned(name: str, exercise: str, result: dict) -> str:
    """Expectations that hold a clip to one result's holds and fault intervals, to the millisecond."""
    holds = ", ".join(f"{side} = {h['good_form_seconds']}" for side, h in result["holds"].items())
    faults = ", ".join(
        f'{{ check = "{f["check"]}", side = "{f["side"] or "both"}", start = {f["start"]}, end = {f["end"]} }}'
        for f in result["faults"] if f["severity"] == "fault"
    )
    return (f'[clips."{name}"]\nexercise = "{exercise}"\nholds = {{ {holds} }}\nfaults = [{faults}]\n'
            "tolerance = { hold_seconds = 0.001, fault_seconds = 0.001 }\n")


@pytest.mark.slow
def test_a_reviewed_videos_landmarks_check_exactly_as_the_video(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`review --save-landmarks`, then `check` of that file and of the video: both meet the review's own
    figures to the millisecond."""
    clip = REPO / "sample_videos" / "plank_hips-sag_side.mp4"
    saved = tmp_path / "files" / "plank.pose.npz"
    saved.parent.mkdir()
    code, out, err = run(capsys, "review", str(clip), "-e", "plank", "--out", str(tmp_path / "r"), "--model", "full",
                         "--no-progress", "--save-landmarks", str(saved))
    assert code == ExitCode.OK, err
    assert f"landmarks: {saved}" in out
    track = read_track(saved)
    assert track.model == "full" and track.source == clip.name and np.isfinite(track.person_brightness).any()
    result = json.loads((tmp_path / "r" / "result.json").read_text())
    assert result["faults"]  # a sagging plank: something to pin
    videos = tmp_path / "videos"
    videos.mkdir()
    shutil.copy(clip, videos / "plank.mp4")
    (videos / "expectations.toml").write_text(pinned("plank.mp4", "plank", result))
    (saved.parent / "expectations.toml").write_text(pinned("plank.pose.npz", "plank", result))
    code, out, _ = run(capsys, "check", str(videos), "--no-cache", "--model", "full")
    assert code == ExitCode.OK, out
    code, out, _ = run(capsys, "check", str(saved.parent))
    assert code == ExitCode.OK, out
