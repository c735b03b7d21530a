"""Silencing native library chatter (MediaPipe, LiteRT, FFmpeg) that goes straight to file descriptor 2.

Its INFO lines ignore the Python logging setup, so the only way to keep a one-line CLI is to point fd 2 at
/dev/null around the calls that print them (loading, the first inference, closing). FFmpeg inside OpenCV
also logs while a damaged file is read ("File ended prematurely"), from the decoding thread, where fd 2
cannot be borrowed; its own log level is set to quiet instead (`quiet_ffmpeg`).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator


#: OpenCV's variable for the log level of its FFmpeg, and FFmpeg's AV_LOG_QUIET.
FFMPEG_LOG_VARIABLE = "OPENCV_FFMPEG_LOGLEVEL"
FFMPEG_QUIET = "-8"


def quiet_ffmpeg() -> None:
    """Ask OpenCV's FFmpeg to print nothing of its own ("moov atom not found", "partial file"): posecoach
    says in one line what is wrong with a video. Called where a video is opened, never at import; OpenCV
    reads the variable once, when its FFmpeg first opens a file. A value the user set, and POSECOACH_DEBUG,
    leave FFmpeg's logging as it is."""
    if not os.environ.get("POSECOACH_DEBUG"):
        os.environ.setdefault(FFMPEG_LOG_VARIABLE, FFMPEG_QUIET)


@contextlib.contextmanager
def native_stderr_silenced() -> Iterator[None]:
    if os.environ.get("POSECOACH_DEBUG"):
        yield
        return
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)
