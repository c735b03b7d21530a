"""Audio cues: short synthesised tones for the coach's events, played through pygame.mixer.

No audio device means a silent coach, not a crash: `Chimes` catches pygame's error when the mixer opens
and then plays nothing. With spoken cues on, the moments the voice announces in words (a switch of sides,
the end) are left to the voice (`SPOKEN`).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from types import TracebackType
from typing import Any

import numpy as np

from posecoach.pipeline import Step
from posecoach.records import Phase

RATE = 44100


@dataclass(frozen=True, slots=True)
class Tone:
    """Notes played one after the other: (frequency Hz, seconds) each."""

    notes: tuple[tuple[float, float], ...]
    volume: float = 0.35


#: One distinct tone per kind of moment.
TONES: dict[str, Tone] = {
    "hold_started": Tone(((660.0, 0.12),)),                                   # one short beep
    "tick": Tone(((880.0, 0.06),), volume=0.25),                               # a soft blip
    "side_done": Tone(((660.0, 0.1), (880.0, 0.16))),                          # rising pair
    "switch": Tone(((880.0, 0.1), (660.0, 0.1), (880.0, 0.1))),                # up-down-up
    "exercise_done": Tone(((523.3, 0.12), (659.3, 0.12), (784.0, 0.12), (1046.5, 0.3))),  # arpeggio
    "pain": Tone(((440.0, 0.25), (330.0, 0.35)), volume=0.3),                 # falling pair
}


#: Moments the voice says in words when it speaks, so their tones would only talk over it.
SPOKEN = frozenset({"switch", "exercise_done"})


def synthesise(tone: Tone, rate: int = RATE) -> np.ndarray:
    """(samples,) int16 mono: sine notes with short fades so they do not click."""
    parts = []
    for frequency, seconds in tone.notes:
        t = np.arange(int(rate * seconds)) / rate
        wave = np.sin(2 * np.pi * frequency * t)
        fade = min(len(t) // 4, int(rate * 0.01))
        if fade:
            ramp = np.linspace(0.0, 1.0, fade)
            wave[:fade] *= ramp
            wave[-fade:] *= ramp[::-1]
        parts.append(wave)
        parts.append(np.zeros(int(rate * 0.03)))
    samples = np.concatenate(parts) * tone.volume * 32767
    return samples.astype(np.int16)


def sounds_for(step: Step, previous_phase: Phase | None) -> list[str]:
    """The tone names one step calls for."""
    names = [e.kind for e in step.state.events if e.kind in TONES]
    if step.state.phase is Phase.SWITCH and previous_phase is not Phase.SWITCH:
        names.append("switch")
    return names


class Chimes:
    """A sink that plays a tone for the events of each step; silent when there is no audio device."""

    def __init__(self, *, enabled: bool = True, skip: frozenset[str] = frozenset()) -> None:
        self._enabled = enabled
        self._skip = skip
        self._owns_mixer = False
        self._sounds: dict[str, Any] = {}
        self._phase: Phase | None = None
        #: The most recent tones asked for (kept short: a session can last long).
        self.played: deque[str] = deque(maxlen=64)

    @property
    def silent(self) -> bool:
        return not self._sounds

    def __enter__(self) -> Chimes:
        if not self._enabled:
            return self
        from posecoach.outputs.pygame_import import pygame as load_pygame

        pygame = load_pygame()
        try:
            if pygame.mixer.get_init() is None:
                pygame.mixer.init(frequency=RATE, size=-16, channels=1)
                self._owns_mixer = True
            channels = pygame.mixer.get_init()[2]
            for name, tone in TONES.items():
                mono = synthesise(tone, RATE)
                data = mono if channels == 1 else np.repeat(mono[:, None], channels, axis=1)
                self._sounds[name] = pygame.sndarray.make_sound(np.ascontiguousarray(data))
        except pygame.error:
            self._sounds.clear()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._sounds:
            from posecoach.outputs.pygame_import import pygame as load_pygame

            pygame = load_pygame()
            self._sounds.clear()
            if self._owns_mixer:
                pygame.mixer.quit()

    def play(self, name: str) -> None:
        self.played.append(name)
        sound = self._sounds.get(name)
        if sound is not None:
            sound.play()

    def write(self, step: Step) -> None:
        for name in sounds_for(step, self._phase):
            if name not in self._skip:
                self.play(name)
        self._phase = step.state.phase
