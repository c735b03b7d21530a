"""Where the shipped data lives: inside the package when installed from a wheel, at the top of a checkout
when installed in editable mode or run from the source tree."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

#: The folders shipped with posecoach, by their name at the top of the repository.
MODELS = "models"
EXERCISE_SPECS = "exercise_specs"
SAMPLE_VIDEOS = "sample_videos"

DEMO_CLIP = "kneeling-hip-flexor_good_side.mp4"


def data_dir(name: str) -> Path:
    """The folder `name` (one of MODELS, EXERCISE_SPECS, SAMPLE_VIDEOS), installed copy first."""
    installed = Path(str(resources.files("posecoach"))) / "_data" / name
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parent.parent / name
