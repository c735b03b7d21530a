"""expectations.toml: the vocabulary for real footage (ranges, fault ids, quiet and idle windows), strict keys,
and the comparison of a result with it."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from posecoach.errors import InputError
from posecoach.verify.compare import compare, good_form_seconds
from posecoach.verify.expectations import load_expectations


def expect(tmp_path: Path, body: str, clip: str = "clip.pose.npz") -> Any:
    (tmp_path / clip).write_bytes(b"")
    path = tmp_path / "expectations.toml"
    path.write_text(body)
    return load_expectations(path)


def one(tmp_path: Path, entry: str, top: str = "") -> Any:
    (expectation,) = expect(tmp_path, f'{top}[clips."clip.pose.npz"]\nexercise = "plank"\n{entry}\n').values()
    return expectation


def frames(good: list[tuple[float, bool]]) -> list[dict[str, Any]]:
    return [{"t": t, "good_form": g, "cue": None, "angles": {}, "measures": {}} for t, g in good]


def result(*, holds: dict | None = None, reps: dict | None = None, faults: list | None = None,
           good: list[tuple[float, bool]] | None = None) -> dict[str, Any]:
    return {"holds": holds or {}, "reps": reps or {}, "faults": faults or [],
            "frames": frames(good or [(0.0, False)]), "summary": {"phase": "active"}}


def fault(check: str, start: float, end: float, severity: str = "fault") -> dict[str, Any]:
    return {"check": check, "side": None, "start": start, "end": end, "cue": "", "severity": severity}


def failed(findings: list) -> list[str]:
    return [f.field for f in findings if not f.ok]


# --- strict keys ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("entry", "named"),
    [
        ("rep = { both = 3 }", "clips.'clip.pose.npz'.rep: unknown key"),
        ("holds = { both = { mn = 3 } }", "holds.both.mn: unknown key (allowed: min, max)"),
        ("reps = { both = 3, tops = 2 }", "reps.tops: unknown key"),
        ("faults = [{ check = 'x', start = 1, end = 2, sid = 'left' }]", "faults[0].sid: unknown key"),
        ("tolerance = { hold = 1 }", "tolerance.hold: unknown key (allowed: hold_seconds, fault_seconds)"),
        ("angles = [{ name = 'a', mean = 1, tol = 2 }]", "angles[0].tol: unknown key"),
    ],
)
def test_an_unknown_key_is_an_error_naming_it_and_the_allowed_keys(tmp_path: Path, entry: str, named: str) -> None:
    with pytest.raises(InputError) as raised:
        one(tmp_path, entry)
    assert named in str(raised.value) and "allowed" in str(raised.value)


def test_an_unknown_top_level_key_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"tolerence: unknown key \(allowed: clips, tolerance\)"):
        one(tmp_path, "", top="[tolerence]\nhold_seconds = 1\n")


def test_an_entry_whose_clip_does_not_exist_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "expectations.toml"
    path.write_text('[clips."gone.mp4"]\nexercise = "plank"\n')
    with pytest.raises(InputError, match=r"gone\.mp4 does not exist"):
        load_expectations(path)


def test_descriptive_keys_are_allowed_but_not_compared(tmp_path: Path) -> None:
    expectation = one(tmp_path, 'view = "side"\nvariant = "good"\nsides = ["both"]\nsource = "a @ b"\nlabel = "x"')
    assert compare(expectation, result()) == []


@pytest.mark.parametrize(
    "entry", ["holds = { both = { min = 5, max = 2 } }", "quiet = [[3, 1]]", "idle = [5]", "reps = { both = -1 }",
              "reps = { both = 2.5 }", "good_form = {}", 'phase = "resting"'],
)
def test_malformed_values_are_errors(tmp_path: Path, entry: str) -> None:
    with pytest.raises(InputError):
        one(tmp_path, entry)


# --- ranges and totals ------------------------------------------------------------------------------------
def test_holds_exact_within_tolerance_or_in_a_range(tmp_path: Path) -> None:
    expectation = one(tmp_path, "holds = { left = 6.0, right = { min = 8, max = 14 } }\n"
                                "tolerance = { hold_seconds = 1.0 }")
    holds = {"left": {"good_form_seconds": 6.9}, "right": {"good_form_seconds": 14.0}}
    assert failed(compare(expectation, result(holds=holds))) == []
    holds = {"left": {"good_form_seconds": 7.1}, "right": {"good_form_seconds": 7.9}}
    assert failed(compare(expectation, result(holds=holds))) == ["holds.left", "holds.right"]


def test_reps_per_side_or_summed_over_the_sides(tmp_path: Path) -> None:
    per_side = one(tmp_path, "reps = { left = 2, right = { min = 1, max = 3 } }")
    total = one(tmp_path, "reps = { min = 3, max = 5 }")
    counts = {"left": {"count": 2}, "right": {"count": 3}}
    assert failed(compare(per_side, result(reps=counts))) == []
    assert failed(compare(total, result(reps=counts))) == []
    counts = {"left": {"count": 4}, "right": {"count": 2}}
    assert failed(compare(per_side, result(reps=counts))) == ["reps.left"]
    assert failed(compare(total, result(reps=counts))) == ["reps"]


def test_good_form_sums_the_holds_or_the_good_frames(tmp_path: Path) -> None:
    expectation = one(tmp_path, "good_form = { min = 3.0 }")
    holds = {"left": {"good_form_seconds": 1.0}, "right": {"good_form_seconds": 2.0}}
    assert good_form_seconds(result(holds=holds)) == 3.0
    assert failed(compare(expectation, result(holds=holds))) == []
    reps = result(reps={"both": {"count": 1}}, good=[(0.0, False), (1.0, True), (2.5, True), (3.0, False)])
    assert good_form_seconds(reps) == pytest.approx(2.5)
    assert failed(compare(expectation, reps)) == ["good_form"]


# --- faults -----------------------------------------------------------------------------------------------
def test_faults_empty_means_no_fault_at_all_but_hints_are_not_faults(tmp_path: Path) -> None:
    expectation = one(tmp_path, "faults = []")
    findings = compare(expectation, result(faults=[fault("no-over-arch", 1, 2, "hint")]))
    assert failed(findings) == [] and [f.field for f in findings] == ["faults"]
    assert failed(compare(expectation, result(faults=[fault("hips-level", 1, 2)]))) == ["faults"]


def test_faults_include_and_exclude_name_check_ids(tmp_path: Path) -> None:
    expectation = one(tmp_path, 'faults_include = ["hips-level"]\nfaults_exclude = ["neck-neutral"]')
    assert failed(compare(expectation, result(faults=[fault("hips-level", 1, 2)]))) == []
    assert failed(compare(expectation, result())) == ["faults_include"]
    assert failed(compare(expectation, result(faults=[fault("hips-level", 1, 2), fault("neck-neutral", 3, 4)]))) == [
        "faults_exclude"]
    assert expectation.check_ids == ("hips-level", "neck-neutral")


def test_quiet_windows_admit_no_fault_interval_overlapping_them(tmp_path: Path) -> None:
    expectation = one(tmp_path, "quiet = [[10, 20]]")
    assert failed(compare(expectation, result(faults=[fault("hips-level", 5, 10), fault("x", 20, 25)]))) == []
    assert failed(compare(expectation, result(faults=[fault("hips-level", 19, 21)]))) == ["quiet"]


def test_idle_windows_admit_no_good_form_time(tmp_path: Path) -> None:
    expectation = one(tmp_path, "idle = [[0, 2]]")
    late = result(good=[(1.0, False), (2.0, False), (3.0, True)])
    early = result(good=[(1.0, False), (2.0, True), (3.0, True)])
    assert failed(compare(expectation, late)) == []
    assert failed(compare(expectation, early)) == ["idle"]


def test_fault_intervals_match_within_the_clips_own_tolerance(tmp_path: Path) -> None:
    expectation = one(tmp_path, 'faults = [{ check = "hips-level", start = 2.0, end = 4.0 }]\n'
                                "tolerance = { fault_seconds = 1.0 }")
    assert failed(compare(expectation, result(faults=[fault("hips-level", 2.9, 3.1)]))) == []
    assert failed(compare(expectation, result(faults=[fault("hips-level", 3.2, 4.0)]))) == ["faults[0]", "faults"]


def test_the_documented_example_loads(tmp_path: Path) -> None:
    """Every line of the module's example is valid vocabulary."""
    from posecoach.verify import expectations as module

    doc = module.__doc__ or ""
    example = "\n".join(line[4:] for line in doc.splitlines() if line.startswith("    "))
    body = example.replace("kneeling-hip-flexor_good_side.mp4", "clip.pose.npz")
    # The example shows both ways of writing reps; a file has one.
    body = "\n".join(line for line in body.splitlines() if not line.startswith("reps = { min"))
    (expectation,) = expect(tmp_path, body).values()
    assert expectation.holds["right"].low == 5 and math.isclose(expectation.holds["left"].high, 7.0)  # its own 1 s
    assert expectation.quiet == ((12.5, 17.5),) and expectation.idle == ((0.0, 7.0),)
