"""How the live loop keeps up: a video file played as a camera (real time, looped, newest frame only)
through the whole `posecoach coach` loop and window, measuring what reaches the screen.

Prints frames displayed per second, also as a ratio of bare inference over the clip's frames with the same
pose stage, measured in the same run (twice, right after the session), the latency from capture to the
displayed overlay (median and 95th percentile), frames the camera thread dropped because the loop was busy, and memory (RSS) at the start and
end of the run, with samples in between to show whether it grows. Targets on 2 cores at 640x480 with lite:
>= 25 displayed fps, median latency <= 50 ms, p95 <= 80 ms, no memory growth.

    python bench/live_speed.py [CLIP] [--seconds 60] [--model lite] [--max-people 1] [--window 640x480]
                               [--stages litert mediapipe]

`--stages` runs the session once per pose stage, one after the other in the same process: posecoach's
LiteRT stage and MediaPipe's PoseLandmarker (needs the `compare` extra).

Runs headless (SDL_VIDEODRIVER=dummy) unless a display is given with --show.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from array import array
from pathlib import Path

from posecoach.app import context
from posecoach.app import live as live_module
from posecoach.app.live import LiveOptions, coach_live
from posecoach.capture import FileCamera
from posecoach.pipeline import Step
from posecoach.resources import DEMO_CLIP, EXERCISE_SPECS, SAMPLE_VIDEOS, data_dir

sys.path.insert(0, str(Path(__file__).resolve().parent))
from review_speed import bare_inference_fps, decoded_frames  # noqa: E402
from stages import stage_factory, stage_in  # noqa: E402

EXERCISE = "kneeling-hip-flexor"
#: Frames of the clip the bare-inference baseline runs over, and the rate of their VIDEO-mode timestamps.
BARE_FRAMES = 300
CLIP_FPS = 30.0
#: Memory is first read after this warm-up (model, window and caches settle).
WARM_UP = 5.0


def rss_mb() -> float:
    """Resident set size of this process in MiB (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Meter:
    """A sink placed after the window: times each displayed frame and asks to quit after `seconds`."""

    def __init__(self, camera: FileCamera, seconds: float) -> None:
        self._camera = camera
        self._seconds = seconds
        self.latency = array("d")
        self.start = time.monotonic()
        self.shown = 0
        self.shown_after_warm_up = 0
        self.rss: list[tuple[float, float]] = []
        self._next_rss = WARM_UP
        self._quit = False

    def write(self, step: Step) -> None:
        now = time.monotonic()
        grabbed = self._camera.grabbed_at(step.observation.index)
        elapsed = now - self.start
        self.shown += 1
        if elapsed >= WARM_UP:
            self.shown_after_warm_up += 1
            if grabbed is not None:
                self.latency.append(now - grabbed)
        if elapsed >= self._next_rss:
            self.rss.append((elapsed, rss_mb()))
            self._next_rss += max(10.0, self._seconds / 10)
        if elapsed >= self._seconds and not self._quit:
            import pygame

            self._quit = True
            self.rss.append((elapsed, rss_mb()))
            pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_q))


def endless_library(folder: Path) -> context.Library:
    """The exercise with a target no run reaches, so the session never ends before the clock does."""
    text = (data_dir(EXERCISE_SPECS) / f"{EXERCISE}.toml").read_text()
    path = folder / f"{EXERCISE}.toml"
    path.write_text(text.replace("target_seconds = 30", "target_seconds = 100000"))
    return context.library((path,))


def session(args: argparse.Namespace, stage_name: str) -> int:
    """One timed session with one pose stage; prints its figures."""
    width, height = (int(v) for v in args.window.split("x"))
    with tempfile.TemporaryDirectory() as scratch, stage_in(live_module, stage_factory(stage_name)):
        library = endless_library(Path(scratch))
        camera = FileCamera(args.clip, speed=1.0, loop=True)
        meter = Meter(camera, args.seconds)
        options = LiveOptions(data_dir=Path(scratch), sinks=(meter,), max_people=args.max_people,
                              window_size=(width, height))
        coach_live(EXERCISE, camera, library=library, model=context.model(args.model), options=options)
        wall = time.monotonic() - meter.start - WARM_UP
    latency = sorted(meter.latency)
    if not latency:
        print("no frame was displayed after the warm-up", file=sys.stderr)
        return 1
    p95 = latency[min(len(latency) - 1, int(0.95 * len(latency)))]
    # The baseline right after the loop, so that the memory figures hold none of its decoded frames.
    shown = meter.shown_after_warm_up / wall
    model = context.model(args.model).path
    bare = [bare_inference_fps(stage_factory(stage_name), model, decoded_frames(args.clip)[:BARE_FRAMES], CLIP_FPS)
            for _ in range(2)]
    baseline = statistics.mean(bare)
    print(f"[{stage_name}] clip: {args.clip.name}  model: {args.model}  max people: {args.max_people}  "
          f"window: {args.window}  cores: {os.cpu_count()}  run: {args.seconds:.0f} s")
    print(f"[{stage_name}] displayed: {meter.shown_after_warm_up / wall:.1f} fps (after a {WARM_UP:.0f} s warm-up); "
          f"camera frames dropped: {camera.dropped} of {camera.dropped + meter.shown}")
    print(f"[{stage_name}] bare inference over the clip's first {BARE_FRAMES} frames, right after: {baseline:.1f} fps "
          f"({bare[0]:.1f}, {bare[1]:.1f}); displayed / bare: {shown / baseline:.2f} (the clip plays at {CLIP_FPS:.0f})")
    print(f"[{stage_name}] latency capture -> displayed overlay: median {1000 * statistics.median(latency):.1f} ms, "
          f"p95 {1000 * p95:.1f} ms, max {1000 * latency[-1]:.1f} ms")
    samples = "  ".join(f"{t:.0f}s:{mb:.0f}" for t, mb in meter.rss)
    print(f"[{stage_name}] memory (RSS MiB): start {meter.rss[0][1]:.1f}, end {meter.rss[-1][1]:.1f}  [{samples}]")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("clip", nargs="?", type=Path, default=data_dir(SAMPLE_VIDEOS) / DEMO_CLIP)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--model", default="lite")
    parser.add_argument("--max-people", type=int, default=1)
    parser.add_argument("--window", default="640x480", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--show", action="store_true", help="use the real display instead of a headless one")
    parser.add_argument("--stages", nargs="+", default=["litert"], choices=["litert", "mediapipe"])
    args = parser.parse_args(argv)
    if not args.show:
        os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    return max(session(args, name) for name in args.stages)


if __name__ == "__main__":
    raise SystemExit(main())
