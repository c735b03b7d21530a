"""Holds you choose: a hold time for one exercise, and a routine's holds building up over the weeks."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from posecoach.cli import main
from posecoach.errors import ExitCode, SpecError
from posecoach.history.progression import planned_hold
from posecoach.history.store import SessionRow, SideSummary
from posecoach.specs.routine import BuildUp, load_routine
from tests import poses

KNEELING = poses.shipped("kneeling-hip-flexor")
BUILD_UP = BuildUp(start_seconds=30, step_seconds=5, max_seconds=60)
#: A Wednesday; its week starts on Monday 2024-06-10.
TODAY = date(2024, 6, 12)


def test_a_chosen_hold_replaces_the_specs_target_and_nothing_else() -> None:
    held = KNEELING.with_hold(45)
    assert held.target_seconds == 45.0 and held.held
    assert held.checks == KNEELING.checks and held.mode.grace_seconds == KNEELING.mode.grace_seconds
    assert KNEELING.target_seconds == 30.0  # the spec itself is untouched
    with pytest.raises(ValueError, match="counts repetitions"):
        poses.shipped("bird-dog").with_hold(30)
    with pytest.raises(ValueError, match="positive"):
        KNEELING.with_hold(0)


_ids = iter(range(1, 10_000))


def session(day: date, left: float, right: float | None = None, *, exercise: str = "kneeling-hip-flexor",
            kind: str = "live", pain: bool = False) -> SessionRow:
    sides = {"left": SideSummary(left), "right": SideSummary(left if right is None else right)}
    start = datetime.combine(day, datetime.min.time()).replace(hour=7)
    return SessionRow(next(_ids), kind, exercise, "camera 0", start, start + timedelta(minutes=5), sides,
                      pain_stop=pain)


def weeks_ago(n: int, weekday: int = 0) -> date:
    monday = TODAY - timedelta(days=TODAY.weekday())
    return monday - timedelta(weeks=n) + timedelta(days=weekday)


def test_a_new_exercise_starts_at_the_start() -> None:
    assert planned_hold(BUILD_UP, [], "kneeling-hip-flexor", TODAY) == 30.0
    # Sessions of this week, of other exercises, and reviews of recordings do not count.
    others = [session(TODAY, 30), session(weeks_ago(1), 30, exercise="plank"), session(weeks_ago(1), 30, kind="review")]
    assert planned_hold(BUILD_UP, others, "kneeling-hip-flexor", TODAY) == 30.0


def test_each_week_held_adds_a_step() -> None:
    history = [session(weeks_ago(3, 1), 30), session(weeks_ago(2, 0), 20), session(weeks_ago(2, 3), 35),
               session(weeks_ago(1, 2), 40)]
    assert planned_hold(BUILD_UP, history, "kneeling-hip-flexor", TODAY) == 45.0


def test_a_week_not_achieved_keeps_the_hold() -> None:
    # Both sides must reach it: the right side fell short in week 2, and nothing was done last week.
    history = [session(weeks_ago(4), 30), session(weeks_ago(3), 35), session(weeks_ago(2), 40, 31)]
    assert planned_hold(BUILD_UP, history, "kneeling-hip-flexor", TODAY) == 40.0
    # A count stopped a moment short of the target (rounding) is a hold achieved.
    assert planned_hold(BUILD_UP, [session(weeks_ago(1), 29.7)], "kneeling-hip-flexor", TODAY) == 35.0


def test_a_week_with_a_stop_for_pain_never_builds_up() -> None:
    history = [session(weeks_ago(2), 30), session(weeks_ago(1, 0), 35), session(weeks_ago(1, 2), 5, pain=True)]
    assert planned_hold(BUILD_UP, history, "kneeling-hip-flexor", TODAY) == 35.0


def test_the_hold_stops_at_the_maximum() -> None:
    history = [session(weeks_ago(n), 60) for n in range(12, 0, -1)]
    assert planned_hold(BUILD_UP, history, "kneeling-hip-flexor", TODAY) == 60.0


def test_the_default_routine_builds_from_30_to_60_seconds() -> None:
    from posecoach.app import context

    routine = load_routine("default", frozenset(context.library().catalogue.exercises))
    assert routine.build_up == BUILD_UP


def test_a_build_up_that_starts_above_its_maximum_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_text('id = "r"\nname = "R"\n[build_up]\nstart_seconds = 70\nmax_seconds = 60\n'
                    '[[steps]]\nkind = "exercise"\nexercise = "plank"\n')
    with pytest.raises(SpecError, match=r"build_up: .*start_seconds 70 is above max_seconds 60"):
        load_routine(str(path), frozenset({"plank"}))


def test_hold_is_checked_before_the_camera_opens(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["coach", "bird-dog", "--hold", "40", "--camera", "9"]) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "'--hold'" in err and "bird-dog counts repetitions" in err
    assert main(["routine", "--hold", "2", "--camera", "9"]) == ExitCode.USAGE
    assert "5<=x<=600" in capsys.readouterr().err


def test_coach_and_routine_take_specs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A spec of one's own is found (the camera is what fails next); without --specs it is unknown.
    from posecoach.resources import EXERCISE_SPECS, data_dir

    text = (data_dir(EXERCISE_SPECS) / "kneeling-hip-flexor.toml").read_text()
    spec = tmp_path / "my-kneel.toml"
    spec.write_text(text.replace('id = "kneeling-hip-flexor"', 'id = "my-kneel"'))
    routine = tmp_path / "mine.toml"
    routine.write_text('id = "mine"\nname = "Mine"\n[[steps]]\nkind = "exercise"\nexercise = "my-kneel"\n')
    assert main(["coach", "my-kneel", "--camera", "9"]) == ExitCode.SPEC
    assert main(["routine", str(routine), "--camera", "9"]) == ExitCode.SPEC
    capsys.readouterr()
    for argv in (["coach", "my-kneel"], ["routine", str(routine)]):
        assert main([*argv, "--specs", str(spec), "--camera", "9", "--data-dir", str(tmp_path)]) == ExitCode.DEVICE
        assert capsys.readouterr().err.startswith("posecoach: error: --camera 9:")
