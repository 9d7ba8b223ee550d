"""Backups and restores of the whole database (issue 16).

SQLite: the online backup API, so a backup taken while the app runs is consistent (WAL included). PostgreSQL:
`pg_dump --format=custom` and `pg_restore --clean`, when those tools are installed; otherwise the error says what to
run instead (docs/operations.md). A restore is checked before it replaces anything: the file must be a database of
this application, at a schema revision this code knows; afterwards the schema is upgraded to the latest revision.
The audit key and the anchor log live outside the database and are not in a backup (ADR 0052)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from dhr_workflow.core.errors import DhrError, InvalidInput

PG_TOOLS_MISSING = (
    "pg_dump and pg_restore are not installed here: install the PostgreSQL client tools (apt-get install "
    "postgresql-client), or back up with your platform's own snapshots (docs/operations.md)"
)


class BackupFailed(DhrError):
    exit_code = 3


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise InvalidInput("an in-memory SQLite database cannot be backed up or restored")
    return Path(database)


def backup(url: str, target: Path, *, overwrite: bool = False) -> Path:
    """Write a consistent copy of the database at `url` to `target`."""
    if target.exists() and not overwrite:
        raise InvalidInput(f"{target} already exists: choose another file, or pass --force to replace it")
    target.parent.mkdir(parents=True, exist_ok=True)
    if url.startswith("sqlite"):
        source = _sqlite_path(url)
        if not source.exists():
            raise InvalidInput(f"there is no database at {source}: run `dhr db upgrade` first")
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        with sqlite3.connect(source) as src, sqlite3.connect(partial) as dst:
            src.backup(dst)
        partial.replace(target)
        return target
    _pg_tool("pg_dump", "--format=custom", "--no-owner", f"--file={target}", _libpq_url(url))
    return target


def restore(url: str, source: Path) -> None:
    """Replace the database at `url` with the backup in `source` (then run `upgrade`)."""
    if not source.is_file():
        raise InvalidInput(f"no backup file {source}")
    if url.startswith("sqlite"):
        revision = _sqlite_revision(source)
        _check_revision(revision, source, url)
        target = _sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        return
    _pg_tool("pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={_libpq_url(url)}", str(source))


def _sqlite_revision(path: Path) -> str:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            row = db.execute("select version_num from alembic_version").fetchone()
    except sqlite3.DatabaseError:
        raise InvalidInput(
            f"{path} is not a backup of this application (not a database with a schema version)"
        ) from None
    if row is None:
        raise InvalidInput(f"{path} has no schema version: it is not a backup of this application")
    return str(row[0])


def _check_revision(revision: str, source: Path, url: str) -> None:
    from alembic.script import ScriptDirectory

    from dhr_workflow.core.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config(url))
    try:
        known = script.get_revision(revision)
    except Exception:  # noqa: BLE001 - alembic raises several kinds for an unknown id
        known = None
    if known is None:
        raise InvalidInput(
            f"{source} is at schema revision {revision}, which this version of dhr-workflow does not know: restore it "
            "with the version that made it"
        )


def _libpq_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _pg_tool(tool: str, *args: str) -> None:
    if shutil.which(tool) is None:
        raise BackupFailed(PG_TOOLS_MISSING)
    done = subprocess.run([tool, *args], capture_output=True, text=True, check=False)  # noqa: S603
    if done.returncode != 0:
        raise BackupFailed(f"{tool} failed: {done.stderr.strip()[:500]}")
