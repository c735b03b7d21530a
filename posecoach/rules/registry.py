"""Per-exercise rule modules: checks the spec vocabulary cannot express, registered by name.

A spec refers to a rule by its registered name (`rule = "couch.back_foot_up"`); posecoach never imports a
module named by a spec, so a spec file cannot make it run code from an arbitrary path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from posecoach.rules.body import Body

#: A rule reads the bound body over T frames and returns (T,) float values (NaN where it cannot tell).
RuleFunction = Callable[["Body"], np.ndarray]


class RuleRegistry:
    """Named rule functions; each engine gets its own registry."""

    def __init__(self) -> None:
        self._rules: dict[str, RuleFunction] = {}

    def register(self, name: str, function: RuleFunction) -> None:
        if name in self._rules:
            raise ValueError(f"rule {name!r} is already registered")
        self._rules[name] = function

    def __getitem__(self, name: str) -> RuleFunction:
        return self._rules[name]

    def __contains__(self, name: object) -> bool:
        return name in self._rules

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._rules))


def builtin_rules() -> RuleRegistry:
    """A registry holding the rule modules that ship with posecoach."""
    from posecoach.rules.modules import couch, crunch, piriformis

    registry = RuleRegistry()
    for module in (couch, crunch, piriformis):
        module.register(registry)
    return registry
