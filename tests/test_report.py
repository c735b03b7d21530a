"""report.html: the verdict from result data, the page's sections, plots and numbers, and the page as a
browser draws it."""

from __future__ import annotations

import contextlib
from functools import partial
import io
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from posecoach.app import context
from posecoach.cli import main
from posecoach.errors import ExitCode
from posecoach.outputs.report import build_report
from posecoach.outputs.report.facts import faults as report_faults
from posecoach.outputs.report.facts import key_measures, number
from posecoach.outputs.report.verdict import verdict
from posecoach.specs.schema import Exercise
from tests.conftest import SAMPLES

CLIP = SAMPLES / "kneeling-hip-flexor_front-knee_side.mp4"
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
SECTIONS = ("verdict", "progress", "faults", "angles", "video", "exercise")


@pytest.fixture(scope="module")
def kneeling() -> Exercise:
    return context.library().exercise("kneeling-hip-flexor")


def hand_made_result(exercise: Exercise) -> dict[str, Any]:
    """20 s at 10 fps: the left leg in front for 10 s in good form, then the right, whose front knee opens
    to 128 degrees from 14 s to 16 s."""
    frames = []
    for i in range(200):
        t = i / 10
        side = "left" if t < 10 else "right"
        knee = 128.0 if 14.0 <= t <= 16.0 else 92.0
        frames.append({
            "t": t, "pose_found": True, "side": side, "in_position": True, "phase": "active",
            "angles": {"front_knee": knee, "back_knee": 100.0, "torso_lean": 6.5, "back_shin_lift": 1.0},
            "measures": {"front_shin_height": 0.9},
            "checks": {"front-knee": "fail" if knee > 105 else "ok", "torso-upright": "ok", "back-knee-down": "ok"},
            "cue": None, "good_form": knee <= 105,
        })
    cue = "Bring your front foot back under your knee, to a right angle"
    return {
        "posecoach": "0.1.0", "schema": 1, "exercise": exercise.id, "exercise_name": exercise.name, "mode": "hold",
        "video": "clip.mp4", "model": "lite", "fps": 10.0, "size": [640, 480],
        "summary": {"frames": 200, "pose_found_frames": 200, "detection_rate": 1.0, "phase": "active"},
        "holds": {
            "left": {"good_form_seconds": 9.9, "target_seconds": 30.0, "completed": False},
            "right": {"good_form_seconds": 7.84, "target_seconds": 30.0, "completed": False},
        },
        "reps": {},
        "faults": [{"check": "front-knee", "side": "right", "start": 14.0, "end": 16.0, "cue": cue}],
        "events": [],
        "frames": frames,
    }


