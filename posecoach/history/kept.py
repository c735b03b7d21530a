"""Sessions kept beside the history database while it cannot take them, so that a live session is never lost.

A database that another program holds locked, or one that is damaged, does not get the session; its numbers
go into a small JSON file in `kept/` beside the database instead, rewritten (atomically) at every commit
so that a crash loses at most the last second, as with the database. The next time posecoach opens a
healthy database it merges every kept file and deletes it (`History.merge_kept`). A file carries a random
key that the session's row carries too, so a file merged twice, or merged while its session still runs,
updates one row.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from posecoach.errors import DataError
from posecoach.history.failures import BusyError
from posecoach.outputs.atomic import write_text

if TYPE_CHECKING:
    from posecoach.history.store import History, SideSummary

KEPT_DIR = "kept"
FORMAT = 1
#: How long the last save of a session waits for a locked database before keeping the session aside.
FINAL_WAIT = 10.0
#: Seconds between tries during that wait.
RETRY_EVERY = 0.25


@dataclass(frozen=True)
class KeptSession:
    """A session's numbers as kept in a side file."""

    key: str
    kind: str
    exercise: str
    source: str
    started_at: datetime
    ended_at: datetime
    sides: Mapping[str, SideSummary] = field(default_factory=dict)
    faults: tuple[str, ...] = ()
    pain_stop: bool = False


def folder(data_dir: Path) -> Path:
    return data_dir / KEPT_DIR


def files(data_dir: Path) -> list[Path]:
    """The kept sessions waiting to be merged, oldest name first."""
    where = folder(data_dir)
    return sorted(where.glob("*.json")) if where.is_dir() else []


def write(data_dir: Path, session: KeptSession) -> Path:
    path = folder(data_dir) / f"{session.key}.json"
    document = {
        "format": FORMAT,
        "key": session.key,
        "kind": session.kind,
        "exercise": session.exercise,
        "source": session.source,
        "started_at": session.started_at.isoformat(timespec="seconds"),
        "ended_at": session.ended_at.isoformat(timespec="seconds"),
        "sides": {side: {"good_form_seconds": s.good_form_seconds, "reps": s.reps} for side, s in session.sides.items()},
        "faults": list(session.faults),
        "pain_stop": session.pain_stop,
    }
    try:
        write_text(path, json.dumps(document, indent=1) + "\n")
    except OSError as error:
        raise DataError(
            f"{path}: cannot keep the session beside the history database either ({error.strerror or error}); "
            "check that the history folder is writable or give another --data-dir"
        ) from None
    return path


def read(path: Path) -> KeptSession | None:
    """The session in a side file, or None when it cannot be read (it is then left where it is)."""
    from posecoach.history.store import SideSummary

    try:
        data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        return KeptSession(
            key=str(data["key"]),
            kind=str(data["kind"]),
            exercise=str(data["exercise"]),
            source=str(data["source"]),
            started_at=datetime.fromisoformat(data["started_at"]),
            ended_at=datetime.fromisoformat(data["ended_at"]),
            sides={str(side): SideSummary(float(s["good_form_seconds"]), int(s["reps"]))
                   for side, s in data["sides"].items()},
            faults=tuple(str(f) for f in data["faults"]),
            pain_stop=bool(data["pain_stop"]),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


class SafeSession:
    """One live session's log that is never lost: each `save` goes into the history database when it takes
    it, else into the session's side file; a later save that the database takes removes the side file.

    `history` is None when the database could not be opened (another program held it locked): the session
    is then kept aside from the start.
    """

    def __init__(
        self,
        history: History | None,
        data_dir: Path,
        *,
        kind: str,
        exercise: str,
        source: str,
        started_at: datetime,
        final_wait: float | None = None,
        notice: Callable[[str], None] | None = None,
    ) -> None:
        self._history = history
        self._notice = notice
        self._data_dir = data_dir
        self._kind, self._exercise, self._source, self._started_at = kind, exercise, source, started_at
        self._final_wait = final_wait
        self._key = uuid.uuid4().hex
        self.session_id: int | None = None
        #: The side file the session is kept in, while the database has not taken its latest numbers.
        self.kept: Path | None = None
        #: Why the database did not take the latest numbers (None once it has).
        self.problem: DataError | None = None if history is not None else BusyError(
            f"{data_dir / 'history.db'}: the history database was locked by another program when the session began"
        )

    def start(self) -> None:
        """Log the start in the database now, if it takes it (the first `save` does otherwise)."""
        if self._history is None:
            return
        try:
            self._row(self._history)
        except DataError as error:
            self.problem = error

    def save(self, *, sides: Mapping[str, SideSummary], faults: Sequence[str], pain_stop: bool, ended_at: datetime,
             final: bool = False) -> None:
        """Write the latest numbers. A save during the session tries the database once (with its short wait);
        the final one waits up to `FINAL_WAIT` seconds for a locked database before keeping the session aside."""
        wait = (FINAL_WAIT if self._final_wait is None else self._final_wait) if final else 0.0
        deadline = time.monotonic() + wait
        saved = told = False
        try:
            while self._history is not None:
                try:
                    self._history.update_session(self._row(self._history), sides=sides, faults=faults,
                                                 pain_stop=pain_stop, ended_at=ended_at)
                except BusyError as error:
                    if time.monotonic() + RETRY_EVERY > deadline:
                        self.problem = error
                        break
                    if self._notice is not None and not told:
                        told = True
                        self._notice(f"the history database is locked by another program; waiting up to "
                                     f"{wait:g} s to save the session")
                    self.problem = error
                    time.sleep(RETRY_EVERY)
                    continue
                except DataError as error:
                    self.problem = error
                    break
                saved = True
                self.problem = None
                if self.kept is not None:
                    self.kept.unlink(missing_ok=True)
                    self.kept = None
                return
        finally:
            # Also when a second Ctrl+C cuts the wait short: the numbers are kept before anything else happens.
            if not saved:
                if self.problem is None:
                    self.problem = DataError(f"{self._data_dir / 'history.db'}: the last save was interrupted")
                self.kept = write(self._data_dir, KeptSession(
                    key=self._key, kind=self._kind, exercise=self._exercise, source=self._source,
                    started_at=self._started_at, ended_at=ended_at, sides=dict(sides), faults=tuple(faults),
                    pain_stop=pain_stop,
                ))

    def _row(self, history: History) -> int:
        if self.session_id is None:
            # The row carries the side file's key: a side file merged meanwhile updates this row, not a new one.
            self.session_id = history.start_session(
                kind=self._kind, exercise=self._exercise, source=self._source, started_at=self._started_at,
                kept_key=self._key,
            )
        return self.session_id
