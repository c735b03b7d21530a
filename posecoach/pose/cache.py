"""Landmark tracks cached per (clip content, model): re-running checks after a spec change skips
inference, and a changed clip or model misses the cache by construction."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from posecoach.pose.landmarker import STAGE
from posecoach.pose.track import FORMAT_VERSION, PoseTrack


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def default_cache_dir() -> Path:
    """POSECOACH_CACHE_DIR, else the user's cache directory."""
    override = os.environ.get("POSECOACH_CACHE_DIR")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("posecoach", appauthor=False)) / "landmarks"


class LandmarkCache:
    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def key(self, clip: Path, model: Path, stage: str = STAGE) -> str:
        """`stage` names the pose stage that made the track (a benchmark caches MediaPipe's beside ours)."""
        material = f"{file_digest(clip)}:{file_digest(model)}:{stage}/track-{FORMAT_VERSION}"
        return hashlib.sha256(material.encode()).hexdigest()[:32]

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.npz"

    def get(self, key: str) -> PoseTrack | None:
        return PoseTrack.load(self.path(key))

    def put(self, key: str, track: PoseTrack) -> None:
        track.save(self.path(key))
