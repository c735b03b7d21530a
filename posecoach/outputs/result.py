"""`result.json`: every frame's side, angles and check states, the holds per side and the fault intervals."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from posecoach import __version__
from posecoach.outputs.atomic import write_text
from posecoach.pipeline import Step
from posecoach.records import CoachState, Side
from posecoach.specs.schema import ANGLE_KINDS, Exercise

SCHEMA_VERSION = 1


def _number(value: float, digits: int) -> float | None:
    return None if math.isnan(value) else round(value, digits)


def side_key(side: Side | None) -> str:
    """How a side is named in reports: "left", "right", or "both" for exercises without sides."""
    return side or "both"


@dataclass
class _Open:
    start: float
    end: float
    side: Side | None
    cue: str
    severity: str


class ResultRecorder:
    """A sink that keeps what result.json needs; `result(...)` assembles it."""

    def __init__(self, exercise: Exercise) -> None:
        self.exercise = exercise
        self._angles = [m.name for m in exercise.measures if m.kind in ANGLE_KINDS]
        self._others = [m.name for m in exercise.measures if m.kind not in ANGLE_KINDS]
        self.frames: list[dict[str, Any]] = []
        self.faults: list[dict[str, Any]] = []
        self.events: list[dict[str, Any]] = []
        self._open: dict[str, _Open] = {}
        #: [start, end] of the stretches with more than one person in view (no form is judged then).
        self._crowded: list[list[float]] = []
        self._crowd_open = False
        self.last_state: CoachState | None = None

    def write(self, step: Step) -> None:
        verdict, state = step.verdict, step.state
        measures = verdict.measures
        self.frames.append(
            {
                "t": round(verdict.t, 4),
                "pose_found": verdict.pose_found,
                "side": verdict.side,
                "in_position": verdict.in_position,
                "phase": state.phase.value,
                "angles": {n: _number(measures[n], 2) for n in self._angles},
                "measures": {n: _number(measures[n], 4) for n in self._others},
                "checks": {c.id: c.status.value for c in verdict.checks},
                "cue": state.cue,
                "good_form": state.counting,
            }
        )
        for check in verdict.checks:
            current = self._open.get(check.id)
            if check.reported and check.since is not None and check.until is not None:
                # Found after the fact (a rep's top judged as the rep ended): the interval is known whole.
                self._open[check.id] = _Open(check.since, check.until, verdict.side, check.cue or "",
                                             check.severity.value)
                self._close(check.id, self._open[check.id])
            elif check.reported and check.since is not None:
                if current is None:
                    self._open[check.id] = _Open(check.since, verdict.t, verdict.side, check.cue or "",
                                                 check.severity.value)
                else:
                    current.end = verdict.t
            elif current is not None:
                self._close(check.id, current)
        if step.observation.people > 1:
            if self._crowd_open:
                self._crowded[-1][1] = verdict.t
            else:
                self._crowded.append([verdict.t, verdict.t])
            self._crowd_open = True
        elif self._crowd_open:
            self._crowded[-1][1] = verdict.t  # the stretch ends where this frame, with one person, begins
            self._crowd_open = False
        for event in state.events:
            self.events.append(
                {"t": round(event.t, 3), "kind": event.kind, "side": event.side, "text": event.text, "check": event.check}
            )
        self.last_state = state

    def _close(self, check_id: str, interval: _Open) -> None:
        # A fault paused by a moment of movement resumes with its original start: one interval, not two.
        for earlier in reversed(self.faults):
            if earlier["check"] == check_id and earlier["side"] == interval.side and interval.start <= earlier["end"]:
                earlier["end"] = round(max(earlier["end"], interval.end), 3)
                del self._open[check_id]
                return
        self.faults.append(
            {
                "check": check_id,
                "side": interval.side,
                "start": round(interval.start, 3),
                "end": round(interval.end, 3),
                "cue": interval.cue,
                "severity": interval.severity,
            }
        )
        del self._open[check_id]

    def finish(self) -> None:
        for check_id, interval in list(self._open.items()):
            self._close(check_id, interval)
        self.faults.sort(key=lambda f: (f["start"], f["check"]))

    def result(self, *, video: str, model: str, fps: float, size: tuple[int, int]) -> dict[str, Any]:
        self.finish()
        progress = self.last_state.progress if self.last_state else {}
        holds = {
            side_key(side): {
                "good_form_seconds": round(p.good_form_seconds, 2),
                "target_seconds": p.target_seconds,
                "completed": p.completed,
            }
            for side, p in progress.items()
        }
        reps = {side_key(side): {"count": p.reps, "target": p.target_reps} for side, p in progress.items()}
        found = sum(1 for f in self.frames if f["pose_found"])
        return {
            "posecoach": __version__,
            "schema": SCHEMA_VERSION,
            "exercise": self.exercise.id,
            "exercise_name": self.exercise.name,
            "mode": self.exercise.mode.kind,
            "video": video,
            "model": model,
            "fps": round(fps, 3),
            "size": list(size),
            "summary": {
                "frames": len(self.frames),
                "pose_found_frames": found,
                "detection_rate": round(found / len(self.frames), 4) if self.frames else 0.0,
                "phase": self.last_state.phase.value if self.last_state else None,
            },
            "holds": holds if self.exercise.mode.kind == "hold" else {},
            "reps": reps if self.exercise.mode.kind == "reps" else {},
            "faults": self.faults,
            "several_people": [{"start": round(a, 3), "end": round(b, 3)} for a, b in self._crowded],
            "events": self.events,
            "frames": self.frames,
        }


def write_result(path: Path, result: dict[str, Any]) -> None:
    write_text(path, json.dumps(result, indent=1, allow_nan=False) + "\n")
