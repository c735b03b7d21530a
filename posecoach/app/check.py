"""`posecoach check`: run sample clips through the pipeline and compare with their expectations."""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from posecoach.app import context
from posecoach.coach.session import Coach
from posecoach.errors import InputError, PosecoachError
from posecoach.frames import VideoFile, prefetched
from posecoach.outputs.atomic import check_writable, write_text
from posecoach.outputs.result import ResultRecorder
from posecoach.pipeline import Pipeline, observe, replay
from posecoach.pose.cache import LandmarkCache
from posecoach.pose.landmarker import PoseEstimator
from posecoach.pose.track import SUFFIX as TRACK_SUFFIX
from posecoach.pose.track import PoseTrack, TrackRecorder, is_track_path, read_track
from posecoach.rules.engine import RuleEngine
from posecoach.verify.compare import Finding, compare
from posecoach.verify.expectations import ClipExpectation, load_expectations

VIDEO_SUFFIXES = (".mp4", ".webm", ".avi", ".mov", ".mkv")
EXPECTATIONS_NAME = "expectations.toml"
JSON_SCHEMA = 1


@dataclass(frozen=True)
class ClipReport:
    clip: str
    exercise: str
    seconds: float
    cached: bool
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None

    @property
    def passed(self) -> bool:
        return self.error is None and all(f.ok for f in self.findings)


@dataclass(frozen=True)
class CheckRun:
    reports: list[ClipReport]
    expectations: Path
    model: str

    @property
    def passed(self) -> bool:
        return bool(self.reports) and all(r.passed for r in self.reports)

    def table_lines(self) -> list[str]:
        width = max(len(Path(r.clip).name) for r in self.reports)
        lines = [f"{'clip':<{width}}  {'result':<6}  {'checked':>7}  {'time':>6}  notes"]
        for r in self.reports:
            status = "pass" if r.passed else ("error" if r.error else "FAIL")
            failed = [f for f in r.findings if not f.ok]
            note = r.error or "; ".join(f"{f.field}: expected {f.expected}, got {f.got}" for f in failed)
            cached = " (cached)" if r.cached else ""
            lines.append(f"{Path(r.clip).name:<{width}}  {status:<6}  {len(r.findings):>7}  {r.seconds:5.1f}s  {note}{cached}")
        passed = sum(r.passed for r in self.reports)
        lines.append(f"{passed} of {len(self.reports)} clips pass (model {self.model}, expectations {self.expectations})")
        return lines

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": JSON_SCHEMA,
            "passed": self.passed,
            "model": self.model,
            "expectations": str(self.expectations),
            "clips": [
                {**asdict(r), "passed": r.passed} for r in self.reports
            ],
        }


def is_clip(path: Path) -> bool:
    """A video or a landmark file (which `check` replays exactly as it would the video's landmarks)."""
    return path.suffix.lower() in VIDEO_SUFFIXES or is_track_path(path)


def find_clips(paths: Sequence[Path]) -> list[Path]:
    clips: list[Path] = []
    for path in paths:
        if path.is_dir():
            clips.extend(sorted(p for p in path.iterdir() if p.is_file() and is_clip(p)))
        elif path.exists():
            clips.append(path)
        else:
            raise InputError(f"{path}: no such clip or folder; give videos, landmark files or folders of them")
    if not clips:
        looked = ", ".join((*VIDEO_SUFFIXES, TRACK_SUFFIX))
        raise InputError(f"{', '.join(map(str, paths))}: no clips found (looked for {looked})")
    return [c.resolve() for c in clips]


def default_expectations(paths: Sequence[Path]) -> Path:
    first = paths[0]
    return (first if first.is_dir() else first.parent) / EXPECTATIONS_NAME


def pose_track(
    clip: Path, model: Path, cache: LandmarkCache | None, estimator: Callable[[Path], Any] = PoseEstimator
) -> tuple[PoseTrack, bool]:
    """The clip's landmark track: the landmark file itself, from the cache when it is there (True), or by
    running the model over the video. `estimator` makes the pose stage (a benchmark passes another with the
    same verbs and a `stage` name)."""
    if is_track_path(clip):
        return read_track(clip), False
    # The key names how often people were counted: tracks cached without counting must not be reused.
    stage_name = f"{estimator.stage}/people-every-{context.COUNT_PEOPLE_EVERY:g}s"  # type: ignore[attr-defined]
    key = cache.key(clip, model, stage_name) if cache is not None else ""
    if cache is not None:
        track = cache.get(key)
        if track is not None:
            return track, True
    recorder = TrackRecorder()
    with VideoFile(clip) as source, estimator(model, count_people_every=context.COUNT_PEOPLE_EVERY) as stage:
        for _ in recorder(observe(prefetched(source), stage, keep_images=False)):
            pass
        track = recorder.track(source.fps)
    if cache is not None:
        cache.put(key, track)
    return track, False


