"""Live frame sources: a camera, a network stream (a phone's IP-camera app), or a video file played as if it
were a camera.

Each source reads in a thread of its own and keeps only the newest frame, so a coach that is slower than
the camera never falls behind: it always gets the latest picture and older ones are dropped. Timestamps are
set once, at the edge: a camera or stream frame's `t` is the monotonic clock when it was grabbed, relative
to the start; a file frame's `t` is the file's own timestamp. `grabbed_at(index)` gives the monotonic time a frame
was captured (or released, for a file), so a display can measure its latency.
"""

from __future__ import annotations

import collections
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

import numpy as np

from posecoach.errors import DeviceError, InputError
from posecoach.frames import VideoFile
from posecoach.native import native_stderr_silenced
from posecoach.records import Frame

#: No new frame for this long means the camera has stopped.
STALL_SECONDS = 2.0
#: Camera indices tried when telling the user which cameras work.
PROBE_INDICES = range(6)
#: The size asked of a camera (it may give another).
CAMERA_SIZE = (640, 480)
#: How many recent capture times are kept for latency measurement.
KEPT_TIMES = 256


class Device(Protocol):
    """The part of `cv2.VideoCapture` a camera uses (tests pass a fake)."""

    def isOpened(self) -> bool: ...  # noqa: N802 - OpenCV's name

    def read(self) -> tuple[bool, Any]: ...

    def set(self, prop: int, value: float) -> bool: ...

    def release(self) -> None: ...


class LiveSource(Protocol):
    """What the live loop reads: frames, plus when each was captured."""

    @property
    def name(self) -> str: ...

    @property
    def realtime(self) -> bool:
        """True when frames come at the pace of the world (a camera), so that a consumer slower than the
        source had better drop one than fall behind; False when every frame waits to be taken (tests)."""
        ...

    def __iter__(self) -> Iterator[Frame]: ...

    def grabbed_at(self, index: int) -> float | None: ...


class LatestFrame:
    """A one-slot mailbox between a reading thread and the consumer: a new frame replaces an unread one."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._frame: Frame | None = None
        self._ended = False
        self._error: BaseException | None = None
        self._times: collections.OrderedDict[int, float] = collections.OrderedDict()
        self.dropped = 0

    def put(self, frame: Frame, grabbed: float) -> None:
        with self._cond:
            if self._frame is not None:
                self.dropped += 1
            self._frame = frame
            self._times[frame.index] = grabbed
            while len(self._times) > KEPT_TIMES:
                self._times.popitem(last=False)
            self._cond.notify_all()

    def end(self, error: BaseException | None = None) -> None:
        with self._cond:
            self._ended = True
            self._error = error
            self._cond.notify_all()

    def take(self, timeout: float) -> Frame | None:
        """The newest unread frame; None when the source ended; raises TimeoutError when none came in time."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._frame is None:
                if self._ended:
                    if self._error is not None:
                        raise self._error
                    return None
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                self._cond.wait(left)
            frame, self._frame = self._frame, None
            return frame

    def grabbed_at(self, index: int) -> float | None:
        with self._cond:
            return self._times.get(index)


def working_cameras(
    indices: range = PROBE_INDICES, opener: Callable[[int], Device] | None = None, skip: int | None = None
) -> list[int]:
    """The camera indices that open and give a picture (`skip`: one known not to, left out)."""
    found = []
    for index in indices:
        if index == skip:
            continue
        device = _open_device(index, opener)
        try:
            if device.isOpened() and device.read()[0]:
                found.append(index)
        finally:
            device.release()
    return found


def _open_device(index: int, opener: Callable[[int], Device] | None) -> Device:
    if opener is not None:
        return opener(index)
    import cv2

    with native_stderr_silenced():
        return cv2.VideoCapture(index)  # type: ignore[return-value]


def _cameras_hint(found: list[int]) -> str:
    if not found:
        return "no camera opens on this computer (indices 0-5 tried); plug one in or pass --camera PATH of a video"
    return f"cameras that open: {', '.join(map(str, found))}; pass --camera N"


class _SlotReader:
    """What the two threaded sources share: a `LatestFrame` slot the reading thread fills."""

    _slot: LatestFrame

    def grabbed_at(self, index: int) -> float | None:
        return self._slot.grabbed_at(index)

    @property
    def dropped(self) -> int:
        return self._slot.dropped


