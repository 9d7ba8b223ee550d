"""Lessons learned: recommendations and their actions, the Delivery Plan, commentary rounds, Delivery Group meetings,
the Board report, learning briefings and the spreadsheet export.

Public, by module:
- access: scope, agency_ids, case_ids, restrict, load_action, may_update
- action_evidence: add_evidence, evidence_file
- actions: acting_user, add_recommendation, send_to_national_body, record_national_response, NewAction, add_action,
  Progress, update_action, changeable_action, complete_milestone, close_action
- case_link: open_action_facts, hand_over_on_close
- commentary: open_round, advance, answer_requests, sync_round_reminders, status
- demo: seed
- documents: render, context_for
- export: plan_workbook
- meetings: schedule, reschedule, cancel, present_round_at, list_meetings, meeting_dict, invites
- round_owners: must_run_rounds, open_actions, owner_of, preview (who a commentary round asks, and by when)
- plans: current_plan, has_current_plan, create_plan (the agencies themselves: dhr_workflow.agencies.directory)
- queries: viewer_for, case_refs, action_dict, list_actions, show_action, status_counts, all_actions, plan_summary,
  plan_dict, by_theme, by_agency, recommendation_rows, recurring_topics
- reports: board_report, theme_agenda, collated_plan, learning_briefing
- rules: Status, parse_status, parse_theme, parse_level, normalise_tag, Rag, rag, is_overdue, Scope, scope_for,
  may_approve_closure, Slot, quarterly_slots, next_theme
- tables: DeliveryPlan, PlanObjective, Recommendation, PlanAction, ActionTag,
  ActionMilestone, ActionUpdate, ActionEvidence, ActionHandover, CommentaryRound, CommentaryRequest, DeliveryMeeting
"""
