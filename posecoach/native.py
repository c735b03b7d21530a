"""Silencing native library chatter (MediaPipe, LiteRT, FFmpeg) that goes straight to file descriptor 2.

Its INFO lines ignore the Python logging setup, so the only way to keep a one-line CLI is to point fd 2 at
/dev/null around the calls that print them (loading, the first inference, closing).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator


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
