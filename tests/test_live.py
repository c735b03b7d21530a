"""Live coaching, headless: a video file (or a fake device) stands in for the camera, a dummy SDL video and
audio driver for the window and the speakers, posted pygame events for the keys."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from posecoach.app import context
from posecoach.app.live import DONE, ENDED, PAIN, QUIT, STOPPED, LiveOptions, LiveResult, coach_live
from posecoach.capture import Camera, FileCamera, LatestFrame
from posecoach.cli import main
from posecoach.errors import DeviceError, ExitCode
from posecoach.history.store import History
from posecoach.pipeline import Step
from posecoach.records import Frame, Phase
from tests.clips import empty_room, read_video, truncated, write_video
from tests.conftest import SAMPLES

pytestmark = pytest.mark.slow

CLIP = SAMPLES / "kneeling-hip-flexor_good_side.mp4"
EXERCISE = "kneeling-hip-flexor"


def _frames(path: Path, start: int = 0, stop: int | None = None) -> list[np.ndarray]:
    return read_video(path, stop)[start:]


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample clip at 10 frames a second (every third frame, same timeline): a third of the work.

    Set-up, the left side in good form from about 2.1 s, its back knee lifted (a fault) from about 4.7 s,
    the right side in good form from about 11 s to 17 s.
    """
    if not CLIP.is_file():
        pytest.skip(f"{CLIP.name} not generated yet (python -m posecoach.synth sample_videos)")
    return write_video(tmp_path_factory.mktemp("clips") / "whole.mp4", _frames(CLIP)[::3], fps=10)


