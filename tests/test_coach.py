"""The coach on constructed tracks: hold timer, rep counter, and a whole session from set-up to done."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from posecoach.coach.session import Coach
from posecoach.coach.timers import MAX_STEP, HoldTimer, RepCounter
from posecoach.records import CoachState, Phase
from posecoach.rules.engine import RuleEngine
from posecoach.rules.reps import RepPhase
from posecoach.rules.registry import builtin_rules
from posecoach.specs.schema import Exercise, RepsMode
from tests import poses

RULES = builtin_rules()
KNEELING = poses.shipped("kneeling-hip-flexor", RULES)
FPS = 30
DT = 1 / FPS
FAULT_CUE = "Bring your front foot back under your knee, to a right angle"
SETUP_CUE = "Hold still a moment while I check your set-up"


def short_hold(seconds: float = 2.0, *, judge_while_moving: bool = True) -> Exercise:
    """The kneeling stretch with a short target. The constructed tracks jump between poses from one frame
    to the next; by default the steadiness gate is opened so those jumps are judged at once (the gate has
    its own tests)."""
    update: dict[str, object] = {"mode": KNEELING.mode.model_copy(update={"target_seconds": seconds})}
    if judge_while_moving:
        update["position"] = KNEELING.position.model_copy(update={"max_speed": 1e9})
    return KNEELING.model_copy(update=update)


# --- HoldTimer -------------------------------------------------------------------------------------------


def feed(timer: HoldTimer, start: float, stop: float, good: bool, step: float = 0.1, unsure: bool = False) -> float:
    """Frames every `step` s from `start` up to and including `stop`; returns the last frame's time."""
    t = start
    for i in range(round((stop - start) / step) + 1):
        t = start + i * step
        timer.update(t, good, unsure)
    return t


def test_hold_timer_counts_only_good_form_time():
    timer = HoldTimer(10.0, 0.5)
    feed(timer, 0.0, 1.0, good=True)
    assert timer.seconds == pytest.approx(1.0)
    assert timer.counting
    feed(timer, 1.1, 2.0, good=False)
    assert timer.seconds == pytest.approx(1.0)
    assert not timer.counting
    feed(timer, 2.1, 3.1, good=True)
    # The first good frame after a lapse restarts the count; time only accrues between good frames.
    assert timer.seconds == pytest.approx(2.0)


def test_short_lapse_within_grace_pauses_without_lapsing():
    timer = HoldTimer(10.0, 0.5)
    feed(timer, 0.0, 1.0, good=True)
    t = feed(timer, 1.1, 1.4, good=False)
    assert not timer.lapsed(t)
    assert timer.seconds == pytest.approx(1.0)
    feed(timer, 1.5, 2.0, good=True)
    assert not timer.lapsed(2.0)
    assert timer.seconds == pytest.approx(1.5)


def test_long_lapse_is_lapsed_and_never_resets():
    timer = HoldTimer(10.0, 0.5)
    feed(timer, 0.0, 2.0, good=True)
    feed(timer, 2.1, 2.5, good=False)
    assert not timer.lapsed(2.5)
    t = feed(timer, 2.6, 4.0, good=False)
    assert timer.lapsed(2.7)
    assert timer.lapsed(t)
    assert timer.seconds == pytest.approx(2.0)
    timer.update(4.1, True)
    assert not timer.lapsed(4.1)
    assert timer.seconds == pytest.approx(2.0)


def test_short_doubt_inside_a_hold_is_credited_when_good_form_resumes():
    timer = HoldTimer(10.0, 0.5)
    feed(timer, 0.0, 1.0, good=True)
    feed(timer, 1.1, 1.3, good=False, unsure=True)
    assert timer.seconds == pytest.approx(1.0)  # nothing credited while in doubt
    assert not timer.counting
    feed(timer, 1.4, 2.0, good=True)
    assert timer.seconds == pytest.approx(2.0)  # as if the form never left


