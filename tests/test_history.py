"""The history database, its recorder, the summary and `posecoach history`."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from posecoach.cli import main
from posecoach.errors import DataError, ExitCode
from posecoach.history import schema
from posecoach.history.recorder import HistoryRecorder, LoggedSession
from posecoach.history.report import bar, text_lines
from posecoach.history.review_log import open_history, record_review, review_sides
from posecoach.history.store import History, SessionRow, SideSummary
from posecoach.history.summary import WeekCount, streak, summarize
from posecoach.records import Event
from tests.conftest import REPO
from tests.history_writer import CRASH_STEPS, make_step

VERSION_1 = """
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL CHECK (kind IN ('live', 'review')),
    exercise TEXT NOT NULL,
    source TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT,
    faults INTEGER NOT NULL DEFAULT 0,
    pain_stop INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE session_sides (
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    side TEXT NOT NULL CHECK (side IN ('left', 'right', 'both')),
    good_form_seconds REAL NOT NULL DEFAULT 0,
    reps INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (session_id, side)
);
INSERT INTO sessions (kind, exercise, source, started_at, ended_at, faults, pain_stop)
    VALUES ('live', 'couch-stretch', 'camera 0', '2024-05-01T07:30:00', '2024-05-01T07:45:00', 2, 1);
