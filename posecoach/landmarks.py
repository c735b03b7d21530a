"""The 33 BlazePose landmarks MediaPipe reports, and the names exercise specs use for them."""

from __future__ import annotations

from typing import Final

#: MediaPipe's landmark order; index i of every (33, ...) landmark array is NAMES[i].
NAMES: Final[tuple[str, ...]] = (
    "nose",
    "left_eye_inner", "left_eye", "left_eye_outer",
    "right_eye_inner", "right_eye", "right_eye_outer",
    "left_ear", "right_ear",
    "mouth_left", "mouth_right",
    "left_shoulder", "right_shoulder",
    "left_elbow", "right_elbow",
    "left_wrist", "right_wrist",
    "left_pinky", "right_pinky",
    "left_index", "right_index",
    "left_thumb", "right_thumb",
    "left_hip", "right_hip",
    "left_knee", "right_knee",
    "left_ankle", "right_ankle",
    "left_heel", "right_heel",
    "left_foot_index", "right_foot_index",
)
COUNT: Final = len(NAMES)
INDEX: Final[dict[str, int]] = {name: i for i, name in enumerate(NAMES)}

#: Body parts that come in a left/right pair; a spec names them with a side or role prefix ("front.knee").
PAIRED: Final[tuple[str, ...]] = (
    "eye_inner", "eye", "eye_outer", "ear", "shoulder", "elbow", "wrist", "pinky", "index", "thumb",
    "hip", "knee", "ankle", "heel", "foot_index",
)
#: Parts with no side, named bare ("nose").
UNPAIRED: Final[tuple[str, ...]] = ("nose",)
#: "mouth" pairs as mouth_left / mouth_right, so it is spelled out here rather than derived.
PAIR_INDEX: Final[dict[str, tuple[int, int]]] = {
    **{part: (INDEX[f"left_{part}"], INDEX[f"right_{part}"]) for part in PAIRED},
    "mouth": (INDEX["mouth_left"], INDEX["mouth_right"]),
}

#: Bones drawn by the overlay, as index pairs.
SKELETON: Final[tuple[tuple[int, int], ...]] = tuple(
    (INDEX[a], INDEX[b])
    for a, b in (
        ("left_shoulder", "right_shoulder"), ("left_hip", "right_hip"),
        ("left_shoulder", "left_hip"), ("right_shoulder", "right_hip"),
        ("left_shoulder", "left_elbow"), ("left_elbow", "left_wrist"),
        ("right_shoulder", "right_elbow"), ("right_elbow", "right_wrist"),
        ("left_hip", "left_knee"), ("left_knee", "left_ankle"),
        ("right_hip", "right_knee"), ("right_knee", "right_ankle"),
        ("left_ankle", "left_heel"), ("left_heel", "left_foot_index"), ("left_ankle", "left_foot_index"),
        ("right_ankle", "right_heel"), ("right_heel", "right_foot_index"), ("right_ankle", "right_foot_index"),
        ("left_ear", "left_eye"), ("right_ear", "right_eye"), ("left_eye", "nose"), ("right_eye", "nose"),
    )
)
