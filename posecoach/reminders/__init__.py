"""Calendar reminders for the weekly routine: an iCalendar (RFC 5545) file written by hand.

`ics` holds the format (text escaping, line folding, CRLF); `routine` parses the days and time and builds
the weekly event with its alarm.
"""
