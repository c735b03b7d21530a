"""The annotated video: each step drawn by the overlay, encoded as browser-playable WebM (VP8).

Encoding runs in a thread of its own, fed through a short queue, so that it overlaps with pose
estimation of the next frames instead of adding to it.
"""

from __future__ import annotations

import queue
import threading
from pathlib import Path
from types import TracebackType

import numpy as np

from posecoach.errors import InputError
from posecoach.outputs.atomic import AtomicFile
from posecoach.overlay import Overlay
from posecoach.pipeline import Step

FOURCC = "VP80"
_DONE = None


class AnnotatedVideo:
    """A sink that draws each step and writes it to `path` (published only when the run succeeds)."""

    def __init__(self, path: Path, overlay: Overlay, fps: float, size: tuple[int, int]) -> None:
        self.path = Path(path)
        self._overlay = overlay
        self._fps = fps
        self._size = size
        self._queue: queue.Queue[np.ndarray | None] = queue.Queue(maxsize=8)
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._file: AtomicFile | None = None
        self._frames = 0

    def __enter__(self) -> AnnotatedVideo:
        import cv2

        try:
            self._file = AtomicFile(self.path)
        except OSError as error:
            raise InputError(f"{self.path.parent}: cannot write here ({error.strerror}); choose another --out folder") from None
        writer = cv2.VideoWriter(str(self._file.temporary), cv2.VideoWriter_fourcc(*FOURCC), self._fps, self._size)
        if not writer.isOpened():
            self._file.discard()
            raise InputError(f"{self.path}: cannot write a WebM video here; choose another --out folder")
        self._thread = threading.Thread(target=self._encode, args=(writer,), name="video-encoder", daemon=True)
        self._thread.start()
        return self

    def _encode(self, writer: object) -> None:
        try:
            while (image := self._queue.get()) is not None:
                writer.write(image)  # type: ignore[attr-defined]
        except BaseException as error:  # noqa: BLE001 - handed back to the producing thread
            self._error = error
            while self._queue.get() is not None:
                pass
        finally:
            writer.release()  # type: ignore[attr-defined]

    def write(self, step: Step) -> None:
        image = step.observation.image
        if image is None:
            raise ValueError("AnnotatedVideo needs observations that keep their images")
        if self._error is not None:
            raise self._error
        self._queue.put(self._overlay.annotate(image.copy(), step))
        self._frames += 1

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._queue.put(_DONE)
        if self._thread is not None:
            self._thread.join()
        assert self._file is not None
        # Publishing happens on a clean exit only; otherwise the partial file is removed.
        if kind is None and self._error is None and self._frames > 0:
            self._file.commit()
        self._file.discard()
        if self._error is not None and kind is None:
            raise self._error
