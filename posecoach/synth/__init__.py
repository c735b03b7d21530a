"""Synthetic exercise clips with known truth: an articulated figure rendered with numpy + OpenCV.

`generate_samples(out_dir)` regenerates sample_videos/ (also `python -m posecoach.synth OUT_DIR`);
`render_motion_clip` renders a short clip of any motion for tests. Imports are lazy so that importing
posecoach.synth stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from posecoach.synth.samples import generate_samples
    from posecoach.synth.short import render_motion_clip

__all__ = ["generate_samples", "render_motion_clip"]


def __getattr__(name: str) -> Any:
    if name == "generate_samples":
        from posecoach.synth.samples import generate_samples

        return generate_samples
    if name == "render_motion_clip":
        from posecoach.synth.short import render_motion_clip

        return render_motion_clip
    raise AttributeError(name)
