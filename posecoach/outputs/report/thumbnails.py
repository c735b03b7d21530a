"""Thumbnails of chosen frames, read from a video after the run and encoded as JPEG."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

WIDTH = 360
JPEG_QUALITY = 85


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
