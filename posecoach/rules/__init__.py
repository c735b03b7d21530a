"""Rules: measurements and checks of one exercise, evaluated per frame."""
