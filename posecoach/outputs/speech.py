"""Spoken cues: an offline speech engine renders each phrase to audio once, pygame.mixer plays it.

The engine is the system's own offline speech: espeak-ng on Linux (its program writes a WAV file
directly), SAPI5 on Windows and NSSpeechSynthesizer on macOS through pyttsx3. Engines only render phrases to
files, never speak themselves: their own playback blocks until the sentence ends (pyttsx3 on Linux runs
`aplay`) and cannot be cut off, while a rendered phrase plays on a reserved mixer channel at once, beside
the tones, and stops the moment a fault cue must take over. Phrases are rendered in a thread of their own,
ahead of time (an exercise's cues are known from its spec) and on demand for any other. On Linux the
program is run rather than pyttsx3's espeak driver, which now and then saved a phrase as an empty file.

No engine on the machine (no espeak-ng, no SAPI) is not an error: `Speaker.unavailable` says why, the live
command prints it on one line, and the coach carries on with tones.
"""

from __future__ import annotations

import contextlib
import io
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from posecoach.coach.voice import WORDS_PER_MINUTE, SpokenCues, Utterance, phrases, speaking_seconds
from posecoach.pipeline import Step
from posecoach.specs.schema import Exercise

#: How long opening waits for the engine to start, closing for the last utterance to end, and an
#: announcement for its rendering (wall-clock seconds, at the edge).
START_TIMEOUT, FINISH_WAIT, RENDER_WAIT = 10.0, 3.0, 1.0
#: The longest one phrase may take to render.
RENDER_TIMEOUT = 10.0
#: A phrase that was not rendered in time is still said if it comes this late at most (frame seconds).
LATE_LIMIT = 1.0
#: The reserved mixer channel speech plays on (tones take the others).
CHANNEL = 0
#: The priority of an announcement, above any cue's.
ANNOUNCEMENT = 99


class SpeechUnavailable(Exception):
    """No speech engine could be started; the message says why."""


class SpeechEngine(Protocol):
    """Renders text to an audio file that pygame.mixer can load (WAV; AIFF on macOS)."""

    suffix: str

    def render(self, text: str, path: Path) -> None: ...


class Pyttsx3Engine:
    """pyttsx3 over SAPI5 or NSSpeechSynthesizer (made by `pyttsx3_engine`)."""

    def __init__(self, engine: Any) -> None:
        self._engine = engine
        self.suffix = ".aiff" if sys.platform == "darwin" else ".wav"

    def render(self, text: str, path: Path) -> None:
        with _quiet():
            self._engine.save_to_file(text, str(path))
            self._engine.runAndWait()
        if not path.is_file() or path.stat().st_size == 0:
            raise SpeechUnavailable(f"the speech engine wrote nothing for {text!r}")


class EspeakNgEngine:
    """The espeak-ng program (made by `espeak_ng_engine`): one short run per phrase, text on its input."""

    suffix = ".wav"

    def __init__(self, program: str, rate: int) -> None:
        self._program = program
        self._rate = rate

    def render(self, text: str, path: Path) -> None:
        try:
            subprocess.run([self._program, "-s", str(self._rate), "-w", str(path), "--stdin"], input=text.encode(),
                           capture_output=True, check=True, timeout=RENDER_TIMEOUT)
        except (OSError, subprocess.SubprocessError) as error:
            raise SpeechUnavailable(f"espeak-ng failed on {text!r} ({error})") from None
        if not path.is_file() or path.stat().st_size == 0:
            raise SpeechUnavailable(f"espeak-ng wrote nothing for {text!r}")


def espeak_ng_engine(rate: int = WORDS_PER_MINUTE) -> EspeakNgEngine:
    """espeak-ng at `rate` words a minute; raises `SpeechUnavailable` when it is not installed or does not run."""
    program = shutil.which("espeak-ng")
    if program is None:
        raise SpeechUnavailable(_missing_hint(FileNotFoundError("espeak-ng not found")))
    try:
        subprocess.run([program, "--version"], capture_output=True, check=True, timeout=RENDER_TIMEOUT)
    except (OSError, subprocess.SubprocessError) as error:
        raise SpeechUnavailable(_missing_hint(error)) from None
    return EspeakNgEngine(program, rate)


