"""Reading exercise specs (TOML) and checking every field and cross-reference.

Every problem is reported as `file: field: what is wrong (what is allowed)`; a folder with a bad file still
loads its good ones, so one broken spec never stops the coach.
"""

from __future__ import annotations

import difflib
import re
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
from posecoach.specs.schema import ANGLE_KINDS, ID_PATTERN, JOINT_KINDS, NAME_PATTERN, Exercise, RepsMode

PARTS = sorted(PAIR_INDEX)


def _field(location: Sequence[str | int]) -> str:
    text = ""
    for item in location:
        text += f"[{item}]" if isinstance(item, int) else (f".{item}" if text else str(item))
    return text or "(file)"


def _quoted(given: Any, kind: str) -> str | None:
    """For a value written in quotes that TOML would have read as a number (or true/false) without them."""
    if not isinstance(given, str):
        return None
    try:
        value = tomllib.loads(f"value = {given.strip()}")["value"]
    except tomllib.TOMLDecodeError:
        return None
    wanted = bool if kind == "bool" else (int if kind == "int" else (int, float))
    if isinstance(value, wanted) and (kind == "bool" or not isinstance(value, bool)):
        return f"{given!r} is quoted text, not {'true or false' if kind == 'bool' else 'a number'} " \
               f"(write it without quotes: {given.strip()})"
    return None


def _suggested_id(given: str) -> str:
    words = re.findall(r"[a-z0-9]+", given.lower())
    return "-".join(words) if words and words[0][0].isalpha() else "my-exercise"


def _suggested_name(given: str) -> str:
    words = re.findall(r"[a-z0-9]+", given.lower())
    return "_".join(words) if words and words[0][0].isalpha() else "my_measure"


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
        return _quoted(given, "float") or f"{given!r} is not a number (a number, e.g. 15)"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _quoted(given, "int") or f"{given!r} is not a whole number (a whole number, e.g. 10)"
    if kind in ("bool_type", "bool_parsing"):
        return _quoted(given, "bool") or f"{given!r} is not true or false (true or false)"
    if kind in ("string_type",):
        return f"{given!r} is not text (a quoted string)"
    if kind == "literal_error":
        return f"{given!r} is not allowed ({ctx.get('expected', '')})"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == ID_PATTERN:
        return (f"{given!r} is not a valid id (lowercase letters and digits, words joined by single hyphens, "
                f"starting with a letter; e.g. {_suggested_id(str(given))!r})")
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == NAME_PATTERN:
        return (f"{given!r} is not a valid name (lowercase letters, digits and underscores, starting with a "
                f"letter; e.g. {_suggested_name(str(given))!r})")
    if kind == "string_pattern_mismatch":
        return f"{given!r} does not have the form this field needs ({ctx.get('pattern')})"
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
    errors = error.errors()
    for item in errors:
        # A list whose only item failed is also "too short" after validation: that is the same problem.
        if item["type"] == "too_short" and any(
            other["loc"][: len(item["loc"])] == item["loc"] and len(other["loc"]) > len(item["loc"])
            for other in errors
        ):
            continue
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
        close = suggestions(exercise_id, self.exercises)
        hint = f"did you mean {' or '.join(repr(c) for c in close)}? " if close else ""
        known = ", ".join(sorted(self.exercises))
        raise SpecError(f"unknown exercise {exercise_id!r}; {hint}known exercises: {known}")


#: At most this many ids are suggested for an unknown one.
SUGGESTIONS = 3


def suggestions(given: str, known: Iterable[str]) -> list[str]:
    """The known ids someone who typed `given` most likely meant: those it begins (`couch` ->
    `couch-stretch`), then those it is part of (`flexor`), then spelling neighbours (`kneeling-hip-flexr`)."""
    ids = sorted(known)
    typed = given.strip().lower()
    if typed:
        for matches in ([i for i in ids if i.startswith(typed)], [i for i in ids if typed in i]):
            if matches:
                return matches[:SUGGESTIONS]
    return difflib.get_close_matches(typed, ids, n=1, cutoff=0.4)


def spec_files(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.glob("*.toml")) if path.is_dir() else [path])
    return files


def load(paths: Iterable[Path], rules: RuleRegistry, *, also_known: Iterable[str] = ()) -> Catalogue:
    """Load spec files and folders; checks ids across files and `easier` references (which may also name
    the exercises in `also_known`, e.g. the shipped ones beside a user's own specs)."""
    catalogue = Catalogue()
    paths = list(paths)
    for folder in paths:
        if folder.is_dir() and not any(folder.glob("*.toml")):
            catalogue.problems.append(f"{folder}: (folder): holds no .toml spec files (give a .toml spec or a folder of them)")
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
    known = set(catalogue.exercises) | set(also_known)
    for exercise_id, exercise in catalogue.exercises.items():
        if exercise.easier is not None and exercise.easier not in known:
            catalogue.problems.append(
                f"{catalogue.paths[exercise_id]}: easier: {exercise.easier!r} is not a known exercise "
                f"(one of: {', '.join(sorted(known))})"
            )
    return catalogue


def builtin(rules: RuleRegistry) -> Catalogue:
    """The exercises shipped in `exercise_specs/`."""
    from posecoach.resources import EXERCISE_SPECS, data_dir

    return load([data_dir(EXERCISE_SPECS)], rules)
