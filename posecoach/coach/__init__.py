"""The coach: set-up guidance, side, hold-timer and rep state machines, cues and events."""
