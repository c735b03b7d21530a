"""`HistoryRecorder`: a pipeline sink that logs a running session, so a crash loses at most its last second."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from posecoach.history.store import History, SideSummary
from posecoach.outputs.result import side_key
from posecoach.records import Side, SideProgress

if TYPE_CHECKING:
    from posecoach.pipeline import Step

#: Frame-time seconds between commits.
COMMIT_INTERVAL = 1.0


def side_summaries(progress: Mapping[Side | None, SideProgress]) -> dict[str, SideSummary]:
    """The coach's progress as the history's per-side numbers ("left", "right" or "both")."""
    return {side_key(side): SideSummary(p.good_form_seconds, p.reps) for side, p in progress.items()}


class HistoryRecorder:
    """Keeps a session's latest progress and fault list; commits them at most once per second of frame time
    (`step.state.t`) and once more on `finish`. The session must have been started with
    `History.start_session`; `clock` gives the wall-clock end time written with each commit.

    A database problem raises `DataError` from `write` or `finish`; the caller decides whether the session
    goes on without its log.
    """

    def __init__(
        self,
        history: History,
        session_id: int,
        *,
        clock: Callable[[], datetime] = datetime.now,
        interval: float = COMMIT_INTERVAL,
    ) -> None:
        self._history = history
        self._session_id = session_id
        self._clock = clock
        self._interval = interval
        self._sides: dict[str, SideSummary] = {}
        self._faults: list[str] = []
        self._last_commit_t: float | None = None
        self._commits = 0

    @property
    def commits(self) -> int:
        """How many times the numbers were written to the database."""
        return self._commits

    @property
    def sides(self) -> Mapping[str, SideSummary]:
        """The latest per-side numbers (committed or not)."""
        return dict(self._sides)

    @property
    def faults(self) -> tuple[str, ...]:
        """The check id of each fault reported so far."""
        return tuple(self._faults)

    def write(self, step: Step) -> None:
        state = step.state
        self._sides = side_summaries(state.progress)
        self._faults.extend(e.check for e in state.events if e.kind == "fault" and e.check)
        if self._last_commit_t is None or state.t < self._last_commit_t:
            # The first frame (or time that went back, e.g. a restarted source) starts the clock.
            self._last_commit_t = state.t
        elif state.t - self._last_commit_t >= self._interval:
            self._commit(pain_stop=False)
            self._last_commit_t = state.t

    def finish(self, *, pain_stop: bool = False) -> None:
        """Write the final numbers (and whether the session stopped for pain)."""
        self._commit(pain_stop=pain_stop)

    def _commit(self, *, pain_stop: bool) -> None:
        self._history.update_session(
            self._session_id, sides=self._sides, faults=self._faults, pain_stop=pain_stop, ended_at=self._clock()
        )
        self._commits += 1
