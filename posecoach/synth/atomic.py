"""Atomic file output: write beside the target, then rename over it, so readers never see half a file."""

from __future__ import annotations

import os
from pathlib import Path


def temp_path(path: Path) -> Path:
    """A hidden sibling of `path` keeping its suffix (video writers pick the container by extension)."""
    return path.with_name(f".{path.stem}.partial{path.suffix}")


def commit(tmp: Path, path: Path) -> None:
    """Move a finished temp file into place."""
    os.replace(tmp, path)


def write_text(path: Path, text: str) -> None:
    """Write UTF-8 text atomically, with LF line ends."""
    tmp = temp_path(path)
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    commit(tmp, path)


def write_bytes(path: Path, data: bytes) -> None:
    """Write bytes atomically."""
    tmp = temp_path(path)
    tmp.write_bytes(data)
    commit(tmp, path)
