"""Sessions and transactions over the engines of core.engines."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from dhr_workflow.core.engines import READ_ONLY, make_engine

__all__ = ["AUDIT_CONFIG", "READ_ONLY", "Database", "make_engine"]
AUDIT_CONFIG = "dhr_audit_config"  # Session.info key: the audit keys of this database's installation (ADR 0052)


class Database:
    """One engine and its session factories: `write()` for changes, `read()` for queries."""

    def __init__(self, url: str, **kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **kwargs)
        self.is_sqlite = url.startswith("sqlite")
        self._write = sessionmaker(self.engine, expire_on_commit=False)
        self._read = sessionmaker(self.engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: everything inside commits together or not at all."""
        with self._write() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as session, session.begin():
            yield session

    def use_audit(self, config: Any) -> None:
        """Every session of this database signs and checks the audit chain with `config` (an AuditConfig)."""
        self._write.configure(info={AUDIT_CONFIG: config})
        self._read.configure(info={AUDIT_CONFIG: config})

    def dispose(self) -> None:
        self.engine.dispose()
