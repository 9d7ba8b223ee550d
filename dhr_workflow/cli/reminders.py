"""`dhr reminders` (sweep, list, problems, prefer) and the Celery processes `dhr worker` and `dhr beat`."""

from __future__ import annotations

from pathlib import Path

import typer

from dhr_workflow.cli.common import JsonOption, app_context, command, console, print_json

app = typer.Typer(help="Send due reminders and see what is scheduled, sent and failed.", no_args_is_help=True)


@command(app, "sweep")
def sweep(as_json: bool = JsonOption) -> None:
    """Send every reminder that is due now, in this process (embedded installs, or cron)."""
    from notifications.channels import transports_from_settings
    from notifications.delivery import sweep as sweep_once

    ctx = app_context()
    result = sweep_once(ctx, transports_from_settings(ctx.settings))
    data = {
        "claimed": result.claimed,
        "superseded": result.superseded,
        "digested": result.digested,
        "delivered": result.delivered,
        "skipped": result.skipped_reason,
    }
    if as_json:
        print_json(data)
    elif result.skipped_reason:
        console().print(f"Nothing sent: {result.skipped_reason}.")
    else:
        outcomes = ", ".join(f"{n} {k}" for k, n in sorted(result.delivered.items())) or "nothing due"
        console().print(f"Claimed {result.claimed}; {outcomes}; {result.superseded} superseded by a later reminder.")


@command(app, "list")
def list_(
    status: str | None = typer.Option(None, "--status", help="pending, sent, failed, cancelled, superseded, ..."),
    as_json: bool = JsonOption,
) -> None:
    """What is scheduled, sent and failed."""
    from rich.table import Table

    from notifications.admin import list_reminders

    rows = list_reminders(app_context(), status)
    if as_json:
        print_json(rows)
        return
    table = Table("Send on", "Case", "Subject", "Rule", "Due", "To", "Status", "Tries")
    for r in rows:
        table.add_row(
            r["send_on"], r["case"] or "-", r["subject"], r["rule"], r["deadline_on"], r["recipient"],
            r["status"], str(r["attempts"]),
        )  # fmt: skip
    console().print(table)


@command(app, "problems")
def problems(
    resolve: int | None = typer.Option(None, "--resolve", help="Mark this problem dealt with."),
    as_json: bool = JsonOption,
) -> None:
    """Reminders that could not be delivered (for coordinators)."""
    from notifications.admin import list_problems, resolve_problem

    ctx = app_context()
    if resolve is not None:
        resolve_problem(ctx, resolve)
    rows = list_problems(ctx)
    if as_json:
        print_json(rows)
        return
    for p in rows:
        console().print(f"#{p['id']} {p['case'] or '-'} to {p['recipient']} by {p['channel']}: {p['error']}")
    if not rows:
        console().print("No delivery problems.")


@command(app, "prefer")
def prefer(
    email: str = typer.Option(..., "--user"),
    digest: bool | None = typer.Option(None, "--digest/--single", help="One daily digest, or single reminders."),
    sms: str | None = typer.Option(None, "--sms", help="Mobile number for SMS via GOV.UK Notify ('' removes it)."),
    as_json: bool = JsonOption,
) -> None:
    """Set how a person receives reminders."""
    from notifications.admin import get_preference, set_preference

    ctx = app_context()
    if digest is not None or sms is not None:
        set_preference(ctx, email, digest=digest, sms_number=sms)
    data = get_preference(ctx, email)
    if as_json:
        print_json(data)
    else:
        console().print(f"{data['email']}: {'daily digest' if data['digest'] else 'single reminders'}")


def register_processes(root: typer.Typer) -> None:
    """`dhr worker` and `dhr beat`: Celery on DHR_REDIS_URL."""

    @command(root, "worker")
    def worker(
        concurrency: int = typer.Option(2, "--concurrency", "-c"),
        pool: str = typer.Option("prefork", "--pool", help="prefork, threads or solo"),
        loglevel: str = typer.Option("INFO", "--loglevel"),
    ) -> None:
        """Run a Celery worker that delivers reminders."""
        from dhr_workflow.core.settings import Settings
        from notifications.celery_app import WORKER_QUEUES, make_celery

        celery = make_celery(Settings())
        celery.worker_main(
            ["worker", f"--concurrency={concurrency}", f"--pool={pool}", f"--loglevel={loglevel}", "-Q", WORKER_QUEUES]
        )

    @command(root, "beat")
    def beat(
        schedule: Path | None = typer.Option(None, "--schedule", help="Beat's state file."),
        loglevel: str = typer.Option("INFO", "--loglevel"),
    ) -> None:
        """Run Celery beat: it only triggers the reminder sweep every 15 s by default (running two is harmless)."""
        from dhr_workflow.core.settings import DEFAULT_DATA_DIR, Settings
        from notifications.celery_app import make_celery

        celery = make_celery(Settings())
        path = schedule or DEFAULT_DATA_DIR / "celerybeat-schedule"
        path.parent.mkdir(parents=True, exist_ok=True)
        celery.start(["beat", f"--schedule={path}", f"--loglevel={loglevel}"])
