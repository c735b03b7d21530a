"""Shared fixtures: headless settings and small clips the tests make themselves."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Tests never open a real window or audio device.
os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

REPO = Path(__file__).resolve().parent.parent
SAMPLES = REPO / "sample_videos"


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(autouse=True)
def private_user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never touch the real user's history database or landmark cache."""
    monkeypatch.setenv("POSECOACH_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.setenv("POSECOACH_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
