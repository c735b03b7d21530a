"""`posecoach remind`: the weekly routine as an RFC 5545 calendar file."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import icalendar
import pytest

from posecoach.cli import main
from posecoach.errors import ExitCode, InputError
from posecoach.reminders.ics import LINE_OCTETS, escape_text, fold, serialise
from posecoach.reminders.routine import first_start, parse_days, parse_time, routine, write_ics


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def _event(data: bytes) -> icalendar.cal.Component:
    calendar = icalendar.Calendar.from_ical(data)
    (event,) = calendar.walk("VEVENT")
    return event


def _lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    lines = data[:-2].split(b"\r\n")
    assert not any(b"\n" in line or b"\r" in line for line in lines)
    return lines


def test_the_default_routine_is_three_mornings_a_week(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "routine.ics"
    code, out, err = _run(["remind", "--ics", str(path)], capsys)
    assert code == ExitCode.OK and err == ""
    assert f"wrote {path}" in out and "Mon, Wed, Fri at 07:30 for 15 min" in out
    data = path.read_bytes()
    lines = _lines(data)
    assert all(len(line) <= LINE_OCTETS for line in lines)
    assert lines[0] == b"BEGIN:VCALENDAR" and lines[-1] == b"END:VCALENDAR"
    event = _event(data)
    rule = event["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["MO", "WE", "FR"]
    assert b"RRULE:FREQ=WEEKLY;BYDAY=MO,WE,FR" in lines
    start = event.decoded("DTSTART")
    assert start.tzinfo is None  # floating: 07:30 wherever the user is
    assert start.time() == time(7, 30) and start.weekday() in (0, 2, 4)
    assert date.today() <= start.date() < date.today() + timedelta(days=7)
    assert event.decoded("DURATION") == timedelta(minutes=15)
    assert str(event["UID"]).endswith("@posecoach") and event.decoded("DTSTAMP").tzinfo is not None
    (alarm,) = event.walk("VALARM")
    assert str(alarm["ACTION"]) == "DISPLAY" and alarm.decoded("TRIGGER") == timedelta(minutes=-5)
    words = f"{event['SUMMARY']} {event['DESCRIPTION']}".lower()
    assert "both sides" in words and "30 seconds to a minute" in words and "pain" in words and "stop" in words


def test_days_time_and_length_can_be_chosen(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "evenings.ics"
    code, out, _ = _run(["remind", "--ics", str(path), "--days", "Tue, thursday,SA", "--time", "18:45",
                         "--minutes", "20"], capsys)
    assert code == ExitCode.OK and "Tue, Thu, Sat at 18:45 for 20 min" in out and "note:" not in out
    event = _event(path.read_bytes())
    assert event["RRULE"]["BYDAY"] == ["TU", "TH", "SA"]
    start = event.decoded("DTSTART")
    assert (start.hour, start.minute, start.weekday() in (1, 3, 5)) == (18, 45, True)
    assert event.decoded("DURATION") == timedelta(minutes=20)


def test_fewer_days_than_the_guide_get_a_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(["remind", "--ics", str(tmp_path / "r.ics"), "--days", "sun"], capsys)
    assert code == ExitCode.OK and "the guide suggests 3-4 sessions a week; this routine has 1" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--days", "mon,fun"], '--days: "fun" is not a day of the week'),
        (["--days", "t"], '--days: "t" is not a day of the week'),
        (["--days", " , "], "names no day"),
        (["--time", "25:00"], '--time: "25:00" is not a time of day'),
        (["--time", "7:60"], '--time: "7:60" is not a time of day'),
        (["--time", "half past seven"], "use 24-hour HH:MM"),
        (["--minutes", "0"], "--minutes"),
    ],
)
def test_bad_days_and_times_give_one_line(args: list[str], needle: str, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "r.ics"
    code, out, err = _run(["remind", "--ics", str(path), *args], capsys)
    assert code in (ExitCode.INPUT, ExitCode.USAGE) and out == ""
    assert err.count("\n") == 1 and needle in err
    assert not path.exists()


def test_parsing_days_and_times() -> None:
    assert parse_days("mon,wed,fri") == (0, 2, 4)
    assert parse_days("FR,mo,Monday,we") == (0, 2, 4)
    assert parse_days("tu,th,sa,su") == (1, 3, 5, 6)
    assert parse_time("07:30") == time(7, 30) and parse_time("0:05") == time(0, 5) and parse_time("23:59")
    with pytest.raises(InputError):
        parse_time("24:00")
    with pytest.raises(InputError):
        parse_days("mondays")


def test_the_first_session_is_the_next_routine_day() -> None:
    plan = routine("mon,wed,fri", "07:30")
    assert first_start(plan, date(2024, 6, 3)) == datetime(2024, 6, 3, 7, 30)  # a Monday: today
    assert first_start(plan, date(2024, 6, 4)) == datetime(2024, 6, 5, 7, 30)  # Tuesday -> Wednesday
    assert first_start(plan, date(2024, 6, 8)) == datetime(2024, 6, 10, 7, 30)  # Saturday -> Monday


def test_the_file_is_replaced_atomically_and_reproducibly(tmp_path: Path) -> None:
    path = tmp_path / "routine.ics"
    path.write_text("an older calendar")
    stamp = datetime(2024, 6, 3, 10, 15, tzinfo=timezone.utc)
    write_ics(path, routine(), today=date(2024, 6, 3), stamp=stamp, uid="fixed")
    first = path.read_bytes()
    write_ics(path, routine(), today=date(2024, 6, 3), stamp=stamp, uid="fixed")
    assert path.read_bytes() == first
    assert b"UID:fixed@posecoach\r\n" in first and b"DTSTAMP:20240603T101500Z\r\n" in first
    assert b"DTSTART:20240603T073000\r\n" in first
    assert [p.name for p in tmp_path.iterdir()] == ["routine.ics"]


def test_folding_keeps_lines_within_75_octets_and_characters_whole() -> None:
    line = "DESCRIPTION:" + escape_text("Étirez les deux côtés — tenez 30-60 s; arrêtez en cas de douleur, " * 4)
    pieces = fold(line)
    assert len(pieces) > 2
    assert all(len(p.encode("utf-8")) <= LINE_OCTETS for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert pieces[0] + "".join(p[1:] for p in pieces[1:]) == line
    assert fold("SHORT:line") == ["SHORT:line"]
    data = serialise(["BEGIN:VCALENDAR", line, "END:VCALENDAR"])
    assert data.count(b"\r\n") == len(pieces) + 2
    data.decode("utf-8")  # no character was cut in two


def test_text_values_are_escaped() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
