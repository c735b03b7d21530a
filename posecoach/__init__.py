"""posecoach: a webcam form coach for hip flexor stretches and core exercises."""

__version__ = "0.1.0"
