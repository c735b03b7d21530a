"""SQLite errors as one-line `DataError`s that say what happened to the history file and what to do."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from posecoach.errors import DataError

_BUSY = {"SQLITE_BUSY", "SQLITE_LOCKED"}
_DAMAGED = {"SQLITE_NOTADB", "SQLITE_CORRUPT"}


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__


class BusyError(DataError):
    """Another program holds the history database locked (waiting longer may help)."""


class DamagedError(DataError):
    """The history database file is damaged; nothing may be written into it."""


def damaged(path: Path, detail: str) -> DamagedError:
    return DamagedError(
        f"{path}: the history database is damaged ({detail}); move it aside and posecoach will start a new one; "
        "your older sessions stay in the moved file"
    )


def translate(error: sqlite3.Error, path: Path, action: str, timeout: float) -> DataError:
    """The `DataError` for a SQLite error met while doing `action` ("open", "write", "read")."""
    name = getattr(error, "sqlite_errorname", "") or ""
    detail = _one_line(error)
    if name in _BUSY or "locked" in detail:
        return BusyError(
            f"{path}: the history database is busy (another program kept it locked for more than {timeout:g} s); "
            "close other posecoach sessions and try again"
        )
    if name.startswith(tuple(_DAMAGED)) or "not a database" in detail or "malformed" in detail:
        return damaged(path, detail)
    if name == "SQLITE_FULL":
        return DataError(f"{path}: cannot {action} the history database, the disk is full; free some space and try again")
    return DataError(
        f"{path}: cannot {action} the history database ({detail}); check that its folder is writable "
        "or give another --data-dir"
    )