def test_doubt_is_forfeited_by_a_failing_frame_a_long_gap_or_a_fresh_start():
    # A failing frame inside the doubt.
    timer = HoldTimer(10.0, 0.5)
    feed(timer, 0.0, 1.0, good=True)
    feed(timer, 1.1, 1.2, good=False, unsure=True)
    timer.update(1.3, False)
    feed(timer, 1.4, 2.0, good=True)
    assert timer.seconds == pytest.approx(1.6)
    # Doubt longer than the grace window.
    timer = HoldTimer(10.0, 0.5)
    feed(timer, 0.0, 1.0, good=True)
    feed(timer, 1.1, 1.7, good=False, unsure=True)
    feed(timer, 1.8, 2.0, good=True)
    assert timer.seconds == pytest.approx(1.2)
    # Doubt right after arriving (less than a grace window of good form): still settling in.
    timer = HoldTimer(10.0, 0.5)
    feed(timer, 0.0, 0.2, good=True)
    feed(timer, 0.3, 0.5, good=False, unsure=True)
    feed(timer, 0.6, 1.0, good=True)
    assert timer.seconds == pytest.approx(0.6)


def test_hold_timer_completes_at_target_and_stops():
    timer = HoldTimer(1.0, 0.5)
    feed(timer, 0.0, 0.9, good=True)
    assert not timer.completed
    feed(timer, 1.0, 1.5, good=True)
    assert timer.completed
    assert timer.seconds == pytest.approx(1.0)
    assert not timer.counting
    feed(timer, 1.6, 3.0, good=True)
    assert timer.seconds == pytest.approx(1.0)


def test_hold_timer_does_not_count_a_stall_or_a_pause():
    timer = HoldTimer(10.0, 0.5)
    timer.update(0.0, True)
    timer.update(2.0, True)  # a 2 s gap between frames
    assert timer.seconds == pytest.approx(MAX_STEP)
    timer.pause()
    assert not timer.counting
    timer.update(5.0, True)
    assert timer.seconds == pytest.approx(MAX_STEP)
    timer.update(5.1, True)
    assert timer.seconds == pytest.approx(MAX_STEP + 0.1)


# --- RepCounter --------------------------------------------------------------------------------------------


def reps_mode(**fields) -> RepsMode:
    base = dict(kind="reps", target_reps=5, sides=False, driver="lift", top=100.0, bottom=60.0,
                top_hold_seconds=0.5, min_phase_seconds=0.15)
    base.update(fields)
    return RepsMode.model_validate(base)


class Driver:
    """Feeds a driver value at 20 frames a second through the rep's phase to a RepCounter, as the engine and
    the coach do, and collects what the counter says."""

    def __init__(self, counter: RepCounter) -> None:
        self.counter = counter
        self.phase = RepPhase(counter.mode)
        self.t = 0.0
        self.outcomes: list[str] = []

    def hold(self, value: float, seconds: float, form_ok: bool = True) -> None:
        for _ in range(round(seconds * 20)):
            outcome = self.counter.update(self.t, self.phase.update(self.t, value), form_ok)
            if outcome is not None:
                self.outcomes.append(outcome)
            self.t += 0.05


def test_rep_counts_bottom_top_bottom():
    driver = Driver(RepCounter(reps_mode()))
    for _ in range(3):
        driver.hold(50.0, 0.5)
        assert not driver.counter.at_top
        driver.hold(110.0, 1.0)
        assert driver.counter.at_top
        driver.hold(50.0, 0.5)
    assert driver.outcomes == ["rep", "rep", "rep"]
    assert driver.counter.reps == 3


def test_rep_values_between_the_thresholds_change_nothing():
    driver = Driver(RepCounter(reps_mode()))
    driver.hold(50.0, 0.5)
    driver.hold(80.0, 1.0)
    assert not driver.counter.at_top
    driver.hold(110.0, 1.0)
    driver.hold(80.0, 1.0)  # between: still at the top
    assert driver.counter.at_top
    driver.hold(50.0, 0.5)
    assert driver.outcomes == ["rep"]


def test_rep_ignores_jitter_shorter_than_the_minimum_phase():
    driver = Driver(RepCounter(reps_mode()))
    driver.hold(50.0, 0.5)
    for _ in range(4):
        driver.hold(110.0, 0.1)  # two frames beyond the top: 0.05 s apart, under 0.15 s
        driver.hold(50.0, 0.2)
    assert not driver.counter.at_top
    driver.hold(110.0, 1.0)
    driver.hold(50.0, 0.1)  # a dip at the top that does not last
    driver.hold(110.0, 0.5)
    assert driver.counter.at_top
    assert driver.outcomes == []
    driver.hold(50.0, 0.5)
    assert driver.outcomes == ["rep"]


