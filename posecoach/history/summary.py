"""What the history says about the routine: days exercised per week against the guide's 3-4, the streak,
good-form time per exercise and side, and sides that lag behind.

A session counts toward a week when it logged some good-form time or a rep; the week's number is the days
with such a session (two exercises on one morning are one day of the routine, as the guide counts it).
Weeks start on Monday.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from posecoach.history.store import SessionRow

#: The guide: "at least 3-4 times per week".
TARGET_MIN, TARGET_MAX = 3, 4
#: A side below this share of the other side's total is flagged.
IMBALANCE_RATIO = 0.75
#: Below these totals on the stronger side (one guide hold, a short set) a difference is not yet telling.
IMBALANCE_MIN_SECONDS, IMBALANCE_MIN_REPS = 30.0, 5


@dataclass(frozen=True)
class WeekCount:
    start: date
    #: Days with at least one counted session.
    days: int
    #: Counted sessions.
    sessions: int

    @property
    def met(self) -> bool:
        return self.days >= TARGET_MIN


@dataclass(frozen=True)
class SideTotal:
    good_form_seconds: float
    reps: int


@dataclass(frozen=True)
class ExerciseTotal:
    exercise: str
    sessions: int
    sides: Mapping[str, SideTotal] = field(default_factory=dict)


@dataclass(frozen=True)
class Imbalance:
    exercise: str
    weaker: str
    stronger: str
    #: The weaker side's total over the stronger side's (0..1).
    ratio: float
    #: "good_form_seconds" or "reps": what was compared.
    measure: str


@dataclass(frozen=True)
class Summary:
    today: date
    #: Oldest first; the last one is the current week.
    weeks: tuple[WeekCount, ...]
    #: Consecutive weeks with 3+ days, up to the current week (or the last one while this week is not met yet).
    streak: int
    totals: tuple[ExerciseTotal, ...]
    imbalances: tuple[Imbalance, ...]
    #: Sessions in the window that stopped for pain.
    pain_stops: int
    #: All sessions logged in the window, counted or not.
    logged: int


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def counts(session: SessionRow) -> bool:
    """A session counts toward the routine when it logged some good-form time or a rep."""
    return session.good_form_seconds > 0 or session.reps > 0


def window_start(today: date, weeks: int) -> datetime:
    """Midnight of the Monday that starts the first of `weeks` weeks ending with today's."""
    if weeks < 1:
        raise ValueError(f"weeks must be at least 1, got {weeks}")
    return datetime.combine(week_start(today) - timedelta(weeks=weeks - 1), time())


def weekly(sessions: Iterable[SessionRow], today: date, weeks: int) -> tuple[WeekCount, ...]:
    first = week_start(today) - timedelta(weeks=weeks - 1)
    days: dict[date, set[date]] = {first + timedelta(weeks=i): set() for i in range(weeks)}
    number: dict[date, int] = dict.fromkeys(days, 0)
    for session in sessions:
        day = session.started_at.date()
        start = week_start(day)
        if start in days and counts(session):
            days[start].add(day)
            number[start] += 1
    return tuple(WeekCount(start, len(days[start]), number[start]) for start in sorted(days))


def streak(weeks: Sequence[WeekCount]) -> int:
    """Met weeks in a row ending with the current one; a current week not yet met does not break it."""
    run = list(weeks)
    if run and not run[-1].met:
        run.pop()
    count = 0
    for week in reversed(run):
        if not week.met:
            break
        count += 1
    return count


def totals(sessions: Iterable[SessionRow]) -> tuple[ExerciseTotal, ...]:
    seconds: dict[str, dict[str, float]] = {}
    reps: dict[str, dict[str, int]] = {}
    number: dict[str, int] = {}
    for session in sessions:
        number[session.exercise] = number.get(session.exercise, 0) + 1
        for side, summary in session.sides.items():
            by_side = seconds.setdefault(session.exercise, {})
            by_side[side] = by_side.get(side, 0.0) + summary.good_form_seconds
            rep_side = reps.setdefault(session.exercise, {})
            rep_side[side] = rep_side.get(side, 0) + summary.reps
    return tuple(
        ExerciseTotal(
            exercise,
            number[exercise],
            {side: SideTotal(seconds.get(exercise, {})[side], reps.get(exercise, {})[side])
             for side in sorted(seconds.get(exercise, {}))},
        )
        for exercise in sorted(number)
    )


def imbalance(total: ExerciseTotal, ratio: float = IMBALANCE_RATIO) -> Imbalance | None:
    """The left/right imbalance of one exercise: hold time when any was logged, reps otherwise; None when
    the sides are within `ratio` of each other or too little was logged to tell."""
    left, right = total.sides.get("left"), total.sides.get("right")
    if left is None or right is None:
        return None
    measure = "good_form_seconds" if left.good_form_seconds > 0 or right.good_form_seconds > 0 else "reps"
    values = {"left": float(getattr(left, measure)), "right": float(getattr(right, measure))}
    weaker, stronger = sorted(values, key=lambda side: (values[side], side))
    least = IMBALANCE_MIN_SECONDS if measure == "good_form_seconds" else IMBALANCE_MIN_REPS
    if values[stronger] < least or values[weaker] >= ratio * values[stronger]:
        return None
    return Imbalance(total.exercise, weaker, stronger, values[weaker] / values[stronger], measure)


def summarize(sessions: Sequence[SessionRow], *, today: date, weeks: int) -> Summary:
    """The summary of the `weeks` weeks ending with today's; the streak looks at all of `sessions`."""
    start = window_start(today, weeks)
    first = min((s.started_at.date() for s in sessions), default=today)
    span = max(weeks, (week_start(today) - week_start(min(first, today))).days // 7 + 1)
    all_weeks = weekly(sessions, today, span)
    inside = [s for s in sessions if start <= s.started_at < start + timedelta(weeks=weeks)]
    exercise_totals = totals(s for s in inside if counts(s))
    return Summary(
        today=today,
        weeks=all_weeks[-weeks:],
        streak=streak(all_weeks),
        totals=exercise_totals,
        imbalances=tuple(i for i in (imbalance(t) for t in exercise_totals) if i is not None),
        pain_stops=sum(1 for s in inside if s.pain_stop),
        logged=len(inside),
    )
