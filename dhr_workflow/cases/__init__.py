"""Cases: intake of a police notification, the case and its state (only through the workflow engine), clocks, tasks,
members, parties, panel meetings, the reminders a case needs, and the case queries and views.

Public, by module:
- calendar_changes: set_override, remove_override, recompute_open_clocks
- case_rows: StepRows, load_step, as_loaded, save_step, insert_clock, save_stopped_clock
- clocks: ClockMove, clocks_of, running_clocks_of, pauses_of, open_clock, start, stop, extensions_of, extend,
  recompute, pause, resume
- facts: add_fact_provider, add_transition_listener, load_extensions, transition_listeners, facts, LazyFacts
- intake: Notification, check_notification
- leavers: Deactivated, deactivate_user
- lifecycle: notify_case, fire, set_fields, assign, is_member, pause_clock, resume_clock,
  extend_clock, load_case
- meetings: Meeting, stable_uid, parse_local_time, meeting_span, as_utc, local_day, when_text
- panel_meetings: MeetingView, schedule, move, cancel, meetings_of
- parties: PartyInput, add_party
- references: next_reference
- queries: known_states, check_state, show_case, clock_view, task_view, list_cases, case_summary, case_history
- reminder_memo: planned_sends, roles_named
- reminder_plan: Deadline, Existing, OpenTask, sync_case_reminders, reminder_key, plan_follow_up
- tables: Case, CaseMember, Party, Clock, ClockPause, ClockExtension, Task, PanelMeeting, ReferenceCounter, TaskFile
- task_files: clean_filename, check_upload, attach, store, files_for, open_file
- tasks: add_task, complete_task
- views: ensure_visible, view_case, view_history, record_view, my_tasks, case_summary, task_not_found, CasePage,
  case_page
"""
