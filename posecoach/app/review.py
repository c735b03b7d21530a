"""`posecoach review`: run the pipeline over a recorded video (or a landmark file) and write the annotated
video, result.json and report.html."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import partial
from datetime import datetime
from pathlib import Path
from typing import Any

from posecoach.app import context
from posecoach.app.context import Library, Model
from posecoach.coach.session import Coach
from posecoach.errors import InputError
from posecoach.frames import VideoFile, prefetched
from posecoach.history.review_log import record_review
from posecoach.history.store import History
from posecoach.outputs.report import REPORT_NAME, write_report
from posecoach.outputs.report.thumbnails import Pictures, Poster, StepArchive, poster, skeleton_thumbnails, thumbnails
from posecoach.outputs.result import ResultRecorder, write_result
from posecoach.outputs.video import AnnotatedVideo
from posecoach.overlay import Overlay
from posecoach.pipeline import Pipeline, PoseSmoother, observe_ahead, replay, smoothed
from posecoach.pose.landmarker import PoseEstimator
from posecoach.pose.track import SUFFIX as TRACK_SUFFIX
from posecoach.pose.track import TrackRecorder, is_track_path, read_track
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
    #: The annotated video; None when a landmark file was reviewed (there is no picture to draw on).
    video: Path | None
    result_path: Path
    result: dict[str, Any]
    #: None when the report could not be written (a warning said why).
    report_path: Path | None = None
    #: The landmark file written beside the review, when one was asked for.
    landmarks_path: Path | None = None

    def summary_lines(self) -> list[str]:
        result = self.result
        lines = [f"{result['exercise_name']} — {Path(result['video']).name} ({result['summary']['frames']} frames, "
                 f"person found in {result['summary']['detection_rate']:.0%})"]
        for side, hold in result["holds"].items():
            done = "done" if hold["completed"] else "not yet"
            lines.append(f"  {side}: {hold['good_form_seconds']:.1f} s of {hold['target_seconds']:.0f} s in good form ({done})")
        for side, reps in result["reps"].items():
            lines.append(f"  {side}: {reps['count']} of {reps['target']} reps in good form")
        crowded = result.get("several_people") or []
        if crowded:
            seconds = sum(span["end"] - span["start"] for span in crowded)
            lines.append(f"  more than one person in view for {seconds:.1f} s (from {crowded[0]['start']:.1f} s): no "
                         "form was judged and no hold time counted then, as in live coaching; record only yourself")
        for fault in result["faults"]:
            side = f" ({fault['side']})" if fault["side"] else ""
            lines.append(f"  fault{side} {fault['start']:.1f}-{fault['end']:.1f} s: {fault['cue']}")
        if self.video is not None:
            lines.append(f"annotated video: {self.video}")
        lines.append(f"result: {self.result_path}")
        if self.report_path is not None:
            lines.append(f"report: {self.report_path}")
        if self.landmarks_path is not None:
            lines.append(f"landmarks: {self.landmarks_path}")
        return lines


def default_out_dir(source: Path) -> Path:
    """Next to the video or landmark file, in a folder of its own so that reviews of several clips do not
    collide."""
    stem = source.name[: -len(TRACK_SUFFIX)] if is_track_path(source) else source.stem
    return source.parent / f"{stem}.review"


def review(
    source: Path,
    exercise_id: str,
    *,
    library: Library,
    model: Model,
    out_dir: Path | None = None,
    progress: bool = True,
    history: History | None = None,
    report: bool = True,
    save_landmarks: Path | None = None,
) -> Review:
    """Review a video or a landmark file; when `history` is given, also log the review there (a history
    problem only warns). A landmark file gets exactly the rules and coach its video would, without the
    annotated video. `save_landmarks` writes the clip's landmarks there as a landmark file. `report=False`
    skips report.html (the speed benchmark times the frame pipeline alone)."""
    started_at = datetime.now()
    exercise = library.exercise(exercise_id)
    out = out_dir if out_dir is not None else default_out_dir(source)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a folder; give another --out")
    if save_landmarks is not None:
        _check_landmarks_path(save_landmarks)
    outputs = {out / name: "--out" for name in (VIDEO_NAME, RESULT_NAME, REPORT_NAME)}
    if save_landmarks is not None:
        outputs[save_landmarks] = "--save-landmarks"
    for output, option in outputs.items():
        if _same_file(output, source):
            raise InputError(f"{source}: the review would write its {output.name} over this file (the input); "
                             f"give another {option}")
    recorder = ResultRecorder(exercise)
    if is_track_path(source):
        track = read_track(source)
        steps = StepArchive()
        replay(track, Pipeline(RuleEngine(exercise, library.rules), Coach(exercise), [recorder, steps]))
        _require_someone(source, recorder)
        result = recorder.result(video=str(source), model=track.model or "unknown", fps=track.fps, size=track.size)
        video = None
        pictures: Pictures = partial(skeleton_thumbnails, steps.steps, overlay=Overlay(exercise), size=track.size)
        cover: Poster | None = None
    else:
        tracks = TrackRecorder()
        counting = context.COUNT_PEOPLE_EVERY
        with VideoFile(source) as video_file, PoseEstimator(model.path, count_people_every=counting) as estimator:
            frames = _with_progress(video_file, progress, source.name)
            with AnnotatedVideo(out / VIDEO_NAME, Overlay(exercise), video_file.fps, video_file.size) as annotated:
                pipeline = Pipeline(RuleEngine(exercise, library.rules), Coach(exercise), [recorder, annotated])
                # The pose worker estimates ahead while the rules and the coach read the frames before.
                observations = tracks(observe_ahead(frames, estimator, keep_images=True))
                pipeline.run(smoothed(observations, PoseSmoother()), batch=REVIEW_BATCH)
                _require_someone(source, recorder)
            result = recorder.result(video=str(source), model=model.label, fps=video_file.fps, size=video_file.size)
            track = tracks.track(video_file.fps, model=model.label, source=source.name)
        video = out / VIDEO_NAME
        videos = [video, source]
        # The worst moments cut to the person as the annotated video framed them, without the cue's strip.
        pictures = partial(thumbnails, videos, crops=annotated.crops)
        cover = partial(poster, videos)
    result_path = out / RESULT_NAME
    write_result(result_path, result)
    report_path = _report(out, result, exercise, pictures, video, cover) if report else None
    if save_landmarks is not None:
        track.save(save_landmarks)
    if history is not None:
        record_review(history, result, started_at=started_at)
    return Review(out, video, result_path, result, report_path, save_landmarks)


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (also through links, or `.` and a folder's name)."""
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return a.resolve() == b.resolve()