INSERT INTO session_sides VALUES (1, 'left', 42.5, 0), (1, 'right', 38.0, 0);
PRAGMA user_version = 1;
"""


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _log(history: History, started: datetime, exercise: str = "kneeling-hip-flexor", *, left: float = 30.0,
         right: float = 30.0, kind: str = "live") -> int:
    session = history.start_session(kind=kind, exercise=exercise, source="camera 0", started_at=started)
    history.update_session(session, sides={"left": SideSummary(left), "right": SideSummary(right)}, faults=[],
                           pain_stop=False, ended_at=started + timedelta(minutes=10))
    return session


# --- the database ------------------------------------------------------------------------------------
def test_a_new_database_is_at_the_latest_version_in_wal_mode(tmp_path: Path) -> None:
    with History.open(tmp_path / "data") as history:
        assert history.path == tmp_path / "data" / "history.db"
        assert history.schema_version == schema.LATEST == len(schema.MIGRATIONS)
        assert history.sessions() == []
    db = sqlite3.connect(tmp_path / "data" / "history.db")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == schema.LATEST


def test_the_environment_variable_chooses_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSECOACH_DATA_DIR", str(tmp_path / "env"))
    with History.open() as history:
        assert history.path == tmp_path / "env" / "history.db"
    with History.open(tmp_path / "flag") as history:  # --data-dir wins
        assert history.path == tmp_path / "flag" / "history.db"


def test_a_version_1_database_is_migrated_and_keeps_its_sessions(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "history.db")
    db.executescript(VERSION_1)
    db.close()
    with History.open(tmp_path) as history:
        assert history.schema_version == schema.LATEST
        (old,) = history.sessions()
        assert old.exercise == "couch-stretch" and old.kind == "live" and old.pain_stop
        assert old.started_at == datetime(2024, 5, 1, 7, 30) and old.ended_at == datetime(2024, 5, 1, 7, 45)
        assert old.sides == {"left": SideSummary(42.5), "right": SideSummary(38.0)}
        # Version 1 kept only how many faults there were.
        assert old.fault_count == 2 and old.fault_checks == ()
        new = history.start_session(kind="review", exercise="plank", source="a.mp4", started_at=datetime(2024, 6, 1))
        history.update_session(new, sides={"both": SideSummary(20.0)}, faults=["hips-level"], pain_stop=False,
                               ended_at=datetime(2024, 6, 1, 0, 5))
        assert history.sessions()[-1].fault_checks == ("hips-level",)
    with History.open(tmp_path) as again:  # opening a current file changes nothing
        assert [s.id for s in again.sessions()] == [1, new]


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    db = sqlite3.connect(tmp_path / "history.db")
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(DataError, match="schema version 99, newer") as caught:
        History.open(tmp_path)
    assert "\n" not in str(caught.value)


def test_sessions_round_trip_and_filter_by_start(tmp_path: Path) -> None:
    with History.open(tmp_path) as history:
        first = _log(history, datetime(2024, 6, 3, 7, 30), left=45.0, right=40.0)
        # An aware time is stored as local wall-clock time.
        aware = datetime(2024, 6, 5, 6, 0, tzinfo=timezone.utc)
        second = history.start_session(kind="review", exercise="bird-dog", source="/videos/bd.mp4", started_at=aware)
        history.update_session(second, sides={"left": SideSummary(0.0, 8), "right": SideSummary(0.0, 7)},
                               faults=["back-flat", "back-flat", "hips-level"], pain_stop=True,
                               ended_at=aware + timedelta(minutes=3))
        rows = history.sessions()
        assert [r.id for r in rows] == [first, second]
        assert rows[0].good_form_seconds == 85.0 and rows[0].source == "camera 0"
        assert rows[1].started_at == aware.astimezone().replace(tzinfo=None)
        assert rows[1].reps == 15 and rows[1].fault_count == 3 and rows[1].pain_stop
        assert rows[1].fault_checks == ("back-flat", "back-flat", "hips-level")
        assert [r.id for r in history.sessions(since=datetime(2024, 6, 4))] == [second]


def test_updates_replace_the_numbers_and_bad_arguments_are_refused(tmp_path: Path) -> None:
    with History.open(tmp_path) as history:
        session = _log(history, datetime(2024, 6, 3), left=10.0, right=5.0)
        history.update_session(session, sides={"left": SideSummary(12.0)}, faults=[], pain_stop=False,
                               ended_at=datetime(2024, 6, 3, 0, 1))
        (row,) = history.sessions()
        assert row.sides == {"left": SideSummary(12.0), "right": SideSummary(5.0)}
        with pytest.raises(ValueError, match="kind"):
            history.start_session(kind="walk", exercise="x", source="camera 0", started_at=datetime(2024, 6, 3))
        with pytest.raises(ValueError, match="side keys"):
            history.update_session(session, sides={"front": SideSummary(1.0)}, faults=[], pain_stop=False,
                                   ended_at=datetime(2024, 6, 3))
        with pytest.raises(DataError, match="session 999 is not in the history"):
            history.update_session(999, sides={}, faults=[], pain_stop=False, ended_at=datetime(2024, 6, 3))


def test_only_numbers_are_stored(tmp_path: Path) -> None:
    with History.open(tmp_path):
        pass
    db = sqlite3.connect(tmp_path / "history.db")
    tables = [name for (name,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    for table in tables:
        types = {row[2].upper() for row in db.execute(f"PRAGMA table_info({table})")}
        assert types <= {"INTEGER", "TEXT", "REAL"}, (table, types)


def test_a_corrupt_file_gives_one_line_and_is_not_touched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "history.db"
    garbage = bytes(range(256)) * 64
    path.write_bytes(garbage)
    before = sorted(p.name for p in tmp_path.iterdir()), path.stat().st_mtime_ns
    with pytest.raises(DataError) as caught:
        History.open(tmp_path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: the history database is damaged")
    assert "move it aside" in message and "older sessions stay in the moved file" in message
    assert path.read_bytes() == garbage
    assert (sorted(p.name for p in tmp_path.iterdir()), path.stat().st_mtime_ns) == before
    # Through the CLI: one line on stderr and the data exit code.
    code, out, err = _run(["history", "--data-dir", str(tmp_path)], capsys)
    assert code == ExitCode.DATA and out == ""
    assert err.count("\n") == 1 and "damaged" in err
    assert path.read_bytes() == garbage


def test_a_locked_database_gives_one_line_after_waiting(tmp_path: Path) -> None:
    with History.open(tmp_path, timeout=0.2) as history:
        _log(history, datetime(2024, 6, 3))
        other = sqlite3.connect(tmp_path / "history.db", isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        with pytest.raises(DataError, match="busy") as caught:
            history.start_session(kind="live", exercise="plank", source="camera 0", started_at=datetime(2024, 6, 4))
        assert "\n" not in str(caught.value)
        other.execute("ROLLBACK")
        other.close()
        _log(history, datetime(2024, 6, 4))
        assert len(history.sessions()) == 2


# --- the recorder ------------------------------------------------------------------------------------
class CountingSession:
    """Stands in for a session target and keeps every save."""

    def __init__(self) -> None:
        self.updates: list[dict[str, object]] = []

    def save(self, **numbers: object) -> None:
        self.updates.append(numbers)


def test_the_recorder_commits_at_most_once_per_second_of_frame_time() -> None:
    spy = CountingSession()
    recorder = HistoryRecorder(spy, clock=lambda: datetime(2024, 6, 3, 8, 0))  # type: ignore[arg-type]
    commit_times = []
    # 30 fps with some jitter, over 5.5 s.
    for i in range(166):
        t = i / 30 + (0.004 if i % 3 == 0 else 0.0)
        before = recorder.commits
        recorder.write(make_step(t, {"left": t}))
        if recorder.commits != before:
            commit_times.append(t)
    assert len(spy.updates) == recorder.commits == len(commit_times) == 5
    assert all(b - a >= 1.0 for a, b in zip(commit_times, commit_times[1:]))
    assert commit_times[0] >= 1.0


def test_finish_commits_the_final_numbers_faults_and_pain_stop(tmp_path: Path) -> None:
    with History.open(tmp_path) as history:
        session = history.start_session(kind="live", exercise="kneeling-hip-flexor", source="camera 0",
                                        started_at=datetime(2024, 6, 3, 7, 30))
        recorder = HistoryRecorder(LoggedSession(history, session), clock=lambda: datetime(2024, 6, 3, 7, 41))
        for i in range(25):
            t = i / 10
            events = [Event(t, "fault", "left", "Knee over ankle", "front-knee")] if i in (3, 12) else []
            events += [Event(t, "cue", "left", "Tuck your pelvis")] if i == 5 else []
            recorder.write(make_step(t, {"left": t, "right": 0.0}, events=events))
        assert recorder.commits == 2
        (row,) = history.sessions()
        assert row.sides["left"] == SideSummary(2.0)  # the numbers of the last commit, at t = 2.0
        recorder.finish(pain_stop=True)
        (row,) = history.sessions()
        assert row.sides == {"left": SideSummary(2.4), "right": SideSummary(0.0)}
        assert row.fault_checks == ("front-knee", "front-knee") and row.fault_count == 2
        assert row.pain_stop and row.ended_at == datetime(2024, 6, 3, 7, 41)


def test_exercises_without_sides_are_logged_as_both(tmp_path: Path) -> None:
    with History.open(tmp_path) as history:
        session = history.start_session(kind="live", exercise="plank", source="camera 0", started_at=datetime(2024, 6, 3))
        recorder = HistoryRecorder(LoggedSession(history, session))
        recorder.write(make_step(0.0, {None: 0.0}))
        recorder.write(make_step(1.5, {None: 1.2}))
        recorder.finish()
        assert history.sessions()[0].sides == {"both": SideSummary(1.2)}


def _python() -> list[str]:
    return [sys.executable, "-m", "tests.history_writer"]


def test_a_killed_session_keeps_older_sessions_and_its_last_commit(tmp_path: Path) -> None:
    with History.open(tmp_path) as history:
        older = _log(history, datetime(2024, 6, 3, 7, 30), left=50.0, right=45.0)
    writer = subprocess.Popen([*_python(), "crash", str(tmp_path)], cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        line = writer.stdout.readline() if writer.stdout else ""
        assert line.startswith("ready"), line
        _, session, commits = line.split()
        assert int(commits) == 3  # at 1.0, 2.0 and 3.0 s of frame time
        os.kill(writer.pid, signal.SIGKILL)
        assert writer.wait(timeout=10) == -signal.SIGKILL
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
        if writer.stdout:
            writer.stdout.close()
    with History.open(tmp_path) as history:
        rows = {r.id: r for r in history.sessions()}
    assert rows[older].sides == {"left": SideSummary(50.0), "right": SideSummary(45.0)}
    partial = rows[int(session)]
    last = (CRASH_STEPS - 5) / 10  # the steps after the last whole second were never committed
    assert partial.sides == {"left": SideSummary(last), "right": SideSummary(last / 2)}
    assert partial.ended_at is not None and not partial.pain_stop
    db = sqlite3.connect(tmp_path / "history.db")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_review_and_a_live_session_can_write_at_the_same_time(tmp_path: Path) -> None:
    with History.open(tmp_path) as history:
        older = _log(history, datetime(2024, 6, 3))
    go = tmp_path / "go"
    live = subprocess.Popen([*_python(), "live", str(tmp_path), str(go), "120"], cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    review = subprocess.Popen([*_python(), "review", str(tmp_path), str(go), "60"], cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    go.touch()
    live_out, live_err = live.communicate(timeout=60)
    review_out, review_err = review.communicate(timeout=60)
    assert live.returncode == 0, live_err
    assert review.returncode == 0, review_err
    assert live_out.split() == ["live", "121"] and review_out.split() == ["review", "60"]
    db = sqlite3.connect(tmp_path / "history.db")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()
    with History.open(tmp_path) as history:
        rows = history.sessions()
    assert [r.id for r in rows].count(older) == 1
    assert sum(r.kind == "review" for r in rows) == 60
    (live_row,) = [r for r in rows if r.kind == "live" and r.id != older]
    assert live_row.sides == {"left": SideSummary(120.0), "right": SideSummary(120.0)}


# --- logging reviews ---------------------------------------------------------------------------------
RESULT = {
    "exercise": "kneeling-hip-flexor",
    "video": "/videos/stretch.mp4",
    "holds": {"left": {"good_form_seconds": 31.5, "target_seconds": 30, "completed": True},
              "right": {"good_form_seconds": 12.0, "target_seconds": 30, "completed": False}},
    "reps": {},
    "faults": [{"check": "front-knee", "side": "left", "start": 1.0, "end": 2.0, "cue": "Knee over ankle"}],
}


def test_a_review_is_logged_from_its_result(tmp_path: Path) -> None:
    with History.open(tmp_path) as history:
        session = record_review(history, RESULT, started_at=datetime(2024, 6, 3, 9, 0),
                                ended_at=datetime(2024, 6, 3, 9, 1))
        (row,) = history.sessions()
    assert row.id == session and row.kind == "review" and row.source == "/videos/stretch.mp4"
    assert row.sides == {"left": SideSummary(31.5), "right": SideSummary(12.0)}
    assert row.fault_checks == ("front-knee",) and not row.pain_stop
    reps = {"exercise": "bird-dog", "video": "b.mp4", "holds": {}, "reps": {"left": {"count": 6, "target": 8}}}
    assert review_sides(reps) == {"left": SideSummary(0.0, 6)}


def test_a_history_problem_only_warns(tmp_path: Path) -> None:
    warnings: list[str] = []
    history = History.open(tmp_path)
    history.close()
    assert record_review(history, RESULT, started_at=datetime(2024, 6, 3), warn=warnings.append) is None
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "history.db").write_bytes(b"not a database at all" * 100)
    assert open_history(tmp_path / "broken", warn=warnings.append) is None
    assert len(warnings) == 2 and all("\n" not in w for w in warnings)
    assert "not logged" in warnings[0] and "damaged" in warnings[1]


# --- the summary -------------------------------------------------------------------------------------
def _row(number: int, day: date, exercise: str, sides: dict[str, SideSummary], *, pain: bool = False) -> SessionRow:
    started = datetime.combine(day, datetime.min.time()) + timedelta(hours=7, minutes=number)
    return SessionRow(number, "live", exercise, "camera 0", started, started + timedelta(minutes=10), sides,
                      pain_stop=pain)


def _both(left: float, right: float, left_reps: int = 0, right_reps: int = 0) -> dict[str, SideSummary]:
    return {"left": SideSummary(left, left_reps), "right": SideSummary(right, right_reps)}


KHF, PIRI, PLANK, BIRD = "kneeling-hip-flexor", "piriformis-stretch", "plank", "bird-dog"
TODAY = date(2024, 6, 12)  # a Wednesday
SESSIONS = [
    # Week of 6 May: met (outside a 4-week window); week of 13 May: nothing.
    _row(1, date(2024, 5, 6), KHF, _both(10, 10)),
    _row(2, date(2024, 5, 8), KHF, _both(10, 10)),
    _row(3, date(2024, 5, 10), KHF, _both(10, 10)),
    # Week of 20 May: 3 days.
    _row(4, date(2024, 5, 20), KHF, _both(60, 60)),
    _row(5, date(2024, 5, 22), KHF, _both(60, 30)),
    _row(6, date(2024, 5, 24), PLANK, {"both": SideSummary(45)}),
    # Week of 27 May: 5 sessions on 4 days.
    _row(7, date(2024, 5, 27), KHF, _both(60, 40)),
    _row(8, date(2024, 5, 27), BIRD, _both(0, 0, 10, 6)),
    _row(9, date(2024, 5, 28), KHF, _both(30, 30)),
    _row(10, date(2024, 5, 30), PIRI, _both(30, 30)),
    _row(11, date(2024, 6, 1), PLANK, {"both": SideSummary(60)}),
    # Week of 3 June: 3 days, one session stopped for pain, one with nothing done (not counted).
    _row(12, date(2024, 6, 3), KHF, _both(60, 30), pain=True),
    _row(13, date(2024, 6, 5), KHF, _both(0, 0)),
    _row(14, date(2024, 6, 6), PIRI, _both(30, 25)),
    _row(15, date(2024, 6, 7), PLANK, {"both": SideSummary(30)}),
    # This week: 1 day so far.
    _row(16, date(2024, 6, 11), KHF, _both(30, 30)),
]


def test_the_summary_counts_weeks_streak_totals_and_imbalance() -> None:
    summary = summarize(SESSIONS, today=TODAY, weeks=4)
    assert [(w.start, w.days, w.sessions, w.met) for w in summary.weeks] == [
        (date(2024, 5, 20), 3, 3, True),
        (date(2024, 5, 27), 4, 5, True),
        (date(2024, 6, 3), 3, 3, True),
        (date(2024, 6, 10), 1, 1, False),
    ]
    assert summary.streak == 3  # the unfinished week does not break it; the empty week of 13 May ends it
    assert summary.logged == 13 and summary.pain_stops == 1
    totals = {t.exercise: t for t in summary.totals}
    assert set(totals) == {KHF, PIRI, PLANK, BIRD}
    assert totals[KHF].sessions == 6
    assert totals[KHF].sides["left"].good_form_seconds == 300
    assert totals[KHF].sides["right"].good_form_seconds == 220
    assert totals[PIRI].sides["left"].good_form_seconds == 60 and totals[PIRI].sides["right"].good_form_seconds == 55
    assert totals[PLANK].sides["both"].good_form_seconds == 135
    assert totals[BIRD].sides["left"].reps == 10 and totals[BIRD].sides["right"].reps == 6
    imbalances = {i.exercise: i for i in summary.imbalances}
    assert set(imbalances) == {KHF, BIRD}
    assert (imbalances[KHF].weaker, imbalances[KHF].stronger, imbalances[KHF].measure) == ("right", "left",
                                                                                           "good_form_seconds")
    assert imbalances[KHF].ratio == pytest.approx(220 / 300)
    assert imbalances[BIRD].measure == "reps" and imbalances[BIRD].ratio == pytest.approx(0.6)


def test_the_streak_looks_past_the_weeks_shown() -> None:
    assert summarize(SESSIONS, today=TODAY, weeks=1).streak == 3
    assert summarize(SESSIONS, today=date(2024, 5, 19), weeks=2).streak == 1  # the week of 6 May
    assert summarize([], today=TODAY, weeks=3).streak == 0


def test_streak_rules() -> None:
    def weeks(*days: int) -> list[WeekCount]:
        return [WeekCount(date(2024, 1, 1) + timedelta(weeks=i), d, d) for i, d in enumerate(days)]

    assert streak(weeks(3, 4, 3)) == 3  # this week met too
    assert streak(weeks(3, 4, 0)) == 2  # this week not yet
    assert streak(weeks(3, 2, 3, 1)) == 1
    assert streak(weeks(4, 3, 2, 3)) == 1
    assert streak(weeks(0)) == 0


def test_the_text_report_and_its_bars() -> None:
    assert bar(0, 7, 4) == "    " and bar(7, 7, 4) == "████" and bar(1, 2, 3) == "█▌ "
    lines = text_lines(summarize(SESSIONS, today=TODAY, weeks=4))
    text = "\n".join(lines)
    assert "2024-05-27  ████████" in text and "4 days, 5 sessions  ok" in text
    assert "1 day, 1 session  this week" in text
    assert "streak: 3 weeks in a row with 3+ days" in text
    assert "5 min 00 s" in text  # 300 s on the left
    assert "warning: kneeling-hip-flexor: the right side has 73% of the left side's hold time" in text
    assert "warning: bird-dog: the right side has 60% of the left side's reps" in text
    assert "1 session stopped for pain" in text


# --- the command -------------------------------------------------------------------------------------
@pytest.fixture()
def logged(tmp_path: Path) -> Path:
    now = datetime.now().replace(microsecond=0)
    with History.open(tmp_path) as history:
        for days_ago in (0, 7, 9, 11):
            _log(history, now - timedelta(days=days_ago), left=60.0, right=30.0)
        _log(history, now - timedelta(days=1), exercise="piriformis-stretch", left=30.0, right=30.0, kind="review")
    return tmp_path


def test_history_prints_weeks_streak_totals_and_warnings(logged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["history", "--data-dir", str(logged), "--weeks", "3"], capsys)
    assert code == ExitCode.OK and err == ""
    assert out.startswith("last 3 weeks (the guide: 3-4 days a week)")
    assert "streak:" in out and "kneeling-hip-flexor" in out and "piriformis-stretch" in out
    assert "warning: kneeling-hip-flexor: the right side has 50% of the left side's hold time" in out
    assert "█" in out


def test_history_json_is_versioned(logged: Path, capsys: pytest.CaptureFixture[str],
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POSECOACH_DATA_DIR", str(logged))
    code, out, _ = _run(["history", "--json", "--weeks", "5"], capsys)
    assert code == ExitCode.OK
    document = json.loads(out)
    assert document["schema"] == 1 and document["kind"] == "history"
    assert document["database"] == str(logged / "history.db")
    assert len(document["weeks"]) == 5 and sum(w["sessions"] for w in document["weeks"]) == 5
    (khf,) = [t for t in document["totals"] if t["exercise"] == "kneeling-hip-flexor"]
    assert khf["sides"] == {"left": {"good_form_seconds": 240.0, "reps": 0},
                            "right": {"good_form_seconds": 120.0, "reps": 0}}
    assert document["imbalances"][0]["weaker"] == "right"


def test_history_draws_a_png_chart(logged: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    chart = tmp_path / "charts" / "history.png"
    code, out, _ = _run(["history", "--data-dir", str(logged), "--chart", str(chart)], capsys)
    assert code == ExitCode.OK and f"chart: {chart}" in out
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not [p for p in chart.parent.iterdir() if "partial" in p.name]
    code, _, err = _run(["history", "--data-dir", str(logged), "--chart", str(tmp_path / "h.jpg")], capsys)
    assert code == ExitCode.INPUT and ".png" in err and err.count("\n") == 1


def test_history_of_an_empty_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import re

    from posecoach.cli import cli

    code, out, _ = _run(["history", "--data-dir", str(tmp_path / "new")], capsys)
    assert code == ExitCode.OK
    assert "streak: 0 weeks" in out and "no sessions with good-form time" in out
    # The hint names commands that exist.
    named = re.findall(r"posecoach (\w+)", out)
    assert {"coach", "review"} <= set(named) and set(named) <= set(cli.commands)


def test_small_totals_are_not_called_an_imbalance() -> None:
    few = [_row(1, TODAY, KHF, _both(6, 2.6)), _row(2, TODAY, BIRD, _both(0, 0, 4, 1))]
    assert summarize(few, today=TODAY, weeks=1).imbalances == ()


# --- a damaged database is never written to ----------------------------------------------------------
def _damaged_database(folder: Path) -> tuple[Path, bytes]:
    """A history of 300 sessions with garbage over one page of session numbers (the sessions table itself
    still reads, so only a check of every page finds it); returns the file and its bytes."""
    with History.open(folder) as history:
        for day in range(300):
            _log(history, datetime(2024, 1, 1) + timedelta(hours=day))
    db = sqlite3.connect(folder / "history.db")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = 'sqlite_autoindex_session_sides_1'").fetchone()[0]
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    db.close()
    path = folder / "history.db"
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size + 100  # past the page header: the cell contents
    data[start:root * page_size] = bytes((i * 37) % 256 for i in range(root * page_size - start))
    path.write_bytes(bytes(data))
    return path, bytes(data)


def test_a_damaged_page_is_refused_before_anything_is_written(tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    from tests.clips import empty_room

    path, damaged = _damaged_database(tmp_path / "data")
    with pytest.raises(DataError, match=r"the history database is damaged \(.*page"):
        History.open(path.parent)
    warnings: list[str] = []
    assert open_history(path.parent, warn=warnings.append) is None  # a review goes on without logging
    assert len(warnings) == 1 and "damaged" in warnings[0] and "without logging it" in warnings[0]
    # Through the commands that write: one line, exit 7 for coach (before the camera opens), a warning for
    # review; the file is not touched.
    code, out, err = _run(["coach", "plank", "--camera", "9", "--data-dir", str(path.parent)], capsys)
    assert code == ExitCode.DATA and out == "" and err.count("\n") == 1 and "damaged" in err
    room = empty_room(tmp_path / "room.mp4", count=3)
    code, _, err = _run(["review", str(room), "-e", "plank", "--model", "lite", "--no-progress",
                         "--out", str(tmp_path / "out"), "--data-dir", str(path.parent)], capsys)
    assert "damaged" in err.splitlines()[0] and "without logging it" in err.splitlines()[0]
    assert path.read_bytes() == damaged
    assert sorted(p.name for p in path.parent.iterdir()) == ["history.db"]


# --- a locked database never loses a live session ------------------------------------------------------
SIDES = {"left": SideSummary(31.5, 0), "right": SideSummary(12.0, 0)}


def _safe_session(history: History | None, folder: Path, **options: object):  # type: ignore[no-untyped-def]
    from posecoach.history.kept import SafeSession

    return SafeSession(history, folder, kind="live", exercise="couch-stretch", source="camera 0",
                       started_at=datetime(2024, 6, 3, 7, 30), **options)  # type: ignore[arg-type]


def _lock(folder: Path) -> sqlite3.Connection:
    other = sqlite3.connect(folder / "history.db", isolation_level=None, check_same_thread=False)
    other.execute("BEGIN EXCLUSIVE")
    return other


def test_a_session_the_locked_database_refuses_is_kept_and_merged_next_time(tmp_path: Path) -> None:
    from posecoach.history import kept

    with History.open(tmp_path) as history:
        older = _log(history, datetime(2024, 6, 1))
    with History.open(tmp_path, timeout=0.05) as history:
        other = _lock(tmp_path)
        session = _safe_session(history, tmp_path, final_wait=0.3)
        session.start()
        session.save(sides=SIDES, faults=["front-knee"], pain_stop=False, ended_at=datetime(2024, 6, 3, 7, 40))
        session.save(sides=SIDES, faults=["front-knee"], pain_stop=True, ended_at=datetime(2024, 6, 3, 7, 41),
                     final=True)
        assert session.session_id is None and isinstance(session.problem, DataError)
        assert "busy" in str(session.problem)
        assert session.kept is not None and kept.files(tmp_path) == [session.kept]
        other.execute("ROLLBACK")
        other.close()
    with History.open(tmp_path) as history:  # opening merges the kept session
        rows = history.sessions()
        assert kept.files(tmp_path) == [] and history.merge_kept() == []
    assert [r.id for r in rows][0] == older and len(rows) == 2
    merged = rows[1]
    assert merged.sides == SIDES and merged.fault_checks == ("front-knee",) and merged.pain_stop
    assert (merged.exercise, merged.started_at, merged.ended_at) == (
        "couch-stretch", datetime(2024, 6, 3, 7, 30), datetime(2024, 6, 3, 7, 41))


def test_the_last_save_waits_for_a_lock_to_go(tmp_path: Path) -> None:
    import threading

    from posecoach.history import kept

    with History.open(tmp_path, timeout=0.05) as history:
        session = _safe_session(history, tmp_path, final_wait=10.0)
        session.start()
        other = _lock(tmp_path)
        session.save(sides=SIDES, faults=[], pain_stop=False, ended_at=datetime(2024, 6, 3, 7, 35))
        assert session.kept is not None  # during the session: kept aside at once, the window must not wait
        release = threading.Timer(0.5, lambda: (other.execute("ROLLBACK"), other.close()))
        release.start()
        session.save(sides=SIDES, faults=[], pain_stop=False, ended_at=datetime(2024, 6, 3, 7, 41), final=True)
        release.join()
        assert session.problem is None and session.kept is None and kept.files(tmp_path) == []
        (row,) = history.sessions()
    assert row.id == session.session_id and row.sides == SIDES and row.ended_at == datetime(2024, 6, 3, 7, 41)


def test_a_kept_session_merged_while_it_runs_stays_one_session(tmp_path: Path) -> None:
    with History.open(tmp_path, timeout=0.05) as history:
        session = _safe_session(history, tmp_path)
        session.start()
        assert session.session_id is not None
        other = _lock(tmp_path)
        session.save(sides={"left": SideSummary(5.0)}, faults=[], pain_stop=False, ended_at=datetime(2024, 6, 3, 7, 31))
        assert session.kept is not None
        other.execute("ROLLBACK")
        other.close()
        with History.open(tmp_path) as elsewhere:  # another posecoach merges the file meanwhile
            assert elsewhere.merge_kept() == [] and [r.id for r in elsewhere.sessions()] == [session.session_id]
            assert elsewhere.sessions()[0].sides == {"left": SideSummary(5.0)}
        session.save(sides=SIDES, faults=[], pain_stop=False, ended_at=datetime(2024, 6, 3, 7, 41), final=True)
        (row,) = history.sessions()
    assert row.sides == SIDES


def test_a_coach_session_with_the_database_locked_is_kept_and_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from posecoach.history import kept
    from tests.clips import empty_room

    monkeypatch.setattr(kept, "FINAL_WAIT", 0.3)
    with History.open(tmp_path / "data") as history:
        _log(history, datetime(2024, 6, 1))
    room = empty_room(tmp_path / "room.mp4", count=15)
    other = _lock(tmp_path / "data")
    try:
        code, out, err = _run(["coach", "plank", "--camera", str(room), "--data-dir", str(tmp_path / "data"),
                               "--model", "lite"], capsys)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert code == ExitCode.OK, err
    (kept_file,) = kept.files(tmp_path / "data")
    assert f"Plank (camera ended): 0/30 s; kept in {kept_file} until the history database can take it" in out
    warning = err.splitlines()[-1]
    assert warning.startswith("posecoach: warning: ") and "busy" in warning and str(kept_file) in warning
    code, out, _ = _run(["history", "--data-dir", str(tmp_path / "data"), "--json", "--weeks", "520"], capsys)
    assert code == ExitCode.OK and kept.files(tmp_path / "data") == []
    with History.open(tmp_path / "data") as history:
        assert [r.exercise for r in history.sessions()] == ["kneeling-hip-flexor", "plank"]
