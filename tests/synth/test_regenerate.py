"""The committed sample clips are what the generator makes: regenerating one gives the same bytes."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from posecoach.synth.samples import generate_samples
from tests.conftest import SAMPLES

pytestmark = pytest.mark.slow

#: The shortest clip keeps this test quick; every clip goes through the same code.
CLIP = "crunch_good_side"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_regenerating_a_sample_clip_gives_identical_files(tmp_path: Path) -> None:
    written = generate_samples(tmp_path, only=[CLIP])
    made = {p.name: p for p in written if p.name.startswith(CLIP)}
    assert {f"{CLIP}.mp4", f"{CLIP}.truth.json.gz"} <= set(made)
    for name, path in made.items():
        assert digest(path) == digest(SAMPLES / name), name
