"""How fast the rule engine and the coach run over a cached landmark track (no inference).

Targets: measurements and checks >= 100,000 frames/s; the whole engine with coach state >= 20,000.
The track is the sample clip's, repeated to a few thousand frames, read from the landmark cache (the
first run fills the cache with one pass of the model).

    python bench/engine_speed.py [CLIP] [--exercise kneeling-hip-flexor] [--frames 20000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from posecoach.app import context
from posecoach.app.check import pose_track
from posecoach.coach.session import Coach
from posecoach.pipeline import PoseSmoother, smooth_track
from posecoach.pose.cache import LandmarkCache, default_cache_dir
from posecoach.pose.track import PoseTrack
from posecoach.resources import DEMO_CLIP, SAMPLE_VIDEOS, data_dir
from posecoach.rules.engine import RuleEngine


def repeated(track: PoseTrack, frames: int) -> PoseTrack:
    times = -(-frames // len(track))
    step = float(track.t[-1] - track.t[0]) + 1.0 / track.fps

    def tile(a: np.ndarray) -> np.ndarray:
        return np.concatenate([a] * times)[:frames]

    t = np.concatenate([track.t + k * step for k in range(times)])[:frames]
    return replace(
        track, t=t, image=tile(track.image), world=tile(track.world), found=tile(track.found),
        people=tile(track.people), brightness=tile(track.brightness),
        person_brightness=None if track.person_brightness is None else tile(track.person_brightness),
    )


def best_of(rounds: int, run) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("clip", nargs="?", type=Path, default=data_dir(SAMPLE_VIDEOS) / DEMO_CLIP)
    parser.add_argument("--exercise", default="kneeling-hip-flexor")
    parser.add_argument("--frames", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--model", default="lite")
    args = parser.parse_args()
    library = context.library()
    exercise = library.exercise(args.exercise)
    with tempfile.TemporaryDirectory() as scratch:
        cache = LandmarkCache(default_cache_dir() if default_cache_dir().parent.exists() else Path(scratch))
        track, _ = pose_track(args.clip, context.model(args.model).path, cache)
    track = repeated(smooth_track(track, PoseSmoother()), args.frames)
    n = len(track)
    aspect = track.size[0] / track.size[1]

    def read() -> object:
        engine = RuleEngine(exercise, library.rules)
        return engine.read(track.image, track.world, track.found, track.people, track.light, aspect)

    def whole() -> None:
        engine = RuleEngine(exercise, library.rules)
        coach = Coach(exercise)
        readings = engine.read(track.image, track.world, track.found, track.people, track.light, aspect)
        times = track.t.tolist()
        for i in range(n):
            coach.update(engine.step(times[i], readings, i))

    read_s = best_of(args.rounds, read)
    whole_s = best_of(max(1, args.rounds // 2), whole)
    print(f"track: {args.clip.name} repeated to {n} frames, exercise {exercise.id}")
    print(f"measurements and checks (vectorised read):{n / read_s:10,.0f} frames/s  (target >= 100,000)")
    print(f"whole engine with coach state:             {n / whole_s:10,.0f} frames/s  (target >= 20,000)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
