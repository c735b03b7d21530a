"""Landmark tracks cached per (clip content, model): re-running checks after a spec change skips
inference, and a changed clip or model misses the cache by construction."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from posecoach.pose.track import FORMAT_VERSION, PoseTrack

#: Part of every key: bump when the pose stage changes what it stores for the same clip and model.
POSE_STAGE_VERSION = f"pose-stage-1/track-{FORMAT_VERSION}"


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

    def key(self, clip: Path, model: Path) -> str:
        material = f"{file_digest(clip)}:{file_digest(model)}:{POSE_STAGE_VERSION}"
        return hashlib.sha256(material.encode()).hexdigest()[:32]

    def path(self, key: str) -> Path:
        return self.folder / f"{key}.npz"

    def get(self, key: str) -> PoseTrack | None:
        return PoseTrack.load(self.path(key))

    def put(self, key: str, track: PoseTrack) -> None:
        track.save(self.path(key))
