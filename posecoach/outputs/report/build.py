"""Putting the report together from result.json data and writing it atomically beside the other outputs."""

from __future__ import annotations

from pathlib import Path

from posecoach.outputs.atomic import write_text
from posecoach.outputs.report import facts
from posecoach.outputs.report.facts import Result
from posecoach.outputs.report.page import render
from posecoach.outputs.report.plots import measure_plot
from posecoach.outputs.report.thumbnails import Pictures, Poster
from posecoach.outputs.report.verdict import verdict
from posecoach.specs.schema import Exercise

REPORT_NAME = "report.html"


def build_report(result: Result, exercise: Exercise, *, pictures: Pictures | None = None,
                 video_name: str | None = "annotated.webm", poster: Poster | None = None) -> str:
    """The page as text. `pictures` gives the thumbnails of the worst frames (none without it); `video_name`
    is the annotated video's path relative to the page (None: there is no video, a landmark file was
    reviewed); `poster` gives the video's poster, a still of one of the frames it is offered."""
    faults = facts.faults(result, exercise)
    keys = facts.key_measures(exercise)
    plots = {key.name: measure_plot(result, key, faults) for key in keys}
    worst = [fault.worst.index for fault in faults if fault.worst is not None]
    shown = pictures(worst) if worst and pictures is not None else {}
    cover = poster(facts.poster_frames(result)) if poster is not None and video_name is not None else None
    return render(result, exercise, verdict=verdict(result, faults, exercise), faults=faults, keys=keys, plots=plots,
                  thumbnails=shown, video_name=video_name, poster=cover)


def write_report(path: Path, result: Result, exercise: Exercise, *, pictures: Pictures | None = None,
                 video_name: str | None = "annotated.webm", poster: Poster | None = None) -> Path:
    write_text(path, build_report(result, exercise, pictures=pictures, video_name=video_name, poster=poster))
    return path
