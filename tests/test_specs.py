"""Exercise specs: the shipped ones load cleanly, and each kind of mistake gets one precise line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from posecoach.cli import main
from posecoach.errors import ExitCode
from posecoach.resources import EXERCISE_SPECS, data_dir
from posecoach.rules.registry import builtin_rules
from posecoach.specs.loader import builtin, load

SHIPPED = data_dir(EXERCISE_SPECS) / "kneeling-hip-flexor.toml"
GOOD = SHIPPED.read_text(encoding="utf-8")
SUMMARY = "posecoach: error: 1 problem(s) in the specs; fix them and validate again"


def _edit(text: str, old: str, new: str) -> str:
    assert text.count(old) >= 1, f"{old!r} not in the spec"
    return text.replace(old, new, 1)


def _write(folder: Path, text: str, name: str = "kneeling-hip-flexor") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _validate(capsys: pytest.CaptureFixture[str], *paths: Path) -> tuple[int, list[str], list[str]]:
    code = main(["exercises", "validate", *map(str, paths)])
    captured = capsys.readouterr()
    return code, captured.out.splitlines(), captured.err.splitlines()


def _one_problem(capsys: pytest.CaptureFixture[str], path: Path) -> str:
    code, out, err = _validate(capsys, path)
    assert code == ExitCode.SPEC
    assert out == []
    assert len(err) == 2, err
    assert err[1] == SUMMARY
    return err[0]


# --- the shipped specs -----------------------------------------------------------------------------------


def test_shipped_specs_load_without_problems():
    catalogue = builtin(builtin_rules())
    assert catalogue.problems == []
    assert "kneeling-hip-flexor" in catalogue.exercises
    for exercise_id, path in catalogue.paths.items():
        assert path.stem == exercise_id


def test_validate_defaults_to_the_shipped_specs(capsys):
    code, out, err = _validate(capsys)
    assert code == ExitCode.OK
    assert err == []
    assert len(out) == 1
    assert out[0].startswith("ok: ")
    assert "kneeling-hip-flexor" in out[0]


def test_validate_a_good_copy(tmp_path, capsys):
    path = _write(tmp_path, GOOD)
    code, out, err = _validate(capsys, path)
    assert code == ExitCode.OK
    assert out == ["ok: 1 exercise(s) valid: kneeling-hip-flexor"]
    assert err == []


# --- one mistake, one line -----------------------------------------------------------------------------


def test_missing_field(tmp_path, capsys):
    path = _write(tmp_path, _edit(GOOD, 'name = "Kneeling hip flexor stretch"\n', ""))
    assert _one_problem(capsys, path) == f"{path}: name: is missing (required)"


def test_unknown_landmark_suggests_the_closest(tmp_path, capsys):
    text = _edit(GOOD, '"front.knee", "front.ankle"]', '"front.kneee", "front.ankle"]')
    path = _write(tmp_path, text)
    line = _one_problem(capsys, path)
    assert line.startswith(f"{path}: measures[0].points: 'front.kneee' is not a known landmark (did you mean front.knee? ")
    assert "parts: ankle, ear, elbow" in line
    assert line.endswith(")")


def test_position_watch_names_an_angle_measure(tmp_path, capsys):
    good = _write(tmp_path / "good", _edit(GOOD, "[position]\n", '[position]\nwatch = ["front_knee"]\n'))
    code, _, err = _validate(capsys, good)
    assert code == ExitCode.OK, err
    path = _write(tmp_path / "typo", _edit(GOOD, "[position]\n", '[position]\nwatch = ["front_kne"]\n'))
    assert _one_problem(capsys, path).startswith(f"{path}: position.watch[0]: 'front_kne' is not a measure of this exercise")


def test_tolerance_of_the_wrong_type(tmp_path, capsys):
    path = _write(tmp_path, _edit(GOOD, "tolerance = 15", 'tolerance = "ten"'))
    assert _one_problem(capsys, path) == f"{path}: checks[0].tolerance: 'ten' is not a number (a number, e.g. 15)"


def test_unknown_rule_module(tmp_path, capsys):
    text = GOOD + (
        '\n[[measures]]\nname = "back_foot"\nkind = "rule"\nrule = "couch.back_foot_upp"\n'
        'describe = "Back shin elevation."\n'
    )
    path = _write(tmp_path, text)
    line = _one_problem(capsys, path)
    head, sep, known = line.partition("(known: ")
    assert head == f"{path}: measures[5].rule: 'couch.back_foot_upp' is not a registered rule module "
    assert {"couch.back_foot_up", "piriformis.ankle_on_knee"} <= set(known.removesuffix(")").split(", "))


def test_duplicate_id_across_two_files(tmp_path, capsys):
    first = _write(tmp_path / "a", GOOD)
    second = _write(tmp_path / "b", GOOD)
    assert _validate(capsys, second)[0] == ExitCode.OK  # each file is fine on its own
    code, out, err = _validate(capsys, tmp_path / "a", tmp_path / "b")
    assert code == ExitCode.SPEC
    assert err == [
        f"{second}: id: 'kneeling-hip-flexor' is already defined in {first} (ids must be unique)",
        SUMMARY,
    ]


def test_duplicate_check_id(tmp_path, capsys):
    path = _write(tmp_path, _edit(GOOD, 'id = "torso-upright"', 'id = "front-knee"'))
    assert _one_problem(capsys, path) == (
        f"{path}: checks[1].id: 'front-knee' is defined twice (check ids must be unique)"
    )


def test_check_naming_an_unknown_measure(tmp_path, capsys):
    path = _write(tmp_path, _edit(GOOD, 'measure = "torso_lean"', 'measure = "torso_leen"'))
    assert _one_problem(capsys, path) == (
        f"{path}: checks[1].measure: 'torso_leen' is not a measure of this exercise (did you mean 'torso_lean'? "
        "defined: front_knee, back_knee, torso_lean, back_shin_lift, front_shin_height)"
    )


def test_invalid_toml(tmp_path, capsys):
    path = _write(tmp_path, 'id = "kneeling-hip-flexor\nname = "x"\n')
    line = _one_problem(capsys, path)
    assert line.startswith(f"{path}: (file): is not valid TOML (")
    assert "line 1" in line


def test_file_name_not_matching_id(tmp_path, capsys):
    path = _write(tmp_path, GOOD, name="hip-flexor")
    assert _one_problem(capsys, path) == (
        f"{path}: id: 'kneeling-hip-flexor' does not match the file name (name the file kneeling-hip-flexor.toml)"
    )


def test_a_broken_file_does_not_stop_the_good_ones(tmp_path):
    _write(tmp_path, _edit(GOOD, "tolerance = 15", 'tolerance = "ten"'))
    good = _edit(GOOD, 'id = "kneeling-hip-flexor"', 'id = "hip-flexor"')
    _write(tmp_path, good, name="hip-flexor")
    catalogue = load([tmp_path], builtin_rules())
    assert list(catalogue.exercises) == ["hip-flexor"]
    assert len(catalogue.problems) == 1


# --- list and show -----------------------------------------------------------------------------------------


def test_list_names_the_shipped_exercise(capsys):
    assert main(["exercises", "list"]) == ExitCode.OK
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith("kneeling-hip-flexor"))
    assert "Kneeling hip flexor stretch" in line
    assert "hold 30 s per side" in line
    assert "side view" in line
    assert "problem:" not in out


def test_show_lists_steps_checks_and_targets(capsys):
    assert main(["exercises", "show", "kneeling-hip-flexor"]) == ExitCode.OK
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "Kneeling hip flexor stretch"
    assert "Mode: hold 30 s per side" in lines
    assert "Steps:" in lines and "Checks:" in lines
    assert any(line.startswith("  1. Kneel on one knee") for line in lines)
    assert any(line.startswith("  front-knee (fault): front_knee 90 ± 15") for line in lines)
    assert any(line.startswith("  torso-upright (fault): torso_lean -10 to 20") for line in lines)
    assert any(line.startswith("  back-knee-down (fault): back_shin_lift at most 25") for line in lines)
    assert "Safety:" in lines


def test_show_unknown_exercise_suggests_the_closest(capsys):
    code = main(["exercises", "show", "kneeling-hip-flexer"])
    captured = capsys.readouterr()
    assert code == ExitCode.SPEC
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1
    head, sep, known = lines[0].partition("known exercises: ")
    assert head == "posecoach: error: unknown exercise 'kneeling-hip-flexer'; did you mean 'kneeling-hip-flexor'? "
    assert "kneeling-hip-flexor" in known.split(", ")


def test_a_measure_with_the_wrong_number_of_points(tmp_path, capsys):
    text = _edit(GOOD, 'kind = "angle"\npoints = ["front.hip", "front.knee", "front.ankle"]',
                 'kind = "segments"\npoints = ["front.hip", "front.knee", "front.ankle"]')
    path = _write(tmp_path, text)
    assert _one_problem(capsys, path).startswith(f"{path}: measures[0].points: segments takes 4 points, got 3")


# --- numbers, names and folders ------------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "field", "value"), [
    ("tolerance = 15", 'tolerance = "15"', "checks[0].tolerance", "15"),
    ("target_seconds = 30", 'target_seconds = "30"', "mode.target_seconds", "30"),
    ("sides = true", 'sides = "true"', "mode.sides", "true"),
])
def test_a_quoted_number_is_a_problem_not_a_number(tmp_path, capsys, old, new, field, value):
    path = _write(tmp_path, _edit(GOOD, old, new))
    assert _one_problem(capsys, path) == (
        f"{path}: {field}: '{value}' is quoted text, not {'true or false' if value == 'true' else 'a number'} "
        f"(write it without quotes: {value})"
    )


def test_a_bad_value_in_the_only_check_is_one_problem(tmp_path, capsys):
    text = (data_dir(EXERCISE_SPECS) / "plank.toml").read_text(encoding="utf-8")
    assert text.count("[[checks]]") == 1
    text = re.sub(r"(?m)^hysteresis = .*$", 'hysteresis = "lots"', text)
    path = _write(tmp_path, text, name="plank")
    assert _one_problem(capsys, path) == f"{path}: checks[0].hysteresis: 'lots' is not a number (a number, e.g. 15)"


def test_an_id_with_an_underscore_says_what_an_id_may_hold(tmp_path, capsys):
    path = _write(tmp_path, _edit(GOOD, 'id = "kneeling-hip-flexor"', 'id = "plank_custom"'), name="plank_custom")
    line = _one_problem(capsys, path)
    assert line == (f"{path}: id: 'plank_custom' is not a valid id (lowercase letters and digits, words joined by "
                    "single hyphens, starting with a letter; e.g. 'plank-custom')")
    assert "_" not in line.split("(", 1)[1].replace("'plank_custom'", "")


def test_a_measure_name_with_a_hyphen_says_what_a_name_may_hold(tmp_path, capsys):
    text = GOOD.replace('"front_knee"', '"front-knee"')
    path = _write(tmp_path, text)
    code, _, err = _validate(capsys, path)
    assert code == ExitCode.SPEC
    assert f"{path}: measures[0].name: 'front-knee' is not a valid name (lowercase letters, digits and underscores, " \
           "starting with a letter; e.g. 'front_knee')" in err


def test_an_empty_folder_is_not_valid(tmp_path, capsys):
    code, out, err = _validate(capsys, tmp_path)
    assert code == ExitCode.SPEC
    assert out == []
    assert err == [f"{tmp_path}: (folder): holds no .toml spec files (give a .toml spec or a folder of them)", SUMMARY]


# --- suggestions for an unknown exercise ---------------------------------------------------------------


@pytest.mark.parametrize(("typed", "hint"), [
    ("couch", "did you mean 'couch-stretch'?"),
    ("bridge", "did you mean 'glute-bridge'?"),
    ("hip-flexor", "did you mean 'kneeling-hip-flexor' or 'standing-hip-flexor'?"),
    ("kneeling-hip-flexr", "did you mean 'kneeling-hip-flexor'?"),
])
def test_an_unknown_exercise_suggests_what_it_begins_or_is_part_of(capsys, typed, hint):
    code = main(["exercises", "show", typed])
    err = capsys.readouterr().err
    assert code == ExitCode.SPEC
    assert f"unknown exercise {typed!r}; {hint} known exercises: " in err


# --- --specs -------------------------------------------------------------------------------------------


def _review_with_specs(capsys: pytest.CaptureFixture[str], tmp_path: Path, exercise: str,
                       *specs: Path) -> tuple[int, list[str]]:
    """`review` of a video that does not exist: the specs are read first, so their problems come first."""
    args = ["review", str(tmp_path / "no-such-video.mp4"), "-e", exercise]
    for spec in specs:
        args += ["--specs", str(spec)]
    code = main(args)
    return code, capsys.readouterr().err.splitlines()


def test_a_missing_specs_file_is_an_error(tmp_path, capsys):
    missing = tmp_path / "missing.toml"
    code, err = _review_with_specs(capsys, tmp_path, "plank", missing)
    assert code == ExitCode.SPEC
    assert err == [f"posecoach: error: {missing}: (file): no such file (give a .toml spec or a folder of them)"]


def test_a_broken_specs_file_is_an_error(tmp_path, capsys):
    broken = _write(tmp_path, 'id = "kneeling-hip-flexor\n')
    code, err = _review_with_specs(capsys, tmp_path, "plank", broken)
    assert code == ExitCode.SPEC and len(err) == 1
    assert err[0].startswith(f"posecoach: error: {broken}: (file): is not valid TOML (")


def test_several_problems_in_the_specs_name_the_first_and_the_count(tmp_path, capsys):
    _write(tmp_path, _edit(GOOD, "tolerance = 15", 'tolerance = "ten"'))
    _write(tmp_path, _edit(GOOD, 'name = "Kneeling hip flexor stretch"\n', ""), name="other")
    code, err = _review_with_specs(capsys, tmp_path, "plank", tmp_path)
    assert code == ExitCode.SPEC and len(err) == 1
    assert err[0].endswith(f" (and 1 more problem: posecoach exercises validate {tmp_path})")


def test_one_id_in_two_specs_folders_names_both_files(tmp_path, capsys):
    custom = _edit(GOOD, 'id = "kneeling-hip-flexor"', 'id = "my-kneel"')
    first = _write(tmp_path / "a", custom, name="my-kneel")
    second = _write(tmp_path / "b", custom, name="my-kneel")
    code, err = _review_with_specs(capsys, tmp_path, "my-kneel", tmp_path / "a", tmp_path / "b")
    assert code == ExitCode.SPEC
    assert err == [f"posecoach: error: {second}: id: 'my-kneel' is already defined in {first} (ids must be unique)"]


def test_a_spec_may_replace_a_shipped_exercise_and_says_so(tmp_path, capsys):
    mine = _write(tmp_path, _edit(GOOD, "tolerance = 15", "tolerance = 12"))
    code, err = _review_with_specs(capsys, tmp_path, "kneeling-hip-flexor", mine)
    assert code == ExitCode.INPUT  # the specs were fine: the missing video is what stopped it
    assert err[0] == f"posecoach: note: exercise 'kneeling-hip-flexor' comes from {mine} (it replaces the shipped spec)"
    assert "no-such-video.mp4: no such file" in err[1]
    from posecoach.app import context

    library = context.library((mine,))
    assert library.exercise("kneeling-hip-flexor").checks[0].tolerance == 12
    assert library.catalogue.paths["kneeling-hip-flexor"] == mine


def test_a_user_spec_may_name_a_shipped_exercise_as_its_easier_variant(tmp_path):
    from posecoach.app import context

    couch = (data_dir(EXERCISE_SPECS) / "couch-stretch.toml").read_text(encoding="utf-8")
    assert 'easier = "kneeling-hip-flexor"' in couch
    path = _write(tmp_path, _edit(couch, 'id = "couch-stretch"', 'id = "my-couch"'), name="my-couch")
    assert context.library((path,)).exercise("my-couch").easier == "kneeling-hip-flexor"


def test_check_refuses_broken_specs_before_any_clip(tmp_path, capsys):
    broken = _write(tmp_path, 'id = "kneeling-hip-flexor\n')
    code = main(["check", str(tmp_path / "clips"), "--specs", str(broken)])
    err = capsys.readouterr().err.splitlines()
    assert code == ExitCode.SPEC and len(err) == 1 and "is not valid TOML" in err[0]
