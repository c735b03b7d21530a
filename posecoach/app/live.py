"""`posecoach coach`: live coaching of one exercise from a camera, in a window, with tones and keys.

The loop is the same pipeline as a review: frames from the camera (newest only) -> pose -> rules -> coach ->
sinks. The sinks here are the history log, the tones, the voice, the session's controls (keys, the end) and
the window. The pose is estimated on the camera's own picture and only the display is mirrored, so the side
the coach names is the person's anatomical side, the same a review of the recording would name.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from posecoach.app import context
from posecoach.app.context import Library, Model
from posecoach.capture import LiveSource
from posecoach.coach.session import Coach
from posecoach.coach.struggle import StruggleWatch
from posecoach.errors import DeviceError
from posecoach.history import paths
from posecoach.history.kept import SafeSession
from posecoach.history.recorder import HistoryRecorder
from posecoach.history.store import History
from posecoach.outputs.audio import SPOKEN, Chimes
from posecoach.outputs.speech import Speaker, Voice
from posecoach.outputs.window import DEFAULT_SIZE, Screen, Window, advice_screen
from posecoach.overlay import Overlay
from posecoach.pipeline import Pipeline, PoseSmoother, Sink, Step, observe_ahead, smoothed
from posecoach.pose.landmarker import PoseEstimator
from posecoach.records import Frame, Phase, Side
from posecoach.rules.engine import RuleEngine
from posecoach.specs.schema import Exercise

#: Seconds (frame time) the "well done" screen stays before the exercise closes.
DONE_LINGER = 2.0

#: Seconds a live session's write waits for a history database that another program holds locked: the
#: window must not freeze, so the numbers are kept in a side file until a later write gets through.
LIVE_WRITE_WAIT = 0.1

#: How an exercise ended.
DONE, QUIT, ENDED, PAIN, EASIER = "done", "quit", "ended", "pain", "easier"
#: ... or was cut off: the camera stopped (a DeviceError), or Ctrl+C.
STOPPED, INTERRUPTED = "stopped", "interrupted"


@dataclass(frozen=True)
class Live:
    """The open devices a live command works with (made by `open_live`)."""

    library: Library
    source: LiveSource
    frames: Iterator[Frame]
    estimator: PoseEstimator
    window: Window
    chimes: Chimes
    #: None when the database was busy when the command started: sessions are then kept beside it.
    history: History | None
    #: The history's folder (where sessions are kept when the database cannot take them).
    data_dir: Path
    #: More sinks after the window (a benchmark's timer, a test's key presser).
    sinks: tuple[Sink, ...] = ()
    #: The voice (None with --no-voice).
    speaker: Speaker | None = None


@dataclass(frozen=True)
class LiveOptions:
    """How a live session shows itself and where it keeps its history: the same for one exercise and a
    routine, so the commands pass them through as one value."""

    #: Show the picture mirrored, like a selfie view (the pose is always read from the unmirrored picture).
    mirror: bool = True
    fullscreen: bool = False
    #: Where the history lives; None for the user's data folder.
    data_dir: Path | None = None
    #: More sinks after the window (a benchmark's timer, a test's key presser).
    sinks: Sequence[Sink] = ()
    #: People the pose model looks for; more than one lets the coach say "only you in the picture".
    max_people: int = 1
    window_size: tuple[int, int] = DEFAULT_SIZE
    #: Speak the cues and the moments that matter; and mark moments with tones.
    voice: bool = True
    tones: bool = True


#: The options of a plain `posecoach coach` (frozen, so one shared value is safe as a default).
DEFAULT_OPTIONS = LiveOptions()


@dataclass(frozen=True)
class ExerciseRun:
    exercise: Exercise
    outcome: str
    frames: int
    progress: dict[Side | None, tuple[float, float, int, int]]
    session_id: int | None
    #: The side file the session is kept in when the history database did not take it, and why not.
    kept: Path | None = None
    problem: str | None = None
    #: What cut the exercise off (outcome STOPPED or INTERRUPTED), raised again once the summary is shown.
    failure: BaseException | None = None

    def summary_line(self) -> str:
        parts = []
        for side, (seconds, target, reps, target_reps) in self.progress.items():
            name = f"{side}: " if side else ""
            parts.append(f"{name}{reps}/{target_reps} reps" if target_reps else f"{name}{seconds:.0f}/{target:.0f} s")
        how = {DONE: "complete", QUIT: "quit", ENDED: "camera ended", PAIN: "stopped: it hurts",
               EASIER: "changed to the easier variant", STOPPED: "camera stopped", INTERRUPTED: "interrupted"}
        if self.kept is not None:
            saved = f"; kept in {self.kept} until the history database can take it"
        elif self.session_id is not None:
            saved = f"; saved as session {self.session_id}"
        else:
            saved = ""
        return f"{self.exercise.name} ({how[self.outcome]}): {', '.join(parts) or 'no picture'}{saved}"


@contextlib.contextmanager
def open_live(
    source: LiveSource,
    *,
    library: Library,
    model: Model,
    title: str,
    options: LiveOptions = DEFAULT_OPTIONS,
) -> Iterator[Live]:
    """Open the history, the camera, the model, the window and the audio, in that order; close them all.

    A damaged history database stops the command here, before anything is written into it; one that another
    program holds locked does not: the session is kept beside it and merged the next time.
    """
    from posecoach.history.failures import BusyError

    folder = paths.data_dir(options.data_dir)
    with contextlib.ExitStack() as stack:
        try:
            history: History | None = stack.enter_context(History.open(folder, timeout=LIVE_WRITE_WAIT))
        except BusyError:
            history = None
        stack.enter_context(source)  # type: ignore[arg-type]
        estimator = stack.enter_context(
            PoseEstimator(model.path, max_people=options.max_people, count_people_every=context.COUNT_PEOPLE_EVERY)
        )
        window = stack.enter_context(
            Window(title, size=options.window_size, fullscreen=options.fullscreen, mirror=options.mirror)
        )
        # The speaker opens before the tones so that it closes after them: its last sentence may still be on.
        speaker = stack.enter_context(Speaker()) if options.voice else None
        if speaker is not None and not speaker.speaks:
            rest = "cues are shown and marked with tones" if options.tones else "cues are shown only"
            print(f"posecoach: note: {speaker.unavailable}; {rest}", file=sys.stderr)
        spoken = speaker is not None and speaker.speaks
        chimes = stack.enter_context(Chimes(enabled=options.tones, skip=SPOKEN if spoken else frozenset()))
        yield Live(library, source, iter(source), estimator, window, chimes, history, folder, tuple(options.sinks),
                   speaker if spoken else None)


def _notice(message: str) -> None:
    print(f"posecoach: {message}", file=sys.stderr, flush=True)


class SessionLog:
    """A sink that starts the session's log with the first frame (a camera that never gives a picture
    leaves no empty session) and saves it through `HistoryRecorder` into a `SafeSession`: the history
    database, or a side file beside it while the database cannot take it."""

    def __init__(self, live: Live, exercise: str) -> None:
        self._live = live
        self._exercise = exercise
        self._recorder: HistoryRecorder | None = None
        self.session: SafeSession | None = None

    def write(self, step: Step) -> None:
        if self._recorder is None:
            self.session = SafeSession(self._live.history, self._live.data_dir, kind="live", exercise=self._exercise,
                                       source=self._live.source.name, started_at=datetime.now(), notice=_notice)
            self.session.start()
            self._recorder = HistoryRecorder(self.session)
        self._recorder.write(step)

    def finish(self, *, pain_stop: bool) -> None:
        if self._recorder is not None:
            self._recorder.finish(pain_stop=pain_stop)


class Controls:
    """The session's controls: a sink that follows the coach, and the pipeline's `stop` test, which reads
    the keys after every frame. space pauses and resumes, s skips to the other side, p stops because it
    hurts, q / Esc quits, e takes the easier variant when it is offered; the exercise ends `linger` seconds
    after it is done."""

    def __init__(self, window: Window, coach: Coach, *, linger: float = DONE_LINGER,
                 watch: StruggleWatch | None = None) -> None:
        self._window = window
        self._coach = coach
        self._linger = linger
        self._watch = watch
        self._paused = False
        self._done_at: float | None = None
        self._t = 0.0
        self.outcome: str | None = None
        #: Keys pressed after the one that stopped the exercise (one may close the advice screen).
        self.pending: list[str] = []
        #: True once the exercise kept failing and an easier variant may be offered.
        self.offer = False
        self.last: Step | None = None
        self.frames = 0

    def write(self, step: Step) -> None:
        self.last = step
        self.frames += 1
        self._t = step.state.t
        if step.state.phase is Phase.DONE and self._done_at is None:
            self._done_at = step.state.t
        if self._watch is not None and not self.offer:
            self.offer = self._watch.update(step.verdict, step.state)

    def __call__(self) -> bool:
        actions = self._window.poll()
        for i, action in enumerate(actions):
            if action == "pause":
                self._paused = not self._paused
                self._coach.set_paused(self._paused)
            elif action == "skip":
                self._coach.skip_side()
            elif action in ("pain", "quit") or (action == "easier" and self.offer):
                self.outcome = {"pain": PAIN, "quit": QUIT, "easier": EASIER}[action]
                self.pending = actions[i + 1:]
                return True
        if self._done_at is not None and self._t - self._done_at >= self._linger:
            self.outcome = DONE
            return True
        return False


class WindowView:
    """A sink that shows each step in the window, with the offer of an easier variant when there is one."""

    def __init__(self, window: Window, overlay: Overlay, controls: Controls, easier_name: str | None) -> None:
        self._window = window
        self._overlay = overlay
        self._controls = controls
        self._offer = f"This looks hard today: press e for the {easier_name.lower()}" if easier_name else None

    def write(self, step: Step) -> None:
        note = self._offer if self._offer and self._controls.offer else None
        self._window.show_step(step, self._overlay, note=note)


def run_exercise(
    live: Live,
    exercise: Exercise,
    *,
    side: Side | None = None,
    watch: StruggleWatch | None = None,
    linger: float = DONE_LINGER,
) -> ExerciseRun:
    """Coach one exercise until it is done, the user stops it or the camera ends; the session is logged
    (also when the camera fails mid-way or on Ctrl+C: the run then carries the error, for the caller to
    raise once the summary, which says where the session was saved, is shown)."""
    easier = live.library.exercise(exercise.easier) if exercise.easier and watch is not None else None
    coach = Coach(exercise, side=side)
    controls = Controls(live.window, coach, linger=linger, watch=watch if easier else None)
    log = SessionLog(live, exercise.id)
    view = WindowView(live.window, Overlay(exercise), controls, easier.name if easier else None)
    voice = [Voice(live.speaker, exercise)] if live.speaker is not None else []
    pipeline = Pipeline(RuleEngine(exercise, live.library.rules), coach,
                        [log, live.chimes, *voice, controls, view, *live.sinks], stop=controls)
    # The pose worker estimates the next frame while this one is judged, drawn and shown; from a camera
    # only the newest estimate is taken, so what is shown is never stale.
    poses = observe_ahead(live.frames, live.estimator, keep_images=True, newest_only=live.source.realtime)
    failure: BaseException | None = None
    try:
        pipeline.run(smoothed(poses, PoseSmoother()))
    except (DeviceError, KeyboardInterrupt) as error:
        # Cut off: the session so far is saved first, and the summary says so before the error is raised.
        failure = error
    finally:
        # Stop the worker before anything else reads the camera (the next exercise, a screen).
        poses.close()  # type: ignore[attr-defined]
        log.finish(pain_stop=controls.outcome == PAIN)
    outcome = STOPPED if isinstance(failure, DeviceError) else INTERRUPTED if failure else controls.outcome or ENDED
    if live.speaker is not None and outcome in (PAIN, QUIT, INTERRUPTED):
        live.speaker.silence()
    if outcome == PAIN:
        stop_for_pain(live, exercise, controls)
    progress = {
        s: (p.good_form_seconds, p.target_seconds, p.reps, p.target_reps) for s, p in coach.progress().items()
    }
    session = log.session
    problem = str(session.problem) if session is not None and session.problem is not None else None
    return ExerciseRun(exercise, outcome, controls.frames, progress, session.session_id if session else None,
                       kept=session.kept if session else None, problem=problem, failure=failure)


def stop_for_pain(live: Live, exercise: Exercise, controls: Controls) -> None:
    """Show the guide's advice until a key is pressed."""
    easier = live.library.exercise(exercise.easier).name if exercise.easier else None
    live.chimes.play("pain")
    last = controls.last.observation.image if controls.last is not None else None
    screen = advice_screen(exercise.name, easier)
    live.window.show_screen(screen, last)
    if live.speaker is not None:
        live.speaker.announce(spoken_screen(screen), controls.last.state.t if controls.last is not None else 0.0)
    if not controls.pending:
        live.window.wait_for_key()


