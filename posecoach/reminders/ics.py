"""The few pieces of RFC 5545 a single recurring event needs: TEXT escaping, 75-octet folding, CRLF."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timezone

CRLF = "\r\n"
#: Octets per line, not counting the CRLF (RFC 5545, 3.1).
LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, line breaks as \\n (RFC 5545, 3.3.11)."""
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> list[str]:
    """A content line split into pieces of at most 75 octets, continuations starting with a space; a UTF-8
    character is never split."""
    pieces: list[str] = []
    current, size, limit = "", 0, LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            pieces.append(current)
            current, size, limit = " ", 1, LINE_OCTETS
        current += char
        size += octets
    pieces.append(current)
    return pieces


def serialise(lines: Iterable[str]) -> bytes:
    """Content lines folded and ended with CRLF, as UTF-8 bytes."""
    return "".join(piece + CRLF for line in lines for piece in fold(line)).encode("utf-8")


def utc_stamp(moment: datetime) -> str:
    """A UTC DATE-TIME (form 2), e.g. 20240603T101500Z; a naive moment is taken as local time."""
    return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def floating(moment: datetime) -> str:
    """A floating DATE-TIME (form 1): the same wall-clock time wherever the calendar is."""
    return moment.replace(tzinfo=None).strftime("%Y%m%dT%H%M%S")
