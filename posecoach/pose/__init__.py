"""The pose stage: MediaPipe PoseLandmarker behind plain typed data."""
