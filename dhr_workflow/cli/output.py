"""Printing what a command found: Rich consoles, tables that never cut a name, JSON. No Typer here, so the read
commands' fast path (cli/fast.py) prints exactly what the Typer commands print, without importing Typer."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table


def err_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def console() -> Console:
    from rich.console import Console

    return Console()


def keep_whole(table: Table, column: int, *, one_word: bool = True) -> None:
    """Never cut a name the user has to type back (Rich showed "information_re…" at 80 columns). A column of
    one-word names is never wrapped, so the other columns give way; in any such column a word too long for the space
    left folds onto the next line rather than losing its end to an ellipsis."""
    col = table.columns[column]
    col.no_wrap = one_word
    col.overflow = "fold"


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str, ensure_ascii=False) + "\n")
