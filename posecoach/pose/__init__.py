"""The pose stage: the BlazePose models of MediaPipe's PoseLandmarker, run on LiteRT, behind plain typed data."""
