"""`posecoach demo`: review the bundled sample clip, no camera needed."""

from __future__ import annotations

from pathlib import Path

from posecoach.app.context import Library, Model
from posecoach.app.review import Review, review
from posecoach.errors import InputError
from posecoach.history.store import History
from posecoach.resources import DEMO_CLIP, SAMPLE_VIDEOS, data_dir

DEMO_EXERCISE = "kneeling-hip-flexor"


def demo_clip() -> Path:
    clip = data_dir(SAMPLE_VIDEOS) / DEMO_CLIP
    if not clip.is_file():
        raise InputError(f"{clip}: the bundled sample clip is missing; reinstall posecoach")
    return clip


def demo(
    *, library: Library, model: Model, out_dir: Path, progress: bool = True, history: History | None = None
) -> Review:
    return review(demo_clip(), DEMO_EXERCISE, library=library, model=model, out_dir=out_dir, progress=progress,
                  history=history)