def _check_landmarks_path(path: Path) -> None:
    """Before any work: a landmark file must be named so that check and review recognise it, in a folder
    that exists."""
    if not is_track_path(path):
        raise InputError(f"--save-landmarks {path}: name the file so it ends {TRACK_SUFFIX} (for example "
                         f"{path.with_suffix('').name}{TRACK_SUFFIX}) so that check and review take it")
    if not path.parent.is_dir():
        raise InputError(f"--save-landmarks {path}: the folder {path.parent} does not exist; create it first")
    if path.is_dir():
        raise InputError(f"--save-landmarks {path}: is a folder; give a file name")


def _require_someone(source: Path, recorder: ResultRecorder) -> None:
    found = sum(1 for f in recorder.frames if f["pose_found"])
    if found <= MIN_DETECTION * len(recorder.frames):
        raise InputError(
            f"{source}: no person found in {len(recorder.frames)} frames; record the whole body, "
            "well lit, with the camera side-on"
        )


def _report(out: Path, result: dict[str, Any], exercise: Exercise, pictures: Pictures,
            video: Path | None, cover: Poster | None = None) -> Path | None:
    """Write report.html from the result; a failure warns on one line and keeps the other outputs."""
    try:
        return write_report(out / REPORT_NAME, result, exercise, pictures=pictures,
                            video_name=VIDEO_NAME if video is not None else None, poster=cover)
    except Exception as error:  # noqa: BLE001 - the report is an extra; the video and result.json stand
        message = " ".join(str(error).split()) or type(error).__name__
        print(f"posecoach: warning: {out / REPORT_NAME}: not written ({message})", file=sys.stderr)
        return None


def _with_progress(source: VideoFile, enabled: bool, name: str):  # type: ignore[no-untyped-def]
    if not enabled:
        return prefetched(source)
    from tqdm import tqdm

    return tqdm(prefetched(source), total=source.frame_count or None, desc=f"reviewing {name}", unit="frame", leave=False)
