"""Putting the report together from result.json data and writing it atomically beside the other outputs."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from posecoach.outputs.atomic import write_text
from posecoach.outputs.report import facts
from posecoach.outputs.report.facts import Result
from posecoach.outputs.report.page import render
from posecoach.outputs.report.plots import measure_plot
from posecoach.outputs.report.thumbnails import thumbnails
from posecoach.outputs.report.verdict import verdict
from posecoach.specs.schema import Exercise

REPORT_NAME = "report.html"


def build_report(result: Result, exercise: Exercise, *, videos: Sequence[Path] = (),
                 video_name: str = "annotated.webm") -> str:
    """The page as text. `videos` are where the thumbnails of the worst frames are read from (the first
    video with a frame wins); `video_name` is the annotated video's path relative to the page."""
    faults = facts.faults(result, exercise)
    keys = facts.key_measures(exercise)
    plots = {key.name: measure_plot(result, key, faults) for key in keys}
    worst = [fault.worst.index for fault in faults if fault.worst is not None]
    pictures = thumbnails(videos, worst) if worst and videos else {}
    return render(result, exercise, verdict=verdict(result, faults), faults=faults, keys=keys, plots=plots,
                  thumbnails=pictures, video_name=video_name)


def write_report(path: Path, result: Result, exercise: Exercise, *, videos: Sequence[Path] = (),
                 video_name: str = "annotated.webm") -> Path:
    write_text(path, build_report(result, exercise, videos=videos, video_name=video_name))
    return path
