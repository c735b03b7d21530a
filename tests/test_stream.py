"""A phone as the camera: --camera takes a stream URL, read with the newest-frame capture; a stream that drops
is a lost camera (the session saved, exit 6). The stream is served by the test itself, on the loopback address."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import numpy as np
import pytest

from posecoach.capture import StreamCamera, is_stream, open_camera, redacted
from posecoach.cli import main
from posecoach.errors import DeviceError, ExitCode
from posecoach.history.store import History
from tests.clips import read_video
from tests.conftest import SAMPLES
from tests.streams import jpegs, mjpeg_stream

CLIP = SAMPLES / "kneeling-hip-flexor_good_side.mp4"


def _frames(start: int, stop: int, step: int = 1) -> list[np.ndarray]:
    if not CLIP.is_file():
        pytest.skip(f"{CLIP.name} not generated yet (python -m posecoach.synth sample_videos)")
    return read_video(CLIP, stop)[start::step]


@pytest.fixture(scope="module")
def pictures() -> list[bytes]:
    """A second and a half of the clip as the JPEG frames a phone sends."""
    return jpegs(_frames(0, 45))


def test_stream_urls_are_told_from_indices_and_files(tmp_path: Path) -> None:
    assert is_stream("http://192.168.1.20:8080/video") and is_stream("RTSP://phone.local:8554/live")
    assert not is_stream("0") and not is_stream(str(tmp_path / "clip.mp4"))
    assert isinstance(open_camera("http://192.168.1.20:8080/video"), StreamCamera)
    assert redacted("rtsp://me:secret@192.168.1.20:8554/live") == "rtsp://me:***@192.168.1.20:8554/live"
    assert open_camera("rtsp://me:secret@phone:8554/x").name == "rtsp://me:***@phone:8554/x"
    with pytest.raises(DeviceError, match=r"neither a camera index .* a stream URL \(http://, https://, rtsp://"):
        open_camera("ftp://phone/video")


def test_a_stream_is_read_newest_frame_first_and_dropping_is_a_lost_camera(pictures: list[bytes]) -> None:
    with mjpeg_stream(pictures, fps=30) as url, StreamCamera(url, stall_seconds=0.5) as camera:
        frames = []
        with pytest.raises(DeviceError) as lost:
            for frame in camera:
                frames.append(frame)
                time.sleep(0.1)  # a coach slower than the phone: older pictures are dropped, not queued
    assert len(frames) >= 5 and camera.dropped > 0
    assert frames[0].image.shape == (480, 640, 3)
    assert all(b.t > a.t and b.index > a.index for a, b in zip(frames, frames[1:]))
    assert any(b.index - a.index > 1 for a, b in zip(frames, frames[1:]))
    assert camera.grabbed_at(frames[-1].index) is not None
    message = str(lost.value)
    assert message == f"--camera {url}: the stream stopped sending pictures for 0.5 s; " + message.split("; ", 1)[1]
    assert "same network" in message and "\n" not in message


def test_a_stream_that_does_not_answer_is_one_line_with_the_device_code(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]  # nothing listens here once the socket is closed
    start = time.monotonic()
    code = main(["coach", "kneeling-hip-flexor", "--camera", f"http://127.0.0.1:{port}/video", "--no-voice"])
    err = capsys.readouterr().err
    assert code == ExitCode.DEVICE and time.monotonic() - start < 15
    assert err.count("\n") == 1
    assert err.startswith(f"posecoach: error: --camera http://127.0.0.1:{port}/video: the stream does not open; ")


@pytest.mark.slow
def test_coaching_from_a_phone_stream_that_drops_saves_the_session_and_exits_6(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Set-up, then the left side held in good form from about 2.1 s; the phone stops after 5 s.
    pictures = jpegs(_frames(0, 150, 3))
    with mjpeg_stream(pictures, fps=10) as url:
        code = main(["coach", "kneeling-hip-flexor", "--camera", url, "--model", "lite", "--data-dir", str(tmp_path),
                     "--no-voice", "--no-tones"])
    err = capsys.readouterr().err
    assert code == ExitCode.DEVICE, err
    assert err.count("\n") == 1 and "the stream stopped sending pictures" in err
    with History.open(tmp_path) as history:
        (session,) = history.sessions()
    assert session.source == url and session.ended_at is not None
    assert session.sides["left"].good_form_seconds > 1.0
