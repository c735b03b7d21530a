"""`posecoach routine`: the guide's session live, as a playlist of reminders and exercises with rests
between them; a stretch that keeps failing offers its easier variant (press e)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from posecoach.app.context import Library, Model
from posecoach.app.live import (
    DEFAULT_OPTIONS,
    EASIER,
    ENDED,
    INTERRUPTED,
    PAIN,
    QUIT,
    STOPPED,
    ExerciseRun,
    Live,
    LiveOptions,
    LiveResult,
    history_path,
    open_live,
    run_exercise,
    show_screen_for,
)
from posecoach.capture import LiveSource
from posecoach.coach.struggle import StruggleWatch
from posecoach.errors import DeviceError
from posecoach.history.progression import planned_hold
from posecoach.history.store import SessionRow
from posecoach.outputs.window import GREEN, Screen
from posecoach.specs.routine import ExerciseStep, Reminder, Routine, load_routine
from posecoach.specs.schema import Exercise


def load(name: str, library: Library) -> Routine:
    return load_routine(name, frozenset(library.catalogue.exercises))


def rest_screen(exercise: Exercise) -> Screen:
    return Screen("Rest", (f"Next: {exercise.name}{hold_words(exercise)}", "Breathe slowly and get into position."),
                  "any key to start now, q to stop", GREEN)


def hold_words(exercise: Exercise) -> str:
    if not exercise.held:
        return ""
    return f", held {exercise.target_seconds:g} seconds" + (" a side" if exercise.has_sides else "")


class HoldPlan:
    """The hold each held exercise of a routine gets: `hold` seconds when given, else the routine's build-up
    from the history logged before this session, else the spec's own target."""

    def __init__(self, routine: Routine, *, hold: float | None, sessions: Sequence[SessionRow], today: date) -> None:
        self._hold = hold
        self._build_up = routine.build_up
        self._sessions = list(sessions)
        self._today = today

    def __call__(self, exercise: Exercise) -> Exercise:
        if not exercise.held:
            return exercise
        if self._hold is not None:
            return exercise.with_hold(self._hold)
        if self._build_up is not None:
            return exercise.with_hold(planned_hold(self._build_up, self._sessions, exercise.id, self._today))
        return exercise


def routine_live(
    name: str,
    source: LiveSource,
    *,
    library: Library,
    model: Model,
    options: LiveOptions = DEFAULT_OPTIONS,
    hold: float | None = None,
    today: date | None = None,
) -> LiveResult:
    """Run a routine; held exercises last `hold` seconds a side when given, else as the routine's build-up
    and the history say (`today` decides the week; default the real date)."""
    routine = load(name, library)
    runs: list[ExerciseRun] = []
    with open_live(source, library=library, model=model, title=f"posecoach: {routine.name}", options=options) as live:
        # A history another program holds locked gives no build-up today (the session is kept beside it).
        sessions = live.history.sessions() if routine.build_up and live.history is not None else ()
        plan = HoldPlan(routine, hold=hold, sessions=sessions, today=today or date.today())
        note: str | None = None
        failure: BaseException | None = None
        try:
            note = _follow(routine, live, library, plan, runs)
        except (DeviceError, KeyboardInterrupt) as error:  # in a reminder or a rest: no session was running
            failure = error
        if runs and runs[-1].failure is not None:
            failure = runs[-1].failure
        return LiveResult(tuple(runs), history_path(live), note=note, failure=failure)


def _follow(routine: Routine, live: Live, library: Library, plan: HoldPlan, runs: list[ExerciseRun]) -> str | None:
    """Go through the routine's steps, adding each exercise's run to `runs`; returns what ended it early
    outside an exercise, if anything did (an exercise's own ending is in its run)."""
    exercised = False
    for step in routine.steps:
        if isinstance(step, Reminder):
            screen = Screen(step.title, step.text, "any key to go on, q to stop")
            action = show_screen_for(live, screen, step.seconds, countdown="next in")
            if action in ("quit", ENDED):
                return _early(action, f"'{step.title}'", runs)
            continue
        assert isinstance(step, ExerciseStep)
        exercise = plan(library.exercise(step.exercise))
        if exercised and routine.rest_seconds > 0:
            action = show_screen_for(live, rest_screen(exercise), routine.rest_seconds, countdown="rest")
            if action in ("quit", ENDED):
                return _early(action, f"the rest before {exercise.name}", runs)
        exercised = True
        run = run_exercise(live, exercise, watch=StruggleWatch(routine.struggle_seconds))
        runs.append(run)
        if run.outcome == EASIER and exercise.easier:
            run = run_exercise(live, plan(library.exercise(exercise.easier)))
            runs.append(run)
        if run.outcome in (QUIT, ENDED, PAIN, STOPPED, INTERRUPTED):
            return None
    return None


def _early(action: str, during: str, runs: list[ExerciseRun]) -> str:
    how = "the camera ended" if action == ENDED else "stopped"
    logged = "" if runs else "; no exercise had started, so nothing was logged"
    return f"Routine {how} during {during}{logged}"
