"""The truth files' schema and the expectations derived from them."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import numpy as np

from posecoach.synth.expectations import summarise, to_toml
from posecoach.synth.landmarks import NAMES
from posecoach.synth.motion import Motion
from posecoach.synth.short import render_motion_clip
from posecoach.synth.truth import TRUTH_SUFFIX, gzip_bytes, load_truth, truth_json


def _doc(lunge_motion: Motion) -> dict:
    _, truth = render_motion_clip(lunge_motion, seed=1)
    meta = {"clip": "x.mp4", "exercise": "kneeling-hip-flexor", "variant": "good", "view": "side", "fps": 30,
            "width": 640, "height": 480, "frame_count": len(truth), "seed": 1, "stature": 1.72, "camera": {}}
    return json.loads(truth_json(meta, truth))


def test_frame_schema(lunge_motion: Motion) -> None:
    doc = _doc(lunge_motion)
    assert doc["landmarks"] == list(NAMES) and len(NAMES) == 33
    for i, f in enumerate(doc["frames"]):
        assert set(f) == {"t", "joints3d", "joints2d", "angles", "side", "faults", "held"}
        assert f["t"] == round(i / 30, 4)
        assert list(f["joints3d"]) == list(NAMES) and list(f["joints2d"]) == list(NAMES)
        assert all(len(v) == 3 for v in f["joints3d"].values())
        assert all(len(v) == 2 for v in f["joints2d"].values())
        assert set(f["angles"]) == {"front_knee", "back_knee", "torso_lean"}
        assert f["side"] in ("left", "right", None)
        assert isinstance(f["held"], bool) and isinstance(f["faults"], list)
        mid_hip = 0.5 * (np.array(f["joints3d"]["left_hip"]) + np.array(f["joints3d"]["right_hip"]))
        assert np.allclose(mid_hip, 0.0, atol=2e-4)
        # y is down: the head is above (smaller y than) the ankles.
        assert f["joints3d"]["nose"][1] < f["joints3d"]["left_ankle"][1]


def test_gzip_round_trip_is_deterministic(tmp_path: Path, lunge_motion: Motion) -> None:
    doc = _doc(lunge_motion)
    text = json.dumps(doc)
    assert gzip_bytes(text) == gzip_bytes(text)
    path = tmp_path / f"x{TRUTH_SUFFIX}"
    path.write_bytes(gzip_bytes(text))
    assert load_truth(path) == doc


def test_expectations_parse_and_count(lunge_motion: Motion) -> None:
    doc = _doc(lunge_motion)
    summary = summarise(doc)
    assert summary["sides"] == ["left"]
    held = sum(1 for f in doc["frames"] if f["held"] and not f["faults"])
    assert summary["holds"]["left"] == held / 30
    parsed = tomllib.loads(to_toml({"x.mp4": summary}))
    clip = parsed["clips"]["x.mp4"]
    assert clip["exercise"] == "kneeling-hip-flexor"
    assert clip["holds"]["left"]["good_form_seconds"] == round(held / 30, 3)
    names = {a["name"]: a for a in clip["angles"]}
    assert abs(names["front_knee"]["mean"] - 110.0) < 1e-3 and names["front_knee"]["tolerance"] == 10.0


def test_fault_intervals_and_reps() -> None:
    def frame(i: int, side, held, faults):
        return {"t": i / 10, "side": side, "held": held, "faults": faults, "angles": {"arm_raise": 0.0}}

    frames = ([frame(i, "left", True, []) for i in range(5)] + [frame(5, None, False, [])]
              + [frame(6 + i, "right", True, ["arm-extended"]) for i in range(3)] + [frame(9, None, False, [])]
              + [frame(10 + i, "right", True, []) for i in range(2)])
    doc = {"fps": 10, "exercise": "bird-dog", "view": "side", "variant": "arm-extended", "frames": frames}
    s = summarise(doc)
    assert s["reps"] == {"left": 1, "right": 1}
    assert s["faults"] == [{"check": "arm-extended", "side": "right", "start": 0.6, "end": 0.9}]
    assert tomllib.loads(to_toml({"c.mp4": s}))["clips"]["c.mp4"]["reps"] == {"left": 1, "right": 1}
