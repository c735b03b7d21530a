"""`posecoach demo`: review the bundled sample clip, no camera needed.

The demo is a look at what posecoach does, not a session of the user's: it is never logged in the history,
and its summary says what the sample is, since a short sample clip never reaches a real hold's target.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from posecoach.app.context import Library, Model
from posecoach.app.review import Review, review
from posecoach.errors import InputError
from posecoach.resources import DEMO_CLIP, SAMPLE_VIDEOS, data_dir

DEMO_EXERCISE = "kneeling-hip-flexor"


def demo_clip() -> Path:
    clip = data_dir(SAMPLE_VIDEOS) / DEMO_CLIP
    if not clip.is_file():
        raise InputError(f"{clip}: the bundled sample clip is missing; reinstall posecoach")
    return clip


@dataclass(frozen=True)
class Demo:
    review: Review

    def summary_lines(self) -> list[str]:
        result = self.review.result
        seconds = result["summary"]["frames"] / result["fps"] if result["fps"] else 0.0
        name = result["exercise_name"].lower()
        target = max((hold["target_seconds"] for hold in result["holds"].values()), default=0.0)
        return [
            f"posecoach demo: a review of the bundled sample clip ({seconds:.0f} s of a rendered figure doing the "
            f"{name} on each side in turn; not logged in your history)",
            f"The sample holds each side for a few seconds only, so the times below fall short of the {target:.0f} s "
            f"target; in a real session you hold each side for {target:.0f} s, and only time in good form counts.",
            *self.review.summary_lines(),
            f"Next: `posecoach coach {DEMO_EXERCISE}` coaches you live from your camera; "
            f"`posecoach review VIDEO -e {DEMO_EXERCISE}` reviews a recording of yours.",
        ]


def demo(*, library: Library, model: Model, out_dir: Path, progress: bool = True) -> Demo:
    return Demo(review(demo_clip(), DEMO_EXERCISE, library=library, model=model, out_dir=out_dir, progress=progress))
