"""What every command needs first: the exercise catalogue with its rules, and the pose model."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from posecoach.pose import models
from posecoach.rules.registry import RuleRegistry, builtin_rules
from posecoach.specs.loader import Catalogue, builtin, load
from posecoach.specs.schema import Exercise


@dataclass(frozen=True)
class Library:
    rules: RuleRegistry
    catalogue: Catalogue

    def exercise(self, exercise_id: str) -> Exercise:
        return self.catalogue.get(exercise_id)


def library(extra_specs: tuple[Path, ...] = ()) -> Library:
    """The shipped exercises plus any spec files or folders the user adds."""
    rules = builtin_rules()
    catalogue = load(list(extra_specs), rules) if extra_specs else None
    shipped = builtin(rules)
    if catalogue is not None:
        for exercise_id, exercise in catalogue.exercises.items():
            shipped.exercises[exercise_id] = exercise
            shipped.paths[exercise_id] = catalogue.paths[exercise_id]
        shipped.problems.extend(catalogue.problems)
    return Library(rules, shipped)


@dataclass(frozen=True)
class Model:
    choice: str
    path: Path

    @property
    def label(self) -> str:
        return models.label(self.choice, self.path)


def model(choice: str) -> Model:
    return Model(choice, models.resolve(choice))
