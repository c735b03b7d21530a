"""A non-editable install carries the models, the specs, the demo clip and its expectations inside the package,
and works from there: `posecoach check` without arguments, and a clear word on the heavy model."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(folder), str(REPO)],
        capture_output=True, text=True, timeout=600,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    return next(folder.glob("posecoach-*.whl"))


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel installed into a folder of its own (its dependencies are this environment's)."""
    target = tmp_path_factory.mktemp("installed")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", "--target", str(target),
         str(wheel)],
        capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return target


def _run(installed: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m posecoach ARGS` from the installed copy, away from the checkout."""
    env = {**os.environ, "PYTHONPATH": str(installed)}
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


def test_wheel_carries_models_specs_and_demo_clip(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for model in ("lite", "full"):
        assert f"posecoach/_data/models/pose_landmarker_{model}.task" in names
    specs = {n for n in names if n.startswith("posecoach/_data/exercise_specs/") and n.endswith(".toml")}
    assert len([n for n in specs if "/routines/" not in n]) == 8
    assert "posecoach/_data/sample_videos/kneeling-hip-flexor_good_side.mp4" in names
    assert "posecoach/_data/sample_videos/expectations.toml" in names
    assert "posecoach/cli.py" in names and "posecoach/synth/__main__.py" in names
    shipped = tomllib.loads(zipfile.ZipFile(wheel).read("posecoach/_data/sample_videos/expectations.toml").decode())
    assert list(shipped["clips"]) == ["kneeling-hip-flexor_good_side.mp4"]


def test_the_shipped_expectations_are_the_samples_own() -> None:
    """demo-expectations.toml (the wheel's expectations.toml) is written by the generator with the full file."""
    every = tomllib.loads((REPO / "sample_videos" / "expectations.toml").read_text())["clips"]
    demo = tomllib.loads((REPO / "sample_videos" / "demo-expectations.toml").read_text())["clips"]
    assert demo == {"kneeling-hip-flexor_good_side.mp4": every["kneeling-hip-flexor_good_side.mp4"]}


def test_the_installed_copy_checks_its_bundled_sample(installed: Path, tmp_path: Path) -> None:
    where = _run(installed, tmp_path, "-c", "import posecoach; print(posecoach.__file__)")
    assert Path(where.stdout.strip()).is_relative_to(installed), where.stdout + where.stderr
    done = _run(installed, tmp_path, "-m", "posecoach", "check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "kneeling-hip-flexor_good_side.mp4  pass" in done.stdout
    assert "1 of 1 clips pass" in done.stdout


def test_the_installed_copy_looks_for_the_heavy_model_in_the_users_folder(installed: Path, tmp_path: Path) -> None:
    import posecoach.pose.models as models

    data = Path(os.environ["POSECOACH_DATA_DIR"])
    done = _run(installed, tmp_path, "-m", "posecoach", "review", "clip.mp4", "-e", "plank", "--model", "heavy")
    assert done.returncode == 4
    message = done.stderr.strip()
    assert len(message.splitlines()) == 1
    assert f"{data / 'models' / 'pose_landmarker_heavy.task'}: model file is missing" in message
    assert f"python models/build_models.py heavy --out {data / 'models'}" in message
    assert str(installed) not in message
    built = data / "models" / "pose_landmarker_heavy.task"
    built.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(models.resolve("lite"), built)
    try:
        found = _run(installed, tmp_path, "-c", "from posecoach.pose import models; print(models.resolve('heavy'))")
        assert found.stdout.strip() == str(built), found.stderr
    finally:
        built.unlink()
