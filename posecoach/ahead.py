"""Running an iterator in a thread of its own, ahead of its consumer.

Two ways to hand items over: a short queue the producer waits on when it is full (a review: every frame
counts), or one slot where a new item replaces one not yet taken (live coaching: the newest is what
matters, an older one is dropped). Either way the items keep their order, an error of the producer is
raised in the consumer after the items before it, and closing the consumer stops the producer and waits
for it, so that the source it reads is free again.
"""

from __future__ import annotations

import os
import queue
import sys
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")

_END = object()
#: How much lower than the pose stage a helper thread is scheduled (a nice value, Linux).
BACKGROUND_NICE = 10
#: How often a waiting producer or consumer looks whether it has been told to stop (seconds).
POLL = 0.05


def yield_cores() -> None:
    """Schedule the calling thread below the others (Linux, where a nice value is per thread), so that
    the pose stage, which every frame waits for, gets a core first; a helper that only has to keep up
    (decoding ahead, encoding behind) catches up in the gaps. Elsewhere it does nothing."""
    if sys.platform.startswith("linux"):
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICE)
        except OSError:
            pass


def _plain(item: object) -> bool:
    return item is not _END and not isinstance(item, BaseException)


class _Slot:
    """One item at a time; `put` replaces an item not yet taken and never waits."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._items: list[object] = []
        self.dropped = 0

    def put(self, item: object) -> None:
        """Hand over `item`; an item not yet taken is dropped for it, but never for the end or an error."""
        with self._cond:
            if self._items and _plain(item) and _plain(self._items[-1]):
                self._items.pop()
                self.dropped += 1
            self._items.append(item)
            self._cond.notify_all()

    def get(self, timeout: float) -> object:
        with self._cond:
            if not self._items and not self._cond.wait(timeout):
                raise queue.Empty
            return self._items.pop(0)


def ahead(items: Iterable[T], depth: int = 4, *, newest_only: bool = False, name: str = "ahead",
          background: bool = False) -> Iterator[T]:
    """`items`, produced in a thread named `name`: up to `depth` ahead, or (`newest_only`) only the newest;
    a `background` producer is scheduled below the pose stage (`yield_cores`)."""
    buffer: queue.Queue[object] | _Slot = _Slot() if newest_only else queue.Queue(maxsize=max(1, depth))
    stop = threading.Event()

    def put(item: object) -> bool:
        while not stop.is_set():
            try:
                buffer.put(item, timeout=POLL) if isinstance(buffer, queue.Queue) else buffer.put(item)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        if background:
            yield_cores()
        try:
            for item in items:
                if stop.is_set() or not put(item):
                    return
            put(_END)
        except BaseException as error:  # noqa: BLE001 - re-raised in the consumer
            put(error)

    worker = threading.Thread(target=produce, name=name, daemon=True)
    worker.start()
    try:
        while True:
            try:
                item = buffer.get(timeout=POLL)
            except queue.Empty:
                if not worker.is_alive():
                    return  # stopped without a word: nothing more will come
                continue
            if item is _END:
                return
            if isinstance(item, BaseException):
                raise item
            yield item  # type: ignore[misc]
    finally:
        stop.set()
        # The producer notices within one poll, or once its source hands over the next item.
        worker.join()