def system_engine() -> SpeechEngine:
    """The system's offline speech: SAPI5 on Windows, NSSpeechSynthesizer on macOS, espeak-ng elsewhere."""
    if sys.platform in ("win32", "darwin"):
        return pyttsx3_engine()
    return espeak_ng_engine()


def pyttsx3_engine(rate: int = WORDS_PER_MINUTE) -> Pyttsx3Engine:
    """Start pyttsx3 at `rate` words a minute; call it in the thread that will use it (SAPI5 is COM).
    Raises `SpeechUnavailable` when there is no engine."""
    try:
        import pyttsx3

        with _quiet():
            engine = pyttsx3.init()
            engine.setProperty("rate", rate)
    except Exception as error:  # noqa: BLE001 - any failure to start means "no engine": ImportError, OSError, RuntimeError
        raise SpeechUnavailable(_missing_hint(error)) from None
    return Pyttsx3Engine(engine)


@contextlib.contextmanager
def _quiet() -> Any:
    """pyttsx3's espeak driver prints a line for every file it saves; it is not ours to show."""
    with contextlib.redirect_stdout(io.StringIO()):
        yield


def _missing_hint(error: BaseException) -> str:
    how = {"win32": "Windows' speech (SAPI5) did not start", "darwin": "macOS speech did not start"}.get(
        sys.platform, "install espeak-ng to hear them (for example: sudo apt install espeak-ng)")
    detail = " ".join(str(error).split()) or type(error).__name__
    return f"no speech engine ({detail}); {how}"


