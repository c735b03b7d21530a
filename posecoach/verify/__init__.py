"""Comparing what the coach reports on a clip with what is expected of it (posecoach check)."""
