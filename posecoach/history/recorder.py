"""`HistoryRecorder`: a pipeline sink that logs a running session, so a crash loses at most its last second."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

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


class SessionTarget(Protocol):
    """Where a running session's numbers go: `SafeSession` (the database, else a side file) or
    `LoggedSession` (the database only)."""

    def save(self, *, sides: Mapping[str, SideSummary], faults: Sequence[str], pain_stop: bool, ended_at: datetime,
             final: bool = False) -> None: ...


class LoggedSession:
    """A session already started in the database (`History.start_session`); a problem raises DataError."""

    def __init__(self, history: History, session_id: int) -> None:
        self._history = history
        self.session_id = session_id

    def save(self, *, sides: Mapping[str, SideSummary], faults: Sequence[str], pain_stop: bool, ended_at: datetime,
             final: bool = False) -> None:
        self._history.update_session(self.session_id, sides=sides, faults=faults, pain_stop=pain_stop,
                                     ended_at=ended_at)


class HistoryRecorder:
    """Keeps a session's latest progress and fault list; saves them into `session` at most once per second of
    frame time (`step.state.t`) and once more, as the final save, on `finish`. `clock` gives the wall-clock
    end time written with each save.

    A save that fails waits for the next second before the next try, so a slow or locked database never
    holds up every frame.
    """

    def __init__(
        self,
        session: SessionTarget,
        *,
        clock: Callable[[], datetime] = datetime.now,
        interval: float = COMMIT_INTERVAL,
    ) -> None:
        self._session = session
        self._clock = clock
        self._interval = interval
        self._sides: dict[str, SideSummary] = {}
        self._faults: list[str] = []
        self._last_commit_t: float | None = None
        self._commits = 0

    @property
    def commits(self) -> int:
        """How many times the numbers were saved."""
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
            self._last_commit_t = state.t
            self._commit(pain_stop=False, final=False)

    def finish(self, *, pain_stop: bool = False) -> None:
        """Write the final numbers (and whether the session stopped for pain)."""
        self._commit(pain_stop=pain_stop, final=True)

    def _commit(self, *, pain_stop: bool, final: bool) -> None:
        self._session.save(sides=self._sides, faults=self._faults, pain_stop=pain_stop, ended_at=self._clock(),
                           final=final)
        self._commits += 1