def test_rep_with_a_short_top_hold_is_short():
    driver = Driver(RepCounter(reps_mode(top_hold_seconds=1.0)))
    driver.hold(50.0, 0.5)
    driver.hold(110.0, 0.5)
    driver.hold(50.0, 0.5)
    assert driver.outcomes == ["short"]
    assert driver.counter.reps == 0
    driver.hold(110.0, 1.5)
    driver.hold(50.0, 0.5)
    assert driver.outcomes == ["short", "rep"]
    assert driver.counter.reps == 1


def test_rep_with_a_fault_at_the_top_is_short():
    driver = Driver(RepCounter(reps_mode()))
    driver.hold(50.0, 0.5)
    driver.hold(110.0, 0.5)
    driver.hold(110.0, 0.1, form_ok=False)
    driver.hold(110.0, 0.5)
    driver.hold(50.0, 0.5)
    assert driver.outcomes == ["short"]
    assert driver.counter.reps == 0


def test_rep_starting_at_the_top_with_a_fault_is_short():
    driver = Driver(RepCounter(reps_mode(top_hold_seconds=0.0)))
    driver.hold(50.0, 0.5)
    driver.hold(110.0, 1.0, form_ok=False)
    driver.hold(50.0, 0.5)
    assert driver.outcomes == ["short"]


def test_rep_with_a_falling_driver():
    driver = Driver(RepCounter(reps_mode(top=30.0, bottom=80.0)))
    driver.hold(120.0, 0.5)
    driver.hold(20.0, 1.0)
    assert driver.counter.at_top
    driver.hold(90.0, 0.5)
    driver.hold(20.0, 1.0)
    driver.hold(90.0, 0.5)
    assert driver.outcomes == ["rep", "rep"]


def test_rep_nan_values_are_skipped():
    driver = Driver(RepCounter(reps_mode(top_hold_seconds=0.0)))
    driver.hold(50.0, 0.5)
    driver.hold(float("nan"), 0.5)
    driver.hold(110.0, 0.5)
    driver.hold(float("nan"), 0.3)
    driver.hold(50.0, 0.5)
    assert driver.outcomes == ["rep"]


# --- the Coach over a track --------------------------------------------------------------------------------


class Session:
    """A rule engine and a coach fed one synthetic frame at a time, 30 frames a second."""

    def __init__(self, exercise: Exercise, **coach_options) -> None:
        self.engine = RuleEngine(exercise, RULES)
        self.coach = Coach(exercise, **coach_options)
        self.t = 0.0
        self.index = 0
        self.states: list[CoachState] = []

    def run(self, image: np.ndarray | None, seconds: float, **observe) -> list[CoachState]:
        out = []
        for _ in range(round(seconds * FPS)):
            observation = poses.observe(image, self.t, self.index, **observe)
            verdict = self.engine.update(observation)
            out.append(self.coach.update(verdict))
            self.t += DT
            self.index += 1
        self.states.extend(out)
        return out

    def until(self, image: np.ndarray, done, limit: float = 10.0) -> list[CoachState]:
        """Frames of `image` until `done(state)` holds (the state that met it is last)."""
        out = []
        for _ in range(round(limit * FPS)):
            out += self.run(image, DT)
            if done(out[-1]):
                return out
        raise AssertionError(f"not reached within {limit} s; last state {out[-1]}")

    def events(self, kind: str, states: list[CoachState] | None = None) -> list:
        return [e for s in (self.states if states is None else states) for e in s.events if e.kind == kind]


GOOD = poses.kneeling("left", 90.0)
STANDING = poses.kneeling("left", 170.0)  # the front leg nearly straight: not in the position
FAULT = poses.kneeling("left", 125.0)


def active(session: Session, image: np.ndarray = GOOD) -> list[CoachState]:
    """Set-up and position done, the coach counting on the side of `image`."""
    return session.until(image, lambda s: s.phase is Phase.ACTIVE and s.counting)


