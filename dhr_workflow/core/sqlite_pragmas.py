"""What every SQLite connection is set up with, through SQLAlchemy (core.engines) or not (core.plain_sql), as
engineering-notes §3.4 measured: WAL, foreign keys and a busy timeout."""

SQLITE_PRAGMAS = ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=30000")
