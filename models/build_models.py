#!/usr/bin/env python3
"""Rebuild the MediaPipe pose landmarker bundles in this folder, byte for byte.

mediapipe>=1.2 only runs the Tasks API, whose PoseLandmarker wants a `.task` bundle: a zip holding
`pose_detector.tflite` and `pose_landmarks_detector.tflite`, each carrying TFLite metadata that
declares the input normalization. This script assembles such bundles from the models Google
published in two registry packages (see README.md beside it for provenance and licence):

    python models/build_models.py                 # lite and full, into this folder
    python models/build_models.py heavy           # only heavy
    python models/build_models.py lite --pose-tgz mediapipe-pose-0.5.1675469404.tgz

This top-level process uses the standard library only. The metadata writer comes from
mediapipe==0.10.21 (the writer of mediapipe 1.2 cannot be imported), which runs in a helper venv
cached under ~/.cache/posecoach, or in the interpreter given with --writer-python.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

POSE_NPM_SPEC = "@mediapipe/pose@0.5.1675469404"
WRITER_MEDIAPIPE_VERSION = "0.10.21"
# flatbuffers serialises the metadata, so its version is pinned along with mediapipe to keep
# a rebuild on another machine writing the same bytes.
WRITER_REQUIREMENTS = (f"mediapipe=={WRITER_MEDIAPIPE_VERSION}", "flatbuffers==25.12.19")

DETECTOR_WHEEL_MEMBER = "mediapipe/modules/pose_detection/pose_detection.tflite"
# Same bytes in the Linux and macOS wheels of mediapipe 0.10.21.
DETECTOR_SHA256 = "9ba9dd3d42efaaba86b4ff0122b06f29c4122e756b329d89dca1e297fd8f866c"
LANDMARK_SHA256 = {
    "lite": "f17bfbecadb61c3be1baa8b8d851cc6619c870a87167b32848ad20db306b9d61",
    "full": "e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f",
    "heavy": "59e42d71bcd44cbdbabc419f0ff76686595fd265419566bd4009ef703ea8e1fe",
}
VARIANTS = tuple(LANDMARK_SHA256)
DEFAULT_VARIANTS = ("lite", "full")

# MediaPipe's own graphs feed the BlazePose detector pixels scaled to [-1, 1] and the landmark
# models [0, 1] (pose_detection_cpu.pbtxt, pose_landmark_by_roi_cpu.pbtxt); the Tasks API takes
# the range from the metadata, stated as (pixel - mean) / std.
DETECTOR_NORM = (127.5, 127.5)
LANDMARKS_NORM = (0.0, 255.0)

# Fixed zip entry attributes: a timestamp, permissions and host system that do not depend on
# when or where the build ran.
ZIP_DATE_TIME = (1980, 1, 1, 0, 0, 0)
ZIP_FILE_MODE = 0o644
ZIP_UNIX_SYSTEM = 3
# Like MediaPipe's own bundler, members are stored uncompressed at aligned offsets so that the
# runtime can use them in place; the padding goes into an extra field (the id zipalign uses)
# rather than as stray bytes between entries.
ZIP_ALIGNMENT = 64
ZIP_ALIGN_EXTRA_ID = 0xD935
ZIP_LOCAL_HEADER_SIZE = 30

# Runs inside the writer interpreter. Kept as text so that this file stays a single standalone
# script; errors are reported as one line on stderr with exit status 3.
WRITER_HELPER = r'''
import sys

def main() -> None:
    import mediapipe
    from importlib.metadata import version
    if sys.argv[1] == "version":
        print(version("mediapipe"))
        return
    from mediapipe.tasks.python.metadata.metadata_writers import metadata_writer
    _, src, dst, name, description, mean, std = sys.argv[1:]
    with open(src, "rb") as f:
        writer = metadata_writer.MetadataWriter.create(bytearray(f.read()))
    writer.add_general_info(name, description)
    writer.add_image_input(norm_mean=[float(mean)], norm_std=[float(std)])
    model, _ = writer.populate()
    with open(dst, "wb") as f:
        f.write(model)

try:
    main()
except Exception as exc:
    print(f"{type(exc).__name__}: {exc}".splitlines()[0], file=sys.stderr)
    sys.exit(3)
'''


class BuildError(Exception):
    """An expected failure, reported as one line without a traceback."""


@dataclass(frozen=True)
class Options:
    variants: tuple[str, ...]
    out_dir: Path
    pose_tgz: Path | None
    mediapipe_wheel: Path | None
    writer_python: str | None


def parse_args(argv: Sequence[str]) -> Options:
    parser = argparse.ArgumentParser(
        description="Build the pose landmarker .task bundles reproducibly.")
    parser.add_argument("variants", nargs="*", metavar="{lite,full,heavy}",
                        help="which bundles to build (default: lite full)")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                        help="output folder (default: the folder holding this script)")
    parser.add_argument("--pose-tgz", type=Path,
                        help=f"an already downloaded `npm pack {POSE_NPM_SPEC}` tarball")
    parser.add_argument("--mediapipe-wheel", type=Path,
                        help=f"a mediapipe=={WRITER_MEDIAPIPE_VERSION} wheel to take the detector"
                             " from (default: the writer's installed copy)")
    parser.add_argument("--writer-python", metavar="PYTHON",
                        help=f"a Python with mediapipe=={WRITER_MEDIAPIPE_VERSION} installed"
                             " (default: a helper venv made in the cache folder)")
    args = parser.parse_args(argv)
    unknown = sorted(set(args.variants) - set(VARIANTS))
    if unknown:
        parser.error(f"unknown variant {unknown[0]!r} (choose from {', '.join(VARIANTS)})")
    # De-duplicate but build in the fixed VARIANTS order.
    variants = tuple(v for v in VARIANTS if v in (args.variants or DEFAULT_VARIANTS))
    return Options(variants, args.out, args.pose_tgz, args.mediapipe_wheel, args.writer_python)


def run(cmd: Sequence[str], what: str, cwd: Path | None = None) -> str:
    """Runs a command and returns its stdout; any failure becomes a one-line BuildError."""
    try:
        proc = subprocess.run(list(cmd), cwd=cwd, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise BuildError(f"{what}: cannot run `{cmd[0]}` ({exc.strerror})") from None
    if proc.returncode != 0:
        detail = error_line(proc.stderr) or f"exit status {proc.returncode}"
        raise BuildError(f"{what} failed: {detail}")
    return proc.stdout


def error_line(stderr: str) -> str:
    """Picks the line of a tool's stderr that says what went wrong."""
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip()]
    # npm prints `npm error code X`, `errno`, `syscall` first and a log-file hint last; the
    # message is the first line after those.
    noise = ("npm error code ", "npm error errno ", "npm error syscall ", "npm error A complete log")
    for line in lines:
        if line.startswith("npm error ") and not line.startswith(noise):
            return line.removeprefix("npm error ")
    # pip's verdict is its last ERROR: line; the writer helper prints a single line.
    pip_errors = [ln for ln in lines if ln.startswith("ERROR:")]
    return (pip_errors or lines or [""])[-1]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def check_sha256(data: bytes, expected: str, what: str) -> bytes:
    # The recorded hashes pin the upstream inputs: a republished or corrupted file stops the build
    # instead of silently producing a different bundle.
    actual = sha256(data)
    if actual != expected:
        raise BuildError(f"{what} has sha256 {actual}, expected {expected}")
    return data


