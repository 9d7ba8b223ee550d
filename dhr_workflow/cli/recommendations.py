"""`dhr recommendation add|list|agree|accept|reject|link`: a review's recommendations as records (issue 13), over
dhr_workflow/lessons/recommendations.py. `add` without a REF adds one of the partnership's own to the Delivery Plan,
as it always has."""

from __future__ import annotations

import typer

from dhr_workflow.cli.common import JsonOption, app_context, command, console, fail, opt_date, print_json
from dhr_workflow.cli.plan import recommendation_app

ByOption = typer.Option(None, "--by", help="Who records it (default: the system operator)")


@command(recommendation_app, "add")
def recommendation_add(
    ref: str | None = typer.Argument(None, help="The review it comes from (none: the partnership's own)"),
    text: str = typer.Option(..., "--text"),
    addressee_type: str | None = typer.Option(
        None,
        "--addressee-type",
        help="local_agency, partnership, home_office, government_department or national_body",
    ),
    addressee: str | None = typer.Option(None, "--addressee", help="Which agency, department or national body"),
    single_agency: str | None = typer.Option(
        None, "--single-agency", help="The agency whose report made it (a single-agency recommendation)"
    ),
    number: str | None = typer.Option(None, "--number", help="As numbered in the report (default: the next)"),
    level: str | None = typer.Option(None, "--level", help="Without REF: single_agency, multi_agency or national"),
    theme: str | None = typer.Option(
        None, "--theme", help="community, engagement, priority_response, funding, communication"
    ),
    case: str | None = typer.Option(None, "--case", help="Without REF: the review it came from"),
    by: str | None = ByOption,
) -> None:
    """Add a review's recommendation (proposed until the panel agrees it), or, without REF, one to the plan."""
    if ref is not None:
        from dhr_workflow.lessons import recommendations

        if addressee_type is None:
            fail("give --addressee-type (local_agency, partnership, home_office, government_department, ...)", 2)
            return
        rec = recommendations.add(
            app_context(),
            ref,
            text=text,
            addressee_type=addressee_type,
            addressee=addressee,
            single_agency=single_agency,
            theme=theme,
            number=number,
            by=by,
        )
        console().print(f"Recommendation {rec.number} of {ref.upper()} added (proposed).")
        return
    from dhr_workflow.lessons.actions import add_recommendation

    missing = [name for name, value in (("--number", number), ("--level", level), ("--theme", theme)) if not value]
    if missing or not addressee:
        fail(f"give REF for a review's recommendation, or {', '.join(missing or ['--addressee'])} for the plan's", 2)
        return
    rec = add_recommendation(
        app_context(),
        number=number or "",
        text=text,
        level=level or "",
        addressee=addressee,
        theme=theme or "",
        case_ref=case,
        by=by,
    )
    console().print(f"Recommendation {rec.id} added.")


@command(recommendation_app, "list")
def recommendation_list(ref: str, as_json: bool = JsonOption) -> None:
    """A review's recommendations: number, text, addressee, status and the actions that carry them out."""
    from dhr_workflow.lessons import recommendations

    rows = recommendations.list_for_case(app_context(), ref)
    if as_json:
        print_json(
            [
                {k: r[k] for k in ("number", "text", "addressee_type", "addressee", "single_agency", "status")}
                | {"rejection_reason": r["rejection_reason"], "actions": [a["id"] for a in r["actions"]]}
                for r in rows
            ]
        )
        return
    if not rows:
        console().print(f"{ref.upper()} has no recommendations yet.")
    for r in rows:
        acts = ", ".join(str(a["id"]) for a in r["actions"]) or "none"
        console().print(f"{r['number']}. {r['text']} (for {r['addressee']}; {r['status_label']}; actions: {acts})")


@command(recommendation_app, "agree")
def recommendation_agree(
    ref: str, number: str, on: str | None = typer.Option(None, "--on"), by: str | None = ByOption
) -> None:
    """Record that the panel agreed the recommendation."""
    from dhr_workflow.lessons import recommendations

    recommendations.agree(app_context(), ref, number, on=opt_date(on, "--on"), by=by)
    console().print(f"Recommendation {number} of {ref.upper()} agreed.")


@command(recommendation_app, "accept")
def recommendation_accept(
    ref: str, number: str, on: str | None = typer.Option(None, "--on"), by: str | None = ByOption
) -> None:
    """Record that the addressee accepted the recommendation."""
    from dhr_workflow.lessons import recommendations

    recommendations.accept(app_context(), ref, number, on=opt_date(on, "--on"), by=by)
    console().print(f"Recommendation {number} of {ref.upper()} accepted.")


@command(recommendation_app, "reject")
def recommendation_reject(
    ref: str,
    number: str,
    reason: str = typer.Option(..., "--reason", help="The addressee's reasons"),
    on: str | None = typer.Option(None, "--on"),
    by: str | None = ByOption,
) -> None:
    """Record that the addressee rejected the recommendation, with their reasons."""
    from dhr_workflow.lessons import recommendations

    recommendations.reject(app_context(), ref, number, reason, on=opt_date(on, "--on"), by=by)
    console().print(f"Recommendation {number} of {ref.upper()} rejected.")


@command(recommendation_app, "link")
def recommendation_link(
    ref: str,
    number: str,
    action: int = typer.Option(..., "--action", help="The action's id"),
    by: str | None = ByOption,
) -> None:
    """Link an agreed recommendation to an action in the action plan that carries it out."""
    from dhr_workflow.lessons import recommendations

    recommendations.link(app_context(), ref, number, action, by=by)
    console().print(f"Action {action} now carries out recommendation {number} of {ref.upper()}.")
