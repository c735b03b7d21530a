"""Writing files so that a failure never leaves half of one behind: write beside, then rename.

Nothing half-done stays either: the folders a file needed are made for it and removed again, if still
empty, when it is discarded, and the file gets the permissions the user's umask gives any new file.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from posecoach.errors import InputError

#: Tries at a fresh temporary name before giving up (each is 32 random bits, so one is nearly always enough).
NAME_TRIES = 100


def _make_folders(folder: Path) -> list[Path]:
    """Create `folder` and its missing parents; returns the ones created, outermost first."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    if missing:
        missing[0].mkdir(parents=True, exist_ok=True)
    return missing[::-1]


def _remove_empty(folders: list[Path]) -> None:
    for folder in reversed(folders):
        try:
            folder.rmdir()
        except OSError:  # no longer empty (another file went there) or already gone: leave it
            return


def _create_beside(target: Path) -> Path:
    """A new empty file next to `target`, named after it. Created with mode 0666 so that the umask decides its
    permissions, as it would for `target` itself (mkstemp makes 0600 files, which a rename keeps)."""
    for _ in range(NAME_TRIES):
        path = target.parent / f".{target.stem}.{secrets.token_hex(4)}.partial{target.suffix}"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return path
    raise FileExistsError(f"{target.parent}: no free temporary name for {target.name}")


class AtomicFile:
    """A temporary path beside `target` (same suffix, so encoders pick the right format) that becomes
    `target` on `commit()` and disappears on `discard()`, with any folder made for it that is still empty."""

    def __init__(self, target: Path) -> None:
        self.target = Path(target)
        self._made = _make_folders(self.target.parent)
        try:
            self.temporary = _create_beside(self.target)
        except BaseException:
            _remove_empty(self._made)
            raise

    def commit(self) -> None:
        os.replace(self.temporary, self.target)
        self._made = []  # the folders now hold the file

    def discard(self) -> None:
        self.temporary.unlink(missing_ok=True)
        _remove_empty(self._made)
        self._made = []


def write_text(target: Path, text: str) -> None:
    file = AtomicFile(target)
    try:
        file.temporary.write_text(text, encoding="utf-8")
        file.commit()
    finally:
        file.discard()


def check_writable(path: Path, option: str) -> None:
    """Raise InputError unless a file can be written at `path` (given as `option`), without writing anything:
    for outputs that are written only after a long run."""
    if path.is_dir():
        raise InputError(f"{option} {path}: is a folder; give the path of a file (in it or elsewhere)")
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise InputError(f"{option} {path}: {folder} is a file, not a folder; give a path inside a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"{option} {path}: {folder} is not writable; give a path in a folder you can write to")