def fetch_pose_tgz(work: Path) -> Path:
    run(["npm", "pack", POSE_NPM_SPEC, "--loglevel=error"], f"npm pack {POSE_NPM_SPEC}", cwd=work)
    tarballs = sorted(work.glob("*.tgz"))
    if len(tarballs) != 1:
        raise BuildError(f"npm pack {POSE_NPM_SPEC} produced no tarball")
    return tarballs[0]


def read_landmark_models(tgz: Path, variants: Sequence[str]) -> dict[str, bytes]:
    models: dict[str, bytes] = {}
    try:
        with tarfile.open(tgz, "r:gz") as tar:
            for variant in variants:
                member = f"package/pose_landmark_{variant}.tflite"
                handle = tar.extractfile(member)
                if handle is None:
                    raise BuildError(f"{tgz}: {member} is not a regular file")
                models[variant] = check_sha256(handle.read(), LANDMARK_SHA256[variant],
                                               f"{tgz.name}:{member}")
    except KeyError as exc:
        raise BuildError(f"{tgz}: no member {exc}") from None
    except (OSError, tarfile.TarError) as exc:
        raise BuildError(f"cannot read {tgz}: {exc}") from None
    return models


def read_detector_from_wheel(wheel: Path) -> bytes:
    try:
        with zipfile.ZipFile(wheel) as zf:
            data = zf.read(DETECTOR_WHEEL_MEMBER)
    except KeyError:
        raise BuildError(f"{wheel}: no member {DETECTOR_WHEEL_MEMBER}") from None
    except (OSError, zipfile.BadZipFile) as exc:
        raise BuildError(f"cannot read {wheel}: {exc}") from None
    return check_sha256(data, DETECTOR_SHA256, f"{wheel.name}:{DETECTOR_WHEEL_MEMBER}")


def read_detector_from_writer(writer_python: str) -> bytes:
    # The writer venv installed the very wheel the detector ships in, so no second download.
    code = ("import importlib.util, os; "
            "print(os.path.join(importlib.util.find_spec('mediapipe').submodule_search_locations[0],"
            f" {DETECTOR_WHEEL_MEMBER.split('/', 1)[1]!r}))")
    path = Path(run([writer_python, "-c", code], "locating the installed mediapipe").strip())
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BuildError(f"cannot read {path}: {exc.strerror}") from None
    return check_sha256(data, DETECTOR_SHA256, str(path))


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")


def base_python_for_writer() -> str:
    # mediapipe 0.10.21 publishes wheels for CPython 3.9 to 3.12 only.
    if (3, 9) <= sys.version_info[:2] <= (3, 12):
        return sys.executable
    for name in ("python3.12", "python3.11", "python3.10", "python3.9"):
        found = shutil.which(name)
        if found:
            return found
    raise BuildError(f"mediapipe=={WRITER_MEDIAPIPE_VERSION} needs Python 3.9-3.12; none found"
                     " (pass --writer-python)")


