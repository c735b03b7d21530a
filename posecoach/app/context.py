"""What every command needs first: the exercise catalogue with its rules, and the pose model."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from posecoach.errors import SpecError
from posecoach.pose import models
from posecoach.rules.registry import RuleRegistry, builtin_rules
from posecoach.specs.loader import Catalogue, builtin, load
from posecoach.specs.schema import Exercise


@dataclass(frozen=True)
class Library:
    rules: RuleRegistry
    catalogue: Catalogue
    #: Shipped exercises that a user's spec replaces: (exercise id, the file in use).
    overrides: tuple[tuple[str, Path], ...] = ()

    def exercise(self, exercise_id: str) -> Exercise:
        return self.catalogue.get(exercise_id)

    def notes(self) -> list[str]:
        """What the user should know about the specs in use (one line each)."""
        return [f"exercise {exercise_id!r} comes from {path} (it replaces the shipped spec)"
                for exercise_id, path in self.overrides]


def library(extra_specs: Sequence[Path] = ()) -> Library:
    """The shipped exercises plus any spec files or folders the user adds.

    The user's specs must all load: a missing or broken one raises SpecError (`file: field: problem`), as
    does an id defined in two of them; one with the id of a shipped exercise replaces it (see `notes`).
    """
    rules = builtin_rules()
    shipped = builtin(rules)
    if not extra_specs:
        return Library(rules, shipped)
    extra = load(list(extra_specs), rules, also_known=shipped.exercises)
    if extra.problems:
        more = len(extra.problems) - 1
        also = (f" (and {more} more problem{'s' if more > 1 else ''}: "
                f"posecoach exercises validate {' '.join(map(str, extra_specs))})") if more else ""
        raise SpecError(extra.problems[0] + also)
    overrides = tuple((i, extra.paths[i]) for i in extra.exercises
                      if i in shipped.exercises and extra.paths[i].resolve() != shipped.paths[i].resolve())
    shipped.exercises.update(extra.exercises)
    shipped.paths.update(extra.paths)
    return Library(rules, shipped, overrides)


#: Seconds of frame time between counts of the people in view. Review, check and live coaching all count
#: them, so that they follow one policy: while more than one person is in view no form is judged and no
#: hold time is credited ("only you in the picture"), since the person followed may not be the one
#: exercising. A count runs the detector over the whole picture, so it is done once a second.
COUNT_PEOPLE_EVERY = 1.0


@dataclass(frozen=True)
class Model:
    choice: str
    path: Path

    @property
    def label(self) -> str:
        return models.label(self.choice, self.path)


def model(choice: str) -> Model:
    return Model(choice, models.resolve(choice))
