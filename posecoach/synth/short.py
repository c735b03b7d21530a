"""Rendering a short clip of any motion (for tests and experiments), with its truth."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt

from posecoach.synth.anthropometry import standard_body
from posecoach.synth.appearance import sample_appearance
from posecoach.synth.catalogue import ClipSpec
from posecoach.synth.clip import FPS, ClipPlan, plan_motion, render_frames, truth_frames
from posecoach.synth.exercises.common import Person
from posecoach.synth.motion import Motion
from posecoach.synth.truth import FrameTruth
from posecoach.synth.video import write_mp4


def render_motion_clip(motion: Motion, seed: int = 0, person: Person | None = None, view: str = "side",
                       out: Path | None = None, fps: int = FPS
                       ) -> tuple[list[npt.NDArray[np.uint8]], list[FrameTruth]]:
    """Frames (BGR uint8) and truth of `motion`; also encodes them to `out` (an .mp4 path) when given."""
    who = person or Person(standard_body(1.75), sample_appearance(np.random.default_rng(seed)))
    spec = ClipSpec(motion.exercise, "custom", view, seed, "left", "left")  # type: ignore[arg-type]
    p: ClipPlan = plan_motion(spec, who, motion, seed=seed, fps=fps)
    frames = list(render_frames(p))
    if out is not None:
        write_mp4(out, frames, fps, (p.camera.width, p.camera.image_height))
    return frames, truth_frames(p, fps)
