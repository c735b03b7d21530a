"""Synthetic landmark tracks for headless tests: stick figures drawn in pixels on a 640x480 picture.

The kneeling side-view pose faces image-right: shoulder (305, 170), hip (300, 290), front knee (390, 290),
front ankle (390, 380), back knee (280, 380), back ankle (200, 380), nose (330, 120), ears (310, 125).
Pixels are turned into normalised image landmarks (33, 5) with visibility and presence 0.99.
"""

from __future__ import annotations

import math

import numpy as np

from posecoach.landmarks import COUNT, INDEX
from posecoach.records import PRESENCE, VISIBILITY, X, Y, Observation, Pose
from posecoach.resources import EXERCISE_SPECS, data_dir
from posecoach.rules.registry import RuleRegistry, builtin_rules
from posecoach.specs.loader import load
from posecoach.specs.schema import Exercise

WIDTH, HEIGHT = 640, 480
SIZE = (WIDTH, HEIGHT)
ASPECT = WIDTH / HEIGHT
SEEN = 0.99

HIP = (300.0, 290.0)
FRONT_KNEE = (390.0, 290.0)
BACK_KNEE = (280.0, 380.0)
BACK_ANKLE = (200.0, 380.0)
TORSO = 120.0
SHIN = 90.0
#: The lean of the reference shoulder (305, 170) over the hip (300, 290), in degrees.
DEFAULT_LEAN = math.degrees(math.atan2(5.0, TORSO))


def shipped(exercise_id: str, rules: RuleRegistry | None = None) -> Exercise:
    """One shipped exercise spec, loaded on its own."""
    catalogue = load([data_dir(EXERCISE_SPECS) / f"{exercise_id}.toml"], rules or builtin_rules())
    assert not catalogue.problems, catalogue.problems
    return catalogue.exercises[exercise_id]


def other(side: str) -> str:
    return "right" if side == "left" else "left"


def from_pixels(points: dict[str, tuple[float, float]], visibility: float = SEEN) -> np.ndarray:
    """(33, 5) landmarks from {name: (px, py)}; every landmark must be given."""
    missing = set(INDEX) - set(points)
    assert not missing, f"landmarks not placed: {sorted(missing)}"
    image = np.zeros((COUNT, 5), dtype=np.float32)
    for name, (px, py) in points.items():
        image[INDEX[name], X] = px / WIDTH
        image[INDEX[name], Y] = py / HEIGHT
    image[:, VISIBILITY] = visibility
    image[:, PRESENCE] = visibility
    return image


def kneeling_pixels(
    front: str = "left",
    front_knee_angle: float = 90.0,
    lean: float = DEFAULT_LEAN,
    *,
    shoulder_width: float = 4.0,
    mirror: bool = False,
) -> dict[str, tuple[float, float]]:
    """Pixel positions of a half-kneeling person seen from the side.

    front: the anatomical side of the front (raised) leg. front_knee_angle: hip-knee-ankle angle of the front
    leg, 90 = shin vertical, larger = the foot further forward. lean: torso lean from vertical in degrees,
    positive toward the front knee. shoulder_width: horizontal gap of the two shoulders in pixels (small
    side-on, large when the person turns toward the camera). mirror: the person faces image-left.
    """
    back = other(front)
    hx, hy = HIP
    shoulder = (hx + TORSO * math.sin(math.radians(lean)), hy - TORSO * math.cos(math.radians(lean)))
    theta = math.radians(front_knee_angle)
    kx, ky = FRONT_KNEE
    # The shin turns from the thigh's backward direction (-x) by theta, through straight down.
    front_ankle = (kx - SHIN * math.cos(theta), ky + SHIN * math.sin(theta))
    p: dict[str, tuple[float, float]] = {}
    p["nose"] = (shoulder[0] + 25.0, shoulder[1] - 50.0)
    ear = (shoulder[0] + 5.0, shoulder[1] - 45.0)
    for s, dx in (("left", -1.0), ("right", 1.0)):
        p[f"{s}_ear"] = (ear[0] + dx, ear[1])
        p[f"{s}_eye_inner"] = (p["nose"][0] - 3.0, p["nose"][1] - 6.0)
        p[f"{s}_eye"] = (p["nose"][0] - 5.0, p["nose"][1] - 6.0)
        p[f"{s}_eye_outer"] = (p["nose"][0] - 8.0, p["nose"][1] - 6.0)
    p["mouth_left"] = (p["nose"][0] - 2.0, p["nose"][1] + 12.0)
    p["mouth_right"] = (p["nose"][0] - 2.0, p["nose"][1] + 12.0)
    half = shoulder_width / 2.0
    for s, dx in (("left", -half), ("right", half)):
        sx, sy = shoulder[0] + dx, shoulder[1]
        p[f"{s}_shoulder"] = (sx, sy)
        p[f"{s}_elbow"] = (sx + 10.0, sy + 55.0)
        p[f"{s}_wrist"] = (sx + 20.0, sy + 105.0)
        for finger, off in (("pinky", 12.0), ("index", 14.0), ("thumb", 8.0)):
            p[f"{s}_{finger}"] = (sx + 22.0, sy + 105.0 + off)
        p[f"{s}_hip"] = (hx, hy)
    p[f"{front}_knee"] = FRONT_KNEE
    p[f"{front}_ankle"] = front_ankle
    p[f"{front}_heel"] = (front_ankle[0] - 8.0, front_ankle[1] + 5.0)
    p[f"{front}_foot_index"] = (front_ankle[0] + 25.0, front_ankle[1] + 8.0)
    p[f"{back}_knee"] = BACK_KNEE
    p[f"{back}_ankle"] = BACK_ANKLE
    p[f"{back}_heel"] = (BACK_ANKLE[0] - 5.0, BACK_ANKLE[1] - 8.0)
    p[f"{back}_foot_index"] = (BACK_ANKLE[0] - 25.0, BACK_ANKLE[1] + 5.0)
    if mirror:
        p = {name: (WIDTH - x, y) for name, (x, y) in p.items()}
    return p


