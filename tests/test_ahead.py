"""Work run ahead in a thread: the pose worker behind any pose stage, and the helper under it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import numpy as np
import pytest

from posecoach.ahead import ahead
from posecoach.pipeline import observe, observe_ahead
from posecoach.records import Frame, Pose
from tests.poses import kneeling, world_of


def test_items_come_in_order_and_errors_after_the_items_before_them() -> None:
    def source() -> Iterator[int]:
        yield from range(5)
        raise ValueError("source broke")

    got: list[int] = []
    with pytest.raises(ValueError, match="source broke"):
        for item in ahead(source(), depth=2):
            got.append(item)
    assert got == [0, 1, 2, 3, 4]


def test_newest_only_drops_what_the_consumer_had_no_time_for() -> None:
    produced = threading.Event()

    def source() -> Iterator[int]:
        yield 0
        produced.wait(2.0)  # the consumer holds item 0 while 1..9 come
        yield from range(1, 10)

    got: list[int] = []
    for item in ahead(source(), newest_only=True):
        got.append(item)
        if item == 0:
            produced.set()
            time.sleep(0.3)
    assert got[0] == 0 and got[-1] == 9, "the last item is never dropped"
    assert got == sorted(got) and len(got) < 10


def test_closing_stops_the_producer_and_frees_its_source() -> None:
    taken: list[int] = []
    busy = threading.Lock()

    def source() -> Iterator[int]:
        for i in range(1000):
            with busy:  # held while the source is in use by the producer's thread
                taken.append(i)
            yield i
            time.sleep(0.001)

    items = ahead(source(), depth=2)
    assert next(items) == 0
    items.close()  # type: ignore[attr-defined]
    count = len(taken)
    time.sleep(0.05)
    assert len(taken) == count < 1000, "the producer stopped"
    assert busy.acquire(blocking=False), "and no longer holds its source"


class CountingStage:
    """A pose stage that is not MediaPipe: one fixed person, found in every other frame; it records the
    thread and order of its calls."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, float]] = []
        self.threads: set[str] = set()
        self._pose = Pose(kneeling(), world_of(kneeling()))

    def detect_all(self, rgb: np.ndarray, t: float) -> list[Pose]:
        self.calls.append(("detect", t))
        self.threads.add(threading.current_thread().name)
        assert rgb[0, 0, 0] == 30 and rgb[0, 0, 2] == 10, "RGB, not BGR"
        return [self._pose] if round(t * 10) % 2 == 0 else []

    def follow(self, people: list[Pose]) -> Pose | None:
        return people[0] if people else None

    def people_in_view(self, rgb: np.ndarray, t: float) -> int:
        return 2 if t >= 0.5 else 0


def frames(count: int) -> list[Frame]:
    image = np.zeros((48, 64, 3), np.uint8)
    image[..., 0], image[..., 2] = 10, 30  # BGR
    return [Frame(i, i / 10, image) for i in range(count)]


def test_the_pose_worker_gives_what_the_pose_stage_gives_in_order_from_its_own_thread() -> None:
    inline, worker = CountingStage(), CountingStage()
    expected = list(observe(frames(12), inline, keep_images=False))
    got = list(observe_ahead(frames(12), worker, keep_images=False))
    assert [(o.index, o.t, o.pose is not None, o.people) for o in got] == \
        [(o.index, o.t, o.pose is not None, o.people) for o in expected]
    assert worker.calls == inline.calls == [("detect", i / 10) for i in range(12)]
    assert worker.threads == {"pose-worker"}
    assert got[6].people == 2 and got[0].people == 1
