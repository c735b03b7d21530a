"""End to end: `posecoach review` of a generated clip of someone kneeling in the stretch."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import numpy as np
import pytest

from posecoach.cli import main
from posecoach.errors import ExitCode
from tests.conftest import SAMPLES

pytestmark = pytest.mark.slow

CLIP = SAMPLES / "kneeling-hip-flexor_good_side.mp4"


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, Path, bool]:
    """`posecoach demo` is `review` of the bundled kneeling clip: one run serves every test here."""
    import contextlib
    import io

    out = tmp_path_factory.mktemp("review") / "demo"
    data = tmp_path_factory.mktemp("demo-data")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), pytest.MonkeyPatch.context() as patch:
        patch.setenv("POSECOACH_DATA_DIR", str(data))
        code = main(["demo", "--out", str(out), "--model", "lite", "--no-progress"])
        logged = (data / "history.db").exists()
    return code, printed.getvalue(), out, logged


@pytest.fixture(scope="module")
def reviewed(demo_run: tuple[int, str, Path, bool]) -> tuple[Path, dict, dict]:
    code, _, out, _ = demo_run
    assert code == ExitCode.OK
    result = json.loads((out / "result.json").read_text())
    truth = json.loads(gzip.decompress((SAMPLES / f"{CLIP.stem}.truth.json.gz").read_bytes()))
    return out, result, truth


def test_result_json_has_the_documented_shape(reviewed: tuple[Path, dict, dict]) -> None:
    _, result, _ = reviewed
    for key in ("exercise", "video", "model", "fps", "frames", "holds", "faults"):
        assert key in result
    assert result["exercise"] == "kneeling-hip-flexor" and result["model"] == "lite"
    frame = result["frames"][0]
    assert set(frame) >= {"t", "pose_found", "side", "angles", "checks"}
    assert set(frame["angles"]) >= {"front_knee", "back_knee", "torso_lean"}
    assert set(frame["checks"]) == {"front-knee", "torso-upright", "back-knee-down"}
    assert all(v in ("ok", "fail", "unknown") for f in result["frames"] for v in f["checks"].values())
    assert set(result["holds"]) == {"left", "right"}
    for hold in result["holds"].values():
        assert set(hold) == {"good_form_seconds", "target_seconds", "completed"} and hold["target_seconds"] == 30


def test_skeleton_found_and_front_knee_within_tolerance(reviewed: tuple[Path, dict, dict]) -> None:
    _, result, truth = reviewed
    frames = result["frames"]
    assert len(frames) == len(truth["frames"])
    assert np.mean([f["pose_found"] for f in frames]) >= 0.95
    errors = [
        abs(f["angles"]["front_knee"] - t["angles"]["front_knee"])
        for f, t in zip(frames, truth["frames"], strict=True)
        if t["held"] and f["angles"]["front_knee"] is not None
    ]
    assert len(errors) >= 0.9 * sum(t["held"] for t in truth["frames"])
    assert float(np.mean(errors)) <= 6.0
    # Both sides were held in good form and the coach saw which leg was in front.
    truth_sides = {t["side"] for t in truth["frames"] if t["held"]}
    assert {f["side"] for f in frames if f["good_form"]} == truth_sides


def test_annotated_video_is_a_full_length_webm(reviewed: tuple[Path, dict, dict]) -> None:
    import cv2

    out, result, _ = reviewed
    video = out / "annotated.webm"
    assert video.read_bytes()[:4] == b"\x1a\x45\xdf\xa3"  # EBML: a Matroska/WebM file
    capture = cv2.VideoCapture(str(video))
    count = 0
    while capture.read()[0]:
        count += 1
    assert count == len(result["frames"])
    assert not list(out.glob(".*partial*"))


def test_demo_prints_where_the_outputs_are(demo_run: tuple[int, str, Path, bool]) -> None:
    code, printed, out, _ = demo_run
    assert code == ExitCode.OK
    assert f"annotated video: {out / 'annotated.webm'}" in printed
    assert f"result: {out / 'result.json'}" in printed
    assert f"report: {out / 'report.html'}" in printed
    assert "left:" in printed and "right:" in printed


def test_the_demo_is_not_logged_as_a_session(demo_run: tuple[int, str, Path, bool]) -> None:
    code, printed, _, logged = demo_run
    assert code == ExitCode.OK
    assert not logged
    assert "not logged in your history" in printed


def test_the_demo_says_what_the_sample_is_and_what_a_session_does(demo_run: tuple[int, str, Path, bool]) -> None:
    _, printed, _, _ = demo_run
    lines = printed.splitlines()
    assert lines[0].startswith("posecoach demo: a review of the bundled sample clip (18 s of a rendered figure")
    assert lines[1] == ("The sample holds each side for a few seconds only, so the times below fall short of the 30 s "
                        "target; in a real session you hold each side for 30 s, and only time in good form counts.")
    assert any("posecoach coach kneeling-hip-flexor" in line for line in lines)


def test_the_outputs_have_the_mode_the_umask_gives(reviewed: tuple[Path, dict, dict]) -> None:
    import os
    import stat

    out, _, _ = reviewed
    mask = os.umask(0o022)
    os.umask(mask)
    for name in ("annotated.webm", "result.json", "report.html"):
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o666 & ~mask, name
