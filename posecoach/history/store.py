"""`History`: the session log in SQLite (WAL mode, waits for other writers, migrates old files in place).

Only numbers are stored: when, what, where from (a camera or a video path), good-form seconds and reps per
side, the faults' check ids and whether the session stopped for pain. Rows are only ever inserted or
updated by the session that made them; nothing here deletes a session.

Times are stored as local wall-clock ISO 8601 text (aware datetimes are converted to local time first), so
weeks and days in the summary are the user's own.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import TracebackType

from posecoach.errors import DataError
from posecoach.history import failures, kept, paths, schema

KINDS = ("live", "review")
SIDE_KEYS = ("left", "right", "both")
#: Seconds a write waits for another process to finish its own before giving up.
DEFAULT_TIMEOUT = 10.0


@dataclass(frozen=True)
class SideSummary:
    """What one side (or "both", for exercises without sides) achieved in a session."""

    good_form_seconds: float
    reps: int = 0


@dataclass(frozen=True)
class SessionRow:
    """One logged session. `ended_at` is the time of the last commit while it runs or if it was cut off."""

    id: int
    kind: str
    exercise: str
    source: str
    started_at: datetime
    ended_at: datetime | None
    sides: Mapping[str, SideSummary] = field(default_factory=dict)
    fault_count: int = 0
    #: The check id of each fault (empty for sessions logged before version 2, which kept only the count).
    fault_checks: tuple[str, ...] = ()
    pain_stop: bool = False

    @property
    def good_form_seconds(self) -> float:
        return sum(s.good_form_seconds for s in self.sides.values())

    @property
    def reps(self) -> int:
        return sum(s.reps for s in self.sides.values())


def _text(moment: datetime) -> str:
    if moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    return moment.isoformat(timespec="seconds")


class History:
    """The history database. Open with `History.open(...)`; use as a context manager or call `close()`.

    One instance is meant for one thread at a time; several processes may write at once (each waits up to
    `timeout` seconds for the others).
    """

    def __init__(self, connection: sqlite3.Connection, path: Path, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._db = connection
        self._path = path
        self._timeout = timeout

    # --- opening ---------------------------------------------------------------------------------
    @classmethod
    def open(cls, data_dir: Path | None = None, *, timeout: float = DEFAULT_TIMEOUT) -> History:
        """Open (creating or migrating as needed) `history.db` in `data_dir` (default: `paths.data_dir()`)."""
        folder = paths.data_dir(data_dir)
        path = folder / paths.DB_NAME
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise DataError(
                f"{folder}: cannot create the history folder ({error.strerror or error}); "
                "give a writable --data-dir or set POSECOACH_DATA_DIR"
            ) from None
        if path.exists() and not path.is_file():
            raise DataError(f"{path}: is not a file; move it aside or give another --data-dir")
        try:
            connection = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as error:
            raise failures.translate(error, path, "open", timeout) from None
        history = cls(connection, path, timeout)
        try:
            history._prepare()
        except BaseException:
            connection.close()
            raise
        return history

    def _prepare(self) -> None:
        with self._guard("open"):
            # Reading first: a file that is not a database fails here, before anything could write to it,
            # and so does one with a damaged page anywhere (not only where a write would go).
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            self._check_integrity()
            if version > schema.LATEST:
                raise DataError(
                    f"{self._path}: the history database has schema version {version}, newer than this posecoach "
                    f"reads ({schema.LATEST}); upgrade posecoach or give another --data-dir"
                )
            self._db.execute(f"PRAGMA busy_timeout = {int(self._timeout * 1000)}")
            self._db.execute("PRAGMA journal_mode = WAL").fetchone()
            # In WAL mode NORMAL survives a crash of the program (not a power cut) and keeps writes cheap.
            self._db.execute("PRAGMA synchronous = NORMAL")
            self._db.execute("PRAGMA foreign_keys = ON")
            if version < schema.LATEST:
                self._migrate()
        self.merge_kept()

    def _check_integrity(self) -> None:
        """Refuse a damaged file before anything is written into it (`PRAGMA quick_check` reads every page;
        a history database is small, so this takes milliseconds)."""
        problems = [row[0] for row in self._db.execute("PRAGMA quick_check").fetchall()]
        if problems != ["ok"]:
            lines = [line for problem in problems for line in str(problem).splitlines() if not line.startswith("***")]
            raise failures.damaged(self._path, lines[0] if lines else "failed its integrity check")

    def _migrate(self) -> None:
        with self._transaction():
            # Read again inside the write lock: another process may have migrated meanwhile.
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            for number in range(version + 1, schema.LATEST + 1):
                for statement in schema.MIGRATIONS[number - 1]:
                    self._db.execute(statement)
            self._db.execute(f"PRAGMA user_version = {schema.LATEST}")

    # --- plumbing --------------------------------------------------------------------------------
    @property
    def path(self) -> Path:
        return self._path

    @property
    def schema_version(self) -> int:
        with self._guard("read"):
            return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    @contextmanager
    def _guard(self, action: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as error:
            raise failures.translate(error, self._path, action, self._timeout) from None

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self._db.in_transaction:  # SQLite may have rolled back already (a full disk, an I/O error)
                self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> History:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()

    # --- writing ---------------------------------------------------------------------------------
    def start_session(self, *, kind: str, exercise: str, source: str, started_at: datetime,
                      kept_key: str | None = None) -> int:
        """Log the start of a session; returns its id for `update_session`. `kept_key` names the side file
        the session may also be kept in (see `posecoach.history.kept`): merging that file updates this row."""
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
        with self._guard("write"), self._transaction():
            return self._insert(kind, exercise, source, started_at, kept_key)

    def _insert(self, kind: str, exercise: str, source: str, started_at: datetime, kept_key: str | None) -> int:
        cursor = self._db.execute(
            "INSERT INTO sessions (kind, exercise, source, started_at, kept_key) VALUES (?, ?, ?, ?, ?)",
            (kind, exercise, source, _text(started_at), kept_key),
        )
        return int(cursor.lastrowid or 0)

    def update_session(
        self,
        session_id: int,
        *,
        sides: Mapping[str, SideSummary],
        faults: Sequence[str],
        pain_stop: bool,
        ended_at: datetime,
    ) -> None:
        """Replace a session's numbers with the latest ones (one transaction: all of them or none)."""
        unknown = set(sides) - set(SIDE_KEYS)
        if unknown:
            raise ValueError(f"side keys must be among {SIDE_KEYS}, got {sorted(unknown)}")
        with self._guard("write"), self._transaction():
            self._write_numbers(session_id, sides, faults, pain_stop, ended_at)

    def _write_numbers(self, session_id: int, sides: Mapping[str, SideSummary], faults: Sequence[str],
                       pain_stop: bool, ended_at: datetime) -> None:
        cursor = self._db.execute(
            "UPDATE sessions SET ended_at = ?, faults = ?, fault_checks = ?, pain_stop = ? WHERE id = ?",
            (_text(ended_at), len(faults), json.dumps(list(faults)), int(pain_stop), session_id),
        )
        if cursor.rowcount != 1:
            raise DataError(
                f"{self._path}: session {session_id} is not in the history database; "
                "it may have been moved aside while the session ran"
            )
        self._db.executemany(
            "INSERT INTO session_sides (session_id, side, good_form_seconds, reps) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (session_id, side) DO UPDATE SET "
            "good_form_seconds = excluded.good_form_seconds, reps = excluded.reps",
            [(session_id, side, float(s.good_form_seconds), int(s.reps)) for side, s in sides.items()],
        )

    def merge_kept(self) -> list[int]:
        """Add the sessions kept beside the database while it could not take them, and delete their side
        files; returns the ids they got. A database that is busy now keeps them for the next time."""
        merged = []
        for path in kept.files(self._path.parent):
            session = kept.read(path)
            if session is None or session.kind not in KINDS or set(session.sides) - set(SIDE_KEYS):
                continue  # unreadable: left where it is for the user to look at
            try:
                with self._guard("write"), self._transaction():
                    merged.append(self._merge(session))
            except failures.BusyError:
                break
            path.unlink(missing_ok=True)
        return merged

    def _merge(self, session: kept.KeptSession) -> int:
        row = self._db.execute("SELECT id, ended_at FROM sessions WHERE kept_key = ?", (session.key,)).fetchone()
        if row is None:
            session_id = self._insert(session.kind, session.exercise, session.source, session.started_at, session.key)
        elif row[1] is not None and row[1] >= _text(session.ended_at):
            return int(row[0])  # the session wrote newer numbers into the database itself
        else:
            session_id = int(row[0])
        self._write_numbers(session_id, session.sides, session.faults, session.pain_stop, session.ended_at)
        return session_id

    # --- reading ---------------------------------------------------------------------------------
    def sessions(self, since: datetime | None = None) -> list[SessionRow]:
        """Sessions started at or after `since` (all when None), oldest first."""
        query = (
            "SELECT id, kind, exercise, source, started_at, ended_at, faults, fault_checks, pain_stop "
            "FROM sessions"
        )
        parameters: tuple[str, ...] = ()
        if since is not None:
            query += " WHERE started_at >= ?"
            parameters = (_text(since),)
        with self._guard("read"):
            rows = self._db.execute(query + " ORDER BY started_at, id", parameters).fetchall()
            side_rows = self._db.execute(
                "SELECT session_id, side, good_form_seconds, reps FROM session_sides ORDER BY session_id, side"
            ).fetchall()
        sides: dict[int, dict[str, SideSummary]] = {}
        for session_id, side, seconds, reps in side_rows:
            sides.setdefault(session_id, {})[side] = SideSummary(float(seconds), int(reps))
        try:
            return [
                SessionRow(
                    id=row[0],
                    kind=row[1],
                    exercise=row[2],
                    source=row[3],
                    started_at=datetime.fromisoformat(row[4]),
                    ended_at=datetime.fromisoformat(row[5]) if row[5] else None,
                    sides=sides.get(row[0], {}),
                    fault_count=int(row[6]),
                    fault_checks=tuple(str(c) for c in json.loads(row[7])),
                    pain_stop=bool(row[8]),
                )
                for row in rows
            ]
        except (ValueError, TypeError) as error:
            raise failures.damaged(self._path, f"unreadable session row: {error}") from None