def show_screen_for(live: Live, screen: Screen, seconds: float, *, countdown: str = "") -> str:
    """Show `screen` over the live picture for `seconds` of frame time, or until a key is pressed;
    returns the key's action ("" when the time ran out, "ended" when the camera ended)."""
    start: float | None = None
    for frame in live.frames:
        if start is None:
            start = frame.t
            if live.speaker is not None:
                live.speaker.announce(spoken_screen(screen), frame.t)
        elif live.speaker is not None:
            live.speaker.tick(frame.t)
        left = seconds - (frame.t - start)
        footer = screen.footer
        if countdown:
            footer = f"{countdown} {max(0, int(left + 0.999))} s   ({screen.footer})" if screen.footer else countdown
        live.window.show_screen(Screen(screen.title, screen.lines, footer, screen.colour), frame.image)
        for action in live.window.poll():
            return action
        if left <= 0:
            return ""
    return ENDED


def spoken_screen(screen: Screen) -> str:
    """What is said of a screen: its title and first paragraph."""
    return " ".join(f"{text.rstrip('.:')}." for text in (screen.title, *screen.lines[:1]))


@dataclass(frozen=True)
class LiveResult:
    runs: tuple[ExerciseRun, ...]
    history_path: Path | None
    #: What happened outside an exercise that the user should hear of (a routine's camera ending in a rest).
    note: str | None = None
    #: What cut the command off, to be raised once the summary is shown (a DeviceError, KeyboardInterrupt).
    failure: BaseException | None = None

    def summary_lines(self) -> list[str]:
        lines = [run.summary_line() for run in self.runs]
        if self.note:
            lines.append(self.note)
        if self.history_path is not None and any(r.session_id is not None and r.kept is None for r in self.runs):
            lines.append(f"history: {self.history_path}")
        return lines

    def warnings(self) -> list[str]:
        """Why a session is kept beside the history rather than in it (one line each, for stderr)."""
        return [f"{run.problem} (the session is kept in {run.kept}; it goes into the history the next time "
                "posecoach opens it)" for run in self.runs if run.kept is not None]


def coach_live(
    exercise_id: str,
    source: LiveSource,
    *,
    library: Library,
    model: Model,
    side: Side | None = None,
    options: LiveOptions = DEFAULT_OPTIONS,
    hold: float | None = None,
) -> LiveResult:
    """Coach one exercise; a held exercise lasts `hold` seconds a side when given, else the spec's target."""
    exercise = library.exercise(exercise_id)
    if hold is not None:
        exercise = exercise.with_hold(hold)
    with open_live(source, library=library, model=model, title=f"posecoach: {exercise.name}", options=options) as live:
        run = run_exercise(live, exercise, side=side)
        return LiveResult((run,), history_path(live), failure=run.failure)


def history_path(live: Live) -> Path:
    return live.history.path if live.history is not None else live.data_dir / paths.DB_NAME