def run_clip(
    expectation: ClipExpectation, model_choice: str, cache_dir: Path | None, specs: tuple[Path, ...],
    estimator: Callable[[Path], Any] = PoseEstimator,
) -> ClipReport:
    """Check one clip; user-caused problems become the report's error instead of stopping the run."""
    start = time.perf_counter()
    clip = expectation.clip
    try:
        library = context.library(specs)
        exercise = library.exercise(expectation.exercise)
        model = context.model(model_choice)
        track, cached = pose_track(clip, model.path, LandmarkCache(cache_dir) if cache_dir else None, estimator)
        recorder = ResultRecorder(exercise)
        replay(track, Pipeline(RuleEngine(exercise, library.rules), Coach(exercise), [recorder]))
        result = recorder.result(video=str(clip), model=track.model or model.label, fps=track.fps,
                                 size=track.size)
        findings = compare(expectation, result)
    except PosecoachError as error:
        return ClipReport(str(clip), expectation.exercise, time.perf_counter() - start, False, [], str(error))
    return ClipReport(str(clip), expectation.exercise, time.perf_counter() - start, cached, findings)


def check(
    paths: Sequence[Path],
    *,
    expect: Path | None,
    model_choice: str,
    jobs: int | None,
    cache_dir: Path | None,
    specs: tuple[Path, ...] = (),
    on_report: Callable[[ClipReport], None] | None = None,
    outputs: Mapping[str, Path] | None = None,
) -> CheckRun:
    """Check the clips in `paths`. `outputs` are the files the caller writes afterwards, by option
    (`{"--junit": path}`): they are checked first, so that a long run never ends on an unusable path."""
    clips = find_clips(paths)
    expectations_path = expect or default_expectations(paths)
    _check_outputs(outputs or {}, [*clips, expectations_path])
    expectations = load_expectations(expectations_path)
    missing = [c for c in clips if c not in expectations]
    if missing:
        raise InputError(
            f"{missing[0]}: has no entry in {expectations_path}; add [clips.\"{missing[0].name}\"] or pass --expect"
        )
    context.model(model_choice)  # a bad model (or spec, in _validate) is one error up front, not one per clip
    wanted = [expectations[c] for c in clips]
    _validate(wanted, specs)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(wanted)))
    reports: list[ClipReport] = []
    if workers == 1:
        for expectation in wanted:
            reports.append(run_clip(expectation, model_choice, cache_dir, specs))
            if on_report:
                on_report(reports[-1])
    else:
        # Spawned workers: the interpreter's thread pool does not survive a fork safely.
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            futures = [pool.submit(run_clip, e, model_choice, cache_dir, specs) for e in wanted]
            for future in futures:
                reports.append(future.result())
                if on_report:
                    on_report(reports[-1])
    return CheckRun(reports, expectations_path, context.model(model_choice).label)


def _validate(wanted: Sequence[ClipExpectation], specs: tuple[Path, ...]) -> None:
    """What can be wrong before any clip is run is an error up front, not a surprise in the report: a
    landmark file that cannot be read, a check id the exercise does not have."""
    library = context.library(specs)
    for expectation in wanted:
        if is_track_path(expectation.clip):
            read_track(expectation.clip)
        if expectation.exercise not in library.catalogue.exercises:
            continue  # reported per clip, with the exercises that exist
        ids = [check.id for check in library.exercise(expectation.exercise).checks]
        for check in expectation.check_ids:
            if check not in ids:
                raise InputError(f"{expectation.clip.name}: expects check {check!r}, which {expectation.exercise} "
                                 f"does not have (its checks: {', '.join(ids)})")


def _check_outputs(outputs: Mapping[str, Path], inputs: Sequence[Path]) -> None:
    seen: dict[Path, str] = {}
    for option, path in outputs.items():
        check_writable(path, option)
        resolved = path.resolve()
        if resolved in {p.resolve() for p in inputs}:
            raise InputError(f"{option} {path}: is one of the inputs of this check; give another path")
        if resolved in seen:
            raise InputError(f"{option} {path}: is also given as {seen[resolved]}; give each output its own file")
        seen[resolved] = option


def write_json(path: Path, run: CheckRun) -> None:
    write_text(path, json.dumps(run.to_json(), indent=1) + "\n")
