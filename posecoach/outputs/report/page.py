"""The report page: the template filled with escaped text, the plots and thumbnails as data: URIs."""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from html import escape
from importlib import resources
from pathlib import PurePath
from string import Template
from typing import Any

from posecoach.outputs.report.facts import (
    Fault,
    KeyMeasure,
    Result,
    duration,
    number,
    side_label,
    sides,
)
from posecoach.outputs.report import wording
from posecoach.specs.schema import ANGLE_KINDS, Exercise

TEMPLATE = "template.html"


def data_uri(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def render(
    result: Result,
    exercise: Exercise,
    *,
    verdict: Sequence[str],
    faults: Sequence[Fault],
    keys: Sequence[KeyMeasure],
    plots: Mapping[str, bytes],
    thumbnails: Mapping[int, bytes],
    video_name: str | None,
    poster: bytes | None = None,
) -> str:
    template = Template(resources.files(__package__).joinpath(TEMPLATE).read_text(encoding="utf-8"))
    return template.substitute(
        version=escape(str(result.get("posecoach", ""))),
        title=escape(str(result.get("exercise_name") or exercise.name)),
        meta=_meta(result),
        verdict_class=" faulty" if faults else "",
        verdict="\n".join(f"  <p>{escape(paragraph)}</p>" for paragraph in verdict),
        progress_title="Reps in good form" if result.get("reps") else "Good-form hold time",
        progress=_progress(result),
        faults=_timeline(result, faults) + "\n" + _faults(faults, thumbnails, exercise, result.get("frames") or []),
        plots_title="Key angles over time" if all(k.measure.kind in ANGLE_KINDS for k in keys) else "Key measures over time",
        plots=_plots(keys, plots),
        video=_video(video_name, poster),
        steps="\n".join(f"  <li>{escape(step)}</li>" for step in exercise.steps),
        safety="\n".join(f"  <li>{escape(note)}</li>" for note in exercise.safety),
        footer=escape(f"posecoach {result.get('posecoach', '')} - every number here is from result.json "
                      f"(schema {result.get('schema', '')}) beside this page"),
    )


def _video(name: str | None, poster: bytes | None = None) -> str:
    if name is None:
        return ('  <h2>Annotated video</h2>\n  <p class="none">Reviewed from a landmark file: there is no video, '
                "only the numbers (the fault pictures above show the skeleton).</p>")
    cover = f' poster="{data_uri("image/jpeg", poster)}"' if poster else ""
    return f'  <h2>Annotated video</h2>\n  <video src="{escape(name)}"{cover} controls preload="metadata"></video>'


def _num(key: str, value: float, digits: int = 1) -> str:
    """A number as shown, with the exact value from result.json in a data attribute."""
    return f'<span class="num" data-key="{escape(key)}" data-value="{escape(repr(value))}">{number(value, digits)}</span>'


def _meta(result: Result) -> str:
    summary = result.get("summary") or {}
    parts = [
        PurePath(str(result.get("video", ""))).name,
        f"{summary.get('frames', 0)} frames, {number(duration(result), 1)} s",
        f"person found in {number(100 * float(summary.get('detection_rate', 0.0)), 1)}% of frames",
        f"model {result.get('model', '')}",
    ]
    return " &middot; ".join(escape(part) for part in parts)


def _progress(result: Result) -> str:
    rows: list[str] = []
    for side, hold in (result.get("holds") or {}).items():
        share = min(1.0, float(hold["good_form_seconds"]) / float(hold["target_seconds"] or 1))
        value = (f"{_num(f'holds.{side}.good_form_seconds', hold['good_form_seconds'])} s of "
                 f"{_num(f'holds.{side}.target_seconds', hold['target_seconds'])} s")
        rows.append(_bar(side, share, value, bool(hold["completed"])))
    for side, reps in (result.get("reps") or {}).items():
        share = min(1.0, int(reps["count"]) / max(1, int(reps["target"])))
        value = f"{_num(f'reps.{side}.count', reps['count'])} of {_num(f'reps.{side}.target', reps['target'])} reps"
        rows.append(_bar(side, share, value, int(reps["count"]) >= int(reps["target"])))
    if not rows:
        return '  <p class="none">Nothing was counted.</p>'
    return '  <div class="bars">\n' + "\n".join(rows) + "\n  </div>"


def _bar(side: str, share: float, value: str, done: bool) -> str:
    key = escape(side)
    mark = ' <span class="done">&#10003; done</span>' if done else ""
    return (
        f'    <div class="bar-label">{escape(side_label(side))}</div>\n'
        f'    <div class="track" id="bar-{key}"><div class="fill {key}" style="width: {share * 100:.1f}%"></div></div>\n'
        f'    <div class="bar-value" id="value-{key}">{value}{mark}</div>'
    )


def _runs(frames: Sequence[Mapping[str, Any]], side: str) -> list[tuple[float, float]]:
    """Intervals of consecutive good-form frames on one side."""
    runs: list[tuple[float, float]] = []
    start: float | None = None
    previous = 0.0
    for frame in frames:
        t = float(frame["t"])
        good = bool(frame.get("good_form")) and (frame.get("side") or "both") == side
        if good and start is None:
            start = t
        elif not good and start is not None:
            runs.append((start, t))
            start = None
        previous = t
    if start is not None:
        runs.append((start, previous))
    return runs


def _timeline(result: Result, faults: Sequence[Fault]) -> str:
    """A strip per side across the whole video: good form in the side's colour, faults in red."""
    total = duration(result)
    if total <= 0:
        return ""
    frames = result.get("frames") or []

    def span(start: float, end: float, kind: str, title: str) -> str:
        left = 100 * max(0.0, start) / total
        width = max(0.4, 100 * (min(end, total) - start) / total)
        return (f'<div class="span {kind}" style="left: {left:.2f}%; width: {width:.2f}%" '
                f'title="{escape(title)}"></div>')

    rows = []
    for side in sides(result):
        parts = [span(a, b, f"good {escape(side)}", f"good form {number(a, 1)}-{number(b, 1)} s")
                 for a, b in _runs(frames, side)]
        parts += [span(f.start, f.end, "bad", f"#{f.number} {f.cue}") for f in faults if (f.side or "both") == side]
        flags: dict[int, list[str]] = {}
        for fault in faults:
            if (fault.side or "both") == side:
                # Faults starting within a few pixels of each other share one label.
                flags.setdefault(round(50 * fault.start / total), []).append(f"#{fault.number}")
        parts += [f'<div class="flag" style="left: {2 * at:.2f}%">{" ".join(names)}</div>'
                  for at, names in flags.items()]
        rows.append(f'    <div class="bar-label">{escape(side_label(side))}</div>\n'
                    f'    <div class="strip">{"".join(parts)}</div>')
    ticks = "".join(f'<span style="left: {100 * t / total:.2f}%">{number(t, 0)} s</span>'
                    for t in range(0, int(total) + 1, 5 if total > 12 else 2))
    return ('  <div class="timeline">\n' + "\n".join(rows)
            + f'\n    <div></div><div class="ticks">{ticks}</div>\n'
            + '  </div>\n  <p class="legend"><span class="key good"'
            + (' style="background: var(--both)"' if sides(result) == ["both"] else "") + '></span>good form '
            + '<span class="key bad"></span>fault</p>')


def _faults(faults: Sequence[Fault], thumbnails: Mapping[int, bytes], exercise: Exercise,
            frames: Sequence[Mapping[str, Any]]) -> str:
    if not faults:
        return '  <p class="none">No fault lasted long enough to be reported.</p>'
    return "\n".join(_fault(fault, thumbnails, exercise, frames) for fault in faults)


def _fault(fault: Fault, thumbnails: Mapping[int, bytes], exercise: Exercise,
           frames: Sequence[Mapping[str, Any]]) -> str:
    side = fault.side or "both"
    worst = fault.worst
    image = thumbnails.get(worst.index) if worst is not None else None
    if image is not None and worst is not None:
        picture = (f'<img src="{data_uri("image/jpeg", image)}" '
                   f'alt="{escape(f"The moment at {number(worst.t, 1)} s")}">')
    else:
        picture = '<div class="noimage">no picture of this moment</div>'
    title = _fault_title(fault)
    lines = [
        (f'  <article class="fault" id="fault-{fault.number}" data-check="{escape(fault.check_id)}" '
        f'data-side="{escape(side)}">'),
        f"    <div>{picture}</div>",
        "    <div>",
        (f'      <h3><span class="tag {escape(side)}">{escape(side_label(side))}</span>'
        f"#{fault.number} {escape(title)}</h3>"),
        (f'      <div class="when">{_num(f"faults.{fault.number - 1}.start", fault.start)} s to '
        f'{_num(f"faults.{fault.number - 1}.end", fault.end)} s '
        f"({number(fault.end - fault.start, 1)} s)</div>"),
        f'      <div class="cue">{escape(fault.cue)}</div>',
    ]
    if worst is not None and fault.measure is not None and fault.check is not None and fault.measure.kind != "rule":
        phrase = wording.worst_phrase(fault.measure, worst.value, fault.direction)
        angle = wording.angle_clause(exercise, fault.measure, frames[worst.index] if worst.index < len(frames) else None)
        lines.append(
            f'      <div class="worst">Worst at {number(worst.t, 1)} s: {escape(phrase + angle)} '
            f"(allowed {escape(wording.band_text(fault.check, fault.measure))})</div>"
        )
    if fault.check is not None:
        lines.append(f'      <div class="aim">Aim: {escape(fault.check.describe)}</div>')
    lines += ["    </div>", "  </article>"]
    return "\n".join(lines)


def _fault_title(fault: Fault) -> str:
    """"Front knee angle too high", "Hips below the line from shoulders to ankles": the measure and which
    way it left its band."""
    return wording.title(fault.measure, fault.direction, fault.check_id)


def _plots(keys: Sequence[KeyMeasure], plots: Mapping[str, bytes]) -> str:
    figures: list[str] = []
    for key in keys:
        png = plots.get(key.name)
        if png is None:
            continue
        name = wording.measure_name(key.measure)
        name = name[0].upper() + name[1:]
        allowed = "; ".join(wording.band_text(check, key.measure) for check in key.checks)
        figures.append(
            f'  <figure class="plot" id="plot-{escape(key.name)}">\n'
            f"    <figcaption>{escape(name)} <span>&mdash; allowed {escape(allowed)}. "
            f"{escape(key.measure.describe)}</span></figcaption>\n"
            f'    <img src="{data_uri("image/png", png)}" alt="{escape(name)} over time">\n'
            "  </figure>"
        )
    return "\n".join(figures) if figures else '  <p class="none">This exercise has no checks to plot.</p>'
