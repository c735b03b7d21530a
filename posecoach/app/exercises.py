"""`posecoach exercises list | show ID | validate [PATH...]`."""

from __future__ import annotations

from pathlib import Path

from posecoach.app.context import Library
from posecoach.rules.registry import RuleRegistry
from posecoach.specs.loader import load
from posecoach.specs.schema import Exercise, HoldMode


def _mode_text(exercise: Exercise) -> str:
    mode = exercise.mode
    per = " per side" if exercise.has_sides else ""
    if isinstance(mode, HoldMode):
        return f"hold {mode.target_seconds:g} s{per}"
    hold = f", hold {mode.top_hold_seconds:g} s at the top" if mode.top_hold_seconds else ""
    alternate = ", alternating sides" if mode.alternate else ""
    return f"{mode.target_reps} reps{per}{hold}{alternate}"


def list_lines(library: Library) -> list[str]:
    exercises = sorted(library.catalogue.exercises.values(), key=lambda e: e.id)
    width = max((len(e.id) for e in exercises), default=0)
    lines = [f"{e.id:<{width}}  {e.name} ({_mode_text(e)}, {e.view} view)" for e in exercises]
    lines.extend(f"problem: {p}" for p in library.catalogue.problems)
    return lines


def _band(low: float, high: float) -> str:
    if low == float("-inf"):
        return f"at most {high:g}"
    if high == float("inf"):
        return f"at least {low:g}"
    return f"{low:g} to {high:g}"


def show_lines(library: Library, exercise_id: str) -> list[str]:
    e = library.exercise(exercise_id)
    lines = [e.name, f"  {e.summary}", "", f"Mode: {_mode_text(e)}", f"Camera: {e.view} view. {e.setup}", "", "Steps:"]
    lines.extend(f"  {i}. {step}" for i, step in enumerate(e.steps, 1))
    lines += ["", "Checks:"]
    for check in e.checks:
        low, high = check.band
        target = f"{check.target:g} ± {check.tolerance:g}" if check.target is not None else _band(low, high)
        lines.append(f"  {check.id} ({check.severity}): {check.measure} {target} — {check.describe}")
    lines += ["", "Measures:"]
    lines.extend(f"  {m.name}: {m.describe}" for m in e.measures)
    lines += ["", "Safety:"]
    lines.extend(f"  - {note}" for note in e.safety)
    if e.easier:
        lines.append(f"Easier variant: {e.easier}")
    return lines


def validate(paths: list[Path], rules: RuleRegistry) -> tuple[list[str], list[str]]:
    """(the ids that loaded, the problems): the shipped specs when no path is given."""
    if not paths:
        from posecoach.resources import EXERCISE_SPECS, data_dir

        paths = [data_dir(EXERCISE_SPECS)]
    catalogue = load(paths, rules)
    return sorted(catalogue.exercises), catalogue.problems