def kneeling(
    front: str = "left",
    front_knee_angle: float = 90.0,
    lean: float = DEFAULT_LEAN,
    *,
    shoulder_width: float = 4.0,
    mirror: bool = False,
) -> np.ndarray:
    """(33, 5) normalised landmarks of the kneeling pose (see `kneeling_pixels`)."""
    return from_pixels(kneeling_pixels(front, front_knee_angle, lean, shoulder_width=shoulder_width, mirror=mirror))


def with_visibility(image: np.ndarray, name: str, visibility: float) -> np.ndarray:
    """A copy of `image` with one landmark's visibility and presence set."""
    out = image.copy()
    out[INDEX[name], VISIBILITY] = visibility
    out[INDEX[name], PRESENCE] = visibility
    return out


def moved(image: np.ndarray, name: str, px: float, py: float) -> np.ndarray:
    """A copy of `image` with one landmark placed at pixel (px, py)."""
    out = image.copy()
    out[INDEX[name], X] = px / WIDTH
    out[INDEX[name], Y] = py / HEIGHT
    return out


#: World depth of the left and right landmarks: a person side-on to the camera has the left side 20 cm
#: nearer (or further) than the right, so the shoulder line runs along the camera's depth axis.
HALF_BODY_DEPTH = 0.1


def world_of(image: np.ndarray) -> np.ndarray:
    """(33, 3) rough world metres for an image pose seen side-on: hip-centred, about 1.4 px per centimetre,
    the left landmarks nearer the camera than the right."""
    world = np.zeros((COUNT, 3), dtype=np.float32)
    world[:, 0] = (image[:, X] * WIDTH - HIP[0]) / 140.0
    world[:, 1] = (image[:, Y] * HEIGHT - HIP[1]) / 140.0
    for name, i in INDEX.items():
        if name.startswith("left_"):
            world[i, 2] = -HALF_BODY_DEPTH
        elif name.startswith("right_"):
            world[i, 2] = HALF_BODY_DEPTH
    return world


def observe(image: np.ndarray | None, t: float, index: int = 0, *, people: int | None = None) -> Observation:
    """An observation at time t of the pose `image` (None: nobody in the picture)."""
    if image is None:
        return Observation(index, t, SIZE, None, people=0 if people is None else people)
    pose = Pose(image.astype(np.float32), world_of(image))
    return Observation(index, t, SIZE, pose, people=1 if people is None else people)


def track(images: list[np.ndarray] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(T, 33, 5) image and (T, 33, 3) world arrays for a list of poses."""
    image = np.stack([np.asarray(i, dtype=np.float32) for i in images])
    world = np.stack([world_of(i) for i in image])
    return image, world
