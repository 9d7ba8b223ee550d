"""Retention, legal holds and subject-access export (issue 16, ADR 0054).

Public, by module:
- rules: KINDS, Kind, Period, parse_period (pure)
- schedule: Rule, ScheduleError, schedule_path, load_schedule, parse_schedule
- scope: Due, DueGroup, Scope, build_scope, summary, ANONYMISED
- holds: HoldView, set_hold, release_hold, list_holds
- apply: Applied, due, apply
- access: may_hold, may_apply, acting
- subject_access: export_user, export_party, parse_party
- export_text: sections, as_text
- tables: LegalHold
"""
