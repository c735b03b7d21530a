"""Where steps go: an annotated video, result.json, a report, a window, the history database."""
