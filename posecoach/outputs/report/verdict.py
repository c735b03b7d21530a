"""The verdict in plain words, one paragraph per side, made from result.json's holds, reps and faults."""

from __future__ import annotations

from collections.abc import Sequence

from posecoach.outputs.report.facts import (
    Fault,
    Result,
    band_text,
    number,
    side_label,
    sides,
    with_unit,
)
from posecoach.specs.schema import JOINT_KINDS

VERBS = {"high": "rose to", "low": "fell to"}


def verdict(result: Result, faults: Sequence[Fault]) -> list[str]:
    """One paragraph per side, e.g. "Right side: 2.8 s of 30 s in good form. From 11.5 s the front knee
    angle rose to 140 degrees (aim for 75 to 105 degrees). Bring your front foot back under your knee."."""
    paragraphs = [_side(result, side, [f for f in faults if (f.side or "both") == side]) for side in sides(result)]
    if not paragraphs:
        return [("Nothing was counted: the starting position was never reached. Set the camera side-on, "
                "get into the position and hold still.")]
    return paragraphs


def _side(result: Result, side: str, faults: Sequence[Fault]) -> str:
    sentences = [f"{side_label(side)}: {_progress(result, side)}."]
    if not faults and side in (result.get("holds") or {}) | (result.get("reps") or {}):
        sentences.append("No form faults.")
    for group in _by_check(faults):
        sentences.extend(_fault_sentences(group))
    return " ".join(sentences)


def _progress(result: Result, side: str) -> str:
    hold = (result.get("holds") or {}).get(side)
    if hold is not None:
        seconds, target = number(hold["good_form_seconds"]), number(hold["target_seconds"])
        if hold["completed"]:
            return f"{seconds} s in good form, the {target} s target reached"
        return f"{seconds} s of {target} s in good form"
    reps = (result.get("reps") or {}).get(side)
    if reps is not None:
        return f"{reps['count']} of {reps['target']} reps in good form"
    return "no time counted"


def _by_check(faults: Sequence[Fault]) -> list[list[Fault]]:
    groups: dict[str, list[Fault]] = {}
    for fault in faults:
        groups.setdefault(fault.check_id, []).append(fault)
    return list(groups.values())


def _fault_sentences(group: Sequence[Fault]) -> list[str]:
    first = group[0]
    known = [f for f in group if f.worst is not None and f.direction is not None]
    times = "" if len(group) == 1 else f"; reported {len(group)} times"
    if not known:
        return [f"From {number(first.start, 3)} s{times}: {first.cue.rstrip('.')}."]
    worst = max(known, key=lambda f: f.worst.outside if f.worst else 0.0)
    assert worst.worst is not None and worst.measure is not None and worst.check is not None
    measure = worst.measure
    subject = f"the {measure.name.replace('_', ' ')}" + (" angle" if measure.kind in JOINT_KINDS else "")
    verb = VERBS[worst.direction or "high"]
    value = with_unit(worst.worst.value, measure)
    aim = band_text(worst.check, measure)
    cue = worst.cue.rstrip(".")
    return [f"From {number(first.start, 3)} s {subject} {verb} {value} (aim for {aim}{times}).", f"{cue}."]
