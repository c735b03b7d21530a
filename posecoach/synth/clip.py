"""One clip end to end: person, motion, camera and room from a seed, then frames, truth and files."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from posecoach.synth.anthropometry import sample_body
from posecoach.synth.appearance import sample_appearance
from posecoach.synth.atomic import write_bytes
from posecoach.synth.camera import Camera, frame_spheres
from posecoach.synth.catalogue import VIEW_YAW, ClipSpec
from posecoach.synth.exercises import BUILDERS, FLOOR_EXERCISES
from posecoach.synth.exercises.common import Person
from posecoach.synth.frames import FrameRenderer, Sensor
from posecoach.synth.landmarks import landmarks
from posecoach.synth.motion import Motion, sample_sway, turned_for_sides
from posecoach.synth.posing import Posed
from posecoach.synth.primitives import bounding_spheres
from posecoach.synth.scene import Room, sample_room
from posecoach.synth.truth import TRUTH_SUFFIX, FrameTruth, frame_truth, gzip_bytes, truth_json
from posecoach.synth.video import write_mp4

FPS = 30
MAX_SECONDS = 20.0
WIDTH, HEIGHT = 640, 480


@dataclass(frozen=True, slots=True)
class ClipPlan:
    """Everything needed to render a clip; `posed` holds one placed figure per frame."""

    spec: ClipSpec
    person: Person
    motion: Motion
    camera: Camera
    room: Room
    sensor: Sensor
    posed: tuple[Posed, ...]
    noise_seed: int


def _rngs(seed: int) -> list[np.random.Generator]:
    # Independent streams per concern, so e.g. changing the sway does not change the person.
    return [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(6)]


def frame_times(duration: float, fps: int = FPS) -> npt.NDArray[np.float64]:
    """t = index / fps for every frame of a clip `duration` seconds long."""
    return np.arange(int(round(duration * fps))) / fps


def camera_for(spec: ClipSpec, posed: tuple[Posed, ...], rng: np.random.Generator) -> Camera:
    """A camera of the spec's view that keeps the whole motion in frame."""
    base = 0.0 if spec.facing == "left" else 180.0
    # Turning toward the person's front: + for a camera on the person's left (yaw 0), - on the right.
    yaw = base + (VIEW_YAW[spec.view] if spec.facing == "left" else -VIEW_YAW[spec.view])
    yaw += float(rng.uniform(-2.0, 2.0))
    floor = spec.exercise in FLOOR_EXERCISES
    pitch = float(rng.uniform(10.0, 14.0) if floor else rng.uniform(4.0, 8.0))
    fov = float(rng.uniform(48.0, 56.0))
    sample = posed[:: max(1, len(posed) // 60)]
    spheres = [s for p in sample for prim in p.prims for s in bounding_spheres(prim)]
    centres = np.stack([c for c, _ in spheres])
    radii = np.array([r for _, r in spheres])
    start = Camera(yaw, pitch, 3.0, 0.9 if floor else 1.1, fov, float(centres[:, 0].mean()),
                   float(centres[:, 1].mean()), WIDTH, HEIGHT)
    return frame_spheres(start, centres, radii, fill=float(rng.uniform(0.78, 0.86)))


def plan_motion(spec: ClipSpec, person: Person, motion: Motion, camera: Camera | None = None,
                room: Room | None = None, sensor: Sensor = Sensor(), seed: int = 0,
                fps: int = FPS) -> ClipPlan:
    """Plan a clip of an arbitrary motion (tests use this with short motions)."""
    rngs = _rngs(seed)
    posed = tuple(person.placed(motion.pose_at(float(t))) for t in frame_times(motion.duration, fps))
    cam = camera or camera_for(spec, posed, rngs[0])
    rm = room or replace(sample_room(rngs[1], motion.mat, motion.props), dark=spec.backdrop == "black")
    return ClipPlan(spec, person, motion, cam, rm, sensor, posed, int(rngs[2].integers(2**31)))


def _floor_centre(person: Person, motion: Motion) -> tuple[float, float]:
    """(x, y) floor point the person turns about: the mat's centre, else the middle of the keyframes' extent."""
    if motion.mat is not None:
        x0, y0, x1, y1 = motion.mat
        return 0.5 * (x0 + x1), 0.5 * (y0 + y1)
    pts = np.concatenate([np.stack(list(person.points(p).values())) for p in motion.poses])
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    return 0.5 * float(lo[0] + hi[0]), 0.5 * float(lo[1] + hi[1])


def plan(spec: ClipSpec) -> ClipPlan:
    """The sample clip `spec`, fully determined by its seed."""
    r_body, r_look, r_sway, r_rest = _rngs(spec.seed)[:4]
    person = Person(sample_body(r_body), sample_appearance(r_look))
    motion = BUILDERS[spec.exercise](person, spec.variant, spec.first, sample_sway(r_sway))
    if spec.turn:
        motion = turned_for_sides(motion, spec.facing, _floor_centre(person, motion))
    if motion.duration > MAX_SECONDS:
        raise ValueError(f"{spec.name} lasts {motion.duration:.1f} s, over the {MAX_SECONDS} s limit of a sample clip")
    return plan_motion(spec, person, motion, seed=int(r_rest.integers(2**31)))


def render_frames(p: ClipPlan) -> Iterator[npt.NDArray[np.uint8]]:
    """BGR uint8 frames of the clip."""
    renderer = FrameRenderer(p.camera, p.room, p.sensor)
    noise = np.random.default_rng(p.noise_seed)
    for posed in p.posed:
        yield renderer.render(posed, noise)


def truth_frames(p: ClipPlan, fps: int = FPS) -> list[FrameTruth]:
    """Truth of every frame."""
    out = []
    for t, posed in zip(frame_times(p.motion.duration, fps), p.posed):
        phase = p.motion.phase_at(float(t))
        pts = landmarks(posed.skeleton, p.person.body)
        out.append(frame_truth(p.spec.exercise, float(t), pts, p.camera, phase.side, p.motion.role_side(float(t)),
                               phase.faults, phase.held))
    return out


def metadata(p: ClipPlan, fps: int = FPS) -> dict[str, Any]:
    """Clip-level truth fields."""
    cam = p.camera
    return {
        "clip": p.spec.name + ".mp4", "exercise": p.spec.exercise, "variant": p.spec.variant,
        "view": p.spec.view, **({"backdrop": p.spec.backdrop} if p.spec.backdrop != "room" else {}), "fps": fps, "width": cam.width, "height": cam.image_height,
        "frame_count": len(p.posed), "seed": p.spec.seed, "stature": round(p.person.body.stature, 4),
        "camera": {"yaw_deg": round(cam.yaw, 3), "pitch_deg": round(cam.pitch, 3),
                   "distance_m": round(cam.distance, 4), "height_m": round(cam.height, 4),
                   "fov_deg": round(cam.fov, 3), "focal_px": round(cam.focal_px, 3),
                   "target_m": [round(cam.target_x, 4), round(cam.target_y, 4)]},
    }


def write_clip(p: ClipPlan, out_dir: Path, fps: int = FPS) -> tuple[Path, Path, list[FrameTruth]]:
    """Encode <name>.mp4 and write <name>.truth.json.gz into out_dir; returns both paths and the truth.

    The truth is gzipped: as plain JSON the 33 named landmarks per frame would exceed the sample folder's size
    budget on their own (about 1.3 MB per clip against about 0.2 MB gzipped)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    video = out_dir / f"{p.spec.name}.mp4"
    truth_path = out_dir / f"{p.spec.name}{TRUTH_SUFFIX}"
    write_mp4(video, render_frames(p), fps, (p.camera.width, p.camera.image_height))
    truth = truth_frames(p, fps)
    write_bytes(truth_path, gzip_bytes(truth_json(metadata(p, fps), truth)))
    return video, truth_path, truth
