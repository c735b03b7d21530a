"""`posecoach check` over the sample clips: everything passes, a wrong expectation fails by name, the
landmark cache is used and invalidated, and the CI reports are well formed."""

from __future__ import annotations

import json
import shutil
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from posecoach.cli import main
from posecoach.errors import ExitCode
from posecoach.pose.cache import LandmarkCache
from tests.conftest import SAMPLES

pytestmark = pytest.mark.slow

MODEL = "full"


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("landmark-cache")


@pytest.fixture(scope="session")
def full_run(cache_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Path, Path]:
    """One check of every sample clip (fills the cache the other tests reuse)."""
    out = tmp_path_factory.mktemp("check-reports")
    junit, report = out / "junit.xml", out / "check.json"
    code = main(["check", str(SAMPLES), "--model", MODEL, "--cache", str(cache_dir), "--junit", str(junit),
                 "--json", str(report)])
    return code, junit, report


#: Clips the coach does not yet get right, with the reason; strict, so a clip that starts passing fails
#: here until it is taken off the list.
KNOWN_MISSES: dict[str, str] = {
    "bird-dog_hips-level_side.mp4": "The pose model reads the hips twisted by 0.05 torso lengths for a true 0.2 "
    "when the far leg is raised, so the left-side hips-level fault is missed",
}
CLIPS = sorted(tomllib.loads((SAMPLES / "expectations.toml").read_text())["clips"])


@pytest.mark.parametrize(
    "clip",
    [pytest.param(c, marks=pytest.mark.xfail(reason=KNOWN_MISSES[c], strict=True)) if c in KNOWN_MISSES else c
     for c in CLIPS],
)
def test_sample_clip_meets_its_expectations(full_run: tuple[int, Path, Path], clip: str) -> None:
    _, _, report = full_run
    reports = {Path(c["clip"]).name: c for c in json.loads(report.read_text())["clips"]}
    found = reports[clip]
    failed = [f"{f['field']}: expected {f['expected']}, got {f['got']}" for f in found["findings"] if not f["ok"]]
    assert found["passed"], found["error"] or failed


def test_exit_code_says_whether_every_clip_passed(full_run: tuple[int, Path, Path]) -> None:
    code, _, report = full_run
    passed = json.loads(report.read_text())["passed"]
    assert code == (ExitCode.OK if passed else ExitCode.CHECK_FAILED)


def test_junit_lists_every_clip(full_run: tuple[int, Path, Path]) -> None:
    _, junit, _ = full_run
    suite = ET.parse(junit).getroot()
    expected = tomllib.loads((SAMPLES / "expectations.toml").read_text())["clips"]
    assert suite.tag == "testsuite"
    assert int(suite.get("tests", "0")) == len(expected)
    assert {case.get("name") for case in suite.iter("testcase")} == set(expected)
    assert suite.get("errors") == "0"
    failures = {case.get("name") for case in suite.iter("testcase") if case.find("failure") is not None}
    assert failures <= set(KNOWN_MISSES)


def test_a_wrong_expectation_fails_naming_clip_and_field(
    full_run: tuple[int, Path, Path], cache_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clip = SAMPLES / "kneeling-hip-flexor_good_side.mp4"
    folder = tmp_path / "clips"
    folder.mkdir()
    shutil.copy(clip, folder / clip.name)
    entry = tomllib.loads((SAMPLES / "expectations.toml").read_text())["clips"][clip.name]
    side = next(iter(entry["holds"]))
    (folder / "expectations.toml").write_text(
        f'[clips."{clip.name}"]\nexercise = "{entry["exercise"]}"\nholds = {{ {side} = 99.0 }}\n'
    )
    capsys.readouterr()
    code = main(["check", str(folder), "--model", MODEL, "--cache", str(cache_dir), "--jobs", "1"])
    out = capsys.readouterr().out
    assert code == ExitCode.CHECK_FAILED
    line = next(line for line in out.splitlines() if line.startswith(clip.name))
    assert "FAIL" in line and f"holds.{side}" in line and "99.00" in line
    assert "(cached)" in line  # same clip and model as the full run: no inference this time


def test_cache_key_follows_clip_and_model_content(tmp_path: Path) -> None:
    cache = LandmarkCache(tmp_path / "cache")
    clip, model = tmp_path / "a.mp4", tmp_path / "m.task"
    clip.write_bytes(b"clip one")
    model.write_bytes(b"model one")
    first = cache.key(clip, model)
    assert cache.key(clip, model) == first
    model.write_bytes(b"model two")
    assert cache.key(clip, model) != first
    model.write_bytes(b"model one")
    clip.write_bytes(b"clip two")
    assert cache.key(clip, model) != first
    # A renamed clip with the same content hits the same entry.
    renamed = tmp_path / "b.mp4"
    clip.rename(renamed)
    renamed.write_bytes(b"clip one")
    assert cache.key(renamed, model) == first


def test_clip_without_expectation_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clip = SAMPLES / "kneeling-hip-flexor_good_side.mp4"
    shutil.copy(clip, tmp_path / "mine.mp4")
    (tmp_path / "other.pose.npz").write_bytes(b"")  # listed, and there (a clip listed but missing is refused too)
    (tmp_path / "expectations.toml").write_text('[clips."other.pose.npz"]\nexercise = "plank"\n')
    code = main(["check", str(tmp_path), "--model", MODEL, "--no-cache"])
    err = capsys.readouterr().err.strip()
    assert code == ExitCode.INPUT
    assert "mine.mp4" in err and "has no entry" in err and len(err.splitlines()) == 1


def test_a_pose_that_appears_still_is_counted_from_its_first_frame(tmp_path: Path) -> None:
    """A rendered clip that opens on a person already still in a correct kneeling stretch: MediaPipe, the
    set-up, position, side and stillness gates all take their time, and the count still matches the true
    hold within the check's half second (before the credit it fell a second short)."""
    import numpy as np

    from posecoach.synth.anthropometry import standard_body
    from posecoach.synth.appearance import sample_appearance
    from posecoach.synth.exercises.common import Person
    from posecoach.synth.exercises.lunges import kneeling
    from posecoach.synth.motion import Timeline, sample_sway
    from posecoach.synth.short import render_motion_clip

    person = Person(standard_body(1.75), sample_appearance(np.random.default_rng(3)))
    motion = Timeline(kneeling(person, "left")).hold(4.0, "left").build(
        "kneeling-hip-flexor", sample_sway(np.random.default_rng(3)))
    clip = tmp_path / "still.mp4"
    _, truth = render_motion_clip(motion, seed=3, out=clip)
    held = sum(1 for f in truth if f.held and not f.faults) / 30
    assert held == pytest.approx(4.0)
    expect = tmp_path / "expectations.toml"
    expect.write_text(f'[clips."still.mp4"]\nexercise = "kneeling-hip-flexor"\nfaults = []\n'
                      f'holds = {{ left = {held}, right = 0.0 }}\n')
    report = tmp_path / "check.json"
    code = main(["check", str(clip), "--expect", str(expect), "--model", MODEL, "--no-cache", "--json", str(report)])
    (found,) = json.loads(report.read_text())["clips"]
    assert code == ExitCode.OK, found
    (hold,) = [f for f in found["findings"] if f["field"] == "holds.left"]
    assert hold["ok"], hold
