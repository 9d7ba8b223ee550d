"""Persistence: SQLModel tables, the engine factory, migrations. Only services and entry points import this."""
