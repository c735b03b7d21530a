"""The history database's schema as a list of migrations; `PRAGMA user_version` is the number applied.

Migrations are only ever appended: a database written by any earlier posecoach is brought up to date in
one transaction, and nothing in it is dropped.
"""

from __future__ import annotations

#: Migration n (1-based) takes a database from version n-1 to version n.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: sessions and their per-side numbers.
    (
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL CHECK (kind IN ('live', 'review')),
            exercise TEXT NOT NULL,
            source TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            faults INTEGER NOT NULL DEFAULT 0,
            pain_stop INTEGER NOT NULL DEFAULT 0
        )
        """,
        """
        CREATE TABLE session_sides (
            session_id INTEGER NOT NULL REFERENCES sessions(id),
            side TEXT NOT NULL CHECK (side IN ('left', 'right', 'both')),
            good_form_seconds REAL NOT NULL DEFAULT 0,
            reps INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (session_id, side)
        )
        """,
    ),
    # 2: which checks the faults came from (a JSON list of check ids), and an index for date ranges.
    (
        "ALTER TABLE sessions ADD COLUMN fault_checks TEXT NOT NULL DEFAULT '[]'",
        "CREATE INDEX sessions_started_at ON sessions(started_at)",
    ),
    # 3: the key of the side file a session was kept in while the database could not take it, so that
    # merging a side file twice (two programs at once, or a crash between commit and deletion) adds it once.
    (
        "ALTER TABLE sessions ADD COLUMN kept_key TEXT",
        "CREATE UNIQUE INDEX sessions_kept_key ON sessions(kept_key)",
    ),
)

LATEST = len(MIGRATIONS)
