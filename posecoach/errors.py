"""The exception family for errors a user can cause, each with the exit code the CLI returns for it."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0
    #: Checks ran and found a difference from what was expected (posecoach check).
    CHECK_FAILED = 1
    USAGE = 2
    INPUT = 3
    MODEL = 4
    SPEC = 5
    DEVICE = 6
    DATA = 7
    INTERRUPTED = 130


class PosecoachError(Exception):
    """An error the user can fix; its message names the input, what was wrong and what to do."""

    exit_code: ExitCode = ExitCode.INPUT


class InputError(PosecoachError):
    """A video, folder or argument that cannot be used."""

    exit_code = ExitCode.INPUT


class ModelError(PosecoachError):
    """A pose model that is missing, corrupt or unknown."""

    exit_code = ExitCode.MODEL


class SpecError(PosecoachError):
    """An exercise spec that does not validate, or an unknown exercise."""

    exit_code = ExitCode.SPEC


class DeviceError(PosecoachError):
    """A camera, window or audio device that cannot be used."""

    exit_code = ExitCode.DEVICE


class DataError(PosecoachError):
    """The history database or a cache that cannot be read or written."""

    exit_code = ExitCode.DATA
