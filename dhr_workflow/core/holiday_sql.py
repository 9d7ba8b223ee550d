"""The holiday overrides' statement, in SQLAlchemy Core (core.plain_sql runs it without SQLAlchemy on SQLite)."""

from __future__ import annotations

from sqlalchemy import Boolean, Date, String, column, select, table

# The columns of core.tables.HolidayOverride that make a calendar (tests/unit/test_read_models.py checks the names).
OVERRIDE_TABLE = table("holiday_override", column("day", Date), column("name", String), column("is_holiday", Boolean))
OVERRIDES = select(OVERRIDE_TABLE.c.day, OVERRIDE_TABLE.c.name, OVERRIDE_TABLE.c.is_holiday).order_by(
    OVERRIDE_TABLE.c.day
)
