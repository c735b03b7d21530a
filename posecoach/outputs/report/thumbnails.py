"""Thumbnails of chosen frames as JPEG: read from a video after the run, or, for a landmark file, the
skeleton drawn as the overlay draws it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from posecoach.overlay import Overlay
    from posecoach.pipeline import Step

WIDTH = 360
JPEG_QUALITY = 85
#: The backdrop a skeleton is drawn on when there is no picture (BGR).
BACKDROP = (46, 42, 40)
#: Pictures of frames by index: how a report gets the thumbnails it shows, whatever they are drawn from.
Pictures = Callable[[Iterable[int]], dict[int, bytes]]


class StepArchive:
    """A sink that keeps every step (without pictures): a review of a landmark file draws its report's
    thumbnails from them once it knows which frames are wanted."""

    def __init__(self) -> None:
        self.steps: list[Step] = []

    def write(self, step: Step) -> None:
        self.steps.append(step)


def skeleton_thumbnails(
    steps: Sequence[Step], indices: Iterable[int], *, overlay: Overlay, size: tuple[int, int], width: int = WIDTH
) -> dict[int, bytes]:
    """JPEG bytes of the frames at `indices`: the overlay drawn on a plain backdrop of the clip's shape."""
    import cv2

    height = max(1, round(size[1] * width / size[0]))
    found: dict[int, bytes] = {}
    for index in set(indices):
        if not 0 <= index < len(steps):
            continue
        canvas = np.empty((height, width, 3), np.uint8)
        canvas[:] = BACKDROP
        ok, encoded = cv2.imencode(".jpg", overlay.annotate(canvas, steps[index]),
                                   [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
        if ok:
            found[index] = encoded.tobytes()
    return found


def thumbnails(videos: Sequence[Path], indices: Iterable[int], width: int = WIDTH) -> dict[int, bytes]:
    """JPEG bytes of the frames at `indices` (0-based decode order), from the first video that has them:
    the annotated video first (its frames carry the overlay), then the source. Frames no video has are
    left out."""
    wanted = set(indices)
    found: dict[int, bytes] = {}
    for video in videos:
        missing = wanted - set(found)
        if not missing:
            break
        if Path(video).is_file():
            found.update(_grab(Path(video), missing, width))
    return found


def _grab(video: Path, indices: set[int], width: int) -> dict[int, bytes]:
    import cv2

    capture = cv2.VideoCapture(str(video))
    found: dict[int, bytes] = {}
    try:
        last = max(indices)
        index = 0
        while index <= last:
            if index in indices:
                ok, image = capture.read()
                if not ok or image is None:
                    break
                height = max(1, round(image.shape[0] * width / image.shape[1]))
                small = cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)
                ok, encoded = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
                if ok:
                    found[index] = encoded.tobytes()
            elif not capture.grab():
                break
            index += 1
    finally:
        capture.release()
    return found
