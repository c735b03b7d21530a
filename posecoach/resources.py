"""Where the shipped data lives: inside the package when installed from a wheel, at the top of a checkout
when installed in editable mode or run from the source tree."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

#: The folders shipped with posecoach, by their name at the top of the repository.
MODELS = "models"
EXERCISE_SPECS = "exercise_specs"
SAMPLE_VIDEOS = "sample_videos"

DEMO_CLIP = "kneeling-hip-flexor_good_side.mp4"
DATA_DIR_ENV = "POSECOACH_DATA_DIR"


def _installed_data() -> Path:
    return Path(str(resources.files("posecoach"))) / "_data"


def installed() -> bool:
    """True when posecoach runs from an installed wheel (its data inside the package), False from a checkout."""
    return _installed_data().is_dir()


def data_dir(name: str) -> Path:
    """The folder `name` (one of MODELS, EXERCISE_SPECS, SAMPLE_VIDEOS), installed copy first."""
    installed_copy = _installed_data() / name
    if installed_copy.is_dir():
        return installed_copy
    return Path(__file__).resolve().parent.parent / name


def user_data_dir() -> Path:
    """The user's own posecoach folder (history, models they add): POSECOACH_DATA_DIR when set, otherwise the
    platform's user data folder."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir as platform_user_data_dir

    return Path(platform_user_data_dir("posecoach", appauthor=False))
