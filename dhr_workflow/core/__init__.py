"""Core: what every capability stands on. Settings, paths, the database engine and migrations, the shared tables
(partnership, audit chain, holiday overrides), the audit chain, errors, the app context and the working-day calendar.
Imports nothing above it except the workflow registry the app context carries.

Public, by module:
- audit: event_hash, NewEvent, append, anchor_head, VerifyResult, verify (ADR 0052)
- audit_chain: canonical_instant, event_hash, rotation_message, NewEvent, config_for
- audit_keys: AuditConfig, AuditKeyError, key_id, config_from, assert_safe
- audit_anchors: Anchor, anchor_path, write_anchor, read_anchors
- audit_verify: VerifyResult, verify
- backup: backup, restore, BackupFailed
- calendar: Unit, Period, WorkingCalendar, add_months, add_period
- holiday_calendar: Override, calendar_from, calendar_at (Core, no ORM)
- calendar_store: Override, calendar_from, load_calendar, list_overrides, put_override, delete_override
- clocks: ClockStatus, ClockRule, PauseSpan, DueDate, Extension, compute_due, clock_status
- context: london_today, AppContext, ReadContext, build_context, read_settings, build_read_context
- database: make_engine, Database
- engines: make_engine, read_connection (no ORM)
- env_settings: ReadSettings, has_env_file, from_environment (no pydantic-settings)
- errors: DhrError, NotFound, InvalidInput, WorkflowDefinitionError, TriggerNotAvailable, GuardFailed,
  ConcurrentChange, AuditChainBroken, UnsafeSettings, NotPermitted
- migrate: alembic_config, upgrade, current_head
- paths: data_dir, workflows_dir, templates_dir
- settings: Settings, get_settings
- tables: utcnow, instant_column, json_column, Partnership, AuditEvent, AuditHead, HolidayOverride
- text: clean_text, is_blank, parse_date, in_supported_range, not_in_future, is_id, MAX_ID
"""