def writer_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "posecoach" / f"model-writer-mediapipe-{WRITER_MEDIAPIPE_VERSION}"


def ensure_writer_venv(venv: Path) -> str:
    """Creates (once) a venv with the pinned metadata writer and returns its interpreter."""
    ready = venv / ".posecoach-ready"
    python = venv_python(venv)
    if ready.is_file() and python.exists():
        return str(python)
    # A venv cannot be moved into place after creation (its paths are baked in), so an
    # interrupted install is detected by the missing marker and started over.
    shutil.rmtree(venv, ignore_errors=True)
    venv.parent.mkdir(parents=True, exist_ok=True)
    print(f"creating the metadata writer venv in {venv} (one time)", file=sys.stderr)
    run([base_python_for_writer(), "-m", "venv", str(venv)], "creating the writer venv")
    run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
         *WRITER_REQUIREMENTS], f"pip install {' '.join(WRITER_REQUIREMENTS)}")
    ready.write_text(" ".join(WRITER_REQUIREMENTS) + "\n")
    return str(python)


def check_writer_version(writer_python: str, helper: Path) -> None:
    version = run([writer_python, str(helper), "version"], "importing mediapipe in the writer").strip()
    if version != WRITER_MEDIAPIPE_VERSION:
        raise BuildError(f"{writer_python} has mediapipe {version},"
                         f" need mediapipe=={WRITER_MEDIAPIPE_VERSION}")


def add_metadata(writer_python: str, helper: Path, work: Path, model: bytes, name: str,
                 description: str, norm: tuple[float, float]) -> bytes:
    src, dst = work / "in.tflite", work / "out.tflite"
    src.write_bytes(model)
    run([writer_python, str(helper), "write", str(src), str(dst), name, description,
         repr(norm[0]), repr(norm[1])], f"writing metadata for {name}")
    return dst.read_bytes()


def align_extra(offset: int, name: bytes) -> bytes:
    """Extra field that pads a member's data to start at a multiple of ZIP_ALIGNMENT."""
    # Field layout: id, size, then the alignment (as zipalign writes it) and zero padding.
    fixed = ZIP_LOCAL_HEADER_SIZE + len(name) + 6
    padding = -(offset + fixed) % ZIP_ALIGNMENT
    return struct.pack("<HHH", ZIP_ALIGN_EXTRA_ID, 2 + padding, ZIP_ALIGNMENT) + bytes(padding)


def bundle(members: Sequence[tuple[str, bytes]], path: Path) -> None:
    """Writes a zip whose bytes depend only on the members' names, order and contents."""
    with open(path, "wb") as f, zipfile.ZipFile(f, "w", compression=zipfile.ZIP_STORED) as zf:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = ZIP_UNIX_SYSTEM
            info.external_attr = (0o100000 | ZIP_FILE_MODE) << 16
            info.extra = align_extra(f.tell(), name.encode("ascii"))
            zf.writestr(info, data)


def write_bundle_atomically(members: Sequence[tuple[str, bytes]], target: Path) -> None:
    # Written beside the target and renamed over it, so a reader never sees half a bundle.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        bundle(members, tmp)
        # mkstemp creates the file private (0600); bundles are ordinary readable data.
        os.chmod(tmp, ZIP_FILE_MODE)
        with open(tmp, "rb") as f:
            os.fsync(f.fileno())
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def build(opts: Options, work: Path) -> list[Path]:
    try:
        opts.out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"cannot create {opts.out_dir}: {exc.strerror}") from None
    tgz = opts.pose_tgz or fetch_pose_tgz(work)
    landmark_models = read_landmark_models(tgz, opts.variants)

    writer_python = opts.writer_python or ensure_writer_venv(writer_cache_dir())
    helper = work / "write_metadata.py"
    helper.write_text(WRITER_HELPER)
    check_writer_version(writer_python, helper)
    raw_detector = (read_detector_from_wheel(opts.mediapipe_wheel) if opts.mediapipe_wheel
                    else read_detector_from_writer(writer_python))

    detector = add_metadata(writer_python, helper, work, raw_detector, "Pose detector",
                            "BlazePose person detector (MediaPipe).", DETECTOR_NORM)
    written = []
    for variant in opts.variants:
        landmarks = add_metadata(writer_python, helper, work, landmark_models[variant],
                                 f"Pose landmarks detector ({variant})",
                                 f"BlazePose GHUM 3D landmark model, {variant} (MediaPipe).",
                                 LANDMARKS_NORM)
        target = opts.out_dir / f"pose_landmarker_{variant}.task"
        write_bundle_atomically([("pose_detector.tflite", detector),
                                 ("pose_landmarks_detector.tflite", landmarks)], target)
        print(f"{sha256(target.read_bytes())}  {target}")
        written.append(target)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    opts = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        with tempfile.TemporaryDirectory(prefix="posecoach-models-") as work:
            build(opts, Path(work))
    except BuildError as exc:
        print(f"build_models: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        # e.g. an output folder that is not writable, or a full disk.
        print(f"build_models: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("build_models: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
