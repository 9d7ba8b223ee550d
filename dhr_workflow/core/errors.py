"""Errors a user can act on. Entry points turn these into messages and exit codes; none of them is a crash."""

from __future__ import annotations

from typing import Any


class DhrError(Exception):
    """Base for every error that is the user's to fix. `str(err)` says what happened and what to do."""

    exit_code = 1


class NotInstalled(DhrError):
    """Part of the installation is missing (GOV.UK Frontend's built assets); the message says how to add it."""

    exit_code = 3


class NotFound(DhrError):
    exit_code = 4


class InvalidInput(DhrError):
    exit_code = 2


class WorkflowDefinitionError(DhrError):
    """A workflow file is broken; every problem names the file and the path inside it."""

    exit_code = 3

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source} is not a valid workflow:\n" + "\n".join(f"  {source}: {p}" for p in problems))


class TriggerNotAvailable(DhrError):
    exit_code = 5

    def __init__(self, trigger: str, state: str, available: list[str]) -> None:
        self.trigger, self.state, self.available = trigger, state, available
        now = ", ".join(available) if available else "none"
        super().__init__(f"'{trigger}' cannot happen while the case is at '{state}'. Available now: {now}.")


class GuardFailed(DhrError):
    """`missing` holds what stops the step: workflow.guards.Missing items (plain words, the fields or action that
    supply each, and the command-line wording that `str()` gives), or plain strings."""

    exit_code = 5

    def __init__(self, trigger: str, missing: list[Any]) -> None:
        self.trigger, self.missing = trigger, missing
        super().__init__(f"'{trigger}' cannot happen yet:\n" + "\n".join(f"  - {m}" for m in missing))


class ConcurrentChange(DhrError):
    exit_code = 6

    def __init__(self, ref: str) -> None:
        super().__init__(f"{ref} was changed by someone else while you were working on it. Reload it and try again.")


class AuditChainBroken(DhrError):
    exit_code = 7


class UnsafeSettings(DhrError):
    """The settings would be unsafe where they are used (a development key outside development)."""

    exit_code = 3


class NotPermitted(DhrError):
    """The person acting may not do this (their role does not allow it). `allowed` names the roles that may, when the
    rule is a list of roles, so each entry point can word the refusal."""

    exit_code = 8

    def __init__(self, message: str, allowed: tuple[str, ...] | list[str] = ()) -> None:
        self.allowed = tuple(allowed)
        super().__init__(message)
