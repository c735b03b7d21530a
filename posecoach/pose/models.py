"""Finding and checking the pose model bundle (`.task`) that the pose stage loads."""

from __future__ import annotations

import zipfile
from pathlib import Path

from posecoach.errors import ModelError
from posecoach.resources import MODELS, data_dir

NAMED = ("lite", "full", "heavy")
DEFAULT = "full"
#: What a PoseLandmarker bundle must hold.
MEMBERS = frozenset({"pose_detector.tflite", "pose_landmarks_detector.tflite"})


def rebuild_hint(name: str) -> str:
    return f"rebuild it with `python models/build_models.py {name}` from a posecoach checkout"


def resolve(choice: str) -> Path:
    """The bundle for `choice`: one of lite / full / heavy, or the path of a `.task` file.

    Raises ModelError naming the path and how to get a working file.
    """
    if choice in NAMED:
        path = data_dir(MODELS) / f"pose_landmarker_{choice}.task"
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
