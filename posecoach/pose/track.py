"""A landmark track: the pose stage's output for a whole clip as arrays, for caching and replay."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from posecoach.records import Observation, Pose

FORMAT_VERSION = 1


@dataclass(frozen=True)
class PoseTrack:
    """T frames: t (T,) seconds; image (T, 33, 5) and world (T, 33, 3), NaN where nobody was found;
    found (T,) bool; people (T,) int; brightness (T,) float; size (width, height); fps."""

    t: np.ndarray
    image: np.ndarray
    world: np.ndarray
    found: np.ndarray
    people: np.ndarray
    brightness: np.ndarray
    size: tuple[int, int]
    fps: float

    def __len__(self) -> int:
        return int(self.t.shape[0])

    def observations(self) -> Iterator[Observation]:
        """Replay the track as the pose stage would have produced it (without pictures)."""
        for i in range(len(self)):
            pose = Pose(image=self.image[i], world=self.world[i]) if self.found[i] else None
            yield Observation(i, float(self.t[i]), self.size, pose, None, int(self.people[i]), float(self.brightness[i]))

    def save(self, path: Path) -> None:
        """Write as .npz (written beside and renamed, so a crash never leaves a broken cache entry)."""
        from posecoach.outputs.atomic import AtomicFile

        buffer = io.BytesIO()
        np.savez_compressed(
            buffer, version=np.array(FORMAT_VERSION), t=self.t, image=self.image, world=self.world,
            found=self.found, people=self.people, brightness=self.brightness,
            size=np.array(self.size), fps=np.array(self.fps),
        )
        file = AtomicFile(path)
        try:
            file.temporary.write_bytes(buffer.getvalue())
            file.commit()
        finally:
            file.discard()

    @classmethod
    def load(cls, path: Path) -> PoseTrack | None:
        """The track stored at `path`, or None when it is missing, unreadable or of another version."""
        try:
            with np.load(path) as data:
                if int(data["version"]) != FORMAT_VERSION:
                    return None
                size = tuple(int(v) for v in data["size"])
                return cls(
                    data["t"], data["image"], data["world"], data["found"], data["people"], data["brightness"],
                    (size[0], size[1]), float(data["fps"]),
                )
        except (OSError, KeyError, ValueError, zipfile.BadZipFile, EOFError):
            return None


class TrackRecorder:
    """Passes observations through while keeping their poses, then builds the track."""

    def __init__(self) -> None:
        self._t: list[float] = []
        self._image: list[np.ndarray] = []
        self._world: list[np.ndarray] = []
        self._found: list[bool] = []
        self._people: list[int] = []
        self._brightness: list[float] = []
        self._size = (0, 0)

    def __call__(self, observations: Iterable[Observation]) -> Iterator[Observation]:
        empty_image = np.full((33, 5), np.nan, np.float32)
        empty_world = np.full((33, 3), np.nan, np.float32)
        for obs in observations:
            self._t.append(obs.t)
            self._found.append(obs.pose is not None)
            self._image.append(obs.pose.image if obs.pose is not None else empty_image)
            self._world.append(obs.pose.world if obs.pose is not None else empty_world)
            self._people.append(obs.people)
            self._brightness.append(obs.brightness)
            self._size = obs.size
            yield obs

    def track(self, fps: float) -> PoseTrack:
        return PoseTrack(
            np.array(self._t, np.float64),
            np.array(self._image, np.float32).reshape(-1, 33, 5),
            np.array(self._world, np.float32).reshape(-1, 33, 3),
            np.array(self._found, bool),
            np.array(self._people, np.int16),
            np.array(self._brightness, np.float32),
            self._size,
            fps,
        )
