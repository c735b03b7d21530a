"""Routines: a session as a playlist of reminder screens and exercises, read from
`exercise_specs/routines/<name>.toml` (or a given file) into frozen data."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from posecoach.errors import SpecError
from posecoach.resources import EXERCISE_SPECS, data_dir
from posecoach.specs.schema import Id

ROUTINES = "routines"
DEFAULT_ROUTINE = "default"


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Reminder(_Strict):
    """A screen of advice shown for `seconds` (a key goes on sooner)."""

    kind: Literal["reminder"]
    title: Annotated[str, Field(min_length=1)]
    text: tuple[Annotated[str, Field(min_length=1)], ...] = ()
    seconds: Annotated[float, Field(gt=0)] = 30.0


class ExerciseStep(_Strict):
    kind: Literal["exercise"]
    exercise: Id


Step = Annotated[Reminder | ExerciseStep, Field(discriminator="kind")]


class BuildUp(_Strict):
    """Holds that grow over the weeks: `start_seconds` at first, `step_seconds` more after each week in
    which every side of the exercise was held that long, up to `max_seconds` (see `history.progression`)."""

    start_seconds: Annotated[float, Field(gt=0)]
    step_seconds: Annotated[float, Field(ge=0)] = 5.0
    max_seconds: Annotated[float, Field(gt=0)]

    @model_validator(mode="after")
    def _ordered(self) -> BuildUp:
        if self.start_seconds > self.max_seconds:
            raise ValueError(f"start_seconds {self.start_seconds:g} is above max_seconds {self.max_seconds:g}")
        return self


class Routine(_Strict):
    id: Id
    name: Annotated[str, Field(min_length=1)]
    #: Rest between two exercises, with a countdown (0: none).
    rest_seconds: Annotated[float, Field(ge=0)] = 15.0
    #: Seconds of faults without progress before a stretch's easier variant is offered.
    struggle_seconds: Annotated[float, Field(gt=0)] = 20.0
    #: How the held exercises' hold time builds up over the weeks (None: each spec's own target).
    build_up: BuildUp | None = None
    steps: tuple[Step, ...] = Field(min_length=1)

    @property
    def exercises(self) -> tuple[str, ...]:
        return tuple(s.exercise for s in self.steps if isinstance(s, ExerciseStep))


def routines_dir() -> Path:
    return data_dir(EXERCISE_SPECS) / ROUTINES


def routine_path(name: str) -> Path:
    """A shipped routine by name, or the path of a routine file."""
    given = Path(name).expanduser()
    if given.suffix == ".toml" or given.exists():
        return given
    return routines_dir() / f"{name}.toml"


def known_routines() -> list[str]:
    folder = routines_dir()
    return sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []


def load_routine(name: str, known_exercises: set[str] | frozenset[str]) -> Routine:
    """Read and validate a routine; every exercise it names must be known."""
    path = routine_path(name)
    if not path.is_file():
        known = ", ".join(known_routines()) or "none"
        raise SpecError(f"unknown routine {name!r} ({path} not found); known routines: {known}")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        routine = Routine.model_validate(data)
    except tomllib.TOMLDecodeError as error:
        raise SpecError(f"{path}: not valid TOML ({error})") from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise SpecError(f"{path}: {where}: {first['msg']}") from None
    unknown = [e for e in routine.exercises if e not in known_exercises]
    if unknown:
        raise SpecError(f"{path}: unknown exercise(s) {', '.join(unknown)}; known: {', '.join(sorted(known_exercises))}")
    return routine
