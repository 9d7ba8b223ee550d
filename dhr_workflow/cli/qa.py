"""`dhr qa round|item add|item answer|items`: Home Office QA feedback as itemised rounds (issue 13), over
dhr_workflow/qa/rounds.py. ITEM is the item's number in the latest round."""

from __future__ import annotations

import typer

from dhr_workflow.cli.common import JsonOption, app_context, command, console, opt_date, print_json

app = typer.Typer(help="Home Office quality assurance feedback, round by round and item by item.", no_args_is_help=True)
item_app = typer.Typer(help="The points of the latest feedback letter.", no_args_is_help=True)
app.add_typer(item_app, name="item")
ByOption = typer.Option(None, "--by", help="Who records it (default: the system operator)")


@command(app, "round")
def new_round(
    ref: str,
    letter_date: str | None = typer.Option(None, "--letter-date", help="The feedback letter's date"),
    meeting_date: str | None = typer.Option(None, "--meeting-date", help="The QA panel meeting's date"),
    by: str | None = ByOption,
) -> None:
    """Record a feedback letter from the Home Office QA panel: a new round."""
    from dhr_workflow.qa.rounds import open_round

    qa_round = open_round(
        app_context(),
        ref,
        letter_date=opt_date(letter_date, "--letter-date"),
        meeting_date=opt_date(meeting_date, "--meeting-date"),
        by=by,
    )
    console().print(f"Round {qa_round.number} of {ref.upper()} recorded; add its points with `dhr qa item add`.")


@command(item_app, "add")
def item_add(ref: str, text: str = typer.Option(..., "--text"), by: str | None = ByOption) -> None:
    """Add a point of the latest feedback letter."""
    from dhr_workflow.qa.rounds import add_item

    item = add_item(app_context(), ref, text, by=by)
    console().print(f"Item {item.number} added.")


@command(item_app, "answer")
def item_answer(
    ref: str,
    item: int,
    response: str = typer.Option(..., "--response", help="What the partnership did about it"),
    section: str = typer.Option(..., "--section", help="Where in the report it was addressed"),
    by: str | None = ByOption,
) -> None:
    """Record the response to an item of the latest round, and where it was addressed."""
    from dhr_workflow.qa.rounds import answer_item

    answer_item(app_context(), ref, item, response=response, section=section, by=by)
    console().print(f"Item {item} answered.")


@command(app, "items")
def items(ref: str, as_json: bool = JsonOption) -> None:
    """Every round's items, with their responses; open items are marked."""
    from dhr_workflow.qa.rounds import items_of

    rounds = items_of(app_context(), ref)
    if as_json:
        print_json(rounds)
        return
    if not rounds:
        console().print(f"{ref.upper()} has no Home Office QA feedback recorded.")
    for r in rounds:
        console().print(f"Round {r['round']} (letter {r['letter_date'] or 'undated'}):")
        for i in r["items"]:
            state = f"answered ({i['section']})" if i["answered"] else "OPEN"
            console().print(f"  {i['number']}. {i['text']} [{state}]")
