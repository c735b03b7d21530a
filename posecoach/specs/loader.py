"""Reading exercise specs (TOML) and checking every field and cross-reference.

Every problem is reported as `file: field: what is wrong (what is allowed)`; a folder with a bad file still
loads its good ones, so one broken spec never stops the coach.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from posecoach.errors import SpecError
from posecoach.landmarks import PAIR_INDEX, UNPAIRED
from posecoach.rules.body import SIDE_PREFIXES, parse_point
from posecoach.rules.measures import referenced_points
from posecoach.rules.registry import RuleRegistry
from posecoach.specs.schema import ANGLE_KINDS, JOINT_KINDS, Exercise, RepsMode

PARTS = sorted(PAIR_INDEX)


def _field(location: Sequence[str | int]) -> str:
    text = ""
    for item in location:
        text += f"[{item}]" if isinstance(item, int) else (f".{item}" if text else str(item))
    return text or "(file)"


def _allowed(error: Any) -> str:
    """What pydantic says is allowed, phrased for a person writing TOML."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    given = error.get("input")
    if kind == "missing":
        return "is missing (required)"
    if kind == "extra_forbidden":
        return "is not a known field (remove it or check its spelling)"
    if kind in ("float_parsing", "float_type"):
        return f"{given!r} is not a number (a number, e.g. 15)"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{given!r} is not a whole number (a whole number, e.g. 10)"
    if kind in ("bool_type", "bool_parsing"):
        return f"{given!r} is not true or false (true or false)"
    if kind in ("string_type",):
        return f"{given!r} is not text (a quoted string)"
    if kind == "literal_error":
        return f"{given!r} is not allowed ({ctx.get('expected', '')})"
    if kind == "string_pattern_mismatch":
        return f"{given!r} is not a valid name (lowercase letters, digits, and - or _ as the field needs)"
    if kind in ("greater_than", "greater_than_equal", "less_than_equal", "less_than"):
        return f"{given!r} is out of range ({error['msg'].removeprefix('Input should be ')})"
    if kind in ("too_short", "too_long"):
        return f"has the wrong number of items ({error['msg']})"
    if kind == "union_tag_invalid":
        return f"{ctx.get('tag')!r} is not allowed ({ctx.get('expected_tags')})"
    if kind == "union_tag_not_found":
        return "is missing its kind (kind = \"hold\" or \"reps\")"
    if kind == "value_error":
        message = str(ctx.get("error", error["msg"]))
        return message
    return f"{error['msg']} (got {given!r})"


