"""The one loop: frames -> pose -> checks -> coach state -> overlay -> outputs.

Review, check and live coaching all run `Pipeline.run`; they differ only in where observations come from
(a video decoded and estimated now, a cached landmark track, a camera) and which sinks take the steps
(an annotated video, a report, a window).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np

from posecoach.coach.session import Coach
from posecoach.ahead import ahead
from posecoach.pose.light import person_brightness, picture_brightness
from posecoach.pose.stage import PoseStage
from posecoach.pose.track import PoseTrack
from posecoach.rules.engine import Readings, RuleEngine
from posecoach.landmarks import PAIR_INDEX
from posecoach.smoothing import GlitchGate, OneEuroFilter
from posecoach.records import CoachState, Frame, Observation, Pose, Verdict


@dataclass(frozen=True, slots=True)
class Step:
    """Everything one frame produced."""

    observation: Observation
    verdict: Verdict
    state: CoachState


class Sink(Protocol):
    """An output: takes every step; opening and closing it (files, windows) is its owner's business."""

    def write(self, step: Step) -> None: ...


class PoseSmoother:
    """Causal One Euro smoothing of landmark positions (not of visibility), reset when the person is lost.

    Before smoothing, a landmark that jumps implausibly far for a frame or two (a glitch of the pose
    model) keeps its last accepted place, in the picture and in the world alike: a filter smears such a
    jump over several frames, where it reads as a joint moving and pauses the hold count.

    The same causal filter serves live coaching and review, so that a review reports what the coach
    would have said live.
    """

    def __init__(self, min_cutoff: float = 1.5, beta: float = 0.3) -> None:
        self._image = OneEuroFilter(min_cutoff=min_cutoff, beta=beta)
        self._world = OneEuroFilter(min_cutoff=min_cutoff, beta=beta)
        self._gate = GlitchGate(PAIR_INDEX["shoulder"], PAIR_INDEX["hip"])
        self._accepted: Pose | None = None

    def __call__(self, t: float, pose: Pose | None) -> Pose | None:
        if pose is None:
            self._image.reset()
            self._world.reset()
            self._gate.reset()
            self._accepted = None
            return None
        held = ~self._gate.update(t, pose.image[:, :2])
        if self._accepted is not None and held.any():
            image, world = pose.image.copy(), pose.world.copy()
            image[held, :3] = self._accepted.image[held, :3]
            world[held] = self._accepted.world[held]
            pose = Pose(image=image, world=world)
        self._accepted = pose
        image = pose.image.copy()
        image[:, :3] = self._image.update(t, pose.image[:, :3].astype(np.float64))
        world = self._world.update(t, pose.world.astype(np.float64)).astype(np.float32)
        return Pose(image=image, world=world)


def smooth_track(track: PoseTrack, smoother: PoseSmoother) -> PoseTrack:
    """The track through the same causal filter a live session uses, frame by frame."""
    image, world = track.image.copy(), track.world.copy()
    for i in range(len(track)):
        pose = Pose(track.image[i], track.world[i]) if track.found[i] else None
        out = smoother(float(track.t[i]), pose)
        if out is not None:
            image[i], world[i] = out.image, out.world
    return replace(track, image=image, world=world)


def observe(
    frames: Iterable[Frame],
    estimator: PoseStage,
    *,
    keep_images: bool,
) -> Iterator[Observation]:
    """Run the pose stage over frames. The picture is never mirrored here: MediaPipe would swap its left
    and right labels; a selfie view flips only what is displayed."""
    import cv2

    for frame in frames:
        image = frame.image
        # A fresh RGB picture per frame: a pose stage may keep the one it was given (tracking, batching).
        rgb = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        people = estimator.detect_all(rgb, frame.t)
        pose = estimator.follow(people)
        yield Observation(
            index=frame.index,
            t=frame.t,
            size=frame.size,
            pose=pose,
            image=image if keep_images else None,
            people=max(len(people), estimator.people_in_view(rgb, frame.t)),
            brightness=picture_brightness(image),
            person_brightness=person_brightness(image, pose.image) if pose is not None else float("nan"),
        )


def observe_ahead(
    frames: Iterable[Frame],
    estimator: PoseStage,
    *,
    keep_images: bool,
    newest_only: bool = False,
    depth: int = 8,
) -> Iterator[Observation]:
    """`observe` in a thread of its own, the pose worker: while the caller judges, draws and shows one
    frame, the pose stage estimates the next, so that a frame costs the slower of the two rather than
    their sum. `newest_only` (live) hands over only the newest observation, dropping one the caller had no
    time to take, so what is shown is never stale; otherwise (review) every frame is handed over, up to
    `depth` ahead. The estimator is used from that one thread only, in frame order, and it reads no
    clock: what is judged depends on the frames' own timestamps."""
    return ahead(observe(frames, estimator, keep_images=keep_images), depth, newest_only=newest_only,
                 name="pose-worker")


def smoothed(observations: Iterable[Observation], smoother: PoseSmoother) -> Iterator[Observation]:
    """The same observations with smoothed landmarks (kept apart from `observe` so cached tracks, which
    store raw landmarks, go through the very same filter)."""
    for obs in observations:
        yield replace(obs, pose=smoother(obs.t, obs.pose))


class Pipeline:
    """Feeds observations through the engine and the coach and hands each step to the sinks."""

    def __init__(
        self,
        engine: RuleEngine,
        coach: Coach,
        sinks: Sequence[Sink] = (),
        *,
        stop: Callable[[], bool] | None = None,
    ) -> None:
        self.engine = engine
        self.coach = coach
        self.sinks = list(sinks)
        self._stop = stop

    def run(self, observations: Iterable[Observation], readings: Readings | None = None, *, batch: int = 1) -> int:
        """Process until the observations end or `stop()` says so; returns the number of frames.

        `readings`, when given, are the engine's vectorised readings of the same frames in the same order
        (a cached track read as a whole). Otherwise frames are read as they come, `batch` at a time: a
        review reads a few frames together (cheaper per frame), live coaching one by one (no delay).
        """
        if readings is not None:
            return self._steps(((obs, readings, i) for i, obs in enumerate(observations)))
        return self._steps(self._read_in_batches(observations, max(1, batch)))

    def _read_in_batches(
        self, observations: Iterable[Observation], batch: int
    ) -> Iterator[tuple[Observation, Readings, int]]:
        pending: list[Observation] = []
        for observation in observations:
            pending.append(observation)
            if len(pending) == batch:
                readings = self.engine.read_observations(pending)
                yield from ((obs, readings, i) for i, obs in enumerate(pending))
                pending = []
        if pending:
            readings = self.engine.read_observations(pending)
            yield from ((obs, readings, i) for i, obs in enumerate(pending))

    def _steps(self, work: Iterable[tuple[Observation, Readings, int]]) -> int:
        count = 0
        for observation, readings, i in work:
            verdict = self.engine.step(observation.t, readings, i)
            state = self.coach.update(verdict)
            step = Step(observation, verdict, state)
            for sink in self.sinks:
                sink.write(step)
            count += 1
            if self._stop is not None and self._stop():
                break
        return count


def replay(track: PoseTrack, pipeline: Pipeline) -> int:
    """Run a recorded landmark track through `pipeline` as a live session would have seen it: the same causal
    smoothing, then the rules read over the whole track at once (cheap) and stepped frame by frame."""
    smooth = smooth_track(track, PoseSmoother())
    readings = pipeline.engine.read(smooth.image, smooth.world, smooth.found, smooth.people, smooth.light,
                                    smooth.aspect)
    return pipeline.run(smooth.observations(), readings)
