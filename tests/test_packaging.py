"""A non-editable install carries the models, the specs and the demo clip inside the package."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow


def test_wheel_carries_models_specs_and_demo_clip(tmp_path: Path) -> None:
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(tmp_path), str(REPO)],
        capture_output=True, text=True, timeout=600,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(tmp_path.glob("posecoach-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for model in ("lite", "full"):
        assert f"posecoach/_data/models/pose_landmarker_{model}.task" in names
    specs = {n for n in names if n.startswith("posecoach/_data/exercise_specs/") and n.endswith(".toml")}
    assert len([n for n in specs if "/routines/" not in n]) == 8
    assert "posecoach/_data/sample_videos/kneeling-hip-flexor_good_side.mp4" in names
    assert "posecoach/cli.py" in names and "posecoach/synth/__main__.py" in names
