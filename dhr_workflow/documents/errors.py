"""A document whose data is missing fails with the list of what is missing, never with a half-filled letter."""

from __future__ import annotations

from dhr_workflow.core.errors import InvalidInput


class MissingData(InvalidInput):
    """Raised before rendering (declared needs) or during it (StrictUndefined); `missing` names every field."""

    def __init__(self, what: str, missing: list[str], hint: str = "") -> None:
        self.missing = missing
        message = f"{what} cannot be made yet: missing {', '.join(missing)}"
        super().__init__(f"{message}. {hint}".strip() if hint else message)
