"""The history summary as terminal text (with unicode bar charts) or as a versioned JSON document."""

from __future__ import annotations

from typing import Any

from posecoach import __version__
from posecoach.history.summary import IMBALANCE_RATIO, TARGET_MAX, TARGET_MIN, Imbalance, Summary

JSON_SCHEMA = 1
EIGHTHS = " ▏▎▍▌▋▊▉"
FULL = "█"
#: Terminal columns of a week's bar: two per day.
WEEK_BAR = 14
TOTAL_BAR = 24


def bar(value: float, maximum: float, width: int) -> str:
    """`value` of `maximum` as a bar of `width` columns, in eighths of a column, padded with spaces."""
    if maximum <= 0 or value <= 0:
        return " " * width
    eighths = round(min(value / maximum, 1.0) * width * 8)
    full, part = divmod(eighths, 8)
    text = FULL * full + (EIGHTHS[part] if part else "")
    return text.ljust(width)


def duration(seconds: float) -> str:
    whole = int(round(seconds))
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def _plural(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def imbalance_line(item: Imbalance) -> str:
    what = "hold time" if item.measure == "good_form_seconds" else "reps"
    return (
        f"warning: {item.exercise}: the {item.weaker} side has {item.ratio:.0%} of the {item.stronger} side's {what} "
        f"(below {IMBALANCE_RATIO:.0%}); give the {item.weaker} side the same time"
    )


def text_lines(summary: Summary, *, chart: bool = True) -> list[str]:
    weeks = len(summary.weeks)
    lines = [f"last {_plural(weeks, 'week')} (the guide: {TARGET_MIN}-{TARGET_MAX} days a week)"]
    for index, week in enumerate(summary.weeks):
        current = index == weeks - 1
        mark = "ok" if week.met else ("this week" if current else "")
        graph = f"{bar(week.days, 7, WEEK_BAR)}  " if chart else ""
        lines.append(
            f"  {week.start.isoformat()}  {graph}{_plural(week.days, 'day')}, {_plural(week.sessions, 'session')}"
            + (f"  {mark}" if mark else "")
        )
    lines.append(f"streak: {_plural(summary.streak, 'week')} in a row with {TARGET_MIN}+ days")
    if not summary.totals:
        lines.append("no sessions with good-form time in these weeks yet; coach one live with "
                     "`posecoach coach EXERCISE` or review a video with `posecoach review VIDEO -e EXERCISE`")
    else:
        lines.append("good-form time per exercise and side:")
        longest = max(s.good_form_seconds for t in summary.totals for s in t.sides.values()) if summary.totals else 0.0
        width = max(len(t.exercise) for t in summary.totals)
        for total in summary.totals:
            for position, (side, side_total) in enumerate(total.sides.items()):
                name = total.exercise if position == 0 else ""
                graph = f"{bar(side_total.good_form_seconds, longest, TOTAL_BAR)}  " if chart else ""
                reps = f", {_plural(side_total.reps, 'rep')}" if side_total.reps else ""
                lines.append(f"  {name:<{width}}  {side:<5}  {graph}{duration(side_total.good_form_seconds)}{reps}")
    lines.extend(imbalance_line(item) for item in summary.imbalances)
    if summary.pain_stops:
        lines.append(
            f"note: {_plural(summary.pain_stops, 'session')} stopped for pain; if the pain is severe or keeps "
            "coming back, see a doctor or physical therapist"
        )
    return lines


def json_document(summary: Summary, *, database: str) -> dict[str, Any]:
    return {
        "posecoach": __version__,
        "schema": JSON_SCHEMA,
        "kind": "history",
        "database": database,
        "today": summary.today.isoformat(),
        "target_days_per_week": {"min": TARGET_MIN, "max": TARGET_MAX},
        "weeks": [
            {"start": w.start.isoformat(), "days": w.days, "sessions": w.sessions, "met": w.met} for w in summary.weeks
        ],
        "streak": summary.streak,
        "totals": [
            {
                "exercise": t.exercise,
                "sessions": t.sessions,
                "sides": {
                    side: {"good_form_seconds": round(s.good_form_seconds, 2), "reps": s.reps}
                    for side, s in t.sides.items()
                },
            }
            for t in summary.totals
        ],
        "imbalances": [
            {
                "exercise": i.exercise,
                "weaker": i.weaker,
                "stronger": i.stronger,
                "ratio": round(i.ratio, 3),
                "measure": i.measure,
            }
            for i in summary.imbalances
        ],
        "pain_stops": summary.pain_stops,
        "logged_sessions": summary.logged,
    }
