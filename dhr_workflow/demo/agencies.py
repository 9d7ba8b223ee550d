"""The demo's agencies (issue 12): the partnership's directory, and each review's agencies in scope with their
evidence requests at different stages, seeded through the real services."""

from __future__ import annotations

from datetime import date, timedelta

from dhr_workflow.agencies import chronology, directory, evidence
from dhr_workflow.agencies.evidence import Upload
from dhr_workflow.core.context import AppContext

# name, kind, who speaks for it ("agency_contact" or "coordinator": the demo's roles)
AGENCIES = [
    ("Metropolitan Police", "police", None),
    ("Adult Social Care", "adult_social_care", "agency_contact"),
    ("Oxleas NHS Foundation Trust", "mental_health_trust", "coordinator"),
    ("Housing Services", "housing", "coordinator"),
    ("Substance Misuse Service", "other", "coordinator"),
    ("Community Safety Team", "other", "coordinator"),
]


def seed_directory(ctx: AppContext, emails: dict[str, str]) -> None:
    for name, kind, contact in AGENCIES:
        email = emails[contact] if contact else None
        directory.add_agency(ctx, name, kind, contact_email=email, by=emails["coordinator"])


def reports_in(ctx: AppContext, ref: str, asked: date, answered: date, by: str) -> None:
    """Two agencies in scope whose reports are in: drafting may start."""
    directory.change_scope(ctx, ref, add=["Metropolitan Police", "Oxleas NHS Foundation Trust"], by=by)
    police = evidence.request_evidence(ctx, ref, "Metropolitan Police", "imr", on=asked, by=by)
    health = evidence.request_evidence(ctx, ref, "Oxleas NHS Foundation Trust", "imr", on=asked, by=by)
    report = Upload("police-imr.txt", b"Agency report (IMR) from the police, demo content.\n")
    evidence.receive(ctx, ref, police, upload=report, on=answered, by=by)
    evidence.receive(ctx, ref, health, nil_return=True, on=answered, note="No contact in the period", by=by)
    police_rows = (
        "Date,Time,Agency,Event,Source\n"
        "2021-02-03,21:40,Metropolitan Police,Officers attended after a neighbour reported shouting; "
        "DASH risk assessment completed (standard risk),CAD 4471\n"
        "2021-06-14,,Metropolitan Police,Referral made to the local IDVA service,Crime report 1182\n"
        "2021-09-30,08:15,Metropolitan Police,Welfare check at the address; no answer,CAD 9013\n"
    )
    chronology.import_chronology(ctx, ref, "Metropolitan Police", "police-chronology.csv", police_rows.encode(), by)
    health_rows = (
        "Date,Time,Agency,Event,Source\n"
        "2021-02-03,21:40,Oxleas,Officers attended after a neighbour reported shouting; DASH risk assessment completed "
        "(standard risk),Liaison note\n"
        "2021-05-20,10:00,Oxleas,Mental health assessment at the GP surgery,Clinical record\n"
    )
    chronology.import_chronology(
        ctx, ref, "Oxleas NHS Foundation Trust", "oxleas-chronology.csv", health_rows.encode(), by
    )


def gathering(ctx: AppContext, ref: str, asked: date, by: str) -> None:
    """A review still gathering evidence: one report in, one awaited from the agency contact, one overdue."""
    directory.change_scope(ctx, ref, add=["Metropolitan Police", "Adult Social Care", "Housing Services"], by=by)
    for agency in ("Metropolitan Police", "Adult Social Care", "Housing Services"):
        scoping = evidence.request_evidence(ctx, ref, agency, "scoping_return", on=asked, by=by)
        if agency == "Metropolitan Police":
            returned = Upload("scoping-return.txt", b"Police scoping return, demo content.\n")
            evidence.receive(ctx, ref, scoping, upload=returned, on=asked + timedelta(days=7), by=by)
        elif agency == "Adult Social Care":  # Housing's scoping return is still awaited, and overdue
            evidence.receive(ctx, ref, scoping, nil_return=True, on=asked + timedelta(days=7), by=by)
    police = evidence.request_evidence(ctx, ref, "Metropolitan Police", "imr", on=asked + timedelta(days=14), by=by)
    evidence.receive(ctx, ref, police, upload=Upload("imr.txt", b"Police IMR, demo content.\n"), by=by)
    evidence.request_evidence(ctx, ref, "Adult Social Care", "imr", on=asked + timedelta(days=14), by=by)
    evidence.request_evidence(ctx, ref, "Housing Services", "imr", on=asked, by=by)
