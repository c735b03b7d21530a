"""`posecoach review`: run the pipeline over a recorded video and write the annotated video, result.json and
report.html."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from posecoach.app.context import Library, Model
from posecoach.coach.session import Coach
from posecoach.errors import InputError
from posecoach.frames import VideoFile, prefetched
from posecoach.history.review_log import record_review
from posecoach.history.store import History
from posecoach.outputs.report import REPORT_NAME, write_report
from posecoach.outputs.result import ResultRecorder, write_result
from posecoach.outputs.video import AnnotatedVideo
from posecoach.overlay import Overlay
from posecoach.pipeline import Pipeline, PoseSmoother, observe, smoothed
from posecoach.pose.landmarker import PoseEstimator
from posecoach.rules.engine import RuleEngine
from posecoach.specs.schema import Exercise

VIDEO_NAME = "annotated.webm"
RESULT_NAME = "result.json"
#: Frames read by the rules together: vectorised reading is cheaper per frame, and a review can wait.
REVIEW_BATCH = 16
#: Below this share of frames with a person, the video is not a recording of someone exercising.
MIN_DETECTION = 0.05


@dataclass(frozen=True)
class Review:
    out_dir: Path
    video: Path
    result_path: Path
    result: dict[str, Any]
    #: None when the report could not be written (a warning said why).
    report_path: Path | None = None

    def summary_lines(self) -> list[str]:
        result = self.result
        lines = [f"{result['exercise_name']} — {Path(result['video']).name} ({result['summary']['frames']} frames, "
                 f"person found in {result['summary']['detection_rate']:.0%})"]
        for side, hold in result["holds"].items():
            done = "done" if hold["completed"] else "not yet"
            lines.append(f"  {side}: {hold['good_form_seconds']:.1f} s of {hold['target_seconds']:.0f} s in good form ({done})")
        for side, reps in result["reps"].items():
            lines.append(f"  {side}: {reps['count']} of {reps['target']} reps in good form")
        for fault in result["faults"]:
            side = f" ({fault['side']})" if fault["side"] else ""
            lines.append(f"  fault{side} {fault['start']:.1f}-{fault['end']:.1f} s: {fault['cue']}")
        lines.append(f"annotated video: {self.video}")
        lines.append(f"result: {self.result_path}")
        if self.report_path is not None:
            lines.append(f"report: {self.report_path}")
        return lines


def default_out_dir(video: Path) -> Path:
    """Next to the video, in a folder of its own so that reviews of several clips do not collide."""
    return video.parent / f"{video.stem}.review"


def review(
    video: Path,
    exercise_id: str,
    *,
    library: Library,
    model: Model,
    out_dir: Path | None = None,
    progress: bool = True,
    history: History | None = None,
    report: bool = True,
) -> Review:
    """Review a video; when `history` is given, also log the review there (a history problem only warns).
    `report=False` skips report.html (the speed benchmark times the frame pipeline alone)."""
    started_at = datetime.now()
    exercise = library.exercise(exercise_id)
    out = out_dir if out_dir is not None else default_out_dir(video)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder; give another --out")
    recorder = ResultRecorder(exercise)
    with VideoFile(video) as source, PoseEstimator(model.path) as estimator:
        frames = _with_progress(source, progress, video.name)
        with AnnotatedVideo(out / VIDEO_NAME, Overlay(exercise), source.fps, source.size) as annotated:
            pipeline = Pipeline(RuleEngine(exercise, library.rules), Coach(exercise), [recorder, annotated])
            pipeline.run(smoothed(observe(frames, estimator, keep_images=True), PoseSmoother()), batch=REVIEW_BATCH)
            found = sum(1 for f in recorder.frames if f["pose_found"])
            if found <= MIN_DETECTION * len(recorder.frames):
                raise InputError(
                    f"{video}: no person found in {len(recorder.frames)} frames; record the whole body, "
                    "well lit, with the camera side-on"
                )
        result = recorder.result(video=str(video), model=model.label, fps=source.fps, size=source.size)
    result_path = out / RESULT_NAME
    write_result(result_path, result)
    report_path = _report(out, result, exercise, video) if report else None
    if history is not None:
        record_review(history, result, started_at=started_at)
    return Review(out, out / VIDEO_NAME, result_path, result, report_path)


def _report(out: Path, result: dict[str, Any], exercise: Exercise, source: Path) -> Path | None:
    """Write report.html from the result; a failure warns on one line and keeps the other outputs."""
    try:
        return write_report(out / REPORT_NAME, result, exercise, videos=[out / VIDEO_NAME, source],
                            video_name=VIDEO_NAME)
    except Exception as error:  # noqa: BLE001 - the report is an extra; the video and result.json stand
        message = " ".join(str(error).split()) or type(error).__name__
        print(f"posecoach: warning: {out / REPORT_NAME}: not written ({message})", file=sys.stderr)
        return None


def _with_progress(source: VideoFile, enabled: bool, name: str):  # type: ignore[no-untyped-def]
    if not enabled:
        return prefetched(source)
    from tqdm import tqdm

    return tqdm(prefetched(source), total=source.frame_count or None, desc=f"reviewing {name}", unit="frame", leave=False)
