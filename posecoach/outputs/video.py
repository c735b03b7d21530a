"""The annotated video: each step drawn by the overlay, encoded as browser-playable WebM (VP8).

Drawing and encoding run in a thread of their own, fed through a short queue, so that they overlap with
pose estimation of the next frames instead of adding to it. PyAV drives libvpx in its real-time mode,
several times faster than OpenCV's writer, which offers no speed setting. A picture larger than the video
needs (a phone's 1080x1920) is scaled down to a 540-pixel short side before it is drawn on: the overlay is
laid out from the short side, so it looks the same, and drawing and encoding cost a quarter of the full
size. (With MediaPipe's PoseLandmarker as the pose stage, a phone video's review ran at 0.69-0.74 of bare
inference at a 720-pixel side and at 0.80-0.81 at 540: on two cores the encoder's share is what the pose
stage loses.)
"""

from __future__ import annotations

import queue
from fractions import Fraction
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

from posecoach.ahead import yield_cores
from posecoach.errors import InputError
from posecoach.outputs.atomic import AtomicFile
from posecoach.layout import picture_crop
from posecoach.overlay import Overlay
from posecoach.pipeline import Step

CODEC = "libvpx"
#: libvpx real-time mode at its fastest setting, on one thread: pose estimation needs the other cores,
#: and at this bit rate the overlay's lines and text stay clean.
CODEC_OPTIONS = {"deadline": "realtime", "cpu-used": "16", "threads": "1"}
#: Frames waiting to be drawn and encoded: room for a review's batch and then some, so that the producer
#: never waits on the encoder while the encoder could still be catching up.
QUEUE_FRAMES = 48
BITS_PER_PIXEL = 6.0  # per second at 30 fps: about 1.8 Mbit/s for 640x480
#: The annotated video's shorter side at most: the report shows the video at most 720 pixels wide, a phone's
#: screen about as wide; the overlay and the body read clearly at this size.
SHORT_SIDE = 540


def video_size(size: tuple[int, int], short_side: int = SHORT_SIDE) -> tuple[int, int]:
    """The annotated video's (width, height) for pictures of `size`: the same shape, the shorter side at
    most `short_side`, both even (as yuv420p needs)."""
    width, height = size
    scale = min(1.0, short_side / max(1, min(width, height)))
    w, h = max(2, int(round(width * scale))), max(2, int(round(height * scale)))
    return w - w % 2, h - h % 2


class AnnotatedVideo:
    """A sink that draws each step and writes it to `path` (published only when the run succeeds).

    `crops` holds, per frame written, the part of the picture that shows the person without the bar and
    the cue (x0, y0, x1, y1 as shares of the width and height), for stills of chosen moments."""

    def __init__(self, path: Path, overlay: Overlay, fps: float, size: tuple[int, int],
                 short_side: int = SHORT_SIDE) -> None:
        self.path = Path(path)
        self._overlay = overlay
        self._fps = fps
        self._source = size
        self._size = video_size(size, short_side)
        self.crops: list[tuple[float, float, float, float]] = []
        self._queue: queue.Queue[Step | None] = queue.Queue(maxsize=QUEUE_FRAMES)
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._file: AtomicFile | None = None
        self._frames = 0

    def __enter__(self) -> AnnotatedVideo:
        import av

        try:
            self._file = AtomicFile(self.path)
        except OSError as error:
            raise InputError(f"{self.path.parent}: cannot write here ({error.strerror}); choose another --out") from None
        try:
            container = av.open(str(self._file.temporary), mode="w", format="webm")
            # Millisecond rates keep odd frame rates (29.97) exact enough for playback.
            stream = container.add_stream(CODEC, rate=Fraction(round(self._fps * 1000), 1000))
        except (OSError, ValueError, av.error.FFmpegError) as error:  # type: ignore[attr-defined]
            self._file.discard()
            raise InputError(f"{self.path}: cannot write a WebM video here ({error}); choose another --out") from None
        width, height = self._size
        stream.width, stream.height = width, height
        stream.pix_fmt = "yuv420p"
        stream.bit_rate = int(BITS_PER_PIXEL * width * height)
        stream.options = dict(CODEC_OPTIONS)
        self._thread = threading.Thread(
            target=self._encode, args=(container, stream), name="video-encoder", daemon=True
        )
        self._thread.start()
        return self

    def _encode(self, container: Any, stream: Any) -> None:
        import av
        import cv2

        width, height = stream.width, stream.height
        # The encoder only has to keep up (its queue holds a couple of seconds): the pose stage goes first.
        yield_cores()
        try:
            while (step := self._queue.get()) is not None:
                image = step.observation.image
                assert image is not None
                if (image.shape[1], image.shape[0]) != (width, height):
                    # Bilinear: halving (a phone's 1080x1920 to 540x960) it averages each 2x2 block, as area
                    # averaging does, for less.
                    picture = cv2.resize(image, (width, height), interpolation=cv2.INTER_LINEAR)
                else:
                    picture = image.copy()
                layout = self._overlay.draw(picture, step)
                crop = picture_crop(layout)
                self.crops.append((crop.x0 / width, crop.y0 / height, crop.x1 / width, crop.y1 / height))
                # OpenCV's conversion to 4:2:0 is several times faster than PyAV's (swscale) from BGR.
                frame = av.VideoFrame.from_ndarray(cv2.cvtColor(picture, cv2.COLOR_BGR2YUV_I420), format="yuv420p")
                for packet in stream.encode(frame):
                    container.mux(packet)
            for packet in stream.encode():
                container.mux(packet)
        except BaseException as error:  # noqa: BLE001 - handed back to the producing thread
            self._error = error
            while self._queue.get() is not None:
                pass
        finally:
            container.close()

    def write(self, step: Step) -> None:
        if step.observation.image is None:
            raise ValueError("AnnotatedVideo needs observations that keep their images")
        if self._error is not None:
            raise self._error
        self._queue.put(step)
        self._frames += 1

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._queue.put(None)
        if self._thread is not None:
            self._thread.join()
        assert self._file is not None
        # Publishing happens on a clean exit only; otherwise the partial file is removed.
        if kind is None and self._error is None and self._frames > 0:
            self._file.commit()
        self._file.discard()
        if self._error is not None and kind is None:
            raise self._error
