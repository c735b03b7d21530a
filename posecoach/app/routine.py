"""`posecoach routine`: the guide's session live, as a playlist of reminders and exercises with rests
between them; a stretch that keeps failing offers its easier variant (press e)."""

from __future__ import annotations

from posecoach.app.context import Library, Model
from posecoach.app.live import (
    DEFAULT_OPTIONS,
    EASIER,
    ENDED,
    PAIN,
    QUIT,
    ExerciseRun,
    LiveOptions,
    LiveResult,
    open_live,
    run_exercise,
    show_screen_for,
)
from posecoach.capture import LiveSource
from posecoach.coach.struggle import StruggleWatch
from posecoach.outputs.window import GREEN, Screen
from posecoach.specs.routine import ExerciseStep, Reminder, Routine, load_routine


def load(name: str, library: Library) -> Routine:
    return load_routine(name, frozenset(library.catalogue.exercises))


def rest_screen(next_name: str) -> Screen:
    return Screen("Rest", (f"Next: {next_name}", "Breathe slowly and get into position."),
                  "any key to start now, q to stop", GREEN)


def routine_live(
    name: str,
    source: LiveSource,
    *,
    library: Library,
    model: Model,
    options: LiveOptions = DEFAULT_OPTIONS,
) -> LiveResult:
    routine = load(name, library)
    runs: list[ExerciseRun] = []
    with open_live(source, library=library, model=model, title=f"posecoach: {routine.name}", options=options) as live:
        exercised = False
        for step in routine.steps:
            if isinstance(step, Reminder):
                screen = Screen(step.title, step.text, "any key to go on, q to stop")
                action = show_screen_for(live, screen, step.seconds, countdown="next in")
                if action in ("quit", ENDED):
                    break
                continue
            assert isinstance(step, ExerciseStep)
            exercise = library.exercise(step.exercise)
            if exercised and routine.rest_seconds > 0:
                action = show_screen_for(live, rest_screen(exercise.name), routine.rest_seconds, countdown="rest")
                if action in ("quit", ENDED):
                    break
            exercised = True
            run = run_exercise(live, exercise, watch=StruggleWatch(routine.struggle_seconds))
            runs.append(run)
            if run.outcome == EASIER and exercise.easier:
                run = run_exercise(live, library.exercise(exercise.easier))
                runs.append(run)
            if run.outcome in (QUIT, ENDED, PAIN):
                break
        return LiveResult(tuple(runs), live.history.path)
