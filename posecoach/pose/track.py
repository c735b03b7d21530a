"""A landmark track: the pose stage's output for a whole clip as arrays, for caching, replay and sharing.

The file format (``.pose.npz``, documented in docs/landmarks.md) is a NumPy ``.npz`` archive of plain arrays,
readable without posecoach and without pickles. Version 2 adds the light on the person and a little
provenance to version 1; both are read.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from posecoach.errors import InputError
from posecoach.records import Observation, Pose

FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)
#: How a landmark file's name ends; `check` and `review` take such files wherever they take a video.
SUFFIX = ".pose.npz"

_REQUIRED = ("version", "t", "image", "world", "found", "people", "brightness", "size", "fps")


def is_track_path(path: Path) -> bool:
    return path.name.lower().endswith(SUFFIX)


@dataclass(frozen=True)
class PoseTrack:
    """T frames: t (T,) seconds; image (T, 33, 5) and world (T, 33, 3), NaN where nobody was found;
    found (T,) bool; people (T,) int; brightness (T,) the picture's mean grey level; person_brightness (T,)
    the light on the person (`pose.light`; NaN where unknown); size (width, height); fps; model and source
    name where the track came from (empty when unknown)."""

    t: np.ndarray
    image: np.ndarray
    world: np.ndarray
    found: np.ndarray
    people: np.ndarray
    brightness: np.ndarray
    size: tuple[int, int]
    fps: float
    person_brightness: np.ndarray | None = None
    model: str = ""
    source: str = ""

    def __len__(self) -> int:
        return int(self.t.shape[0])

    @property
    def aspect(self) -> float:
        return self.size[0] / self.size[1]

    @property
    def light(self) -> np.ndarray:
        """(T,) the light the coach judges: on the person where that is known, else the whole picture's."""
        if self.person_brightness is None:
            return self.brightness
        return np.where(np.isfinite(self.person_brightness), self.person_brightness, self.brightness)

    def observations(self) -> Iterator[Observation]:
        """Replay the track as the pose stage would have produced it (without pictures)."""
        person = self.person_brightness if self.person_brightness is not None else np.full(len(self), np.nan)
        for i in range(len(self)):
            pose = Pose(image=self.image[i], world=self.world[i]) if self.found[i] else None
            yield Observation(i, float(self.t[i]), self.size, pose, None, int(self.people[i]),
                              float(self.brightness[i]), float(person[i]))

    def save(self, path: Path) -> None:
        """Write as version-2 .npz (written beside and renamed, so a crash never leaves a broken file)."""
        from posecoach.outputs.atomic import AtomicFile

        person = self.person_brightness if self.person_brightness is not None else np.full(len(self), np.nan)
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer, version=np.array(FORMAT_VERSION), t=self.t, image=self.image, world=self.world,
            found=self.found, people=self.people, brightness=self.brightness,
            person_brightness=person.astype(np.float32), size=np.array(self.size), fps=np.array(self.fps),
            model=np.array(self.model), source=np.array(self.source),
        )
        file = AtomicFile(path)
        try:
            file.temporary.write_bytes(buffer.getvalue())
            file.commit()
        finally:
            file.discard()

    @classmethod
    def load(cls, path: Path) -> PoseTrack | None:
        """The track stored at `path`, or None when it is missing, unreadable or of another version (a cache
        miss)."""
        try:
            return read_track(path)
        except InputError:
            return None


def read_track(path: Path) -> PoseTrack:
    """The landmark file at `path`, checked; raises InputError naming what is wrong and what to do."""
    redo = f"write it again with `posecoach review VIDEO --save-landmarks {path.name}`"
    if not zipfile.is_zipfile(path):
        if not path.is_file():
            raise InputError(f"{path}: no such landmark file")
        raise InputError(f"{path}: not a landmark file (not an .npz archive); {redo}")
    try:
        data = np.load(path, allow_pickle=False)
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        raise InputError(f"{path}: not a landmark file ({reason}); {redo}") from None
    try:
        with data:
            arrays = {name: data[name] for name in data.files}
    except (OSError, ValueError, zipfile.BadZipFile, EOFError, KeyError) as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        raise InputError(f"{path}: damaged landmark file ({reason}); {redo}") from None
    missing = [name for name in _REQUIRED if name not in arrays]
    if missing:
        raise InputError(f"{path}: not a posecoach landmark file (no {', '.join(missing)}); {redo}")
    try:
        version = int(arrays["version"])
    except (TypeError, ValueError):
        raise InputError(f"{path}: version is {arrays['version']!r}, not a number; {redo}") from None
    if version not in READABLE_VERSIONS:
        readable = " and ".join(map(str, READABLE_VERSIONS))
        raise InputError(f"{path}: landmark file version {version} is not supported (this posecoach reads "
                         f"versions {readable}); {redo} or update posecoach")
    if version >= 2 and "person_brightness" not in arrays:
        raise InputError(f"{path}: a version-2 landmark file needs person_brightness; {redo}")
    return _checked(path, arrays, redo)


def _checked(path: Path, arrays: dict[str, np.ndarray], redo: str) -> PoseTrack:
    t = arrays["t"]
    count = t.shape[0] if t.ndim == 1 else -1
    shapes = {
        "t": (count,), "image": (count, 33, 5), "world": (count, 33, 3), "found": (count,), "people": (count,),
        "brightness": (count,), "person_brightness": (count,), "size": (2,),
    }
    for name, shape in shapes.items():
        if name in arrays and arrays[name].shape != shape:
            raise InputError(f"{path}: {name} has shape {arrays[name].shape}, expected {shape} for {count} frames; "
                             f"{redo}")
    if count == 0:
        raise InputError(f"{path}: holds no frames; {redo}")
    if not np.all(np.isfinite(t)) or np.any(np.diff(t) <= 0):
        raise InputError(f"{path}: frame times must be finite and increasing; {redo}")
    width, height = (int(v) for v in arrays["size"])
    fps = float(arrays["fps"])
    if width <= 0 or height <= 0 or not np.isfinite(fps) or fps <= 0:
        raise InputError(f"{path}: picture size {width}x{height} at {fps:g} frames/s is not usable; {redo}")
    person = arrays.get("person_brightness")
    return PoseTrack(
        t.astype(np.float64), arrays["image"].astype(np.float32), arrays["world"].astype(np.float32),
        arrays["found"].astype(bool), arrays["people"].astype(np.int16), arrays["brightness"].astype(np.float32),
        (width, height), fps,
        person_brightness=None if person is None else person.astype(np.float32),
        model=str(arrays["model"]) if "model" in arrays else "",
        source=str(arrays["source"]) if "source" in arrays else "",
    )


class TrackRecorder:
    """Passes observations through while keeping their poses, then builds the track."""

    def __init__(self) -> None:
        self._t: list[float] = []
        self._image: list[np.ndarray] = []
        self._world: list[np.ndarray] = []
        self._found: list[bool] = []
        self._people: list[int] = []
        self._brightness: list[float] = []
        self._person: list[float] = []
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
            self._person.append(obs.person_brightness)
            self._size = obs.size
            yield obs

    def track(self, fps: float, *, model: str = "", source: str = "") -> PoseTrack:
        return PoseTrack(
            np.array(self._t, np.float64),
            np.array(self._image, np.float32).reshape(-1, 33, 5),
            np.array(self._world, np.float32).reshape(-1, 33, 3),
            np.array(self._found, bool),
            np.array(self._people, np.int16),
            np.array(self._brightness, np.float32),
            self._size,
            fps,
            person_brightness=np.array(self._person, np.float32),
            model=model,
            source=source,
        )
