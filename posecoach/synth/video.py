"""MP4 encoding of rendered frames with OpenCV (mp4v), written atomically."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from posecoach.synth.atomic import commit, temp_path

GOP_FRAMES = 300


def write_mp4(path: Path, frames: Iterable[npt.NDArray[np.uint8]], fps: float, size: tuple[int, int]) -> int:
    """Encode BGR frames (height, width, 3) uint8 of `size` = (width, height); returns the frame count."""
    tmp = temp_path(path)
    # A long GOP: the clips are mostly still holds, and every key frame costs as much as a second of motion.
    params = [cv2.VIDEOWRITER_PROP_GOP_SIZE, GOP_FRAMES]
    writer = cv2.VideoWriter(str(tmp), cv2.CAP_FFMPEG, cv2.VideoWriter_fourcc(*"mp4v"), float(fps), size, params)
    if not writer.isOpened():
        raise RuntimeError(f"cannot open a video writer for {tmp}")
    count = 0
    try:
        for frame in frames:
            writer.write(frame)
            count += 1
    finally:
        writer.release()
    commit(tmp, path)
    return count
