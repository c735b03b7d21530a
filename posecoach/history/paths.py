"""Where the history database lives: `--data-dir`, else POSECOACH_DATA_DIR, else the user data folder."""

from __future__ import annotations

from pathlib import Path

from posecoach.resources import user_data_dir

DB_NAME = "history.db"


def default_data_dir() -> Path:
    """POSECOACH_DATA_DIR when set, otherwise the platform's user data folder for posecoach."""
    return user_data_dir()


def data_dir(explicit: Path | None = None) -> Path:
    """The folder given on the command line, or the default one."""
    return Path(explicit).expanduser() if explicit is not None else default_data_dir()


def database_path(explicit: Path | None = None) -> Path:
    return data_dir(explicit) / DB_NAME