class Speaker:
    """Says utterances on a reserved mixer channel; open with `with`.

    `engine` makes the speech engine (called in the rendering thread). Without an audio device, or without
    an engine (`unavailable` then says why), nothing is heard and nothing fails. `said` keeps the texts
    started, newest last.
    """

    def __init__(self, engine: Callable[[], SpeechEngine] = system_engine) -> None:
        self._make_engine = engine
        self.unavailable: str | None = None
        self._pg: Any = None
        self._owns_mixer = False
        self._channel: Any = None
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._requests: queue.Queue[str | None] = queue.Queue()
        self._rendered: queue.Queue[tuple[str, Path | None]] = queue.Queue()
        self._asked: set[str] = set()
        self._sounds: dict[str, Any] = {}
        self._seconds: dict[str, float] = {}
        self._failed: set[str] = set()
        self._thread: threading.Thread | None = None
        self._started = threading.Event()
        self._waiting: Utterance | None = None
        self.said: deque[str] = deque(maxlen=64)

    @property
    def speaks(self) -> bool:
        """An engine is there (whether an audio device plays it is another matter)."""
        return self.unavailable is None

    def __enter__(self) -> Speaker:
        self._folder = tempfile.TemporaryDirectory(prefix="posecoach-speech-")
        self._thread = threading.Thread(target=self._work, name="speech", daemon=True)
        self._thread.start()
        if not self._started.wait(START_TIMEOUT):
            self.unavailable = f"no speech engine (it did not start within {START_TIMEOUT:.0f} s)"
        if self.speaks:
            self._open_channel()
        return self

    def _open_channel(self) -> None:
        from posecoach.outputs.audio import RATE
        from posecoach.outputs.pygame_import import pygame as load_pygame

        pygame = load_pygame()
        try:
            if pygame.mixer.get_init() is None:
                pygame.mixer.init(frequency=RATE, size=-16, channels=1)
                self._owns_mixer = True
            pygame.mixer.set_reserved(CHANNEL + 1)
            self._channel = pygame.mixer.Channel(CHANNEL)
            self._pg = pygame
        except pygame.error:
            self._channel = None  # no audio device: silent

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._channel is not None and kind is None:
            # Let the last sentence ("Well done") end rather than cutting it off.
            deadline = time.monotonic() + FINISH_WAIT
            while self._channel.get_busy() and time.monotonic() < deadline:
                time.sleep(0.02)
        self.silence()
        self._requests.put(None)
        if self._thread is not None:
            self._thread.join(timeout=2.0)
        self._sounds.clear()
        if self._pg is not None and self._owns_mixer:
            self._pg.mixer.quit()
        self._channel = self._pg = None
        if self._folder is not None:
            self._folder.cleanup()

    # --- rendering (its own thread) ----------------------------------------------------------------
    def _work(self) -> None:
        try:
            engine = self._make_engine()
        except SpeechUnavailable as error:
            self.unavailable = str(error)
            self._started.set()
            return
        self._started.set()
        assert self._folder is not None
        folder = Path(self._folder.name)
        count = 0
        while (text := self._requests.get()) is not None:
            path = folder / f"{count}{engine.suffix}"
            count += 1
            try:
                engine.render(text, path)
            except Exception:  # noqa: BLE001 - a phrase that cannot be rendered is not said; the session goes on
                self._rendered.put((text, None))
                continue
            self._rendered.put((text, path))

    def prepare(self, texts: Iterable[str]) -> None:
        """Render these phrases ahead of time, in order."""
        if not self.speaks:
            return
        for text in texts:
            if text not in self._asked:
                self._asked.add(text)
                self._requests.put(text)

    def _collect(self) -> None:
        """Load what the rendering thread finished into sounds (in this thread: pygame's objects stay here)."""
        while True:
            try:
                text, path = self._rendered.get_nowait()
            except queue.Empty:
                return
            if path is None or self._pg is None:
                self._failed.add(text)
                continue
            try:
                sound = self._pg.mixer.Sound(str(path))
            except self._pg.error:
                self._failed.add(text)
                continue
            self._sounds[text] = sound
            self._seconds[text] = float(sound.get_length())

    # --- speaking ----------------------------------------------------------------------------------
    def duration(self, text: str) -> float:
        """How long `text` takes to say: its rendered length once known, else an estimate from its words."""
        self._collect()
        return self._seconds.get(text) or speaking_seconds(text)

    def say(self, utterance: Utterance) -> None:
        """Start saying `utterance` (cutting off the current one if it says so); a phrase still rendering
        is said once it is ready, unless it is late by then."""
        if not self.speaks:
            return
        self.said.append(utterance.text)
        self._collect()
        sound = self._sounds.get(utterance.text)
        if sound is None:
            self.prepare([utterance.text])
            self._waiting = utterance
            return
        self._waiting = None
        self._play(sound, utterance.interrupts)

    def tick(self, t: float) -> None:
        """At frame time t: say a phrase that was waiting for its rendering, if it is ready and still timely."""
        waiting = self._waiting
        if waiting is None:
            return
        self._collect()
        if t - waiting.t > LATE_LIMIT:
            self._waiting = None
        elif waiting.text in self._sounds:
            self._waiting = None
            self._play(self._sounds[waiting.text], waiting.interrupts)

    def announce(self, text: str, t: float) -> None:
        """Say `text` now (frame time t), over anything: a screen between exercises, the advice when
        something hurts. Outside the frame loop nothing else would pick up a phrase still rendering, so
        this waits for its rendering (a few milliseconds; `RENDER_WAIT` at most)."""
        if not self.speaks:
            return
        self.prepare([text])
        deadline = time.monotonic() + RENDER_WAIT
        while text not in self._sounds and text not in self._failed and time.monotonic() < deadline:
            time.sleep(0.005)
            self._collect()
        self.say(Utterance(t, text, priority=ANNOUNCEMENT, interrupts=True))

    def silence(self) -> None:
        self._waiting = None
        if self._channel is not None:
            self._channel.stop()

    def _play(self, sound: Any, interrupts: bool) -> None:
        channel = self._channel
        if channel is None:
            return
        if interrupts or not channel.get_busy():
            channel.play(sound)
        else:
            channel.queue(sound)


class Voice:
    """A sink that speaks one exercise's cues: the schedule (`SpokenCues`) decides, the speaker says."""

    def __init__(self, speaker: Speaker, exercise: Exercise) -> None:
        self._speaker = speaker
        self._cues = SpokenCues(speaker.duration)
        speaker.prepare(phrases(exercise))

    def write(self, step: Step) -> None:
        self._speaker.tick(step.state.t)
        utterance = self._cues.update(step.state, step.verdict)
        if utterance is not None:
            self._speaker.say(utterance)
