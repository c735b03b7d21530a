"""Each key angle over time as a PNG: one line per side, the allowed band shaded, fault intervals marked."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import Any

from posecoach.outputs.report.facts import (
    Fault,
    KeyMeasure,
    Result,
    frame_value,
)
from posecoach.outputs.report.wording import shown, unit

SIDE_COLOURS = {"left": "#3b78b0", "right": "#e0892f", "both": "#4a4a4a"}
BAND_COLOUR = "#5a9e5a"
FAULT_COLOUR = "#d64545"
SIZE_INCHES = (9.6, 3.0)
DPI = 110


def measure_plot(result: Result, key: KeyMeasure, faults: Sequence[Fault]) -> bytes:
    """The plot as PNG bytes.

    Drawn on a `Figure` with the Agg canvas chosen here (no pyplot, so no global backend or figure list
    is touched and nothing is drawn at import).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    frames = result.get("frames") or []
    times = [float(f["t"]) for f in frames]
    # In the unit the page speaks of: degrees, or shares of a body length in per cent.
    values = [None if v is None else shown(v, key.measure) for v in (frame_value(f, key.name) for f in frames)]
    bands = [tuple(shown(b, key.measure) for b in check.band) for check in key.checks]
    figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axis = figure.add_subplot()
    handles: list[Any] = []
    lines: list[Any] = []

    seen = [v for v in values if v is not None]
    bounds = [b for band in bands for b in band if math.isfinite(b)]
    low = min(seen + bounds, default=0.0)
    high = max(seen + bounds, default=1.0)
    pad = max((high - low) * 0.08, 0.02 if key.measure.kind == "rule" else 2.0)
    low, high = low - pad, high + pad

    for band in bands:
        lo = band[0] if math.isfinite(band[0]) else low
        hi = band[1] if math.isfinite(band[1]) else high
        axis.axhspan(lo, hi, color=BAND_COLOUR, alpha=0.16, linewidth=0, zorder=0)
    if key.checks:
        handles.append(Patch(color=BAND_COLOUR, alpha=0.3, label="allowed"))

    ids = {check.id for check in key.checks}
    marked = [f for f in faults if f.check_id in ids]
    labels: dict[tuple[float, float], list[str]] = {}
    for fault in marked:
        axis.axvspan(fault.start, fault.end, color=FAULT_COLOUR, alpha=0.15, linewidth=0, zorder=0)
        if fault.worst is not None:
            labels.setdefault((fault.worst.t, shown(fault.worst.value, key.measure)), []).append(f"#{fault.number}")
    for (t, value), names in labels.items():
        axis.plot([t], [value], marker="o", markersize=7, markerfacecolor="none", markeredgecolor=FAULT_COLOUR,
                  markeredgewidth=2, zorder=4)
        axis.annotate(" ".join(names), (t, value), textcoords="offset points", xytext=(6, 6), fontsize=9,
                      color=FAULT_COLOUR, fontweight="bold")
    if marked:
        handles.append(Patch(color=FAULT_COLOUR, alpha=0.3, label="fault (circle: worst frame)"))

    judged = [any((f.get("checks") or {}).get(c.id) in ("ok", "fail") for c in key.checks) for f in frames]
    unjudged = False
    for side in dict.fromkeys(f.get("side") or "both" for f in frames):
        series = [v if (f.get("side") or "both") == side and v is not None else math.nan
                  for f, v in zip(frames, values, strict=True)]
        if all(math.isnan(v) for v in series):
            continue
        colour = SIDE_COLOURS.get(side, "#4a4a4a")
        # Faint where form is not judged (setting up, moving, out of position), solid where it is.
        axis.plot(times, series, color=colour, linewidth=1.2, alpha=0.35, zorder=2)
        solid = [v if j else math.nan for v, j in zip(series, judged, strict=True)]
        unjudged = unjudged or any(not j and not math.isnan(v) for v, j in zip(series, judged, strict=True))
        (line,) = axis.plot(times, solid, color=colour, linewidth=2.0, zorder=3,
                            label=f"{side} side" if side in ("left", "right") else "value")
        lines.append(line)
    if unjudged:
        handles.append(Line2D([], [], color="#888888", alpha=0.5, linewidth=1.2, label="not judged (moving, setting up)"))

    unit_text = unit(key.measure)
    axis.set_ylim(low, high)
    axis.set_xlim(0, times[-1] if times else 1)
    axis.set_xlabel("time (s)", fontsize=10)
    axis.set_ylabel(unit_text or "value", fontsize=10)
    axis.tick_params(labelsize=9)
    axis.grid(True, color="#e4e4e4", linewidth=0.8)
    axis.set_axisbelow(True)
    for spine in ("top", "right"):
        axis.spines[spine].set_visible(False)
    # Above the axes, in one row: every plot keeps the same width, so their time axes line up.
    axis.legend(handles=lines + handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=6, fontsize=9,
                frameon=False, borderaxespad=0.2)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white")
    return buffer.getvalue()
