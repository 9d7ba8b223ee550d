"""`dhr`: the root command. Each command group lives in its own module.

`main()` runs `dhr case list` and `dhr docs list` without Typer when it can (cli/fast.py, ADR 0056), and otherwise
imports only the module of the group named on the command line (issue 17: importing all thirty cost `dhr case
list` more than its query); anything else (`dhr --help`, a top-level command, a typo) gets the whole
tree, so help lists every group and a mistyped name is answered as before. `app`, the whole tree, is built on
first use.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer

HELP = "Run Domestic Homicide Reviews: cases, statutory clocks, reminders, documents and the audit trail."
# The groups each of which one module registers alone with `add_typer`: name on the command line -> module.
GROUPS = {
    "db": "db",
    "user": "users",
    "case": "cases",
    "task": "tasks",
    "panel": "panel",
    "audit": "audit",
    "workflow": "workflows",
    "calendar": "calendar",
    "party": "parties",
    "docs": "documents",
    "publish": "publish",
    "access-request": "access_requests",
    "qa": "qa",
    "family": "family",
    "report": "report",
    "accuracy": "accuracy",
    "site": "site",
}


def _root() -> typer.Typer:
    import typer

    return typer.Typer(
        name="dhr", help=HELP, no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False
    )


def _module(name: str) -> Any:
    return importlib.import_module(f"dhr_workflow.cli.{name}")


def build_app() -> typer.Typer:
    """Every command group and top-level command, in the order `dhr --help` lists them."""
    from dhr_workflow.cli import agencies, backup, demo, lessons, reminders, retention, web

    root = _root()
    for name, module in GROUPS.items():
        root.add_typer(_module(module).app, name=name)
    demo.register(root)
    root.add_typer(reminders.app, name="reminders")
    reminders.register_processes(root)
    web.register(root)
    backup.register(root)
    lessons.register(root)
    agencies.register(root, _module("cases").app)
    retention.register(root)
    return root


def build_app_for(argv: list[str]) -> typer.Typer:
    """The root with only the group `argv` names (and whatever adds commands to it), or every group."""
    name = argv[0] if argv else ""
    if name not in GROUPS:
        return build_app()
    root = _root()
    group = _module(GROUPS[name]).app
    root.add_typer(group, name=name)
    if name == "case":  # `dhr case agencies` is registered by the agencies module
        from dhr_workflow.cli import agencies

        agencies.register(root, group)
    return root


def __getattr__(name: str) -> Any:
    if name == "app":
        globals()["app"] = built = build_app()
        return built
    raise AttributeError(name)


def main() -> None:
    from dhr_workflow.cli import fast

    if not fast.run(sys.argv[1:]):
        build_app_for(sys.argv[1:])()
