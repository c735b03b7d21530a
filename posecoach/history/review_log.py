"""Logging a finished review as one history session; a history problem warns on one line and never stops
the review (its video and result.json are written first)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from posecoach.errors import DataError
from posecoach.history.store import History, SideSummary

Warn = Callable[[str], None]


def _stderr(message: str) -> None:
    print(f"posecoach: warning: {message}", file=sys.stderr)


def review_sides(result: Mapping[str, Any]) -> dict[str, SideSummary]:
    """Per-side numbers from a result.json document: good-form seconds of holds, reps of rep exercises."""
    holds = result.get("holds") or {}
    reps = result.get("reps") or {}
    return {
        side: SideSummary(
            good_form_seconds=float(holds.get(side, {}).get("good_form_seconds", 0.0)),
            reps=int(reps.get(side, {}).get("count", 0)),
        )
        for side in [*holds, *(s for s in reps if s not in holds)]
    }


def open_history(data_dir: Path | None = None, *, warn: Warn = _stderr) -> History | None:
    """The history for logging a review, or None (after a warning) when it cannot be opened."""
    try:
        return History.open(data_dir)
    except DataError as error:
        warn(f"{error} (the review goes on without logging it)")
        return None


def record_review(
    history: History,
    result: Mapping[str, Any],
    *,
    started_at: datetime,
    ended_at: datetime | None = None,
    warn: Warn = _stderr,
) -> int | None:
    """Log a review from its result.json document; returns the session id, or None after a warning."""
    try:
        session_id = history.start_session(
            kind="review", exercise=str(result["exercise"]), source=str(result["video"]), started_at=started_at
        )
        history.update_session(
            session_id,
            sides=review_sides(result),
            faults=[str(f["check"]) for f in result.get("faults", [])],
            pain_stop=False,
            ended_at=ended_at or datetime.now(),
        )
    except DataError as error:
        warn(f"{error} (the review was saved but not logged in the history)")
        return None
    return session_id