class _DeviceReader(_SlotReader):
    """What a webcam and a network stream share: a device read in a thread of its own into the newest-frame
    slot, frames timed by the monotonic clock at grab, and a device that stops giving pictures for
    `stall_seconds` ending the iteration with a `DeviceError` (a lost camera)."""

    def __init__(self, stall_seconds: float) -> None:
        self._stall = stall_seconds
        self._device: Device | None = None
        self._slot = LatestFrame()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._origin = 0.0

    def _failed(self, what: str) -> DeviceError:
        """The error for a device that `what` ("gave no picture", "stopped sending pictures for 2 s")."""
        raise NotImplementedError

    #: How long one read may block (the reading thread is joined for that long before the device is released).
    _read_blocks = 0.5

    def _start(self, device: Device) -> None:
        self._device = device
        self._origin = time.monotonic()
        self._thread = threading.Thread(target=self._read, name=f"read-{self.name}", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        device = self._device
        assert device is not None
        index = 0
        while not self._stop.is_set():
            ok, image = device.read()
            grabbed = time.monotonic()
            if not ok or image is None:
                # A device that hiccups may come back; one that does not is caught by the consumer's timeout.
                self._stop.wait(0.01)
                continue
            self._slot.put(Frame(index, grabbed - self._origin, np.ascontiguousarray(image)), grabbed)
            index += 1

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=self._read_blocks + 1.0)
        if self._device is not None and not (self._thread is not None and self._thread.is_alive()):
            # Never release a device a read is still blocked in; the daemon thread ends with the process.
            self._device.release()
        self._device = None

    def __iter__(self) -> Iterator[Frame]:
        if self._device is None:
            raise RuntimeError(f"{type(self).__name__} must be opened with `with` before reading")
        first = True
        while True:
            try:
                # The first picture may take a while (exposure settling), later ones must keep coming.
                frame = self._slot.take(self._stall * (3 if first else 1))
            except TimeoutError:
                what = "gave no picture" if first else f"stopped sending pictures for {self._stall:g} s"
                raise self._failed(what) from None
            if frame is None:
                return
            first = False
            yield frame

    @property
    def name(self) -> str:
        raise NotImplementedError

    @property
    def realtime(self) -> bool:
        """A device (a webcam, a phone's stream) gives pictures at the pace of the world."""
        return True


class Camera(_DeviceReader):
    """A webcam by index; open with `with`. Iterating ends only by error (DeviceError when it stops)."""

    def __init__(
        self,
        index: int,
        *,
        size: tuple[int, int] = CAMERA_SIZE,
        stall_seconds: float = STALL_SECONDS,
        opener: Callable[[int], Device] | None = None,
    ) -> None:
        super().__init__(stall_seconds)
        self.index = index
        self._size = size
        self._opener = opener

    @property
    def name(self) -> str:
        return f"camera {self.index}"

    def __enter__(self) -> Camera:
        import cv2

        device = _open_device(self.index, self._opener)
        if not device.isOpened():
            device.release()
            hint = _cameras_hint(working_cameras(opener=self._opener, skip=self.index))
            raise DeviceError(f"--camera {self.index}: this camera does not open; {hint}")
        device.set(cv2.CAP_PROP_FRAME_WIDTH, self._size[0])
        device.set(cv2.CAP_PROP_FRAME_HEIGHT, self._size[1])
        # Ask the driver for the shortest queue it has, so what is read is recent.
        device.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        self._start(device)
        return self

    def _failed(self, what: str) -> DeviceError:
        hint = _cameras_hint(working_cameras(opener=self._opener, skip=self.index))
        return DeviceError(f"--camera {self.index}: the camera {what}; {hint}")


#: The URL schemes of the streams a phone's IP-camera app serves (MJPEG or H.264 over HTTP, RTSP).
STREAM_SCHEMES = ("http", "https", "rtsp", "rtsps")
#: How long opening a stream, and one read from it, may take before the stream counts as unreachable.
STREAM_TIMEOUT = 5.0
STREAM_HINT = ("check that the phone's camera app is serving, that the phone and this computer are on the same "
               "network, and the address the app shows")


def is_stream(choice: str) -> bool:
    return urllib.parse.urlsplit(choice).scheme.lower() in STREAM_SCHEMES


