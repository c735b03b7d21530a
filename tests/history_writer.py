"""Steps for history tests, and a writer the tests run in a separate process:

    python -m tests.history_writer crash  DATA_DIR          # log 3.5 s of a live session, say "ready", then sleep
    python -m tests.history_writer live   DATA_DIR GO N     # wait for GO to exist, log a live session of N commits
    python -m tests.history_writer review DATA_DIR GO N     # wait for GO to exist, log N reviews
"""

from __future__ import annotations

import sys
import time
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

from posecoach.history.recorder import HistoryRecorder, LoggedSession
from posecoach.history.store import History, SideSummary
from posecoach.pipeline import Step
from posecoach.records import CoachState, Event, Observation, Phase, Side, SideProgress, Verdict

#: Steps the crash writer logs, 0.1 s of frame time apart.
CRASH_STEPS = 35


def make_step(t: float, seconds: Mapping[Side | None, float], *, reps: int = 0, events: Sequence[Event] = ()) -> Step:
    """A step whose coach state has `seconds` of good form per side (and `reps` reps on each)."""
    progress = {side: SideProgress(value, 30.0, reps, 0, False) for side, value in seconds.items()}
    side = next(iter(seconds))
    return Step(
        Observation(index=int(round(t * 10)), t=t, size=(640, 480), pose=None),
        Verdict(t=t, pose_found=True, side=side, in_position=True, measures={}, checks=()),
        CoachState(t=t, phase=Phase.ACTIVE, side=side, cue=None, progress=progress, events=tuple(events)),
    )


def _wait_for(go: Path) -> None:
    deadline = time.monotonic() + 30
    while not go.exists():
        if time.monotonic() > deadline:
            raise SystemExit("the start signal never came")
        time.sleep(0.005)


def crash(data_dir: Path) -> None:
    with History.open(data_dir) as history:
        session = history.start_session(kind="live", exercise="kneeling-hip-flexor", source="camera 0",
                                        started_at=datetime(2024, 6, 5, 7, 30))
        recorder = HistoryRecorder(LoggedSession(history, session))
        for i in range(CRASH_STEPS):
            t = i / 10
            recorder.write(make_step(t, {"left": t, "right": t / 2}))
        print(f"ready {session} {recorder.commits}", flush=True)
        time.sleep(60)


def live(data_dir: Path, go: Path, count: int) -> None:
    with History.open(data_dir) as history:
        _wait_for(go)
        session = history.start_session(kind="live", exercise="couch-stretch", source="camera 0",
                                        started_at=datetime.now())
        recorder = HistoryRecorder(LoggedSession(history, session))
        for i in range(count + 1):
            recorder.write(make_step(float(i), {"left": float(i), "right": float(i)}))
        recorder.finish()
        print(f"live {recorder.commits}", flush=True)


def review(data_dir: Path, go: Path, count: int) -> None:
    with History.open(data_dir) as history:
        _wait_for(go)
        for i in range(count):
            session = history.start_session(kind="review", exercise="plank", source=f"clip{i}.mp4",
                                            started_at=datetime.now())
            history.update_session(session, sides={"both": SideSummary(float(i))}, faults=["hips-level"],
                                   pain_stop=False, ended_at=datetime.now())
        print(f"review {count}", flush=True)


def main(argv: Sequence[str]) -> None:
    mode, data_dir = argv[0], Path(argv[1])
    if mode == "crash":
        crash(data_dir)
    elif mode == "live":
        live(data_dir, Path(argv[2]), int(argv[3]))
    elif mode == "review":
        review(data_dir, Path(argv[2]), int(argv[3]))
    else:
        raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
