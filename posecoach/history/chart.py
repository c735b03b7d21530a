"""The history summary as a PNG: days per week against the guide's band, and hold time per exercise and side."""

from __future__ import annotations

from pathlib import Path

from posecoach.errors import InputError
from posecoach.history.summary import TARGET_MAX, TARGET_MIN, Summary
from posecoach.outputs.atomic import AtomicFile

SIDE_COLOURS = {"left": "#3b78b0", "right": "#e0892f", "both": "#5a9e5a"}


def write_chart(path: Path, summary: Summary) -> None:
    """Draw the chart with matplotlib's Agg backend (no window) and write it atomically."""
    if path.suffix.lower() != ".png":
        raise InputError(f"{path}: the chart is written as PNG; give a file name ending in .png")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, (weeks_axis, totals_axis) = plt.subplots(
        2, 1, figsize=(8, 7), gridspec_kw={"height_ratios": [1, 1]}, layout="constrained"
    )
    try:
        labels = [w.start.strftime("%d %b") for w in summary.weeks]
        colours = ["#5a9e5a" if w.met else "#b0b0b0" for w in summary.weeks]
        weeks_axis.axhspan(TARGET_MIN, TARGET_MAX, color="#5a9e5a", alpha=0.15, label=f"guide: {TARGET_MIN}-{TARGET_MAX}")
        weeks_axis.bar(range(len(labels)), [w.days for w in summary.weeks], color=colours)
        weeks_axis.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
        weeks_axis.set_ylim(0, 7)
        weeks_axis.set_ylabel("days with a session")
        weeks_axis.set_title(f"Days per week (week starting)  -  streak: {summary.streak} week(s)")
        weeks_axis.legend(loc="upper left")

        rows = [(t.exercise, side, s.good_form_seconds) for t in summary.totals for side, s in t.sides.items()]
        if rows:
            names = [f"{exercise} ({side})" for exercise, side, _ in rows]
            totals_axis.barh(
                range(len(rows)),
                [seconds / 60 for _, _, seconds in rows],
                color=[SIDE_COLOURS.get(side, "#808080") for _, side, _ in rows],
            )
            totals_axis.set_yticks(range(len(rows)), names)
            totals_axis.invert_yaxis()
        else:
            totals_axis.text(0.5, 0.5, "no good-form time logged yet", ha="center", va="center",
                             transform=totals_axis.transAxes)
        totals_axis.set_xlabel("good-form time (minutes)")
        totals_axis.set_title("Good-form time per exercise and side")

        try:
            file = AtomicFile(path)
            try:
                figure.savefig(file.temporary, format="png", dpi=100)
                file.commit()
            finally:
                file.discard()
        except OSError as error:
            raise InputError(f"{path}: cannot write the chart ({error.strerror or error}); give another --chart path") from None
    finally:
        plt.close(figure)
