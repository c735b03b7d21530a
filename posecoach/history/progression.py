"""Holds that build up over the weeks, from the history: the hold a routine asks for this week.

A hold grows by a step after each week in which it was achieved: every side of the exercise held for the
week's hold in one live session, with no stop for pain that week. A week without the exercise leaves the
hold where it was, and so does a week where it was not achieved yet; it never grows past the maximum and
never shrinks. The first week of an exercise starts at the start value. Weeks start on Monday.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from posecoach.history.store import SessionRow
from posecoach.history.summary import week_start
from posecoach.specs.routine import BuildUp

#: A hold counts as achieved this close to its target (the count stops exactly at the target; rounding).
ACHIEVED_WITHIN = 0.5


def achieved(session: SessionRow) -> float:
    """The hold every side reached in a session (the shorter side's good-form seconds)."""
    return min((side.good_form_seconds for side in session.sides.values()), default=0.0)


def planned_hold(build_up: BuildUp, sessions: Sequence[SessionRow], exercise: str, today: date) -> float:
    """This week's hold of `exercise` under `build_up`, from the live sessions logged before this week."""
    this_week = week_start(today)
    weeks: dict[date, list[SessionRow]] = {}
    for session in sessions:
        week = week_start(session.started_at.date())
        if session.kind == "live" and session.exercise == exercise and week < this_week:
            weeks.setdefault(week, []).append(session)
    hold = build_up.start_seconds
    for week in sorted(weeks):
        logged = weeks[week]
        if any(s.pain_stop for s in logged):
            continue
        if max(achieved(s) for s in logged) >= hold - ACHIEVED_WITHIN:
            hold = min(build_up.max_seconds, hold + build_up.step_seconds)
    return hold
