"""Shared fixtures: headless settings, private user folders and small clips the tests make themselves."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

# Tests never open a real window or audio device.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_videos"

#: Every variable through which posecoach or a library it uses (platformdirs, matplotlib) finds the user's
#: own folders, and where it points during a test session (relative to the session's private folder).
USER_FOLDERS = {
    "HOME": "home",
    "XDG_DATA_HOME": "home/.local/share",
    "XDG_CACHE_HOME": "home/.cache",
    "XDG_CONFIG_HOME": "home/.config",
    "XDG_STATE_HOME": "home/.local/state",
    "MPLCONFIGDIR": "home/.config/matplotlib",
    "POSECOACH_DATA_DIR": "data",
    "POSECOACH_CACHE_DIR": "cache",
}
_SAVED = pytest.StashKey[tuple[Path, dict[str, str | None]]]()


def pytest_configure(config: pytest.Config) -> None:
    """Point every user folder at a private folder for the whole session, before any fixture runs: a
    module- or session-scoped fixture (a review run once for a module) would otherwise reach the real
    history database, cache or matplotlib configuration before a function-scoped fixture could move it."""
    root = Path(tempfile.mkdtemp(prefix="posecoach-tests-"))
    saved = {name: os.environ.get(name) for name in USER_FOLDERS}
    for name, relative in USER_FOLDERS.items():
        folder = root / relative
        folder.mkdir(parents=True, exist_ok=True)
        os.environ[name] = str(folder)
    config.stash[_SAVED] = (root, saved)


def pytest_unconfigure(config: pytest.Config) -> None:
    root, saved = config.stash[_SAVED]
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(autouse=True)
def private_user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test also gets a history database and landmark cache of its own (the session's private
    folders, set in `pytest_configure`, catch everything that runs outside a test function)."""
    monkeypatch.setenv("POSECOACH_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.setenv("POSECOACH_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