def redacted(url: str) -> str:
    """The URL without its password (IP-camera apps can require one), for messages and the history."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


class StreamCamera(_DeviceReader):
    """A network camera (a phone's IP-camera app) by URL, read through OpenCV's FFmpeg backend with the same
    newest-frame capture as a webcam; open with `with`. A stream that drops is a lost camera: DeviceError.

    The address is the user's: it is the only network posecoach touches, and only because it was asked to.
    """

    def __init__(self, url: str, *, stall_seconds: float = STALL_SECONDS, timeout: float = STREAM_TIMEOUT,
                 opener: Callable[[str], Device] | None = None) -> None:
        super().__init__(stall_seconds)
        self.url = url
        self._timeout = timeout
        self._opener = opener
        self._read_blocks = timeout

    @property
    def name(self) -> str:
        return redacted(self.url)

    def __enter__(self) -> StreamCamera:
        device = self._open()
        if not device.isOpened():
            device.release()
            raise DeviceError(f"--camera {self.name}: the stream does not open; {STREAM_HINT}")
        self._start(device)
        return self

    def _open(self) -> Device:
        if self._opener is not None:
            return self._opener(self.url)
        import os

        import cv2

        # FFmpeg prints a line when a stream ends (from the reading thread, where fd 2 cannot be silenced
        # safely); quiet it unless the user asked for its logs. It takes effect when OpenCV first loads FFmpeg.
        os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
        milliseconds = int(self._timeout * 1000)
        with native_stderr_silenced():
            return cv2.VideoCapture(self.url, cv2.CAP_FFMPEG, [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, milliseconds,
                                                               cv2.CAP_PROP_READ_TIMEOUT_MSEC, milliseconds])

    def _failed(self, what: str) -> DeviceError:
        return DeviceError(f"--camera {self.name}: the stream {what}; {STREAM_HINT}")


class FileCamera(_SlotReader):
    """A video file played as a camera: in real time at its own pace (`speed` times faster), newest frame
    only, with the file's own timestamps. `speed=None` hands over every frame as fast as it is taken (tests).
    `loop` plays the file again and again, timestamps continuing."""

    def __init__(self, path: Path, *, speed: float | None = 1.0, loop: bool = False) -> None:
        if speed is not None and speed <= 0:
            raise ValueError(f"speed must be positive, got {speed}")
        self.path = Path(path)
        self._speed = speed
        self._loop = loop
        self._slot = LatestFrame()
        self._stop = threading.Event()
        self._taken = threading.Semaphore(1)
        self._thread: threading.Thread | None = None
        self._opened = False

    @property
    def name(self) -> str:
        return str(self.path)

    @property
    def realtime(self) -> bool:
        return self._speed is not None

    def __enter__(self) -> FileCamera:
        # Open once here so a missing or broken file fails at once, with VideoFile's message.
        try:
            with VideoFile(self.path):
                pass
        except InputError as error:
            raise DeviceError(f"--camera {error}") from None
        self._opened = True
        self._thread = threading.Thread(target=self._play, name="file-camera", daemon=True)
        self._thread.start()
        return self

    def _play(self) -> None:
        origin = time.monotonic()
        offset = 0.0
        index = 0
        try:
            while not self._stop.is_set():
                last = offset
                with VideoFile(self.path) as video:
                    step = 1.0 / video.fps
                    for frame in video:
                        if self._stop.is_set():
                            return
                        t = offset + frame.t
                        if self._speed is None:
                            self._taken.acquire()  # wait until the previous frame was taken: none dropped
                        else:
                            delay = origin + t / self._speed - time.monotonic()
                            if delay > 0 and self._stop.wait(delay):
                                return
                        self._slot.put(Frame(index, t, frame.image), time.monotonic())
                        index += 1
                        last = t
                if not self._loop:
                    break
                offset = last + step
            self._slot.end()
        except InputError as error:
            # A video that stops mid-file is, for the session, a camera that stopped.
            self._slot.end(DeviceError(f"--camera {error}"))
        except BaseException as error:  # noqa: BLE001 - raised again in the consumer
            self._slot.end(error)

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop.set()
        self._taken.release()
        if self._thread is not None:
            self._thread.join(timeout=2.0)

    def __iter__(self) -> Iterator[Frame]:
        if not self._opened:
            raise RuntimeError("FileCamera must be opened with `with` before reading")
        while True:
            try:
                frame = self._slot.take(STALL_SECONDS * 5)
            except TimeoutError:
                raise DeviceError(f"--camera {self.path}: the video stopped giving pictures") from None
            if frame is None:
                return
            if self._speed is None:
                self._taken.release()
            yield frame


def open_camera(choice: str, *, speed: float | None = 1.0, loop: bool = False) -> Camera | StreamCamera | FileCamera:
    """`--camera N` (an index), `--camera URL` (a stream: http, https, rtsp) or `--camera PATH` (a video
    played as a camera); not yet opened."""
    if choice.isdigit():
        return Camera(int(choice))
    if is_stream(choice):
        return StreamCamera(choice)
    path = Path(choice).expanduser()
    if not path.exists():
        raise DeviceError(f"--camera {redacted(choice)}: neither a camera index (0, 1, ...), a stream URL "
                          f"({', '.join(s + '://' for s in STREAM_SCHEMES)}) nor an existing video file")
    return FileCamera(path, speed=speed, loop=loop)
