"""Backups: one district out to a checked zip and back in, and the whole database copied online.

`graph` decides from the model graph which tables belong to a district, `selection` which rows,
`archive` writes and checks the zip, `export` and `restore` are the two halves of the round trip,
`database` copies the whole database (SQLite's online backup, PostgreSQL's pg_dump).
docs/operations.md is the procedure an administrator follows.
"""
