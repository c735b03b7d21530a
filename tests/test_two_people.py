"""Two people in view: review and live coaching follow one policy (no form judged, no hold time credited
while another person is in the picture), and review says what it did."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from posecoach.app import context
from posecoach.app.live import LiveOptions, coach_live
from posecoach.app.review import review
from posecoach.capture import FileCamera
from posecoach.coach.setup import CROWD
from posecoach.pipeline import Step
from tests.clips import write_video
from tests.conftest import SAMPLES

pytestmark = pytest.mark.slow

CLIP = SAMPLES / "kneeling-hip-flexor_good_side.mp4"
#: Until here a second person (the same figure, mirrored) kneels beside the first: the left side's hold.
SECOND_PERSON_UNTIL = 9.0


@pytest.fixture(scope="module")
def two_people(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample at 10 frames a second in a picture twice as wide: the left side with a second person
    beside, the right side alone."""
    import cv2

    capture = cv2.VideoCapture(str(CLIP))
    frames = []
    index = 0
    while True:
        ok, image = capture.read()
        if not ok:
            break
        if index % 3 == 0:
            t = index / 30
            other = image[:, ::-1] if t < SECOND_PERSON_UNTIL else np.full_like(image, image[5, 5])
            frames.append(np.ascontiguousarray(np.concatenate([image, other], axis=1)))
        index += 1
    capture.release()
    return write_video(tmp_path_factory.mktemp("clips") / "two.mp4", frames, fps=10)


@pytest.fixture(scope="module")
def reviewed(two_people: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return review(two_people, "kneeling-hip-flexor", library=context.library(), model=context.model("full"),
                  out_dir=tmp_path_factory.mktemp("review"), progress=False, report=False)


class Cues:
    def __init__(self) -> None:
        self.cues: list[tuple[float, str | None]] = []

    def write(self, step: Step) -> None:
        self.cues.append((step.state.t, step.state.cue))


@pytest.fixture(scope="module")
def coached(two_people: Path, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    cues = Cues()
    result = coach_live("kneeling-hip-flexor", FileCamera(two_people, speed=None), library=context.library(),
                        model=context.model("full"),
                        options=LiveOptions(data_dir=tmp_path_factory.mktemp("data"), sinks=(cues,)))
    return result, cues


def test_review_and_live_credit_the_same_hold_time(reviewed, coached) -> None:  # type: ignore[no-untyped-def]
    result, _ = coached
    live = {side: seconds for side, (seconds, *_rest) in result.runs[0].progress.items()}
    reviewed_holds = {side: hold["good_form_seconds"] for side, hold in reviewed.result["holds"].items()}
    assert live == pytest.approx(reviewed_holds, abs=0.15)
    assert reviewed_holds["left"] == 0.0  # not alone: neither judged nor credited
    assert reviewed_holds["right"] > 3.0  # alone in the picture: judged and credited


def test_live_asks_for_only_you_in_the_picture(coached) -> None:  # type: ignore[no-untyped-def]
    _, cues = coached
    assert any(cue == CROWD for t, cue in cues.cues if 3.0 <= t < SECOND_PERSON_UNTIL)
    assert all(cue != CROWD for t, cue in cues.cues if t >= SECOND_PERSON_UNTIL + 1.5)


def test_review_says_what_it_did(reviewed) -> None:  # type: ignore[no-untyped-def]
    spans = reviewed.result["several_people"]
    assert spans and spans[0]["start"] <= 3.0 and spans[-1]["end"] == pytest.approx(SECOND_PERSON_UNTIL, abs=1.1)
    line = next(line for line in reviewed.summary_lines() if "more than one person in view" in line)
    assert "no form was judged and no hold time counted then, as in live coaching" in line
    assert any(frame["cue"] == CROWD for frame in reviewed.result["frames"] if 3.0 <= frame["t"] < SECOND_PERSON_UNTIL)
