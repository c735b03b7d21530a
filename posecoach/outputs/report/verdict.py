"""The verdict in plain words, one paragraph per side, made from result.json's holds, reps and faults."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from posecoach.outputs.report import wording
from posecoach.outputs.report.facts import Fault, Result, number, side_label, sides
from posecoach.specs.schema import Exercise


def verdict(result: Result, faults: Sequence[Fault], exercise: Exercise | None = None) -> list[str]:
    """One paragraph per side, e.g. "Right side: 2.8 s of 30 s in good form. From 11.5 s the front knee
    angle rose to 140 degrees (aim for 75 to 105 degrees). Bring your front foot back under your knee.";
    one sentence and its cue for each kind of fault. With the `exercise`, an offset is also given as the
    angle the exercise measures at the same point."""
    frames = result.get("frames") or []
    paragraphs = [_side(result, side, [f for f in faults if (f.side or "both") == side], exercise, frames)
                  for side in sides(result)]
    if not paragraphs:
        return [("Nothing was counted: the starting position was never reached. Set the camera side-on, "
                "get into the position and hold still.")]
    return paragraphs


def _side(result: Result, side: str, faults: Sequence[Fault], exercise: Exercise | None,
          frames: Sequence[Mapping[str, Any]]) -> str:
    sentences = [f"{side_label(side)}: {_progress(result, side)}."]
    if not faults and side in (result.get("holds") or {}) | (result.get("reps") or {}):
        sentences.append("No form faults.")
    for group in _by_kind(faults):
        sentences.extend(_fault_sentences(group, exercise, frames))
    return " ".join(sentences)


def _progress(result: Result, side: str) -> str:
    hold = (result.get("holds") or {}).get(side)
    if hold is not None:
        seconds, target = number(hold["good_form_seconds"], 1), number(hold["target_seconds"], 1)
        if hold["completed"]:
            return f"{seconds} s in good form, the {target} s target reached"
        return f"{seconds} s of {target} s in good form"
    reps = (result.get("reps") or {}).get(side)
    if reps is not None:
        return f"{reps['count']} of {reps['target']} reps in good form"
    return "no time counted"


def _by_kind(faults: Sequence[Fault]) -> list[list[Fault]]:
    """Faults of one kind together (one check, one way out of its band), kinds in the order they began."""
    groups: dict[tuple[str, str | None, str], list[Fault]] = {}
    for fault in faults:
        groups.setdefault(fault.kind, []).append(fault)
    return list(groups.values())


def _fault_sentences(group: Sequence[Fault], exercise: Exercise | None, frames: Sequence[Mapping[str, Any]]) -> list[str]:
    """One sentence for one kind of fault (when it first began, how often and how long, its worst moment
    and the aim), and its cue: every number in it is of this kind's faults only."""
    first = group[0]
    total = sum(f.end - f.start for f in group)
    times = "" if len(group) == 1 else f"{len(group)} times, {number(total, 1)} s in all"
    cue = first.cue.rstrip(".")
    # A rule module's value has a unit of its own the report cannot name: its cue says it plainly.
    known = [f for f in group if f.worst is not None and f.measure is not None and f.check is not None
             and f.measure.kind != "rule"]
    if not known:
        when = f" ({times})" if times else f" for {number(total, 1)} s"
        return [f"From {number(first.start, 1)} s{when}: {cue}."]
    worst = max(known, key=lambda f: f.worst.outside if f.worst else 0.0)
    assert worst.worst is not None and worst.measure is not None and worst.check is not None
    phrase = wording.worst_phrase(worst.measure, worst.worst.value, worst.direction)
    frame = frames[worst.worst.index] if exercise is not None and 0 <= worst.worst.index < len(frames) else None
    angle = wording.angle_clause(exercise, worst.measure, frame) if exercise is not None else ""
    aim = f"aim for {wording.band_text(worst.check, worst.measure)}" + (f"; {times}" if times else "")
    return [f"From {number(first.start, 1)} s {phrase}{angle} ({aim}).", f"{cue}."]
