"""Looking up one installed workflow version, as the registry (checked definitions), the state catalogue and the
plan catalogue all do, with the same error naming what is installed."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

from dhr_workflow.core.errors import NotFound

T = TypeVar("T")


def installed_names(keys: Iterable[tuple[str, str]]) -> list[str]:
    return sorted({f"{n} {v}" for n, v in keys})


def installed(definitions: Mapping[tuple[str, str], T], name: str, version: str) -> T:
    try:
        return definitions[(name, version)]
    except KeyError:
        raise NotFound(
            f"workflow {name} version {version} is not installed; installed: {', '.join(installed_names(definitions))}"
        ) from None
