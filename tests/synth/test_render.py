"""Rendering and encoding are deterministic, and the figure is actually drawn."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

import numpy as np

from posecoach.synth.motion import Motion
from posecoach.synth.primitives import Ellipsoid, RoundCone, intersect
from posecoach.synth.short import render_motion_clip


def _short(motion: Motion, frames: int) -> Motion:
    # Keep the first `frames` frames at 30 fps by cutting the keyframes' time line.
    end = frames / 30.0
    return replace(motion, times=tuple(min(t, end) if i < len(motion.times) - 1 else end
                                       for i, t in enumerate(motion.times)))


def test_three_frames_render_identically_twice(lunge_motion: Motion) -> None:
    motion = _short(lunge_motion, 3)
    a, _ = render_motion_clip(motion, seed=11)
    b, _ = render_motion_clip(motion, seed=11)
    assert len(a) == 3
    for x, y in zip(a, b):
        assert x.shape == (480, 640, 3) and x.dtype == np.uint8
        assert np.array_equal(x, y)


def test_encoding_is_byte_identical(lunge_motion: Motion, tmp_path: Path) -> None:
    motion = _short(lunge_motion, 10)
    digests = []
    for name in ("a.mp4", "b.mp4"):
        frames, _ = render_motion_clip(motion, seed=5, out=tmp_path / name)
        assert len(frames) == 10
        digests.append(hashlib.sha256((tmp_path / name).read_bytes()).hexdigest())
    assert digests[0] == digests[1]
    assert not list(tmp_path.glob(".*partial*")), "temp files are renamed into place"


def test_figure_is_drawn_over_its_projected_joints(lunge_motion: Motion, person) -> None:  # type: ignore[no-untyped-def]
    from posecoach.synth.catalogue import ClipSpec
    from posecoach.synth.clip import plan_motion
    from posecoach.synth.frames import FrameRenderer
    from posecoach.synth.landmarks import NAMES, landmarks
    from posecoach.synth.posing import Posed

    plan = plan_motion(ClipSpec("kneeling-hip-flexor", "t", "side", 0, "left", "left"), person,
                       _short(lunge_motion, 1))
    renderer = FrameRenderer(plan.camera, plan.room)
    with_figure = renderer.render_rgb(plan.posed[0])
    empty = renderer.render_rgb(Posed(plan.posed[0].skeleton, ()))
    pixels = plan.camera.project(landmarks(plan.posed[0].skeleton, person.body))
    for name in ("left_hip", "left_shoulder", "left_knee", "nose"):
        x, y = pixels[NAMES.index(name)].astype(int)
        assert 0 <= x < 640 and 0 <= y < 480
        assert np.abs(with_figure[y, x] - empty[y, x]).sum() > 0.05, name


def test_round_cone_and_ellipsoid_hits_lie_on_their_surfaces() -> None:
    rng = np.random.default_rng(0)
    ro = np.array([0.0, -3.0, 1.0])
    target = rng.uniform(-0.2, 0.2, (400, 3)) + np.array([0.0, 0.0, 1.0])
    rd = target - ro
    rd /= np.linalg.norm(rd, axis=1, keepdims=True)
    cone = RoundCone("c", np.array([0.0, 0.0, 0.9]), np.array([0.05, 0.0, 1.15]), 0.08, 0.04, (1, 1, 1))
    t, n = intersect(cone, ro, rd)
    hit = np.isfinite(t)
    assert hit.sum() > 50
    p = ro + t[hit, None] * rd[hit]
    # Signed distance of a round cone (Quilez), zero on the surface.
    ba = cone.b - cone.a
    l2 = ba @ ba
    rr = cone.ra - cone.rb
    a2 = l2 - rr * rr
    il2 = 1.0 / l2
    pa = p - cone.a
    y = pa @ ba
    z = y - l2
    x2 = np.sum((pa * l2 - y[:, None] * ba) ** 2, axis=1)
    y2, z2 = y * y * l2, z * z * l2
    k = np.sign(rr) * rr * rr * x2
    d = np.where(np.sign(z) * a2 * z2 > k, np.sqrt(x2 + z2) * il2 - cone.rb,
                 np.where(np.sign(y) * a2 * y2 < k, np.sqrt(x2 + y2) * il2 - cone.ra,
                          (np.sqrt(x2 * a2 * il2) + y * rr) * il2 - cone.ra))
    assert np.abs(d).max() < 1e-6
    assert np.allclose(np.linalg.norm(n[hit], axis=1), 1.0)
    ell = Ellipsoid("e", np.array([0.0, 0.0, 1.0]), np.eye(3), np.array([0.1, 0.15, 0.2]), (1, 1, 1))
    t, _ = intersect(ell, ro, rd)
    q = ro + t[np.isfinite(t), None] * rd[np.isfinite(t)] - ell.centre
    assert np.allclose(np.sum((q / ell.radii) ** 2, axis=1), 1.0)
