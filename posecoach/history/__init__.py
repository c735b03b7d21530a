"""The session history: a small SQLite database of numbers (never pictures) and what is made of it.

Modules: `paths` (where the database lives), `schema` (its versions and migrations), `failures` (SQLite
errors as one-line `DataError`s), `store` (`History`: open, log, read), `recorder` (a pipeline sink that logs
a session as it runs), `review_log` (logging a finished review), `summary` (weeks, streak, totals,
imbalance), `report` (text and JSON) and `chart` (the PNG).
"""
