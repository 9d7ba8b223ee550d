"""Core: what every capability stands on. Settings, paths, the database engine and migrations, the shared tables
(partnership, audit chain, holiday overrides), the audit chain, errors, the app context and the working-day calendar.
Imports nothing above it except the workflow registry the app context carries.

Public, by module:
- audit: event_hash, NewEvent, append, VerifyResult, verify
- calendar: Unit, Period, WorkingCalendar, add_months, add_period
- calendar_store: Override, calendar_from, load_calendar, list_overrides, put_override, delete_override
- clocks: ClockStatus, ClockRule, PauseSpan, DueDate, Extension, compute_due, clock_status
- context: london_today, AppContext, build_context
- database: make_engine, Database
- errors: DhrError, NotFound, InvalidInput, WorkflowDefinitionError, TriggerNotAvailable, GuardFailed,
  ConcurrentChange, AuditChainBroken, NotPermitted
- migrate: alembic_config, upgrade, current_head
- paths: data_dir, workflows_dir, templates_dir
- settings: Settings, get_settings
- tables: utcnow, instant_column, json_column, Partnership, AuditEvent, AuditHead, HolidayOverride
- text: clean_text, parse_date, not_in_future
"""