def test_coach_runs_a_whole_session():
    session = Session(short_hold(2.0))

    nobody = session.run(None, 0.5)
    assert {s.phase for s in nobody} == {Phase.SETUP}
    assert nobody[-1].cue == "Step into the picture so I can see you"

    # Set-up: the body must be in view for a second before anything starts.
    arrive = session.t
    standing = session.run(STANDING, 1.5)
    setup = [s for s in standing if s.phase is Phase.SETUP]
    assert setup and all(s.cue == SETUP_CUE for s in setup)
    assert setup[-1].t < arrive + 1.0
    position = [s for s in standing if s.phase is Phase.POSITION]
    assert position and position[0].t == pytest.approx(arrive + 1.0, abs=DT + 1e-9)
    assert all(s.cue == KNEELING.position.cue for s in position)
    assert standing[-1].phase is Phase.POSITION

    # Into the position: active, the hold counting on the left side.
    good = session.run(GOOD, 1.0)
    assert good[-1].phase is Phase.ACTIVE and good[-1].side == "left"
    assert good[-1].counting and good[-1].cue is None
    assert [e.kind for e in session.events("started")] == ["started"]
    assert session.events("hold_started")[0].side == "left"
    held = good[-1].progress["left"].good_form_seconds
    assert 0.4 < held < 1.0
    assert good[-1].progress["right"].good_form_seconds == 0.0

    # A fault: the timer pauses at once; the cue comes only after the grace window and the check's minimum.
    start = session.t
    fault = session.run(FAULT, 1.2)
    assert all(s.phase is Phase.ACTIVE and not s.counting for s in fault)
    assert all(s.progress["left"].good_form_seconds == pytest.approx(held) for s in fault)
    early = [s for s in fault if s.t < start + 0.5 - 1e-9]
    assert early and all(s.cue is None for s in early)
    assert fault[-1].cue == FAULT_CUE
    first_cued = next(s for s in fault if s.cue == FAULT_CUE)
    assert first_cued.t >= start + 0.5 - 1e-9
    faults = session.events("fault", fault)
    assert len(faults) == 1
    assert faults[0].check == "front-knee" and faults[0].side == "left" and faults[0].text == FAULT_CUE
    assert faults[0].t == pytest.approx(start + 0.5, abs=DT + 1e-9)
    assert [e.text for e in session.events("cue", fault)] == [FAULT_CUE]

    # Back to good form: counting resumes where it stopped, up to the target.
    finish = session.until(GOOD, lambda s: bool(s.events) and any(e.kind == "side_done" for e in s.events))
    assert finish[0].progress["left"].good_form_seconds == pytest.approx(held)
    assert finish[-1].cue is None
    left = finish[-1].progress["left"]
    assert left.completed and left.good_form_seconds == pytest.approx(2.0)
    assert session.events("side_done")[0].side == "left"
    assert finish[-1].t - start == pytest.approx(1.2 + (2.0 - held), abs=0.1)

    # The other side: switch, with the cue naming it, until the right leg is in front.
    switch = session.run(GOOD, 0.3)
    assert all(s.phase is Phase.SWITCH for s in switch)
    assert switch[0].cue == "Switch sides: now the right side"
    assert all(not s.counting for s in switch)
    assert switch[-1].progress["left"].good_form_seconds == pytest.approx(2.0)

    right = poses.kneeling("right", 90.0)
    changing = active(session, right)
    assert changing[-1].side == "right"
    # The side takes a moment to settle while in position; the right side was held all along, and counts
    # (less the tenth of a second stillness takes to settle under the new side).
    assert changing[-1].progress["right"].good_form_seconds == pytest.approx(
        changing[-1].t - changing[0].t - 0.1, abs=DT + 1e-9)
    finish = session.until(right, lambda s: s.phase is Phase.DONE)
    assert [e.side for e in session.events("side_done")] == ["left", "right"]
    done = session.events("exercise_done")
    assert len(done) == 1 and done[0].text == "Well done: exercise complete"
    assert finish[-1].cue == "Well done: exercise complete"
    assert all(p.completed for p in finish[-1].progress.values())

    after = session.run(right, 0.5)
    assert all(s.phase is Phase.DONE for s in after)
    assert session.events("exercise_done", after) == []


