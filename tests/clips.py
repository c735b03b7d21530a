"""Small videos the tests write themselves: a plain room with nobody in it, broken files."""

from __future__ import annotations

from pathlib import Path

import numpy as np


def write_video(path: Path, frames: list[np.ndarray], fps: float = 30.0, fourcc: str = "mp4v") -> Path:
    import cv2

    height, width = frames[0].shape[:2]
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*fourcc), fps, (width, height))
    for frame in frames:
        writer.write(frame)
    writer.release()
    return path


def read_video(path: Path, stop: int | None = None) -> list[np.ndarray]:
    """The first `stop` frames of a video (all of them by default), as OpenCV decodes them (BGR)."""
    import cv2

    capture = cv2.VideoCapture(str(path))
    frames: list[np.ndarray] = []
    while stop is None or len(frames) < stop:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(frame)
    capture.release()
    return frames


def empty_room(path: Path, count: int = 30, fourcc: str = "mp4v") -> Path:
    """A wall and a floor, no person."""
    frames = []
    for i in range(count):
        frame = np.full((240, 320, 3), (200, 205, 210), np.uint8)
        frame[170:] = (120, 135, 150)
        frame[:, (i * 3) % 320] = (180, 180, 180)
        frames.append(frame)
    return write_video(path, frames, fourcc=fourcc)


def truncated(source: Path, path: Path, keep: float = 0.5) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path
