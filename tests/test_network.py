"""Nothing posecoach does reaches the network: `review`, `check` and live coaching (a video file as the
camera) run under `strace -f`, which logs every socket call of the process and its threads and children;
any attempt to reach an address off this machine fails the test, and so does any name lookup (a DNS query
to any server, loopback resolvers included, or a request to a local name-service daemon)."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import cv2
import pytest

from tests.conftest import SAMPLES

STRACE = shutil.which("strace")
needs_strace = pytest.mark.skipif(STRACE is None, reason="strace is not installed (.ci/run installs it)")

#: Socket calls that address someone: their destination is what the test judges.
_CALL = re.compile(r"\b(connect|sendto|sendmsg|sendmmsg)\(")
_INET = re.compile(r'sin_port=htons\((\d+)\), sin_addr=inet_addr\("([\d.]+)"\)')
_INET6 = re.compile(r'sin6_port=htons\((\d+)\),.*?inet_pton\(AF_INET6, "([0-9a-fA-F:.]+)"')
_UNIX = re.compile(r'sun_path="([^"]*)"')
#: Local daemons that answer name lookups over a Unix socket.
_NAME_SERVICES = ("nscd", "resolve", "dnsmasq")
DNS_PORT = 53


def _loopback(address: str) -> bool:
    return address.startswith("127.") or address in ("::1", "::ffff:127.0.0.1")


def network_attempts(trace: str) -> list[str]:
    """The lines of an `strace -e trace=network` log that try to reach another machine or look up a name."""
    found = []
    for line in trace.splitlines():
        if not _CALL.search(line):
            continue
        unix = _UNIX.search(line)
        if unix is not None:
            if any(name in unix.group(1) for name in _NAME_SERVICES):
                found.append(line.strip())
            continue
        inet = _INET.search(line) or _INET6.search(line)
        if inet is None:
            continue
        port, address = int(inet.group(1)), inet.group(2)
        if port == DNS_PORT or not _loopback(address):
            found.append(line.strip())
    return found


def test_the_log_reader_flags_remote_addresses_and_name_lookups() -> None:
    trace = "\n".join([
        '101 connect(6, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16) = 0',
        '101 sendto(7, "\\0z", 37, MSG_NOSIGNAL, {sa_family=AF_INET, sin_port=htons(53), '
        'sin_addr=inet_addr("127.0.0.53")}, 16) = 37',
        '102 connect(8, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), '
        'inet_pton(AF_INET6, "2a00:1450:4001::200a", &sin6_addr), sin6_scope_id=0}, 28) = -1 EINPROGRESS',
        '103 connect(9, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT',
        '104 connect(9, {sa_family=AF_UNIX, sun_path="/tmp/.X11-unix/X0"}, 110) = 0',
        '105 connect(10, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr("127.0.0.1")}, 16) = 0',
        '106 socket(AF_INET, SOCK_DGRAM, IPPROTO_IP) = 3',
    ])
    flagged = network_attempts(trace)
    assert [line.split()[0] for line in flagged] == ["101", "101", "102", "103"]


def _traced(args: list[str], log: Path, env: dict[str, str], timeout: float = 300) -> str:
    """The network calls the command made; it must succeed (so the work it traced was really done)."""
    command = [STRACE, "-f", "-qq", "-e", "trace=network", "-o", str(log), *args]  # type: ignore[list-item]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{args}: exit {done.returncode}\n{done.stderr[-2000:]}"
    return log.read_text()


@needs_strace
def test_tracing_sees_a_connection(tmp_path: Path) -> None:
    """The trace does record a connection (to a listener of this test's own on loopback), so an empty
    finding below means no attempt, not a blind tracer."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        code = f"import socket; socket.create_connection(('127.0.0.1', {port})).close()"
        trace = _traced([sys.executable, "-c", code], tmp_path / "trace.log", dict(os.environ))
    assert f"sin_port=htons({port})" in trace
    assert network_attempts(trace) == []


def _short_clip(path: Path, frames: int = 120) -> Path:
    """The first seconds of the demo clip (the person is in view from the first frame)."""
    source = cv2.VideoCapture(str(SAMPLES / "kneeling-hip-flexor_good_side.mp4"))
    fps = source.get(cv2.CAP_PROP_FPS) or 30.0
    writer = None
    for _ in range(frames):
        ok, frame = source.read()
        if not ok:
            break
        if writer is None:
            height, width = frame.shape[:2]
            writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (width, height))
        writer.write(frame)
    source.release()
    assert writer is not None
    writer.release()
    return path


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _short_clip(tmp_path_factory.mktemp("clip") / "kneel.mp4")


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(POSECOACH_DATA_DIR=str(tmp_path / "data"), POSECOACH_CACHE_DIR=str(tmp_path / "cache"),
               SDL_VIDEODRIVER="dummy", SDL_AUDIODRIVER="dummy")
    return env


@needs_strace
@pytest.mark.slow
@pytest.mark.parametrize("command", ["review", "check", "coach"])
def test_no_command_reaches_the_network(command: str, clip: Path, tmp_path: Path) -> None:
    posecoach = [sys.executable, "-m", "posecoach"]
    args = {
        "review": [*posecoach, "review", str(clip), "--exercise", "kneeling-hip-flexor", "--out", str(tmp_path / "out")],
        "check": [*posecoach, "check", str(SAMPLES / "kneeling-hip-flexor_good_side.mp4"), "--no-cache"],
        "coach": [*posecoach, "coach", "kneeling-hip-flexor", "--camera", str(clip)],
    }[command]
    trace = _traced(args, tmp_path / "trace.log", _env(tmp_path))
    assert network_attempts(trace) == []
    if command == "review":
        assert (tmp_path / "out" / "result.json").is_file()
