"""The weekly routine as one recurring calendar event with a reminder, in the guide's plain words."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from posecoach import __version__
from posecoach.errors import InputError
from posecoach.outputs.atomic import AtomicFile
from posecoach.reminders.ics import escape_text, floating, serialise, utc_stamp

DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DEFAULT_DAYS = "mon,wed,fri"
#: The guide: "at least 3-4 times per week".
GUIDE_DAYS = 3
#: The alarm goes off this many minutes before the session.
REMINDER_MINUTES = 5

SUMMARY = "Hip flexor stretches: both sides, hold 30-60 s"
DESCRIPTION = (
    "Time for your hip flexor stretches. Warm up first with a short walk or a few dynamic stretches. "
    "Stretch both sides: hold each stretch for 30 seconds to a minute, breathe deeply, then switch sides. "
    "Some discomfort is normal when stretching, but if you feel pain, stop at once. "
    "The guide suggests 3-4 sessions a week; posecoach can check your form."
)
ALARM = f"Hip flexor stretches in {REMINDER_MINUTES} minutes: both sides, hold 30-60 s, stop if it hurts"

_TIME = re.compile(r"(\d{1,2}):(\d{2})")
_DAYS_HINT = "use a comma-separated list like mon,wed,fri"


@dataclass(frozen=True)
class Routine:
    #: Weekdays, Monday = 0, sorted and without repeats.
    days: tuple[int, ...]
    at: time
    minutes: int

    @property
    def byday(self) -> str:
        return ",".join(DAY_CODES[d] for d in self.days)

    def day_names(self) -> str:
        return ", ".join(DAY_NAMES[d][:3].capitalize() for d in self.days)


def parse_days(text: str) -> tuple[int, ...]:
    """"mon,wed,fri" (also "mo", "monday", any case) as sorted weekday numbers."""
    days: set[int] = set()
    for token in (t.strip().lower() for t in text.split(",")):
        if not token:
            continue
        matches = [i for i, name in enumerate(DAY_NAMES) if len(token) >= 2 and name.startswith(token)]
        if len(matches) != 1:
            raise InputError(f'--days: "{token}" is not a day of the week; {_DAYS_HINT}')
        days.add(matches[0])
    if not days:
        raise InputError(f'--days: "{text}" names no day; {_DAYS_HINT}')
    return tuple(sorted(days))


def parse_time(text: str) -> time:
    """A 24-hour "HH:MM" time of day."""
    match = _TIME.fullmatch(text.strip())
    if match is None or int(match[1]) > 23 or int(match[2]) > 59:
        raise InputError(f'--time: "{text}" is not a time of day; use 24-hour HH:MM from 00:00 to 23:59, e.g. 07:30')
    return time(int(match[1]), int(match[2]))


def routine(days: str = DEFAULT_DAYS, at: str = "07:30", minutes: int = 15) -> Routine:
    if not 1 <= minutes <= 24 * 60:
        raise InputError(f"--minutes: {minutes} is not a session length; use 1 to 1440 minutes")
    return Routine(parse_days(days), parse_time(at), minutes)


def first_start(plan: Routine, today: date) -> datetime:
    """The first routine day on or after today, at the routine's time (a floating local time)."""
    ahead = min((d - today.weekday()) % 7 for d in plan.days)
    return datetime.combine(today + timedelta(days=ahead), plan.at)


def calendar_lines(plan: Routine, *, today: date, stamp: datetime, uid: str | None = None) -> list[str]:
    """The unfolded content lines of a calendar with one weekly event and its display alarm."""
    return [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//posecoach//posecoach {__version__}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid or uuid.uuid4()}@posecoach",
        f"DTSTAMP:{utc_stamp(stamp)}",
        f"DTSTART:{floating(first_start(plan, today))}",
        f"DURATION:PT{plan.minutes}M",
        f"RRULE:FREQ=WEEKLY;BYDAY={plan.byday}",
        f"SUMMARY:{escape_text(SUMMARY)}",
        f"DESCRIPTION:{escape_text(DESCRIPTION)}",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{escape_text(ALARM)}",
        f"TRIGGER:-PT{REMINDER_MINUTES}M",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]


def write_ics(path: Path, plan: Routine, *, today: date, stamp: datetime, uid: str | None = None) -> None:
    """Write the calendar atomically (a half-written file never replaces an older one)."""
    data = serialise(calendar_lines(plan, today=today, stamp=stamp, uid=uid))
    try:
        file = AtomicFile(path)
        try:
            file.temporary.write_bytes(data)
            file.commit()
        finally:
            file.discard()
    except OSError as error:
        raise InputError(f"{path}: cannot write the calendar file ({error.strerror or error}); give another --ics path") from None


def summary_lines(path: Path, plan: Routine, today: date) -> list[str]:
    lines = [
        f"wrote {path}: hip flexor stretches every {plan.day_names()} at {plan.at:%H:%M} for {plan.minutes} min, "
        f"from {first_start(plan, today):%a %d %b %Y}, with a reminder {REMINDER_MINUTES} min before",
        "import it into your calendar app (it is a standard .ics file)",
    ]
    if len(plan.days) < GUIDE_DAYS:
        lines.append(f"note: the guide suggests 3-4 sessions a week; this routine has {len(plan.days)}")
    return lines
