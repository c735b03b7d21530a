"""Rule modules that ship with posecoach; each has `register(registry)`."""
