"""Importing pygame quietly: without its greeting line, which would break the CLI's one-line output."""

from __future__ import annotations

import os
from types import ModuleType


def pygame() -> ModuleType:
    """The pygame module (imported on first use, never at import time of posecoach)."""
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame as module

    return module
