"""A phone's IP-camera app, as the tests need it: an MJPEG-over-HTTP stream served on the loopback address.

It serves the frames of a clip (JPEG-encoded once) at the clip's pace to each client, as such apps do
(`multipart/x-mixed-replace`), and then closes the connection: the stream drops. Bounded: it serves only
the frames it was given, listens on 127.0.0.1 only, and stops with its context.
"""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import numpy as np

BOUNDARY = b"frame"


def jpegs(frames: Sequence[np.ndarray]) -> list[bytes]:
    import cv2

    return [cv2.imencode(".jpg", frame, [cv2.IMWRITE_JPEG_QUALITY, 85])[1].tobytes() for frame in frames]


@contextmanager
def mjpeg_stream(pictures: Sequence[bytes], fps: float, path: str = "/video") -> Iterator[str]:
    """Serve `pictures` at `fps` on a loopback port; yields the stream's URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            if self.path != path:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", f"multipart/x-mixed-replace; boundary={BOUNDARY.decode()}")
            self.end_headers()
            start = time.monotonic()
            try:
                for i, picture in enumerate(pictures):
                    delay = start + i / fps - time.monotonic()
                    if delay > 0:
                        time.sleep(delay)
                    self.wfile.write(b"--" + BOUNDARY + b"\r\nContent-Type: image/jpeg\r\n"
                                     + b"Content-Length: %d\r\n\r\n" % len(picture) + picture + b"\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client went away

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's name
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="mjpeg-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{path}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