@pytest.fixture(scope="module")
def short_clip(clip: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 6 s: set-up, then the left side held in good form from about 2.1 s."""
    return write_video(tmp_path_factory.mktemp("clips") / "short.mp4", _frames(clip, 0, 60), fps=10)


@pytest.fixture(scope="module")
def quick_library(tmp_path_factory: pytest.TempPathFactory) -> context.Library:
    """The shipped exercises plus a kneeling stretch held for 2 s a side, so one clip finishes both sides."""
    from posecoach.resources import EXERCISE_SPECS, data_dir

    text = (data_dir(EXERCISE_SPECS) / f"{EXERCISE}.toml").read_text()
    text = text.replace(f'id = "{EXERCISE}"', 'id = "quick-kneel"').replace("target_seconds = 30", "target_seconds = 2")
    path = tmp_path_factory.mktemp("specs") / "quick-kneel.toml"
    path.write_text(text)
    return context.library((path,))


@pytest.fixture(scope="module")
def lite() -> context.Model:
    return context.model("lite")


@dataclass
class Recorder:
    """A test sink: keeps a summary of every step, grabs the window once, and presses keys at given times."""

    keys: dict[float, list[str]] = field(default_factory=dict)
    grab_at: float | None = None
    steps: list[tuple[float, Phase, str | None, dict, bool, str | None]] = field(default_factory=list)
    events: list[str] = field(default_factory=list)
    shot: np.ndarray | None = None
    raw: np.ndarray | None = None

    def write(self, step: Step) -> None:
        import pygame

        state = step.state
        self.steps.append((state.t, state.phase, state.side,
                           {s: p.good_form_seconds for s, p in state.progress.items()}, state.counting, state.cue))
        self.events.extend(e.kind for e in state.events)
        if self.grab_at is not None and self.shot is None and state.t >= self.grab_at:
            self.shot = pygame.surfarray.array3d(pygame.display.get_surface()).swapaxes(0, 1).copy()
            self.raw = step.observation.image.copy()
        for t in sorted(self.keys):
            if state.t >= t:
                for name in self.keys.pop(t):
                    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.key.key_code(name)))

    def seconds(self, side: str, t: float) -> float:
        """The side's good-form seconds at frame time t."""
        return next(p[side] for (st, _, _, p, _, _) in self.steps if st >= t)


def _coach(source, recorder: Recorder, data_dir: Path, *, library: context.Library | None = None,
           exercise: str = EXERCISE, model: context.Model) -> LiveResult:
    return coach_live(exercise, source, library=library or context.library(), model=model,
                      options=LiveOptions(data_dir=data_dir, sinks=(recorder,)))


def _sessions(data_dir: Path):
    with History.open(data_dir) as history:
        return history.sessions()


# --- one whole clip --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def whole(clip: Path, lite: context.Model, tmp_path_factory: pytest.TempPathFactory) -> tuple[Recorder, LiveResult, Path]:
    data = tmp_path_factory.mktemp("data")
    recorder = Recorder(grab_at=3.0)
    result = _coach(FileCamera(clip, speed=None), recorder, data, model=lite)
    return recorder, result, data


def test_the_overlay_is_drawn_in_the_window(whole: tuple[Recorder, LiveResult, Path]) -> None:
    import cv2

    recorder, _, _ = whole
    shot, raw = recorder.shot, recorder.raw
    assert shot is not None and raw is not None
    assert shot.std() > 10  # not blank
    # The window shows the mirrored picture scaled to fit; with the overlay it differs from the raw frame.
    h, w = shot.shape[:2]
    scale = min(w / raw.shape[1], h / raw.shape[0])
    dw, dh = round(raw.shape[1] * scale), round(raw.shape[0] * scale)
    x, y = (w - dw) // 2, (h - dh) // 2
    plain = cv2.cvtColor(cv2.resize(raw[:, ::-1], (dw, dh)), cv2.COLOR_BGR2RGB).astype(int)
    shown = shot[y:y + dh, x:x + dw].astype(int)
    changed = np.abs(shown - plain).max(axis=2) > 40
    assert 0.03 < changed.mean() < 0.6
    # The big cue's banner darkens the bottom; the picture in the middle is mostly the camera's.
    assert shown[dh // 3: dh // 2].mean() > 0.5 * plain[dh // 3: dh // 2].mean()


def test_the_hold_timer_counts_good_form_and_pauses_during_a_fault(lite: context.Model, tmp_path: Path) -> None:
    # The left side in good form from about 1.7 s, then the front foot slides forward (a fault) for seconds.
    clip = SAMPLES / "kneeling-hip-flexor_front-knee_side.mp4"
    if not clip.is_file():
        pytest.skip(f"{clip.name} not generated yet (python -m posecoach.synth sample_videos)")
    clip = write_video(tmp_path / "fault.mp4", _frames(clip)[:330:3], fps=10)
    recorder = Recorder()
    _coach(FileCamera(clip, speed=None), recorder, tmp_path, model=lite)
    assert recorder.seconds("left", 5.0) - recorder.seconds("left", 2.0) > 1.5
    fault = [(t, p["left"], counting) for (t, _, _, p, counting, cue) in recorder.steps
             if cue == "Bring your front foot back under your knee, to a right angle"]
    assert fault and fault[-1][0] - fault[0][0] > 1.5
    assert not any(counting for *_, counting in fault)
    assert max(s for _, s, _ in fault) - min(s for _, s, _ in fault) < 0.05
    # Time counts only while the coach says so.
    for before, after in zip(recorder.steps, recorder.steps[1:]):
        if not after[4]:
            assert after[3]["left"] == before[3]["left"] and after[3]["right"] == before[3]["right"]


def test_a_video_camera_that_ends_ends_the_session_saved(whole: tuple[Recorder, LiveResult, Path]) -> None:
    recorder, result, data = whole
    assert recorder.seconds("left", 4.5) > 1.5 and recorder.seconds("right", 16.5) > 3.0
    assert result.runs[0].outcome == ENDED
    (session,) = _sessions(data)
    assert session.sides["left"].good_form_seconds == pytest.approx(recorder.steps[-1][3]["left"], abs=0.01)
    assert session.ended_at is not None and not session.pain_stop


def test_tones_and_side_switch_when_a_side_is_done(clip: Path, quick_library: context.Library,
                                                    lite: context.Model, tmp_path: Path) -> None:
    recorder = Recorder()
    result = _coach(FileCamera(clip, speed=None), recorder, tmp_path, library=quick_library, exercise="quick-kneel",
                    model=lite)
    phases = [phase for (_, phase, _, _, _, _) in recorder.steps]
    assert Phase.SWITCH in phases and phases.index(Phase.SWITCH) < len(phases) - phases[::-1].index(Phase.ACTIVE)
    assert any(cue and cue.startswith("Switch sides") for (*_, cue) in recorder.steps)
    assert recorder.events.count("side_done") == 2 and "exercise_done" in recorder.events
    assert result.runs[0].outcome == DONE
    assert all(seconds == pytest.approx(2.0, abs=0.01) for (seconds, *_rest) in result.runs[0].progress.values())


# --- keys ------------------------------------------------------------------------------------------------
def test_space_pauses_the_hold_timer(short_clip: Path, lite: context.Model, tmp_path: Path) -> None:
    recorder = Recorder(keys={2.8: ["space"], 4.0: ["space"]})
    _coach(FileCamera(short_clip, speed=None), recorder, tmp_path, model=lite)
    paused = [(p["left"], cue) for (t, _, _, p, _, cue) in recorder.steps if 2.9 <= t <= 3.9]
    assert paused and all(cue == "Paused" for _, cue in paused)
    assert paused[-1][0] - paused[0][0] < 0.05
    assert recorder.seconds("left", 4.6) - recorder.seconds("left", 4.05) > 0.2  # counting again


def test_s_skips_to_the_other_side(short_clip: Path, lite: context.Model, tmp_path: Path) -> None:
    recorder = Recorder(keys={3.0: ["s"]})
    _coach(FileCamera(short_clip, speed=None), recorder, tmp_path, model=lite)
    after = [(phase, cue) for (t, phase, _, _, _, cue) in recorder.steps if t >= 3.3]
    assert after and all(phase is Phase.SWITCH for phase, _ in after)
    assert after[0][1] == "Switch sides: now the right side"


def test_p_stops_with_the_advice_and_records_a_pain_stop(short_clip: Path, lite: context.Model, tmp_path: Path) -> None:
    recorder = Recorder(keys={3.0: ["p", "space"]})  # the second key closes the advice screen
    result = _coach(FileCamera(short_clip, speed=None), recorder, tmp_path, model=lite)
    assert result.runs[0].outcome == PAIN
    assert recorder.steps[-1][0] < 3.2  # stopped at once
    (session,) = _sessions(tmp_path)
    assert session.pain_stop
    assert "stopped: it hurts" in result.summary_lines()[0]


def test_the_advice_screen_says_what_the_guide_says() -> None:
    from posecoach.outputs.window import advice_screen

    screen = advice_screen("Couch stretch", "Kneeling hip flexor stretch")
    text = " ".join((screen.title, *screen.lines))
    for words in ("Stop", "easier variant", "kneeling hip flexor stretch", "doctor or physical therapist",
                  "severe, persistent", "numbness, tingling or weakness"):
        assert words in text


def test_the_advice_is_shown_until_a_key(short_clip: Path, lite: context.Model, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from posecoach.outputs.window import Window

    waited: list[str] = []
    screens: list[str] = []
    original = Window.show_screen
    monkeypatch.setattr(Window, "wait_for_key", lambda self, timeout=None: waited.append("key") or "other")
    monkeypatch.setattr(Window, "show_screen", lambda self, screen, image=None: (screens.append(screen.title),
                                                                                  original(self, screen, image)))
    _coach(FileCamera(short_clip, speed=None), Recorder(keys={3.0: ["p"]}), tmp_path, model=lite)
    assert screens == ["Stop: it hurts"] and waited == ["key"]


def test_q_quits_and_the_session_is_saved(short_clip: Path, lite: context.Model, tmp_path: Path) -> None:
    recorder = Recorder(keys={3.5: ["q"]})
    result = _coach(FileCamera(short_clip, speed=None), recorder, tmp_path, model=lite)
    assert result.runs[0].outcome == QUIT and recorder.steps[-1][0] < 3.7
    (session,) = _sessions(tmp_path)
    assert session.ended_at is not None and not session.pain_stop
    assert session.sides["left"].good_form_seconds > 0.8


# --- cameras ---------------------------------------------------------------------------------------------
class FakeDevice:
    """A camera that gives `frames` and then nothing (a cable pulled out)."""

    def __init__(self, frames: list[np.ndarray], opens: bool = True) -> None:
        self._frames = list(frames)
        self._opens = opens
        self.released = False

    def isOpened(self) -> bool:  # noqa: N802 - OpenCV's name
        return self._opens

    def read(self) -> tuple[bool, np.ndarray | None]:
        import time

        if not self._frames:
            time.sleep(0.01)
            return False, None
        time.sleep(1 / 10)
        return True, self._frames.pop(0)

    def set(self, prop: int, value: float) -> bool:
        return True

    def release(self) -> None:
        self.released = True


def test_a_camera_that_stops_ends_with_a_device_error_and_the_session_saved(
    short_clip: Path, lite: context.Model, tmp_path: Path
) -> None:
    frames = _frames(short_clip, 0, 45)
    devices: dict[int, FakeDevice] = {}

    def opener(index: int) -> FakeDevice:
        devices[index] = FakeDevice(frames if index == 0 else [], opens=index == 0)
        return devices[index]

    recorder = Recorder()
    result = _coach(Camera(0, opener=opener, stall_seconds=0.5), recorder, tmp_path, model=lite)
    assert isinstance(result.failure, DeviceError) and result.runs[0].outcome == STOPPED
    message = str(result.failure)
    assert "\n" not in message and "stopped sending pictures" in message and "--camera" in message
    assert len(recorder.steps) > 20
    (session,) = _sessions(tmp_path)
    assert session.ended_at is not None and session.sides["left"].good_form_seconds > 0
    assert result.summary_lines()[0].endswith(f"; saved as session {session.id}")


def test_no_camera_is_one_line_with_the_device_exit_code(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code = main(["coach", EXERCISE, "--camera", "9", "--data-dir", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == ExitCode.DEVICE
    assert err.count("\n") == 1 and err.startswith("posecoach: error: --camera 9:")
    assert re.search(r"cameras that open: [0-9, ]+|no camera opens", err)
    assert not (tmp_path / "history.db").exists() or not _sessions(tmp_path)


def test_a_camera_that_does_not_open_lists_those_that_do() -> None:
    opened = {1, 3}

    def opener(index: int) -> FakeDevice:
        return FakeDevice([np.zeros((4, 4, 3), np.uint8)] * 2, opens=index in opened)

    with pytest.raises(DeviceError, match=r"^--camera 0: this camera does not open; cameras that open: 1, 3; "):
        with Camera(0, opener=opener):
            pass


def test_the_newest_frame_wins() -> None:
    slot = LatestFrame()
    image = np.zeros((2, 2, 3), np.uint8)
    for i in range(3):
        slot.put(Frame(i, i / 30, image), float(i))
    assert slot.take(0.1).index == 2 and slot.dropped == 2
    assert slot.grabbed_at(1) == 1.0
    with pytest.raises(TimeoutError):
        slot.take(0.01)
    slot.end()
    assert slot.take(0.1) is None


def test_a_file_camera_keeps_its_timestamps_and_pace(short_clip: Path) -> None:
    import time

    with FileCamera(short_clip, speed=4.0) as camera:
        start = time.monotonic()
        frames = list(camera)
        took = time.monotonic() - start
    assert frames[-1].t == pytest.approx(5.9, abs=0.05)
    assert all(b.t > a.t for a, b in zip(frames, frames[1:]))
    assert took >= 5.9 / 4 - 0.1  # played in (4x) real time, not as fast as it decodes


def test_a_video_camera_that_ends_exits_0_and_is_saved(short_clip: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["coach", EXERCISE, "--camera", str(short_clip), "--data-dir", str(tmp_path), "--no-mirror"])
    out = capsys.readouterr().out
    assert code == ExitCode.OK, out
    assert "camera ended" in out and "saved as session 1" in out
    assert len(_sessions(tmp_path)) == 1


def test_a_video_camera_that_stops_mid_file_exits_6_and_says_where_the_session_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    whole = empty_room(tmp_path / "whole.avi", count=30, fourcc="MJPG")
    cut = truncated(whole, tmp_path / "cut.avi", keep=0.6)
    code = main(["coach", "plank", "--camera", str(cut), "--data-dir", str(tmp_path / "data"), "--model", "lite"])
    out, err = capsys.readouterr()
    assert code == ExitCode.DEVICE
    assert "Plank (camera stopped): 0/30 s; saved as session 1" in out
    assert err.count("\n") == 1 and err.startswith(f"posecoach: error: --camera {cut}: ") and "truncated" in err
    (session,) = _sessions(tmp_path / "data")
    assert session.ended_at is not None


def test_ctrl_c_saves_the_session_and_says_so(short_clip: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from posecoach.app.live import Controls

    original = Controls.write

    def pressed(self: Controls, step: Step) -> None:
        original(self, step)
        if step.state.t >= 3.0:
            raise KeyboardInterrupt

    monkeypatch.setattr(Controls, "write", pressed)
    code = main(["coach", EXERCISE, "--camera", str(short_clip), "--data-dir", str(tmp_path), "--model", "lite"])
    out, err = capsys.readouterr()
    assert code == ExitCode.INTERRUPTED
    assert "Kneeling hip flexor stretch (interrupted): " in out and "; saved as session 1" in out
    assert err.strip() == "posecoach: interrupted"  # after the newline click writes to end the ^C line
    (session,) = _sessions(tmp_path)
    assert session.sides["left"].good_form_seconds > 0.3


def test_a_routine_whose_camera_ends_in_the_warm_up_says_so(quick_library: context.Library, lite: context.Model,
                                                            tmp_path: Path) -> None:
    from posecoach.app.routine import routine_live

    path = tmp_path / "warm.toml"
    path.write_text('id = "warm"\nname = "Warm"\n'
                    '[[steps]]\nkind = "reminder"\ntitle = "Warm up first"\nseconds = 60\n'
                    '[[steps]]\nkind = "exercise"\nexercise = "quick-kneel"\n')
    room = empty_room(tmp_path / "room.mp4", count=10)
    result = routine_live(str(path), FileCamera(room, speed=None), library=quick_library, model=lite,
                          options=LiveOptions(data_dir=tmp_path / "data"))
    assert result.runs == () and result.failure is None
    assert result.summary_lines() == [
        "Routine the camera ended during 'Warm up first'; no exercise had started, so nothing was logged"
    ]


def test_ctrl_c_in_a_routines_rest_keeps_the_summary(clip: Path, quick_library: context.Library,
                                                    lite: context.Model, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from posecoach.app import routine

    path = tmp_path / "two.toml"
    path.write_text('id = "two"\nname = "Two"\nrest_seconds = 5\n'
                    '[[steps]]\nkind = "exercise"\nexercise = "quick-kneel"\n'
                    '[[steps]]\nkind = "exercise"\nexercise = "couch-stretch"\n')

    def interrupted(*args: object, **kwargs: object) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(routine, "show_screen_for", interrupted)
    result = routine.routine_live(str(path), FileCamera(clip, speed=None), library=quick_library, model=lite,
                                  options=LiveOptions(data_dir=tmp_path))
    assert isinstance(result.failure, KeyboardInterrupt)
    assert [run.outcome for run in result.runs] == [DONE]
    assert result.summary_lines()[0].endswith("; saved as session 1")


# --- pieces ----------------------------------------------------------------------------------------------
def test_each_moment_has_its_own_tone_and_no_audio_device_is_silent(monkeypatch: pytest.MonkeyPatch) -> None:
    import pygame

    from posecoach.outputs.audio import TONES, Chimes, synthesise

    sounds = {name: synthesise(tone) for name, tone in TONES.items()}
    assert len({s.tobytes() for s in sounds.values()}) == len(sounds)
    assert all(0.05 < len(s) / 44100 < 1.0 and s.dtype == np.int16 for s in sounds.values())

    def no_device(*args: object, **kwargs: object) -> None:
        raise pygame.error("No available audio device")

    monkeypatch.setattr(pygame.mixer, "init", no_device)
    with Chimes() as chimes:
        assert chimes.silent
        chimes.play("tick")  # nothing happens, nothing breaks


def test_a_switch_of_sides_sounds_once(whole: tuple[Recorder, LiveResult, Path]) -> None:
    from dataclasses import replace as copy

    from posecoach.outputs.audio import sounds_for
    from posecoach.records import CoachState

    state = CoachState(1.0, Phase.SWITCH, "left", "Switch sides", {})
    step = Step(None, None, state)  # type: ignore[arg-type]
    assert sounds_for(step, Phase.ACTIVE) == ["switch"] and sounds_for(step, Phase.SWITCH) == []
    assert sounds_for(copy(step, state=copy(state, phase=Phase.ACTIVE)), Phase.SWITCH) == []


@pytest.mark.parametrize("size", [(640, 480), (1920, 1080)])
def test_the_cue_is_large_at_any_window_size(size: tuple[int, int]) -> None:
    from posecoach.outputs.window import Window, fit

    with Window("posecoach", size=size) as window:
        font = window.font(max(22, int(round(40 * fit((640, 480), size)[3] / 480))), bold=True)
        cap = font.size("H")[1]
    # About 5 % of the window's height: some 2.5 cm on a laptop screen, readable from 2 m.
    assert cap >= 0.045 * size[1]


def test_a_stretch_that_keeps_failing_offers_the_easier_variant() -> None:
    from posecoach.coach.struggle import StruggleWatch
    from posecoach.records import CheckResult, CoachState, Severity, SideProgress, Status, Verdict

    def at(t: float, seconds: float, failing: bool) -> tuple[Verdict, CoachState]:
        check = CheckResult("torso-upright", Status.FAIL if failing else Status.OK, 30.0, "Lift your chest",
                            Severity.FAULT)
        verdict = Verdict(t, True, "left", True, {}, (check,))
        progress = {"left": SideProgress(seconds, 30.0, 0, 0, False)}
        return verdict, CoachState(t, Phase.ACTIVE, "left", None, progress, counting=not failing)

    watch = StruggleWatch(10.0)
    assert not any(watch.update(*at(t / 10, 0.0, True)) for t in range(95))
    assert not watch.update(*at(9.6, 0.5, False))  # progress resets it
    assert not any(watch.update(*at(9.6 + t / 10, 0.5, True)) for t in range(1, 95))
    assert any(watch.update(*at(19.1 + t / 10, 0.5, True)) for t in range(20))


def test_the_default_routine_is_the_guides_session() -> None:
    from posecoach.specs.routine import Reminder, load_routine

    library = context.library()
    routine = load_routine("default", frozenset(library.catalogue.exercises))
    assert routine.exercises == ("kneeling-hip-flexor", "couch-stretch", "standing-hip-flexor", "piriformis-stretch",
                                 "plank", "glute-bridge", "bird-dog", "crunch")
    assert isinstance(routine.steps[0], Reminder) and "warm" in routine.steps[0].title.lower()
    assert isinstance(routine.steps[-1], Reminder) and "cool" in routine.steps[-1].title.lower()
    assert routine.rest_seconds > 0


def test_an_unknown_routine_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["routine", "no-such-routine", "--camera", "9"])
    err = capsys.readouterr().err
    assert code == ExitCode.SPEC and err.count("\n") == 1 and "known routines: default" in err


def test_a_routine_runs_reminders_rests_and_exercises(clip: Path, quick_library: context.Library,
                                                      lite: context.Model, tmp_path: Path) -> None:
    from posecoach.app.routine import routine_live

    path = tmp_path / "short.toml"
    path.write_text('id = "short"\nname = "Short"\nrest_seconds = 1\n'
                    '[[steps]]\nkind = "reminder"\ntitle = "Warm up first"\nseconds = 0.5\n'
                    '[[steps]]\nkind = "exercise"\nexercise = "quick-kneel"\n'
                    '[[steps]]\nkind = "exercise"\nexercise = "couch-stretch"\n')
    recorder = Recorder()
    result = routine_live(str(path), FileCamera(clip, speed=None), library=quick_library, model=lite,
                          options=LiveOptions(data_dir=tmp_path, sinks=(recorder,)))
    assert [run.exercise.id for run in result.runs] == ["quick-kneel", "couch-stretch"]
    assert [run.outcome for run in result.runs] == [DONE, ENDED]
    assert [s.exercise for s in _sessions(tmp_path)] == ["quick-kneel", "couch-stretch"]


# --- holds you choose ------------------------------------------------------------------------------------
def test_coach_holds_for_the_time_chosen(clip: Path, lite: context.Model, tmp_path: Path) -> None:
    recorder = Recorder()
    result = coach_live(EXERCISE, FileCamera(clip, speed=None), library=context.library(), model=lite,
                        options=LiveOptions(data_dir=tmp_path, sinks=(recorder,)), hold=2.0)
    (run,) = result.runs
    assert run.outcome == DONE and "exercise_done" in recorder.events
    assert run.progress == {"left": pytest.approx((2.0, 2.0, 0, 0)), "right": pytest.approx((2.0, 2.0, 0, 0))}
    assert "left: 2/2 s, right: 2/2 s" in result.summary_lines()[0]


def test_a_routine_builds_the_hold_up_from_the_history(short_clip: Path, lite: context.Model, tmp_path: Path) -> None:
    from datetime import date, datetime, timedelta

    from posecoach.app.routine import routine_live
    from posecoach.history.store import SideSummary

    monday = date.today() - timedelta(days=date.today().weekday())
    with History.open(tmp_path) as history:
        for weeks, seconds in ((2, 1.0), (1, 2.0)):
            started = datetime.combine(monday - timedelta(weeks=weeks), datetime.min.time()).replace(hour=8)
            sid = history.start_session(kind="live", exercise=EXERCISE, source="camera 0", started_at=started)
            history.update_session(sid, sides={"left": SideSummary(seconds), "right": SideSummary(seconds)},
                                   faults=[], pain_stop=False, ended_at=started + timedelta(minutes=2))
    path = tmp_path / "building.toml"
    path.write_text('id = "building"\nname = "Building"\n'
                    '[build_up]\nstart_seconds = 1\nstep_seconds = 1\nmax_seconds = 5\n'
                    f'[[steps]]\nkind = "exercise"\nexercise = "{EXERCISE}"\n')
    result = routine_live(str(path), FileCamera(short_clip, speed=None), library=context.library(), model=lite,
                          options=LiveOptions(data_dir=tmp_path))
    (run,) = result.runs
    # Held 1 s two weeks ago and 2 s last week: 3 s a side this week, and the left side gets there.
    assert run.progress["left"] == pytest.approx((3.0, 3.0, 0, 0)) and run.progress["right"][1] == 3.0
    # A hold given on the command line wins over the build-up.
    result = routine_live(str(path), FileCamera(short_clip, speed=None), library=context.library(), model=lite,
                          options=LiveOptions(data_dir=tmp_path), hold=1.5)
    assert result.runs[0].progress["left"] == pytest.approx((1.5, 1.5, 0, 0))


# --- the voice -------------------------------------------------------------------------------------------
def _listen(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[str]]:
    """Record what the speaker starts to say and which tones the chimes play."""
    from posecoach.outputs.audio import Chimes
    from posecoach.outputs.speech import Speaker

    said: list[str] = []
    tones: list[str] = []
    say, play = Speaker.say, Chimes.play
    monkeypatch.setattr(Speaker, "say", lambda self, u: (said.append(u.text), say(self, u))[1])
    monkeypatch.setattr(Chimes, "play", lambda self, name: (tones.append(name), play(self, name))[1])
    return said, tones


def test_the_coach_speaks_the_switch_and_the_end_instead_of_their_tones(
    clip: Path, quick_library: context.Library, lite: context.Model, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from posecoach.outputs.speech import SpeechUnavailable, system_engine

    try:
        system_engine()
    except SpeechUnavailable as missing:
        if os.environ.get("CI"):
            raise
        pytest.skip(str(missing))
    said, tones = _listen(monkeypatch)
    result = _coach(FileCamera(clip, speed=None), Recorder(), tmp_path, library=quick_library, exercise="quick-kneel",
                    model=lite)
    assert result.runs[0].outcome == DONE
    assert "Switch sides: now the right side" in said and said[-1] == "Well done: exercise complete"
    assert "hold_started" in tones and "side_done" in tones
    assert "switch" not in tones and "exercise_done" not in tones


def test_no_speech_engine_is_one_note_and_tones_only(short_clip: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no espeak-ng on this machine
    said, tones = _listen(monkeypatch)
    code = main(["coach", EXERCISE, "--camera", str(short_clip), "--data-dir", str(tmp_path), "--model", "lite"])
    captured = capsys.readouterr()
    assert code == ExitCode.OK, captured.err
    (note,) = captured.err.splitlines()
    assert note.startswith("posecoach: note: no speech engine (") and "install espeak-ng" in note
    assert note.endswith("cues are shown and marked with tones")
    assert not said and "hold_started" in tones
    # --no-voice does not even look for an engine.
    code = main(["coach", EXERCISE, "--camera", str(short_clip), "--data-dir", str(tmp_path), "--model", "lite",
                 "--no-voice"])
    assert code == ExitCode.OK and capsys.readouterr().err == ""