def test_coach_counts_whichever_side_the_person_starts_with():
    session = Session(short_hold(1.0), side="right")
    right = poses.kneeling("right", 90.0)
    states = session.run(right, 3.0)
    assert list(states[-1].progress) == ["right", "left"]
    assert session.events("side_done")[0].side == "right"
    assert states[-1].phase is Phase.SWITCH and states[-1].cue == "Switch sides: now the left side"

    session = Session(short_hold(1.0))  # left first by default, but the right leg is in front
    states = session.run(right, 3.0)
    assert [e.side for e in session.events("side_done")] == ["right"]
    assert states[-1].progress["right"].completed and not states[-1].progress["left"].completed
    assert states[-1].phase is Phase.SWITCH and states[-1].cue == "Switch sides: now the left side"


def test_skip_side_moves_on_then_finishes():
    session = Session(short_hold(30.0))
    active(session)
    session.coach.skip_side()
    state = session.run(GOOD, DT)[-1]
    assert state.phase is Phase.SWITCH
    assert state.cue == "Switch sides: now the right side"
    assert state.progress["left"].completed
    assert state.progress["left"].good_form_seconds < 30.0
    session.coach.skip_side()
    state = session.run(GOOD, DT)[-1]
    assert state.phase is Phase.DONE
    assert [e.kind for e in state.events] == ["exercise_done"]


def test_paused_coach_does_not_count():
    session = Session(short_hold(30.0))
    active(session)
    session.run(GOOD, 0.5)
    session.coach.set_paused(True)
    paused = session.run(GOOD, 1.0)
    assert all(s.cue == "Paused" and not s.counting for s in paused)
    seconds = {s.progress["left"].good_form_seconds for s in paused}
    assert len(seconds) == 1
    assert [e.text for e in session.events("cue", paused)] == ["Paused"]
    session.coach.set_paused(False)
    resumed = session.run(GOOD, 1.0)
    assert resumed[-1].counting and resumed[-1].cue is None
    assert resumed[-1].progress["left"].good_form_seconds == pytest.approx(seconds.pop() + 1.0 - DT, abs=1e-6)


def _setup_cue(image: np.ndarray | None, **observe) -> list[CoachState]:
    session = Session(short_hold())
    return session.run(image, 1.5, **observe)


def test_setup_cue_turn_side_on_in_a_front_view():
    states = _setup_cue(poses.kneeling("left", shoulder_width=130.0))
    assert all(s.phase is Phase.SETUP for s in states)
    assert states[-1].cue == "Turn side-on to the camera"


def test_setup_cue_step_back_when_the_feet_are_out_of_the_picture():
    image = poses.moved(poses.moved(GOOD, "left_ankle", 390.0, 490.0), "right_ankle", 200.0, 490.0)
    states = _setup_cue(image)
    assert all(s.phase is Phase.SETUP for s in states)
    assert states[-1].cue == "Step back so I can see your feet"
    hidden = poses.with_visibility(GOOD, "right_ankle", 0.05)
    assert _setup_cue(hidden)[-1].cue == "Step back so I can see your feet"


def test_setup_cue_whole_body_when_the_head_is_cut_off():
    image = poses.moved(GOOD, "nose", 330.0, -10.0)
    assert _setup_cue(image)[-1].cue == "Step back so I can see your whole body"


def test_setup_cue_more_than_one_person():
    states = _setup_cue(GOOD, people=2)
    assert all(s.phase is Phase.SETUP for s in states)
    assert states[-1].cue == "I can see more than one person: make sure only you are in the picture"


def test_setup_cue_too_dark():
    session = Session(short_hold())
    observation = dataclasses.replace(poses.observe(GOOD, 0.0), brightness=12.0)
    state = session.coach.update(session.engine.update(observation))
    assert state.phase is Phase.SETUP
    assert state.cue == "It's too dark for me to see you: turn on a light or face a window"


def test_a_brief_setup_problem_does_not_interrupt_the_hold():
    session = Session(short_hold(30.0))
    active(session)
    blip = session.run(GOOD, 0.5, people=2)
    assert all(s.phase is Phase.ACTIVE for s in blip)
    long = session.run(GOOD, 2.0, people=2)
    assert long[-1].phase is Phase.SETUP
    assert long[-1].cue == "I can see more than one person: make sure only you are in the picture"


