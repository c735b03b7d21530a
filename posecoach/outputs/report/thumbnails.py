"""Stills of chosen frames as JPEG: thumbnails of moments read from a video after the run (cut to the
person when the crop is known) or, for a landmark file, the skeleton drawn as the overlay draws it; and the
video's poster."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from posecoach.overlay import Overlay
    from posecoach.pipeline import Step

WIDTH = 360
POSTER_WIDTH = 720
JPEG_QUALITY = 85
#: A poster darker than this (mean of 0..255) is taken for a black frame and the next candidate is tried.
DARK_BELOW = 24.0
#: The backdrop a skeleton is drawn on when there is no picture (BGR).
BACKDROP = (46, 42, 40)
#: Pictures of frames by index: how a report gets the thumbnails it shows, whatever they are drawn from.
Pictures = Callable[[Iterable[int]], dict[int, bytes]]
#: A poster from the first of the frames offered (best first) that makes one.
Poster = Callable[[Sequence[int]], "bytes | None"]
#: A part of a picture as shares of its width and height: (x0, y0, x1, y1).
Crop = tuple[float, float, float, float]


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


def thumbnails(videos: Sequence[Path], indices: Iterable[int], width: int = WIDTH,
               crops: Sequence[Crop] | Mapping[int, Crop] = ()) -> dict[int, bytes]:
    """JPEG bytes of the frames at `indices` (0-based decode order), from the first video that has them:
    the annotated video first (its frames carry the overlay), then the source. A frame with a crop (by
    index) is cut to it first, so a thumbnail shows the person, not the cue's strip. Frames no video has
    are left out."""
    wanted = set(indices)
    found: dict[int, bytes] = {}
    for video in videos:
        missing = wanted - set(found)
        if not missing:
            break
        if Path(video).is_file():
            for index, image in _grab(Path(video), missing).items():
                encoded = _jpeg(_cropped(image, _crop_of(crops, index)), width)
                if encoded is not None:
                    found[index] = encoded
    return found


def poster(videos: Sequence[Path], candidates: Sequence[int], width: int = POSTER_WIDTH) -> bytes | None:
    """A JPEG of the first of `candidates` (frame indices, best first) that is not black, from the first
    video that has one; None when none has."""
    for video in videos:
        if not Path(video).is_file():
            continue
        images = _grab(Path(video), set(candidates))
        for index in candidates:
            image = images.get(index)
            if image is not None and float(image[::8, ::8].mean()) >= DARK_BELOW:
                return _jpeg(image, width)
    return None


def _crop_of(crops: Sequence[Crop] | Mapping[int, Crop], index: int) -> Crop | None:
    if isinstance(crops, Mapping):
        return crops.get(index)
    return crops[index] if 0 <= index < len(crops) else None


def _cropped(image: Any, crop: Crop | None) -> Any:
    if crop is None:
        return image
    h, w = image.shape[:2]
    x0, y0, x1, y1 = int(crop[0] * w), int(crop[1] * h), int(round(crop[2] * w)), int(round(crop[3] * h))
    if x1 - x0 < 16 or y1 - y0 < 16:
        return image
    return image[y0:y1, x0:x1]


def _jpeg(image: Any, width: int) -> bytes | None:
    import cv2

    height = max(1, round(image.shape[0] * width / image.shape[1]))
    interpolation = cv2.INTER_AREA if width < image.shape[1] else cv2.INTER_LINEAR
    small = cv2.resize(image, (width, height), interpolation=interpolation)
    ok, encoded = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])
    return encoded.tobytes() if ok else None


def _grab(video: Path, indices: set[int]) -> dict[int, Any]:
    """The decoded frames at `indices` (BGR arrays)."""
    import cv2

    capture = cv2.VideoCapture(str(video))
    found: dict[int, Any] = {}
    try:
        last = max(indices, default=-1)
        index = 0
        while index <= last:
            if index in indices:
                ok, image = capture.read()
                if not ok or image is None:
                    break
                found[index] = image
            elif not capture.grab():
                break
            index += 1
    finally:
        capture.release()
    return found
