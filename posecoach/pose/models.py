"""Finding and checking the pose model bundle (`.task`) that the pose stage loads."""

from __future__ import annotations

import zipfile
from pathlib import Path

from posecoach.errors import ModelError
from posecoach.resources import MODELS, data_dir, installed, user_data_dir

NAMED = ("lite", "full", "heavy")
#: The named models posecoach ships; the others are built on request (heavy: about 30 MB, and no better here).
SHIPPED = ("lite", "full")
DEFAULT = "full"
#: What a PoseLandmarker bundle must hold.
MEMBERS = frozenset({"pose_detector.tflite", "pose_landmarks_detector.tflite"})


def user_models_dir() -> Path:
    """Where the user puts named models posecoach does not ship: `models/` in the posecoach data folder."""
    return user_data_dir() / MODELS


def file_name(name: str) -> str:
    return f"pose_landmarker_{name}.task"


def model_folders(name: str) -> list[Path]:
    """Where the named model is looked for, in order: the user's models folder (their own copy wins), then
    the shipped models, or for a model that is not shipped the checkout's `models/`, where
    `models/build_models.py` writes. An installed package's own folder is never where a user's model goes."""
    folders = [user_models_dir()]
    if name in SHIPPED or not installed():
        folders.append(data_dir(MODELS))
    return folders


def rebuild_hint(name: str) -> str:
    if name in SHIPPED:
        return f"rebuild it with `python models/build_models.py {name}` from a posecoach checkout, or reinstall posecoach"
    if installed():
        return (f"the {name} model is not shipped: build it from a posecoach checkout with "
                f"`python models/build_models.py {name} --out {user_models_dir()}`, or pass --model PATH of a .task file")
    return (f"the {name} model is not shipped: build it with `python models/build_models.py {name}` (into "
            f"{data_dir(MODELS)}) or put {file_name(name)} in {user_models_dir()}, or pass --model PATH of a .task file")


def resolve(choice: str) -> Path:
    """The bundle for `choice`: one of lite / full / heavy, or the path of a `.task` file.

    Raises ModelError naming the path and how to get a working file.
    """
    if choice in NAMED:
        candidates = [folder / file_name(choice) for folder in model_folders(choice)]
        path = next((c for c in candidates if c.is_file()), candidates[-1])
        hint = rebuild_hint(choice)
    else:
        path = Path(choice).expanduser()
        hint = f"pass --model {'|'.join(NAMED)} or the path of a PoseLandmarker .task file"
        if path.suffix != ".task" and not path.exists():
            raise ModelError(f"--model {choice!r}: not a model name or an existing file; {hint}")
    if not path.is_file():
        raise ModelError(f"{path}: model file is missing; {hint}")
    try:
        with zipfile.ZipFile(path) as bundle:
            names = set(bundle.namelist())
            damaged = bundle.testzip()
    except (zipfile.BadZipFile, OSError) as error:
        raise ModelError(f"{path}: model file is corrupt ({error}); {hint}") from None
    if damaged is not None:
        raise ModelError(f"{path}: model file is corrupt (bad member {damaged}); {hint}")
    missing = sorted(MEMBERS - names)
    if missing:
        raise ModelError(f"{path}: not a PoseLandmarker bundle (missing {', '.join(missing)}); {hint}")
    return path


def label(choice: str, path: Path) -> str:
    """How reports name the model: the short name when one was used, else the file name."""
    return choice if choice in NAMED else path.name