def test_form_is_not_judged_while_moving_into_a_fault():
    """A jump from good form to a bent-out front knee is movement first: the check reads unknown until
    the body is still again; the fault is then dated from when the knee left its band."""
    session = Session(short_hold(30.0, judge_while_moving=False))
    session.run(STANDING, 1.5)
    session.run(GOOD, 1.0)
    start = session.t
    fault = session.run(FAULT, 1.5)
    moving = [s for s in fault if s.t < start + 0.1]
    assert moving and all(not s.counting and s.cue is None for s in moving)
    faults = session.events("fault", fault)
    assert len(faults) == 1 and faults[0].check == "front-knee"
    assert faults[0].t == pytest.approx(start + 0.5, abs=DT + 1e-9)


def test_a_blink_of_an_unseen_knee_inside_a_hold_costs_no_time():
    """A landmark the model loses for a few frames makes the checks unknown, not failing: the coach
    pauses the count and credits the blink once the knee is seen again in good form."""
    session = Session(short_hold(30.0))
    active(session)
    session.run(GOOD, 1.0)
    before = session.coach.progress()["left"].good_form_seconds
    blink = session.run(poses.with_visibility(GOOD, "left_knee", 0.0), 0.2)
    assert all(not s.counting for s in blink)
    after = session.run(GOOD, 0.5)
    assert after[-1].counting
    assert after[-1].progress["left"].good_form_seconds - before == pytest.approx(0.7, abs=1e-6)


# --- when the count starts -------------------------------------------------------------------------------


def test_a_still_correct_pose_counts_from_when_it_appeared():
    """Someone already still in good form when the coach starts (or steps into view that way): the set-up
    (a second), position and side gates confirm the hold late, and the time they took is credited then."""
    for before in (0.0, 1.0):
        session = Session(short_hold(30.0, judge_while_moving=False))
        if before:
            session.run(None, before)
        states = session.run(GOOD, 6.0)
        first = next(s for s in states if s.counting)
        assert first.t - before > 0.9  # the set-up gate alone takes a second
        assert first.progress["left"].good_form_seconds == pytest.approx(first.t - before, abs=0.2)
        assert states[-1].progress["left"].good_form_seconds == pytest.approx(6.0, abs=0.2)
        assert len(session.events("hold_started")) == 1


def test_time_before_a_hold_is_credited_only_while_the_form_was_right():
    # Faulty at first, then corrected: only the corrected time counts.
    session = Session(short_hold(30.0))
    session.run(FAULT, 2.0)
    states = session.run(GOOD, 3.0)
    assert states[-1].progress["left"].good_form_seconds == pytest.approx(3.0, abs=0.2)
    # Still while paused is not held: a pause's time is never credited afterwards.
    session = Session(short_hold(30.0))
    active(session)
    session.run(GOOD, 1.0)
    before = session.coach.progress()["left"].good_form_seconds
    session.coach.set_paused(True)
    session.run(GOOD, 2.0)
    session.coach.set_paused(False)
    session.run(GOOD, 1.0)
    assert session.coach.progress()["left"].good_form_seconds - before == pytest.approx(1.0 - DT, abs=1e-6)


def test_the_hold_onset_is_one_side_and_unbroken():
    from posecoach.rules.onset import HoldOnset

    onset = HoldOnset()
    assert [onset.update(t / 10, True, 0) for t in range(4)] == pytest.approx([0.0, 0.1, 0.2, 0.3])
    assert onset.update(0.4, True, 1) == 0.0  # the other leg in front: a new run
    assert onset.update(0.5, True, 1) == pytest.approx(0.1)
    assert onset.update(2.5, True, 1) == pytest.approx(0.1 + MAX_STEP)  # a stalled camera adds a step at most
    assert onset.update(2.6, False, 1) == 0.0 and onset.update(2.7, True, 1) == 0.0


def test_hold_timer_credits_a_lead_in_once_and_never_twice():
    timer = HoldTimer(10.0, 0.5)
    timer.update(0.0, True, lead_in=1.5)
    assert timer.seconds == pytest.approx(1.5) and timer.counting
    feed(timer, 0.1, 1.0, good=True)
    assert timer.seconds == pytest.approx(2.5)
    feed(timer, 1.1, 2.0, good=False)
    # A lead-in that reaches back into counted time is cut at the last counted frame.
    timer.update(2.1, True, lead_in=5.0)
    assert timer.seconds == pytest.approx(2.5 + 1.1)