def _pydantic_problems(path: Path, error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors():
        location = [part for part in item["loc"] if not (isinstance(part, str) and part in ("hold", "reps"))]
        message = _allowed(item)
        # A model-level rule names its own field first ("points: ..."): move it into the field path.
        head, sep, rest = message.partition(": ")
        if item["type"] == "value_error" and sep and " " not in head:
            location = [*location, head]
            message = rest
        problems.append(f"{path}: {_field(location)}: {message}")
    return problems


def _point_problem(ref: str, roles: Sequence[str]) -> str | None:
    prefix, part = parse_point(ref)
    prefixes = [*roles, *SIDE_PREFIXES]
    if prefix is None:
        if part in UNPAIRED:
            return None
        if part in PAIR_INDEX:
            return f"{ref!r} needs a side or role (one of {', '.join(f'{p}.{part}' for p in prefixes)})"
        return f"{ref!r} is not a known landmark (one of: nose, or <side>.<part> with part in {', '.join(PARTS)})"
    if prefix not in prefixes:
        return f"{ref!r} has an unknown side or role {prefix!r} (one of: {', '.join(prefixes)})"
    if part not in PAIR_INDEX:
        close = difflib.get_close_matches(part, PARTS, n=1)
        hint = f"did you mean {prefix}.{close[0]}? " if close else ""
        return f"{ref!r} is not a known landmark ({hint}parts: {', '.join(PARTS)})"
    return None


def cross_reference(path: Path, exercise: Exercise, rules: RuleRegistry) -> list[str]:
    """Problems between fields that each validated on their own."""
    problems: list[str] = []
    say = problems.append
    if exercise.id != path.stem:
        say(f"{path}: id: {exercise.id!r} does not match the file name (name the file {exercise.id}.toml)")
    roles = exercise.sides.roles if exercise.sides else ()
    if exercise.has_sides and exercise.sides is None:
        say(f"{path}: sides: missing, but mode.sides is true (add a [sides] table with roles, decide and part)")
    if not exercise.has_sides and exercise.sides is not None:
        say(f"{path}: sides: present, but mode.sides is false (remove [sides] or set mode.sides = true)")
    if exercise.sides is not None:
        if exercise.sides.part not in PAIR_INDEX:
            say(f"{path}: sides.part: {exercise.sides.part!r} is not a paired landmark (one of: {', '.join(PARTS)})")
        also = (exercise.sides.also_decide, exercise.sides.also_part)
        if (also[0] is None) != (also[1] is None):
            say(f"{path}: sides: also_decide and also_part go together (give both or neither)")
        elif also[1] is not None and also[1] not in PAIR_INDEX:
            say(f"{path}: sides.also_part: {also[1]!r} is not a paired landmark (one of: {', '.join(PARTS)})")
        if len(set(roles)) != 2 or set(roles) & set(SIDE_PREFIXES):
            say(f"{path}: sides.roles: {list(roles)} must be two different names, not left, right or mid")
    names: dict[str, str] = {}
    for i, measure in enumerate(exercise.measures):
        where = f"{path}: measures[{i}]"
        if measure.name in names:
            say(f"{where}.name: {measure.name!r} is defined twice (measure names must be unique)")
        names[measure.name] = measure.kind
        for ref in referenced_points(measure):
            problem = _point_problem(ref, roles)
            if problem:
                say(f"{where}.points: {problem}")
        if measure.rule is not None and measure.rule not in rules:
            say(f"{where}.rule: {measure.rule!r} is not a registered rule module (known: {', '.join(rules)})")

    def known_measure(where: str, name: str) -> None:
        if name not in names:
            close = difflib.get_close_matches(name, list(names), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            say(f"{where}: {name!r} is not a measure of this exercise ({hint}defined: {', '.join(names)})")

    seen_checks: set[str] = set()
    for i, check in enumerate(exercise.checks):
        if check.id in seen_checks:
            say(f"{path}: checks[{i}].id: {check.id!r} is defined twice (check ids must be unique)")
        seen_checks.add(check.id)
        known_measure(f"{path}: checks[{i}].measure", check.measure)
        if check.when in ("top", "peak") and not isinstance(exercise.mode, RepsMode):
            say(f"{path}: checks[{i}].when: {check.when!r} applies to reps only (use 'always' for a hold)")
    for i, condition in enumerate(exercise.position.requires):
        known_measure(f"{path}: position.requires[{i}].measure", condition.measure)
    for i, measure in enumerate(exercise.measures):
        for j, condition in enumerate(measure.only_when):
            known_measure(f"{path}: measures[{i}].only_when[{j}].measure", condition.measure)
            if condition.measure == measure.name:
                say(f"{path}: measures[{i}].only_when[{j}].measure: a measure cannot depend on itself")
    for i, name in enumerate(exercise.position.watch):
        known_measure(f"{path}: position.watch[{i}]", name)
        if names.get(name, "angle") not in ANGLE_KINDS:
            say(f"{path}: position.watch[{i}]: {name!r} is not an angle measure (stillness is judged in degrees)")
    if isinstance(exercise.mode, RepsMode):
        known_measure(f"{path}: mode.driver", exercise.mode.driver)
    if exercise.key_angle is not None:
        known_measure(f"{path}: key_angle", exercise.key_angle)
        if names.get(exercise.key_angle, "angle") not in JOINT_KINDS:
            say(f"{path}: key_angle: {exercise.key_angle!r} is not an angle measure (name an angle, bend or segments measure)")
    return problems


def parse(path: Path, rules: RuleRegistry) -> tuple[Exercise | None, list[str]]:
    """One spec file: the exercise, or None with the problems found."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        return None, [f"{path}: (file): cannot be read ({error.strerror})"]
    except UnicodeDecodeError:
        return None, [f"{path}: (file): is not UTF-8 text (save it as UTF-8)"]
    except tomllib.TOMLDecodeError as error:
        return None, [f"{path}: (file): is not valid TOML ({error})"]
    try:
        exercise = Exercise.model_validate(data)
    except ValidationError as error:
        return None, _pydantic_problems(path, error)
    problems = cross_reference(path, exercise, rules)
    return (None if problems else exercise), problems


@dataclass
class Catalogue:
    """The exercises that loaded, and the problems of those that did not."""

    exercises: dict[str, Exercise] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    paths: dict[str, Path] = field(default_factory=dict)

    def get(self, exercise_id: str) -> Exercise:
        """The exercise, or SpecError suggesting the closest known id."""
        if exercise_id in self.exercises:
            return self.exercises[exercise_id]
        broken = [p for p in self.problems if Path(p.split(":", 1)[0]).stem == exercise_id]
        if broken:
            raise SpecError(broken[0])
        close = difflib.get_close_matches(exercise_id, list(self.exercises), n=1, cutoff=0.4)
        hint = f"did you mean {close[0]!r}? " if close else ""
        known = ", ".join(sorted(self.exercises))
        raise SpecError(f"unknown exercise {exercise_id!r}; {hint}known exercises: {known}")


def spec_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.toml")) if path.is_dir() else [path])
    return files


def load(paths: Iterable[Path], rules: RuleRegistry) -> Catalogue:
    """Load spec files and folders; checks ids across files and `easier` references."""
    catalogue = Catalogue()
    for path in spec_files(paths):
        if not path.exists():
            catalogue.problems.append(f"{path}: (file): no such file (give a .toml spec or a folder of them)")
            continue
        exercise, problems = parse(path, rules)
        catalogue.problems.extend(problems)
        if exercise is None:
            continue
        if exercise.id in catalogue.exercises:
            first = catalogue.paths[exercise.id]
            catalogue.problems.append(f"{path}: id: {exercise.id!r} is already defined in {first} (ids must be unique)")
            continue
        catalogue.exercises[exercise.id] = exercise
        catalogue.paths[exercise.id] = path
    for exercise_id, exercise in catalogue.exercises.items():
        if exercise.easier is not None and exercise.easier not in catalogue.exercises:
            catalogue.problems.append(
                f"{catalogue.paths[exercise_id]}: easier: {exercise.easier!r} is not a known exercise "
                f"(one of: {', '.join(sorted(catalogue.exercises))})"
            )
    return catalogue


def builtin(rules: RuleRegistry) -> Catalogue:
    """The exercises shipped in `exercise_specs/`."""
    from posecoach.resources import EXERCISE_SPECS, data_dir

    return load([data_dir(EXERCISE_SPECS)], rules)
