"""The everyday read commands without Typer (ADR 0056): `dhr case list [--state S] [--overdue] [--json]`,
`dhr case show REF [--json]` and `dhr docs list REF [--json]`, recognised only in these exact shapes, read with
SQLAlchemy Core (`case show` through the ORM services when a guard needs a fact with no Core reader).

Typer validates every parameter with a pydantic TypeAdapter, so importing it and pydantic costs these commands
more than their query (issue 17). Anything else (help, `--state=S`, a repeated or unknown option, a value that
starts with '-') goes to Typer, as does any failure while reading: the read is repeated there, so errors are
reported exactly as before. Nothing is printed until the read has succeeded.
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Callable
from typing import Any

from dhr_workflow.cli import read_commands

Plan = tuple[Callable[[], Any], Callable[[Any], None]]


def run(argv: list[str]) -> bool:
    """Run `argv` if it is one of the shapes above and its read succeeds; False: let Typer run it."""
    plan = match(argv)
    if plan is None:
        return False
    read, show = plan
    try:
        found = read()
    except Exception:  # noqa: BLE001 - Typer runs it again and reports the error as it always has
        return False
    try:
        show(found)
    except OSError as err:  # `dhr case list | head`: end quietly with 1, as Click does for a closed pipe
        if err.errno != errno.EPIPE:
            raise
        sys.stdout, sys.stderr = _Pacified(sys.stdout), _Pacified(sys.stderr)
        sys.exit(1)
    return True


class _Pacified:
    """A stream whose flush ignores a closed pipe (the interpreter flushes stdout once more on the way out)."""

    def __init__(self, wrapped: Any) -> None:
        self.wrapped = wrapped

    def flush(self) -> None:
        try:
            self.wrapped.flush()
        except OSError as err:
            if err.errno != errno.EPIPE:
                raise

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wrapped, name)


def match(argv: list[str]) -> Plan | None:
    """What to read and how to print it, for exactly the shapes this module runs."""
    if argv[:2] == ["case", "list"]:
        options = _options(argv[2:], flags=("--json", "--overdue"), valued=("--state",), positionals=0)
        if options is None:
            return None
        state, overdue, as_json = options.get("--state"), "--overdue" in options, "--json" in options
        return (lambda: read_commands.case_rows(state, overdue)), (
            lambda rows: read_commands.print_cases(rows, as_json)
        )
    if argv[:2] == ["case", "show"]:  # --show-names writes an audit event: Typer's
        options = _options(argv[2:], flags=("--json",), valued=(), positionals=1)
        if options is None:
            return None
        ref, as_json = options[""], "--json" in options
        return (lambda: read_commands.case_detail(ref, False)), (
            lambda detail: read_commands.print_case_detail(detail, as_json)
        )
    if argv[:2] == ["docs", "list"]:
        options = _options(argv[2:], flags=("--json",), valued=(), positionals=1)
        if options is None:
            return None
        ref, as_json = options[""], "--json" in options
        return (lambda: read_commands.document_rows(ref)), (
            lambda rows: read_commands.print_documents(ref, rows, as_json)
        )
    return None


def _options(
    args: list[str], *, flags: tuple[str, ...], valued: tuple[str, ...], positionals: int
) -> dict[str, Any] | None:
    """Each flag and option at most once, each value and positional not starting with '-': else None."""
    found: dict[str, Any] = {}
    rest = iter(args)
    for arg in rest:
        if arg in found:
            return None
        if arg in flags:
            found[arg] = True
        elif arg in valued:
            value = next(rest, None)
            if value is None or value.startswith("-"):
                return None
            found[arg] = value
        elif arg.startswith("-") or "" in found:
            return None
        else:
            found[""] = arg
    return found if ("" in found) == (positionals == 1) else None
