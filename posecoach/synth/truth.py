"""Per-frame truth of a clip: landmarks in 3D and in pixels, angles, side, faults and hold state."""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from posecoach.synth.angles import exercise_angles
from posecoach.synth.camera import Camera
from posecoach.synth.landmarks import NAMES
from posecoach.synth.pose import Side

WORLD_FRAME = ("metres; x: image-right along the floor, y: down (gravity), z: away from the camera along the "
               "floor; origin: mid-hip of the frame")
TRUTH_SUFFIX = ".truth.json.gz"
PIXEL_FRAME = "pixels; x right, y down; pixel (i, j) covers [i, i+1) x [j, j+1), so x_px = MediaPipe x * width"


@dataclass(frozen=True, slots=True)
class FrameTruth:
    """joints3d (33, 3) in WORLD_FRAME; joints2d (33, 2) in PIXEL_FRAME; angles by name."""

    t: float
    joints3d: npt.NDArray[np.float64]
    joints2d: npt.NDArray[np.float64]
    angles: dict[str, float]
    side: Side | None
    faults: tuple[str, ...]
    held: bool


def world_joints(scene_points: npt.NDArray[np.float64], camera: Camera) -> npt.NDArray[np.float64]:
    """(33, 3) scene-frame landmarks -> WORLD_FRAME."""
    right, away = camera.level_axes()
    origin = 0.5 * (scene_points[NAMES.index("left_hip")] + scene_points[NAMES.index("right_hip")])
    d = scene_points - origin
    return np.stack([d @ right, -d[:, 2], d @ away], axis=1)


def frame_truth(exercise: str, t: float, scene_points: npt.NDArray[np.float64], camera: Camera,
                side: Side | None, role: Side | None, faults: tuple[str, ...], held: bool) -> FrameTruth:
    """Truth of one frame; `role` binds the front/working roles of the angles (the side, or the nearest)."""
    j3 = world_joints(scene_points, camera)
    angles = exercise_angles(exercise, dict(zip(NAMES, j3)), role)
    return FrameTruth(t, j3, camera.project(scene_points), angles, side, faults if held else (), held)


def _r(x: float, digits: int) -> float:
    v = round(float(x), digits)
    return 0.0 if v == 0.0 else v  # no "-0.0" in the files


def frame_dict(f: FrameTruth) -> dict[str, Any]:
    """JSON-ready dict of one frame (3D to 0.1 mm, pixels to 0.01 px, angles to 3 decimals)."""
    return {
        "t": _r(f.t, 4),
        "joints3d": {n: [_r(v, 4) for v in p] for n, p in zip(NAMES, f.joints3d)},
        "joints2d": {n: [_r(v, 2) for v in p] for n, p in zip(NAMES, f.joints2d)},
        "angles": {k: _r(v, 3) for k, v in f.angles.items()},
        "side": f.side,
        "faults": list(f.faults),
        "held": f.held,
    }


def truth_json(meta: dict[str, Any], frames: list[FrameTruth]) -> str:
    """Compact JSON text of a clip's truth (metadata first, then `frames`)."""
    doc = {**meta, "world_frame": WORLD_FRAME, "pixel_frame": PIXEL_FRAME, "landmarks": list(NAMES),
           "frames": [frame_dict(f) for f in frames]}
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=True) + "\n"


def gzip_bytes(text: str) -> bytes:
    """Deterministic gzip of `text` (no timestamp, no file name in the header)."""
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def load_truth(path: str | Path) -> dict[str, Any]:
    """Read a truth file, gzipped (.json.gz) or plain (.json)."""
    p = Path(path)
    raw = p.read_bytes()
    if p.suffix == ".gz":
        raw = gzip.decompress(raw)
    return json.loads(raw.decode("utf-8"))