class Page(HTMLParser):
    """The parts of the page the tests read: section ids, image sources, the numbers and their text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.sections: list[str] = []
        self.images: list[str] = []
        self.videos: list[str] = []
        self.posters: list[str] = []
        self.numbers: dict[str, tuple[str, str]] = {}
        self.paragraphs: list[str] = []
        self._number: tuple[str, str] | None = None
        self._in_verdict = False
        self._paragraph: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "section":
            self.sections.append(found.get("id") or "")
            self._in_verdict = found.get("id") == "verdict"
        elif tag == "img":
            self.images.append(found.get("src") or "")
        elif tag == "video":
            self.videos.append(found.get("src") or "")
            if found.get("poster"):
                self.posters.append(found["poster"] or "")
        elif tag == "span" and "num" in (found.get("class") or "").split():
            self._number = (found.get("data-key") or "", found.get("data-value") or "")
        elif tag == "p" and self._in_verdict:
            self._paragraph = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._paragraph is not None:
            self.paragraphs.append("".join(self._paragraph))
            self._paragraph = None
        elif tag == "section":
            self._in_verdict = False

    def handle_data(self, data: str) -> None:
        if self._number is not None:
            key, value = self._number
            self.numbers[key] = (value, data)
            self._number = None
        if self._paragraph is not None:
            self._paragraph.append(data)


def assert_numbers_match(page: Page, result: dict[str, Any]) -> None:
    """Every hold, rep count and fault interval is in the page, shown as result.json has it."""
    expected: dict[str, float] = {}
    for side, hold in result["holds"].items():
        expected[f"holds.{side}.good_form_seconds"] = hold["good_form_seconds"]
        expected[f"holds.{side}.target_seconds"] = hold["target_seconds"]
    for side, reps in result["reps"].items():
        expected[f"reps.{side}.count"] = reps["count"]
        expected[f"reps.{side}.target"] = reps["target"]
    for i, fault in enumerate(result["faults"]):
        expected[f"faults.{i}.start"] = fault["start"]
        expected[f"faults.{i}.end"] = fault["end"]
    assert set(page.numbers) == set(expected)
    for key, value in expected.items():
        raw, shown = page.numbers[key]
        assert float(raw) == value, key
        assert float(shown) == pytest.approx(value, abs=0.05 + 1e-9), key
        assert len(shown.partition(".")[2]) <= 1, f"{key}: times and counts to 0.1 at most"


# --- the verdict, from hand-made result data -------------------------------------------------------------
def test_verdict_speaks_of_each_side_with_the_numbers_of_the_result(kneeling: Exercise) -> None:
    result = hand_made_result(kneeling)
    left, right = verdict(result, report_faults(result, kneeling))
    assert left == "Left side: 9.9 s of 30 s in good form. No form faults."
    assert right.startswith("Right side: 7.8 s of 30 s in good form. From 14 s the front knee angle rose to "
                            "128 degrees (aim for 75 to 105 degrees).")
    assert right.endswith("Bring your front foot back under your knee, to a right angle.")


def test_verdict_of_a_finished_hold_and_of_reps(kneeling: Exercise) -> None:
    result = hand_made_result(kneeling)
    result["holds"]["left"] = {"good_form_seconds": 31.0, "target_seconds": 30.0, "completed": True}
    assert verdict(result, [])[0] == "Left side: 31 s in good form, the 30 s target reached. No form faults."
    reps = {**result, "mode": "reps", "holds": {}, "faults": [],
            "reps": {"left": {"count": 3, "target": 5}, "right": {"count": 5, "target": 5}}}
    assert verdict(reps, []) == ["Left side: 3 of 5 reps in good form. No form faults.",
                                 "Right side: 5 of 5 reps in good form. No form faults."]


def test_verdict_when_nothing_was_counted(kneeling: Exercise) -> None:
    result = {**hand_made_result(kneeling), "holds": {}, "faults": []}
    (only,) = verdict(result, [])
    assert "never reached" in only


def test_worst_frame_is_furthest_outside_the_band(kneeling: Exercise) -> None:
    result = hand_made_result(kneeling)
    result["frames"][150]["angles"]["front_knee"] = 133.5
    (fault,) = report_faults(result, kneeling)
    assert fault.worst is not None
    assert (fault.worst.index, fault.worst.t, fault.worst.value) == (150, 15.0, 133.5)
    assert fault.direction == "high"


def test_worst_frame_prefers_frames_where_the_check_failed(kneeling: Exercise) -> None:
    result = hand_made_result(kneeling)
    moving = result["frames"][145]
    moving["angles"]["front_knee"], moving["checks"]["front-knee"] = 170.0, "unknown"
    (fault,) = report_faults(result, kneeling)
    assert fault.worst is not None and fault.worst.value == 128.0


def test_a_fault_never_judged_has_no_worst_frame(kneeling: Exercise) -> None:
    """The worst-moment picture comes from a frame where the check failed, never from set-up or movement."""
    result = hand_made_result(kneeling)
    for frame in result["frames"]:
        frame["checks"]["front-knee"] = "unknown"
    (fault,) = report_faults(result, kneeling)
    assert fault.worst is None


def test_number_shows_result_values_without_trailing_zeros() -> None:
    assert [number(31.0), number(3.25), number(8.167, 3), number(-0.001), number(2.5, 0)] == ["31", "3.25", "8.167",
                                                                                             "0", "2"]


def hand_made_plank(exercise: Exercise) -> dict[str, Any]:
    """30 s of plank at 10 fps: good form, the hips sagging from 4.03 s to 6.97 s (worst 0.2 torso lengths
    below the line at 5 s, 160 degrees at the hips), good again, then piked up from 12.03 s to 21.97 s
    (worst 0.35 above at 20 s, 150 degrees) and once more briefly from 25.03 s to 26.03 s."""
    low, high = exercise.checks[0].band
    frames = []
    for i in range(300):
        t = round(i / 10, 2)
        offset, line = 0.0, 178.0
        if 4.0 < t < 7.0:
            offset, line = (-0.2, 160.0) if t == 5.0 else (-0.12, 168.0)
        elif 12.0 < t < 22.0 or 25.0 < t < 26.1:
            offset, line = (0.35, 150.0) if t == 20.0 else (0.28, 158.0)
        bad = not low <= offset <= high
        frames.append({
            "t": t, "pose_found": True, "side": None, "in_position": True, "phase": "active",
            "angles": {"body_line": line, "body_incline": 15.0, "knee_line": 175.0},
            "measures": {"hip_offset": offset}, "checks": {"hips-level": "fail" if bad else "ok"},
            "cue": None, "good_form": not bad,
        })
    check = exercise.checks[0]
    faults = [{"check": "hips-level", "side": None, "start": 4.033, "end": 6.967, "cue": check.cue_low},
              {"check": "hips-level", "side": None, "start": 12.033, "end": 21.967, "cue": check.cue_high},
              {"check": "hips-level", "side": None, "start": 25.033, "end": 26.033, "cue": check.cue_high}]
    return {
        "posecoach": "0.1.0", "schema": 1, "exercise": exercise.id, "exercise_name": exercise.name, "mode": "hold",
        "video": "plank.mp4", "model": "full", "fps": 10.0, "size": [640, 480],
        "summary": {"frames": 300, "pose_found_frames": 300, "detection_rate": 1.0, "phase": "active"},
        "holds": {"both": {"good_form_seconds": 13.98, "target_seconds": 30.0, "completed": False}},
        "reps": {}, "faults": faults, "events": [], "frames": frames,
    }


def test_each_kind_of_fault_gets_its_own_sentence_with_its_own_numbers() -> None:
    """A sagging and a piked plank are two kinds of the same check: each has its start, worst value and
    cue, never the start of one with the worst value of the other; times to 0.1 s, offsets in plain words
    with the angle at the hips in degrees."""
    plank = context.library().exercise("plank")
    result = hand_made_plank(plank)
    (paragraph,) = verdict(result, report_faults(result, plank), plank)
    check = plank.checks[0]
    sag = ("From 4 s the hips dropped 20% of the torso length below the line from shoulders to ankles, 160 "
           "degrees at the hips where a straight line is 180 (aim for 6.5% below to 25% above the line).")
    pike = ("From 12 s the hips rose 35% of the torso length above the line from shoulders to ankles, 150 "
            "degrees at the hips where a straight line is 180 (aim for 6.5% below to 25% above the "
            "line; 2 times, 10.9 s in all).")
    assert paragraph == (f"Overall: 14 s of 30 s in good form. {sag} {check.cue_low}. {pike} {check.cue_high}.")
    assert "offset" not in paragraph and "torso lengths" not in paragraph


def test_fault_cards_say_the_worst_moment_in_plain_words(tmp_path: Path) -> None:
    plank = context.library().exercise("plank")
    result = hand_made_plank(plank)
    text = build_report(result, plank)
    assert "Hips below the line from shoulders to ankles" in text
    assert "Hips above the line from shoulders to ankles" in text
    assert ("Worst at 5 s: the hips dropped 20% of the torso length below the line from shoulders to ankles, "
            "160 degrees at the hips where a straight line is 180") in text
    assert "4 s to 7 s (2.9 s)" in re.sub("<[^>]+>", "", text)
    assert "Hips against the line from shoulders to ankles" in text, "the plot's caption"
    assert "hip offset" not in text.lower() and "-0.065" not in text


def test_a_fault_whose_measure_is_not_known_keeps_its_cue(kneeling: Exercise) -> None:
    result = hand_made_result(kneeling)
    result["faults"][0]["check"] = "retired-check"
    (_, right) = verdict(result, report_faults(result, kneeling), kneeling)
    assert right.endswith("From 14 s for 2 s: Bring your front foot back under your knee, to a right angle.")


def test_poster_and_thumbnails_are_stills_of_the_video(kneeling: Exercise, tmp_path: Path) -> None:
    """The poster is a frame of the good-form hold, not a black one; a thumbnail is cut to its crop."""
    import cv2

    from posecoach.outputs.report.facts import poster_frames
    from posecoach.outputs.report.thumbnails import poster, thumbnails

    video = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), 10.0, (320, 240))
    for i in range(200):
        frame = np.zeros((240, 320, 3), np.uint8)
        if i >= 20:  # the first two seconds are black, as a camera's first frames can be
            frame[:] = (40, 120, 200)
            frame[100:140, 140:180] = 255
        writer.write(frame)
    writer.release()
    result = hand_made_result(kneeling)
    for frame in result["frames"][:60]:
        frame["good_form"] = False
    candidates = poster_frames(result)
    assert candidates[0] >= 60 and len(candidates) == len(set(candidates))
    cover = poster([video], [0, 5] + candidates)
    assert cover is not None
    image = cv2.imdecode(np.frombuffer(cover, np.uint8), cv2.IMREAD_COLOR)
    assert image.mean() > 60, "a black first frame is skipped"
    assert poster([video], [0, 1, 2]) is None
    (thumb,) = thumbnails([video], [150], crops={150: (0.25, 0.25, 0.75, 0.75)}).values()
    assert 'poster="' not in build_report(result, kneeling, video_name=None, poster=partial(poster, [video])), \
        "no poster without a video"
    small = cv2.imdecode(np.frombuffer(thumb, np.uint8), cv2.IMREAD_COLOR)
    assert small.shape[1] == 360 and small.shape[0] == 270
    assert small[135, 180].mean() > 200, "the crop is centred on the white square"
    page = Page(build_report(result, kneeling, poster=partial(poster, [video])))
    assert page.posters and page.posters[0].startswith("data:image/jpeg;base64,")


# --- the page, from hand-made result data ----------------------------------------------------------------
def test_page_has_its_sections_plots_and_the_result_numbers(kneeling: Exercise) -> None:
    result = hand_made_result(kneeling)
    text = build_report(result, kneeling)
    page = Page(text)
    assert page.sections == list(SECTIONS)
    plots = [src for src in page.images if src.startswith("data:image/png;base64,")]
    assert len(plots) == len(key_measures(kneeling)) == 3  # front knee, torso lean, back shin lift
    assert page.videos == ["annotated.webm"]
    assert_numbers_match(page, result)
    assert [p.split(":")[0] for p in page.paragraphs] == ["Left side", "Right side"]
    for step in kneeling.steps:
        assert step in text
    for note in kneeling.safety:
        assert note in text
    # Self-contained: nothing is fetched from the network.
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", text)


def test_page_escapes_text(kneeling: Exercise) -> None:
    result = hand_made_result(kneeling)
    result["exercise_name"] = "<script>alert(1)</script>"
    result["faults"][0]["cue"] = 'Knee "over" <ankle> & breathe'
    text = build_report(result, kneeling)
    assert "<script>" not in text
    assert "&lt;script&gt;" in text and "Knee &quot;over&quot; &lt;ankle&gt; &amp; breathe" in text


def test_a_report_failure_warns_and_keeps_the_other_outputs(
    kneeling: Exercise, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from posecoach.app import review

    def broken(*args: object, **kwargs: object) -> Path:
        raise RuntimeError("plots\nfailed")

    monkeypatch.setattr(review, "write_report", broken)
    (tmp_path / "result.json").write_text("{}")
    assert review._report(tmp_path, hand_made_result(kneeling), kneeling, None, tmp_path / "annotated.webm") is None
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "warning" in error and "report.html" in error and "plots failed" in error
    assert (tmp_path / "result.json").exists() and not (tmp_path / "report.html").exists()


# --- a real review of a sample clip ------------------------------------------------------------------------
@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], str]:
    out = tmp_path_factory.mktemp("report") / "review"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = main(["review", str(CLIP), "--exercise", "kneeling-hip-flexor", "--model", "lite", "--out", str(out),
                     "--no-progress", "--data-dir", str(out.parent / "data")])
    assert code == ExitCode.OK
    assert f"report: {out / 'report.html'}" in printed.getvalue()
    return out, json.loads((out / "result.json").read_text()), (out / "report.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_review_writes_a_report_that_agrees_with_result_json(reviewed: tuple[Path, dict[str, Any], str]) -> None:
    out, result, text = reviewed
    page = Page(text)
    assert page.sections == list(SECTIONS)
    assert sum(src.startswith("data:image/png;base64,") for src in page.images) == 3
    assert result["faults"], "the clip's front knee drifts: the review reports it"
    # One thumbnail of the worst frame for each fault, read back from the annotated video.
    assert sum(src.startswith("data:image/jpeg;base64,") for src in page.images) == len(result["faults"])
    assert page.videos == ["annotated.webm"] and (out / "annotated.webm").exists()
    # The video's poster is a still of the hold, not a black frame; the thumbnails are cut to the person.
    (poster,) = page.posters
    assert mean_of_jpeg(poster) > 40
    thumbs = [src for src in page.images if src.startswith("data:image/jpeg;base64,")]
    assert all(jpeg_shape(src)[0] != round(jpeg_shape(src)[1] * 480 / 640) for src in thumbs), "cropped"
    assert_numbers_match(page, result)
    for side, hold in result["holds"].items():
        paragraph = next(p for p in page.paragraphs if p.startswith(f"{side.capitalize()} side:"))
        assert f"{number(hold['good_form_seconds'], 1)} s of {number(hold['target_seconds'], 1)} s" in paragraph
    for fault in result["faults"]:
        assert fault["cue"] in text
    assert not list(out.glob(".*partial*"))


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium; .ci/run does)")
def test_report_renders_in_a_browser(reviewed: tuple[Path, dict[str, Any], str], tmp_path: Path) -> None:
    out, _, _ = reviewed
    shot = tmp_path / "report.png"
    assert CHROMIUM is not None
    subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}", "--window-size=1200,2400",
         (out / "report.html").resolve().as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    width, height, colours = png_facts(shot.read_bytes())
    assert (width, height) == (1200, 2400)
    assert colours > 50, "the screenshot is blank"


def png_facts(data: bytes) -> tuple[int, int, int]:
    """Width, height and the number of distinct colours of a PNG (Pillow comes with matplotlib)."""
    from PIL import Image

    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    with Image.open(io.BytesIO(data)) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 24) or []
        return image.width, image.height, len(colours)


def _jpeg(src: str) -> np.ndarray:
    import base64

    import cv2

    data = base64.b64decode(src.split(",", 1)[1])
    return cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)


def mean_of_jpeg(src: str) -> float:
    return float(_jpeg(src).mean())


def jpeg_shape(src: str) -> tuple[int, int]:
    """(height, width) of a JPEG data URI."""
    image = _jpeg(src)
    return int(image.shape[0]), int(image.shape[1])
