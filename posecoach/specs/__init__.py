"""Exercise specs: the files in `exercise_specs/`, loaded and validated into frozen data."""
