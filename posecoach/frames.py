"""Frame sources: a recorded video file (and, through the same interface, a camera).

A source is a context manager that yields `Frame`s with strictly increasing timestamps taken from the
container, never from the wall clock, so that a replay gives the same result twice.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Protocol

import numpy as np

from posecoach.ahead import ahead
from posecoach.errors import InputError
from posecoach.native import native_stderr_silenced, quiet_ffmpeg
from posecoach.records import Frame

#: The fallback when a container reports no usable frame rate.
DEFAULT_FPS = 30.0
#: A decode that stops before this share of the frames the container announced is a truncated file.
TRUNCATED_BELOW = 0.9


class FrameSource(Protocol):
    """What the pipeline reads frames from."""

    @property
    def fps(self) -> float: ...

    @property
    def size(self) -> tuple[int, int]: ...

    def __iter__(self) -> Iterator[Frame]: ...


class MonotonicClock:
    """Turns container timestamps, which may repeat, be zero or jump back, into strictly increasing ones."""

    def __init__(self, fps: float) -> None:
        self._step = 1.0 / fps
        self._last: float | None = None

    def __call__(self, reported: float, index: int) -> float:
        t = reported if math.isfinite(reported) and reported >= 0 else index * self._step
        if self._last is not None and t <= self._last:
            # A repeated or backward stamp: move on by one nominal frame so timing stays plausible.
            t = self._last + self._step
        self._last = t
        return t


class VideoFile:
    """Frames of a recorded video, decoded with OpenCV."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._capture: object | None = None
        self._fps = DEFAULT_FPS
        self._size = (0, 0)
        self._announced = 0

    def __enter__(self) -> VideoFile:
        import cv2

        if not self.path.exists():
            raise InputError(f"{self.path}: no such file; give the path of a recorded video (MP4, WebM, AVI, MOV)")
        if self.path.is_dir():
            raise InputError(f"{self.path}: is a folder; give the path of a video file")
        quiet_ffmpeg()
        # Opening is where OpenCV and FFmpeg complain most (several backends tried, "moov atom not found"),
        # also when FFmpeg's log level was fixed before quiet_ffmpeg could set it.
        with native_stderr_silenced():
            capture = cv2.VideoCapture(str(self.path))
        if not capture.isOpened():
            capture.release()
            raise InputError(
                f"{self.path}: not a video posecoach can decode (it may be truncated or in an unknown format); "
                "try an MP4, WebM or AVI file"
            )
        fps = capture.get(cv2.CAP_PROP_FPS)
        self._fps = fps if math.isfinite(fps) and 1.0 <= fps <= 1000.0 else DEFAULT_FPS
        self._size = (int(capture.get(cv2.CAP_PROP_FRAME_WIDTH)), int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT)))
        count = capture.get(cv2.CAP_PROP_FRAME_COUNT)
        self._announced = int(count) if math.isfinite(count) and count > 0 else 0
        self._capture = capture
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._capture is not None:
            self._capture.release()  # type: ignore[attr-defined]
            self._capture = None

    @property
    def fps(self) -> float:
        return self._fps

    @property
    def size(self) -> tuple[int, int]:
        return self._size

    @property
    def frame_count(self) -> int:
        """The number of frames the container announces (0 when it does not say)."""
        return self._announced

    def __iter__(self) -> Iterator[Frame]:
        import cv2

        capture = self._capture
        if capture is None:
            raise RuntimeError("VideoFile must be opened with `with` before reading")
        clock = MonotonicClock(self._fps)
        index = 0
        while True:
            ok, image = capture.read()  # type: ignore[attr-defined]
            if not ok or image is None:
                break
            reported = capture.get(cv2.CAP_PROP_POS_MSEC) / 1000.0  # type: ignore[attr-defined]
            yield Frame(index=index, t=clock(reported, index), image=np.ascontiguousarray(image))
            index += 1
        if index == 0:
            raise InputError(
                f"{self.path}: no frame could be decoded (the file may be truncated or not a video); "
                "record or export it again"
            )
        if self._announced and index < TRUNCATED_BELOW * self._announced:
            raise InputError(
                f"{self.path}: decoding stopped at frame {index} of {self._announced}, the file looks truncated; "
                "record or export it again"
            )


def prefetched(frames: Iterable[Frame], depth: int = 4) -> Iterator[Frame]:
    """Decode ahead in a thread (OpenCV releases the GIL while decoding), so the next frame is ready when
    the pose stage asks; errors from the source are raised in the reading thread, in order. The decoder
    is scheduled below the pose stage: a few frames ahead, it has time to spare."""
    return ahead(frames, depth, name="frame-decoder", background=True)
