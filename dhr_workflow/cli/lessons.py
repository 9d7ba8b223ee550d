"""The lessons learned command groups (issue 6), registered on the root command in one call."""

from __future__ import annotations

import typer

from dhr_workflow.cli import (
    actions,
    commentary,
    meetings,
    plan,
    recommendations,  # noqa: F401  (adds its commands to plan.recommendation_app)
)


def register(app: typer.Typer) -> None:
    app.add_typer(plan.app, name="plan")
    app.add_typer(plan.recommendation_app, name="recommendation")
    app.add_typer(actions.app, name="action")
    app.add_typer(commentary.app, name="commentary")
    app.add_typer(meetings.app, name="meeting")
