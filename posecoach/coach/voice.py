"""What the coach says aloud, and when: a schedule of utterances from the coach's states, in frame time.

Someone holding a stretch side-on to the camera cannot read the screen, so the cue on it is spoken, and so
are the moments that matter: ten seconds left of a hold, a switch of sides, the end, each rep's count.
Speech takes time, so the schedule is one utterance at a time, and it decides what waits and what goes:

- a cue is said when it appears, and not again within `REPEAT_SECONDS` of having been said (cues
  flicker); one that stays on (a correction not yet made, a set-up still wrong) is said again every
  `REMIND_SECONDS`, except "Paused" and the end, which are said once;
- a cue that is gone before it could be said is dropped, and so are counts that are late ("ten seconds
  left" said with seven left is already wrong);
- a new fault cue cuts off a count or a countdown being said: fixing form matters more than the time;
  anything else waits for the utterance being said to end.

Pure: time is the frame's timestamp and an utterance's length comes from `duration(text)` (the speech
engine's rendered length live, an estimate from the words otherwise), so a replay gives the same schedule.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from posecoach.coach.session import DONE_CUE, PAUSED_CUE, SETUP_WAIT_CUE, switch_cue
from posecoach.coach.setup import BODY_OUT, CROWD, DARK, FEET_OUT, NOBODY, TURN_FRONT, TURN_SIDE
from posecoach.records import SIDES, CoachState, Phase, Severity, Status, Verdict
from posecoach.rules.engine import spoken
from posecoach.rules.measures import referenced_points
from posecoach.specs.schema import Exercise

#: Priorities: a fault to fix, then guidance (set-up, position, switch, what cannot be seen), then counts.
FAULT, GUIDANCE, COUNT = 3, 2, 1

#: The same text is not said again within this many seconds of its end.
REPEAT_SECONDS = 5.0
#: A cue still shown is said again this long after it was last said.
REMIND_SECONDS = 12.0
#: The countdown: said when this many seconds of the hold are left, for holds at least `COUNTDOWN_MIN` long.
COUNTDOWN_SECONDS = 10.0
COUNTDOWN_MIN = 15.0
COUNTDOWN_TEXT = "Ten seconds left"
#: A countdown that could not be said within this many seconds is dropped; a rep count likewise.
COUNTDOWN_LATE, COUNT_LATE = 3.0, 1.5
#: The speaking rate the speech engine is set to, and so the estimate of an utterance's length.
WORDS_PER_MINUTE = 165
#: Pause and lead-in around an utterance (seconds), part of the estimate.
SPEECH_PAD = 0.35


def speaking_seconds(text: str) -> float:
    """About how long `text` takes to say at `WORDS_PER_MINUTE`."""
    return SPEECH_PAD + len(text.split()) * 60.0 / WORDS_PER_MINUTE


@dataclass(frozen=True, slots=True)
class Utterance:
    """Something to say, starting at frame time `t`."""

    t: float
    text: str
    priority: int
    #: It cuts off the utterance being said.
    interrupts: bool = False


def phrases(exercise: Exercise) -> tuple[str, ...]:
    """Everything the schedule may say during `exercise`, to render ahead of time (first what comes first)."""
    texts = [SETUP_WAIT_CUE, NOBODY, BODY_OUT, FEET_OUT, TURN_SIDE, TURN_FRONT, CROWD, DARK, exercise.position.cue]
    for check in exercise.checks:
        texts += [c for c in (check.cue_low, check.cue_high) if c]
    for check in exercise.checks:
        texts += [f"I can't see your {spoken(ref)}" for ref in referenced_points(exercise.measure(check.measure))]
    if exercise.target_seconds >= COUNTDOWN_MIN:
        texts.append(COUNTDOWN_TEXT)
    texts += [str(n) for n in range(1, exercise.target_reps + 1)]
    if exercise.has_sides:
        texts += [switch_cue(side) for side in SIDES]
    texts += [DONE_CUE, PAUSED_CUE]
    return tuple(dict.fromkeys(texts))


class SpokenCues:
    """One verb: `update(state, verdict) -> Utterance | None`, what to start saying at this frame."""

    def __init__(self, duration: Callable[[str], float] = speaking_seconds) -> None:
        self._duration = duration
        self._current: Utterance | None = None
        self._until = -math.inf
        #: When each text was last said to its end (frame time).
        self._said_until: dict[str, float] = {}
        self._shown: str | None = None
        self._wanted: str | None = None
        #: Sides whose countdown was said (or dropped), and the countdown waiting to be said.
        self._counted_down: set[object] = set()
        self._countdown_due = False
        self._count: tuple[str, float] | None = None

    @property
    def speaking(self) -> Utterance | None:
        return self._current

    def update(self, state: CoachState, verdict: Verdict) -> Utterance | None:
        t = state.t
        self._follow_cue(state)
        self._follow_counts(state)
        if self._current is not None and t >= self._until:
            self._current = None
        choice = next(self._candidates(state, verdict), None)
        if choice is None:
            return None
        if self._current is not None:
            if not (choice.priority == FAULT and self._current.priority < FAULT):
                return None
            choice = Utterance(t, choice.text, choice.priority, interrupts=True)
        self._start(choice, state)
        return choice

    # --- what is wanted --------------------------------------------------------------------------
    def _follow_cue(self, state: CoachState) -> None:
        cue, t = state.cue, state.t
        if cue != self._shown:
            self._shown = cue
            recent = cue is not None and t - self._said_until.get(cue, -math.inf) < REPEAT_SECONDS
            self._wanted = None if cue is None or recent else cue
        elif cue is not None and cue not in (PAUSED_CUE, DONE_CUE) and cue != self._wanted:
            if t - self._said_until.get(cue, -math.inf) >= REMIND_SECONDS and self._current_text() != cue:
                self._wanted = cue

    def _follow_counts(self, state: CoachState) -> None:
        t = state.t
        for event in state.events:
            if event.kind == "rep":
                self._count = (event.text, t)
        if self._count is not None and t - self._count[1] > COUNT_LATE:
            self._count = None
        self._countdown_due = False
        progress = state.progress.get(state.side)
        if progress is None or progress.target_seconds < COUNTDOWN_MIN or state.side in self._counted_down:
            return
        left = progress.target_seconds - progress.good_form_seconds
        if state.phase is Phase.ACTIVE and state.counting and left <= COUNTDOWN_SECONDS:
            if left < COUNTDOWN_SECONDS - COUNTDOWN_LATE:
                self._counted_down.add(state.side)  # too late to say it right
            else:
                self._countdown_due = True

    def _candidates(self, state: CoachState, verdict: Verdict) -> Iterator[Utterance]:
        t = state.t
        if self._wanted is not None:
            yield Utterance(t, self._wanted, self._priority(self._wanted, state, verdict))
        if self._countdown_due:
            yield Utterance(t, COUNTDOWN_TEXT, COUNT)
        if self._count is not None:
            yield Utterance(t, self._count[0], COUNT)

    @staticmethod
    def _priority(cue: str, state: CoachState, verdict: Verdict) -> int:
        fault = state.phase is Phase.ACTIVE and any(
            c.cue == cue and c.status is Status.FAIL and c.severity is Severity.FAULT for c in verdict.checks
        )
        return FAULT if fault else GUIDANCE

    # --- saying it -------------------------------------------------------------------------------
    def _current_text(self) -> str | None:
        return self._current.text if self._current is not None else None

    def _start(self, utterance: Utterance, state: CoachState) -> None:
        self._current = utterance
        self._until = utterance.t + self._duration(utterance.text)
        self._said_until[utterance.text] = self._until
        if utterance.text == self._wanted:
            self._wanted = None
        if utterance.priority == COUNT and utterance.text == COUNTDOWN_TEXT:
            self._counted_down.add(state.side)
            self._countdown_due = False
        elif self._count is not None and utterance.text == self._count[0]:
            self._count = None
